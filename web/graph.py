"""The workspace graph, loaded once per build and shared by every request (like flaskr's db).

A build replaces the workspace file atomically; the server notices the new stamp and swaps in
the new graph as one snapshot. Only the first request that sees the new stamp loads it; every
other request keeps answering from the previous snapshot meanwhile, so a reload of a big graph
never stalls the server and no request ever sees half of one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import networkx as nx
from flask import Flask, current_app, g

from kg.errors import KGError
from kg.search import search_index
from kg.workspace import Workspace, stamp

EXTENSION = "kg.graph"


@dataclass(frozen=True)
class Snapshot:
    """One loaded build: the graph and the stamp of the file it came from."""

    stamp: tuple | None
    graph: nx.MultiDiGraph


@dataclass
class _Slot:
    lock: threading.Lock
    snapshot: Snapshot | None = None
    # A build that could not be read is not retried on every request; the next one is.
    failed_stamp: tuple | None = None


def _load(path) -> Snapshot:
    with Workspace.open(path) as ws:
        graph = ws.graph()
        loaded_stamp = ws.stamp
    graph.graph.setdefault("workspace", str(path))
    # Per-graph caches are keyed on the graph object, so they are built here, before the swap,
    # and die with the graph they describe.
    search_index(graph)
    return Snapshot(loaded_stamp, graph)


def get_snapshot() -> Snapshot:
    """The snapshot this request uses: the same one for the whole request, so a page never
    mixes two builds."""
    snap = g.get("kg_snapshot")
    if snap is None:
        snap = g.kg_snapshot = _current_snapshot()
    return snap


def _current_snapshot() -> Snapshot:
    slot: _Slot = current_app.extensions[EXTENSION]
    path = current_app.config["KG_WORKSPACE"]
    current = stamp(path)
    snap = slot.snapshot
    if snap is not None and (current == snap.stamp or current is None or current == slot.failed_stamp):
        # A workspace deleted under a running server keeps being served from memory.
        return snap
    if snap is not None:
        if not slot.lock.acquire(blocking=False):
            return snap  # another request is loading the new build; keep serving this one
    else:
        slot.lock.acquire()  # nothing to serve yet: wait for the first load
    try:
        snap = slot.snapshot
        current = stamp(path)
        if snap is None or (current is not None and current not in (snap.stamp, slot.failed_stamp)):
            try:
                slot.snapshot = _load(path)
                slot.failed_stamp = None
            except KGError:
                if snap is None:
                    raise
                slot.failed_stamp = current
                current_app.logger.warning("could not load the new build at %s; still serving "
                                           "the previous one", path, exc_info=True)
        return slot.snapshot
    finally:
        slot.lock.release()


def get_graph() -> nx.MultiDiGraph:
    """The graph of the configured workspace; reloaded only when a build has replaced it.

    Raises kg.errors.WorkspaceError when there is no workspace (the error handler shows it).
    Callers must treat the graph as read-only: it is shared between threads.
    """
    return get_snapshot().graph


BUILD_HEADER = "X-KG-Build"


def _tag_build(response):
    # Which build answered: lets a client (and the load test) see the swap happen.
    snap = g.get("kg_snapshot")
    if snap is not None:
        response.headers[BUILD_HEADER] = str(snap.graph.graph.get("built_at", ""))
    return response


def init_app(app: Flask) -> None:
    """Give the app its (empty, lazily filled) graph slot."""
    app.extensions[EXTENSION] = _Slot(lock=threading.Lock())
    app.after_request(_tag_build)
