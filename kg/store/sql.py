"""A graph loaded into SQL tables, read a question at a time: the part both stores share.

Each question reads only the rows it touches, by index range scans on the edge table (a
concept's links, its kinds and their cards; a card's concepts and the cards sharing them; the
rings a neighbourhood or a path walks), into a small `networkx` graph that `kg.store.base`
answers on with the same functions as the in-memory graph. What such a part cannot tell about
the whole graph (a card's mention total, deck-wide BM25 figures, communities, gaps, path costs)
was worked out at load time and is kept on the part (see `kg.analysis._cache`).

The tables (`kg.store.schema`) live in PostgreSQL (`kg.store.postgres`) or in a SQLite file
(`kg.store.disk`); a backend runs the queries written here in its own dialect (see
`SqlStore._rows`). A serving process keeps connections and small caches, nothing else: its
memory does not grow with the graph.
"""

from __future__ import annotations

import heapq
import json
import threading
import time
from abc import abstractmethod
from collections import Counter

import numpy as np

from kg.analysis._cache import per_graph, recent
from kg.analysis.detail import KEPT_RANKINGS
from kg.analysis.detail import neighbours as ranked_neighbours
from kg.analysis.related import K1, QUESTION_WEIGHT, B, _Weights
from kg.analysis.scope import _with_parents
from kg.analysis.subgraphs import DECK_SETS_KEPT, LINK_KINDS, next_ring
from kg.errors import NotFound
from kg.ids import deck_node
from kg.importance import LOUVAIN_SEED
from kg.store.base import EVIDENCE_NEIGHBOURS, NEIGHBOUR_NODES, GraphStore
from kg.store.hubs import CARDS_KEPT, LINKS_KEPT
from kg.store.part import LINKS, Part
from kg.store.sql_search import ASSOCIATED_READ, CONCEPTS_READ, MENTIONS_READ, MENTIONS_SQL

#: The overview's gaps (kg.web.explore.GAPS), worked out on the whole graph at load time.
GAP_LIMITS = (5,)
#: The live generation is looked up at most this often (a new load is seen this late at most).
GENERATION_CHECK_SECONDS = 1.0
#: A path is looked for among at most this many concepts around its two ends.
MAX_PATH_NODES = 1200
#: Concepts a ring adds to its side at most: those of the other side it reaches, then those most
#: strongly linked to the ring before (a hub's ring is thousands of concepts).
RING_NODES = 100
#: Rings walked after the two searches meet (both sides together), so a cheaper detour can be
#: found, while the two sides hold fewer than PATH_WIDEN_NODES concepts.
PATH_EXTRA_RINGS = 2
PATH_WIDEN_NODES = 300
#: Cards related to a card that the database ranks first, for `related_cards` to rank again
#: (far more than a page lists, so rounding in the database cannot change which are shown).
RELATED_READ = 60
#: Cards sharing a concept with a card that the database scores exactly, at most: those whose
#: shared concepts weigh most (see `SqlStore._related_candidates`).
RELATED_CANDIDATES = 3000
# kg.analysis.related's score of the cards {candidates} (a table x(id)), as the database works it
# out: the dot product of BM25 weights over the concepts they share with %(card)s, over both
# norms. {weights} is the card's own concepts and their weights, a table m(concept, w). Each
# card's mentions are looked up by card: joined by concept, the planner reads every mention of
# a hub (hundreds of thousands at a million cards).
RELATED_SQL = """
SELECT cw.id FROM {candidates} JOIN {card_weights} cw ON cw.id = x.id
WHERE cw.id <> %(card)s
ORDER BY round(((SELECT sum(m.w / (e.weight + (%(q)s - 1) * (CASE WHEN e.in_question THEN 1 ELSE 0 END) + %(k1)s
    * (1 - %(b)s + %(b)s * cw.length / %(avg)s)) * (e.weight + (%(q)s - 1) * (CASE WHEN e.in_question THEN 1 ELSE 0 END))
    * (%(k1)s + 1)) FROM {edges} e JOIN {weights} ON e.v = m.concept WHERE e.u = cw.id AND e.kind = 'mentions')
    / (cw.norm * %(norm)s)){numeric}, 4) DESC, cw.id{C}
LIMIT %(limit)s
"""

#: A serving process keeps the concept names for misspelt prefixes up to this many (about
#: 40 bytes each); a bigger graph has its candidates proposed by the backend instead.
PREFIX_NAMES_KEPT = 200_000


