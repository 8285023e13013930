"""Search: concepts (typo- and alias-tolerant) and the cards ranked for a query."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from kg.search import query_words, search as search_graph, suggest
from kg.web.explore import built_at
from kg.web.graph import get_graph, prepared_search_index
from kg.web.links import node_url
from kg.web.pages import kept, kept_html, kept_json
from kg.web.params import int_arg, text_arg

bp = Blueprint("search", __name__)

DEFAULT_LIMIT = 20
MAX_LIMIT = 200
SUGGESTIONS = 10


def _search():
    G = get_graph()
    query = text_arg("q")
    limit = int_arg("limit", DEFAULT_LIMIT, low=1, high=MAX_LIMIT)
    key = (query, limit)
    return G, key, kept(G, "search", key, lambda: _search_data(G, query, limit))


def _search_data(G, query: str, limit: int) -> dict:
    prepared_search_index(G)
    found = search_graph(G, query, limit=limit) if query else {"concepts": [], "concepts_by_word": False, "cards": []}
    for item in (*found["concepts"], *found["cards"]):
        item["url"] = node_url(item["id"])
    return {"query": query, **found}


@bp.get("/search")
def search():
    """Concepts and cards for a query."""
    G, key, data = _search()
    # The whole query, its words and the concepts it names are marked in each card listed.
    terms = [data["query"], *query_words(data["query"]), *(c["label"] for c in data["concepts"][:3])]
    return kept_html(G, "search", key, lambda: render_template(
        "search/search.html", **data, terms=terms, built_at=built_at(G)))


@bp.get("/api/search")
def api_search():
    """JSON twin of the search page."""
    G, key, data = _search()
    return kept_json(G, "search", key, lambda: data)


@bp.get("/api/suggest")
def api_suggest():
    """Concept labels completing what the user has typed, for the search box."""
    query = text_arg("q")
    limit = int_arg("limit", SUGGESTIONS, low=1, high=50)
    G = get_graph()
    prepared_search_index(G)
    found = suggest(G, query, limit=limit) if query else []
    return jsonify({"query": query, "suggestions": [
        {"id": s["id"], "label": s["label"], "url": node_url(s["id"])} for s in found
    ]})
