"""Score kg search against a BM25 baseline on judged queries: `python bench/search_eval.py`.

For each judged set in bench/judged_queries.json (the bundled deck, real decks from
../shared/decks, and held-out sets on the small judged decks of bench/judged/decks, named by their
folder and never tuned on), builds the deck's graph with the real model, runs every query through
`kg.search.search` and through bm25s over the same card text (question counted twice, as ours
does), and prints per-query average precision and recall@10, then MAP and recall@10 side by
side, per deck and per query kind, and for the held-out sets together. Exits 1 unless kg search
beats BM25 on both, on every tuned deck (held-out sets are reported, not gated). `--deck NAME`
runs one set.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import bm25s

from kg.build import find_curation
from kg.curation import Curation
from kg.graph import build_graph
from kg.nlp import extract, load_model
from kg.readers import read_decks
from kg.search import search

ROOT = Path(__file__).resolve().parents[1]
JUDGED = ROOT / "bench" / "judged_queries.json"
JUDGED_DECKS = ROOT / "bench" / "judged" / "decks"
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


def evaluate(deck_dir: Path, judged: list[dict], nlp, *, verbose: bool = True) -> dict:
    """Per-query and mean scores of kg and BM25 on one deck."""
    cards = read_decks([deck_dir]).cards
    curation = Curation.load(find_curation([deck_dir]))
    G = build_graph(cards, list(extract(cards, nlp=nlp, curation=curation)), curation=curation)

    # Judged ids are the readers' ids; a card whose id moved is found again by its question.
    by_id = {c.id: c.id for c in cards}
    by_question = {c.question.strip(): c.id for c in cards}

    corpus = [f"{c.question}\n{c.question}\n{c.answer}" for c in cards]
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

    n = len(rows) or 1
    result = {"deck": str(deck_dir), "cards": len(cards), "queries": len(rows), "missing": missing, "rows": rows,
              "map_kg": sum(r[2] for r in rows) / n, "map_bm25": sum(r[3] for r in rows) / n,
              "recall_kg": sum(r[4] for r in rows) / n, "recall_bm25": sum(r[5] for r in rows) / n}
    if verbose:
        print(f"\n== {deck_dir} ({len(cards)} cards)")
        print(f"{'query':44} {'kind':10} {'AP kg':>6} {'AP bm25':>8} {'R@10 kg':>8} {'R@10 bm25':>10}")
        for query, kind, ap_k, ap_b, r_k, r_b in rows:
            print(f"{query[:44]:44} {kind[:10]:10} {ap_k:6.3f} {ap_b:8.3f} {r_k:8.3f} {r_b:10.3f}")
        print(f"{len(rows)} queries; {missing} judged cards not found in the deck")
        print(f"MAP         kg {result['map_kg']:.3f}   bm25 {result['map_bm25']:.3f}")
        print(f"recall@{RECALL_AT}   kg {result['recall_kg']:.3f}   bm25 {result['recall_bm25']:.3f}")
    return result


def deck_path(deck: str) -> Path:
    """Where a judged set's deck is: a path from the repository root, ../shared/ under
    KG_SHARED_DIR when set, or a folder name under bench/judged/decks."""
    if deck.startswith("../shared/") and os.environ.get("KG_SHARED_DIR"):
        return Path(os.environ["KG_SHARED_DIR"]) / deck.removeprefix("../shared/")
    path = (ROOT / deck).resolve()
    return path if path.exists() else JUDGED_DECKS / deck


def means(rows: list[tuple]) -> tuple[float, float, float, float]:
    """MAP kg, MAP bm25, recall kg, recall bm25 over query rows."""
    n = len(rows) or 1
    return tuple(sum(r[i] for r in rows) / n for i in (2, 3, 4, 5))


def summary_line(name: str, rows: list[tuple]) -> str:
    mk, mb, rk, rb = means(rows)
    return (f"  {name:28} {len(rows):3} q  MAP kg {mk:.3f} / bm25 {mb:.3f}   "
            f"recall@{RECALL_AT} kg {rk:.3f} / bm25 {rb:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deck", help="run only the judged set whose deck path ends with this")
    args = parser.parse_args(argv)
    sets = json.loads(JUDGED.read_text(encoding="utf-8"))["sets"]
    if args.deck:
        sets = [s for s in sets if s["deck"].rstrip("/").endswith(args.deck.rstrip("/"))]
    nlp = load_model()
    failed = []
    results = []
    for judged in sets:
        deck_dir = deck_path(judged["deck"])
        if not deck_dir.exists():
            print(f"\n== {judged['deck']}: not found, skipped")
            continue
        r = evaluate(deck_dir, judged["queries"], nlp)
        r["held_out"] = bool(judged.get("held_out"))
        results.append(r)
        if r["missing"]:
            failed.append(judged["deck"])
        elif not r["held_out"] and not (r["map_kg"] > r["map_bm25"] and r["recall_kg"] > r["recall_bm25"]):
            failed.append(judged["deck"])
    print("\nsummary")
    for r in results:
        print(summary_line(Path(r["deck"]).name + (" (held out)" if r["held_out"] else ""), r["rows"]))
    for label, group in (("tuned", [r for r in results if not r["held_out"]]),
                         ("held out", [r for r in results if r["held_out"]])):
        rows = [row for r in group for row in r["rows"]]
        if not rows:
            continue
        print(f"\n{label}: all queries, then per query kind")
        print(summary_line(f"{label} ({len(group)} decks)", rows))
        for kind in sorted({row[1] for row in rows}):
            print(summary_line(f"  {kind}", [row for row in rows if row[1] == kind]))
    if failed or not results:
        print(f"FAIL: kg search does not beat BM25 (or judged cards are missing) on {', '.join(failed) or 'any deck'}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
