"""One community of concepts: its concept graph, its cards, and its bridges to the others."""

from __future__ import annotations

from flask import Blueprint, render_template

from kg.analysis.communitymap import community_detail
from kg.views import community_class, community_colour
from kg.web.explore import built_at
from kg.web.graph import get_graph
from kg.web.links import graph_view, node_url
from kg.web.pages import kept, kept_html, kept_json

bp = Blueprint("community", __name__)

#: Concepts drawn on a community page: about what a person can read in one picture.
COMMUNITY_NODES = 120
CARDS_LISTED = 50
NEIGHBOURS_LISTED = 8


def _community(number: int):
    G = get_graph()
    return G, kept(G, "community", number, lambda: _community_data(G, number))


def _community_data(G, number: int) -> dict:
    """Everything a community page shows; kept per graph, so it is read-only once returned."""
    detail = community_detail(G, number, max_concepts=COMMUNITY_NODES, card_limit=CARDS_LISTED,
                              neighbour_limit=NEIGHBOURS_LISTED)
    for item in (*detail["concepts"], *detail["card_list"]):
        item["url"] = node_url(item["id"])
    for n in detail["neighbours"]:
        n["url"] = node_url(f"community:{n['id']}")
        n["colour_class"] = community_class(n["id"])
        for bridge in n["bridges"]:
            bridge["from"]["url"] = node_url(bridge["from"]["id"])
            bridge["to"]["url"] = node_url(bridge["to"]["id"])
    detail["graph"] = graph_view(detail["graph"])
    detail["colour"] = community_colour(number)
    detail["colour_class"] = community_class(number)
    detail["url"] = node_url(f"community:{number}")
    return detail


@bp.get("/community/<int:number>")
def community(number):
    """One community: its concepts drawn, the cards about them, the concepts bridging it to others."""
    G, data = _community(number)
    return kept_html(G, "community", number, lambda: render_template(
        "community/community.html", c=data, built_at=built_at(G)))


@bp.get("/api/community/<int:number>")
def api_community(number):
    """JSON twin of a community page."""
    G, data = _community(number)
    return kept_json(G, "community", number, lambda: data)
