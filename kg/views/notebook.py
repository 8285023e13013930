"""A view as a self-contained HTML fragment for a notebook (`IPython.display.HTML`), drawn
offline with the vis-network build that ships inside the pyvis package, inlined; the view's data
sits in a JSON script element, escaped, and tooltips become text nodes, never HTML.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pyvis
from pyvis.network import Network

from kg.views.network import to_pyvis, view_data

#: The vis-network build shipped inside pyvis; served or inlined instead of any CDN copy.
VIS_DIR = Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2"
VIS_JS = "vis-network.min.js"
VIS_CSS = "vis-network.css"


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
