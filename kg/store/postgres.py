"""The shared store: a graph loaded into PostgreSQL by `kg load-postgres`, read a question at a time.

The questions are those of `kg.store.sql`; this module holds what is PostgreSQL's own: one
connection per thread, opened read-only; the live generation named in `kg.current` (a new
load is seen at the next question); queries composed with quoted identifiers; and the
trigram index (`pg_trgm`) proposing the candidates of misspelt words and names.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import psycopg
from psycopg import sql

from kg.errors import WorkspaceError
from kg.store.dsn import redact
from kg.store.postgres_load import _first_line
from kg.store.schema import CONTROL, LAYOUT_VERSION, TABLES, table
from kg.store.sql import SqlStore

#: Trigram similarities above which a word or name is worth scoring for a misspelling (set on
#: each connection): far below what rapidfuzz's cut-off accepts, so the candidates hold the
#: words it would pick.
TRIGRAM_SETTINGS = "-c pg_trgm.similarity_threshold=0.2 -c pg_trgm.word_similarity_threshold=0.3"
#: Prefixes shorter than this are only matched as a substring (partial_ratio needs the whole
#: of a short prefix to match anyway).
FUZZY_SUBSTRING_BELOW = 5
_TABLES = tuple(re.findall(r"CREATE TABLE \{s\}\.(\w+)", TABLES))
_DIALECT = {"C": sql.SQL(' COLLATE "C"'), "numeric": sql.SQL("::numeric"),
            "aliases": sql.SQL("(data::json -> 'aliases')::text"),
            "weights": sql.SQL("unnest(%(concepts)s::text[], %(weights)s::float8[]) AS m(concept, w)"),
            "candidates": sql.SQL("unnest(%(cards)s::text[]) AS x(id)"),
            "pairs": sql.SQL("unnest(%s::text[], %s::text[]) AS p(u, v)")}


@lru_cache(maxsize=1024)
def _compose(query: str, schema: str) -> sql.Composed:
    return sql.SQL(query).format(**{name: table(schema, name) for name in _TABLES}, **_DIALECT)


class PostgresStore(SqlStore):
    """A PostgreSQL database holding graphs loaded by `kg load-postgres`."""

    pairs_in_one_query = True

    def __init__(self, dsn: str):
        super().__init__()
        self.dsn = dsn
        self.location = redact(dsn)
        self._local = threading.local()

    @classmethod
    def open(cls, dsn: str) -> PostgresStore:
        store = cls(dsn)
        store.generation  # fails now, with a clear message, if there is nothing to read
        return store

    def _conn(self) -> psycopg.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            try:
                # Read-only whatever the role may do: a serving process never writes.
                conn = psycopg.connect(self.dsn, autocommit=True,
                                       options=f"-c default_transaction_read_only=on {TRIGRAM_SETTINGS}")
            except psycopg.Error as exc:
                raise WorkspaceError(f"{self.location}: cannot connect ({_first_line(exc)})") from None
            self._local.conn = conn
        return conn

    def _execute(self, query, params=()) -> list[tuple]:
        try:
            # Binary results: a search's mention arrays are megabytes, which text would send as hex.
            return self._conn().execute(query, params, binary=True).fetchall()
        except psycopg.OperationalError as exc:
            self._local.conn = None  # a dropped connection is opened anew by the next question
            raise WorkspaceError(f"{self.location}: {_first_line(exc)}") from None

    def _rows(self, query: str, params=(), *, schema: str | None = None) -> list[tuple]:
        return self._execute(_compose(query, schema or self.generation), params)

    def _stream(self, query: str, params=(), *, schema: str | None = None):
        # Row by row (libpq's single-row mode) and binary: a search's mention rows are megabytes
        # of bytea, which fetchall would hold all at once, and twice over as hex text.
        composed = _compose(query, schema or self.generation)
        try:
            with self._conn().cursor() as cursor:
                yield from cursor.stream(composed, params, binary=True)
        except psycopg.OperationalError as exc:
            self._local.conn = None
            raise WorkspaceError(f"{self.location}: {_first_line(exc)}") from None

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _live_generation(self) -> str:
        try:
            rows = self._execute(sql.SQL("SELECT generation, layout FROM {}").format(table(CONTROL, "current")))
        except psycopg.errors.UndefinedTable:
            rows = []
        except psycopg.Error as exc:
            raise WorkspaceError(f"{self.location}: {_first_line(exc)}") from None
        if not rows:
            raise WorkspaceError(f"{self.location}: no graph loaded here; run `kg load-postgres` first")
        generation, layout = rows[0]
        if layout != LAYOUT_VERSION:
            raise WorkspaceError(f"{self.location}: graph loaded by another kg version; run `kg load-postgres` again")
        return generation

    def similar_words(self, word: str, schema: str) -> list[str]:
        return [w for (w,) in self._rows("SELECT word FROM {vocabulary} WHERE word %% %s ORDER BY word{C}",
                                         (word,), schema=schema)]

    def words_starting(self, prefix: str, schema: str) -> list[str]:
        # LIKE with a fixed start: the trigram index answers it whatever the database's collation.
        return sorted(w for (w,) in self._rows("SELECT word FROM {vocabulary} WHERE word LIKE %s",
                                               (prefix + "%",), schema=schema))

    def names_containing(self, wanted: str, schema: str) -> list[str]:
        inside = list({wanted[i:j] for i in range(len(wanted)) for j in range(i + 1, len(wanted) + 1)})
        if len(wanted) < FUZZY_SUBSTRING_BELOW:
            query = "SELECT name, concept FROM {prefixes} WHERE name LIKE %s OR name = ANY(%s)"
            params = ("%" + wanted + "%", inside)
        else:
            query = "SELECT name, concept FROM {prefixes} WHERE %s <%% name OR name = ANY(%s)"
            params = (wanted, inside)
        return [name for name, _ in sorted(set(self._rows(query, params, schema=schema)))]
