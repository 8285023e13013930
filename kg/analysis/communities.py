"""Communities of concepts that are studied together, and how central each concept is."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from kg.analysis._broad import BROAD, broadness
from kg.analysis._cache import per_graph
from kg.analysis._nodes import concepts
from kg.conceptgraph import concept_graph
from kg.importance import LOUVAIN_SEED

# A community is named by this many of its most important concepts.
LABEL_CONCEPTS = 3


def importance(G: nx.MultiDiGraph) -> dict[str, float]:
    """PageRank importance of every concept (as stored by `build_graph`, computed if absent).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("concept:a", kind="concept", importance=0.7)
    >>> importance(G)
    {'concept:a': 0.7}
    """
    nodes = concepts(G)
    if all("importance" in G.nodes[n] for n in nodes):
        return {n: G.nodes[n]["importance"] for n in nodes}
    H = concept_graph(G)
    return nx.pagerank(H, weight="weight") if H.number_of_nodes() else {}


def communities(G: nx.MultiDiGraph, *, seed: int = LOUVAIN_SEED) -> list[dict]:
    """Louvain communities of the concept graph, largest first.

    Each is `{"id", "label", "concepts", "size"}`; `label` names the community by its most
    important concepts that are not broad (kg.analysis._broad) and `concepts` lists ids most important first. With the default seed the
    `community` numbers stored on the nodes by `build_graph` are reused.

    Worked out once per graph object (see `kg.analysis._cache`).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("concept:a", kind="concept", label="A", community=0, importance=0.6)
    >>> G.add_node("concept:b", kind="concept", label="B", community=0, importance=0.4)
    >>> communities(G)[0]["label"]
    'A · B'
    """
    found = per_graph(G, ("communities", seed), lambda: _communities(G, seed=seed))
    # Copies: the cached groups are shared by every caller.
    return [dict(c, concepts=list(c["concepts"])) for c in found]


def _communities(G: nx.MultiDiGraph, *, seed: int) -> list[dict]:
    nodes = concepts(G)
    rank = importance(G)
    groups: dict[int, list[str]] = defaultdict(list)
    if seed == LOUVAIN_SEED and nodes and all(G.nodes[n].get("community", -1) >= 0 for n in nodes):
        for n in nodes:
            groups[G.nodes[n]["community"]].append(n)
    else:
        found = nx.community.louvain_communities(concept_graph(G), weight="weight", seed=seed)
        for number, group in enumerate(sorted(found, key=lambda g: (-len(g), min(g)))):
            groups[number] = list(group)
    broad = broadness(G)
    result = []
    for number, members in groups.items():
        members.sort(key=lambda n: (-rank.get(n, 0.0), n))
        # A broad concept ("model", "pattern") may lead the group but names nothing in it.
        naming = [n for n in members if broad.get(n, 0.0) < BROAD] or members
        label = " · ".join(G.nodes[n].get("label", n) for n in naming[:LABEL_CONCEPTS])
        result.append({"id": number, "label": label, "concepts": members, "size": len(members)})
    result.sort(key=lambda c: (-c["size"], c["id"]))
    return result
