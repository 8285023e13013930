"""Cards related to a card through the specific concepts they share.

Each card is a vector over its concepts weighted like BM25: how much the card is about the
concept (a question mention counts double, repeats saturate, a card naming many concepts is
about each a little less) times how rare the concept is in the deck (IDF). Two cards are as
related as the cosine of their vectors: one shared concept that both cards ask about beats
several common words they happen to name in passing.
"""

from __future__ import annotations

import math
import weakref

import networkx as nx

from kg.analysis._nodes import card_concepts, card_node, concept_cards

# BM25's usual constants: term-frequency saturation and length normalisation.
K1, B = 1.2, 0.75
QUESTION_WEIGHT = 2.0
PLAIN_WORD_WEIGHT = 0.6


def related_cards(G: nx.MultiDiGraph, card_id: str, *, limit: int = 10) -> list[dict]:
    """Other cards sharing concepts with one card, most related first.

    Each result is `{"id", "question", "deck", "score", "shared": [concept labels]}`, `score`
    the cosine in (0, 1] of the two cards' BM25-weighted concept vectors and `shared` the shared
    concepts that weigh most first. Raises NotFound for an unknown card.
    """
    node = card_node(G, card_id)
    weigh = _weigher(G)
    mine = weigh(node)
    norm_mine = math.sqrt(sum(w * w for w in mine.values())) or 1.0
    candidates = {other for concept in mine for other in concept_cards(G, concept)} - {node}
    results = []
    for other in candidates:
        theirs = weigh(other)
        shared = [c for c in mine if c in theirs]
        dot = sum(mine[c] * theirs[c] for c in shared)
        if dot <= 0:
            continue
        norm = math.sqrt(sum(w * w for w in theirs.values())) or 1.0
        shared.sort(key=lambda c: (-mine[c] * theirs[c], c))
        d = G.nodes[other]
        results.append({"id": other, "question": d.get("question", ""), "deck": d.get("deck", ""),
                        "score": round(dot / (norm * norm_mine), 4),
                        "shared": [G.nodes[c].get("label", c) for c in shared]})
    results.sort(key=lambda r: (-r["score"], r["id"]))
    return results[:limit]


def _weigher(G: nx.MultiDiGraph):
    """The function giving a card's {concept: BM25 weight}."""
    n_cards, avg_length = _deck_stats(G)
    lengths: dict[str, float] = {}

    def tf(m: dict) -> float:
        return m.get("count", 1) + (QUESTION_WEIGHT - 1.0) * bool(m.get("in_question"))

    def length(card: str) -> float:
        if card not in lengths:
            lengths[card] = sum(tf(m) for m in card_concepts(G, card).values())
        return lengths[card]

    def weigh(card: str) -> dict[str, float]:
        concepts = card_concepts(G, card)
        norm = K1 * (1 - B + B * length(card) / avg_length)
        out = {}
        for concept, m in concepts.items():
            d = G.nodes[concept]
            df = max(d.get("cards", 1), 1)
            idf = math.log(1 + (n_cards - df + 0.5) / (df + 0.5)) * _specificity(d.get("label", ""))
            f = tf(m)
            out[concept] = idf * f * (K1 + 1) / (f + norm)
        return out

    return weigh


def _specificity(label: str) -> float:
    """A single everyday word ("variant", "image") names less than a term ("focal loss") or a
    name ("PaLM-E"), however rare it happens to be in one deck."""
    if " " in label.strip() or label != label.lower():
        return 1.0
    return PLAIN_WORD_WEIGHT


_STATS: "weakref.WeakKeyDictionary[nx.MultiDiGraph, tuple]" = weakref.WeakKeyDictionary()


def _deck_stats(G: nx.MultiDiGraph) -> tuple[int, float]:
    """(cards, mean card length in weighted mentions), kept per graph: it takes a full scan."""
    stamp = (G.number_of_nodes(), G.number_of_edges())
    cached = _STATS.get(G)
    if cached is None or cached[0] != stamp:
        cards = [n for n, kind in G.nodes(data="kind") if kind == "card"]
        total = sum(m.get("count", 1) + (QUESTION_WEIGHT - 1.0) * bool(m.get("in_question"))
                    for card in cards for m in card_concepts(G, card).values())
        cached = _STATS[G] = (stamp, (max(len(cards), 1), max(total / max(len(cards), 1), 1.0)))
    return cached[1]
