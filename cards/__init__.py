"""The bundled deck (MLOps and Vertex AI) and its curation file.

This folder installs as the package `kg.bundled`, so that `kg build` and `kg serve` find the deck
outside a checkout too. Deck readers skip this file: it is not a deck."""
