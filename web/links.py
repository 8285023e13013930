"""From graph node ids to page URLs, and from graphs to the data a page draws."""

from __future__ import annotations

import functools

import networkx as nx
from flask import request, url_for

from kg.views import to_pyvis, view_data
from kg.web.scope import checked_scope

KIND_PREFIXES = ("concept:", "card:", "deck:")


def node_url(node: str) -> str | None:
    """The page of a graph node (None for nodes without a page, such as decks)."""
    # A concept page links a few hundred nodes (cards, neighbours, their evidence), the same
    # ones page after page; url_for is the slow part of drawing it, so each URL is built once
    # per mount point.
    # url_for keeps the request's scope (kg.web.scope), so the scope is part of the key.
    return _node_url(str(node), request.script_root, checked_scope())


@functools.lru_cache(maxsize=1 << 16)
def _node_url(node: str, script_root: str, scope) -> str | None:
    kind, _, rest = node.partition(":")
    if kind == "concept":
        return url_for("explore.concept", slug=rest)
    if kind == "card":
        return url_for("explore.card", card_id=rest)
    if kind == "community" and rest.isdigit():
        return url_for("community.community", number=int(rest))
    return None


def bare_id(node: str) -> str:
    """A node id without its kind prefix, as used in URLs."""
    return str(node).partition(":")[2] or str(node)


def graph_view(graph: nx.Graph, *, focus: str | None = None) -> dict:
    """`kg.views.view_data` of `graph`, each node carrying the URL of its page."""
    data = view_data(to_pyvis(graph, focus=focus))
    for node in data["nodes"]:
        url = node_url(node["id"])
        if url:
            node["url"] = url
    return data
