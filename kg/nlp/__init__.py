"""Concept extraction: spaCy pipeline components that find the concepts, acronyms and relations
each card names. Nothing here imports NetworkX; the graph is built from the records it yields.

`normalize_key` is light and needs no model; the rest imports spaCy on first use, so that search,
curation and the web app can normalize text without paying for spaCy's import.
"""

from importlib import import_module

from kg.nlp.normalize import normalize_key

__all__ = ["extract", "load_model", "normalize_key", "pipeline_fingerprint"]

_LAZY = {"extract": "kg.nlp.extractor", "load_model": "kg.nlp.pipeline",
         "pipeline_fingerprint": "kg.nlp.pipeline"}


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kg.nlp' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value
