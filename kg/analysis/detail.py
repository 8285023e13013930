"""Everything about one concept: its place in the hierarchy, its neighbours, its cards."""

from __future__ import annotations

import heapq
import math
from collections import defaultdict

import networkx as nx

from kg.analysis._cache import per_graph
from kg.analysis._nodes import brief, card_concepts, concept_cards as _mentions, concept_node
from kg.conceptgraph import link_strength

# A card found through a sub-concept counts this much less per level of the hierarchy.
CHILD_DISCOUNT = 0.7
NEIGHBOUR_EVIDENCE = 10
#: What a part of the graph carries about a hub and cannot tell itself (see kg.store.hubs):
#: `G.graph[KEPT_RANKINGS][concept]` = {"cards": {card: (score, via)} of its best cards,
#: "card_total": n, "neighbour_total": n, "hierarchy_totals": {"children": n, "parts": n} (when
#: the part holds only the first few)}.
KEPT_RANKINGS = "kept_rankings"


def concept_cards(
    G: nx.MultiDiGraph, concept_id: str, *, include_children: bool = True, limit: int | None = None
) -> list[dict]:
    """Cards about a concept, best first: those that mention it, then those that mention one of
    its kinds (is_a children, transitively).

    A card ranks higher when the concept is in its question, named often, and a large share of
    what the card talks about. Each result is `{"id", "question", "answer", "deck", "score",
    "via"}`, `via` being the concept the card mentions. Raises NotFound for an unknown id.
    """
    node = concept_node(G, concept_id)
    kept = G.graph.get(KEPT_RANKINGS, {}).get(node) if include_children else None
    return _card_list(G, kept["cards"] if kept else _best_cards(G, node, include_children=include_children),
                      limit=limit)


def _best_cards(G, node: str, *, include_children: bool) -> dict[str, tuple[float, str]]:
    """{card: (score, via)} for every card about a concept."""
    levels = {node: 0}
    if include_children:
        frontier = [node]
        while frontier:
            nxt = []
            for parent in frontier:
                for child, keyed in G._pred[parent].items():
                    if "is_a" in keyed and child not in levels:
                        levels[child] = levels[parent] + 1
                        nxt.append(child)
            frontier = nxt
    best: dict[str, tuple[float, str]] = {}
    totals = per_graph(G, "card-mention-totals", lambda: _mention_totals(G))
    for concept, level in levels.items():
        for card, m in _mentions(G, concept).items():
            score = _card_score(G, card, m, totals) * CHILD_DISCOUNT**level
            if card not in best or score > best[card][0]:
                best[card] = (score, concept)
    return best


def _card_list(G, best: dict[str, tuple[float, str]], *, limit: int | None) -> list[dict]:
    def order(item):
        return -item[1][0], item[0]

    # A hub is on thousands of cards: only the wanted few are sorted.
    ranked = sorted(best.items(), key=order) if limit is None else heapq.nsmallest(limit, best.items(), key=order)
    out = []
    for card, (score, via) in ranked:
        d = G.nodes[card]
        out.append({"id": card, "question": d.get("question", ""), "answer": d.get("answer", ""),
                    "deck": d.get("deck", ""), "score": round(score, 4), "via": via})
    return out


def _mention_totals(G) -> dict[str, int]:
    """{card: how many mentions of concepts it holds}, for every card at once: one pass over
    the graph costs less than a hub's page meeting its thousands of cards one by one."""
    totals = {}
    for node, kind in G.nodes(data="kind"):
        if kind == "card":
            totals[node] = sum(m.get("count", 1) for m in card_concepts(G, node).values()) or 1
    return totals


def _card_score(G, card: str, mention: dict, totals: dict) -> float:
    total = totals.get(card) or 1
    count = mention.get("count", 1)
    focus = count / total
    return (2.0 if mention.get("in_question") else 1.0) * (1.0 + math.log(count)) * (0.5 + focus)


