"""A workspace's graph read from its file as it is asked for, not held: what the loaders read.

`Workspace.graph()` builds the whole networkx graph: 3.1 GB at 100,000 cards, about 30 GB at a
million. A load (`kg load-sqlite`, `kg load-postgres`) reads every node and edge in a few passes
and some of them again by id, and keeps only what it works out (the search index, communities,
rankings). `WorkspaceGraph` is a `networkx.MultiDiGraph` whose node and adjacency dicts are read
from the workspace's `nodes` and `adjacency` tables when asked for (a pass streams a table; a
node asked by id is one indexed lookup), so networkx's own views and kg.analysis run on it
unchanged and a load writes the same tables as from the graph in memory.

Predecessors are not in the workspace (it keeps each node's out-edges): they are copied once
into a scratch table, in the order `Workspace.graph()` meets them, which is the order of every
node's in-edges there.

Read-only, and for one thread: the loaders' use. Decoded rows are kept for the last few
thousand nodes only.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property

import networkx as nx
import numpy as np
from networkx.classes.reportviews import NodeView

from kg.conceptgraph import CONCEPT_GRAPH_KINDS
from kg.errors import WorkspaceError
from kg.workspace import Workspace, workspace_file
from kg.workspace import read_row as _loads

#: Decoded rows kept per table: a hub's rows are read several times in a row.
RECENT_ROWS = 4096
#: ... and the edges they may hold between them: a hub's row holds tens of thousands, and 4,096
#: hubs kept at a million cards held gigabytes (at 20,000 cards the cap took a load's search
#: index and costs from 713 to 430 MB).
RECENT_EDGES = 100_000
#: Concepts and decks kept besides: small, and asked for again and again (a label, a count).
RECENT_NODES = 65_536


class _Recent(OrderedDict):
    """The last rows decoded, at most `size` of them and, when `edges` is given, at most that
    many edges between them (the last row is always kept, however large)."""

    def __init__(self, size: int = RECENT_ROWS, edges: int | None = None):
        super().__init__()
        self.size, self.edges, self._held = size, edges, 0

    def keep(self, key, value):
        if self.edges is not None:
            self._held += len(value)
        self[key] = value
        while len(self) > self.size or (self.edges is not None and self._held > self.edges and len(self) > 1):
            _, gone = self.popitem(last=False)
            if self.edges is not None:
                self._held -= len(gone)
        return value


class _NodeAttributes(Mapping):
    """{node: attributes} over the `nodes` table, in the table's order."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db
        self._cards, self._others = _Recent(), _Recent(RECENT_NODES)
        self._len = db.execute("SELECT count(*) FROM nodes").fetchone()[0]
        # The JSON of every node but the cards (a few hundred bytes each; cards hold their
        # text), read in one pass: a load asks for every concept's attributes several times,
        # and by id they came in a random order from a file larger than memory.
        self._texts = dict(db.execute("SELECT id, data FROM nodes WHERE kind != 'card' ORDER BY rowid"))

    def __getitem__(self, node):
        found = self._others.get(node) or self._cards.get(node)
        if found is not None:
            return found
        text = self._texts.get(node)
        if text is not None:
            return self._others.keep(node, _loads(text))
        row = self._db.execute("SELECT kind, data FROM nodes WHERE id = ?", (node,)).fetchone()
        if row is None:
            raise KeyError(node)
        return (self._cards if row[0] == "card" else self._others).keep(node, _loads(row[1]))

    def __contains__(self, node) -> bool:
        return node in self._texts or node in self._cards or self._db.execute(
            "SELECT 1 FROM nodes WHERE id = ?", (node,)).fetchone() is not None

    def __iter__(self) -> Iterator[str]:
        return (n for n, in self._db.execute("SELECT id FROM nodes ORDER BY rowid"))

    def __len__(self) -> int:
        return self._len

    def items(self):
        return _Pass(lambda: ((n, _loads(d)) for n, d in
                              self._db.execute("SELECT id, data FROM nodes ORDER BY rowid")), self._len)

    def kinds(self):
        # The table keeps each node's kind beside its JSON: a pass over kinds decodes nothing.
        return _Pass(lambda: iter(self._db.execute("SELECT id, kind FROM nodes ORDER BY rowid")), self._len)


class _Pass:
    """A pass over a table, started again each time it is iterated (as a dict view would be)."""

    def __init__(self, rows, length: int):
        self._rows, self._len = rows, length

    def __iter__(self):
        return self._rows()

    def __len__(self) -> int:
        return self._len


