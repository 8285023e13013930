"""`kg load-postgres`: a built workspace copied into PostgreSQL as a new generation, then switched in.

Rows go in with `COPY`; indexes are built once the rows are in; the pointer to the live
generation moves in one transaction, and generations older than the one it replaced are
dropped. A role named with `grant_to` may read every generation and nothing else.
"""

from __future__ import annotations

import os
import time

import psycopg
from psycopg import sql

from kg.errors import WorkspaceError
from kg.store.dsn import redact
from kg.store.hubs import HUB_ROWS
from kg.store.load import LoadReport, load_graph, write_tables
from kg.store.schema import (
    CONTROL, CONTROL_DDL, GENERATION_PREFIX, INDEXES, LAYOUT_VERSION, TABLE_NAMES, TABLES, TRIGRAM_INDEXES,
    statements,
    table,
)
from kg.workspace import Workspace

#: Generations kept besides the live one: a server still answering from the previous one
#: finishes its question.
KEEP_PREVIOUS = 1


def connect(dsn: str, **kwargs) -> psycopg.Connection:
    """A connection to `dsn`; an error names the server without its password."""
    try:
        return psycopg.connect(dsn, **kwargs)
    except psycopg.Error as exc:
        raise WorkspaceError(f"{redact(dsn)}: cannot connect ({_first_line(exc)})") from None


def _first_line(exc: Exception) -> str:
    return redact(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)


def load_postgres(workspace: str | os.PathLike, dsn: str, *, grant_to: str | None = None,
                  hub_rows: int = HUB_ROWS, stream: bool | None = None) -> LoadReport:
    """Copy the workspace at `workspace` into the database `dsn` as its live graph; `stream` as
    in `kg.store.load.load_graph`."""
    started = time.perf_counter()
    with Workspace.open(workspace) as ws:
        G = load_graph(ws, stream=stream)
        report = load_tables(dsn, lambda copy: (G.number_of_nodes(), write_tables(copy, G, hub_rows=hub_rows)),
                             grant_to=grant_to)
    report.seconds = time.perf_counter() - started
    return report


def load_tables(dsn: str, fill, *, grant_to: str | None = None) -> LoadReport:
    """Load a new generation whose rows `fill(copy)` writes through `copy(table, columns, rows)`
    (returning its node and edge counts), index it and switch it in. `kg load-postgres` fills
    it from a workspace's graph; bench/replicate.py from a loaded store, many times over."""
    started = time.perf_counter()
    with connect(dsn, autocommit=True) as conn:
        try:
            return _load(conn, fill, grant_to=grant_to, started=started)
        except psycopg.Error as exc:
            raise WorkspaceError(f"{redact(dsn)}: could not load the graph ({_first_line(exc)})") from None


def _load(conn: psycopg.Connection, fill, *, grant_to, started) -> LoadReport:
    conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for statement in statements(CONTROL_DDL, CONTROL):
        conn.execute(statement)
    number = conn.execute(sql.SQL("SELECT nextval({})").format(
        sql.Literal(f"{CONTROL}.generations"))).fetchone()[0]
    schema = f"{GENERATION_PREFIX}{number}"
    try:
        with conn.transaction():
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
            for statement in statements(TABLES, schema):
                conn.execute(statement)
            nodes, edges = fill(lambda name, columns, rows: _copy(conn, schema, name, columns, rows))
            for statement in statements(INDEXES + TRIGRAM_INDEXES, schema):
                conn.execute(statement)
            if grant_to:
                _grant(conn, schema, grant_to)
    except BaseException:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        raise
    # VACUUM: the edges and card weights are read from their indexes alone once the visibility
    # map says every row is visible.
    for name in ("edges", "card_weights"):
        conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(table(schema, name)))
    # Every other table's statistics too: without them the planner guesses a list of a few
    # hundred keys matches half a table, and scans it whole (a search's associations, 36 ms).
    for name in TABLE_NAMES:
        if name not in ("edges", "card_weights"):
            conn.execute(sql.SQL("ANALYZE {}").format(table(schema, name)))
    warmed = _warm(conn, schema)
    _switch(conn, schema)
    return LoadReport(schema, nodes, edges, time.perf_counter() - started, warmed_mb=warmed)


def _warm(conn: psycopg.Connection, schema: str) -> float | None:
    """Read the new generation's indexes and tables but the edges' rows into the server's
    memory before servers switch to it (pg_prewarm); the MB read, or None where the server
    lacks the extension or the load's role may not add it.

    A generation loaded is cold: at a million cards, the first questions after a load read
    their rows from disk one page at a time (a search's p95 699 ms, a path's 879; 32 and 36 ms
    once read). Tables first, then indexes, each smallest first, as measured there: what is read
    last stays in memory where the store does not fit, and a server's questions read the
    indexes most; the edges' rows (read for the JSON of a few links) are left on disk."""
    try:
        with conn.transaction():
            conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
    except psycopg.Error:
        return None
    relations = conn.execute(
        "SELECT c.oid::regclass::text, pg_relation_size(c.oid) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind IN ('i', 'r') "
        "AND NOT (c.relkind = 'r' AND c.relname = 'edges') ORDER BY c.relkind = 'i', pg_relation_size(c.oid)",
        (schema,)).fetchall()
    for name, _ in relations:
        conn.execute("SELECT pg_prewarm(%s::regclass, 'read')", (name,))
    return sum(size for _, size in relations) / 2**20


def _switch(conn: psycopg.Connection, schema: str) -> None:
    """Point `kg.current` at `schema` in one transaction; drop the generations before the previous."""
    current = table(CONTROL, "current")
    with conn.transaction():
        conn.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(current))
        conn.execute(sql.SQL("INSERT INTO {} (one, generation, layout) VALUES (true, %s, %s) "
                             "ON CONFLICT (one) DO UPDATE SET generation = excluded.generation, "
                             "layout = excluded.layout").format(current), (schema, LAYOUT_VERSION))
    live = [row[0] for row in conn.execute(
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", (GENERATION_PREFIX + "%",))]
    numbered = sorted((int(name[len(GENERATION_PREFIX):]), name) for name in live
                      if name[len(GENERATION_PREFIX):].isdigit())
    mine = int(schema[len(GENERATION_PREFIX):])
    older = [name for n, name in numbered if n < mine]
    for name in older[:-KEEP_PREVIOUS] if KEEP_PREVIOUS else older:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))


def _grant(conn: psycopg.Connection, schema: str, role: str) -> None:
    """Let `role` read the graph, and nothing more."""
    ident = sql.Identifier(role)
    for name in (CONTROL, schema):
        conn.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(name), ident))
        conn.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(sql.Identifier(name), ident))


def _copy(conn: psycopg.Connection, schema: str, name: str, columns: tuple[str, ...], rows) -> int:
    query = sql.SQL("COPY {} ({}) FROM STDIN").format(
        table(schema, name), sql.SQL(", ").join(map(sql.Identifier, columns)))
    n = 0
    with conn.cursor().copy(query) as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n
