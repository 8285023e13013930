"""The workspace: one SQLite file holding a build's cards, extraction cache and graph.

A build never edits the live file. It writes a new file beside it and renames it into place
(`os.replace` is atomic on POSIX), so an interrupted build leaves the previous workspace whole
and a server reading the old file keeps a consistent snapshot until it reopens.

The graph is stored as JSON: one row per node and one per node's out-edges, in the shape
networkx keeps them ({v: {kind: attributes}}), so loading decodes one document per node in C
and hands it to the graph as it is. Never pickle: a workspace may come from someone else, and
loading it must not run code.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

import networkx as nx
import orjson

from kg.cards import Card
from kg.errors import WorkspaceError
from kg.extraction import CardExtraction

if TYPE_CHECKING:
    from kg.graphrows import GraphRows

DEFAULT_WORKSPACE = ".kg"
FILE_NAME = "workspace.sqlite"
# Bumped whenever the tables change shape; an older workspace is rebuilt, not misread.
SCHEMA_VERSION = "3"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE cards (
    id TEXT PRIMARY KEY, deck TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL,
    tags TEXT NOT NULL, source TEXT NOT NULL, question_html TEXT, answer_html TEXT,
    text_hash TEXT NOT NULL, note TEXT
);
CREATE TABLE extractions (key TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE nodes (id TEXT PRIMARY KEY, kind TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE adjacency (u TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE problems (message TEXT NOT NULL);
CREATE TABLE state (name TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE state_cards (card TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE state_tallies (node TEXT PRIMARY KEY, data TEXT NOT NULL);
"""


def workspace_file(path: str | os.PathLike) -> Path:
    """The SQLite file of the workspace folder `path`."""
    return Path(path) / FILE_NAME


def stamp(path: str | os.PathLike) -> tuple[int, int] | None:
    """(inode, mtime) of the workspace file, or None when there is none.

    A rebuild replaces the file, so a new stamp means a new build: servers compare stamps
    instead of re-reading the file on every request.
    """
    try:
        st = os.stat(workspace_file(path))
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns)


def cache_key(fingerprint: str, card: Card) -> str:
    """Extraction cache key: the card's text, the author's marks on it and the pipeline that read it."""
    import hashlib

    from kg.nlp.marks import marks_signature

    marks = marks_signature(card)
    text = f"{card.text}\x1f{marks}" if marks else card.text
    return hashlib.sha1(f"{fingerprint}\x1f{text}".encode("utf-8")).hexdigest()


