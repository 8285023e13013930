"""Graph views: pyvis networks laid out on the server, handed to the browser as escaped data.

pyvis's own HTML template fetches vis-network and Bootstrap from public CDNs and writes the
heading and every node `title` into the page as HTML, so kg never uses it: pyvis assembles the
nodes, edges and options, `view_data` turns them into plain data, and the page (or
`notebook_html`) draws them with the vis-network build that ships inside the pyvis package.
Tooltips are plain text: every `title` is a string that the drawing script puts into a text
node, never into HTML.
"""

from __future__ import annotations

import json
import math
import random
import uuid
from pathlib import Path

import networkx as nx
import pyvis
from pyvis.network import Network

from kg.importance import seeded_igraph
from kg.viewlabels import LABEL_CHAR_WIDTH, LABEL_PX_MIN, label_scales  # noqa: F401 (re-exported)

#: The vis-network build shipped inside pyvis; served or inlined instead of any CDN copy.
VIS_DIR = Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2"
VIS_JS = "vis-network.min.js"
VIS_CSS = "vis-network.css"

LAYOUT_SEED = 42
#: Above this many nodes the spring layout runs fewer iterations so a page stays quick.
BIG_GRAPH = 400
SPRING_ITERATIONS = 60
SPRING_ITERATIONS_BIG = 25
#: Canvas pixels given to each node: a component of n nodes gets about SPREAD * sqrt(n) across
#: (before `separate` opens up whatever still overlaps), ASPECT times wider than tall, as
#: labels are wide and screens are landscape.
SPREAD = 70
ASPECT = 1.5
#: Text longer than this is cut in tooltips and labels (the page lists the full text).
TOOLTIP_CHARS = 160
LABEL_CHARS = 32
#: Dot radius and label size (canvas pixels) run from MIN to MAX with sqrt(importance).
NODE_SIZE_MIN, NODE_SIZE_MAX = 7.0, 30.0
FONT_MIN, FONT_MAX = 13.0, 24.0
#: The node a page is about is drawn at least this big, however unimportant it is.
FOCUS_SIZE = 24.0
#: Label width per character, as a share of the font size (system-ui averages about this).
CHAR_WIDTH = 0.56
#: Rounds of pushing overlapping nodes and labels apart, and the clearance kept between them.
SEPARATE_ROUNDS = 300
DAMPING = 0.75
CLEARANCE = 6.0
#: Pushes halve what is left of an overlap, so it shrinks for ever without reaching zero; an
#: overlap this small (in pixels, well inside the clearance) counts as none, which lets most
#: drawings stop long before SEPARATE_ROUNDS.
SEPARATE_TOLERANCE = 2.0
#: Views of more nodes draw their labels themselves (graph.js), from the zoom
#: `kg.viewlabels.label_scales` gives each, so they never pile up.
LABEL_LAYER_NODES = 30
#: Above this many nodes, de-overlapping would cost more time than the page is worth.
SEPARATE_MAX_NODES = 800

#: Community colours (colour-blind friendly, Okabe-Ito then Tableau), reused cyclically.
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
    "#4E79A7", "#F28E2B", "#59A14F", "#B07AA1", "#76B7B2", "#EDC948", "#FF9DA7",
    "#9C755F", "#BAB0AC",
)
NO_COMMUNITY = "#9AA5B1"
CARD_COLOUR = "#F6F1E3"
CARD_BORDER = "#8A7B55"
DECK_COLOUR = "#3D4852"
FOCUS_BORDER = "#111111"

EDGE_STYLE = {
    "co_occurs": {"color": "#CBD2D9", "arrows": False, "dashes": False},
    "is_a": {"color": "#2B6CB0", "arrows": True, "dashes": False},
    "part_of": {"color": "#2F855A", "arrows": True, "dashes": [6, 4]},
    "related": {"color": "#C05621", "arrows": True, "dashes": False},
    "mentions": {"color": "#D8CFB8", "arrows": False, "dashes": [2, 3]},
    "contains": {"color": "#D8CFB8", "arrows": False, "dashes": [2, 3]},
}

