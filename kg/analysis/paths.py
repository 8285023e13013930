"""Why two concepts are related: the chain of strong links between them."""

from __future__ import annotations

import math

import networkx as nx

from kg.analysis._broad import BROAD, broadness_measure, marked_count
from kg.analysis._nodes import brief, card_concepts, concept_node
from kg.analysis._cache import per_graph
from kg.conceptgraph import CONCEPT_GRAPH_KINDS, concept_degree, shared_concept_graph

HOP_CARDS = 3
# Stated links explain better than co-occurrence when both join the same pair.
KIND_PREFERENCE = ("related", "is_a", "part_of", "co_occurs")


# How much each hop pays for entering a well-connected concept: a hub ("MLOps", or a generic
# head like "pipeline" with dozens of kinds) links everything, so explains nothing.
HUB_PENALTY = 0.3
# A broad concept (kg.analysis._broad: a word of general English, or one spread over the deck)
# pays up to this much more as a hop; one as broad as BROAD is no hop at all while a path
# through specific concepts exists.
GENERIC_PENALTY = 2.0
# Evidence makes a link cheaper: a stated relation or hierarchy link, both ends marked by the
# author, or several cards naming both. A link seen on one card only pays ONE_CARD_PENALTY.
TYPED_DISCOUNT = 0.6
MARKED_DISCOUNT = 0.8
ONE_CARD_PENALTY = 1.0
_TYPED = frozenset({"related", "is_a", "part_of"})


def node_costs(G: nx.MultiDiGraph) -> dict[str, tuple[int, float, int]]:
    """{concept: (its degree in the concept graph, how broad it is, cards that mark it)}: what a
    path pays to pass through it. A store keeps these, to find paths in part of the graph."""
    degrees, broad, marked = per_graph(G, "concept-costs", lambda: _concept_costs(G))
    return {n: (degree, broad.get(n, 0.0), marked.get(n, 0)) for n, degree in degrees.items()}


def _concept_costs(G: nx.MultiDiGraph) -> tuple[dict, dict, dict]:
    """Each concept's degree, broadness and marking cards, worked out in one pass over the
    concepts (each concept's links are read once: a load reads them from the workspace's file),
    and kept as `concept_degrees`, `broadness` and `marked_cards` keep them."""
    if hasattr(G, "link_tallies"):
        degrees, broad, marked = _counted_costs(G)
        return (per_graph(G, "concept-degrees", lambda: degrees), per_graph(G, "broadness", lambda: broad),
                per_graph(G, "marked-cards", lambda: marked))
    measure = broadness_measure(G)
    concepts = [n for n, kind in G.nodes(data="kind") if kind == "concept"]
    wanted, kinds = set(concepts), set(CONCEPT_GRAPH_KINDS)
    degrees, broad, marked = {}, {}, {}
    for n in concepts:
        degrees[n] = concept_degree(G, n, wanted, kinds)
        broad[n] = measure(n)
        marked[n] = marked_count(G, n)
    degrees = {n: degrees[n] for n in sorted(degrees)}  # concept_degrees' order
    return (per_graph(G, "concept-degrees", lambda: degrees), per_graph(G, "broadness", lambda: broad),
            per_graph(G, "marked-cards", lambda: marked))


def _counted_costs(G: nx.MultiDiGraph) -> tuple[dict, dict, dict]:
    """`_concept_costs` of a graph read from its workspace (kg.store.workspace_graph), from the
    links' counts of one pass over them and the nodes' attributes of another."""
    tallies = G.link_tallies()
    measure = broadness_measure(G, counted=True)
    degrees, broad, marked = {}, {}, {}
    for n, d in G.nodes_but_cards():
        if d.get("kind") != "concept":
            continue
        i = tallies.index[n]
        degrees[n] = int(tallies.degree[i])
        broad[n] = measure(n, d, (int(tallies.decks[i]), int(tallies.kinds_in[i])))
        marked[n] = int(tallies.marked[i])
    return {n: degrees[n] for n in sorted(degrees)}, broad, marked


def _cost_function(G: nx.MultiDiGraph, H: nx.Graph, source: str, target: str, *, bridges: bool, costs=None):
    if costs is None:
        costs = node_costs(G)
    broad = {n: c[1] for n, c in costs.items()}
    marked = {n: c[2] for n, c in costs.items()}
    penalty = {}
    for n, degree in H.degree():
        degree = costs[n][0] if n in costs else degree
        penalty[n] = HUB_PENALTY * math.log(1 + degree)
        if n not in (source, target):  # the ends were asked for: only the hops between are chosen
            penalty[n] += GENERIC_PENALTY * broad.get(n, 0.0)

    def cost(u, v, e) -> float | None:
        if not bridges and any(x not in (source, target) and broad.get(x, 0.0) >= BROAD for x in (u, v)):
            return None  # networkx: no such edge
        # -log keeps strong links almost free; the +1 makes fewer hops better.
        base = 1.0 - math.log(max(e["weight"], 1e-6))
        if _TYPED.intersection(e.get("kinds", ())):
            base *= TYPED_DISCOUNT
        elif e.get("shared", 0) <= 1:
            base += ONE_CARD_PENALTY
        if marked.get(u) and marked.get(v):
            base *= MARKED_DISCOUNT
        return base + (penalty[u] + penalty[v]) / 2

    return cost


