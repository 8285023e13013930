"""One interface for every store: the questions asked of a built graph, answered the same way.

A backend hands out graphs: for each question, a `networkx.MultiDiGraph` holding what the
analysis of that question reads (the SQLite store hands out its whole graph; the PostgreSQL
store reads only the rows the question touches, with the deck-wide figures the analysis needs
kept on the graph, see `kg.analysis._cache`). The answers are then worked out here, by the same
functions of `kg.analysis` and `kg.search` for every backend, so two backends holding the same
build give the same answers.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter

import networkx as nx

from kg.analysis import concept_cards, concept_detail, neighbours, related_cards
from kg.analysis.paths import describe_chain, explain_path
from kg.analysis.subgraphs import overview
from kg.errors import NotFound

#: Neighbours a concept graph carries the evidence cards of, unless told otherwise.
EVIDENCE_NEIGHBOURS = 50
#: Concepts a neighbourhood is read for (kg.web.explore.NEIGHBOUR_NODES).
NEIGHBOUR_NODES = 150


def concept_id(text: str) -> str:
    return text if text.startswith("concept:") else f"concept:{text}"


def card_id(text: str) -> str:
    return text if text.startswith("card:") else f"card:{text}"


class GraphStore(ABC):
    """A built graph, read through the questions the CLI and the web ask of it."""

    #: Where the graph lives, safe to show (no password).
    location: str

    # -- what a backend provides -----------------------------------------------------------

    @property
    @abstractmethod
    def generation(self) -> str:
        """A token that changes whenever a build replaces the graph (caches key on it)."""

    @abstractmethod
    def meta(self) -> dict[str, str]:
        """The build's metadata (`model`, `built_at`, ...)."""

    @abstractmethod
    def counts(self) -> dict[str, dict[str, int]]:
        """`{"nodes": {kind: n}, "edges": {kind: n}}`."""

    @abstractmethod
    def concepts_by_cards(self, top: int) -> list[dict]:
        """The attributes of the `top` concepts on most cards, a general word counting for fewer
        (`kg.nlp.generic.rank_order`)."""

    @abstractmethod
    def concept_graph(self, node: str, *, depth: int = 1, evidence_neighbours: int | None = EVIDENCE_NEIGHBOURS,
                      max_nodes: int = NEIGHBOUR_NODES, cards: int | None = None,
                      links: int | None = None, kinds: int | None = None) -> nx.MultiDiGraph:
        """What a concept's page reads: the concept, its links, its kinds and their cards, the
        evidence cards of its `evidence_neighbours` strongest links (0: none), and the concepts
        within `depth` links (at most `max_nodes`, see `neighbourhood`); enough for a page
        listing its best `cards` cards, `links` neighbours and `kinds` kinds and parts (None:
        all). NotFound for no such concept."""

    @abstractmethod
    def card_graph(self, node: str, *, related: int = 60) -> nx.MultiDiGraph:
        """What a card's page reads: the card, its concepts, and (at least) the `related` cards
        most related to it. NotFound for no such card."""

    @abstractmethod
    def overview_graph(self, *, top: int, deck: str | None = None) -> nx.MultiDiGraph:
        """What the overview reads: the `top` most important concepts (of `deck`) and their
        links, with the communities, gaps, decks and counts of the whole graph."""

    @abstractmethod
    def path_graph(self, source: str, target: str) -> tuple[nx.MultiDiGraph, dict | None]:
        """The concepts a path from `source` to `target` may cross, and what each costs to
        cross (see `kg.analysis.paths.node_costs`; None: work it out from the graph)."""

    @abstractmethod
    def chain_graph(self, nodes: list[str]) -> nx.MultiDiGraph:
        """What describing a chain of concepts reads: their links and the cards behind them."""

    @abstractmethod
    def search_index(self):
        """A `kg.search.SearchIndex` over the whole graph."""

    @abstractmethod
    def has_concept(self, node: str) -> bool:
        """Whether the concept `node` is in the graph."""

    @abstractmethod
    def nodes(self, ids) -> dict[str, dict]:
        """The attributes of the nodes `ids` (those that exist)."""

    def fill_cards(self, G: nx.MultiDiGraph, items: list[dict], fields=("question", "answer", "deck")) -> None:
        """Give card results worked out on a partial graph the text the graph did not carry."""

    def close(self) -> None:
        """Let go of connections and files."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- the questions ---------------------------------------------------------------------

    def stats(self) -> dict:
        """Counts of nodes and edges by kind, and the model the graph was built with."""
        counts = self.counts()
        return {"workspace": self.location, "nodes": counts["nodes"], "edges": counts["edges"],
                "model": self.meta().get("model", "")}

    def concept(self, concept: str, *, card_limit: int | None = None, neighbour_limit: int | None = None,
                kinds_limit: int | None = None) -> dict:
        """`kg.analysis.concept_detail` of one concept."""
        node = concept_id(concept)
        G = self.concept_graph(node, evidence_neighbours=0, cards=card_limit, links=neighbour_limit, kinds=kinds_limit)
        detail = concept_detail(G, node, card_limit=card_limit, neighbour_limit=neighbour_limit,
                                kinds_limit=kinds_limit)
        self.fill_cards(G, detail["card_list"])
        return detail

    def neighbours(self, concept: str, *, limit: int | None = None) -> list[dict]:
        """Concepts linked to one concept, strongest first (`kg.analysis.neighbours`)."""
        node = concept_id(concept)
        return neighbours(self.concept_graph(node, evidence_neighbours=0, cards=0, links=limit), node, limit=limit)

    def concept_cards(self, concept: str, *, limit: int | None = None) -> list[dict]:
        """Cards about a concept, best first (`kg.analysis.concept_cards`)."""
        node = concept_id(concept)
        G = self.concept_graph(node, evidence_neighbours=0, cards=limit, links=0)
        found = concept_cards(G, node, limit=limit)
        self.fill_cards(G, found)
        return found

    def card(self, card: str) -> dict:
        """The attributes of one card; NotFound for no such card."""
        node = card_id(card)
        G = self.card_graph(node)
        return dict(G.nodes[node], id=node)

    def related(self, card: str, *, limit: int = 10) -> list[dict]:
        """Cards sharing the most specific concepts with one card (`kg.analysis.related_cards`)."""
        node = card_id(card)
        G = self.card_graph(node, related=limit + 50)
        found = related_cards(G, node, limit=limit)
        self.fill_cards(G, found, ("question", "deck"))
        return found

    def search(self, query: str, *, limit: int = 20) -> dict:
        """Concepts and cards for a query (`kg.search.search`)."""
        return self.search_index().search(query, limit=limit)

    def suggest(self, prefix: str, *, limit: int = 10) -> list[dict]:
        """Concepts completing `prefix` (`kg.search.suggest`)."""
        return self.search_index().suggest(prefix, limit=limit)

    def resolve(self, text: str) -> str:
        """The concept a person meant by `text`: an id, a label, an alias or a near miss."""
        node = concept_id(text)
        if self.has_concept(node):
            return node
        found = self.suggest(text, limit=1)
        if not found:
            raise NotFound(f"no concept matches {text!r}; try `kg concepts`")
        return found[0]["id"]

    def path(self, source: str, target: str) -> dict:
        """`kg.analysis.explain_path` between two concepts (ids)."""
        s, t = concept_id(source), concept_id(target)
        G, costs = self.path_graph(s, t)
        result = explain_path(G, s, t, costs=costs)
        if result["hops"]:
            chain = [s] + [hop["to"] for hop in result["hops"]]
            result["hops"] = describe_chain(self.chain_graph(chain), chain)
        return result

    def overview(self, *, top: int = 100, deck: str | None = None) -> nx.Graph:
        """`kg.analysis.overview`: the most important concepts and the backbone of their links."""
        return overview(self.overview_graph(top=top, deck=deck), top=top, deck=deck)


def kind_counts(G: nx.MultiDiGraph) -> dict[str, dict[str, int]]:
    """`GraphStore.counts` of a whole in-memory graph."""
    return {"nodes": dict(Counter(kind for _, kind in G.nodes(data="kind"))),
            "edges": dict(Counter(k for _, _, k in G.edges(keys=True)))}
