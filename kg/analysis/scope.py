"""A scope: some decks and tags of a collection, and the knowledge graph of only their cards.

A deck includes its subdecks (`MLOps::Monitoring` is inside `MLOps`), a tag its subtags
(`ml::nerf` is inside `ml`; tags ignore case, as in Anki). Several decks widen the scope, several tags too; decks and tags
together narrow it to the cards of those decks that carry one of those tags.

The scoped graph is the graph the cards in scope would build: the same nodes and attributes,
but each concept's card count, the co-occurrence links (NPMI over the cards in scope), importance
and communities worked out again for those cards only; the links the cards state (is_a,
part_of, related) are kept where their evidence is in scope (a related link's weight shrinks with
the share of its evidence left). Concepts keep the names, aliases and hierarchy the whole
collection gave them. It is kept per graph and scope, so
every page of one scope shares one (the pages it draws are kept with it, see `kg.web.pages`).
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass

import networkx as nx

from kg.analysis._cache import per_graph
from kg.errors import NotFound
from kg.cooccurrence import CoOccurrence, co_occurs_edge
from kg.graph import paused_gc
from kg.ids import deck_node
from kg.importance import communities_and_importance, concept_links
from kg.termhood import is_term_mention, passing_concepts, structured_concepts

#: Scoped graphs kept per loaded graph, and the cards they may hold together, as a multiple of
#: the whole graph's (each is about as big as its cards' share of the graph).
SCOPES_KEPT = 16
SCOPE_BUDGET = 2.0
SEP = "::"


@dataclass(frozen=True)
class Scope:
    """Decks and tags (each sorted, no repeats); empty: the whole collection."""

    decks: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @classmethod
    def of(cls, decks=(), tags=()) -> "Scope":
        clean = lambda names: tuple(sorted({str(n).strip() for n in names if str(n).strip()}))
        return cls(clean(decks), clean(tags))

    def __bool__(self) -> bool:
        return bool(self.decks or self.tags)

    def describe(self) -> str:
        """The scope in words, for headings ("decks A, B · tag t")."""
        parts = []
        if self.decks:
            parts.append(("deck " if len(self.decks) == 1 else "decks ") + ", ".join(self.decks))
        if self.tags:
            parts.append(("tag " if len(self.tags) == 1 else "tags ") + ", ".join(self.tags))
        return " · ".join(parts) or "all decks"


def _within(name: str, parents: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + SEP) for p in parents)


def _tagged(tags, wanted: tuple[str, ...]) -> bool:
    # Anki's tags ignore case ("NeRF" and "nerf" are one tag).
    wanted = tuple(t.casefold() for t in wanted)
    return any(_within(str(t).casefold(), wanted) for t in tags or ())


def deck_names(G: nx.MultiDiGraph) -> list[str]:
    """Every deck of the graph and every parent deck its name implies, sorted."""
    return list(per_graph(G, "scope-deck-names", lambda: tuple(sorted(_with_parents(
        d.get("label", n) for n, d in G.nodes(data=True) if d.get("kind") == "deck")))))


def tag_names(G: nx.MultiDiGraph) -> list[str]:
    """Every tag on a card (and every parent tag its name implies), sorted."""
    return list(per_graph(G, "scope-tag-names", lambda: tuple(sorted(_with_parents(
        t for _, d in G.nodes(data=True) if d.get("kind") == "card" for t in d.get("tags") or ())))))


def _with_parents(names) -> set[str]:
    found = set()
    for name in names:
        parts = str(name).split(SEP)
        found.update(SEP.join(parts[:i]) for i in range(1, len(parts) + 1))
    found.discard("")
    return found


def check_scope(G: nx.MultiDiGraph, scope: Scope) -> None:
    """Raise NotFound naming the first deck or tag the graph does not have."""
    for kind, asked, known in (("deck", scope.decks, deck_names(G)), ("tag", scope.tags, tag_names(G))):
        fold = (lambda x: x.casefold()) if kind == "tag" else (lambda x: x)
        missing = [name for name in asked if fold(name) not in {fold(k) for k in known}]
        if missing:
            some = ", ".join(known[:5]) + (", …" if len(known) > 5 else "")
            raise NotFound(f"no {kind} {missing[0]!r} in this workspace ({kind}s: {some or 'none'})")


def scope_cards(G: nx.MultiDiGraph, scope: Scope) -> list[str]:
    """The card nodes in scope, in graph order."""
    cards = []
    for deck, d in G.nodes(data=True):
        if d.get("kind") != "deck" or (scope.decks and not _within(d.get("label", ""), scope.decks)):
            continue
        for card, keyed in G._succ[deck].items():
            if "contains" not in keyed:
                continue
            if scope.tags and not _tagged(G.nodes[card].get("tags"), scope.tags):
                continue
            cards.append(card)
    return cards


def scoped_graph(G: nx.MultiDiGraph, scope: Scope) -> nx.MultiDiGraph:
    """The graph of the cards in `scope` (G itself for the empty scope); kept per graph and scope.

    Raises NotFound for a deck or tag the graph does not have. Treat the result as read-only.
    """
    if not scope:
        return G
    check_scope(G, scope)
    return per_graph(G, "scoped-graphs", lambda: _Kept(G)).get(scope, lambda: _scoped(G, scope))


class _Kept:
    """The most recently used scoped graphs of one graph: at most SCOPES_KEPT, and together at
    most SCOPE_BUDGET times the cards of the whole graph (a scope of most decks is nearly a copy
    of the graph, and a served graph can be a gigabyte)."""

    def __init__(self, G: nx.MultiDiGraph):
        self.budget = SCOPE_BUDGET * max(1, sum(1 for _, k in G.nodes(data="kind") if k == "card"))
        self.graphs: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self.pending: dict[Scope, threading.Lock] = {}

    def get(self, scope: Scope, compute) -> nx.MultiDiGraph:
        with self.lock:
            if scope in self.graphs:
                self.graphs.move_to_end(scope)
                return self.graphs[scope][0]
            pending = self.pending.setdefault(scope, threading.Lock())
        with pending:  # one thread builds a scope; the others asking for it wait for that one
            with self.lock:
                if scope in self.graphs:
                    return self.graphs[scope][0]
            H = compute()
            cards = sum(1 for _, k in H.nodes(data="kind") if k == "card")
            with self.lock:
                self.graphs[scope] = (H, cards)
                self.pending.pop(scope, None)
                while len(self.graphs) > 1 and (len(self.graphs) > SCOPES_KEPT or
                                                sum(c for _, c in self.graphs.values()) > self.budget):
                    self.graphs.popitem(last=False)
            return H


def _term_edge(mention: dict) -> bool:
    return is_term_mention([mention.get("count", 1), mention.get("in_question"), mention.get("in_answer"),
                            mention.get("marked", 0)])


def _scoped(G: nx.MultiDiGraph, scope: Scope) -> nx.MultiDiGraph:
    # Tens of thousands of small dicts at once: the cyclic collector would walk them repeatedly.
    with paused_gc():
        return _scoped_graph(G, scope)


def _scoped_graph(G: nx.MultiDiGraph, scope: Scope) -> nx.MultiDiGraph:
    cards = scope_cards(G, scope)
    in_scope = set(cards)
    H = nx.MultiDiGraph()
    H.graph.update(G.graph, scope={"decks": list(scope.decks), "tags": list(scope.tags)})
    deck_sizes = Counter(G.nodes[c].get("deck", "") for c in cards)
    H.add_nodes_from((deck_node(deck), dict(G.nodes[deck_node(deck)], cards=size))
                     for deck, size in deck_sizes.items() if deck_node(deck) in G)
    H.add_nodes_from((c, G.nodes[c]) for c in cards)
    for c in cards:
        deck = deck_node(G.nodes[c].get("deck", ""))
        if deck in H:
            H.add_edge(deck, c, key="contains", **G._succ[deck][c]["contains"])

    # Card -> concepts it names, as the full graph has them (curation and acronyms applied).
    card_concepts: dict[str, list[str]] = {}
    df: Counter = Counter()
    for c in cards:
        found = [v for v, keyed in G._succ[c].items() if "mentions" in keyed]
        card_concepts[c.removeprefix("card:")] = found
        df.update(found)
    H.add_nodes_from((v, dict(G.nodes[v], cards=n, community=-1, importance=0.0)) for v, n in df.items())
    H.add_edges_from((c, v, "mentions", G._succ[c][v]["mentions"])
                     for c in cards for v in card_concepts[c.removeprefix("card:")])

    co = CoOccurrence(card_concepts, df, n_cards=max(len(cards), 1))
    co_occurs = co.kept()
    H.add_edges_from((a, b, "co_occurs", co_occurs_edge(stats, evidence))
                     for ((a, b), stats), evidence in zip(co_occurs.items(), co.evidence(co_occurs)))

    hierarchy: dict[tuple[str, str, str], str] = {}
    relations: dict[tuple[str, str], tuple[Counter, list[str]]] = {}
    scoped_ids = {c.removeprefix("card:") for c in in_scope}
    for u in df:
        for v, keyed in G._succ[u].items():
            if v not in df or v == u:
                continue
            for kind in ("is_a", "part_of", "related"):
                data = keyed.get(kind)
                if data is None:
                    continue
                evidence = [e for e in data.get("evidence") or () if e in scoped_ids]
                if kind == "related":
                    if not evidence:
                        continue  # stated only on cards out of scope
                    weight = max(1, round(data.get("weight", 1) * len(evidence) / max(len(data.get("evidence") or ()), 1)))
                    relations[u, v] = (Counter({data.get("verb") or "relates to": weight}), evidence)
                    H.add_edge(u, v, key=kind, **dict(data, weight=weight, evidence=evidence))
                else:
                    hierarchy[u, v, kind] = data.get("origin", "term")
                    H.add_edge(u, v, key=kind, **dict(data, evidence=evidence))

    # How the scope's cards treat each concept (kg.termhood), as a build of them would.
    terms = Counter(v for c in cards for v in card_concepts[c.removeprefix("card:")]
                    if _term_edge(G._succ[c][v]["mentions"]))
    passing = passing_concepts(df, terms, structured_concepts(hierarchy))
    for node in df:
        H.nodes[node]["term_cards"], H.nodes[node]["passing"] = terms.get(node, 0), node in passing
    ranks = communities_and_importance(df, concept_links(co_occurs, hierarchy, relations, df), keys={
        node: (H.nodes[node].get("key", ""), H.nodes[node].get("label", ""), node in passing) for node in df})
    for node, (community, importance) in ranks.items():
        H.nodes[node]["community"] = community
        H.nodes[node]["importance"] = importance
    return H
