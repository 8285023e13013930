"""Figures of issue 11 on small judged decks: `python bench/concept_report.py [--json]`.

- marked: per deck, the share of author-marked terms (bold / strong / cloze / highlight spans of at
  most four words in the cards' HTML) whose concept is linked to their card;
- bold: on ../shared/decks/mlrf-csv, the share of all bold terms of at most four words, and of
  the bold terms judged to be concepts (bench/judged/mlrf_csv_bold.json), linked to their card;
- top40: per judged deck, the 40 concepts `kg concepts` lists first (by ranked cards:
  kg.nlp.generic.ranked_cards) and which of them are general words (the deck's `generic` list in
  bench/judged/gold_concepts.json); also among the 40 on most cards by the bare count, and among
  the overview's 40 most important;
- paths: the bundled deck's paths between its main concepts, hop by hop.

Concept precision / recall / F1 is bench/concept_eval.py's.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


from concept_eval import DECKS, JUDGED, UNSEEN  # noqa: E402

PATHS = [("concept drift", "CI/CD"), ("Feature Store", "model monitoring"), ("model decay", "retraining"),
         ("data drift", "Vertex AI Pipelines"), ("version control", "reproducibility")]
# The bundled deck's general words: those the issue names, and words of any deck's general language.
BUNDLED_GENERIC = ("patterns pattern iteration anomaly anomalies integration way difference example process "
                   "change time number use type issue value step information team business need").split()
_MARK = re.compile(r"<(b|strong|mark)\b[^>]*>(.*?)</\1\s*>|\{\{c\d+::(.*?)(?:::[^}]*)?\}\}", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def marked_terms(raw: str | None) -> list[str]:
    """Bold, strong, highlighted and cloze spans of at most four words in a field's raw HTML."""
    out = []
    for m in _MARK.finditer(raw or ""):
        text = html.unescape(_TAG.sub("", m.group(2) if m.group(2) is not None else m.group(3)))
        text = " ".join(text.replace("\xa0", " ").split()).strip(" .,:;?!")
        if text and len(text.split()) <= 4:
            out.append(text)
    return out


def build(path: Path, nlp):
    from kg.build import find_curation
    from kg.curation import Curation
    from kg.graph import build_graph
    from kg.nlp import extract
    from kg.readers import read_decks

    cards = read_decks([path]).cards
    curation = Curation.load(find_curation([path]))
    return cards, build_graph(cards, list(extract(cards, nlp=nlp, curation=curation)), curation=curation)


def linked_keys(G, card) -> set[str]:
    from kg.nlp import normalize_key

    keys = set()
    for v, keyed in G._succ[f"card:{card.id}"].items():
        if "mentions" in keyed:
            d = G.nodes[v]
            keys.add(d.get("key", ""))
            keys.update(normalize_key(a) for a in d.get("aliases", []) or [])
            keys.add(normalize_key(d.get("label", "")))
    return keys


def kept(G, card, term: str) -> bool:
    from kg.nlp import normalize_key

    keys = linked_keys(G, card)
    return any(normalize_key(form) in keys for form in term.split("|"))


def top40(G) -> list[tuple[str, int]]:
    """The 40 concepts `kg concepts` lists first (kg.store.sqlite: by ranked cards)."""
    from kg.nlp.generic import rank_order

    rows = sorted((d for _, d in G.nodes(data=True) if d.get("kind") == "concept"), key=rank_order)[:40]
    return [(d.get("key", ""), d.get("cards", 0)) for d in rows]


def top40_by_count(G) -> list[tuple[str, int]]:
    """The 40 concepts on the most cards, by the bare count (ties by key)."""
    rows = [(d.get("key", n), d.get("cards", 0)) for n, d in G.nodes(data=True) if d.get("kind") == "concept"]
    return sorted(rows, key=lambda r: (-r[1], r[0]))[:40]


def top40_by_importance(G) -> list[str]:
    """The 40 concepts the overview shows first (kg.analysis.subgraphs.ranked_concepts)."""
    from kg.analysis.subgraphs import ranked_concepts

    return [G.nodes[n].get("key", n) for n in ranked_concepts(G)[:40]]


