"""A map of the communities: one node per community, linked by how strongly their concepts link.

Past a few hundred concepts a concept graph is a hairball; the map shows the collection's
topics instead, each named by its most important *specific* concepts (those whose links stay
mostly inside the community, so a hub that links everything does not name every group), sized
by the cards that mention it. A community's own page lists its concepts, its cards and, for
each neighbouring community, the concepts that bridge the two.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict

import networkx as nx

from kg.analysis._cache import per_graph
from kg.analysis._nodes import card_concepts, concepts
from kg.analysis.communities import communities
from kg.analysis.subgraphs import LINK_KINDS, backbone, induced_concept_graph
from kg.errors import NotFound
from kg.conceptgraph import link_strength

#: A community is named by this many specific concepts.
NAME_CONCEPTS = 3
#: Links drawn per community on the map (each one's strongest, plus a spanning tree).
MAP_LINKS = 3
#: Bridges kept per pair of neighbouring communities.
BRIDGES = 5


def _links(G: nx.MultiDiGraph) -> dict:
    """Per graph: each concept's community, its link weight inside and out, and every link
    between two communities (strongest first per pair)."""
    def compute():
        member = {n: G.nodes[n].get("community", -1) for n in concepts(G)}
        inside: Counter = Counter()
        total: Counter = Counter()
        between: dict[tuple[int, int], float] = defaultdict(float)
        pairs: dict[tuple[int, int], list] = defaultdict(list)
        for u, cu in member.items():
            for v, keyed in G._succ[u].items():
                cv = member.get(v)
                if cv is None or v == u:
                    continue
                weight = max((link_strength(k, d) for k, d in keyed.items() if k in LINK_KINDS), default=0.0)
                if weight <= 0:
                    continue
                total[u] += weight
                total[v] += weight
                if cu == cv:
                    inside[u] += weight
                    inside[v] += weight
                    continue
                a, b, x, y = (cu, cv, u, v) if cu < cv else (cv, cu, v, u)
                between[a, b] += weight
                pairs[a, b].append((weight, x, y))
        bridges = {key: heapq.nlargest(BRIDGES * 4, found) for key, found in pairs.items()}
        return {"member": member, "inside": inside, "total": total, "between": dict(between),
                "bridges": bridges}
    return per_graph(G, "community-links", compute)


def _cards_per_community(G: nx.MultiDiGraph) -> Counter:
    def compute():
        member = _links(G)["member"]
        found: Counter = Counter()
        for card, kind in G.nodes(data="kind"):
            if kind == "card":
                found.update({member[c] for c in card_concepts(G, card) if c in member})
        return found
    return per_graph(G, "community-cards", compute)


def specific_members(G: nx.MultiDiGraph, members: list[str]) -> list[str]:
    """`members` ranked by importance times the share of their links that stay inside; broad
    concepts (kg.analysis._broad: "error", "entry") last, since they name no topic."""
    from kg.analysis._broad import BROAD, broadness

    links = _links(G)
    inside, total = links["inside"], links["total"]
    broad = broadness(G)

    def score(n):
        share = inside[n] / total[n] if total[n] else 0.5
        return -float(G.nodes[n].get("importance", 0.0)) * share
    return sorted(members, key=lambda n: (broad.get(n, 0.0) >= BROAD, score(n), n))


def community_map(G: nx.MultiDiGraph, *, max_communities: int = 40) -> nx.Graph:
    """The `max_communities` communities with the most cards, as an undirected graph.

    Nodes are `community:<id>` with `kind="community"`, `community` (the id), `label` (its
    specific concepts), `concepts` (member count), `cards` and `importance` (its cards, which
    sizes the node); edges carry `weight` (summed link strength between the two) and `links`.
    """
    every = communities(G)
    cards = _cards_per_community(G)
    chosen = sorted(every, key=lambda c: (-cards[c["id"]], -c["size"], c["id"]))[:max_communities]
    H = nx.Graph()
    for c in chosen:
        named = specific_members(G, c["concepts"])[:NAME_CONCEPTS]
        H.add_node(f"community:{c['id']}", kind="community", community=c["id"],
                   label=" · ".join(G.nodes[n].get("label", n) for n in named),
                   concepts=c["size"], cards=cards[c["id"]], importance=float(cards[c["id"]]))
    links = _links(G)
    shown = {c["id"] for c in chosen}
    for (a, b), weight in links["between"].items():
        if a in shown and b in shown:
            H.add_edge(f"community:{a}", f"community:{b}", weight=round(weight, 4),
                       links=len(links["bridges"][a, b]), kinds=["co_occurs"])
    # Topics all touch each other a little: only each one's strongest ties are drawn.
    return backbone(H, max_links_per_node=MAP_LINKS)


def community_detail(G: nx.MultiDiGraph, number: int, *, max_concepts: int = 120, card_limit: int = 50,
                     neighbour_limit: int = 8) -> dict:
    """One community: its concepts (most specific first), its concept graph (the `max_concepts`
    most important, backbone only), its cards (those naming most of its concepts first) and,
    per neighbouring community, the concepts that bridge them. NotFound for an unknown id."""
    found = next((c for c in communities(G) if c["id"] == number), None)
    if found is None:
        raise NotFound(f"no community {number} in this graph; see `kg communities`")
    members = specific_members(G, found["concepts"])
    ranked = sorted(members, key=lambda n: (-float(G.nodes[n].get("importance", 0.0)), n))
    view = backbone(induced_concept_graph(G, ranked[:max_concepts]))
    member_set = set(members)
    per_card: Counter = Counter()
    for n in members:
        for card, keyed in G._pred[n].items():
            if "mentions" in keyed:
                per_card[card] += 1
    cards = [{"id": c, "question": G.nodes[c].get("question", ""), "deck": G.nodes[c].get("deck", ""),
              "concepts": k} for c, k in sorted(per_card.items(), key=lambda x: (-x[1], x[0]))[:card_limit]]
    links = _links(G)
    every = {c["id"]: c for c in communities(G)}
    neighbours = []
    for (a, b), weight in links["between"].items():
        if number not in (a, b):
            continue
        other = b if a == number else a
        bridges = []
        for w, x, y in links["bridges"][a, b][:BRIDGES]:
            mine, theirs = (x, y) if x in member_set else (y, x)
            bridges.append({"from": _brief(G, mine), "to": _brief(G, theirs), "weight": round(w, 4)})
        named = specific_members(G, every[other]["concepts"])[:NAME_CONCEPTS] if other in every else []
        neighbours.append({"id": other, "label": " · ".join(G.nodes[n].get("label", n) for n in named),
                           "size": every[other]["size"] if other in every else 0,
                           "weight": round(weight, 4), "bridges": bridges})
    neighbours.sort(key=lambda n: (-n["weight"], n["id"]))
    return {
        "id": number,
        "label": " · ".join(G.nodes[n].get("label", n) for n in members[:NAME_CONCEPTS]),
        "size": len(members),
        "cards": len(per_card),
        "concepts": [_brief(G, n) for n in members],
        "card_list": cards,
        "neighbours": neighbours[:neighbour_limit],
        "graph": view,
    }


def _brief(G: nx.MultiDiGraph, node: str) -> dict:
    d = G.nodes[node]
    return {"id": node, "label": d.get("label", node), "cards": d.get("cards", 0),
            "importance": round(float(d.get("importance", 0.0)), 6)}