@dataclass
class Workspace:
    """A built workspace, opened read-only."""

    path: Path
    db: sqlite3.Connection
    stamp: tuple[int, int] | None

    @classmethod
    def open(cls, path: str | os.PathLike = DEFAULT_WORKSPACE) -> "Workspace":
        path = Path(path)
        file = workspace_file(path)
        if not file.is_file():
            raise WorkspaceError(f"{path}: no workspace here; run `kg build` first")
        st = stamp(path)
        try:
            # Opened by URI in read-only mode: a reader can never take a write lock that would
            # stall a build, and the open file handle keeps this snapshot if a build replaces it.
            db = sqlite3.connect(f"file:{file}?mode=ro", uri=True, check_same_thread=False)
            version = dict(db.execute("SELECT key, value FROM meta")).get("schema")
        except sqlite3.DatabaseError as exc:
            raise WorkspaceError(f"{file}: not a kg workspace ({exc})") from None
        if version != SCHEMA_VERSION:
            db.close()
            raise WorkspaceError(
                f"{file}: workspace from another kg version (schema {version}); run `kg build` again"
            )
        return cls(path=path, db=db, stamp=st)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Workspace":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM meta"))

    @property
    def problems(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT message FROM problems")]

    def cards(self) -> Iterator[Card]:
        for row in self.db.execute(
            "SELECT id, deck, question, answer, tags, source, question_html, answer_html, note FROM cards"
        ):
            note = json.loads(row[8]) if row[8] else {}
            yield Card(
                id=row[0], deck=row[1], question=row[2], answer=row[3],
                tags=tuple(json.loads(row[4])), source=row[5],
                question_html=row[6], answer_html=row[7],
                guid=note.get("guid"), note_type=note.get("note_type"),
                fields=tuple((str(name), str(value)) for name, value in note.get("fields", ())),
            )

    def cached_extractions(self, keys: Iterable[str]) -> dict[str, dict]:
        """The cached extraction data for those cache keys that this workspace holds."""
        return {key: json.loads(text) for key, text in self.cached_extraction_text(keys).items()}

    def cached_extraction_text(self, keys: Iterable[str]) -> dict[str, str]:
        """`cached_extractions` as stored (JSON text), for callers that decode only some."""
        return dict(self._rows("extractions", "key", keys))

    def state_is_current(self) -> bool:
        """Whether the graph was counted the way this kg counts (kg.graphstate.STATE_VERSION): a
        graph counted otherwise is built again, even with no card changed."""
        from kg.graphstate import STATE_VERSION

        try:
            row = self.db.execute("SELECT data FROM state WHERE name = 'version'").fetchone()
        except sqlite3.Error:
            return False
        return row is not None and row[0] == STATE_VERSION

    def state(self):
        """The counts the graph was built from (a `GraphState`), or None if not kept."""
        from kg.graphstate import STATE_VERSION, GraphState

        try:
            rows = dict(self.db.execute("SELECT name, data FROM state"))
            if rows.get("version") != STATE_VERSION:
                return None
            return GraphState.loads(rows, self.db.execute("SELECT card, data FROM state_cards"), self._tallies)
        except sqlite3.Error:
            return None  # a workspace written before the state was kept

    def _tallies(self, nodes: set[str] | None) -> dict[str, str]:
        if nodes is None:
            return dict(self.db.execute("SELECT node, data FROM state_tallies"))
        return dict(self._rows("state_tallies", "node", nodes))

    def _rows(self, table: str, column: str, keys: Iterable[str]) -> Iterator[tuple]:
        keys = list(keys)
        # SQLite caps the number of bound parameters; ask in chunks.
        for i in range(0, len(keys), 900):
            chunk = keys[i : i + 900]
            marks = ",".join("?" * len(chunk))
            yield from self.db.execute(f"SELECT {column}, data FROM {table} WHERE {column} IN ({marks})", chunk)

    def concepts(self) -> dict[str, tuple]:
        """The summary of every concept node (kg.update.SUMMARY_FIELDS: key, label, cards, ...), read
        by SQLite from the stored JSON (a third of the time of decoding every node in Python)."""
        from kg.update import PASSING, SUMMARY_FIELDS

        fields = ", ".join(f"json_extract(data, '$.{name}')" for name in SUMMARY_FIELDS)
        rows = self.db.execute(f"SELECT id, {fields} FROM nodes WHERE kind = 'concept'")
        # SQLite gives JSON booleans as 0 / 1.
        return {row[0]: tuple(bool(v) if i == PASSING else v for i, v in enumerate(row[1:])) for row in rows}

    def nodes(self, ids: Iterable[str]) -> dict[str, dict]:
        """The attributes of the nodes `ids` (those that exist)."""
        return {n: json.loads(d) for n, d in self._rows("nodes", "id", ids)}

    def count(self, kind: str) -> int:
        return self.db.execute("SELECT count(*) FROM nodes WHERE kind = ?", (kind,)).fetchone()[0]

    def graph(self) -> nx.MultiDiGraph:
        """The knowledge graph as it was built (see ARCHITECTURE.md for its shape)."""
        from kg.graph import paused_gc

        with paused_gc():
            return self._graph()

    def _graph(self) -> nx.MultiDiGraph:
        # Each node's out-edges are stored as networkx keeps them, {v: {kind: attributes}}: one
        # JSON document per node is decoded in C and becomes the adjacency as it is, where
        # adding edges one by one through networkx costs several times more.
        G = nx.MultiDiGraph()
        loads = read_row
        nodes, succ, pred = G._node, G._succ, G._pred
        for node, data in self.db.execute("SELECT id, data FROM nodes"):
            nodes[node] = loads(data)
            succ[node] = {}
            pred[node] = {}
        try:
            for u, data in self.db.execute("SELECT u, data FROM adjacency"):
                out = succ[u] = loads(data)
                for v, keyed in out.items():
                    pred[v][u] = keyed
        except KeyError as exc:
            raise WorkspaceError(f"{self.path}: damaged workspace (edge to unknown node {exc})") from None
        clear = getattr(nx, "_clear_cache", None)  # networkx >= 3.3 caches views on the graph
        if clear is not None:
            clear(G)
        G.graph.update(self.meta)
        return G


def read_row(text: str):
    """A node's or an adjacency row's JSON, decoded."""
    # orjson decodes the same objects as json (floats exactly, keys in order) in 60% of the
    # time: a graph of 20,000 cards is read in 1.5 s instead of 2.1. json's own extensions
    # (NaN, Infinity), which orjson refuses, are still read.
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def load_graph(path: str | os.PathLike = DEFAULT_WORKSPACE) -> nx.MultiDiGraph:
    """Open the workspace at `path` and return its graph."""
    with Workspace.open(path) as ws:
        return ws.graph()


def write_workspace(
    path: str | os.PathLike,
    *,
    cards: list[Card],
    extractions: dict[str, tuple[str, CardExtraction]],
    graph: nx.MultiDiGraph | GraphRows,
    meta: dict[str, str | None],
    problems: Iterable[str] = (),
    state=None,
) -> Path:
    """Write a whole workspace atomically and return its file.

    `graph` is an `nx.MultiDiGraph` or a `kg.graphrows.GraphRows` (a build's graph whose cards'
    rows are made as they are written); both write the same rows. `extractions` maps card id to
    (cache key, extraction); a `meta` value of None is left out. The new file is written under a
    temporary name in the same folder and renamed over the old one only once complete.
    """
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(f"{path}: cannot create the workspace folder ({exc.strerror})") from None
    final = workspace_file(path)
    with _replacing(final) as db:
        db.executescript(_SCHEMA)
        all_meta = {"schema": SCHEMA_VERSION, "built_at": str(time.time()), **meta}
        db.executemany("INSERT INTO meta VALUES (?, ?)", ((k, v) for k, v in all_meta.items() if v is not None))
        db.executemany("INSERT OR REPLACE INTO cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", map(_card_row, cards))
        _write_extractions(db, extractions, previous=final)
        if isinstance(graph, nx.Graph):
            nodes, adjacency = graph.nodes(data=True), ((u, out) for u, out in graph._succ.items() if out)
        else:
            nodes, adjacency = graph.nodes(), graph.adjacency()
        db.executemany("INSERT INTO nodes VALUES (?, ?, ?)", (_node_row(n, d) for n, d in nodes))
        db.executemany("INSERT INTO adjacency VALUES (?, ?)", (_adjacency_row(u, out) for u, out in adjacency))
        db.executemany("INSERT INTO problems VALUES (?)", ((p,) for p in problems))
        if state is not None:
            _write_state(db, state)
    return final


def update_workspace(
    path: str | os.PathLike,
    *,
    patch,
    cards: list[Card],
    removed: Iterable[str],
    extractions: dict[str, tuple[str, CardExtraction]],
    drop_keys: Iterable[str],
    meta: dict[str, str | None],
    problems: Iterable[str] = (),
) -> int:
    """Apply a `kg.update.GraphPatch` to the workspace at `path` atomically; return the number
    of edges now in the graph.

    The workspace is copied and only the rows the patch names are rewritten: for a few changed
    cards that is a few hundred rows of a file of hundreds of thousands. `cards` are the new or
    edited cards, `removed` the ids of cards gone, `extractions` the new cache entries (card id
    -> (cache key, extraction)), `drop_keys` cache entries no card uses any more; a `meta`
    value of None takes its key away.
    """
    with _replacing(workspace_file(path), copy=True) as db:
        edges = int(dict(db.execute("SELECT key, value FROM meta")).get("edges", "0"))
        db.executemany("DELETE FROM cards WHERE id = ?", ((cid,) for cid in removed))
        # An upsert keeps an edited card's row (and so its place in the card order the next
        # update compares); REPLACE would move it to the end and the next update would rebuild.
        db.executemany(
            "INSERT INTO cards VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in _CARD_COLUMNS[1:]),
            map(_card_row, cards))
        db.executemany("DELETE FROM extractions WHERE key = ?", ((k,) for k in drop_keys))
        db.executemany("INSERT OR REPLACE INTO extractions VALUES (?, ?)",
                       ((key, ex.cache_text()) for key, ex in extractions.values()))
        db.executemany("DELETE FROM nodes WHERE id = ?", ((n,) for n, d in patch.nodes.items() if d is None))
        db.executemany("INSERT OR REPLACE INTO nodes VALUES (?, ?, ?)",
                       (_node_row(n, d) for n, d in patch.nodes.items() if d is not None))
        edges += _patch_adjacency(db, patch)
        _write_state(db, patch.state)
        all_meta = {"built_at": str(time.time()), **meta, "edges": str(edges)}
        # A value of None takes the key away (a build that no longer has it to say).
        db.executemany("DELETE FROM meta WHERE key = ?", ((k,) for k, v in all_meta.items() if v is None))
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", ((k, v) for k, v in all_meta.items() if v is not None))
        db.execute("DELETE FROM problems")
        db.executemany("INSERT INTO problems VALUES (?)", ((p,) for p in problems))
    return edges


@contextmanager
def _replacing(final: Path, *, copy: bool = False) -> Iterator[sqlite3.Connection]:
    """A new workspace file (empty, or a copy of `final` with `copy=True`) open for writing
    under a temporary name beside `final`, renamed over it when the block ends well."""
    fd, tmp_name = tempfile.mkstemp(prefix=".workspace-", suffix=".tmp", dir=final.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if copy:
            shutil.copyfile(final, tmp)
        db = sqlite3.connect(tmp)
        try:
            # The file is private until renamed, so durability settings of a live database
            # would only slow the build; one fsync before the rename is what matters.
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
            yield db
            db.commit()
        finally:
            db.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, final)
    except BaseException as exc:
        # KeyboardInterrupt included: the previous workspace must stay whole and no temp file
        # may be left behind.
        tmp.unlink(missing_ok=True)
        if isinstance(exc, (sqlite3.Error, OSError)):
            raise WorkspaceError(f"{final}: could not write the workspace ({exc})") from None
        raise


def _write_state(db: sqlite3.Connection, state) -> None:
    db.execute("DELETE FROM state")
    db.executemany("INSERT INTO state VALUES (?, ?)", state.dumps().items())
    # Per-card and per-concept rows: after an update, only those it touched are written.
    for table, column, (rows, gone) in (("state_cards", "card", state.card_rows()),
                                        ("state_tallies", "node", state.tally_rows())):
        db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", rows)
        db.executemany(f"DELETE FROM {table} WHERE {column} = ?", ((k,) for k in gone))


def _dumps(value) -> str:
    return json.dumps(value, separators=(",", ":"), default=list)


_CARD_COLUMNS = ("id", "deck", "question", "answer", "tags", "source", "question_html", "answer_html",
                 "text_hash", "note")


def _card_row(c: Card) -> tuple:
    note = {k: v for k, v in (("guid", c.guid), ("note_type", c.note_type), ("fields", c.fields)) if v}
    return (c.id, c.deck, c.question, c.answer, json.dumps(list(c.tags)), c.source, c.question_html,
            c.answer_html, c.text_hash(), _dumps(note) if note else None)


def _node_row(node: str, attrs: dict) -> tuple[str, str, str]:
    return node, attrs.get("kind", ""), _dumps(attrs)


def _adjacency_row(u: str, out: dict) -> tuple[str, str]:
    return u, _dumps(out)


def _patch_adjacency(db: sqlite3.Connection, patch) -> int:
    """Rewrite the out-edge rows the patch touches; return how many edges that adds."""
    names = set(patch.rows) | {u for u, _, _ in patch.edges} | {u for u, _, _ in patch.edge_updates}
    rows: dict[str, dict] = {}
    ordered = sorted(names)
    for i in range(0, len(ordered), 900):
        chunk = ordered[i : i + 900]
        marks = ",".join("?" * len(chunk))
        for u, data in db.execute(f"SELECT u, data FROM adjacency WHERE u IN ({marks})", chunk):
            rows[u] = json.loads(data)
    before = sum(len(keyed) for out in rows.values() for keyed in out.values())
    for u, out in patch.rows.items():
        rows[u] = dict(out or {})
    for (u, v, kind), data in patch.edges.items():
        out = rows.setdefault(u, {})
        if data is None:
            keyed = out.get(v)
            if keyed is not None:
                keyed.pop(kind, None)
                if not keyed:
                    del out[v]
        else:
            out.setdefault(v, {})[kind] = data
    for (u, v, kind), changed in patch.edge_updates.items():
        rows[u][v][kind].update(changed)
    after = sum(len(keyed) for out in rows.values() for keyed in out.values())
    db.executemany("DELETE FROM adjacency WHERE u = ?", ((u,) for u, out in rows.items() if not out))
    db.executemany("INSERT OR REPLACE INTO adjacency VALUES (?, ?)",
                   (_adjacency_row(u, out) for u, out in rows.items() if out))
    return after - before


def _write_extractions(db: sqlite3.Connection, extractions: dict[str, tuple[str, CardExtraction]],
                       *, previous: Path) -> None:
    """Write the extraction cache; rows the previous workspace already holds are copied from
    it as stored text, so a rebuild encodes only what it extracted anew."""
    keys = {key for key, _ in extractions.values()}
    if previous.is_file():
        try:
            db.execute("ATTACH DATABASE ? AS previous", (str(previous),))
        except sqlite3.Error:
            pass  # unreadable: everything is encoded afresh below
        else:
            try:
                db.execute("CREATE TEMP TABLE wanted (key TEXT PRIMARY KEY)")
                db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((k,) for k in keys))
                db.execute("INSERT OR IGNORE INTO extractions SELECT p.key, p.data "
                           "FROM previous.extractions AS p JOIN wanted USING (key)")
                db.commit()
            except sqlite3.Error:
                pass  # a workspace of another version: nothing reused
            finally:
                db.execute("DROP TABLE IF EXISTS temp.wanted")
                db.commit()
                db.execute("DETACH DATABASE previous")
    present = {key for (key,) in db.execute("SELECT key FROM extractions")}
    db.executemany(
        "INSERT OR REPLACE INTO extractions VALUES (?, ?)",
        ((key, ex.cache_text()) for key, ex in extractions.values() if key not in present),
    )
