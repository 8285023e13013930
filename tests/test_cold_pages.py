"""A concept page asked for the first time: its drawing is the same every time, from any thread,
and a full-size neighbourhood comes out with no label on top of another."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import networkx as nx

from kg.analysis import neighbourhood
from kg.views import (
    CLEARANCE,
    SEPARATE_TOLERANCE,
    layout,
    separate,
    to_pyvis,
    view_data,
)
from kg.views.overlap import label_boxes
from kg.views.style import node_looks


def _overlapping_pairs(nodes: list[dict]) -> list[tuple[str, str]]:
    looks = {n["id"]: {"size": n["size"], "font": n["font"]["size"], "label": n["label"]} for n in nodes}
    boxes = label_boxes(looks)
    found = []
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            (wa, ha, da), (wb, hb, db) = boxes[a["id"]], boxes[b["id"]]
            dx = abs(a["x"] - b["x"])
            dy = abs((a["y"] + da) - (b["y"] + db))
            # Positions are rounded to 0.1 px on the way out.
            slack = SEPARATE_TOLERANCE + 0.2
            if dx < wa + wb + CLEARANCE - slack and dy < ha + hb + CLEARANCE - slack:
                found.append((a["id"], b["id"]))
    return found


def _crowded_graph(n: int = 100) -> nx.Graph:
    """A big, dense neighbourhood: a hub linked to everything, three links per node among the
    rest (real pages have fewer), labels as long as real concept names."""
    G = nx.gnm_random_graph(n - 1, 3 * n, seed=3)
    G = nx.relabel_nodes(G, {i: f"concept:term-{i}" for i in G})
    for node in list(G):
        G.add_edge("concept:hub", node, weight=1.0)
    for i, node in enumerate(G):
        G.nodes[node].update(kind="concept", label=f"a rather long concept name {i}",
                             importance=1.0 / (1 + i), community=i % 7)
    return G


def test_a_full_neighbourhood_is_drawn_with_no_label_on_another():
    G = _crowded_graph()
    data = view_data(to_pyvis(G, focus="concept:hub"))
    assert len(data["nodes"]) == G.number_of_nodes()
    assert _overlapping_pairs(data["nodes"]) == []


def test_a_drawing_is_the_same_every_time_even_when_drawn_from_many_threads_at_once():
    G = _crowded_graph(80)
    alone = layout(G, centre="concept:hub")
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda _: layout(G, centre="concept:hub"), range(8)))
    assert all(drawn == alone for drawn in together)
    # The page's own concept sits in the middle of what is drawn around it.
    xs = [x for x, _ in alone.values()]
    ys = [y for _, y in alone.values()]
    cx, cy = alone["concept:hub"]
    assert min(xs) < cx < max(xs) and min(ys) < cy < max(ys)


def test_a_real_concept_page_drawing_repeats_and_keeps_every_node_apart(bundled_graph):
    busiest = max((n for n, d in bundled_graph.nodes(data=True) if d.get("kind") == "concept"),
                  key=lambda n: (bundled_graph.degree(n), n))
    sub = neighbourhood(bundled_graph, busiest)
    first = view_data(to_pyvis(sub, focus=busiest))
    assert first == view_data(to_pyvis(sub, focus=busiest))
    assert {n["id"] for n in first["nodes"]} == set(sub)
    assert _overlapping_pairs(first["nodes"]) == []


def test_separating_leaves_the_input_positions_alone():
    positions = {f"n{i}": (float(i % 2), 0.0) for i in range(6)}
    before = dict(positions)
    boxes = label_boxes(node_looks(nx.Graph([(a, b) for a in positions for b in positions if a < b]), None))
    separate(positions, boxes)
    assert positions == before
