"""The concepts of a graph as a simple undirected graph: one edge per linked pair of concepts.

`link_strength` puts every kind of link (co-occurrence, is_a, part_of, related) on one scale, so
paths, communities, importance and the drawn views weigh them alike.
"""

from __future__ import annotations

import weakref

import networkx as nx


def link_strength(kind: str, data: dict) -> float:
    """How strongly one edge links two concepts, on one scale (0, 1] for every kind."""
    if kind == "co_occurs":
        return data.get("weight", 0.0)
    # Hierarchy and stated relations are certain links: at least as strong as a typical
    # co-occurrence, so paths and communities respect them.
    return max(0.5, min(1.0, float(data.get("weight", 1.0))))


#: The links that make two concepts neighbours in the concept graph.
CONCEPT_GRAPH_KINDS = ("co_occurs", "is_a", "part_of", "related")


def concept_graph(G: nx.MultiDiGraph, *, kinds=CONCEPT_GRAPH_KINDS,
                  nodes=None) -> nx.Graph:
    """The concepts of `G` (or only `nodes`) as a simple undirected graph, one edge per linked pair.

    Each edge keeps the strongest `weight` among its kinds, `kinds` (sorted list) and the
    co-occurrence `shared` count; nodes keep their attributes. With `nodes`, the cost grows with
    the links of those nodes, not with the size of the graph.
    """
    if nodes is None:
        chosen = sorted(n for n, kind in G.nodes(data="kind") if kind == "concept")
        # Every edge between two concepts is met from its source: successors suffice.
        directions = (G._succ,)
    else:
        chosen = sorted(n for n in nodes if n in G)
        directions = (G._succ, G._pred)
    # Sorted: the order of nodes seeds layouts, so a view looks the same after a restart.
    wanted = set(chosen)
    kinds = set(kinds)
    H = nx.Graph()
    H.add_nodes_from((n, G.nodes[n]) for n in chosen)
    merged: dict[tuple[str, str], list] = {}
    for u in chosen:
        for direction in directions:
            adjacency = direction[u]
            # A hub's neighbours are many: look up the chosen few instead of walking them all
            # (in sorted order: edge order breaks ties in spanning trees and layouts).
            if len(adjacency) > len(wanted):
                pairs = ((v, adjacency[v]) for v in chosen if v in adjacency)
            else:
                pairs = ((v, keyed) for v, keyed in adjacency.items() if v in wanted)
            for v, keyed in pairs:
                if v == u:
                    continue
                pair = (u, v) if u < v else (v, u)
                for k, d in keyed.items():
                    if k not in kinds:
                        continue
                    weight = link_strength(k, d)
                    e = merged.get(pair)
                    if e is None:
                        merged[pair] = [weight, {k}, d.get("shared", 0)]
                    else:
                        e[0] = max(e[0], weight)
                        e[1].add(k)
                        e[2] = max(e[2], d.get("shared", 0))
    H.add_edges_from((u, v, {"weight": w, "kinds": sorted(ks), "shared": s})
                     for (u, v), (w, ks, s) in merged.items())
    return H


_CONCEPT_GRAPHS: "weakref.WeakKeyDictionary[nx.MultiDiGraph, tuple]" = weakref.WeakKeyDictionary()


def concept_degrees(G: nx.MultiDiGraph, *, kinds=CONCEPT_GRAPH_KINDS) -> dict[str, int]:
    """{concept: its degree in `concept_graph(G)`}, in that graph's order, counted from the
    adjacency: a load needs the degrees of every concept, not a copy of them all as a graph."""
    chosen = sorted(n for n, kind in G.nodes(data="kind") if kind == "concept")
    wanted, kinds = set(chosen), set(kinds)
    return {u: concept_degree(G, u, wanted, kinds) for u in chosen}


def concept_degree(G: nx.MultiDiGraph, u: str, wanted: set[str], kinds: set[str]) -> int:
    """The degree of concept `u` in `concept_graph(G)`: the concepts of `wanted` it is linked
    to by an edge of one of `kinds`, either way."""
    return len({v for direction in (G._succ, G._pred) for v, keyed in direction[u].items()
                if v != u and v in wanted and not kinds.isdisjoint(keyed)})


def shared_concept_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """`concept_graph(G)` built once per graph and frozen: for analyses that only read it.

    Rebuilt when G's size changes, the cheap sign that someone edited it in between.
    """
    stamp = (G.number_of_nodes(), G.number_of_edges())
    cached = _CONCEPT_GRAPHS.get(G)
    if cached is None or cached[0] != stamp:
        cached = _CONCEPT_GRAPHS[G] = (stamp, nx.freeze(concept_graph(G)))
    return cached[1]