#: vis-network options: no physics (positions come from the server, already de-overlapped),
#: labels hidden below a readable size, so the default view does not pile up.
OPTIONS = {
    "autoResize": True,
    "physics": {"enabled": False},
    "interaction": {
        "hover": True,
        "tooltipDelay": 120,
        "navigationButtons": False,
        "keyboard": {"enabled": True, "bindToWindow": False},
        "multiselect": False,
    },
    "nodes": {
        "shape": "dot",
        "borderWidth": 1,
        # Sizes are set per node; labels that would be drawn smaller than drawThreshold screen
        # pixels are left out until the reader zooms in.
        "scaling": {"label": {"enabled": False, "drawThreshold": 8, "maxVisible": 28}},
        "font": {"face": "system-ui, sans-serif", "color": "#1F2933",
                 "strokeWidth": 3, "strokeColor": "#ffffff"},
    },
    "edges": {
        "smooth": False,
        "selectionWidth": 2,
        "scaling": {"min": 0.5, "max": 5},
        "arrows": {"to": {"enabled": False, "scaleFactor": 0.6}},
    },
}


def community_colour(community) -> str:
    """The colour of a community number (None or negative: grey)."""
    if community is None or not isinstance(community, int) or community < 0:
        return NO_COMMUNITY
    return PALETTE[community % len(PALETTE)]


def community_class(community) -> str:
    """CSS class of a community's colour (`c0`…`c15`, `c-none`), for legends styled without inline CSS."""
    if community is None or not isinstance(community, int) or community < 0:
        return "c-none"
    return f"c{community % len(PALETTE)}"


def _short(text, limit: int) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def layout(graph: nx.Graph, *, seed: int = LAYOUT_SEED, centre: str | None = None) -> dict:
    """Node positions in canvas pixels, compact; `separate` then removes what overlaps.

    Each connected component gets its own seeded spring layout (so a page looks the same on
    every load), sized by its number of nodes and ASPECT times wider than tall; the components
    are then packed in rows, biggest first, instead of being flung to the edges of one shared
    layout. The `centre` node, if given, is pinned to the middle of its component.
    """
    simple = nx.Graph()
    simple.add_nodes_from(graph)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    components = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(map(str, c))))
    iterations = SPRING_ITERATIONS if simple.number_of_nodes() <= BIG_GRAPH else SPRING_ITERATIONS_BIG
    stretch = math.sqrt(ASPECT)
    boxes = []
    for component in components:
        n = len(component)
        if n == 1:
            boxes.append(({next(iter(component)): (0.0, 0.0)}, SPREAD / 2, SPREAD / 2))
            continue
        pos = _spring(simple.subgraph(component), seed=seed, iterations=iterations,
                      centre=centre if centre in component else None)
        radius = SPREAD * math.sqrt(n) / 1.6
        rx, ry = radius * stretch, radius / stretch
        boxes.append(({node: (float(x) * rx, float(y) * ry) for node, (x, y) in pos.items()}, rx, ry))
    # Shelf packing: rows about ASPECT times as wide as the whole drawing is tall.
    area = sum(4 * rx * ry for _, rx, ry in boxes)
    row_width = max(max((2 * rx for _, rx, _ in boxes), default=0.0), math.sqrt(area * ASPECT) * 1.2)
    placed: dict = {}
    x = y = row_height = 0.0
    for pos, rx, ry in boxes:
        width, height = 2 * rx + SPREAD / 2, 2 * ry + SPREAD / 2
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cx, cy = x + width / 2, y + height / 2
        for node, (px, py) in pos.items():
            placed[node] = (cx + px, cy + py)
        x += width
        row_height = max(row_height, height)
    return placed


