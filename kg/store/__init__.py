"""The graph behind an interface: what the CLI and the web ask of a built graph, from a store.

`open_store(location)` gives a `GraphStore`: the SQLite workspace folder of `kg build`
(`kg.store.sqlite`, the embedded default, the graph held in memory), a SQLite store file written
by `kg load-sqlite` (`sqlite:FILE`, `kg.store.disk`) or a PostgreSQL database loaded by
`kg load-postgres` (`kg.store.postgres`); the last two read a question's rows from the same
tables (`kg.store.sql`) and keep nothing but caches in memory. All answer with the same
functions of `kg.analysis` and `kg.search`, so they give the same answers.
"""

from __future__ import annotations

import os

from kg.store.base import GraphStore
from kg.store.dsn import is_postgres, is_store_file, redact

__all__ = ["GraphStore", "is_postgres", "is_served_from_disk", "is_store_file", "open_store", "redact"]


def is_served_from_disk(location: str | os.PathLike) -> bool:
    """Whether `location` is read a question at a time (PostgreSQL or a store file) rather
    than loaded whole into memory."""
    return is_postgres(location) or is_store_file(location)


def open_store(location: str | os.PathLike) -> GraphStore:
    """The store at `location`: a `postgresql://` URL (or libpq `service=` string), a
    `sqlite:FILE` store file, else a workspace folder. Raises WorkspaceError when there is none."""
    if is_postgres(location):
        from kg.store.postgres import PostgresStore

        return PostgresStore.open(str(location))
    if is_store_file(location):
        from kg.store.disk import DiskStore

        return DiskStore.open(location)
    from kg.store.sqlite import SqliteStore

    return SqliteStore.open(location)
