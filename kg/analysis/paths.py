"""Why two concepts are related: the chain of strong links between them."""

from __future__ import annotations

import math

import networkx as nx

from kg.analysis._nodes import brief, card_concepts, concept_node
from kg.graph import shared_concept_graph
from kg.search import search_index

HOP_CARDS = 3
# Stated links explain better than co-occurrence when both join the same pair.
KIND_PREFERENCE = ("related", "is_a", "part_of", "co_occurs")


# How much each hop pays for entering a well-connected concept: a hub ("MLOps", or a generic
# head like "pipeline" with dozens of kinds) links everything, so explains nothing.
HUB_PENALTY = 0.3
# A one-word concept that is common in the deck ("patterns", "network", "server") or the head
# of many kinds ("al" of "et al") is a generic hop: it pays up to this much more.
GENERIC_PENALTY = 2.0
# A one-word head with this many kinds is fully generic.
GENERIC_HEAD_KINDS = 8


def _generic(G: nx.MultiDiGraph, node: str, index) -> float:
    """How generic a concept is, in [0, 1]: 0 for a multi-word term, else the larger of how common
    its word is in the card text (log document frequency over log deck size) and how many kinds
    it heads."""
    d = G.nodes[node]
    words = d.get("key", node).split()
    if len(words) > 1:
        return 0.0
    df = max(index.document_frequency(words[0]), d.get("cards", 0))
    common = math.log1p(df) / math.log1p(max(index.n_cards, 2))
    kinds = sum(1 for _, _, k in G.in_edges(node, keys=True) if k == "is_a")
    return max(common, min(kinds / GENERIC_HEAD_KINDS, 1.0))


def node_costs(G: nx.MultiDiGraph) -> dict[str, tuple[int, float]]:
    """{concept: (its degree in the concept graph, how generic it is)}: what a path pays to
    pass through it. A store keeps these, to find paths in part of the graph."""
    H = shared_concept_graph(G)
    index = search_index(G)
    return {n: (degree, _generic(G, n, index)) for n, degree in H.degree()}


def _cost_function(G: nx.MultiDiGraph, H: nx.Graph, source: str, target: str, costs=None):
    index = search_index(G) if costs is None else None
    penalty = {}
    for n, degree in H.degree():
        if costs is not None:
            degree, generic = costs[n]
        penalty[n] = HUB_PENALTY * math.log(1 + degree)
        if n not in (source, target):  # the ends were asked for: only the hops between are chosen
            penalty[n] += GENERIC_PENALTY * (_generic(G, n, index) if costs is None else generic)

    def cost(u, v, e) -> float:
        # -log keeps strong links almost free; the +1 makes fewer hops better.
        return 1.0 - math.log(max(e["weight"], 1e-6)) + (penalty[u] + penalty[v]) / 2

    return cost


def explain_path(G: nx.MultiDiGraph, source: str, target: str, *, costs=None) -> dict:
    """The chain of strongest links from one concept to another, with the cards that show each.

    Returns `{"source", "target", "connected", "hops"}`; each hop is `{"from", "to", "from_label",
    "to_label", "kind", "verb", "direction", "cards"}`. `kind` is as stored; `direction` is
    "backward" when the hop walks an is_a / part_of / related edge against its direction (so
    "cache" to "memory cache" walks "memory cache is_a cache" backward; `"reverse": True` says
    the same), "forward" otherwise, co-occurrence having no direction. Generic one-word concepts
    common in the deck make costly hops. Not connected gives `hops: []` and `connected: False`.
    Raises NotFound for an unknown id. `costs` (see `node_costs`) replaces what each concept
    costs to pass through, when G is only part of the graph.

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
    try:
        return nx.dijkstra_path(H, s, t, weight=_cost_function(G, H, s, t, costs))
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
