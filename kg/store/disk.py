"""The store file: a graph written by `kg load-sqlite` into one SQLite file, read a question at a time.

The tables and the questions are PostgreSQL's (`kg.store.schema`, `kg.store.sql`); this module
holds what is SQLite's own: one read-only connection per thread; the generation, which is the
file itself (a new load is renamed over it, and a connection still open on the old file keeps
reading a whole graph until its thread's next question); the queries in SQLite's dialect (a
list parameter written out, or a JSON array read with `json_each`); and the candidates of
misspelt words, picked from the vocabulary kept in memory while it is small enough.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from functools import lru_cache
from pathlib import Path

from kg.errors import WorkspaceError
from kg.store.dsn import SCHEME
from kg.store.schema import LAYOUT_VERSION
from kg.store.sql import SqlStore

#: A serving process keeps the vocabulary (the words misspellings are matched against) up to
#: this many words; beyond, the candidates are the words sharing the misspelling's first letter.
VOCABULARY_KEPT = 200_000
_DIALECT = {"C": "", "numeric": "", "aliases": "json_extract(data, '$.aliases')",
            "weights": "(SELECT key AS concept, value AS w FROM json_each(:weights)) AS m",
            "candidates": "(SELECT value AS id FROM json_each(:cards)) AS x"}
#: Lists up to this long are written out as `IN (?, ?, …)`, so the planner knows their length
#: (and looks pairs of ends up in the pair index); longer ones are read from a JSON array.
LIST_WRITTEN_OUT = 400
_PLACES = re.compile(r"(\w+)\s*=\s*ANY\(%s\)|%s")
_NAMED = re.compile(r"%\((\w+)\)s")


class _Tables(dict):
    def __missing__(self, name):
        return name


@lru_cache(maxsize=1024)
def _dialect(query: str) -> str:
    """`query` (PostgreSQL's dialect, see `SqlStore`) with SQLite's tables and functions."""
    return _NAMED.sub(r":\1", query.format_map(_Tables(_DIALECT)))


def _translate(query: str, params):
    """`query` and its `params` in SQLite's dialect: `= ANY(%s)` is `IN (…)`, `%s` is `?`."""
    text = _dialect(query)
    if isinstance(params, dict):
        return text.replace("%%", "%"), {k: _param(v) for k, v in params.items()}
    values = iter(params)
    out: list = []
    long_lists = 0

    def place(match) -> str:
        nonlocal long_lists
        value = next(values)
        if match.group(0) == "%s":
            out.append(_param(value))
            return "?"
        column = match.group(1)
        if len(value) <= LIST_WRITTEN_OUT:
            out.extend(value)
            return f"{column} IN ({', '.join('?' * len(value))})"
        out.append(json.dumps(list(value)))
        long_lists += 1
        # Two long lists (the edges among thousands of concepts): rows are looked up by the
        # first and the second only filters them (`+`), not millions of pairs probed.
        return f"{'+' if long_lists > 1 else ''}{column} IN (SELECT value FROM json_each(?))"

    return _PLACES.sub(place, text).replace("%%", "%"), out


def _param(value):
    return json.dumps(value) if isinstance(value, (list, tuple, dict)) else value


class DiskStore(SqlStore):
    """A SQLite store file written by `kg load-sqlite`."""

    def __init__(self, path: str | os.PathLike):
        super().__init__()
        self.file = Path(path)
        self.location = f"{SCHEME}{self.file}"
        self._local = threading.local()

    @classmethod
    def open(cls, location: str | os.PathLike) -> DiskStore:
        text = str(location)
        store = cls(text.removeprefix(SCHEME))
        store._conn(store.generation)  # fails now, with a clear message, if there is nothing to read
        return store

    def _live_generation(self) -> str:
        try:
            st = os.stat(self.file)
        except OSError:
            raise WorkspaceError(f"{self.file}: no store file here; run `kg load-sqlite WORKSPACE` first") from None
        return f"{st.st_ino}-{st.st_mtime_ns}"

    def _conn(self, generation: str) -> sqlite3.Connection:
        """This thread's connection to the file of `generation` (or, once that file is
        replaced, to the live one)."""
        held = getattr(self._local, "held", None)
        if held is not None and (held[0] == generation or generation != self.generation):
            return held[1]
        if held is not None:
            held[1].close()
        try:
            conn = sqlite3.connect(f"{self.file.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
            layout = conn.execute("SELECT value FROM meta WHERE key = 'layout'").fetchone()
        except sqlite3.Error as exc:
            raise WorkspaceError(f"{self.file}: not a kg store file ({exc}); run `kg load-sqlite` again") from None
        if layout is None or layout[0] != LAYOUT_VERSION:
            conn.close()
            raise WorkspaceError(f"{self.file}: store written by another kg version; run `kg load-sqlite` again")
        self._local.held = (generation, conn)
        return conn

    def _rows(self, query: str, params=(), *, schema: str | None = None) -> list[tuple]:
        conn = self._conn(schema or self.generation)
        try:
            return conn.execute(*_translate(query, params)).fetchall()
        except sqlite3.Error as exc:
            raise WorkspaceError(f"{self.file}: {exc}") from None

    def close(self) -> None:
        held = getattr(self._local, "held", None)
        if held is not None:
            held[1].close()
            self._local.held = None

    def _related_weights(self, weights: dict[str, float]) -> dict:
        return {"weights": weights}

    def vocabulary(self, generation: str) -> list[str] | None:
        """Every word of the search vocabulary (sorted) of `generation`, kept while there are at
        most VOCABULARY_KEPT; None beyond."""
        return self._kept_column("vocabulary", "word", generation, VOCABULARY_KEPT)

    def similar_words(self, word: str, schema: str) -> list[str]:
        words = self.vocabulary(schema)
        if words is not None:
            return words
        return [w for (w,) in self._rows("SELECT word FROM {vocabulary} WHERE word >= %s AND word < %s ORDER BY word",
                                         (word[0], chr(ord(word[0]) + 1)), schema=schema)]

    def words_starting(self, prefix: str, schema: str) -> list[str]:
        # SQLite compares bytes: every word with the prefix sorts below the prefix's last letter + 1.
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return [w for (w,) in self._rows("SELECT word FROM {vocabulary} WHERE word >= %s AND word < %s ORDER BY word",
                                         (prefix, upper), schema=schema)]

    def names_containing(self, wanted: str, schema: str) -> list[str]:
        # Only asked beyond PREFIX_NAMES_KEPT names: those holding `wanted`, a scan of the prefix table.
        inside = list({wanted[i:j] for i in range(len(wanted)) for j in range(i + 1, len(wanted) + 1)})
        rows = self._rows("SELECT DISTINCT name FROM {prefixes} WHERE instr(name, %s) > 0 OR name = ANY(%s)",
                          (wanted, inside), schema=schema)
        return sorted(name for (name,) in rows)