def concept_detail(
    G: nx.MultiDiGraph, concept_id: str, *, card_limit: int | None = None, neighbour_limit: int | None = None,
    kinds_limit: int | None = None,
) -> dict:
    """The page of one concept: names, hierarchy, ranked neighbours and ranked cards.

    Returns `{"id", "label", "key", "aliases", "cards", "community", "importance", "parents",
    "children", "part_of", "parts", "neighbours", "card_list", "card_total", "neighbour_total",
    "children_total", "parts_total"}`, where `cards` is the number of cards mentioning it,
    `card_list` the best `card_limit` ranked cards (see `concept_cards`; all with None) out of
    `card_total` (its kinds' cards included), `neighbours` the strongest `neighbour_limit` of
    `neighbour_total`, and `children` and `parts` the `kinds_limit` on most cards of their
    totals. Raises NotFound for an unknown id.
    """
    node = concept_node(G, concept_id)
    d = G.nodes[node]
    hierarchy = defaultdict(list)
    for _, parent, k in G.out_edges(node, keys=True):
        if k in ("is_a", "part_of"):
            hierarchy["parents" if k == "is_a" else "part_of"].append(brief(G, parent))
    for child, _, k in G.in_edges(node, keys=True):
        if k in ("is_a", "part_of"):
            hierarchy["children" if k == "is_a" else "parts"].append(brief(G, child))
    for items in hierarchy.values():
        items.sort(key=lambda b: -G.nodes[b["id"]].get("cards", 0))
    linked = neighbours(G, node)
    kept = G.graph.get(KEPT_RANKINGS, {}).get(node)
    totals = {group: len(items) for group, items in hierarchy.items()}
    if kept:
        totals.update(kept.get("hierarchy_totals", {}))
    cards = kept["cards"] if kept else _best_cards(G, node, include_children=True)
    return {
        "id": node,
        "label": d.get("label", node),
        "key": d.get("key", ""),
        "aliases": list(d.get("aliases", [])),
        "cards": d.get("cards", 0),
        "community": d.get("community", -1),
        "importance": d.get("importance", 0.0),
        "parents": hierarchy["parents"],
        "children": hierarchy["children"][:kinds_limit],
        "part_of": hierarchy["part_of"],
        "parts": hierarchy["parts"][:kinds_limit],
        "neighbours": linked[:neighbour_limit] if neighbour_limit is not None else linked,
        "card_list": _card_list(G, cards, limit=card_limit),
        "card_total": kept["card_total"] if kept else len(cards),
        "neighbour_total": kept["neighbour_total"] if kept else len(linked),
        "children_total": totals.get("children", 0),
        "parts_total": totals.get("parts", 0),
    }


def _links(G: nx.MultiDiGraph, node: str):
    """(u, v, kind, attributes) of the node's out-links, then its in-links, as networkx's edge
    views give them, from the adjacency itself: a list of a view counts its edges first, and a
    hub's in-links are every card that mentions it."""
    for v, keyed in G._succ[node].items():
        for k, e in keyed.items():
            yield node, v, k, e
    for u, keyed in G._pred[node].items():
        for k, e in keyed.items():
            yield u, node, k, e


def neighbours(G: nx.MultiDiGraph, concept_id: str, *, limit: int | None = None) -> list[dict]:
    """Concepts linked to one concept, strongest link first, with the cards that show the link."""
    node = concept_node(G, concept_id)
    found: dict[str, dict] = {}
    for u, v, k, e in _links(G, node):
        other = v if u == node else u
        if k == "mentions" or other == node or G.nodes[other].get("kind") != "concept":
            continue
        n = found.setdefault(other, {**brief(G, other), "weight": 0.0, "kinds": [], "verbs": [], "links": [],
                                     "evidence": [], "shared": 0})
        n["weight"] = max(n["weight"], link_strength(k, e))
        if k not in n["kinds"]:
            n["kinds"].append(k)
        # Which way each link points, so a page can say who tracks whom ("MLOps tracks data
        # versions", not "data versions track MLOps"); "out": from this concept to the other.
        link = {"kind": k, "verb": e.get("verb"), "out": u == node}
        if link not in n["links"]:
            n["links"].append(link)
        if e.get("verb") and e["verb"] not in n["verbs"]:
            n["verbs"].append(e["verb"])
        n["shared"] = max(n["shared"], e.get("shared", 0))
        for c in e.get("evidence", []):
            card = c if c.startswith("card:") else f"card:{c}"
            if card not in n["evidence"] and len(n["evidence"]) < NEIGHBOUR_EVIDENCE:
                n["evidence"].append(card)
    ranked = sorted(found.values(), key=lambda n: (-n["weight"], -n["shared"], n["id"]))
    for n in ranked:
        n["weight"] = round(n["weight"], 4)
        n["kinds"].sort()
        n["links"].sort(key=lambda link: (link["kind"], not link["out"], link["verb"] or ""))
    return ranked[:limit] if limit is not None else ranked
