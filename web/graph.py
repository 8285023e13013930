"""The workspace graph, loaded once per build and shared by every request (like flaskr's db).

A build replaces the workspace file atomically; the server notices the new stamp and swaps in
the new graph as one snapshot. Only the first request that sees the new stamp loads it; every
other request keeps answering from the previous snapshot meanwhile, so a reload of a big graph
never stalls the server and no request ever sees half of one.

The first load starts as soon as the app is created, in the background, so the server answers
at once: a page asked for before the graph is there says it is loading (and reloads itself),
a JSON twin waits for it. Once a graph is swapped in, what its pages will need (the search
index, communities, gaps, the default overview) is worked out in the background too; those
results are kept per graph object (`kg.analysis._cache`), so they die with the graph they
describe and a request never waits for more than its own page needs.
"""

from __future__ import annotations

import gc
import logging
import threading
from dataclasses import dataclass

import networkx as nx
from flask import Flask, current_app, g, render_template, request

from kg.errors import KGError
from kg.workspace import Workspace, stamp

EXTENSION = "kg.graph"
#: A page waits this long for a first load that is under way before it shows the "loading"
#: page instead.
FIRST_LOAD_WAIT_SECONDS = 0.5
#: Pages drawn in the background as soon as a graph is loaded.
WARM_PAGES = ("/", "/api/overview")
#: Then the pages of this many of the most important concepts.
WARM_CONCEPTS = 25
#: The loading page asks the browser to come back after this many seconds.
LOADING_REFRESH_SECONDS = 1


@dataclass(frozen=True)
class Snapshot:
    """One loaded build: the graph and the stamp of the file it came from."""

    stamp: tuple | None
    graph: nx.MultiDiGraph


@dataclass
class _Slot:
    lock: threading.Lock
    path: str = ""
    snapshot: Snapshot | None = None
    # A build that could not be read is not retried on every request; the next one is.
    failed_stamp: tuple | None = None
    # Called with each graph swapped in (the warm-up); None to do nothing.
    on_swap: object = None
    app: Flask | None = None


def _load(path) -> Snapshot:
    with Workspace.open(path) as ws:
        graph = ws.graph()
        loaded_stamp = ws.stamp
    graph.graph.setdefault("workspace", str(path))
    # A big graph is millions of objects that never die while it is served; left to the cyclic
    # garbage collector, each full collection walks them all (half a second at 20,000 cards),
    # stalling whichever request triggered it. Frozen, the collector skips them. Cheap: no walk.
    gc.freeze()
    return Snapshot(loaded_stamp, graph)


