"""The pyvis network of a graph (an overview or a neighbourhood), laid out and styled on the
server, and `view_data`, its plain JSON-ready data for the page or the notebook to draw.
"""

from __future__ import annotations

import json

import networkx as nx
from pyvis.network import Network

from kg.viewlabels import label_scales
from kg.views.overlap import label_boxes, separate
from kg.views.positions import LAYOUT_SEED, layout
from kg.views.style import (
    CARD_BORDER, CARD_COLOUR, DECK_COLOUR, EDGE_STYLE, FOCUS_BORDER, OPTIONS, community_colour, edge_title, node_looks,
    node_title,
)

#: Views of more nodes draw their labels themselves (graph.js), from the zoom
#: `kg.viewlabels.label_scales` gives each, so they never pile up.
LABEL_LAYER_NODES = 30

#: When one drawn link stands for several kinds (`kg.conceptgraph.concept_graph` merges them), it is
#: styled as the most telling one.
KIND_PREFERENCE = ("related", "is_a", "part_of", "co_occurs", "mentions", "contains")


def _kind(data: dict, key=None) -> str:
    if data.get("kind"):
        return data["kind"]
    kinds = data.get("kinds") or ([key] if isinstance(key, str) else [])
    return next((k for k in KIND_PREFERENCE if k in kinds), kinds[0] if kinds else "co_occurs")


def _edges(graph: nx.Graph):
    """(u, v, kind, data) for every edge, whatever kind of NetworkX graph `graph` is."""
    if graph.is_multigraph():
        for u, v, key, data in graph.edges(keys=True, data=True):
            yield u, v, _kind(data, key), data
    else:
        for u, v, data in graph.edges(data=True):
            yield u, v, _kind(data), data


def to_pyvis(
    graph: nx.Graph,
    *,
    focus: str | None = None,
    seed: int = LAYOUT_SEED,
    height: str = "100%",
) -> Network:
    """A pyvis Network of `graph` (an overview or a neighbourhood), laid out and styled.

    Node size and label size follow `importance` (cards get a small fixed size), colour
    follows `community`; the `focus` node is drawn large with a dark ring whatever its
    importance. Positions come from `layout`, then `separate` moves dots and labels off each
    other; physics is off. `graph` is not modified.
    """
    net = Network(height=height, width="100%", directed=True)
    looks = node_looks(graph, focus)
    pos = separate(layout(graph, seed=seed, centre=focus), label_boxes(looks))
    scales = {}
    if graph.number_of_nodes() > LABEL_LAYER_NODES:
        # Big views draw their labels at a fixed screen size, most important first (graph.js).
        order = sorted(graph, key=lambda k: (k != focus, -looks[k]["size"], str(k)))
        scales = label_scales(pos, looks, order)
    for node, data in graph.nodes(data=True):
        kind = data.get("kind", "concept")
        look = looks[node]
        x, y = pos.get(node, (0.0, 0.0))
        options = {
            "x": round(x, 1),
            "y": round(y, 1),
            "title": node_title(node, data),
            "kind": kind,
            "size": look["size"],
            "font": {"size": look["font"]},
        }
        if scales:
            options["labelScale"] = scales[node]
            options["labelPx"] = look["px"]
            options["labelFont"] = look["font"]
        if kind == "card":
            options.update(shape="square", color={"background": CARD_COLOUR, "border": CARD_BORDER})
        elif kind == "deck":
            options.update(shape="diamond", color=DECK_COLOUR)
        else:
            colour = community_colour(data.get("community"))
            options["color"] = {"background": colour, "border": colour,
                                "highlight": {"background": colour, "border": FOCUS_BORDER},
                                "hover": {"background": colour, "border": FOCUS_BORDER}}
            options["community"] = data.get("community")
        if node == focus:
            options["borderWidth"] = 5
            options["focus"] = True
            options["font"] = {"size": look["font"], "bold": True}
            if isinstance(options.get("color"), dict):
                options["color"] = dict(options["color"], border=FOCUS_BORDER)
        net.add_node(node, label=look["label"], **options)
    for u, v, kind, data in _edges(graph):
        if u == v or u not in net.node_map or v not in net.node_map:
            continue
        style = EDGE_STYLE.get(kind, EDGE_STYLE["co_occurs"])
        net.add_edge(
            u, v,
            kind=kind,
            title=edge_title(kind, data),
            value=round(float(data.get("weight", 1) or 1), 3),
            color=style["color"],
            # An undirected view (concept_graph) has lost which end is the parent.
            arrows={"to": {"enabled": style["arrows"] and graph.is_directed()}},
            dashes=style["dashes"],
        )
    net.set_options(json.dumps(OPTIONS))
    return net


def view_data(net: Network) -> dict:
    """`{"nodes", "edges", "options"}` of a pyvis Network, as plain JSON-ready data."""
    options = net.options if isinstance(net.options, dict) else json.loads(net.options.to_json())
    return {
        "nodes": [dict(node) for node in net.nodes],
        "edges": [dict(edge) for edge in net.edges],
        "options": options,
    }
