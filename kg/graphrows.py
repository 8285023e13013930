"""A built graph as the rows the workspace stores, without every card held in networkx.

The cards' nodes, the decks' `contains` edges and the cards' `mentions` edges are two thirds
of a big deck's edges and most of the memory its graph holds, yet nothing in a build reads
them: links, hierarchy, termhood, communities and importance are made from the concepts and
the per-card counts. Nor does anything read the `co_occurs` links back from the graph: their
statistics are the `GraphState`'s `co_occurs` and their evidence a table of card numbers. So a
full build holds the graph of the decks, the concepts and the hierarchy and relation links
between them, and makes each card's rows, and each concept's `co_occurs` links, only as
`kg.workspace.write_workspace` writes them.

The rows are the ones networkx's graph of the same build gives, in its order (decks, cards,
concepts; a node's out-edges in the order they were added): the workspace's `nodes` and
`adjacency` tables are the same, row for row and byte for byte. Everything that reads a graph
(tests, notebooks, kg.update, scopes) keeps `kg.graph.build_graph`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice

import networkx as nx

from kg.cardcounts import CardCounts
from kg.cards import Card
from kg.cooccurrence import KeptLinks, co_occurs_edge
from kg.extraction import CardExtraction
from kg.graph import CONTAINS, LocalCounting, _build_graph, card_attrs, mention_edge, paused_gc
from kg.graphstate import GraphState
from kg.ids import card_node, deck_node

__all__ = ["GraphRows", "build_graph_rows"]


def build_graph_rows(cards: Iterable[Card],
                     extractions: Iterable[CardExtraction] | Mapping[str, CardExtraction], *,
                     curation=None, counting=None) -> tuple["GraphRows", GraphState]:
    """`kg.graph.build_graph_and_state` for writing a workspace: the same rows, with the cards
    kept out of the graph.

    >>> from kg.cards import Card
    >>> from kg.extraction import CardExtraction, Mention
    >>> card = Card(id="c1", deck="Ops", question="What is data drift?", answer="A kind of drift.")
    >>> ext = CardExtraction("c1", [Mention("data drift", "data drift", "question", 8, 18),
    ...                             Mention("drift", "drift", "answer", 10, 15)])
    >>> rows, _ = build_graph_rows([card], [ext])
    >>> list(rows.graph), rows.number_of_edges()
    (['deck:ops', 'concept:data-drift', 'concept:drift'], 4)
    >>> [node for node, _ in rows.nodes()]
    ['deck:ops', 'card:c1', 'concept:data-drift', 'concept:drift']
    """
    # A Sequence is kept as it is (one that makes each card as it is asked for stays small).
    cards = cards if isinstance(cards, Sequence) else list(cards)
    with paused_gc():
        concepts, state, card_mentions, evidence = _build_graph(cards, extractions, curation,
                                                                counting or LocalCounting(), whole=False)
    return GraphRows(concepts, cards, card_mentions, state.co_occurs, evidence), state


class GraphRows:
    """The node and adjacency rows of a graph whose cards and `co_occurs` links are not held in it.

    `graph` holds the deck nodes (first) and the concepts with their other links; `cards` are
    the build's cards in order; `card_mentions` maps a card id to {node: (count, in_question,
    in_answer, marked)} in card order, the counts `kg.graph.mention_edge` turns into edges;
    `co_occurs` maps each `co_occurs` link (u, v) to (shared, npmi, weight) in the order the
    whole graph adds them (each u's links one after another), and `evidence[i]` is the i-th
    link's cards.
    """

    def __init__(self, graph: nx.MultiDiGraph, cards: list[Card], card_mentions: dict[str, CardCounts],
                 co_occurs: dict[tuple[str, str], tuple[int, float, float]] | None = None,
                 evidence: Sequence[list[str]] = ()):
        self.graph = graph
        self.cards = cards
        self.card_mentions = card_mentions
        self.co_occurs = co_occurs or {}
        self.evidence = evidence
        # Two deck names may make one node ("ML Ops", "ml-ops"): the held nodes say how many.
        self.decks = sum(1 for _, kind in graph.nodes(data="kind") if kind == "deck")

    def number_of_nodes(self) -> int:
        return self.graph.number_of_nodes() + len(self._card_index())

    def number_of_edges(self) -> int:
        # networkx counts edges through its degree views, slower than this on a million edges.
        links = sum(len(keyed) for out in self.graph._succ.values() for keyed in out.values())
        contains = sum(len(ids) for ids in self._cards_by_deck().values())
        mentions = sum(len(found) for found in self.card_mentions.values())
        return links + len(self.co_occurs) + contains + mentions

    def nodes(self) -> Iterator[tuple[str, dict]]:
        """(node, attributes) in the order of the whole graph: decks, cards, concepts."""
        held = iter(self.graph.nodes(data=True))
        yield from islice(held, self.decks)
        cards = self.cards
        for cid, i in self._card_index().items():
            yield card_node(cid), card_attrs(cards[i])
        yield from held

    def adjacency(self) -> Iterator[tuple[str, dict]]:
        """(node, {v: {kind: attributes}}) of every node with out-edges, in node order."""
        in_deck = self._cards_by_deck()
        held = iter(self.graph._succ.items())
        for deck, _ in islice(held, self.decks):  # a deck's only out-edges are to its cards
            yield deck, {card_node(cid): {"contains": CONTAINS} for cid in in_deck.pop(deck)}
        for cid, found in self.card_mentions.items():
            if found:
                yield card_node(cid), {node: mention_edge(entry) for node, entry in found.items()}
        # Read link by link: a million cards keep millions of links, too many to copy as tuples.
        links = self.co_occurs
        at = links.at if isinstance(links, KeptLinks) else list(links.items()).__getitem__
        ranges = _runs(u for u, _ in links)
        for node, out in held:
            run = ranges.get(node)
            if run is not None:
                # Its `co_occurs` links first (the whole graph adds them first), then the held
                # links; a target's other keys after its `co_occurs`.
                co = {}
                for i in range(*run):
                    (_, v), stats = at(i)
                    co[v] = {"co_occurs": co_occurs_edge(stats, self.evidence[i])}
                for v, keyed in out.items():
                    co[v] = {**co[v], **keyed} if v in co else keyed
                out = co
            if out:
                yield node, out

    # A card id read twice is one node, where it first came, with the last card's attributes,
    # and in each deck it came in: what networkx makes of it (bench/synthetic.py's copies can
    # repeat an id; the readers never do).

    def _card_index(self) -> dict[str, int]:
        """card id -> the position of its last card, in the order ids first come (the cards
        themselves are not copied: `cards` may make each one as it is asked for)."""
        index: dict[str, int] = {}
        for i, card in enumerate(self.cards):
            index[card.id] = i
        return index

    def _cards_by_deck(self) -> dict[str, dict[str, None]]:
        """deck node -> its card ids in card order."""
        in_deck: dict[str, dict[str, None]] = {}
        node_of: dict[str, str] = {}
        for card in self.cards:
            deck = node_of.get(card.deck)
            if deck is None:
                deck = node_of[card.deck] = deck_node(card.deck)
            in_deck.setdefault(deck, {})[card.id] = None
        return in_deck


def _runs(keys: Iterable[str]) -> dict[str, tuple[int, int]]:
    """key -> (first position, after the last) of each run of equal keys: `kept()` gives the
    links in pair order, so each concept's links as the first end come one after another."""
    runs: dict[str, tuple[int, int]] = {}
    first, current, i = 0, None, -1
    for i, key in enumerate(keys):
        if key != current:
            if current is not None:
                runs[current] = (first, i)
            first, current = i, key
    if current is not None:
        runs[current] = (first, i + 1)
    return runs
