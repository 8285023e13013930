"""How a view looks: community colours, edge styles, vis-network's options, and each node's dot
size, label and tooltip from its kind and importance.

Tooltips are plain text: every `title` is a string the drawing script puts into a text node,
never into HTML.
"""

from __future__ import annotations

import math

import networkx as nx

from kg.viewlabels import LABEL_PX_MIN

#: Text longer than this is cut in tooltips and labels (the page lists the full text).
TOOLTIP_CHARS = 160
LABEL_CHARS = 32
#: Dot radius and label size (canvas pixels) run from MIN to MAX with sqrt(importance).
NODE_SIZE_MIN, NODE_SIZE_MAX = 7.0, 30.0
FONT_MIN, FONT_MAX = 13.0, 24.0
#: The node a page is about is drawn at least this big, however unimportant it is.
FOCUS_SIZE = 24.0

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


def short(text, limit: int) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def node_title(node: str, data: dict) -> str:
    kind = data.get("kind")
    if kind == "card":
        deck = data.get("deck") or ""
        question = data.get("question") or data.get("label") or node
        return short(f"Card ({deck}): {question}" if deck else f"Card: {question}", TOOLTIP_CHARS)
    if kind == "deck":
        return short(f"Deck {data.get('label', node)}: {data.get('cards', 0)} cards", TOOLTIP_CHARS)
    label = data.get("label") or node
    parts = [str(label)]
    cards = data.get("cards")
    if cards is not None:
        parts.append(f"{cards} card{'s' if cards != 1 else ''}")
    aliases = [a for a in data.get("aliases") or () if a and a != label]
    if aliases:
        parts.append("also: " + ", ".join(aliases[:4]))
    return short(" · ".join(parts), TOOLTIP_CHARS)


def edge_title(kind: str, data: dict) -> str:
    kinds = data.get("kinds")
    if kinds and len(kinds) > 1 and "kind" not in data:
        return "; ".join(edge_title(k, {**data, "kinds": None}) for k in kinds)
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


def node_looks(graph: nx.Graph, focus: str | None) -> dict:
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
                       "label": short(label, LABEL_CHARS),
                       "px": LABEL_PX_MIN}
    return looks
