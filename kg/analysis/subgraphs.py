"""Concept subgraphs sized for a view: around one concept, or the deck's most important ones."""

from __future__ import annotations

import networkx as nx

from kg.analysis._nodes import concept_node, concepts
from kg.errors import NotFound
from kg.graph import concept_graph, deck_node


def neighbourhood(G: nx.MultiDiGraph, concept_id: str, *, depth: int = 1, max_nodes: int = 150) -> nx.Graph:
    """The concepts within `depth` links of one concept, as an undirected `nx.Graph`.

    When there are more than `max_nodes`, each ring keeps the concepts most strongly linked to
    what is already kept. Edges carry `weight`, `kinds` and `shared` (see
    `kg.graph.concept_graph`). Raises NotFound for an unknown id.
    """
    node = concept_node(G, concept_id)
    H = concept_graph(G)
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
    return H.subgraph(kept).copy()


def overview(G: nx.MultiDiGraph, *, top: int = 100, deck: str | None = None) -> nx.Graph:
    """The `top` most important concepts (optionally of one deck) and the links among them.

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
    return concept_graph(G.subgraph(set(chosen)))
