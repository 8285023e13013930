"""How broad a concept is: the measure that keeps general words out of the roles that must be
specific (a path's bridge, a community's name, a gap's bridge, a hub).

Broadness is measured, not listed: the larger of how common the concept's name is in general
English (kg.nlp.generic, wordfreq), how evenly the deck spreads it (a concept on a large share of the
cards, or on cards of most decks), and how many kinds it heads ("pipeline" with a dozen is_a
children). A name of several words is specific as a name, but may still be spread everywhere. What the author marked (bold, cloze,
a list label) is evidence the deck means it as a term; a word the deck only says in passing
(kg.termhood) is as broad as a common one.
"""

from __future__ import annotations

import math
import sys

import networkx as nx

from kg.analysis._cache import per_graph
from kg.nlp.generic import generality, is_passing_word

# A concept at least this broad is never a bridge, a gap's bridge or a community's name.
BROAD = 0.7
# The deck spread counts for this much at most: a one-word concept on every card is broad even
# when the word is rare in English, but a frequent domain word is not general language.
SPREAD_WEIGHT = 0.8
# A name of several words on this share of the cards is spread over the whole deck (a hub);
# on half as many or fewer, not at all.
HUB_SHARE = 0.5
# A one-word head with this many kinds is fully broad.
BROAD_HEAD_KINDS = 8


def broadness(G: nx.MultiDiGraph) -> dict[str, float]:
    """{concept: broadness in [0, 1]}, worked out once per graph."""
    return per_graph(G, "broadness", lambda: _broadness(G))


def _broadness(G: nx.MultiDiGraph) -> dict[str, float]:
    concepts = [n for n, kind in G.nodes(data="kind") if kind == "concept"]
    if not concepts:
        return {}
    measure = broadness_measure(G)
    return {node: measure(node) for node in concepts}


def broadness_measure(G: nx.MultiDiGraph, *, counted: bool = False):
    """The broadness of one concept at a time (a function of its id), for a pass that works out
    more of each concept at once (kg.analysis.paths.node_costs); `counted` when that pass gives
    each concept's decks and kinds (so the cards' decks are not read here)."""
    from kg.search import search_index

    index = search_index(G)
    n_cards = max(index.n_cards, 2)
    decks = [n for n, kind in G.nodes(data="kind") if kind == "deck"]
    # Each card's deck, read once: asked per mention, a graph read from its file (a load's)
    # decoded a card's whole text for every concept on it.
    card_decks = {n: sys.intern(d.get("deck", "")) for n, d in G.nodes(data=True)
                  if d.get("kind") == "card"} if len(decks) > 2 and not counted else {}

    def measure(node: str, d: dict | None = None, decks_and_kinds: tuple[int, int] | None = None) -> float:
        """`d` the node's attributes and `decks_and_kinds` its decks and is_a links in, when a
        pass over the whole graph has them already (a load's, kg.analysis.paths)."""
        if d is None:
            d = G.nodes[node]
        words = d.get("key", node).split()
        if len(words) == 1:
            # How common the word is in the deck's text, on a log scale (the word of a card in ten
            # is already fairly common).
            df = max(index.document_frequency(words[0]), d.get("cards", 0))
            spread = math.log1p(df) / math.log1p(n_cards)
        else:
            # A name of several words is specific, but one on most cards is a hub all the same.
            share = d.get("cards", 0) / n_cards
            spread = min(1.0, max(0.0, (share - HUB_SHARE / 2) / (HUB_SHARE / 2)))
        if decks_and_kinds is not None:
            n_decks, kinds = decks_and_kinds
        else:
            n_decks = len(_decks_of(G, node, card_decks)) if len(decks) > 2 else 0
            kinds = sum(1 for _, _, k in G.in_edges(node, keys=True) if k == "is_a")
        if len(decks) > 2:
            spread = max(spread, n_decks / len(decks))
        # A word of everyday English the deck only says in passing is as broad as a common one.
        name = 0.0 if len(words) != 1 else \
            1.0 if d.get("passing") and is_passing_word(words[0], d.get("label", "")) else generality(words[0])
        return round(max(name, SPREAD_WEIGHT * spread, min(kinds / BROAD_HEAD_KINDS, 1.0)), 4)

    return measure


def _decks_of(G: nx.MultiDiGraph, node: str, card_decks: dict[str, str]) -> set[str]:
    return {card_decks[card] for card, keyed in G._pred[node].items() if "mentions" in keyed}


def marked_cards(G: nx.MultiDiGraph) -> dict[str, int]:
    """{concept: how many cards mark it} (bold, cloze, a list label: kg.nlp.marks)."""
    return per_graph(G, "marked-cards", lambda: {
        n: marked_count(G, n) for n, kind in G.nodes(data="kind") if kind == "concept"})


def marked_count(G: nx.MultiDiGraph, node: str) -> int:
    """How many cards mark the concept `node`."""
    return sum(1 for keyed in G._pred[node].values() if keyed.get("mentions", {}).get("marked"))
