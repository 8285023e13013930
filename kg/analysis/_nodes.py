"""Small lookups every analysis needs: resolve ids, list concepts, describe nodes."""

from __future__ import annotations

import networkx as nx

from kg.errors import NotFound


def concept_node(G: nx.MultiDiGraph, concept_id: str) -> str:
    """The node id of a concept, accepting "concept:slug" or a bare slug; NotFound otherwise."""
    node = concept_id if concept_id.startswith("concept:") else f"concept:{concept_id}"
    if node not in G or G.nodes[node].get("kind") != "concept":
        raise NotFound(f"no concept {concept_id!r} in this graph; try `kg concepts` or search")
    return node


def card_node(G: nx.MultiDiGraph, card_id: str) -> str:
    node = card_id if card_id.startswith("card:") else f"card:{card_id}"
    if node not in G or G.nodes[node].get("kind") != "card":
        raise NotFound(f"no card {card_id!r} in this graph")
    return node


def concepts(G: nx.MultiDiGraph) -> list[str]:
    # By kind alone: a graph read from its file (a load's) then decodes no card's text.
    return [n for n, kind in G.nodes(data="kind") if kind == "concept"]


def brief(G: nx.MultiDiGraph, node: str) -> dict:
    d = G.nodes[node]
    return {"id": node, "label": d.get("label", node)}


def card_brief(G: nx.MultiDiGraph, node: str) -> dict:
    d = G.nodes[node]
    return {"id": node, "question": d.get("question", ""), "deck": d.get("deck", "")}


def card_concepts(G: nx.MultiDiGraph, card: str) -> dict[str, dict]:
    """Concepts a card mentions, with the mention edge's data."""
    # Straight from the adjacency (networkx views cost a call per item): pages call this for
    # thousands of cards.
    return {v: keyed["mentions"] for v, keyed in G._succ[card].items() if "mentions" in keyed}


def concept_cards(G: nx.MultiDiGraph, concept: str) -> dict[str, dict]:
    """Cards that mention a concept, with the mention edge's data."""
    return {u: keyed["mentions"] for u, keyed in G._pred[concept].items() if "mentions" in keyed}
