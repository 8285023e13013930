"""What runs inside a Dask worker: the spaCy model, loaded once per worker process, and the
extraction task that uses it.

The model is loaded by a worker plugin when it is registered (or when a worker joins later), kept
in this module for the life of the worker process, and reused by every task and every later
build: tasks carry cards and the curation, never the model.
"""

from __future__ import annotations

from distributed import WorkerPlugin, get_worker

from kg.cards import Card
from kg.extraction import EncodedExtraction

PLUGIN_NAME = "kg-spacy-model"

# model name ("" for the default) -> loaded pipeline, in this worker process
_MODELS: dict[str, object] = {}
# How often this process loaded a model, and how many cards it extracted: what a build and the
# benchmark read back (`Client.run(model_loads)`) to show loads = workers, not partitions.
_COUNTS = {"loads": 0, "cards": 0}


class Batch(list):
    """The records of one partition, sent in one piece.

    distributed sends a plain list, tuple or dict item by item (about a tenth of a millisecond
    an item: seconds for a partition's pair counts); any other type, this subclass included,
    is pickled whole.
    """


class SpacyModel(WorkerPlugin):
    """Loads the spaCy pipeline `model` (None: the default) on each worker, once per process."""

    name = PLUGIN_NAME

    def __init__(self, model: str | None = None):
        self.model = model

    def setup(self, worker) -> None:
        # Registering again (the next build on the same cluster) finds the model loaded.
        model_on_worker(self.model)


def model_on_worker(model: str | None):
    """The pipeline `model`, loaded in this process on first use."""
    key = model or ""
    if key not in _MODELS:
        from kg.nlp.pipeline import load_model

        _MODELS[key] = load_model(model)
        _COUNTS["loads"] += 1
    return _MODELS[key]


def model_loads() -> int:
    """Models this worker process has loaded."""
    return _COUNTS["loads"]


def cards_extracted() -> int:
    """Cards this worker process has extracted."""
    return _COUNTS["cards"]


def model_meta(model: str | None) -> dict:
    """meta.json of the pipeline this worker loaded."""
    return dict(model_on_worker(model).meta)


def extract_partition(part: list[Card], model: str | None, curation) -> Batch:
    """(card, extraction) for a partition of cards: kept on the worker, where the build's
    counting reads it (`wire_records` is what the build's own process receives)."""
    from kg.nlp.extractor import extract

    get_worker()  # a task, not the client: the model must be the worker's own
    nlp = model_on_worker(model)
    out = Batch(zip(part, extract(part, nlp=nlp, curation=curation, n_process=1)))
    _COUNTS["cards"] += len(out)
    return out


def wire_records(records: Batch) -> Batch:
    """The extractions of a partition's records, for the build's own process: each as the
    cache's text and its relations (all the build reads of it), one string to unpickle
    instead of an object per mention."""
    return Batch(EncodedExtraction(e.card_id, e.cache_text(), e.relations) for _, e in records)


def pipeline_on_worker(model: str | None) -> tuple[str, str]:
    """(model label, fingerprint without curation) of the pipeline this worker loaded: the build
    keys its cache by the pipeline, so every worker must run the one this machine would."""
    from kg.nlp import pipeline_fingerprint
    from kg.nlp.fingerprint import model_label

    nlp = model_on_worker(model)
    return model_label(nlp.meta), pipeline_fingerprint(nlp, None)