def explain_path(G: nx.MultiDiGraph, source: str, target: str, *, costs=None) -> dict:
    """The chain of strongest links from one concept to another, with the cards that show each.

    Returns `{"source", "target", "connected", "hops"}`; each hop is `{"from", "to", "from_label",
    "to_label", "kind", "verb", "direction", "cards"}`. `kind` is as stored; `direction` is
    "backward" when the hop walks an is_a / part_of / related edge against its direction (so
    "cache" to "memory cache" walks "memory cache is_a cache" backward; `"reverse": True` says
    the same), "forward" otherwise, co-occurrence having no direction. Generic one-word concepts
    common in the deck make costly hops, and broad
    ones (kg.analysis._broad) are no hop at all unless nothing else joins the two; stated
    relations, author-marked ends and links seen on several cards are preferred. Not connected
    gives `hops: []` and `connected: False`. Raises NotFound for an unknown id. `costs` (see
    `node_costs`) replaces what each concept costs to pass through, when G is only part of the graph.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> for n in "abc": G.add_node(f"concept:{n}", kind="concept", label=n)
    >>> _ = G.add_edge("concept:a", "concept:b", key="is_a", kind="is_a", weight=1.0, evidence=[])
    >>> [(h["to"], h["direction"]) for h in explain_path(G, "concept:a", "concept:b")["hops"]]
    [('concept:b', 'forward')]
    >>> explain_path(G, "concept:b", "concept:a")["hops"][0]["direction"]
    'backward'
    >>> explain_path(G, "concept:a", "concept:c")["connected"]
    False
    """
    s, t = concept_node(G, source), concept_node(G, target)
    result = {"source": brief(G, s), "target": brief(G, t), "connected": False, "hops": []}
    nodes = cheapest_chain(G, s, t, costs=costs)
    if nodes is None:
        return result
    result["connected"] = True
    result["hops"] = describe_chain(G, nodes)
    return result


def cheapest_chain(G: nx.MultiDiGraph, s: str, t: str, *, costs=None) -> list[str] | None:
    """The concepts on the cheapest chain from `s` to `t` (both ends included), None if none."""
    H = shared_concept_graph(G)
    if costs is None:
        costs = node_costs(G)
    try:
        try:
            return nx.dijkstra_path(H, s, t, weight=_cost_function(G, H, s, t, bridges=False, costs=costs))
        except nx.NetworkXNoPath:  # only broad concepts join them: better that than no path
            return nx.dijkstra_path(H, s, t, weight=_cost_function(G, H, s, t, bridges=True, costs=costs))
    except nx.NetworkXNoPath:
        return None


def describe_chain(G: nx.MultiDiGraph, nodes: list[str]) -> list[dict]:
    """The hops of a chain of concepts, each with its kind and the cards that show it."""
    return [_hop(G, u, v) for u, v in zip(nodes, nodes[1:])]


def _hop(G, u: str, v: str) -> dict:
    edges = []
    for a, b in ((u, v), (v, u)):
        if G.has_edge(a, b):
            edges.extend((k, d, a != u) for k, d in G[a][b].items())
    edges.sort(key=lambda e: KIND_PREFERENCE.index(e[0]) if e[0] in KIND_PREFERENCE else 99)
    kind, data, reverse = edges[0]
    hop = {"from": u, "to": v, "from_label": G.nodes[u].get("label", u),
           "to_label": G.nodes[v].get("label", v), "kind": kind, "verb": data.get("verb", ""),
           "cards": _hop_cards(G, u, v, edges)}
    backward = reverse and kind != "co_occurs"
    hop["direction"] = "backward" if backward else "forward"
    if backward:
        hop["reverse"] = True
    return hop


def _hop_cards(G, u: str, v: str, edges) -> list[dict]:
    ids = []
    for _, data, _ in edges:
        for c in data.get("evidence", []):
            node = c if c.startswith("card:") else f"card:{c}"
            if node in G and node not in ids:
                ids.append(node)

    def both(card):  # cards naming both ends explain the hop best
        named = card_concepts(G, card)
        return -(u in named) - (v in named)

    ids.sort(key=both)
    return [{"id": c, "question": G.nodes[c].get("question", "")} for c in ids[:HOP_CARDS]]
