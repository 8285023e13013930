"""The graph behind an interface: what the CLI and the web ask of a built graph, from a store.

`open_store(location)` gives a `GraphStore`: the SQLite workspace folder of `kg build`
(`kg.store.sqlite`, the embedded default, the graph held in memory) or a PostgreSQL database
loaded by `kg load-postgres` (`kg.store.postgres`, nothing but caches in memory). Both answer
with the same functions of `kg.analysis` and `kg.search`, so they give the same answers.
"""

from __future__ import annotations

import os

from kg.store.base import GraphStore
from kg.store.dsn import is_postgres, redact

__all__ = ["GraphStore", "is_postgres", "open_store", "redact"]


def open_store(location: str | os.PathLike) -> GraphStore:
    """The store at `location`: a `postgresql://` URL (or libpq `service=` string), else a
    workspace folder. Raises WorkspaceError when there is none."""
    if is_postgres(location):
        from kg.store.postgres import PostgresStore

        return PostgresStore.open(str(location))
    from kg.store.sqlite import SqliteStore

    return SqliteStore.open(location)
