"""Concept extraction: spaCy pipeline components that find the concepts, acronyms and relations
each card names. Nothing here imports NetworkX; the graph is built from the records it yields."""

from kg.nlp.extract import extract
from kg.nlp.normalize import normalize_key
from kg.nlp.pipeline import load_model, pipeline_fingerprint

__all__ = ["extract", "load_model", "normalize_key", "pipeline_fingerprint"]
