"""`kg load-postgres`: a built workspace copied into PostgreSQL as a new generation, then switched in.

Rows go in with `COPY`; indexes are built once the rows are in; the pointer to the live
generation moves in one transaction, and generations older than the one it replaced are
dropped. A role named with `grant_to` may read every generation and nothing else.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from dataclasses import dataclass

import networkx as nx
import psycopg
from psycopg import sql

from kg.analysis import communities, gaps
from kg.analysis.related import _Weights
from kg.analysis.paths import node_costs
from kg.errors import WorkspaceError
from kg.graph import LOUVAIN_SEED
from kg.search import search_index
from kg.store.dsn import redact
from kg.store.schema import (
    CONTROL, CONTROL_DDL, GENERATION_PREFIX, INDEXES, LAYOUT_VERSION, TABLES, statements, table,
)
from kg.workspace import Workspace

#: The overview's gaps (kg.web.explore.GAPS), worked out on the whole graph at load time.
GAP_LIMITS = (5,)
#: Generations kept besides the live one: a server still answering from the previous one
#: finishes its question.
KEEP_PREVIOUS = 1


@dataclass
class LoadReport:
    generation: str
    nodes: int
    edges: int
    seconds: float


def connect(dsn: str, **kwargs) -> psycopg.Connection:
    """A connection to `dsn`; an error names the server without its password."""
    try:
        return psycopg.connect(dsn, **kwargs)
    except psycopg.Error as exc:
        raise WorkspaceError(f"{redact(dsn)}: cannot connect ({_first_line(exc)})") from None


def _first_line(exc: Exception) -> str:
    return redact(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)


def load_postgres(workspace: str | os.PathLike, dsn: str, *, grant_to: str | None = None) -> LoadReport:
    """Copy the workspace at `workspace` into the database `dsn` as its live graph."""
    started = time.perf_counter()
    with Workspace.open(workspace) as ws:
        G = ws.graph()
    with connect(dsn, autocommit=True) as conn:
        try:
            return _load(conn, G, grant_to=grant_to, started=started)
        except psycopg.Error as exc:
            raise WorkspaceError(f"{redact(dsn)}: could not load the graph ({_first_line(exc)})") from None


def _load(conn: psycopg.Connection, G: nx.MultiDiGraph, *, grant_to, started) -> LoadReport:
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
            edges = _copy_graph(conn, schema, G)
            _copy_derived(conn, schema, G)
            for statement in statements(INDEXES, schema):
                conn.execute(statement)
            if grant_to:
                _grant(conn, schema, grant_to)
    except BaseException:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        raise
    conn.execute(sql.SQL("ANALYZE {}").format(table(schema, "edges")))
    conn.execute(sql.SQL("ANALYZE {}").format(table(schema, "nodes")))
    _switch(conn, schema)
    return LoadReport(schema, G.number_of_nodes(), edges, time.perf_counter() - started)


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


def _dumps(value) -> str:
    return json.dumps(value, separators=(",", ":"), default=list)


def _copy(conn: psycopg.Connection, schema: str, name: str, columns: tuple[str, ...], rows) -> int:
    query = sql.SQL("COPY {} ({}) FROM STDIN").format(
        table(schema, name), sql.SQL(", ").join(map(sql.Identifier, columns)))
    n = 0
    with conn.cursor().copy(query) as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def _copy_graph(conn, schema: str, G: nx.MultiDiGraph) -> int:
    """Nodes and edges, each edge with its place in both adjacencies; returns the edge count."""
    _copy(conn, schema, "meta", ("key", "value"),
          [("layout", LAYOUT_VERSION), *((k, str(v)) for k, v in G.graph.items())])
    _copy(conn, schema, "nodes", ("id", "pos", "kind", "label", "importance", "cards", "data"), (
        (n, pos, d.get("kind", ""), d.get("label"), float(d.get("importance", 0.0) or 0.0),
         int(d.get("cards", 0) or 0), _dumps(d))
        for pos, (n, d) in enumerate(G.nodes(data=True))))
    in_pos = {}
    for v, preds in G._pred.items():
        for i, u in enumerate(preds):
            in_pos[u, v] = i

    def rows():
        for u, out in G._succ.items():
            for i, (v, keyed) in enumerate(out.items()):
                for k, (kind, d) in enumerate(keyed.items()):
                    yield (u, v, kind, i, in_pos[u, v], k, d.get("weight"), d.get("shared"), d.get("in_question"),
                           _dumps(d))

    # What ranking and drawing read, beside the JSON: most questions read only these (see
    # kg.store.postgres._Part.edges, `light`).
    return _copy(conn, schema, "edges", ("u", "v", "kind", "out_pos", "in_pos", "kind_pos", "weight", "shared",
                                         "in_question", "data"), rows())


def _copy_derived(conn, schema: str, G: nx.MultiDiGraph) -> None:
    """What the analyses of the whole graph need that a part of it cannot tell."""
    from kg.analysis._nodes import card_concepts

    kinds = Counter(kind for _, kind in G.nodes(data="kind"))
    cards = [n for n, kind in G.nodes(data="kind") if kind == "card"]
    weights = _Weights.of(G)
    lengths, norms = weights.lengths_and_norms(cards)
    _copy(conn, schema, "card_weights", ("id", "mention_total", "length", "norm"), (
        (c, sum(m.get("count", 1) for m in card_concepts(G, c).values()) or 1, lengths[c], norms[c])
        for c in cards))
    _copy(conn, schema, "meta", ("key", "value"), [
        ("related_cards", str(weights.n_cards)), ("related_avg_length", repr(weights.avg_length))])
    costs = node_costs(G)
    _copy(conn, schema, "concept_costs", ("id", "degree", "generic", "marked"),
          ((n, degree, generic, marked) for n, (degree, generic, marked) in costs.items()))
    _copy(conn, schema, "deck_concepts", ("deck", "concept", "importance"), _deck_concepts(G))
    analyses = {
        "communities": communities(G, seed=LOUVAIN_SEED),
        "kind-counts": dict(kinds),
        "edge-counts": dict(Counter(k for _, _, k in G.edges(keys=True))),
        "deck-names": sorted(d.get("label", n) for n, d in G.nodes(data=True) if d.get("kind") == "deck"),
        **{f"gaps-{limit}": gaps(G, limit=limit) for limit in GAP_LIMITS},
    }
    _copy(conn, schema, "analyses", ("name", "data"), ((k, _dumps(v)) for k, v in analyses.items()))
    _copy_search(conn, schema, search_index(G))


def _deck_concepts(G: nx.MultiDiGraph):
    for deck, kind in list(G.nodes(data="kind")):
        if kind != "deck":
            continue
        found = set()
        for card in G.successors(deck):
            found.update(v for v, keyed in G._succ[card].items() if "mentions" in keyed)
        for concept in found:
            yield deck, concept, float(G.nodes[concept].get("importance", 0.0) or 0.0)


def _copy_search(conn, schema: str, index) -> None:
    """The search index's parts, each read back by key (see kg.store.postgres_search)."""
    _copy(conn, schema, "meta", ("key", "value"), [("search_cards", str(index.n_cards))])
    _copy(conn, schema, "search_cards", ("n", "id"), enumerate(index.card_ids))

    def postings():
        for stem, (start, end) in index._text_postings.items():
            yield (stem, index._text_cards[start:end].astype("<i4").tobytes(),
                   index._text_weight[start:end].astype("<f4").tobytes())

    _copy(conn, schema, "postings", ("stem", "cards", "weights"), postings())
    _copy(conn, schema, "mention_strength", ("concept", "cards", "strength"), (
        (c, cards.astype("<i4").tobytes(), strength.astype("<f8").tobytes())
        for c, (cards, strength) in index.mentions.items()))
    _copy(conn, schema, "concept_names", ("id", "names"), (
        (n, _dumps([sorted(s) for s in names])) for n, names in index.names.items()))
    _copy(conn, schema, "concept_stems", ("stem", "concept"), (
        (s, n) for s, nodes in index.by_stem.items() for n in nodes))
    _copy(conn, schema, "children", ("parent", "pos", "child"), (
        (p, i, c) for p, kids in index.children.items() for i, c in enumerate(kids)))
    _copy(conn, schema, "associated", ("concept", "pos", "other", "weight"), (
        (c, i, o, w) for c, others in index.associated.items() for i, (o, w) in enumerate(others)))
    _copy(conn, schema, "vocabulary", ("word",), ((w,) for w in index.vocabulary))
    _copy(conn, schema, "vocabulary_stems", ("stem",), ((s,) for s in index.stem_vocabulary))
    # Whether each prefix is a whole name of its concept: completion ranks whole names first.
    _copy(conn, schema, "prefixes", ("name", "concept", "whole"), (
        (name, node, index._is_whole_name(node, name)) for name, node in index.prefixes))

