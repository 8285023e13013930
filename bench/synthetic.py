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
import gc
import hashlib
import json
import resource
import sys
import time
from pathlib import Path

from kg.extraction import CardExtraction, Mention
from kg.graphrows import build_graph_rows
from kg.workspace import Workspace, cache_key, write_workspace

RENAMED_SHARE = 3  # one concept in RENAMED_SHARE gets a new name in each copy


def _renamed(key: str, copy: int) -> str:
    if copy == 0 or int(hashlib.sha1(key.encode()).hexdigest()[:4], 16) % RENAMED_SHARE:
        return key
    return f"{key} v{copy}"


def synthesize(source: Path, size: int, out: Path) -> dict:
    with Workspace.open(source) as ws:
        cards = list(ws.cards())
        meta = ws.meta
        rows = ws.db.execute("SELECT key, data FROM extractions").fetchall()
    stored = dict(rows)
    originals = [(c, CardExtraction.from_dict(c.id, json.loads(stored[cache_key(meta["pipeline"], c)])))
                 for c in cards]
    new_cards, extractions = [], {}
    for i in range(size):
        copy, (card, ext) = i // len(originals), originals[i % len(originals)]
        suffix = f" ({copy})" if copy else ""
        c = dataclasses.replace(card, id=f"{card.id}-{copy}" if copy else card.id,
                                deck=card.deck + suffix, answer=card.answer + suffix)
        e = CardExtraction(
            c.id,
            mentions=[Mention(_renamed(m.concept, copy), m.surface, m.field, m.start, m.end)
                      for m in ext.mentions],
            acronyms=ext.acronyms,
            relations=[dataclasses.replace(r, subject=_renamed(r.subject, copy),
                                           object=_renamed(r.object, copy)) for r in ext.relations],
        )
        new_cards.append(c)
        extractions[c.id] = (cache_key(meta["pipeline"], c), e)
    gc.collect()
    inputs_mb = _rss_mb()
    started = time.perf_counter()
    rows, _ = build_graph_rows(new_cards, [extractions[c.id][1] for c in new_cards])
    graph_seconds = time.perf_counter() - started
    gc.collect()
    graph_mb = _rss_mb()
    build_peak_mb = _peak_mb()  # the peak so far: while the graph was built, or before
    started = time.perf_counter()
    write_workspace(out, cards=new_cards, extractions=extractions, graph=rows,
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