def _spring(component: nx.Graph, *, seed: int, iterations: int, centre=None) -> dict:
    """Fruchterman-Reingold positions of one connected component, scaled to [-1, 1], `centre`
    (if given) pinned at the origin; the same positions for the same graph and seed.

    igraph's C implementation: a tenth of the time networkx's takes, which matters because
    every concept page lays out its neighbourhood the first time it is asked for.
    """
    import igraph

    nodes = sorted(component, key=str)
    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    # Unweighted on purpose: weighted springs pull strongly linked hubs on top of each other.
    g = igraph.Graph(n=n, edges=[(index[u], index[v]) for u, v in component.edges()])
    rng = random.Random(seed)
    side = math.sqrt(n)
    start = [[rng.uniform(-side, side), rng.uniform(-side, side)] for _ in nodes]
    bounds = {}
    if centre is not None:
        start[index[centre]] = [0.0, 0.0]
        low, high = [-math.inf] * n, [math.inf] * n
        low[index[centre]] = high[index[centre]] = 0.0
        bounds = {"minx": low, "maxx": high, "miny": low, "maxy": high}
    with seeded_igraph(seed):
        coords = g.layout_fruchterman_reingold(niter=iterations, seed=start, grid="nogrid", **bounds).coords
    if centre is not None:
        cx, cy = coords[index[centre]]
        scale = max(max(abs(x - cx), abs(y - cy)) for x, y in coords) or 1.0
        return {node: ((x - cx) / scale, (y - cy) / scale) for node, (x, y) in zip(nodes, coords)}
    xs, ys = [x for x, _ in coords], [y for _, y in coords]
    mx, my = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    scale = max(max(abs(x - mx) for x in xs), max(abs(y - my) for y in ys)) or 1.0
    return {node: ((x - mx) / scale, (y - my) / scale) for node, (x, y) in zip(nodes, coords)}


def _node_title(node: str, data: dict) -> str:
    kind = data.get("kind")
    if kind == "card":
        deck = data.get("deck") or ""
        question = data.get("question") or data.get("label") or node
        return _short(f"Card ({deck}): {question}" if deck else f"Card: {question}", TOOLTIP_CHARS)
    if kind == "deck":
        return _short(f"Deck {data.get('label', node)}: {data.get('cards', 0)} cards", TOOLTIP_CHARS)
    label = data.get("label") or node
    parts = [str(label)]
    cards = data.get("cards")
    if cards is not None:
        parts.append(f"{cards} card{'s' if cards != 1 else ''}")
    aliases = [a for a in data.get("aliases") or () if a and a != label]
    if aliases:
        parts.append("also: " + ", ".join(aliases[:4]))
    return _short(" · ".join(parts), TOOLTIP_CHARS)


def _edge_title(kind: str, data: dict) -> str:
    kinds = data.get("kinds")
    if kinds and len(kinds) > 1 and "kind" not in data:
        return "; ".join(_edge_title(k, {**data, "kinds": None}) for k in kinds)
    if kind == "co_occurs":
        shared = data.get("shared")
        return f"appear together in {shared} card{'s' if shared != 1 else ''}" if shared else "co-occur"
    if kind == "related":
        return f"related: {data.get('verb') or 'relates to'}"
    if kind == "is_a":
        return "is a kind of"
    if kind == "part_of":
        return "is part of"
    return kind.replace("_", " ")


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


def _look(graph: nx.Graph, focus: str | None) -> dict:
    """Dot radius, label text and font size of every node, from its kind and importance."""
    importances = [
        float(d.get("importance") or 0.0) for _, d in graph.nodes(data=True) if d.get("kind") not in ("card", "deck")
    ]
    top = max(importances, default=0.0) or 1.0
    looks = {}
    for node, data in graph.nodes(data=True):
        kind = data.get("kind", "concept")
        if kind == "card":
            size, font = 9.0, FONT_MIN - 1
            label = data.get("label") or data.get("question") or node
        elif kind == "deck":
            size, font = NODE_SIZE_MAX * 0.8, FONT_MAX - 4
            label = data.get("label") or node
        else:
            # sqrt keeps the long tail of rarely mentioned concepts visible next to the hubs.
            share = math.sqrt(max(0.0, float(data.get("importance") or 0.0)) / top)
            size = NODE_SIZE_MIN + (NODE_SIZE_MAX - NODE_SIZE_MIN) * share
            font = FONT_MIN + (FONT_MAX - FONT_MIN) * share
            label = data.get("label") or node
        if node == focus:
            size, font = max(size, FOCUS_SIZE), max(font, FONT_MAX - 2)
        looks[node] = {"size": round(size, 1), "font": round(font, 1),
                       "label": _short(label, LABEL_CHARS),
                       "px": LABEL_PX_MIN}
    return looks


