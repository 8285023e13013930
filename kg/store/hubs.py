"""Hubs: the concepts whose page would read too many rows, ranked once at load time.

A concept on thousands of cards (itself or through its kinds) or linked to thousands of
concepts is a hub: working its page out from its rows would read them all, though the page
lists only the best few. At load time each hub gets its rankings on the whole graph (its best
`CARDS_KEPT` cards, its strongest `LINKS_KEPT` links in both orders a page ranks them, and the
totals), so its page reads a bounded number of rows (`kg.store.sql`), and answers the same
(`kg.analysis.detail.KEPT_RANKINGS` carries what a part of the graph cannot tell).
"""

from __future__ import annotations

import heapq

import networkx as nx
import numpy as np

from kg.analysis._cache import per_graph
from kg.analysis.detail import _best_cards, neighbours
from kg.analysis.subgraphs import _link_strengths
from kg.store.workspace_graph import WorkspaceGraph

#: Rows a concept's page may read (its edges, and those of its kinds) before it is a hub.
HUB_ROWS = 1000
#: Best cards kept per hub: a page lists at most this many from them (kg.web.explore.CARDS_LISTED
#: is 50); a question for more reads every row.
CARDS_KEPT = 100
#: Strongest links kept per hub, in each order: at least the concepts a neighbourhood draws
#: (kg.web.explore.NEIGHBOUR_NODES), so that its rings are picked from them alone.
LINKS_KEPT = 150


def _kinds(G: nx.MultiDiGraph, node: str) -> set[str]:
    """The concept and its kinds (is_a children, transitively)."""
    if isinstance(G, WorkspaceGraph):
        # From the arrays of the graph's links: reading a parent's in-links from the file
        # decodes every card that mentions it to find its few kinds.
        t = G.link_tallies()
        children, starts = per_graph(G, "is_a-children", lambda: _children_arrays(t))
        found = _closure(t.index[node], lambda p: children[starts[p]:starts[p + 1]].tolist())
        return {t.ids[i] for i in found}
    return _closure(node, lambda p: [c for c, keyed in G._pred[p].items() if "is_a" in keyed])


def _closure(start, children) -> set:
    seen, frontier = {start}, [start]
    while frontier:
        frontier = [c for p in frontier for c in children(p) if c not in seen]
        seen.update(frontier)
    return seen


def _children_arrays(t) -> tuple:
    is_a = np.flatnonzero(t.link_is_a)
    children = is_a[np.argsort(t.link_v[is_a], kind="stable")]
    return t.link_u[children], np.searchsorted(t.link_v[children], np.arange(len(t.index) + 1))


def is_hub(G: nx.MultiDiGraph, node: str, *, rows: int = HUB_ROWS) -> bool:
    """Whether the page of `node` would read more than `rows` rows."""
    ins, outs, has_kinds = _links_of(G, node)
    if ins + outs > rows:
        return True
    if not has_kinds:
        return False
    return sum(sum(_links_of(G, n)[:2]) for n in _kinds(G, node)) > rows


def _links_of(G: nx.MultiDiGraph, node: str) -> tuple[int, int, bool]:
    """(links in, links out, whether an is_a link comes in) of `node`."""
    if isinstance(G, WorkspaceGraph):
        return G.links_of(node)
    return len(G._pred[node]), len(G._succ[node]), any("is_a" in keyed for keyed in G._pred[node].values())


def hub_rows(G: nx.MultiDiGraph, *, rows: int = HUB_ROWS):
    """The rows of `hubs`, `hub_cards` and `hub_links` (three lists) of every hub of `G`."""
    hubs, cards, links = [], [], []
    for node, kind in G.nodes(data="kind"):
        if kind != "concept" or not is_hub(G, node, rows=rows):
            continue
        best = _best_cards(G, node, include_children=True)
        ranked = heapq.nsmallest(CARDS_KEPT, best.items(), key=lambda item: (-item[1][0], item[0]))
        cards.extend((node, pos, card, score, via) for pos, (card, (score, via)) in enumerate(ranked))
        linked = neighbours(G, node)
        strength = _link_strengths(G, node)
        kept = [n["id"] for n in linked[:LINKS_KEPT]]
        kept += heapq.nsmallest(LINKS_KEPT, strength, key=lambda v: (-strength[v], v))
        links.extend((node, pos, other) for pos, other in enumerate(dict.fromkeys(kept)))
        hubs.append((node, len(best), len(linked)))
    return hubs, cards, links
