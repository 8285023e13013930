"""Results kept per graph object: worked out once, shared by every thread, dropped with the graph.

A served graph is read by many requests at once and replaced whole when the workspace is
rebuilt, so what an analysis derives from it (communities, gaps, rankings, drawn views) is kept
in a `weakref.WeakKeyDictionary` keyed on the graph object itself: a new build is a new object
and can never see the old one's results, and the results go when the old graph does. Only one
thread works a value out; the others wait for it instead of each building a copy.

Values must not hold the graph (a subgraph view would keep it alive forever); plain data only.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import networkx as nx

_GUARD = threading.Lock()


class _Shelf:
    def __init__(self, stamp):
        self.stamp = stamp
        self.values: dict[Hashable, Any] = {}
        self.locks: dict[Hashable, threading.Lock] = {}


_SHELVES: weakref.WeakKeyDictionary[nx.Graph, _Shelf] = weakref.WeakKeyDictionary()


def _stamp(G: nx.Graph) -> int:
    # The node count is O(1); the edge count of a MultiDiGraph is a walk over every edge, too
    # slow per request on a big deck, so an edited graph is noticed by its node count only.
    return G.number_of_nodes()


def _shelf(G: nx.Graph) -> _Shelf:
    stamp = _stamp(G)
    shelf = _SHELVES.get(G)
    if shelf is None or shelf.stamp != stamp:
        shelf = _SHELVES[G] = _Shelf(stamp)
    return shelf


def per_graph(G: nx.Graph, key: Hashable, compute: Callable[[], Any]) -> Any:
    """`compute()` once per graph object and key; later calls (from any thread) get that value.

    Callers must treat the value as read-only, or copy it before handing it out.
    """
    with _GUARD:
        shelf = _shelf(G)
        if key in shelf.values:
            return shelf.values[key]
        lock = shelf.locks.setdefault(key, threading.Lock())
    with lock:
        with _GUARD:
            if key in shelf.values:
                return shelf.values[key]
        value = compute()
        with _GUARD:
            shelf.values[key] = value
            shelf.locks.pop(key, None)
        return value


class _Recent:
    """A small least-recently-used map, so per-page results stay bounded in memory."""

    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self.pending: dict[Hashable, threading.Lock] = {}


def recent(G: nx.Graph, family: str, key: Hashable, compute: Callable[[], Any], *, size: int) -> Any:
    """Like `per_graph`, but only the `size` most recently used keys of `family` are kept."""
    box: _Recent = per_graph(G, ("recent", family), lambda: _Recent(size))
    with box.lock:
        if key in box.items:
            box.items.move_to_end(key)
            return box.items[key]
        lock = box.pending.setdefault(key, threading.Lock())
    with lock:
        with box.lock:
            if key in box.items:
                return box.items[key]
        value = compute()
        with box.lock:
            box.items[key] = value
            box.items.move_to_end(key)
            while len(box.items) > box.size:
                box.items.popitem(last=False)
            box.pending.pop(key, None)
        return value
