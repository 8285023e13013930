"""Score kg search against a BM25 baseline on judged queries: `python bench/search_eval.py`.

Builds the graph of the bundled deck (cards/) with the real model, runs every query of
bench/judged_queries.json through `kg.search.search` and through bm25s over the same card text,
and prints MAP and recall@10 side by side. Exits 1 unless kg search beats BM25 on both.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import bm25s

from kg.curation import Curation
from kg.graph import build_graph
from kg.nlp import extract, load_model
from kg.readers import read_decks
from kg.search import search

ROOT = Path(__file__).resolve().parents[1]
JUDGED = ROOT / "bench" / "judged_queries.json"
DEPTH = 20  # ranked results scored per query
RECALL_AT = 10


def average_precision(ranked: list[str], relevant: set[str]) -> float:
    hits, total = 0, 0.0
    for i, card in enumerate(ranked, start=1):
        if card in relevant:
            hits += 1
            total += hits / i
    return total / len(relevant) if relevant else 0.0


def recall(ranked: list[str], relevant: set[str], k: int) -> float:
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def main(deck_dir: Path = ROOT / "cards") -> int:
    result = read_decks([deck_dir])
    cards = result.cards
    curation = Curation.load(deck_dir / "concepts.toml")
    extractions = list(extract(cards, nlp=load_model(), curation=curation))
    G = build_graph(cards, extractions, curation=curation)

    # Judged ids are the readers' ids; a card whose id moved is found again by its question.
    by_id = {c.id: c.id for c in cards}
    by_question = {c.question.strip(): c.id for c in cards}
    judged = json.loads(JUDGED.read_text(encoding="utf-8"))["queries"]

    corpus = [f"{c.question}\n{c.question}\n{c.answer}" for c in cards]  # same question boost as ours
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(corpus, stopwords="en", show_progress=False), show_progress=False)

    rows, missing = [], 0
    for q in judged:
        relevant = set()
        for r in q["relevant"]:
            cid = by_id.get(r["id"]) or by_question.get(r["question"].strip())
            if cid is None:
                missing += 1
            else:
                relevant.add(cid)
        ours = [c["id"].removeprefix("card:") for c in search(G, q["query"], limit=DEPTH)["cards"]]
        docs, scores = retriever.retrieve(bm25s.tokenize([q["query"]], stopwords="en", show_progress=False),
                                          k=min(DEPTH, len(cards)), show_progress=False)
        theirs = [cards[int(i)].id for i, s in zip(docs[0], scores[0]) if s > 0]
        rows.append((q["query"], q.get("kind", ""),
                     average_precision(ours, relevant), average_precision(theirs, relevant),
                     recall(ours, relevant, RECALL_AT), recall(theirs, relevant, RECALL_AT)))

    print(f"{'query':34} {'kind':11} {'AP kg':>6} {'AP bm25':>8} {'R@10 kg':>8} {'R@10 bm25':>10}")
    for query, kind, ap_k, ap_b, r_k, r_b in rows:
        print(f"{query[:34]:34} {kind[:11]:11} {ap_k:6.3f} {ap_b:8.3f} {r_k:8.3f} {r_b:10.3f}")
    n = len(rows) or 1
    map_k, map_b = sum(r[2] for r in rows) / n, sum(r[3] for r in rows) / n
    rec_k, rec_b = sum(r[4] for r in rows) / n, sum(r[5] for r in rows) / n
    print(f"\n{len(rows)} queries over {len(cards)} cards; {missing} judged cards not found in the deck")
    print(f"MAP         kg {map_k:.3f}   bm25 {map_b:.3f}")
    print(f"recall@{RECALL_AT}   kg {rec_k:.3f}   bm25 {rec_b:.3f}")
    if missing or not (map_k > map_b and rec_k > rec_b):
        print("FAIL: kg search does not beat BM25 (or judged cards are missing)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "cards"))
