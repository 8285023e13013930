"""The explorer's JSON API served from a store (`KG_WORKSPACE=postgresql://…` or `sqlite:FILE`), not from memory.

Each answer is worked out by the same page functions as the in-memory explorer (`kg.web.explore`,
`kg.web.search`, `kg.web.path`), on the part of the graph the store reads for it, so the JSON is
the same. A serving process keeps only caches: the last few hundred answers, keyed on the
store's generation, so a new load is served from its first question. The HTML pages of a
concept or a card send the browser to their JSON twin.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import request, Blueprint, Flask, abort, current_app, redirect, url_for

from kg.errors import NotFound
from kg.web.names import redirect_to_named
from kg.web.params import CONCEPT_SLUG, card_node, concept_node, int_arg, text_arg

EXTENSION = "kg.store"
#: Answers kept per process (JSON bodies of up to a few hundred kB each)...
ANSWERS_KEPT = 256
#: ...and bytes of them at most: an overview lists every deck (3 MB at a million cards), and
#: each `top` asked is an answer of its own.
ANSWER_BYTES_KEPT = 32_000_000
BUILD_HEADER = "X-KG-Build"

bp = Blueprint("explore", __name__)


class _Answers:
    """The store and the most recently asked answers, keyed on (generation, page, key)."""

    def __init__(self, store):
        self.store = store
        self.items: OrderedDict = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()
        # One thread works an answer out; the others asking for it wait instead of each
        # reading the same rows (eight clients on one hub's page would be eight copies of it).
        self.pending: dict = {}

    def get(self, page: str, key, compute) -> bytes:
        full = (self.store.generation, page, key)
        with self.lock:
            if full in self.items:
                self.items.move_to_end(full)
                return self.items[full]
            working = self.pending.setdefault(full, threading.Lock())
        with working:
            with self.lock:
                if full in self.items:
                    return self.items[full]
            try:
                # Encoded once: each response sends these bytes as they are.
                body = current_app.json.dumps(compute()).encode()
            except BaseException:
                with self.lock:
                    self.pending.pop(full, None)
                raise
            with self.lock:
                self.items[full] = body
                self.size += len(body)
                self.pending.pop(full, None)
                while len(self.items) > 1 and (len(self.items) > ANSWERS_KEPT or self.size > ANSWER_BYTES_KEPT):
                    self.size -= len(self.items.popitem(last=False)[1])
        return body


def get_store():
    """The store this app serves from."""
    return current_app.extensions[EXTENSION].store


def _json(page: str, key, compute):
    answers = current_app.extensions[EXTENSION]
    response = current_app.response_class(answers.get(page, key, compute), mimetype="application/json")
    response.headers[BUILD_HEADER] = answers.store.generation
    return response


@bp.get("/api/overview")
def api_overview():
    """JSON twin of the overview: the most important concepts (the map of communities and scopes
    need the whole graph, which a store-backed server does not hold)."""
    from kg.web.explore import DEFAULT_TOP, MAX_TOP, _overview_data

    top = int_arg("top", DEFAULT_TOP, low=1, high=MAX_TOP)
    if request.args.getlist("deck") or request.args.getlist("tag"):
        abort(400, "A server reading a store answers for the whole collection: no --deck / --tag scope yet.")
    if (text_arg("view") or "concepts") != "concepts":
        abort(400, "A server reading a store draws the concepts view only (view=concepts).")

    def compute():
        G = get_store().overview_graph(top=top)
        data = _overview_data(G, top, "concepts", whole=G)
        return dict(data, communities=[{k: v for k, v in c.items() if k != "shown"} for c in data["communities"]])

    return _json("overview", top, compute)


@bp.get("/api/concept/<slug>")
def api_concept(slug):
    """JSON twin of a concept page."""
    from kg.web.explore import (
        CARDS_LISTED, DEFAULT_DEPTH, KINDS_LISTED, MAX_DEPTH, NEIGHBOUR_NODES, NEIGHBOURS_LISTED, _concept_data,
    )

    node = concept_node(slug)
    depth = int_arg("depth", DEFAULT_DEPTH, low=1, high=MAX_DEPTH)
    if not get_store().has_concept(node):
        redirect_to_named(slug, get_store().suggest)

    def compute():
        store = get_store()
        G = store.concept_graph(node, depth=depth, evidence_neighbours=NEIGHBOURS_LISTED, max_nodes=NEIGHBOUR_NODES,
                                cards=CARDS_LISTED, links=NEIGHBOURS_LISTED, kinds=KINDS_LISTED)
        detail = _concept_data(G, node, depth)
        store.fill_cards(G, detail["card_list"])
        return detail

    return _json("concept", (node, depth), compute)


@bp.get("/api/card/<card_id:card_id>")
def api_card(card_id):
    """JSON twin of a card page."""
    from kg.web.explore import _card_data

    node = card_node(card_id)

    def compute():
        store = get_store()
        try:
            G = store.card_graph(node)
        except NotFound:
            abort(404, "There is no card with that id in this workspace.")
        data = _card_data(G, node)
        store.fill_cards(G, data["related"], ("question", "deck"))
        return data

    return _json("card", node, compute)


@bp.get("/api/search")
def api_search():
    """JSON twin of the search page."""
    from kg.web.links import node_url
    from kg.web.search import DEFAULT_LIMIT, MAX_LIMIT

    query = text_arg("q")
    limit = int_arg("limit", DEFAULT_LIMIT, low=1, high=MAX_LIMIT)

    def compute():
        found = get_store().search(query, limit=limit) if query else {"concepts": [], "cards": []}
        for item in (*found["concepts"], *found["cards"]):
            item["url"] = node_url(item["id"])
        return {"query": query, **found}

    return _json("search", (query, limit), compute)


@bp.get("/api/suggest")
def api_suggest():
    """Concept labels completing what the user has typed, for the search box."""
    from kg.web.links import node_url
    from kg.web.search import SUGGESTIONS

    query = text_arg("q")
    limit = int_arg("limit", SUGGESTIONS, low=1, high=50)

    def compute():
        found = get_store().suggest(query, limit=limit) if query else []
        return {"query": query, "suggestions": [
            {"id": s["id"], "label": s["label"], "url": node_url(s["id"])} for s in found]}

    return _json("suggest", (query, limit), compute)


def _resolve(store, text: str) -> str:
    """As `kg.web.path.resolve`: an id, a slug, a label, an alias or a near miss."""
    slug = text.removeprefix("concept:")
    if CONCEPT_SLUG.match(slug) and store.has_concept(f"concept:{slug}"):
        return f"concept:{slug}"
    found = store.suggest(text, limit=1)
    if not found:
        abort(404, f"No concept matches {text!r}.")
    return found[0]["id"]


@bp.get("/api/path")
def api_path():
    """JSON twin of the path page."""
    from kg.web.path import path_page

    source, target = text_arg("from"), text_arg("to")
    if not source or not target:
        abort(400, "Give two concepts: /api/path?from=…&to=…")

    def compute():
        store = get_store()
        a, b = _resolve(store, source), _resolve(store, target)
        result = store.path(a, b)
        attrs = store.nodes([a, b, *(n for hop in result["hops"] for n in (hop["from"], hop["to"]))])
        return path_page(source, target, a, b, result, attrs)

    return _json("path", (source, target), compute)


@bp.get("/")
def overview():
    """What this server serves: the JSON API, one URL per family."""
    return {"workspace": get_store().location, "api": [
        url_for("explore.api_overview"), url_for("explore.api_search"), url_for("explore.api_suggest"),
        url_for("explore.api_path"), url_for("explore.api_concept", slug="SLUG"),
        url_for("explore.api_card", card_id="ID")]}


@bp.get("/concept/<slug>")
def concept(slug):
    """A concept's JSON twin."""
    return redirect(url_for("explore.api_concept", slug=slug))


