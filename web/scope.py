"""The scope of a request: `?deck=…&tag=…` (each repeatable), kept by every link the page makes.

Every page and JSON twin reads its graph through `kg.web.graph.get_graph`, which hands out
the scoped graph (`kg.analysis.scope.scoped_graph`, kept per loaded graph and scope), so each
page shows the cards in scope and nothing else. `url_for` adds the scope to every URL it builds
for a page, so a link, a form or a shared address stays in the same scope.
"""

from __future__ import annotations

from flask import Flask, abort, g, request

from kg.analysis.scope import Scope, check_scope, scoped_graph
from kg.errors import NotFound
from kg.web.params import MAX_QUERY

#: A scope names at most this many decks and this many tags.
MAX_SCOPE_NAMES = 32
#: Endpoints whose URLs never carry a scope: files.
UNSCOPED = frozenset({"static", "assets.vendor"})


def request_scope() -> Scope:
    """The scope the request asks for (400 when malformed)."""
    scope = g.get("kg_scope")
    if scope is None:
        names = {}
        for key in ("deck", "tag"):
            values = request.args.getlist(key)
            if len(values) > MAX_SCOPE_NAMES:
                abort(400, f"A scope names at most {MAX_SCOPE_NAMES} of {key}s.")
            if any(len(v) > MAX_QUERY for v in values):
                abort(400, f"{key} is longer than {MAX_QUERY} characters.")
            names[key] = values
        scope = g.kg_scope = Scope.of(names["deck"], names["tag"])
    return scope


def scoped(G):
    """The graph of the request's scope (G itself when the request names none)."""
    scope = request_scope()
    if not scope:
        return G
    try:
        check_scope(G, scope)
    except NotFound as exc:
        abort(400, "There is " + str(exc) + ".")
    g.kg_scope_checked = True
    return scoped_graph(G, scope)


def checked_scope() -> Scope:
    """The request's scope once the graph has accepted it; otherwise (a scope naming a deck
    that is not there, a page that never read the graph) no scope, so links do not carry it."""
    return request_scope() if g.get("kg_scope_checked") else Scope()


def scope_args() -> dict:
    """The checked scope as query arguments (`{"deck": [...], "tag": [...]}`, empty parts left out)."""
    scope = checked_scope()
    return {k: list(v) for k, v in (("deck", scope.decks), ("tag", scope.tags)) if v}


def _keep_scope(endpoint: str | None, values: dict) -> None:
    if endpoint in UNSCOPED or not request or "deck" in values or "tag" in values:
        return
    for key, names in scope_args().items():
        values[key] = names


#: Pages whose scope picker reloads the page itself; the others (a concept or card that may
#: not be in the new scope) go to the overview of the new scope.
PICKER_STAYS = frozenset({"explore.overview", "search.search", "path.path", "export.index"})
#: Query arguments that are not the scope, which a picker on the same page keeps.
KEPT_ARGS = ("top", "view", "q", "from", "to", "concept", "depth")


def _picker() -> dict:
    """What the deck and tag pickers show (`_scope.html`); nothing when there is no graph yet."""
    from kg.analysis.scope import deck_names, tag_names
    from kg.web.graph import get_whole_graph

    try:
        G = get_whole_graph()
        scope = checked_scope()
    except Exception:  # no workspace, still loading, a bad request: the page says why
        return {}
    stays = request.endpoint in PICKER_STAYS
    return {"scope_picker": {
        "scope": scope,
        "decks": deck_names(G),
        "tags": tag_names(G),
        "action": request.path if stays else None,
        "kept": [(k, v) for k in KEPT_ARGS for v in request.args.getlist(k)] if stays else [],
    }}


def init_app(app: Flask) -> None:
    """Make every URL built for a page keep the request's scope, and give pages the pickers."""
    app.url_defaults(_keep_scope)
    app.context_processor(_picker)