def separate(positions: dict, boxes: dict, *, rounds: int = SEPARATE_ROUNDS,
             clearance: float = CLEARANCE, tolerance: float = SEPARATE_TOLERANCE) -> dict:
    """Positions moved apart until no two boxes overlap (or `rounds` run out).

    `boxes` maps each node to `(half_width, half_height, dy)`: a rectangle centred `dy` below
    the node (a dot with its label underneath). Each round pushes every overlapping pair apart
    along the axis where they overlap least, each by half, so clusters open up without the
    layout's shape being lost; overlaps of `tolerance` pixels or less (well inside the
    clearance) are left. Returns a new dict; graphs above SEPARATE_MAX_NODES come back as they
    are.
    """
    import numpy as np

    nodes = list(positions)
    n = len(nodes)
    if not 1 < n <= SEPARATE_MAX_NODES:
        return dict(positions)
    # One array per axis: every round is a few dozen small numpy operations, and contiguous
    # rows are cheaper to work on than the columns of an (n, 2) array.
    x = np.array([positions[k][0] for k in nodes], dtype=float)
    y = np.array([positions[k][1] for k in nodes], dtype=float)
    hx = np.array([boxes[k][0] for k in nodes], dtype=float) + clearance / 2
    hy = np.array([boxes[k][1] for k in nodes], dtype=float) + clearance / 2
    dy = np.array([boxes[k][2] for k in nodes], dtype=float)
    # Only pairs with a node that moved in the last round can overlap now (two nodes that stayed
    # put did not overlap before, or they would have moved), so each round compares those rows
    # with everyone: the same pushes as comparing all pairs, at a fraction of the cost once
    # most of the drawing has settled.
    rows = np.arange(n)
    outside = np.ones(n, dtype=bool)
    for _ in range(rounds):
        cy = y + dy
        # Boxes are far wider than tall, so few pairs overlap in height: those are found over
        # the whole matrix, and only they are compared across.
        gy = cy[rows, None] - cy[None, :]
        oy = hy[rows, None] + hy[None, :]
        oy -= np.abs(gy)
        hit = oy > tolerance
        hit[np.arange(len(rows)), rows] = False
        r, j = np.nonzero(hit)
        i = rows[r]
        gx = x[i] - x[j]
        ox = (hx[i] + hx[j]) - np.abs(gx)
        keep = ox > tolerance
        if not keep.any():
            break
        r, i, j, gx, ox = r[keep], i[keep], j[keep], gx[keep], ox[keep]
        oy, gy = oy[r, j], gy[r, j]
        # Nodes at the very same spot are split by their order, so the result stays deterministic.
        tie = np.sign(i - j).astype(float)
        sx = np.where(gx == 0, tie, np.sign(gx))
        sy = np.where(gy == 0, tie, np.sign(gy))
        # Sideways is preferred (by the drawing's aspect): it keeps the picture landscape.
        along_x = ox < oy * ASPECT
        px = np.where(along_x, ox * sx, 0.0)
        py = np.where(along_x, 0.0, oy * sy)
        # A pair's pushes are equal and opposite. A pair of two rows is met twice, once from
        # each end; a pair with one end outside the rows only once, so that end is pushed here.
        outside[:] = True
        outside[rows] = False
        far = outside[j]
        at = np.concatenate([i, j[far]])
        # Half each, and damped again because a node may be pushed by several at once.
        x += np.bincount(at, weights=np.concatenate([px, -px[far]]), minlength=n) * DAMPING
        y += np.bincount(at, weights=np.concatenate([py, -py[far]]), minlength=n) * DAMPING
        moved = np.zeros(n, dtype=bool)
        moved[i] = moved[j] = True
        rows = np.flatnonzero(moved)
    return {node: (float(a), float(b)) for node, a, b in zip(nodes, x, y)}


def _boxes(looks: dict) -> dict:
    boxes = {}
    for node, look in looks.items():
        r, font = look["size"], look["font"]
        width = max(2 * r, len(look["label"]) * font * CHAR_WIDTH)
        height = 2 * r + font * 1.25
        # vis draws the label under the dot: the box runs from the dot's top to the label's foot.
        boxes[node] = (width / 2, height / 2, height / 2 - r)
    return boxes


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
    looks = _look(graph, focus)
    pos = separate(layout(graph, seed=seed, centre=focus), _boxes(looks))
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
            "title": _node_title(node, data),
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
            title=_edge_title(kind, data),
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


def script_json(data) -> str:
    """JSON safe to place inside a <script> element: `<`, `>`, `&` and `'` are escaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
        .replace("'", "\\u0027").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


# Draws one graph in the notebook. Tooltips become text nodes inside an element, so a card's
# text can never be read as HTML. The vis-network bundle is wrapped so that a page loader such
# as require.js (classic Jupyter) does not swallow the `vis` global.
_NOTEBOOK_DRAW = """
(function () {
  var holder = document.getElementById(%(container)s);
  var data = JSON.parse(document.getElementById(%(data_id)s).textContent);
  function tip(text) { var el = document.createElement("div"); el.className = "kg-tip";
    el.textContent = text; return el; }
  data.nodes.forEach(function (n) { if (typeof n.title === "string") n.title = tip(n.title); });
  data.edges.forEach(function (e) { if (typeof e.title === "string") e.title = tip(e.title); });
  new vis.Network(holder, {nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)},
                  data.options);
})();
"""

_NOTEBOOK_PAGE = """<div class="kg-graph-view">
<style>%(css)s
.kg-tip { max-width: 22rem; white-space: normal; font: 13px system-ui, sans-serif; }</style>
<div id="%(container_id)s" style="width:100%%;height:%(height)s;border:1px solid #d0d7de;"></div>
<script type="application/json" id="%(data_id_raw)s">%(data)s</script>
<script>if (typeof vis === "undefined" || !vis.Network) {
(function (define, exports, module) {
%(vis_js)s
}).call(window);
}</script>
<script>%(draw)s</script>
</div>"""


def notebook_html(net_or_graph, *, height: str = "560px", focus: str | None = None) -> str:
    """A self-contained HTML fragment drawing the graph offline (for `IPython.display.HTML`).

    Accepts a pyvis Network from `to_pyvis` or a NetworkX graph (which it passes through
    `to_pyvis`). vis-network is inlined from the pyvis package; no request leaves the page.
    """
    net = net_or_graph if isinstance(net_or_graph, Network) else to_pyvis(net_or_graph, focus=focus)
    data = view_data(net)
    # A fresh id per fragment: a notebook shows many graphs on one page.
    suffix = uuid.uuid4().hex[:12]
    container_id = f"kg-graph-{suffix}"
    data_id = f"kg-graph-data-{suffix}"
    vis_js = (VIS_DIR / VIS_JS).read_text(encoding="utf-8").replace("</script", "<\\/script")
    css = (VIS_DIR / VIS_CSS).read_text(encoding="utf-8").replace("</style", "<\\/style")
    return _NOTEBOOK_PAGE % {
        "css": css,
        "container_id": container_id,
        "height": height if all(c.isalnum() or c in ".%" for c in height) else "560px",
        "data_id_raw": data_id,
        "data": script_json(data),
        "vis_js": vis_js,
        "draw": _NOTEBOOK_DRAW % {"container": json.dumps(container_id), "data_id": json.dumps(data_id)},
    }
