"""Extracting a few cards in a forked process while the build goes on.

Nothing here imports spaCy: the worker loads it, so a small rebuild's own process never pays
for the import and reads the workspace meanwhile.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from kg.cards import Card
from kg.errors import ModelError
from kg.extraction import CardExtraction


class BackgroundExtraction:
    """`extract` of a few cards running in a forked process that loads the model itself, so the
    caller keeps its core for other work meanwhile (a small rebuild decodes its cache)."""

    def __init__(self, cards: list[Card], *, model: str | None = None, curation=None):
        self._executor = ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context("fork"),
            initializer=_die_with, initargs=(os.getpid(),),
        )
        self._future = self._executor.submit(_load_and_extract, list(cards), model, curation)

    def result(self) -> list[CardExtraction]:
        """The extractions in card order; raises what loading the model raised (ModelError)."""
        try:
            return [CardExtraction.from_dict(card_id, data) for card_id, data in self._future.result()]
        except BrokenProcessPool:
            raise ModelError("the spaCy worker process died (out of memory?); build again") from None
        finally:
            self._executor.shutdown(wait=True, cancel_futures=True)


def _load_and_extract(cards: list[Card], model: str | None, curation) -> list[tuple[str, dict]]:
    from kg.nlp.extractor import extract
    from kg.nlp.pipeline import load_model

    nlp = load_model(model)
    return [(e.card_id, e.to_dict()) for e in extract(cards, nlp=nlp, curation=curation)]


def _die_with(parent: int) -> None:
    """Have the kernel end this worker when the build process dies, even by SIGKILL."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        return
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
