"""The tables of a loaded graph (`kg.store.schema`), worked out from a built workspace's graph.

Both loaders write them: `kg load-postgres` (`kg.store.postgres_load`, with `COPY`) and
`kg load-sqlite` (here: a SQLite store file, written beside the old one and renamed over it,
so a server reading the old file finishes its question on a whole graph).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np

from kg.analysis import communities, gaps
from kg.analysis._cache import per_graph
from kg.analysis.paths import node_costs
from kg.analysis.related import _Weights
from kg.errors import WorkspaceError
from kg.importance import LOUVAIN_SEED
from kg.search import drop_search_index, search_index
from kg.store.completions import completion_rows
from kg.store.hubs import HUB_ROWS
from kg.store.hubs import hub_rows as hub_table_rows
from kg.store.schema import INDEXES, LAYOUT_VERSION, TABLES, sqlite_statements
from kg.store.sql import GAP_LIMITS
from kg.store.workspace_graph import WorkspaceGraph
from kg.workspace import Workspace

#: Members kept per community (most important first): the overview lists ten
#: (kg.web.explore.COMMUNITY_MEMBERS).
COMMUNITY_CONCEPTS_KEPT = 10
#: The store file `kg load-sqlite WS` writes by default, inside the workspace folder.
STORE_FILE = "store.sqlite"
#: What a load holding the graph in memory takes per edge (5.0 GB at its peak for the 2.73 million
#: edges of 100,000 cards, bench/README.md).
HELD_BYTES_PER_EDGE = 2_000


@dataclass
class LoadReport:
    generation: str
    nodes: int
    edges: int
    seconds: float
    #: MB of the new generation read into the database server's memory before the switch
    #: (PostgreSQL with pg_prewarm; None otherwise).
    warmed_mb: float | None = None


def write_tables(copy, G: nx.MultiDiGraph, *, hub_rows: int = HUB_ROWS) -> int:
    """Write every table of `G` through `copy(table, columns, rows)`, a concept whose page reads
    more than `hub_rows` rows ranked as a hub (`kg.store.hubs`); returns the edge count."""
    edges = _write_graph(copy, G)
    _write_derived(copy, G)
    hubs, cards, links = hub_table_rows(G, rows=hub_rows)
    copy("hubs", ("id", "card_total", "neighbour_total"), hubs)
    copy("hub_cards", ("concept", "pos", "card", "score", "via"), cards)
    copy("hub_links", ("concept", "pos", "other"), links)
    return edges


def load_graph(ws: Workspace, *, stream: bool | None = None) -> nx.MultiDiGraph:
    """The graph of `ws` for a load: held in memory (fast), or with `stream` read from the
    workspace's file as it is asked for (`kg.store.workspace_graph`: several times slower, a
    fraction of the memory). By default held when it fits in half the memory free now."""
    if stream is None:
        stream = int(ws.meta.get("edges", 0)) * HELD_BYTES_PER_EDGE > _free_memory() / 2
    return WorkspaceGraph(ws) if stream else ws.graph()


def _free_memory() -> float:
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return float("inf")  # unknown: hold it, as kg always did


def load_sqlite(workspace: str | os.PathLike, out: str | os.PathLike | None = None, *,
                hub_rows: int = HUB_ROWS, stream: bool | None = None) -> LoadReport:
    """Write the graph of the workspace at `workspace` as a SQLite store file `out` (default:
    `store.sqlite` in the workspace), replacing any there in one rename; `stream` as in
    `load_graph`."""
    started = time.perf_counter()
    target = Path(out) if out is not None else Path(workspace) / STORE_FILE
    if not target.parent.is_dir():
        raise WorkspaceError(f"{target.parent}: no such folder for the store file")
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    with Workspace.open(workspace) as ws:
        G = load_graph(ws, stream=stream)
        edges = _write_store(G, partial, target, hub_rows=hub_rows)
        nodes = G.number_of_nodes()
    return LoadReport(str(target), nodes, edges, time.perf_counter() - started)


def _write_store(G: nx.MultiDiGraph, partial: Path, target: Path, *, hub_rows: int) -> int:
    try:
        db = sqlite3.connect(partial, isolation_level=None)
        try:
            # Nothing is read until the rename: no journal, no syncs until the end.
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            db.execute("BEGIN")
            for statement in sqlite_statements(TABLES):
                db.execute(statement)

            def copy(name, columns, rows):
                cursor = db.executemany(f"INSERT INTO {name} ({', '.join(columns)}) "
                                        f"VALUES ({', '.join('?' * len(columns))})", rows)
                return cursor.rowcount

            edges = write_tables(copy, G, hub_rows=hub_rows)
            for statement in sqlite_statements(INDEXES):
                db.execute(statement)
            db.execute("COMMIT")
            db.execute("ANALYZE")
            # ANALYZE's averages hide the hubs (an end with thousands of edges among ends with
            # eight): said as the worst case, so that a question naming both ends of the edges
            # it wants looks them up by both (edges_pair), not through every edge of one end.
            db.execute("UPDATE sqlite_stat1 SET stat = ? WHERE idx IN ('edges_in', 'edges_out')",
                       (f"{edges} {HUB_ROWS} {HUB_ROWS} 1 1 1 1 1 1 1",))
        finally:
            db.close()
        with open(partial, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(partial, target)
    except sqlite3.Error as exc:
        raise WorkspaceError(f"{target}: could not write the store ({exc})") from None
    finally:
        partial.unlink(missing_ok=True)
    return edges


def _dumps(value) -> str:
    return json.dumps(value, separators=(",", ":"), default=list)


def _write_graph(copy, G: nx.MultiDiGraph) -> int:
    """Nodes and edges, each edge with its place in both adjacencies; returns the edge count."""
    copy("meta", ("key", "value"),
          [("layout", LAYOUT_VERSION), *((k, str(v)) for k, v in G.graph.items())])
    # A graph read from its workspace gives each node's and edge's JSON as stored, the same text
    # `_dumps` would write: copied, not encoded again.
    streamed = isinstance(G, WorkspaceGraph)
    texts = G.node_texts() if streamed else ((n, d, None) for n, d in G.nodes(data=True))
    copy("nodes", ("id", "pos", "kind", "label", "importance", "cards", "data"), (
        (n, pos, d.get("kind", ""), d.get("label"), float(d.get("importance", 0.0) or 0.0),
         int(d.get("cards", 0) or 0), text if text is not None else _dumps(d))
        for pos, (n, d, text) in enumerate(texts)))

    def rows():
        if streamed:
            for u, v, out_pos, in_pos, kind, k, d, text in G.edge_texts():
                yield u, v, kind, out_pos, in_pos, k, d.get("weight"), d.get("shared"), d.get("in_question"), text
            return
        for u, v, out_pos, in_pos, keyed in edge_places(G):
            for k, (kind, d) in enumerate(keyed.items()):
                yield (u, v, kind, out_pos, in_pos, k, d.get("weight"), d.get("shared"), d.get("in_question"),
                       _dumps(d))

    # What ranking and drawing read, beside the JSON: most questions read only these (see
    # kg.store.part.Part.edges, `light`).
    return copy("edges", ("u", "v", "kind", "out_pos", "in_pos", "kind_pos", "weight", "shared",
                                         "in_question", "data"), rows())


def edge_places(G: nx.MultiDiGraph):
    """(u, v, place among u's out-edges, place among v's in-edges, {kind: attributes}) of every
    linked pair of `G` (a graph read from a workspace gives its edges by `edge_texts`)."""
    in_pos = {}
    for v, preds in G._pred.items():
        for i, u in enumerate(preds):
            in_pos[u, v] = i
    for u, out in G._succ.items():
        for i, (v, keyed) in enumerate(out.items()):
            yield u, v, i, in_pos[u, v], keyed


def _write_derived(copy, G: nx.MultiDiGraph) -> None:
    """What the analyses of the whole graph need that a part of it cannot tell."""
    kinds = Counter(kind for _, kind in G.nodes(data="kind"))
    cards = [n for n, kind in G.nodes(data="kind") if kind == "card"]
    if isinstance(G, WorkspaceGraph):  # over arrays of every mention: card by card took 15 minutes at a million cards
        weights, (lengths, norms, totals) = _Weights.counted(G, G.link_tallies(), cards,
                                                             G.node_values("cards", "label"))
    else:
        weights = _Weights.of(G)
        lengths, norms, totals = weights.lengths_and_norms(cards)
    copy("card_weights", ("id", "mention_total", "length", "norm"), (
        (c, totals[c], lengths[c], norms[c]) for c in cards))
    # The hubs' card rankings read the same totals: kept, not read again from every card's links.
    per_graph(G, "card-mention-totals", lambda: totals)
    del lengths, norms
    copy("meta", ("key", "value"), [
        ("related_cards", str(weights.n_cards)), ("related_avg_length", repr(weights.avg_length))])
    costs = node_costs(G)
    copy("concept_costs", ("id", "degree", "generic", "marked"),
          ((n, degree, generic, marked) for n, (degree, generic, marked) in costs.items()))
    del costs
    # The costs were the last use of the search index (broadness reads the words' document
    # frequencies): written out and let go, it is not held beside what the analyses below build.
    _write_search(copy, search_index(G))
    drop_search_index(G)
    copy("deck_concepts", ("deck", "concept", "importance"), _deck_concepts(G))
    copy("communities", ("id", "pos", "label", "size", "concepts"), community_rows(communities(G, seed=LOUVAIN_SEED)))
    analyses = {
        "kind-counts": dict(kinds),
        "edge-counts": dict(Counter(k for _, _, k in G.edges(keys=True))),
        "deck-names": sorted(G.nodes[n].get("label", n) for n, kind in G.nodes(data="kind") if kind == "deck"),
        **{f"gaps-{limit}": gaps(G, limit=limit) for limit in GAP_LIMITS},
    }
    copy("analyses", ("name", "data"), ((k, _dumps(v)) for k, v in analyses.items()))


def community_rows(found: list[dict]):
    """One row per community, with only its first `COMMUNITY_CONCEPTS_KEPT` members: a million
    cards make a million communities, and a page lists a few members of the few it draws."""
    for pos, c in enumerate(found):
        yield c["id"], pos, c["label"], c["size"], _dumps(c["concepts"][:COMMUNITY_CONCEPTS_KEPT])


def _deck_concepts(G: nx.MultiDiGraph):
    if isinstance(G, WorkspaceGraph):
        yield from _counted_deck_concepts(G)
        return
    for deck, kind in list(G.nodes(data="kind")):
        if kind != "deck":
            continue
        found = set()
        for card in G.successors(deck):
            found.update(v for v, keyed in G._succ[card].items() if "mentions" in keyed)
        for concept in found:
            yield deck, concept, float(G.nodes[concept].get("importance", 0.0) or 0.0)


def _counted_deck_concepts(G: WorkspaceGraph):
    """`_deck_concepts` over the arrays of every mention and every deck's links: deck by deck,
    card by card, took 9 minutes at a million cards."""
    t = G.link_tallies()
    ids = t.ids
    # Each member's mentions, as a range of the mentions sorted by card.
    order = np.argsort(t.mention_card, kind="stable")
    card, concept = t.mention_card[order], t.mention_concept[order]
    starts = np.searchsorted(card, np.arange(len(ids) + 1))
    counts = starts[1:] - starts[:-1]
    lens = counts[t.deck_link_member]
    within = np.arange(lens.sum()) - np.repeat(np.cumsum(lens) - lens, lens)
    found = np.repeat(t.deck_link_deck, lens) * len(ids) + concept[np.repeat(starts[t.deck_link_member], lens) + within]
    importance = {n: float(value or 0.0) for n, value in G.node_values("importance")}
    for deck, c in zip(*np.divmod(np.unique(found), len(ids))):
        yield ids[deck], ids[c], importance.get(ids[c], 0.0)


def _whole_prefixes(index) -> bytearray:
    """Whether each prefix of the search index is a whole name of its concept, worked out
    concept by concept (the prefixes are sorted by name: one concept's come spread over the
    list, and each asked for the concept's names again)."""
    names, nodes = index.prefixes.keys, index.prefixes.nodes
    whole = bytearray(len(nodes))
    last, wholes = None, set()
    for i in np.argsort(np.array(nodes, dtype=object), kind="stable").tolist():
        if nodes[i] != last:
            last = nodes[i]
            wholes = index.whole_names(last)
        whole[i] = names[i] in wholes
    return whole


def strongest_first(cards, strength) -> tuple[bytes, bytes]:
    """A concept's mention arrays, packed, strongest first (ties by card number): a search reads
    a hub's strongest mentions only (kg.store.sql_search.MENTIONS_READ)."""
    order = np.lexsort((cards, -strength))
    return cards[order].astype("<i4").tobytes(), strength[order].astype("<f8").tobytes()


def _write_search(copy, index) -> None:
    """The search index's parts, each read back by key (see kg.store.sql_search)."""
    copy("meta", ("key", "value"), [("search_cards", str(index.n_cards))])
    copy("search_cards", ("n", "id"), enumerate(index.card_ids))

    def postings():
        for stem, (start, end) in index._text_postings.items():
            yield (stem, index._text_cards[start:end].astype("<i4").tobytes(),
                   index._text_weight[start:end].astype("<f4").tobytes())

    copy("postings", ("stem", "cards", "weights"), postings())
    copy("mention_strength", ("concept", "cards", "strength"), (
        (c, *strongest_first(cards, strength)) for c, (cards, strength) in index.mentions.items()))
    copy("concept_names", ("id", "names"), (
        (n, _dumps([sorted(s) for s in names])) for n, names in index.names.items()))
    # With the concept's cards: a word reads the concepts it names on most cards first.
    copy("concept_stems", ("stem", "concept", "cards"), (
        (s, n, index.concepts.cards(n)) for s, nodes in index.by_stem.items() for n in nodes))
    # With the kind's cards: a search reads a concept's kinds on most cards first.
    copy("children", ("parent", "pos", "child", "cards"), (
        (p, i, c, index.concepts.cards(c)) for p, kids in index.children.items() for i, c in enumerate(kids)))
    copy("associated", ("concept", "pos", "other", "weight"), (
        (c, i, o, w) for c, others in index.associated.items() for i, (o, w) in enumerate(others)))
    copy("acronyms", ("concept", "pos", "partner"), (
        (c, i, p) for c, partners in index.acronym_partners.items() for i, p in enumerate(partners)))
    copy("initials", ("initials", "concept"), (
        (key, c) for key, concepts in index.by_initials.items() for c in concepts))
    copy("vocabulary", ("word",), ((w,) for w in index.vocabulary))
    copy("vocabulary_stems", ("stem",), ((s,) for s in index.stem_vocabulary))
    # Whether each prefix is a whole name of its concept: completion ranks whole names first.
    whole = _whole_prefixes(index)
    prefixes = [(name, node, bool(whole[i])) for i, (name, node) in enumerate(index.prefixes)]
    del whole
    copy("prefixes", ("name", "concept", "whole"), prefixes)
    copy("completions", ("prefix", "pos", "concept"),
         completion_rows(prefixes, {n: index.concepts.cards(n) for n in index.concepts}))