class _Successors(Mapping):
    """{u: {v: {kind: attributes}}} over the `adjacency` table; a node without out-edges has {}."""

    def __init__(self, db: sqlite3.Connection, nodes: _NodeAttributes):
        self._db, self._nodes = db, nodes
        self._recent = _Recent(edges=RECENT_EDGES)

    def __getitem__(self, u):
        found = self._recent.get(u)
        if found is not None:
            return found
        row = self._db.execute("SELECT data FROM adjacency WHERE u = ?", (u,)).fetchone()
        if row is None:
            if u not in self._nodes:
                raise KeyError(u)
            return {}
        return self._recent.keep(u, _loads(row[0]))

    def __contains__(self, u) -> bool:
        return u in self._nodes

    def __iter__(self):
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)

    def items(self):
        return _Pass(lambda: ((u, _loads(d) if d is not None else {}) for u, d in self._db.execute(
            "SELECT n.id, a.data FROM nodes n LEFT JOIN adjacency a ON a.u = n.id ORDER BY n.rowid")),
                     len(self._nodes))


class _Predecessors(Mapping):
    """{v: {u: {kind: attributes}}} over the scratch table of in-edges."""

    def __init__(self, db: sqlite3.Connection, nodes: _NodeAttributes):
        self._db, self._nodes = db, nodes
        self._recent = _Recent(edges=RECENT_EDGES)

    def __getitem__(self, v):
        found = self._recent.get(v)
        if found is not None:
            return found
        row = self._db.execute("SELECT data FROM scratch.pred_rows WHERE v = ?", (v,)).fetchone()
        if row is None:
            if v not in self._nodes:
                raise KeyError(v)
            return {}
        return self._recent.keep(v, _loads(row[0]))

    def __contains__(self, v) -> bool:
        return v in self._nodes

    def __iter__(self):
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)

    def items(self):
        return _Pass(lambda: ((v, self[v]) for v in self._nodes), len(self._nodes))


class _Nodes(NodeView):
    """networkx's node view, with a pass over the nodes' kinds read from their own column."""

    def __call__(self, data=False, default=None):
        if data == "kind" and default is None:
            return self._nodes.kinds()
        return super().__call__(data, default)

    def data(self, data=True, default=None):
        return self(data, default)


@dataclass
class LinkTallies:
    """What a load asks of every concept's links, counted in one pass over the edges (the
    workspace's order, not one node at a time): `index` gives a node's place in the arrays."""

    index: dict[str, int]
    ins: np.ndarray  # nodes that link to it
    outs: np.ndarray  # nodes it links to
    kinds_in: np.ndarray  # is_a links to it: its kinds
    marked: np.ndarray  # cards that mention it marked
    decks: np.ndarray  # decks of the cards that mention it
    degree: np.ndarray  # concepts linked to it either way by one of the kinds asked (concept_degree)
    # Every mention, card by card in the order of the cards' links: the card's and the
    # concept's places, and the mention's count and whether the question says it.
    mention_card: np.ndarray
    mention_concept: np.ndarray
    mention_count: np.ndarray
    mention_in_question: np.ndarray
    # Links of kind is_a or co_occurs (a community's features, kg.analysis.gaps), in the order
    # of each node's out-links and of each node's in-links: the ends' places, which kinds, the
    # co-occurrence's weight.
    link_u: np.ndarray
    link_v: np.ndarray
    link_is_a: np.ndarray
    link_co_occurs: np.ndarray
    link_weight: np.ndarray
    # The deck nodes' links: (deck, what it holds) places.
    deck_link_deck: np.ndarray
    deck_link_member: np.ndarray

    @cached_property
    def ids(self) -> list[str]:
        """The nodes by their places in the arrays."""
        return list(self.index)