class SqlStore(GraphStore):
    """A graph in the tables of `kg.store.schema`, read through a backend's connections.

    A backend provides `_live_generation` and `_rows`, which runs a query written in PostgreSQL's
    dialect with these placeholders: `{name}` for the table `name` of the generation asked,
    `{C}` for byte order (`COLLATE "C"`), `{numeric}` for exact rounding, `{aliases}` for a
    node's `aliases` as JSON text, `{weights}` and `{candidates}` for RELATED_SQL's tables; `= ANY(%s)`
    takes a list."""

    #: The bounds of a path's ball (see `path_graph`).
    max_path_nodes = MAX_PATH_NODES
    ring_nodes = RING_NODES
    path_widen_nodes = PATH_WIDEN_NODES
    #: Concepts a search word reads at most, and associations a search reads (see `kg.store.sql_search`).
    search_concepts_read = CONCEPTS_READ
    search_associated_read = ASSOCIATED_READ
    #: Whether `Part.pairs` looks a list of (u, v) pairs up in one query (`{pairs}`).
    pairs_in_one_query = False
    #: Cards a card's related ranking scores exactly at most (see `_related_candidates`).
    related_candidates = RELATED_CANDIDATES

    def __init__(self):
        self._lock = threading.Lock()
        self._kept: dict[str, tuple[str, list | None]] = {}
        self._generation: tuple[float, str] | None = None

    @abstractmethod
    def _rows(self, query: str, params=(), *, schema: str | None = None) -> list[tuple]:
        """The rows of `query` (see the class) on the generation `schema` (default: the live one)."""

    def _stream(self, query: str, params=(), *, schema: str | None = None):
        """The rows of `query` one at a time (a backend may read them all first, as `_rows`)."""
        return iter(self._rows(query, params, schema=schema))

    @abstractmethod
    def similar_words(self, word: str, schema: str) -> list[str]:
        """The vocabulary words worth scoring as what a misspelt `word` meant (sorted)."""

    @abstractmethod
    def words_starting(self, prefix: str, schema: str) -> list[str]:
        """The vocabulary words that start with `prefix` (letters and digits), sorted."""

    @abstractmethod
    def names_containing(self, wanted: str, schema: str) -> list[str]:
        """The prefix names (sorted, once each) holding `wanted` or a near copy of it, and the
        names inside `wanted`: completion's candidates when the names are not kept."""

    def _related_candidates(self, weights: dict[str, float], schema: str) -> list[str]:
        """The cards sharing a concept of `weights` that RELATED_SQL scores: all of them while
        they are at most `related_candidates`, else those whose shared concepts weigh most (each
        mention's strength times its concept's weight; a hub is on tens of thousands of cards at
        a million, and scoring them all exactly reads every mention of each). The exact score
        then weighs in each card's length, which this leaves out."""
        rows = self._rows(MENTIONS_SQL, (4 * MENTIONS_READ, 8 * MENTIONS_READ, sorted(weights)), schema=schema)
        if not rows:
            return []
        numbers = np.concatenate([np.frombuffer(cards, "<i4") for _, cards, _ in rows])
        found = np.unique(numbers)
        if len(found) > self.related_candidates:
            strength = np.concatenate([np.frombuffer(s, "<f8") * weights[c] for c, _, s in rows])
            total = np.bincount(numbers, weights=strength)
            # Ties broken by card number, so every process picks the same cards.
            found = np.sort(np.lexsort((np.arange(len(total)), -total))[:self.related_candidates])
        return [c for (c,) in self._rows("SELECT id FROM {search_cards} WHERE n = ANY(%s)",
                                         (found.tolist(),), schema=schema)]

    def _related_weights(self, weights: dict[str, float]) -> dict:
        """RELATED_SQL's parameters for the card's concept `weights`."""
        return {"concepts": list(weights), "weights": list(weights.values())}

    # -- plain reads -----------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        return dict(self._rows("SELECT key, value FROM {meta}"))

    def analysis(self, name: str):
        rows = self._rows("SELECT data FROM {analyses} WHERE name = %s", (name,))
        return json.loads(rows[0][0]) if rows else None

    def counts(self):
        return {"nodes": self.analysis("kind-counts"), "edges": self.analysis("edge-counts")}

    def concepts_by_cards(self, top: int) -> list[dict]:
        from kg.nlp.generic import rank_order

        # A concept ranks by at most its cards (kg.nlp.generic.ranked_cards): read by cards, every
        # concept tied with the last read, until the `top`-th ranks above what is still unread.
        limit = top
        while True:
            rows = self._rows("SELECT data FROM {nodes} WHERE kind = 'concept' ORDER BY cards DESC LIMIT %s", (limit,))
            found = [json.loads(d) for (d,) in rows]
            if len(found) < limit:
                return sorted(found, key=rank_order)[:top]
            last = found[-1].get("cards", 0)
            tied = self._rows("SELECT data FROM {nodes} WHERE kind = 'concept' AND cards = %s", (last,))
            found = [d for d in found if d.get("cards", 0) != last] + [json.loads(d) for (d,) in tied]
            ranked = sorted(found, key=rank_order)[:top]
            if len(ranked) == top and -rank_order(ranked[-1])[0] >= last:
                return ranked
            limit *= 4

    def has_concept(self, node: str) -> bool:
        return bool(self._rows("SELECT 1 FROM {nodes} WHERE id = %s AND kind = 'concept'", (node,)))

    def nodes(self, ids) -> dict[str, dict]:
        return Part(self).node_attrs(list(dict.fromkeys(ids)))

    def fill_cards(self, G, items, fields=("question", "answer", "deck")) -> None:
        light = G.graph.get("light_cards", ())
        wanted = [item["id"] for item in items if item["id"] in light]
        if not wanted:
            return
        found = Part(self).node_attrs(wanted)
        for item in items:
            if item["id"] in found:
                for field in fields:
                    item[field] = found[item["id"]].get(field, "")

    def prefix_names(self, generation: str) -> list[str] | None:
        """Every concept name's prefix key (one per concept having it, sorted) of `generation`,
        kept while there are at most PREFIX_NAMES_KEPT; None beyond."""
        return self._kept_column("prefixes", "name", generation, PREFIX_NAMES_KEPT, ", concept{C}")

    def _kept_column(self, name: str, column: str, generation: str, most: int, order: str = "") -> list | None:
        """The `column` of the table `name` of `generation` (sorted), kept in memory while the
        table has at most `most` rows; None beyond."""
        with self._lock:
            kept = self._kept.get(name)
            if kept is not None and kept[0] == generation:
                return kept[1]
        # Counted only up to the bound: a count of all 14 million prefixes at a million cards
        # took 0.75 s.
        count = self._rows(f"SELECT count(*) FROM (SELECT 1 FROM {{{name}}} LIMIT %s) AS t", (most + 1,),
                           schema=generation)[0][0]
        values = None
        if count <= most:
            values = [v for (v,) in self._rows(f"SELECT {column} FROM {{{name}}} ORDER BY {column}{{C}}{order}",
                                               schema=generation)]
        with self._lock:
            self._kept[name] = (generation, values)
        return values

    @property
    def generation(self) -> str:
        now = time.monotonic()
        known = self._generation
        if known is not None and now - known[0] < GENERATION_CHECK_SECONDS:
            return known[1]
        generation = self._live_generation()
        self._generation = (now, generation)
        return generation

    @abstractmethod
    def _live_generation(self) -> str:
        """The live generation, looked up now (WorkspaceError when there is none)."""

    def search_index(self):
        from kg.store.sql_search import SqlSearchIndex

        return SqlSearchIndex(self, concepts_read=self.search_concepts_read,
                              associated_read=self.search_associated_read)

    # -- parts of the graph ----------------------------------------------------------------

    def concept_graph(self, node, *, depth=1, evidence_neighbours=EVIDENCE_NEIGHBOURS,
                      max_nodes=NEIGHBOUR_NODES, cards=None, links=None, kinds=None):
        part = Part(self)
        if part.nodes([node]).get(node, {}).get("kind") != "concept":
            raise NotFound(f"no concept {node!r} in this graph; try `kg concepts` or search")
        hub = None
        if cards is not None and cards <= CARDS_KEPT and (links or 0) <= LINKS_KEPT and links is not None \
                and evidence_neighbours <= LINKS_KEPT and max_nodes <= LINKS_KEPT + 1:
            hub = part.hub(node)
        if hub is not None:
            # A hub: its ranked best cards and strongest links, and its place in the hierarchy.
            part.edges(u=[node], kinds=["is_a", "part_of"], light=True)
            hub["hierarchy_totals"] = part.hierarchy(node, limit=kinds)
            for card in hub["cards"]:
                part.light_card(card)
            part.nodes({via for _, via in hub["cards"].values()})
        else:
            # Light: a hub's links carry thousands of evidence lists, and only the strongest few are shown.
            part.edges(u=[node], light=True)
            part.edges(v=[node], light=True)
            # Its kinds, transitively, with the cards that mention them.
            levels, frontier = {node}, [node]
            while frontier:
                kids = [u for u, _ in part.edges(v=frontier, kinds=["is_a"], light=True) if u not in levels]
                levels.update(kids)
                frontier = list(dict.fromkeys(kids))
            if len(levels) > 1:
                part.edges(v=sorted(levels - {node}), kinds=["mentions"], light=True)
        # The rings of the neighbourhood, as `neighbourhood` picks them, then the links among them.
        kept, frontier = {node}, {node}
        for ring in range(depth):
            if ring or hub is not None:
                part.links(sorted(frontier), ranked=max_nodes <= LINKS_KEPT + 1)
            frontier = next_ring(part.graph(kinds=LINK_KINDS), frontier, kept, max_nodes - len(kept))
            if not frontier:
                break
            kept |= frontier
        if len(kept) > 1:
            part.edges(u=sorted(kept), v=sorted(kept), kinds=LINKS, light=True)
        # The links of the neighbours shown are read whole (verbs, evidence), then their evidence cards.
        wanted = evidence_neighbours or None
        if links is not None:
            wanted = max(links, evidence_neighbours)
        ranked = ranked_neighbours(part.graph(kinds=LINK_KINDS), node, limit=wanted)
        shown = [n["id"] for n in ranked]
        if shown:
            part.edges(u=[node], v=shown, kinds=LINKS)
            part.edges(u=shown, v=[node], kinds=LINKS)
        if evidence_neighbours and shown:
            # Their evidence, as `neighbours` lists it, from the concept and its shown links alone.
            ranked = ranked_neighbours(part.graph(kinds=LINK_KINDS, only={node, *shown}), node)
            part.nodes(dict.fromkeys(c for n in ranked for c in n["evidence"]))
        G = part.graph()
        if hub is not None:
            G.graph[KEPT_RANKINGS] = {node: hub}
        else:
            totals = part.card_totals()
            per_graph(G, "card-mention-totals", lambda: totals)
        return G

    def card_graph(self, node, *, related=RELATED_READ):
        part = Part(self)
        if part.nodes([node]).get(node, {}).get("kind") != "card":
            raise NotFound(f"no card {node!r} in this graph")
        concepts = [v for _, v in part.edges(u=[node], kinds=["mentions"])]
        meta = self.meta()
        n_cards, avg_length = int(meta["related_cards"]), float(meta["related_avg_length"])
        if concepts:
            part.edges(u=concepts, v=concepts, kinds=LINKS)
            G = part.graph()
            # A hub is on thousands of cards: the database ranks them (the same BM25 cosine as
            # `related_cards`, which then ranks the best `related` again, exactly, in memory).
            own_lengths, own_norms = part.card_weights()
            weights = _Weights.known(G, n_cards=n_cards, avg_length=avg_length, lengths=own_lengths, norms=own_norms)
            mine = {c: w * weights.idf(c) for c, w in weights.vector(node).items()}
            best = [c for (c,) in self._rows(RELATED_SQL, {
                "card": node, **self._related_weights(mine), "cards": self._related_candidates(mine, part.schema),
                "q": QUESTION_WEIGHT, "k1": K1, "b": B, "avg": weights.avg_length,
                "norm": own_norms.get(node) or 1.0, "limit": related}, schema=part.schema)]
            if best:
                part.edges(u=best, v=concepts, kinds=["mentions"], light=True)
        G = part.graph()
        lengths, norms = part.card_weights()
        _Weights.known(G, n_cards=n_cards, avg_length=avg_length, lengths=lengths, norms=norms)
        return G

    def overview_graph(self, *, top, deck=None):
        part = Part(self)
        if deck is None:
            chosen = [n for (n,) in part.rows(
                "SELECT id FROM {nodes} WHERE kind = 'concept' ORDER BY importance DESC, id{C} LIMIT %s", (top,))]
        else:
            node = deck if deck.startswith("deck:") else deck_node(deck)
            part.nodes([node])
            chosen = [n for (n,) in part.rows(
                "SELECT concept FROM {deck_concepts} WHERE deck = %s ORDER BY importance DESC, concept{C} LIMIT %s",
                (node, top))]
        part.nodes(chosen)
        if chosen:
            part.edges(u=chosen, v=chosen, kinds=LINKS)
        G = part.graph()
        # Only the communities drawn, and how many there are: all of them (a million at a
        # million cards) would be read and parsed for ten names.
        drawn = sorted({d.get("community", -1) for _, d in part.node_rows.values()})
        decks = self.analysis("deck-names")  # read once: 132,200 names at a million cards
        found = self._rows("SELECT id, label, size, concepts FROM {communities} WHERE id = ANY(%s) ORDER BY pos",
                           (drawn,), schema=part.schema)
        seeds = {("communities", LOUVAIN_SEED): [
                     {"id": i, "label": label, "size": size, "concepts": json.loads(members)}
                     for i, label, size, members in found],
                 "community-count": self._rows("SELECT count(*) FROM {communities}", schema=part.schema)[0][0],
                 "deck-names": tuple(decks),
                 # kg.analysis.scope.deck_names: every deck and the parents its name implies
                 "scope-deck-names": tuple(sorted(_with_parents(decks))),
                 "kind-counts": Counter(self.analysis("kind-counts"))}
        seeds.update({("gaps", limit): self.analysis(f"gaps-{limit}") for limit in GAP_LIMITS})
        for key, value in seeds.items():
            per_graph(G, key, lambda value=value: value)
        if deck is not None:
            recent(G, "deck-concepts", node, lambda: frozenset(chosen), size=DECK_SETS_KEPT)
        return G

    def path_graph(self, source, target):
        # Both ends walk rings of their strongest links until they meet, then a ring or two more
        # while the ball is small: the rows read are bounded by the ball's size, not the graph's
        # (a path between two hubs at 100,000 cards would otherwise walk thousands of concepts).
        part = Part(self)
        part.nodes([source, target])
        # A graph whose concepts all fit in one ball is read whole: its paths are the exact ones
        # a server holding the graph finds (the rings below pick the strongest links first).
        every = self._kept_column("concept_costs", "id", part.schema, self.max_path_nodes)
        sides = [({source}, {source}), ({target}, {target})]
        if every is not None and len(every) <= self.max_path_nodes:  # (kept under an earlier bound)
            sides = [(set(every) | {source, target}, set()), (set(), set())]
        met, extra = False, 0
        while True:
            ball = sides[0][0] | sides[1][0]
            room = self.max_path_nodes - len(ball)
            if room <= 0 or (met and (extra >= PATH_EXTRA_RINGS or len(ball) >= self.path_widen_nodes)):
                break
            # Widen the smaller side first: two small balls meet sooner than one big one.
            seen, frontier = min(sides, key=lambda side: (len(side[1]) == 0, len(side[1])))
            if not frontier:
                break
            other = sides[1][0] if seen is sides[0][0] else sides[0][0]
            strength = {n: w for n, w in part.ring(sorted(frontier), sorted(other)).items() if n not in seen}
            ring = heapq.nsmallest(min(room, self.ring_nodes), strength,
                                   key=lambda n: (n not in other, -strength[n], n))
            seen.update(ring)
            frontier.clear()
            frontier.update(ring)
            met = met or bool(sides[0][0] & sides[1][0])
            extra += met
        ball = sorted(sides[0][0] | sides[1][0])
        part.links_among(ball)
        for n in ball:  # the ends are read whole; the concepts between need only their costs
            part.node_rows.setdefault(n, (0, {"kind": "concept"}))
        rows = self._rows("SELECT id, degree, generic, marked FROM {concept_costs} WHERE id = ANY(%s)", (ball,),
                          schema=part.schema)
        # Only the ball: a ring's links to the concepts it left out were read too.
        return part.graph(only=set(ball)), {n: (degree, generic, marked) for n, degree, generic, marked in rows}

    def chain_graph(self, nodes):
        part = Part(self)
        part.nodes(nodes)
        part.edges(u=nodes, v=nodes)
        cards = []
        for (_, _, _, data) in list(part.edge_rows.values()):
            for c in data.get("evidence", []):
                cards.append(c if c.startswith("card:") else f"card:{c}")
        cards = list(dict.fromkeys(cards))
        if cards:
            part.nodes(cards)
            part.edges(u=cards, v=nodes, kinds=["mentions"])
        return part.graph()
