"""Downloads: the whole graph, or the neighbourhood being viewed, as GraphML, GEXF or JSON."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from kg.export import graph_to_bytes, subgraph_for
from kg.web.explore import DEFAULT_DEPTH, MAX_DEPTH, built_at
from kg.web.graph import get_graph
from kg.web.params import concept_node, int_arg, text_arg

bp = Blueprint("export", __name__, url_prefix="/export")

FORMATS = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "json": "application/json",
}
# The neighbourhood exported is as big as a person could want to open in a graph tool.
EXPORT_NODES = 2000


@bp.get("/")
def index():
    """What can be downloaded, and in which formats."""
    G = get_graph()
    concept = text_arg("concept")
    label = None
    if concept:
        from kg.web.path import resolve

        node = resolve(G, concept)
        concept = node.removeprefix("concept:")
        label = G.nodes[node].get("label", node)
    return render_template("export/index.html", formats=FORMATS, concept=concept, label=label,
                           depth=int_arg("depth", DEFAULT_DEPTH, low=1, high=MAX_DEPTH),
                           max_depth=MAX_DEPTH, built_at=built_at(G))


@bp.get("/<fmt>")
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