class WorkspaceGraph(nx.MultiDiGraph):
    """The graph of an open workspace, read from its file as it is asked for.

    Lives as long as the workspace is open; its scratch table of predecessors lies in SQLite's
    temporary storage and goes with the connection.
    """

    def __init__(self, ws: Workspace):
        super().__init__()
        self._db = ws.db
        try:
            self._db.execute("ATTACH DATABASE '' AS scratch")
            self.graph.update(ws.meta)
            self._edges = self._copy_predecessors()
        except sqlite3.Error as exc:
            raise WorkspaceError(f"{workspace_file(ws.path)}: cannot read the workspace ({exc})") from None
        nodes = _NodeAttributes(self._db)
        self._node = nodes
        self._adj = _Successors(self._db, nodes)  # also `_succ`: networkx sets both
        self._pred = _Predecessors(self._db, nodes)
        self._tallies = None

    def _copy_predecessors(self) -> int:
        # In the order of the adjacency table and of each row's keys: the order in which
        # Workspace.graph() adds every node's in-edges.
        db = self._db
        db.execute("CREATE TABLE scratch.pred (v TEXT NOT NULL, u TEXT NOT NULL, data TEXT NOT NULL)")
        db.execute("INSERT INTO scratch.pred (v, u, data) SELECT o.key, a.u, o.value "
                   "FROM adjacency a, json_each(a.data) o ORDER BY a.rowid, o.id")
        db.execute("CREATE INDEX scratch.pred_v ON pred (v)")
        # And one JSON document per node, as the adjacency keeps out-edges: a node's in-edges
        # are read in one lookup and decoded in one call.
        db.execute("CREATE TABLE scratch.pred_rows (v TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID")
        db.execute("INSERT INTO scratch.pred_rows SELECT v, json_group_object(u, json(data)) "
                   "FROM (SELECT v, u, data FROM scratch.pred ORDER BY v, rowid) GROUP BY v")
        db.commit()
        return db.execute("SELECT count(*) FROM scratch.pred p, json_each(p.data)").fetchone()[0]

    @property
    def nodes(self):
        return _Nodes(self)

    def number_of_edges(self, u=None, v=None):
        if u is None and v is None:
            return self._edges
        return super().number_of_edges(u, v)

    def link_tallies(self) -> LinkTallies:
        """Every node's `LinkTallies` (worked out once), its degree in the concept graph
        (kg.conceptgraph.concept_degree).

        Asked node by node, a million cards' in-links were read in a random order from a file
        larger than memory (the path costs took 43 minutes of a load); one pass reads them in
        the file's order and keeps only counts and pairs of numbers."""
        if self._tallies is not None:
            return self._tallies
        index, concept, deck_node, card_deck, deck_ids = {}, [], [], [], {}
        for i, (n, kind, deck) in enumerate(self._db.execute(
                "SELECT id, kind, CASE kind WHEN 'card' THEN json_extract(data, '$.deck') END "
                "FROM nodes ORDER BY rowid")):
            index[n] = i
            concept.append(kind == "concept")
            deck_node.append(kind == "deck")
            card_deck.append(-1 if kind != "card" else deck_ids.setdefault(deck or "", len(deck_ids)))
        size, wanted, n_decks = len(index), set(CONCEPT_GRAPH_KINDS), max(len(deck_ids), 1)
        ins, outs, kinds_in, marked = [0] * size, [0] * size, [0] * size, [0] * size
        # (a, b) of linked concepts and (concept, deck) of mentions, as one number each, made
        # unique below.
        pairs, mentioned, deck_link = array("q"), array("q"), array("q")
        m_card, m_concept, m_count, m_question = array("q"), array("q"), array("q"), array("b")
        l_u, l_v, l_is_a, l_co, l_weight = array("q"), array("q"), array("b"), array("b"), array("d")
        last, ui, vi = None, 0, 0
        # Each card's links in its own order (the table's order, as the scratch table was
        # filled): the card weights sum a card's mentions in the order a held graph does.
        for r, u, v, kind, mark, count, in_question, co_occurs in self._db.execute(
                "SELECT p.rowid, p.u, p.v, k.key, "
                "CASE k.key WHEN 'mentions' THEN json_extract(k.value, '$.marked') END, "
                "CASE k.key WHEN 'mentions' THEN coalesce(json_extract(k.value, '$.count'), 1) END, "
                "CASE k.key WHEN 'mentions' THEN json_extract(k.value, '$.in_question') END, "
                "CASE k.key WHEN 'co_occurs' THEN k.value END "
                "FROM scratch.pred p, json_each(p.data) k ORDER BY p.rowid"):
            if r != last:
                last, ui, vi = r, index[u], index[v]
                outs[ui] += 1
                ins[vi] += 1
                linked = in_links = False
                if deck_node[ui]:
                    deck_link.append(ui * size + vi)
            if kind == "mentions":
                if mark:
                    marked[vi] += 1
                if card_deck[ui] >= 0:
                    mentioned.append(vi * n_decks + card_deck[ui])
                m_card.append(ui)
                m_concept.append(vi)
                m_count.append(count)
                m_question.append(bool(in_question))
            elif kind == "is_a":
                kinds_in[vi] += 1
            if kind == "is_a" or kind == "co_occurs":
                if not in_links:  # the pair's first of the two
                    in_links = True
                    l_u.append(ui), l_v.append(vi), l_is_a.append(0), l_co.append(0), l_weight.append(0.0)
                if kind == "is_a":
                    l_is_a[-1] = 1
                else:
                    # Decoded as a held graph decodes it: the same float, to the last bit.
                    l_co[-1] = 1
                    l_weight[-1] = _loads(co_occurs).get("weight", 0.0)
            if kind in wanted and not linked and ui != vi and concept[ui] and concept[vi]:
                linked = True  # a pair linked by several kinds is one neighbour
                pairs.append(min(ui, vi) * size + max(ui, vi))
        pairs = np.unique(np.frombuffer(pairs, dtype=np.int64))
        degree = np.bincount(pairs // size, minlength=size) + np.bincount(pairs % size, minlength=size)
        decks = np.bincount(np.unique(np.frombuffer(mentioned, dtype=np.int64)) // n_decks,
                            minlength=size)
        self._tallies = LinkTallies(index, *(np.array(a, dtype=np.int64) for a in (ins, outs, kinds_in, marked)),
                                    decks, degree, *(np.frombuffer(a, dtype=np.int64) for a in (m_card, m_concept, m_count)),
                                    np.frombuffer(m_question, dtype=np.int8).astype(bool),
                                    *(np.frombuffer(a, dtype=np.int64) for a in (l_u, l_v)),
                                    *(np.frombuffer(a, dtype=np.int8).astype(bool) for a in (l_is_a, l_co)),
                                    np.frombuffer(l_weight, dtype=np.float64),
                                    *np.divmod(np.frombuffer(deck_link, dtype=np.int64), size))
        return self._tallies

    def nodes_but_cards(self) -> Iterator[tuple[str, dict]]:
        """(node, attributes) of every node but the cards, in order, from the JSON held in
        memory: a pass over the concepts that does not read every card's text from the file."""
        return ((n, _loads(text)) for n, text in self._node._texts.items())

    def node_values(self, *keys: str) -> Iterator[tuple]:
        """(node, its value of each of `keys`, None where it has none) of every node but the
        cards, in order: read by SQLite, so a load that wants two numbers of each concept does
        not decode every card's text."""
        paths = ", ".join(f"json_extract(data, '$.{key}')" for key in keys)
        return iter(self._db.execute(f"SELECT id, {paths} FROM nodes WHERE kind != 'card' ORDER BY rowid"))

    def links_of(self, node: str) -> tuple[int, int, bool]:
        """(how many nodes link to `node`, how many it links to, whether a kind of it links to
        it), counted in SQLite: a load asks it of every concept, and decoding the rows to count
        them took most of ranking the hubs."""
        tallies = self._tallies
        if tallies is not None:  # the path costs counted every node's
            i = tallies.index[node]
            return int(tallies.ins[i]), int(tallies.outs[i]), bool(tallies.kinds_in[i])
        found = self._db.execute(
            "SELECT (SELECT count(*) FROM scratch.pred WHERE v = ?1), "
            "(SELECT (SELECT count(*) FROM json_each(a.data)) FROM adjacency a WHERE a.u = ?1), "
            "EXISTS (SELECT 1 FROM scratch.pred WHERE v = ?1 AND json_type(data, '$.is_a') IS NOT NULL)",
            (node,)).fetchone()
        return found[0], found[1] or 0, bool(found[2])

    def node_texts(self) -> Iterator[tuple[str, dict, str]]:
        """(node, attributes, their JSON as the workspace keeps it) of every node, in order: a
        load writes the text as it is instead of encoding the attributes again."""
        for n, text in self._db.execute("SELECT id, data FROM nodes ORDER BY rowid"):
            yield n, _loads(text), text

    def edge_texts(self) -> Iterator[tuple[str, str, int, int, str, int, dict, str]]:
        """(u, v, place among u's out-edges, place among v's in-edges, kind, place among the
        pair's kinds, attributes, their JSON text) of every edge, in the order `Workspace.graph()` adds them; the
        text split out by SQLite, so a load copies it instead of encoding the attributes again
        (most of writing 27 million edges)."""
        # In the scratch table's order, each pair's kinds in their own order (json_each's, which
        # needs no sort); a place among v's in-edges counted here rather than by a window over
        # every edge sorted by v (most of the time).
        out_pos, kind_pos, last_u, last_pair = -1, 0, None, None
        in_pos, seen = 0, {}
        for r, u, v, kind, text in self._db.execute(
                "SELECT p.rowid, p.u, p.v, k.key, k.value FROM scratch.pred p, json_each(p.data) k "
                "ORDER BY p.rowid"):
            if r != last_pair:
                out_pos = out_pos + 1 if u == last_u else 0
                in_pos = seen.get(v, 0)
                seen[v] = in_pos + 1
                last_u, last_pair, kind_pos = u, r, 0
            else:
                kind_pos += 1
            yield u, v, out_pos, in_pos, kind, kind_pos, _loads(text), text
