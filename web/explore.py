"""Exploring the graph: the overview, one concept's drill-down, one card; with JSON twins."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from collections import Counter

from flask import Blueprint, abort, jsonify, render_template, send_file, url_for

from kg.analysis import (
    communities, concept_detail, gaps, neighbourhood, overview as overview_graph, related_cards,
)
from kg.analysis._cache import per_graph
from kg.views import community_class, community_colour
from kg.web.cardhtml import media_file, render_card_html
from kg.analysis.communitymap import community_map
from kg.analysis.scope import deck_names
from kg.analysis.subgraphs import ranked_concepts
from kg.web.graph import get_graph, get_whole_graph
from kg.web.scope import request_scope
from kg.web.links import graph_view, node_url
from kg.web.names import redirect_to_named
from kg.search import suggest
from kg.web.pages import kept, kept_html, kept_json
from kg.web.params import card_node, concept_node, int_arg, text_arg

bp = Blueprint("explore", __name__)

DEFAULT_TOP = 100
TOP_CHOICES = (50, 100, 250, 500, 1000)
MAX_TOP = 5000
DEFAULT_DEPTH = 1
MAX_DEPTH = 3
GAPS = 5
LEGEND_COMMUNITIES = 12
TOP_CONCEPT_LIST = 25
RELATED_CARDS = 10
NEIGHBOUR_NODES = 150
# Related concepts listed before "show all": enough to scan, few enough to read.
RELATED_SHOWN = 12
CARDS_SHOWN = 12
# A concept page lists this many of its best cards and strongest links; hubs have thousands.
CARDS_LISTED = 50
NEIGHBOURS_LISTED = 50
# Kinds (and parts) named as chips at the top of a concept page, most carded first.
KINDS_SHOWN = 40
#: Kinds (and parts) a concept page lists, most carded first, out of `children_total`: a hub
#: can have thousands.
KINDS_LISTED = 200
# Past this many concepts (in scope) the overview starts as the map of communities.
MAP_ABOVE_CONCEPTS = 300
# Communities on the map: the ones with the most cards; each has its own page.
MAP_COMMUNITIES = 40
# Members named per community on the overview (its JSON twin too); /api/communities has all.
COMMUNITY_MEMBERS = 10


def built_at(G) -> str | None:
    """When the workspace was built, for the footer."""
    stamp = G.graph.get("built_at")
    try:
        return dt.datetime.fromtimestamp(float(stamp)).strftime("%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return None


def _named(community: dict) -> dict:
    return dict(community, concepts=community["concepts"][:COMMUNITY_MEMBERS])


def _counts(G) -> Counter:
    """Nodes of each kind, counted once per graph."""
    return per_graph(G, "kind-counts", lambda: Counter(kind for _, kind in G.nodes(data="kind")))


def _concept_brief(G, node: str) -> dict:
    d = G.nodes[node]
    return {
        "id": node,
        "label": d.get("label", node),
        "cards": d.get("cards", 0),
        "importance": round(float(d.get("importance", 0.0)), 6),
        "community": d.get("community", -1),
        "url": node_url(node),
    }


def _overview():
    G = get_graph()
    top = int_arg("top", DEFAULT_TOP, low=1, high=MAX_TOP)
    view = text_arg("view") or None
    if view not in (None, "map", "concepts"):
        abort(400, "view must be map or concepts.")
    if view is None:
        # A few hundred concepts are still readable as concepts; past that, topics first.
        view = "map" if _counts(G)["concept"] > MAP_ABOVE_CONCEPTS else "concepts"
    # Drawn once per graph and choice: the layout is the costly part, and it never changes.
    return G, kept(G, "overview", (top, view), lambda: _overview_data(G, top, view))


def _overview_data(G, top: int, view: str, *, whole=None) -> dict:
    """Everything the overview shows; kept per graph, so it is read-only once returned. `whole`
    is the graph whose decks the picker lists (default: the whole workspace's)."""
    sub = overview_graph(G, top=top) if view == "concepts" else community_map(G, max_communities=MAP_COMMUNITIES)
    shown = {d.get("community") for _, d in sub.nodes(data=True)}
    every = communities(G)
    # Only the groups drawn, each named by its first members: a big deck has thousands of
    # groups, which /api/communities lists in full.
    # On the map, a community is named by its specific concepts (kg.analysis.communitymap).
    names = {d["community"]: d["label"] for _, d in sub.nodes(data=True) if d.get("kind") == "community"}
    cards = {d["community"]: d["cards"] for _, d in sub.nodes(data=True) if d.get("kind") == "community"}
    groups = [
        {"id": c["id"], "label": names.get(c["id"], c["label"]), "size": c["size"],
         "cards": cards.get(c["id"]),
         "concepts": c["concepts"][:COMMUNITY_MEMBERS],
         "colour": community_colour(c["id"]), "colour_class": community_class(c["id"]),
         "url": node_url(f"community:{c['id']}"), "shown": True}
        for c in every if c["id"] in shown
    ]
    concepts = sorted(
        (_concept_brief(G, n) for n in (sub if view == "concepts" else ranked_concepts(G)[:top])),
        key=lambda c: -c["importance"],
    )
    counts = _counts(G)
    scope = request_scope()
    return {
        "top": top,
        "view": view,
        "deck": scope.decks[0] if len(scope.decks) == 1 else None,
        "scope": {"decks": list(scope.decks), "tags": list(scope.tags)},
        "decks": deck_names(get_whole_graph() if whole is None else whole),
        "total_concepts": counts["concept"],
        "total_cards": counts["card"],
        "concepts": concepts,
        "communities": groups,
        # A store-backed graph holds only the communities it draws, and says how many there are.
        "total_communities": per_graph(G, "community-count", lambda: len(every)),
        "gaps": [dict(g, a=_named(g["a"]), b=_named(g["b"])) for g in gaps(G, limit=GAPS)],
        "graph": graph_view(sub),
    }


@bp.get("/")
def overview():
    """The concept graph at a glance: the most important concepts, coloured by community."""
    G, data = _overview()
    return kept_html(G, "overview", (data["top"], data["view"]), lambda: render_template(
        "explore/overview.html", **data, top_choices=TOP_CHOICES,
        legend=[c for c in data["communities"] if c["shown"]][:LEGEND_COMMUNITIES],
        top_list=data["concepts"][:TOP_CONCEPT_LIST],
        built_at=built_at(G),
    ))


@bp.get("/api/overview")
def api_overview():
    """JSON twin of the overview."""
    G, data = _overview()
    return kept_json(G, "overview", (data["top"], data["view"]), lambda: dict(
        data, communities=[{k: v for k, v in c.items() if k != "shown"} for c in data["communities"]]))


def _concept(slug: str):
    G = get_graph()
    node = concept_node(slug)
    if node not in G:
        redirect_to_named(slug, lambda text, limit: suggest(G, text, limit=limit))
    depth = int_arg("depth", DEFAULT_DEPTH, low=1, high=MAX_DEPTH)
    return G, kept(G, "concept", (node, depth), lambda: _concept_data(G, node, depth))


def _concept_data(G, node: str, depth: int) -> dict:
    """Everything a concept page shows; kept per graph, so it is read-only once returned."""
    detail = concept_detail(G, node, card_limit=CARDS_LISTED, neighbour_limit=NEIGHBOURS_LISTED,
                            kinds_limit=KINDS_LISTED)
    for card in detail["card_list"]:
        card["url"] = node_url(card["id"])
        card["via_label"] = G.nodes[card["via"]].get("label") if card.get("via") != node else None
    for group in ("parents", "children", "part_of", "parts", "neighbours"):
        for item in detail[group]:
            item["url"] = node_url(item["id"])
    for neighbour in detail["neighbours"]:
        neighbour["evidence"] = [
            {"id": c, "question": G.nodes[c].get("question", ""), "url": node_url(c)}
            for c in neighbour["evidence"] if c in G
        ]
    sub = neighbourhood(G, node, depth=depth, max_nodes=NEIGHBOUR_NODES)
    detail["depth"] = depth
    detail["colour_class"] = community_class(detail["community"])
    detail["url"] = node_url(node)
    detail["graph"] = graph_view(sub, focus=node)
    return detail


@bp.get("/concept/<slug>")
def concept(slug):
    """One concept: its neighbourhood, every card about it, its related concepts and kinds."""
    G, detail = _concept(slug)
    # The kinds most often on cards: a hub has hundreds, and each would slow every match.
    terms = [detail["label"], *detail["aliases"], *(c["label"] for c in detail["children"][:KINDS_SHOWN])]
    return kept_html(G, "concept", (detail["id"], detail["depth"]), lambda: render_template(
        "explore/concept.html", c=detail, terms=terms, max_depth=MAX_DEPTH, related_shown=RELATED_SHOWN,
        cards_shown=CARDS_SHOWN, kinds_shown=KINDS_SHOWN,
        colour=community_colour(detail["community"]), built_at=built_at(G),
    ))


@bp.get("/api/concept/<slug>")
def api_concept(slug):
    """JSON twin of a concept page."""
    G, detail = _concept(slug)
    return kept_json(G, "concept", (detail["id"], detail["depth"]), lambda: detail)


def _card(card_id: str):
    G = get_graph()
    node = card_node(card_id)
    if node not in G or G.nodes[node].get("kind") != "card":
        where = "in this scope" if request_scope() else "in this workspace"
        abort(404, f"There is no card with that id {where}.")
    return G, kept(G, "card", node, lambda: _card_data(G, node))


def _card_data(G, node: str) -> dict:
    """Everything a card page shows; kept per graph, so it is read-only once returned."""
    d = G.nodes[node]
    concepts = []
    for _, concept, kind, edge in G.out_edges(node, keys=True, data=True):
        if kind != "mentions":
            continue
        c = G.nodes[concept]
        concepts.append({
            "id": concept, "label": c.get("label", concept), "aliases": list(c.get("aliases", [])),
            "count": edge.get("count", 1), "in_question": bool(edge.get("in_question")),
            "url": node_url(concept),
        })
    concepts.sort(key=lambda c: (-c["count"], c["label"].lower()))
    related = related_cards(G, node, limit=RELATED_CARDS)
    for r in related:
        r["url"] = node_url(r["id"])
    graph = G.subgraph([node, *(c["id"] for c in concepts)])
    links = {}
    for c in concepts:
        for term in (c["label"], *c["aliases"]):
            links.setdefault(term, c["url"])
    return {
        "id": node,
        "question": d.get("question", ""),
        "answer": d.get("answer", ""),
        # The card as its author wrote it, sanitised (kg.web.cardhtml): safe to put in a page.
        "question_html": _as_written(d, "question", node, links),
        "answer_html": _as_written(d, "answer", node, links),
        # The answer's fields by name, when it was made of several (kg.cardfields): shown labelled.
        "answer_fields": [{"name": name, "html": _as_written(d, "answer", node, links, value)}
                          for name, value in d.get("answer_fields", ())],
        "deck": d.get("deck", ""),
        "tags": list(d.get("tags", [])),
        "source": d.get("source", ""),
        "concepts": concepts,
        "related": related,
        "url": node_url(node),
        "graph": graph_view(graph, focus=node),
    }


def _as_written(d: dict, side: str, node: str, links: dict, part: str | None = None) -> str:
    """One side of a card as sanitised HTML: its source HTML, or its plain text; with `part`, that
    part of the side (one of its fields), written as the side is."""
    raw, text = d.get(f"{side}_html") or "", d.get(side, "")
    if part is not None:
        raw, text = (part, "") if raw else ("", part)
    card_id = node.removeprefix("card:")

    def media_url(name: str) -> str | None:
        if media_file(d.get("source", ""), name) is None:
            return None
        return url_for("explore.card_media", card_id=card_id, name=name)

    return str(render_card_html(raw or text, is_html=bool(raw), links=links, media_url=media_url))


@bp.get("/card/<card_id:card_id>")
def card(card_id):
    """One card in full as its author wrote it, its concepts linked, with the cards most like it."""
    G, data = _card(card_id)
    return kept_html(G, "card", data["id"], lambda: render_template(
        "explore/card.html", card=data, built_at=built_at(G)))


@bp.get("/card-media/<card_id:card_id>/<name>")
def card_media(card_id, name):
    """An image a card shows, from its deck's own folder (see kg.web.cardhtml.media_file)."""
    G, _ = _card(card_id)
    found = media_file(G.nodes[f"card:{card_id}"].get("source", ""), name)
    if found is None:
        abort(404, "This card has no image of that name.")
    if isinstance(found, bytes):  # from inside an Anki package
        return send_file(BytesIO(found), download_name=name, max_age=3600)
    return send_file(found, max_age=3600)


@bp.get("/api/card/<card_id:card_id>")
def api_card(card_id):
    """JSON twin of a card page."""
    G, data = _card(card_id)
    return kept_json(G, "card", data["id"], lambda: data)


@bp.get("/api/communities")
def api_communities():
    """Communities of concepts, largest first, each named by its central concepts."""
    G = get_graph()
    return kept_json(G, "communities", None, lambda: {"communities": [
        dict(c, colour=community_colour(c["id"])) for c in communities(G)
    ]})


@bp.get("/api/gaps")
def api_gaps():
    """Concepts close in meaning but rarely studied together."""
    limit = int_arg("limit", GAPS, low=1, high=100)
    return jsonify({"gaps": gaps(get_graph(), limit=limit)})
