"""Cards related to a card through the specific concepts they share.

Each card is a vector over its concepts weighted like BM25: how much the card is about the
concept (a question mention counts double, repeats saturate, a card naming many concepts is
about each a little less) times how rare the concept is in the deck (IDF). Two cards are as
related as the cosine of their vectors: one shared concept that both cards ask about beats
several common words they happen to name in passing.
"""

from __future__ import annotations

import heapq
import math
import weakref

import networkx as nx
import numpy as np

from kg.analysis._cache import per_graph
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
    weights = _Weights.of(G)
    mine = weights.vector(node)
    norm_mine = math.sqrt(sum(w * w for w in mine.values())) or 1.0
    # Dot products built concept by concept: a card on a hub concept shares it with thousands of
    # cards, and each of them costs one weight here, not a whole vector.
    dots: dict[str, float] = {}
    for concept, mine_weight in mine.items():
        idf = weights.idf(concept)
        for other, m in concept_cards(G, concept).items():
            if other != node:
                dots[other] = dots.get(other, 0.0) + mine_weight * weights.weight(other, idf, m)
    scored = [(dot / (weights.norm(other) * norm_mine), other) for other, dot in dots.items() if dot > 0]
    best = heapq.nsmallest(limit, scored, key=lambda s: (-round(s[0], 4), s[1]))
    results = []
    for score, other in best:
        theirs = weights.vector(other)
        shared = sorted((c for c in mine if c in theirs), key=lambda c: (-mine[c] * theirs[c], c))
        d = G.nodes[other]
        results.append({"id": other, "question": d.get("question", ""), "deck": d.get("deck", ""),
                        "score": round(score, 4), "shared": [G.nodes[c].get("label", c) for c in shared]})
    return results


def _tf(m: dict) -> float:
    return m.get("count", 1) + (QUESTION_WEIGHT - 1.0) * bool(m.get("in_question"))


class _Weights:
    """BM25 weights of cards over concepts, kept per graph and filled as cards are met (a
    racing thread only writes the same value twice)."""

    def __init__(self, G: nx.MultiDiGraph):
        self.G = weakref.proxy(G)
        cards = [n for n, kind in G.nodes(data="kind") if kind == "card"]
        total = sum(_tf(m) for card in cards for m in card_concepts(G, card).values())
        self.n_cards = max(len(cards), 1)
        self.avg_length = max(total / self.n_cards, 1.0)
        self._idf: dict[str, float] = {}
        self._norm: dict[str, float] = {}
        self._length: dict[str, float] = {}

    @classmethod
    def of(cls, G: nx.MultiDiGraph) -> _Weights:
        return per_graph(G, "bm25-weights", lambda: cls(G))

    @classmethod
    def known(cls, G: nx.MultiDiGraph, *, n_cards: int, avg_length: float, lengths: dict, norms: dict) -> _Weights:
        """The weights of a graph that is part of a bigger one, whose deck-wide figures (and
        the lengths and norms of the cards in G) a store kept: kept on G for `related_cards`."""
        weights = cls.__new__(cls)
        weights.G = weakref.proxy(G)
        weights.n_cards, weights.avg_length = n_cards, avg_length
        weights._idf, weights._length, weights._norm = {}, dict(lengths), dict(norms)
        return per_graph(G, "bm25-weights", lambda: weights)

    @classmethod
    def counted(cls, G: nx.MultiDiGraph, tallies, cards: list[str], concepts) -> tuple[_Weights, tuple[dict, dict, dict]]:
        """The weights of a graph read from its workspace, worked out over arrays of every
        mention (`tallies`, kg.store.workspace_graph.LinkTallies) rather than card by card,
        with `lengths_and_norms(cards)`; `concepts` gives (id, cards, label) of every concept.

        The same numbers as card by card, to the last bit: each sum adds the same values in the
        same order (numpy's bincount adds in the arrays' order, the order of each card's links)."""
        index = tallies.index
        n_cards = max(len(cards), 1)
        concept_idf = np.zeros(len(index))
        for n, df, label in concepts:
            df = max(df if df is not None else 1, 1)
            concept_idf[index[n]] = math.log(1 + (n_cards - df + 0.5) / (df + 0.5)) * _specificity(label or "")
        card, count = tallies.mention_card, tallies.mention_count
        f = count + (QUESTION_WEIGHT - 1.0) * tallies.mention_in_question
        # The deck-wide length sums cards in the graph's order, each card's mentions in order.
        by_card = np.argsort(card, kind="stable")
        total = sum(f[by_card].tolist())
        size = len(index)
        length = np.bincount(card, weights=f, minlength=size)
        weights = cls.__new__(cls)
        weights.G = weakref.proxy(G)
        weights.n_cards, weights.avg_length = n_cards, max(total / n_cards, 1.0)
        w = concept_idf[tallies.mention_concept] * f * (K1 + 1) / (
            f + K1 * (1 - B + B * length[card] / weights.avg_length))
        norm = np.sqrt(np.bincount(card, weights=w * w, minlength=size))
        totals_of = np.bincount(card, weights=count, minlength=size)
        mentioned = np.bincount(card, minlength=size)
        lengths, norms, totals = {}, {}, {}
        for c in cards:
            i = index[c]
            lengths[c] = float(length[i]) if mentioned[i] else 0
            norms[c] = float(norm[i]) or 1.0
            totals[c] = int(totals_of[i]) or 1
        weights._idf, weights._length, weights._norm = {}, dict(lengths), dict(norms)
        return per_graph(G, "bm25-weights", lambda: weights), (lengths, norms, totals)

    def lengths_and_norms(self, cards) -> tuple[dict, dict, dict]:
        """({card: length}, {card: norm}, {card: mention total}) of `cards`, for a store to keep
        (the totals as `kg.analysis.detail` ranks a concept's cards by them)."""
        lengths, norms, totals = {}, {}, {}
        for c in cards:  # all from the card's links read once (a load reads them from a file)
            mentions = card_concepts(self.G, c).values()
            lengths[c] = sum(_tf(m) for m in mentions)
            totals[c] = sum(m.get("count", 1) for m in mentions) or 1
            norms[c] = self.norm(c)
        return lengths, norms, totals

    def idf(self, concept: str) -> float:
        idf = self._idf.get(concept)
        if idf is None:
            d = self.G.nodes[concept]
            df = max(d.get("cards", 1), 1)
            idf = self._idf[concept] = (math.log(1 + (self.n_cards - df + 0.5) / (df + 0.5))
                                        * _specificity(d.get("label", "")))
        return idf

    def weight(self, card: str, idf: float, m: dict) -> float:
        length = self._length.get(card)
        if length is None:
            length = self._length[card] = sum(_tf(x) for x in card_concepts(self.G, card).values())
        f = _tf(m)
        return idf * f * (K1 + 1) / (f + K1 * (1 - B + B * length / self.avg_length))

    def vector(self, card: str) -> dict[str, float]:
        return {c: self.weight(card, self.idf(c), m) for c, m in card_concepts(self.G, card).items()}

    def norm(self, card: str) -> float:
        norm = self._norm.get(card)
        if norm is None:
            norm = self._norm[card] = math.sqrt(sum(w * w for w in self.vector(card).values())) or 1.0
        return norm


def _specificity(label: str) -> float:
    """A single everyday word ("variant", "image") names less than a term ("focal loss") or a
    name ("PaLM-E"), however rare it happens to be in one deck."""
    if " " in label.strip() or label != label.lower():
        return 1.0
    return PLAIN_WORD_WEIGHT
