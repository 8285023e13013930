"""Downloads: the whole graph, or the neighbourhood being viewed, as GraphML, GEXF or JSON."""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, request, url_for

from kg.export import graph_to_bytes, subgraph_for
from kg.web.explore import DEFAULT_DEPTH, MAX_DEPTH, built_at
from kg.web.graph import get_graph
from kg.web.params import concept_node, int_arg, text_arg

bp = Blueprint("export", __name__)

FORMATS = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "json": "application/json",
}
# The neighbourhood exported is as big as a person could want to open in a graph tool.
EXPORT_NODES = 2000


def _index():
    G = get_graph()
    concept = text_arg("concept")
    depth = int_arg("depth", DEFAULT_DEPTH, low=1, high=MAX_DEPTH)
    label = None
    if concept:
        from kg.web.path import resolve

        node = resolve(G, concept)
        concept = node.removeprefix("concept:")
        label = G.nodes[node].get("label", node)
    args = {"concept": concept, "depth": depth} if concept else {}
    downloads = {fmt: url_for("export.download", fmt=fmt, **args) for fmt in FORMATS}
    return G, {"concept": concept or None, "label": label, "depth": depth, "max_depth": MAX_DEPTH,
               "formats": FORMATS, "downloads": downloads}


@bp.get("/export/")
def index():
    """What can be downloaded, and in which formats."""
    G, data = _index()
    return render_template("export/index.html", **data, built_at=built_at(G))


@bp.get("/api/export", endpoint="api_index")
def api_index():
    """JSON twin of the export page: the download URL of each format."""
    _, data = _index()
    return jsonify(data)


@bp.get("/export/<fmt>")
def download(fmt):
    """The graph (or `?concept=&depth=` neighbourhood) as an attachment."""
    if fmt not in FORMATS:
        abort(404, f"Unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    G = get_graph()
    concept = text_arg("concept")
    name = "kg"
    if concept:
        slug = concept.removeprefix("concept:")
        node = concept_node(slug)
        depth = int_arg("depth", DEFAULT_DEPTH, low=1, high=MAX_DEPTH)
        G = subgraph_for(G, node, depth=depth, max_nodes=EXPORT_NODES)
        name = f"kg-{slug}-depth{depth}"
    elif "depth" in request.args:
        abort(400, "depth only applies together with concept=.")
    body = graph_to_bytes(G, format=fmt)
    return Response(
        body,
        mimetype=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )
