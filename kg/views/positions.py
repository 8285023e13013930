"""Where each node of a view is drawn: a seeded spring layout per connected component, the
components packed in rows, so a page looks the same on every load and no component is flung
to the edges. `kg.views.overlap` then moves apart what still overlaps.
"""

from __future__ import annotations

import math
import random

import networkx as nx

from kg.importance import seeded_igraph

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