def paths(G) -> list[dict]:
    from kg.analysis import explain_path
    from kg.ids import concept_id
    from kg.nlp import normalize_key

    out = []
    for a, b in PATHS:
        s, t = concept_id(normalize_key(a)), concept_id(normalize_key(b))
        if s not in G or t not in G:
            out.append({"from": a, "to": b, "hops": None, "missing": [x for x, n in ((a, s), (b, t)) if n not in G]})
            continue
        p = explain_path(G, s, t)
        out.append({"from": a, "to": b, "hops": [h["to_label"] for h in p["hops"]],
                    "kinds": [h["kind"] for h in p["hops"]]})
    return out


def report(nlp=None) -> dict:
    from kg.nlp import load_model

    nlp = nlp or load_model()
    judged = json.loads((JUDGED / "gold_concepts.json").read_text(encoding="utf-8"))
    generic = {**judged["generic"], "cards": BUNDLED_GENERIC}
    result = {"decks": {}}
    for folder, path in {**DECKS, **UNSEEN}.items():
        if not path.is_dir():
            continue
        cards, G = build(path, nlp)
        terms = [(c, t) for c in cards for raw in (c.question_html, c.answer_html) for t in marked_terms(raw)]
        row = {"cards": len(cards), "marked_terms": len(terms),
               "marked_kept": round(sum(kept(G, c, t) for c, t in terms) / len(terms), 3) if terms else None}
        if folder in generic:
            top = top40(G)
            row["top40"] = [f"{k} ({n})" for k, n in top]
            row["top40_generic"] = [k for k, _ in top if k in generic[folder]]
            row["top40_count_generic"] = [k for k, _ in top40_by_count(G) if k in generic[folder]]
            row["top40_importance_generic"] = [k for k in top40_by_importance(G) if k in generic[folder]]
        if folder == "cards":
            row["paths"] = paths(G)
        if folder == "mlrf-csv":
            bold = json.loads((JUDGED / "mlrf_csv_bold.json").read_text(encoding="utf-8"))["cards"]
            by_guid = {c.guid: c for c in cards}
            pairs = [(by_guid[g], t) for g, ts in bold.items() if g in by_guid for t in ts]
            row["bold_judged"] = len(pairs)
            row["bold_judged_kept"] = round(sum(kept(G, c, t) for c, t in pairs) / len(pairs), 3)
            row["bold_judged_missed"] = sorted({t for c, t in pairs if not kept(G, c, t)})
            plain = [(c, t) for c in cards for raw in (c.question_html, c.answer_html)
                     for t in marked_terms(re.sub(r"\{\{", "{ {", raw or ""))]
            row["bold_all_kept"] = round(sum(kept(G, c, t) for c, t in plain) / len(plain), 3)
        result["decks"][folder] = row
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    args = parser.parse_args(argv)
    result = report()
    if args.json:
        print(json.dumps(result, indent=1, ensure_ascii=False))
        return 0
    for deck, row in result["decks"].items():
        print(f"\n== {deck} ({row['cards']} cards)")
        if row["marked_kept"] is not None:
            print(f"marked terms kept: {row['marked_kept']:.1%} of {row['marked_terms']}")
        if "bold_judged" in row:
            print(f"bold terms kept: all {row['bold_all_kept']:.1%}; judged concepts {row['bold_judged_kept']:.1%} "
                  f"of {row['bold_judged']}")
            print(f"  missed: {'; '.join(row['bold_judged_missed'])}")
        if "top40" in row:
            print(f"top 40: {', '.join(row['top40'])}")
            print(f"  general words among them: {', '.join(row['top40_generic']) or 'none'}")
            print(f"  ... among the 40 on most cards by bare count: {', '.join(row['top40_count_generic']) or 'none'}")
            print(f"  ... among the overview's 40 most important: {', '.join(row['top40_importance_generic']) or 'none'}")
        for p in row.get("paths", []):
            print(f"path {p['from']} -> {p['to']}: "
                  + (" > ".join(p["hops"]) if p["hops"] is not None else f"missing {p['missing']}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
