"""Extracting a few cards in a forked process while the build goes on.

Nothing here imports spaCy: the worker loads it, so a small rebuild's own process never pays
for the import and reads the decks and the workspace meanwhile.
"""

from __future__ import annotations

import multiprocessing
import os

from kg.cards import Card
from kg.errors import ModelError
from kg.extraction import CardExtraction
from kg.processes import die_with_parent


class BackgroundExtraction:
    """A forked process that starts loading the model at once and extracts the cards it is given
    later: a rebuild starts it before reading the decks, so the model is ready by the time the
    build knows which cards changed. `close()` ends it unused when no card needs reading."""

    def __init__(self, *, model: str | None = None, curation=None):
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, model, curation, os.getpid()), daemon=True)
        self._process.start()
        child.close()

    def extract(self, cards: list[Card]) -> list[CardExtraction]:
        """The extractions in card order; raises ModelError when the model could not load."""
        try:
            self._conn.send(list(cards))
            status, payload = self._conn.recv()
        except (EOFError, OSError):
            raise ModelError("the spaCy worker process died (out of memory?); build again") from None
        finally:
            self.close()
        if status != "ok":
            raise ModelError(payload)
        return [CardExtraction.from_dict(card_id, data) for card_id, data in payload]

    def close(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._conn.close()


def _serve(conn, model: str | None, curation, parent: int) -> None:
    die_with_parent(parent)
    try:
        from kg.nlp.extractor import extract
        from kg.nlp.pipeline import load_model

        nlp = load_model(model)
    except ModelError as exc:
        nlp, failure = None, str(exc)
    cards = conn.recv()
    if nlp is None:
        conn.send(("error", failure))
    else:
        conn.send(("ok", [(e.card_id, e.to_dict()) for e in extract(cards, nlp=nlp, curation=curation)]))
    conn.close()
