"""Write the graph for other tools: GraphML and GEXF (Gephi, igraph, yEd), JSON, CSV.

GraphML and GEXF carry only scalars, so lists become "|"-joined strings and None becomes "".
Concept nodes get a colour per community (`r`, `g`, `b`), a `size` and a seeded layout (`x`,
`y`), so the file opens in Gephi looking like the graph. `json` is networkx node-link data with
lists kept as lists. `csv` is one zip archive holding `nodes.csv` and `edges.csv` (Gephi's
spreadsheet import reads each), because a download or an `-o` path is one file.

Writes go to a temporary file beside the target and are moved into place, so a failed export
leaves no partial file behind.
"""

from __future__ import annotations

import colorsys
import csv
import io
import json
import math
import os
import random
import tempfile
import zipfile
from pathlib import Path

import networkx as nx

from kg.errors import ExportError, NotFound

__all__ = ["FORMATS", "export_graph", "graph_to_bytes", "subgraph_for"]

FORMATS = ("graphml", "gexf", "json", "csv")
# spring_layout is quick (dense numpy) below 500 nodes and slow past it: only the most important
# concepts get the force layout, the others are placed beside them.
SPRING_LAYOUT_MAX_NODES = 499
LAYOUT_SEED = 42
LAYOUT_SCALE = 1000.0
_CARD_COLOUR = (190, 190, 190)
_DECK_COLOUR = (90, 90, 90)


def export_graph(G: nx.MultiDiGraph, path, *, format: str) -> Path:
    """Write `G` to `path` in `format` (one of FORMATS) and return the path written.

    Raises ExportError when the format is unknown or the file cannot be written; the target is
    then left as it was.
    """
    path = Path(path)
    data = graph_to_bytes(G, format=format)
    if not path.parent.is_dir():
        raise ExportError(f"cannot export to {path}: folder {path.parent} does not exist")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as e:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        raise ExportError(f"cannot export to {path}: {e.strerror or e}") from e
    return path


def graph_to_bytes(G: nx.MultiDiGraph, *, format: str) -> bytes:
    """The export of `G` in `format` as bytes (what `export_graph` writes), for downloads."""
    if format not in FORMATS:
        raise ExportError(f"unknown export format {format!r}; use one of {', '.join(FORMATS)}")
    if format == "json":
        data = nx.node_link_data(G, edges="edges")
        return json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
    flat = _flat_graph(G, viz=(format == "gexf"))
    buffer = io.BytesIO()
    if format == "graphml":
        nx.write_graphml(flat, buffer, encoding="utf-8", prettyprint=True)
    elif format == "gexf":
        nx.write_gexf(flat, buffer, encoding="utf-8", prettyprint=True)
    else:
        _write_csv_zip(flat, buffer)
    return buffer.getvalue()


def subgraph_for(G: nx.MultiDiGraph, concept: str, *, depth: int = 1, max_nodes: int = 150) -> nx.MultiDiGraph:
    """The part of `G` around one concept: concepts within `depth` links, the cards that mention
    the concept or two of those neighbours, and their decks. Same contract as `G`.

    `concept` is a concept id, a slug, or a name as written (label, key or alias); NotFound if
    nothing is called so.
    """
    from kg.analysis import neighbourhood

    node = _find_concept(G, concept)
    concepts = set(neighbourhood(G, node, depth=depth, max_nodes=max_nodes))
    keep = set(concepts)
    for card, _, k in G.in_edges(node, keys=True):
        if k == "mentions":
            keep.add(card)
    for c in concepts - {node}:
        for card, _, k in G.in_edges(c, keys=True):
            if k == "mentions" and card not in keep:
                named = {v for _, v, kk in G.out_edges(card, keys=True) if kk == "mentions"}
                if len(named & concepts) >= 2:
                    keep.add(card)
    keep.update(u for card in list(keep) for u, _, k in G.in_edges(card, keys=True) if k == "contains")
    return G.subgraph(keep).copy()


