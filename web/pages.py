"""Pages kept with the graph they show: each is the same for every visitor until the next build
(no cookies, no per-user parts), so its data, HTML and JSON are worked out once per graph and
key (see `kg.analysis._cache`), the few hundred most recently asked for of each kind."""

from __future__ import annotations

from flask import current_app

from kg.analysis._cache import recent

#: Data of this many pages of each kind is kept per graph (a page's drawing is the costly part).
DATA_KEPT = 128
#: Rendered HTML and JSON bodies kept per graph and kind of page (up to a few hundred kB each).
BODIES_KEPT = 64


def kept(G, page: str, key, compute):
    """The data of one page, computed once per graph and key; read-only once returned."""
    return recent(G, f"{page}-data", key, compute, size=DATA_KEPT)


def kept_html(G, page: str, key, render) -> str:
    """The rendered HTML of one page (`render()` the first time)."""
    return recent(G, f"{page}-html", key, render, size=BODIES_KEPT)


def kept_json(G, page: str, key, data):
    """The JSON twin of one page, serialised once (`data()` the first time)."""
    body = recent(G, f"{page}-json", key, lambda: current_app.json.dumps(data()), size=BODIES_KEPT)
    return current_app.response_class(body, mimetype="application/json")