def _release_old_graphs() -> None:
    """Let the collector free the graphs that were swapped out (they hold reference cycles),
    then freeze what is left again."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class Loading(Exception):
    """The first load of the graph is still running (a page shows the loading page)."""


def get_snapshot() -> Snapshot:
    """The snapshot this request uses: the same one for the whole request, so a page never
    mixes two builds."""
    snap = g.get("kg_snapshot")
    if snap is None:
        # A page rather says "loading" than keeps the browser waiting; a program waits.
        wait = -1 if request.path.startswith("/api/") else FIRST_LOAD_WAIT_SECONDS
        snap = g.kg_snapshot = _current_snapshot(current_app.extensions[EXTENSION], current_app.logger,
                                                 first_wait=wait)
    return snap


def _current_snapshot(slot: _Slot, logger: logging.Logger, *, first_wait: float = -1) -> Snapshot:
    """The loaded snapshot, loading it first if the workspace changed. With nothing loaded yet,
    waits `first_wait` seconds (-1: as long as it takes) for another thread's load, then raises
    Loading."""
    path = slot.path
    current = stamp(path)
    snap = slot.snapshot
    if snap is not None and (current == snap.stamp or current is None or current == slot.failed_stamp):
        # A workspace deleted under a running server keeps being served from memory.
        return snap
    if snap is not None:
        if not slot.lock.acquire(blocking=False):
            return snap  # another request is loading the new build; keep serving this one
    elif not slot.lock.acquire(timeout=first_wait):
        raise Loading()  # nothing to serve yet, and the first load is still running
    swapped = None
    try:
        snap = slot.snapshot
        current = stamp(path)
        if snap is None or (current is not None and current not in (snap.stamp, slot.failed_stamp)):
            try:
                slot.snapshot = swapped = _load(path)
                slot.failed_stamp = None
            except KGError:
                if snap is None:
                    raise
                slot.failed_stamp = current
                logger.warning("could not load the new build at %s; still serving the previous one",
                               path, exc_info=True)
        return slot.snapshot
    finally:
        slot.lock.release()
        if swapped is not None and slot.on_swap is not None:
            threading.Thread(target=slot.on_swap, args=(slot.app, swapped.graph),
                             kwargs={"replaced": snap is not None}, daemon=True, name="kg-warm-up").start()


def get_graph() -> nx.MultiDiGraph:
    """The graph of the configured workspace, narrowed to the request's scope (`?deck=&tag=`,
    see kg.web.scope); reloaded only when a build has replaced it.

    Raises kg.errors.WorkspaceError when there is no workspace (the error handler shows it).
    Callers must treat the graph as read-only: it is shared between threads.
    """
    from kg.web.scope import scoped

    return scoped(get_snapshot().graph)


def get_whole_graph() -> nx.MultiDiGraph:
    """The graph of the whole workspace, whatever the scope (for the deck and tag pickers)."""
    return get_snapshot().graph


def prepared_search_index(G: nx.MultiDiGraph):
    """`kg.search.search_index(G)`, built by one thread only: the others wait for it rather
    than each building a copy of a big index."""
    from kg.analysis._cache import per_graph
    from kg.search import search_index

    return per_graph(G, "search-index", lambda: search_index(G))


def warm_up(app: Flask, G: nx.MultiDiGraph, *, replaced: bool = False) -> None:
    """Work out, once, what the pages of a newly loaded graph will ask for first: the overview
    (drawn and kept, see kg.web.pages), the search index, the most important concepts' pages."""
    from kg.analysis.subgraphs import ranked_concepts

    slot = app.extensions[EXTENSION]

    def current() -> bool:  # a newer build swapped in: its own warm-up prepares it
        return slot.snapshot is not None and slot.snapshot.graph is G

    try:
        if replaced:
            _release_old_graphs()
        for path in WARM_PAGES:
            if current():
                _draw(app, path, G)
        prepared_search_index(G)
        # The concepts the overview lists first are the likeliest next clicks. A server that
        # swaps graphs often (`kg serve --watch`) may draw fewer again (KG_REWARM_CONCEPTS).
        count = app.config.get("KG_REWARM_CONCEPTS", WARM_CONCEPTS) if replaced else WARM_CONCEPTS
        for node in ranked_concepts(G)[:count]:
            if not current():
                break
            _draw(app, f"/concept/{node.partition(':')[2]}", G)
        # What was just worked out (the search index above all) lives as long as the graph:
        # frozen like it, so no full collection walks it again, stalling a request each time.
        gc.freeze()
    except Exception:  # pragma: no cover - a request will meet (and report) the same error
        app.logger.warning("could not prepare the graph in the background", exc_info=True)


def _draw(app: Flask, path: str, G: nx.MultiDiGraph) -> None:
    # Drawn from the graph being warmed, never from the file: a warm-up that met a newer build
    # would otherwise load it itself, and a visitor's request would be served the old graph
    # while the warm-up held the load.
    with app.test_request_context(path):
        g.kg_snapshot = Snapshot(None, G)
        app.full_dispatch_request()


def _preload(slot: _Slot, logger: logging.Logger) -> None:
    try:
        _current_snapshot(slot, logger)
    except KGError:
        pass  # no workspace yet: the first request reports it, and tries again


BUILD_HEADER = "X-KG-Build"


def _tag_build(response):
    # Which build answered: lets a client (and the load test) see the swap happen.
    snap = g.get("kg_snapshot")
    if snap is not None:
        response.headers[BUILD_HEADER] = str(snap.graph.graph.get("built_at", ""))
    return response


def _loading(exc: Loading):
    response = current_app.make_response((render_template("loading.html", refresh=LOADING_REFRESH_SECONDS), 200))
    response.headers["Refresh"] = str(LOADING_REFRESH_SECONDS)
    response.headers["Retry-After"] = str(LOADING_REFRESH_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Give the app its graph slot. `KG_PRELOAD` (default True) has `start_loading` load the
    graph when the app is created; `KG_WARM_UP` (default True) prepares each loaded graph in the
    background."""
    slot = _Slot(lock=threading.Lock(), path=app.config["KG_WORKSPACE"], app=app)
    if app.config.get("KG_WARM_UP", True):
        slot.on_swap = warm_up
    app.extensions[EXTENSION] = slot
    app.after_request(_tag_build)
    app.register_error_handler(Loading, _loading)


def start_loading(app: Flask) -> None:
    """Start the first load in the background (once the app is fully set up: the warm-up that
    follows it draws pages)."""
    slot = app.extensions.get(EXTENSION)
    if slot is None:
        return  # an app serving from a store (kg.web.store_app) has no graph to load
    threading.Thread(target=_preload, args=(slot, app.logger), daemon=True, name="kg-load").start()
