"""A large workspace without spaCy: the cards and extractions of a built one, repeated.

    python bench/synthetic.py /tmp/kg-bench/ws-20000 100000 /tmp/kg-bench/ws-100000-synthetic

For serving measurements at sizes whose real build takes too long. Copy r of card c gets its
own id, deck and text (a " (r)" suffix), and about a third of the concepts of every copy are
renamed per copy, so the concept count grows with the deck (a real collection keeps coining
terms) instead of staying that of the source. The graph is built as `kg build` builds it
(kg.graphrows: the cards' nodes and edges are made as the workspace is written, not held). Prints
the graph's build and write times, its size and this process's memory (RSS once the cards and
extractions are made, once the graph is built, the peak until then, and the peak), the figures
that say how far a held graph scales.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import gc
import hashlib
import json
import resource
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from kg.cards import Card
from kg.extraction import CardExtraction, Mention
from kg.graphrows import build_graph_rows
from kg.nlp.marks import marks_signature
from kg.workspace import Workspace, cache_key, write_workspace

RENAMED_SHARE = 3  # one concept in RENAMED_SHARE gets a new name in each copy


def _renamed(key: str, copy: int) -> str:
    if copy == 0 or not _is_renamed(key):
        return key
    return f"{key} v{copy}"


@functools.cache
def _is_renamed(key: str) -> bool:
    return int(hashlib.sha1(key.encode()).hexdigest()[:4], 16) % RENAMED_SHARE == 0


class _Copies:
    """Copy i of the collection: card `i % len(originals)` of copy `i // len(originals)`, made
    when it is asked for. Neither the million cards nor their extractions are held: a build
    reads them several times, and made afresh each time they cost a few seconds, where held as
    Python objects they took 6.6 KB a card."""

    def __init__(self, originals: list[tuple[Card, CardExtraction]], size: int, pipeline: str):
        self.originals, self.size, self.pipeline = originals, size, pipeline
        self._signatures: dict[tuple[int, int], str] = {}

    def card(self, i: int) -> Card:
        copy, (card, _) = i // len(self.originals), self.originals[i % len(self.originals)]
        if not copy:
            return card
        suffix = f" ({copy})"
        return dataclasses.replace(card, id=f"{card.id}-{copy}", deck=card.deck + suffix,
                                   answer=card.answer + suffix)

    def cache_key(self, i: int) -> str:
        """`kg.workspace.cache_key` of card i, reading marks (most of the cost) once per
        original and length of suffix: a copy changes no HTML and only appends " (r)" to the
        answer, which the plain-text marks may take in, by position."""
        n, copy = i % len(self.originals), i // len(self.originals)
        card = self.card(i)
        shape = (n, len(str(copy)) if copy else 0)
        signature = self._signatures.get(shape)
        if signature is None:
            signature = self._signatures[shape] = marks_signature(card)
        text = f"{card.text}\x1f{signature}" if signature else card.text
        return hashlib.sha1(f"{self.pipeline}\x1f{text}".encode("utf-8")).hexdigest()

    def extraction(self, i: int, card_id: str) -> CardExtraction:
        copy, (_, ext) = i // len(self.originals), self.originals[i % len(self.originals)]
        if not copy:
            return ext
        return CardExtraction(
            card_id,
            mentions=[Mention(_renamed(m.concept, copy), m.surface, m.field, m.start, m.end, m.marked)
                      for m in ext.mentions],
            acronyms=ext.acronyms,
            relations=[dataclasses.replace(r, subject=_renamed(r.subject, copy),
                                           object=_renamed(r.object, copy)) for r in ext.relations],
        )


class _Cards(Sequence):
    def __init__(self, copies: _Copies):
        self.copies = copies

    def __len__(self) -> int:
        return self.copies.size

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self.copies.card(j) for j in range(*i.indices(len(self)))]
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        return self.copies.card(i % len(self))


class _Extractions(Mapping):
    """card id -> extraction, or with `keyed` -> (cache key, extraction), as `write_workspace`
    takes them; an id two cards share is the last one's, as a dict built in card order keeps."""

    def __init__(self, copies: _Copies, last: dict[str, int], *, keyed: bool = False):
        self.copies, self.last, self.keyed = copies, last, keyed

    def __len__(self) -> int:
        return len(self.last)

    def __iter__(self):
        return iter(self.last)

    def __getitem__(self, card_id: str):
        i = self.last[card_id]
        ext = self.copies.extraction(i, card_id)
        if not self.keyed:
            return ext
        return self.copies.cache_key(i), ext


def synthesize(source: Path, size: int, out: Path) -> dict:
    with Workspace.open(source) as ws:
        cards = list(ws.cards())
        meta = ws.meta
        rows = ws.db.execute("SELECT key, data FROM extractions").fetchall()
    stored = dict(rows)
    originals = [(c, CardExtraction.from_dict(c.id, json.loads(stored[cache_key(meta["pipeline"], c)])))
                 for c in cards]
    del rows, stored
    copies = _Copies(originals, size, meta["pipeline"])
    new_cards = _Cards(copies)
    last: dict[str, int] = {}
    for i in range(size):
        last[new_cards[i].id] = i
    gc.collect()
    inputs_mb = _rss_mb()
    started = time.perf_counter()
    rows, _ = build_graph_rows(new_cards, _Extractions(copies, last))
    graph_seconds = time.perf_counter() - started
    gc.collect()
    graph_mb = _rss_mb()
    build_peak_mb = _peak_mb()  # the peak so far: while the graph was built, or before
    started = time.perf_counter()
    write_workspace(out, cards=new_cards, extractions=_Extractions(copies, last, keyed=True), graph=rows,
                    meta={k: v for k, v in meta.items() if k not in ("schema", "built_at")})
    return {"cards": size, "nodes": rows.number_of_nodes(), "edges": rows.number_of_edges(),
            "build_graph_s": round(graph_seconds, 1), "write_s": round(time.perf_counter() - started, 1),
            "rss_inputs_mb": inputs_mb, "rss_graph_mb": graph_mb, "peak_build_mb": build_peak_mb,
            "peak_mb": _peak_mb()}


def _peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _rss_mb() -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        return int(f.read().split("VmRSS:")[1].split()[0]) // 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="a built workspace folder")
    parser.add_argument("size", type=int, help="cards in the new workspace")
    parser.add_argument("out", type=Path, help="folder of the new workspace")
    args = parser.parse_args(argv)
    print(synthesize(args.source, args.size, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
