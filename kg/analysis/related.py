"""Cards related to a card through the specific concepts they share."""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx

from kg.analysis._nodes import card_concepts, card_node, concept_cards


def related_cards(G: nx.MultiDiGraph, card_id: str, *, limit: int = 10) -> list[dict]:
    """Other cards sharing concepts with one card, most related first.

    A shared concept counts by its specificity (IDF: a concept on every card says nothing), and
    scores are cosine-normalised so long cards do not win by length. Each result is
    `{"id", "question", "deck", "score", "shared": [concept labels]}`. Raises NotFound for an
    unknown card.
    """
    node = card_node(G, card_id)
    n_cards = sum(1 for _, d in G.nodes(data=True) if d.get("kind") == "card") or 1

    def idf(concept: str) -> float:
        # Plain log(N/df): a concept on most cards is worth almost nothing.
        return math.log((n_cards + 1) / max(G.nodes[concept].get("cards", 1), 1))

    mine = {c: idf(c) for c in card_concepts(G, node)}
    norm_mine = math.sqrt(sum(w * w for w in mine.values())) or 1.0
    scores: dict[str, float] = defaultdict(float)
    shared: dict[str, list[str]] = defaultdict(list)
    for concept, w in mine.items():
        for other in concept_cards(G, concept):
            if other != node:
                scores[other] += w * w
                shared[other].append(concept)
    results = []
    for other, score in scores.items():
        norm = math.sqrt(sum(idf(c) ** 2 for c in card_concepts(G, other))) or 1.0
        d = G.nodes[other]
        labels = [G.nodes[c].get("label", c) for c in sorted(shared[other], key=lambda c: -mine[c])]
        results.append({"id": other, "question": d.get("question", ""), "deck": d.get("deck", ""),
                        "score": round(score / (norm * norm_mine), 4), "shared": labels})
    results.sort(key=lambda r: (-r["score"], r["id"]))
    return results[:limit]
