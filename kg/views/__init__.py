"""Graph views: pyvis networks laid out on the server, handed to the browser as escaped data.

pyvis's own HTML template fetches vis-network and Bootstrap from public CDNs and writes the
heading and every node `title` into the page as HTML, so kg never uses it: pyvis assembles the
nodes, edges and options (`network.py`: `to_pyvis`), `view_data` turns them into plain data, and
the page (or `notebook_html`, `notebook.py`) draws them with the vis-network build that ships
inside the pyvis package. Tooltips are plain text: every `title` is a string that the drawing
script puts into a text node, never into HTML.

The parts: `style.py` (colours, edge styles, vis-network's options, each node's size, label and
tooltip), `positions.py` (`layout`: seeded spring layouts packed in rows), `overlap.py`
(`separate`: dots and labels pushed off each other) and `kg.viewlabels` (the zoom from which each
label of a big view is drawn). The names below import from `kg.views` as before.
"""

from __future__ import annotations

from kg.viewlabels import LABEL_CHAR_WIDTH, LABEL_PX_MIN, label_scales
from kg.views.network import KIND_PREFERENCE, LABEL_LAYER_NODES, to_pyvis, view_data
from kg.views.notebook import VIS_CSS, VIS_DIR, VIS_JS, notebook_html, script_json
from kg.views.overlap import (
    CHAR_WIDTH, CLEARANCE, DAMPING, SEPARATE_MAX_NODES, SEPARATE_ROUNDS, SEPARATE_TOLERANCE, separate,
)
from kg.views.positions import (
    ASPECT, BIG_GRAPH, LAYOUT_SEED, SPREAD, SPRING_ITERATIONS, SPRING_ITERATIONS_BIG, layout,
)
from kg.views.style import (
    CARD_BORDER, CARD_COLOUR, DECK_COLOUR, EDGE_STYLE, FOCUS_BORDER, FOCUS_SIZE, FONT_MAX, FONT_MIN, LABEL_CHARS,
    NO_COMMUNITY, NODE_SIZE_MAX, NODE_SIZE_MIN, OPTIONS, PALETTE, TOOLTIP_CHARS, community_class, community_colour,
)

__all__ = [
    "to_pyvis", "view_data", "notebook_html", "script_json", "layout", "separate", "label_scales",
    "community_colour", "community_class",
    "VIS_DIR", "VIS_JS", "VIS_CSS", "LAYOUT_SEED", "BIG_GRAPH", "SPRING_ITERATIONS", "SPRING_ITERATIONS_BIG",
    "SPREAD", "ASPECT", "TOOLTIP_CHARS", "LABEL_CHARS", "NODE_SIZE_MIN", "NODE_SIZE_MAX", "FONT_MIN", "FONT_MAX",
    "FOCUS_SIZE", "CHAR_WIDTH", "SEPARATE_ROUNDS", "DAMPING", "CLEARANCE", "SEPARATE_TOLERANCE", "LABEL_LAYER_NODES",
    "SEPARATE_MAX_NODES", "PALETTE", "NO_COMMUNITY", "CARD_COLOUR", "CARD_BORDER", "DECK_COLOUR", "FOCUS_BORDER",
    "EDGE_STYLE", "OPTIONS", "KIND_PREFERENCE", "LABEL_CHAR_WIDTH", "LABEL_PX_MIN",
]
