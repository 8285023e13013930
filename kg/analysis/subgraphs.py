"""Concept subgraphs sized for a view: around one concept, or the deck's most important ones.

A view shows a readable backbone, not every link: each concept keeps its few strongest links,
plus a maximum spanning tree so that nothing linked in the graph floats alone in the view. The
graph itself (and its exports) stays complete; only these views are pruned.
"""

from __future__ import annotations

import heapq
import itertools

import networkx as nx

from kg.analysis._cache import per_graph, recent
from kg.analysis._nodes import concept_node, concepts
from kg.errors import NotFound
from kg.conceptgraph import concept_graph, link_strength
from kg.ids import deck_node

# Three links per concept keep a view at about two to three links per concept: a hairball
# starts around five.
LINKS_PER_NODE = 3
#: The edge kinds drawn between concepts (as in `kg.conceptgraph.concept_graph`).
LINK_KINDS = frozenset(("co_occurs", "is_a", "part_of", "related"))
#: Above this many concepts a view keeps fewer links per concept, and only links that stand out
#: for it (the disparity filter at DISPARITY_ALPHA): at a thousand nodes even three links each
#: draw a hairball.
BIG_VIEW = 250
BIG_VIEW_LINKS = 2
DISPARITY_ALPHA = 0.2
# Decks whose concept sets are kept for the overview's deck filter.
DECK_SETS_KEPT = 64



def next_ring(G: nx.MultiDiGraph, frontier, kept, room: int) -> set[str]:
    """The next ring of a neighbourhood: the (at most `room`) concepts not yet `kept` most
    strongly linked to the `frontier`, ties by id. The store walks its rings with this too, so a
    neighbourhood read from a database is the one walked in memory."""
    strength: dict[str, float] = {}
    for u in frontier:
        for v, weight in _link_strengths(G, u).items():
            if v not in kept and weight > strength.get(v, 0.0):
                strength[v] = weight
    if room <= 0 or not strength:
        return set()
    return set(heapq.nsmallest(room, strength, key=lambda v: (-strength[v], v)))

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
    `weight`, `kinds` and `shared` (see `kg.conceptgraph.concept_graph`). Raises NotFound for an
    unknown id.
    """
    node = concept_node(G, concept_id)
    # Walked in G itself: only the rings around the concept are read, never the whole graph.
    kept = {node}
    frontier = {node}
    for _ in range(depth):
        frontier = next_ring(G, frontier, kept, max_nodes - len(kept))
        if not frontier:
            break
        kept |= frontier
    view = induced_concept_graph(G, kept)
    if max_links_per_node is None:
        return view
    pruned = backbone(view, max_links_per_node=max_links_per_node)
    pruned.add_edges_from((node, v, d) for v, d in view[node].items())
    return pruned


def _link_strengths(G: nx.MultiDiGraph, u: str) -> dict[str, float]:
    """{concept: strongest link to `u`} over every concept linked to `u`, either direction."""
    out: dict[str, float] = {}
    for adjacency in (G._succ[u], G._pred[u]):
        for v, keyed in adjacency.items():
            for k, d in keyed.items():
                if k in LINK_KINDS and v != u:
                    weight = link_strength(k, d)
                    if weight > out.get(v, 0.0):
                        out[v] = weight
    return out


def induced_concept_graph(G: nx.MultiDiGraph, nodes) -> nx.Graph:
    """`kg.conceptgraph.concept_graph` of only `nodes`, read straight from G."""
    return concept_graph(G, kinds=LINK_KINDS, nodes=nodes)


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
    ranked = ranked_concepts(G)
    if deck is None:
        chosen = ranked[:top]
    else:
        node = deck if deck.startswith("deck:") else deck_node(deck)
        if node not in G or G.nodes[node].get("kind") != "deck":
            raise NotFound(f"no deck {deck!r} in this graph")
        in_deck = recent(G, "deck-concepts", node, lambda: _deck_concepts(G, node), size=DECK_SETS_KEPT)
        chosen = list(itertools.islice((n for n in ranked if n in in_deck), top))
    view = induced_concept_graph(G, chosen)
    if max_links_per_node is None:
        return view
    if len(chosen) > BIG_VIEW:
        return backbone(view, max_links_per_node=BIG_VIEW_LINKS, alpha=DISPARITY_ALPHA)
    return backbone(view, max_links_per_node=max_links_per_node)


def ranked_concepts(G: nx.MultiDiGraph) -> list[str]:
    """Every concept id, most important first (ties by id); kept per graph, do not modify."""
    return per_graph(G, "ranked-concepts", lambda: sorted(
        concepts(G), key=lambda n: (-G.nodes[n].get("importance", 0.0), n)))


def _deck_concepts(G: nx.MultiDiGraph, deck: str) -> frozenset[str]:
    found = set()
    for card in G.successors(deck):
        found.update(v for _, v, k in G.out_edges(card, keys=True) if k == "mentions")
    return frozenset(found)


def backbone(H: nx.Graph, *, max_links_per_node: int = LINKS_PER_NODE, alpha: float | None = None) -> nx.Graph:
    """A copy of `H` with each node's `max_links_per_node` strongest links (by `weight`) and a
    maximum spanning forest, so every component of `H` stays connected in the copy.

    With `alpha`, a node keeps only links that are significant for it by the disparity filter
    (Serrano, Boguñá & Vespignani 2009; see `disparity`, worked out inline here): a hub's many ordinary links go, the
    links that carry an unusual share of a node's weight stay.

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
        links = H[u].items()
        k = len(H[u])
        if alpha is not None and k > 1:
            total = sum(d.get("weight", 0.0) for d in H[u].values()) or 1.0
            links = [(v, d) for v, d in links if (1.0 - d.get("weight", 0.0) / total) ** (k - 1) < alpha]
        strongest = sorted(links, key=lambda item: (-item[1].get("weight", 0.0), str(item[0])))
        B.add_edges_from((u, v, d) for v, d in strongest[:max_links_per_node])
    B.add_edges_from(nx.maximum_spanning_edges(H, weight="weight", data=True))
    return B


def disparity(H: nx.Graph, u, v) -> float:
    """The disparity filter's alpha of link u-v seen from `u`: the chance that a link takes at
    least this share of u's weight if u's weight were spread at random over its k links,
    (1 - share) ** (k - 1). Small means the link stands out.

    >>> import networkx as nx
    >>> H = nx.Graph([("a", "b", {"weight": 8.0}), ("a", "c", {"weight": 1.0}), ("a", "d", {"weight": 1.0})])
    >>> round(disparity(H, "a", "b"), 2), round(disparity(H, "a", "c"), 2)
    (0.04, 0.81)
    """
    k = len(H[u])
    if k < 2:
        return 0.0
    total = sum(d.get("weight", 0.0) for d in H[u].values()) or 1.0
    return (1.0 - H[u][v].get("weight", 0.0) / total) ** (k - 1)
