"""Concept subgraphs sized for a view: around one concept, or the deck's most important ones.

A view shows a readable backbone, not every link: each concept keeps its few strongest links,
plus a maximum spanning tree so that nothing linked in the graph floats alone in the view. The
graph itself (and its exports) stays complete; only these views are pruned.
"""

from __future__ import annotations

import networkx as nx

from kg.analysis._nodes import concept_node, concepts
from kg.errors import NotFound
from kg.graph import concept_graph, deck_node, shared_concept_graph

# Three links per concept keep a view at about two to three links per concept: a hairball
# starts around five.
LINKS_PER_NODE = 3


def neighbourhood(
    G: nx.MultiDiGraph,
    concept_id: str,
    *,
    depth: int = 1,
    max_nodes: int = 150,
    max_links_per_node: int | None = LINKS_PER_NODE,
) -> nx.Graph:
    """The concepts within `depth` links of one concept, as an undirected `nx.Graph`.

    When there are more than `max_nodes`, each ring keeps the concepts most strongly linked to
    what is already kept. The centre keeps every link; among the others only a backbone (see
    `backbone`) of `max_links_per_node` links each, or all links with None. Edges carry
    `weight`, `kinds` and `shared` (see `kg.graph.concept_graph`). Raises NotFound for an
    unknown id.
    """
    node = concept_node(G, concept_id)
    H = shared_concept_graph(G)
    kept = {node}
    frontier = {node}
    for _ in range(depth):
        strength: dict[str, float] = {}
        for u in frontier:
            for v, e in H[u].items():
                if v not in kept:
                    strength[v] = max(strength.get(v, 0.0), e["weight"])
        room = max_nodes - len(kept)
        if room <= 0 or not strength:
            break
        ring = sorted(strength, key=lambda v: (-strength[v], v))[:room]
        kept.update(ring)
        frontier = set(ring)
    view = nx.Graph(H.subgraph(kept))
    if max_links_per_node is None:
        return view
    pruned = backbone(view, max_links_per_node=max_links_per_node)
    pruned.add_edges_from((node, v, d) for v, d in view[node].items())
    return pruned


def overview(
    G: nx.MultiDiGraph,
    *,
    top: int = 100,
    deck: str | None = None,
    max_links_per_node: int | None = LINKS_PER_NODE,
) -> nx.Graph:
    """The `top` most important concepts (optionally of one deck) and the backbone of the links
    among them (`max_links_per_node` each, see `backbone`; None keeps every link).

    `deck` is a deck name or a `deck:` id; NotFound if the graph has no such deck.
    """
    pool = concepts(G)
    if deck is not None:
        node = deck if deck.startswith("deck:") else deck_node(deck)
        if node not in G or G.nodes[node].get("kind") != "deck":
            raise NotFound(f"no deck {deck!r} in this graph")
        in_deck = set()
        for card in G.successors(node):
            in_deck.update(v for _, v, k in G.out_edges(card, keys=True) if k == "mentions")
        pool = [n for n in pool if n in in_deck]
    chosen = sorted(pool, key=lambda n: (-G.nodes[n].get("importance", 0.0), n))[:top]
    view = concept_graph(G.subgraph(set(chosen)))
    if max_links_per_node is None:
        return view
    return backbone(view, max_links_per_node=max_links_per_node)


def backbone(H: nx.Graph, *, max_links_per_node: int = LINKS_PER_NODE) -> nx.Graph:
    """A copy of `H` with each node's `max_links_per_node` strongest links (by `weight`) and a
    maximum spanning forest, so every component of `H` stays connected in the copy.

    Examples
    --------
    >>> import networkx as nx
    >>> H = nx.complete_graph(6)
    >>> nx.set_edge_attributes(H, 1.0, "weight")
    >>> B = backbone(H, max_links_per_node=1)
    >>> B.number_of_nodes(), nx.is_connected(B), B.number_of_edges() < H.number_of_edges()
    (6, True, True)
    """
    B = nx.Graph()
    B.add_nodes_from(H.nodes(data=True))
    for u in H:
        strongest = sorted(H[u].items(), key=lambda item: (-item[1].get("weight", 0.0), str(item[0])))
        B.add_edges_from((u, v, d) for v, d in strongest[:max_links_per_node])
    B.add_edges_from(nx.maximum_spanning_edges(H, weight="weight", data=True))
    return B