def _find_concept(G: nx.MultiDiGraph, name: str) -> str:
    from kg.ids import concept_id

    for candidate in (name, f"concept:{name}", concept_id(name)):
        if candidate in G and G.nodes[candidate].get("kind") == "concept":
            return candidate
    wanted = name.strip().lower()
    for n, d in G.nodes(data=True):
        if d.get("kind") == "concept" and wanted in {
            d.get("label", "").lower(), d.get("key", "").lower(), *(a.lower() for a in d.get("aliases", []))
        }:
            return n
    raise NotFound(f"no concept named {name!r}; try `kg search {name}`")


def _scalar(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set, frozenset)):
        # A list of pairs (a card's answer fields, [name, value]) reads "name: value".
        return "|".join(": ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v) for v in value)
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _unify_types(items: list[dict]) -> None:
    """GraphML declares one type per attribute: make every value of a key the same type."""
    types: dict[str, set] = {}
    for attrs in items:
        for k, v in attrs.items():
            types.setdefault(k, set()).add(type(v))
    for k, seen in types.items():
        if len(seen) <= 1:
            continue
        target = float if seen <= {int, float} else str
        for attrs in items:
            if k in attrs:
                attrs[k] = target(attrs[k])


def _flat_graph(G: nx.MultiDiGraph, *, viz: bool) -> nx.MultiDiGraph:
    layout = _layout(G)
    colours = _community_colours(G)
    flat = nx.MultiDiGraph()
    node_attrs = []
    for n, d in G.nodes(data=True):
        attrs = {k: _scalar(v) for k, v in d.items()}
        attrs.setdefault("kind", "")
        attrs.setdefault("label", str(n))
        kind = attrs["kind"]
        r, g, b = (colours.get(d.get("community", -1), _CARD_COLOUR) if kind == "concept"
                   else _DECK_COLOUR if kind == "deck" else _CARD_COLOUR)
        size = float(d.get("cards", 1) or 1)
        attrs.update(r=r, g=g, b=b, size=round(4.0 + 6.0 * math.log1p(size), 3) if kind != "card" else 3.0)
        x, y = layout.get(n, (0.0, 0.0))
        attrs.update(x=round(float(x), 3), y=round(float(y), 3))
        node_attrs.append(attrs)
    _unify_types(node_attrs)
    for (n, _), attrs in zip(G.nodes(data=True), node_attrs):
        if viz:
            # GEXF keeps colour, position and size in its own viz namespace, which Gephi reads.
            attrs["viz"] = {"color": {"r": attrs["r"], "g": attrs["g"], "b": attrs["b"], "a": 1.0},
                            "position": {"x": attrs["x"], "y": attrs["y"], "z": 0.0},
                            "size": attrs["size"]}
        flat.add_node(n, **attrs)
    edge_attrs = []
    edges = []
    for u, v, k, d in G.edges(keys=True, data=True):
        attrs = {key: _scalar(value) for key, value in d.items()}
        attrs.setdefault("kind", k)
        attrs.setdefault("weight", 1.0)
        attrs["weight"] = float(attrs["weight"])
        edges.append((u, v, k))
        edge_attrs.append(attrs)
    _unify_types(edge_attrs)
    for i, ((u, v, k), attrs) in enumerate(zip(edges, edge_attrs)):
        # GraphML edge ids must be unique in the file; the kind stays in the `kind` attribute.
        flat.add_edge(u, v, key=f"e{i}", **attrs)
    flat.graph.update({k: _scalar(v) for k, v in G.graph.items()})
    return flat


def _community_colours(G: nx.MultiDiGraph) -> dict[int, tuple[int, int, int]]:
    communities = sorted({d.get("community", -1) for _, d in G.nodes(data=True) if d.get("kind") == "concept"})
    colours = {}
    for i, c in enumerate(communities):
        # Golden-ratio hue steps keep neighbouring community numbers far apart on the wheel.
        hue = (i * 0.618033988749895) % 1.0
        r, g, b = colorsys.hsv_to_rgb(hue, 0.65, 0.9)
        colours[c] = (int(r * 255), int(g * 255), int(b * 255))
    return colours


def _layout(G: nx.MultiDiGraph) -> dict:
    """Concepts laid out by their links; cards at the middle of their concepts, decks of cards."""
    from kg.conceptgraph import concept_graph

    H = concept_graph(G)
    rng = random.Random(LAYOUT_SEED)
    core = sorted(H, key=lambda n: (-H.nodes[n].get("importance", 0.0), n))[:SPRING_LAYOUT_MAX_NODES]
    pos = nx.spring_layout(H.subgraph(core), seed=LAYOUT_SEED, scale=LAYOUT_SCALE, iterations=50) if core else {}
    # The less important concepts join their laid-out neighbours, or their community's disc.
    fallback = _community_circle_layout(G) if len(H) > len(core) else {}
    for n in H:
        if n not in pos:
            around = [pos[v] for v in H[n] if v in pos]
            if around:
                pos[n] = (sum(p[0] for p in around) / len(around) + rng.uniform(-20, 20),
                          sum(p[1] for p in around) / len(around) + rng.uniform(-20, 20))
            else:
                pos[n] = fallback[n]
    for kind in ("card", "deck"):  # decks sit among their cards, so cards come first
        for n, d in G.nodes(data=True):
            if n in pos or (d.get("kind") == "card") != (kind == "card"):
                continue
            around = [pos[v] for v in G.successors(n) if v in pos]
            if around:
                x = sum(p[0] for p in around) / len(around)
                y = sum(p[1] for p in around) / len(around)
            else:
                x, y = LAYOUT_SCALE * (rng.random() - 0.5), LAYOUT_SCALE * (rng.random() - 0.5)
            pos[n] = (x + rng.uniform(-15, 15), y + rng.uniform(-15, 15))
    return pos


def _community_circle_layout(G: nx.MultiDiGraph) -> dict:
    """Linear-time layout for big graphs: each community on its own disc around a spiral."""
    rng = random.Random(LAYOUT_SEED)
    groups: dict[int, list[str]] = {}
    for n, d in G.nodes(data=True):
        if d.get("kind") == "concept":
            groups.setdefault(d.get("community", -1), []).append(n)
    order = sorted(groups, key=lambda c: -len(groups[c]))
    total = sum(len(g) for g in groups.values()) or 1
    pos = {}
    for i, c in enumerate(order):
        angle = 2.399963 * i  # golden angle: communities spread evenly on a spiral
        ring = 0.1 * math.sqrt(i)
        cx, cy = ring * math.cos(angle), ring * math.sin(angle)
        radius = 0.5 * math.sqrt(len(groups[c]) / total) + 0.01
        for n in groups[c]:
            a, r = rng.random() * 2 * math.pi, radius * math.sqrt(rng.random())
            pos[n] = (LAYOUT_SCALE * (cx + r * math.cos(a)), LAYOUT_SCALE * (cy + r * math.sin(a)))
    return pos


def _write_csv_zip(flat: nx.MultiDiGraph, buffer: io.BytesIO) -> None:
    node_keys = sorted({k for _, d in flat.nodes(data=True) for k in d if k != "viz"})
    edge_keys = sorted({k for _, _, d in flat.edges(data=True) for k in d})
    nodes = io.StringIO()
    w = csv.writer(nodes)
    w.writerow(["id"] + node_keys)
    for n, d in flat.nodes(data=True):
        w.writerow([n] + [d.get(k, "") for k in node_keys])
    edges = io.StringIO()
    w = csv.writer(edges)
    w.writerow(["source", "target", "key"] + edge_keys)
    for u, v, k, d in flat.edges(keys=True, data=True):
        w.writerow([u, v, k] + [d.get(key, "") for key in edge_keys])
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("nodes.csv", nodes.getvalue())
        z.writestr("edges.csv", edges.getvalue())
