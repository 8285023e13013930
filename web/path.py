"""How two concepts connect: the hops between them and the cards that justify each."""

from __future__ import annotations

import networkx as nx
from flask import Blueprint, abort, jsonify, render_template

from kg.analysis import explain_path
from kg.search import suggest
from kg.web.explore import built_at
from kg.web.graph import get_graph, prepared_search_index
from kg.web.links import graph_view, node_url
from kg.web.params import CONCEPT_SLUG, text_arg

bp = Blueprint("path", __name__)

CARDS_PER_HOP = 5


def resolve(G, text: str) -> str:
    """The concept a person meant by `text`: an id, a slug, a label, an alias or a near miss."""
    slug = text.removeprefix("concept:")
    if CONCEPT_SLUG.match(slug) and G.has_node(f"concept:{slug}"):
        return f"concept:{slug}"
    found = suggest(G, text, limit=1)
    if not found:
        abort(404, f"No concept matches {text!r}.")
    return found[0]["id"]


def _path():
    G = get_graph()
    prepared_search_index(G)
    source, target = text_arg("from"), text_arg("to")
    if not source or not target:
        return G, {"from": source, "to": target, "hops": [], "asked": False}
    a, b = resolve(G, source), resolve(G, target)
    return G, path_page(source, target, a, b, explain_path(G, a, b), G.nodes)


def path_page(source: str, target: str, a: str, b: str, result: dict, attrs) -> dict:
    """The path page's data from `explain_path`'s `result` between `a` and `b`, `attrs[node]`
    giving each node's attributes (memory and stores alike)."""
    chain = nx.DiGraph()
    for node in (a, b):
        chain.add_node(node, **attrs[node])
    for hop in result["hops"]:
        for node in (hop["from"], hop["to"]):
            chain.add_node(node, **attrs[node])
        # Drawn the way the link points: a hop walked against it ("data versions", then
        # "MLOps tracks" them) keeps the arrow on the thing tracked.
        u, v = (hop["to"], hop["from"]) if hop.get("reverse") else (hop["from"], hop["to"])
        chain.add_edge(u, v, kind=hop["kind"], verb=hop.get("verb"), shared=len(hop["cards"]), weight=1)
        hop["from_label"] = attrs[hop["from"]].get("label", hop["from"])
        hop["to_label"] = attrs[hop["to"]].get("label", hop["to"])
        hop["from_url"], hop["to_url"] = node_url(hop["from"]), node_url(hop["to"])
        for card in hop["cards"]:
            card["url"] = node_url(card["id"])
    return {
        **result,
        "from": source,
        "to": target,
        "source": {"id": a, "label": attrs[a].get("label", a), "url": node_url(a)},
        "target": {"id": b, "label": attrs[b].get("label", b), "url": node_url(b)},
        "asked": True,
        "graph": graph_view(chain, focus=a),
    }


@bp.get("/path")
def path():
    """The chain of concepts between two concepts, each hop with its cards."""
    G, data = _path()
    return render_template("path/path.html", p=data, cards_per_hop=CARDS_PER_HOP,
                           built_at=built_at(G))


@bp.get("/api/path")
def api_path():
    """JSON twin of the path page."""
    _, data = _path()
    if not data["asked"]:
        abort(400, "Give two concepts: /api/path?from=…&to=…")
    return jsonify(data)
