"""The workspace graph, loaded once per build and shared by every request (like flaskr's db)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import networkx as nx
from flask import Flask, current_app

from kg.workspace import Workspace, stamp

EXTENSION = "kg.graph"


@dataclass
class _Loaded:
    lock: threading.Lock
    stamp: tuple | None = None
    graph: nx.MultiDiGraph | None = None


def get_graph() -> nx.MultiDiGraph:
    """The graph of the configured workspace; reloaded only when a build has replaced it.

    Raises kg.errors.WorkspaceError when there is no workspace (the error handler shows it).
    Callers must treat the graph as read-only: it is shared between threads.
    """
    loaded: _Loaded = current_app.extensions[EXTENSION]
    path = current_app.config["KG_WORKSPACE"]
    current = stamp(path)
    if loaded.graph is not None and current == loaded.stamp:
        return loaded.graph
    with loaded.lock:
        if loaded.graph is None or stamp(path) != loaded.stamp:
            with Workspace.open(path) as ws:
                graph = ws.graph()
                loaded.stamp = ws.stamp
            graph.graph.setdefault("workspace", str(path))
            loaded.graph = graph
    return loaded.graph


def init_app(app: Flask) -> None:
    """Give the app its (empty, lazily filled) graph slot."""
    app.extensions[EXTENSION] = _Loaded(lock=threading.Lock())