@bp.get("/card/<card_id:card_id>")
def card(card_id):
    """A card's JSON twin."""
    return redirect(url_for("explore.api_card", card_id=card_id))


def init_app(app: Flask, store=None) -> Flask:
    """Serve the JSON API of `store` (default: the store `KG_WORKSPACE` names) from `app`."""
    from kg.nlp.generic import zipf
    from kg.store import open_store
    from kg.web import errors, heap, params, security, timing

    heap.keep_heap_small()
    timing.init_app(app)
    params.init_app(app)
    errors.init_app(app)
    security.init_app(app)
    if store is None:
        store = open_store(app.config["KG_WORKSPACE"])
        # Checked now, with a clear error; each serving thread (after any fork) opens its own.
        store.close()
    app.extensions[EXTENSION] = _Answers(store)
    # A search weighs its words by their frequency in English: wordfreq's table is read now,
    # once, before any fork, not by the first search of each serving process (a quarter second).
    zipf("the")
    app.register_blueprint(bp)
    app.register_blueprint(community_bp)
    if app.config.get("KG_WARM_UP", True):
        # The front page is worked out now, before any fork, so every serving process starts
        # with it: a big graph's overview reads every deck's name (132,000 at a million
        # cards), which would hold up the first visitors of each process.
        with app.test_request_context("/api/overview"):
            api_overview()
        store.close()
    heap.give_back()
    return app


# The overview links its communities; their pages need the whole graph, which this server does
# not hold, so they say so (the link still builds, and the JSON twins stay the same shape).
community_bp = Blueprint("community", __name__)


@community_bp.get("/community/<int:number>")
@community_bp.get("/api/community/<int:number>", endpoint="api_community")
def community(number):
    """A community page: not served from a store yet."""
    abort(404, "Community pages are not served from a store yet; open the concepts instead.")
