"""The rows one question reads from a store's tables (`kg.store.schema`), and the graph they make.

A `Part` reads nodes and edges by key (`kg.store.sql` says which) and hands them out as a
`networkx.MultiDiGraph` in the order of the whole graph, so `kg.analysis` ranks and breaks ties
on it as on the whole graph.
"""

from __future__ import annotations

import json
import re

import networkx as nx

from kg.analysis.subgraphs import LINK_KINDS
from kg.conceptgraph import link_strength

#: The edge kinds linking two concepts, as the queries name them.
LINKS = sorted(LINK_KINDS)
LINK_SET = frozenset(LINK_KINDS)
_KIND = re.compile(r"[a-z_]+")


class Part:
    """Rows of one generation read for one question, and the graph they make."""

    def __init__(self, store):
        self.store = store
        self.schema = store.generation
        self.node_rows: dict[str, tuple[int, dict]] = {}
        self.edge_rows: dict[tuple[str, str, str], tuple[int, int, int, dict]] = {}
        self.light: set[str] = set()
        # Edges read with only what ranks and draws them (see `edges`).
        self.light_edges: set[tuple[str, str, str]] = set()
        # Concepts whose links have all been read (light).
        self.complete: set[str] = set()

    def rows(self, query: str, params=()) -> list[tuple]:
        return self.store._rows(query, params, schema=self.schema)

    def node_attrs(self, ids) -> dict[str, dict]:
        rows = self.rows("SELECT id, data FROM {nodes} WHERE id = ANY(%s)", (list(ids),))
        return {n: json.loads(d) for n, d in rows}

    def nodes(self, ids) -> dict[str, dict]:
        """Read the nodes `ids` (those not read yet); returns every node read so far."""
        wanted = [n for n in ids if n not in self.node_rows or n in self.light]
        if wanted:
            rows = self.rows("SELECT id, pos, data FROM {nodes} WHERE id = ANY(%s)", (wanted,))
            for n, pos, data in rows:
                self.node_rows[n] = (pos, json.loads(data))
                self.light.discard(n)
        return {n: d for n, (_, d) in self.node_rows.items()}

    def edges(self, *, u=None, v=None, kinds=None, light: bool = False, keyed: bool = False) -> list[tuple]:
        """Read the edges from `u` and/or to `v` (of `kinds`); returns their (u, v) pairs, or
        (u, v, kind) keys if `keyed`. `light` edges carry only their kind, weight and shared
        count (enough to find a path)."""
        where, params = [], []
        for column, ids in (("u", u), ("v", v)):
            if ids is not None:
                where.append(f"{column} = ANY(%s)")
                params.append(list(ids))
        if kinds is not None:
            # Written out: the planner then looks an end's edges of these kinds up in the index
            # (a concept's edges are mostly the cards mentioning it). Kinds are kg's own names.
            assert all(_KIND.fullmatch(k) for k in kinds), kinds
            where.append(f"kind IN ({', '.join(repr(k) for k in sorted(kinds))})")
        rows = self.rows("SELECT u, v, kind, out_pos, in_pos, kind_pos, weight, shared, in_question, "
                          f"{'NULL' if light else 'data'} FROM {{edges}} WHERE {' AND '.join(where)}", params)
        return self._take(rows, keyed)

    def pairs(self, pairs: list[tuple[str, str]], *, kinds, keyed: bool = False) -> list[tuple]:
        """Read the edges (light) from u to v of each (u, v) of `pairs`, looked up pair by pair:
        a hub's links run to tens of thousands at a million cards, and scanning them for the
        few wanted costs more than looking each pair up. Returns their (u, v) pairs, or keys."""
        if not pairs:
            return []
        # Only PostgreSQL: SQLite looks the pairs of two lists up in the pair index itself, and a
        # join of two JSON lists by position there compares every element with every other.
        assert self.store.pairs_in_one_query
        assert all(_KIND.fullmatch(k) for k in kinds), kinds
        rows = self.rows("SELECT e.u, e.v, e.kind, e.out_pos, e.in_pos, e.kind_pos, e.weight, e.shared, "
                         "e.in_question, NULL FROM {pairs} JOIN {edges} e ON e.u = p.u AND e.v = p.v "
                         f"WHERE e.kind IN ({', '.join(repr(k) for k in sorted(kinds))})",
                         ([u for u, _ in pairs], [v for _, v in pairs]))
        return self._take(rows, keyed)

    def links_among(self, nodes: list[str]) -> None:
        """Read (light) every link between two of `nodes`: all the links of those that are no
        hub (a thousand rows at most each, read once per part), those between two hubs pair by
        pair (on PostgreSQL; SQLite reads them from two lists). Scanning a hub's tens of
        thousands of links for the few to `nodes` cost 0.3 s at a million cards."""
        if not self.store.pairs_in_one_query:
            # SQLite looks the pairs of two lists up in the pair index itself.
            self.edges(u=nodes, v=nodes, kinds=LINKS, light=True)
            return
        hubs = sorted(h for (h,) in self.rows("SELECT id FROM {hubs} WHERE id = ANY(%s)", (list(nodes),)))
        plain = [n for n in nodes if n not in set(hubs) and n not in self.complete]
        if plain:
            self.edges(u=plain, kinds=LINKS, light=True)
            self.edges(v=plain, kinds=LINKS, light=True)
            self.complete.update(plain)
        self.pairs([(a, b) for a in hubs for b in hubs if a != b], kinds=LINKS)

    def _take(self, rows, keyed: bool) -> list[tuple]:
        pairs = []
        for a, b, kind, out_pos, in_pos, kind_pos, weight, shared, in_question, text in rows:
            key = (a, b, kind)
            if text is not None:
                self.edge_rows[key] = (out_pos, in_pos, kind_pos, json.loads(text))
                self.light_edges.discard(key)
            elif key not in self.edge_rows:
                attrs = {"kind": kind}
                if weight is not None:
                    attrs["weight"] = weight
                if kind == "mentions":
                    attrs["count"], attrs["in_question"] = weight, in_question
                elif shared is not None:
                    attrs["shared"] = shared
                self.edge_rows[key] = (out_pos, in_pos, kind_pos, attrs)
                self.light_edges.add(key)
            pairs.append(key if keyed else (a, b))
        return pairs

    def hub(self, node: str) -> dict | None:
        """The kept rankings of `node` (`kg.analysis.detail.KEPT_RANKINGS`), None if no hub."""
        found = self.rows("SELECT card_total, neighbour_total FROM {hubs} WHERE id = %s", (node,))
        if not found:
            return None
        cards = self.rows("SELECT card, score, via FROM {hub_cards} WHERE concept = %s ORDER BY pos", (node,))
        return {"cards": {card: (score, via) for card, score, via in cards}, "card_total": found[0][0],
                "neighbour_total": found[0][1]}

    def links(self, nodes: list[str], *, ranked: bool) -> None:
        """Read the links of `nodes` (light): of a hub only its kept strongest (`ranked`), which
        hold every concept a neighbourhood of up to `kg.store.hubs.LINKS_KEPT` + 1 concepts may pick from it."""
        hubs: dict[str, list[str]] = {}
        if ranked:
            for hub, other in self.rows("SELECT concept, other FROM {hub_links} WHERE concept = ANY(%s) "
                                        "ORDER BY concept, pos", (nodes,)):
                hubs.setdefault(hub, []).append(other)
        rest = [n for n in nodes if n not in hubs]
        if rest:
            self.edges(u=rest, kinds=LINKS, light=True)
            self.edges(v=rest, kinds=LINKS, light=True)
        for hub, others in hubs.items():
            self.edges(u=[hub], v=others, kinds=LINKS, light=True)
            self.edges(u=others, v=[hub], kinds=LINKS, light=True)

    def ring(self, nodes: list[str], others: list[str]) -> dict[str, float]:
        """{concept: its strongest link to `nodes`} over the links of `nodes` (light), of a hub
        only its kept strongest (`kg.store.hubs`), and every link between `nodes` and `others`."""
        hubs = {h for (h,) in self.rows("SELECT id FROM {hubs} WHERE id = ANY(%s)", (nodes,))}
        found = []
        rest = [n for n in nodes if n not in hubs]
        if rest:
            found += self.edges(u=rest, kinds=LINKS, light=True, keyed=True)
            found += self.edges(v=rest, kinds=LINKS, light=True, keyed=True)
            self.complete.update(rest)
        kept: dict[str, list[str]] = {}
        for hub, other in self.rows("SELECT concept, other FROM {hub_links} WHERE concept = ANY(%s)",
                                    (sorted(hubs),)) if hubs else ():
            kept.setdefault(hub, []).append(other)
        if self.store.pairs_in_one_query:
            found += self._hub_links_by_pairs(kept, hubs, others)
        else:
            # SQLite looks the pairs of two lists up in the pair index itself.
            for hub, linked in kept.items():
                found += self.edges(u=[hub], v=linked, kinds=LINKS, light=True, keyed=True)
                found += self.edges(u=linked, v=[hub], kinds=LINKS, light=True, keyed=True)
            if others and hubs:
                found += self.edges(u=sorted(hubs), v=others, kinds=LINKS, light=True, keyed=True)
                found += self.edges(u=others, v=sorted(hubs), kinds=LINKS, light=True, keyed=True)
        mine = set(nodes)
        strength: dict[str, float] = {}
        for key in found:
            a, b, kind = key
            other = b if a in mine else a
            weight = link_strength(kind, self.edge_rows[key][3])
            if a != b and weight > strength.get(other, 0.0):
                strength[other] = weight
        return strength

    def _hub_links_by_pairs(self, kept: dict[str, list[str]], hubs: set[str], others: list[str]) -> list[tuple]:
        """`ring`'s reads of the hubs' links on PostgreSQL (keys): each hub's links to its kept
        concepts, both ways, in one query; and those between the hubs and `others`: all the links
        of a concept of `others` that is no hub (read once per part), pair by pair between two
        hubs. Scanning the hubs' tens of thousands of links for them took 60 ms a ring at a
        million cards."""
        found = self.pairs([pair for hub, linked in kept.items() for other in linked
                            for pair in ((hub, other), (other, hub))], kinds=LINKS, keyed=True)
        if not (others and hubs):
            return found
        other_hubs = {h for (h,) in self.rows("SELECT id FROM {hubs} WHERE id = ANY(%s)", (others,))}
        plain = [o for o in others if o not in other_hubs and o not in self.complete]
        if plain:
            self.edges(u=plain, kinds=LINKS, light=True)
            self.edges(v=plain, kinds=LINKS, light=True)
            self.complete.update(plain)
        wanted = set(others) - other_hubs
        found += [key for key in self.edge_rows if key[2] in LINK_SET and (
            (key[0] in hubs and key[1] in wanted) or (key[1] in hubs and key[0] in wanted))]
        found += self.pairs([pair for h in sorted(hubs) for o in sorted(other_hubs)
                             for pair in ((h, o), (o, h))], kinds=LINKS, keyed=True)
        return found

    def hierarchy(self, node: str, *, limit: int | None) -> dict[str, int]:
        """Read the kinds and parts of `node` (light), only the `limit` on most cards of each
        when given (as `concept_detail` lists them); returns how many there are of each."""
        totals = {}
        for kind, group in (("is_a", "children"), ("part_of", "parts")):
            if limit is None:
                found = [u for u, _ in self.edges(v=[node], kinds=[kind], light=True)]
                totals[group] = len(found)
                continue
            first = [u for (u,) in self.rows(
                "SELECT e.u FROM {edges} e JOIN {nodes} n ON n.id = e.u WHERE e.v = %s AND e.kind = %s "
                "ORDER BY n.cards DESC, e.in_pos LIMIT %s", (node, kind, limit))]
            if first:
                self.edges(u=first, v=[node], kinds=[kind], light=True)
            totals[group] = self.rows("SELECT count(*) FROM {edges} WHERE v = %s AND kind = %s", (node, kind))[0][0]
        return totals

    def light_card(self, card: str) -> None:
        """Hold `card` as a light node (kind only; `SqlStore.fill_cards` reads its text)."""
        if card not in self.node_rows:
            self.node_rows[card] = (1 << 62, {"kind": "card"})
            self.light.add(card)

    def card_totals(self) -> dict[str, int]:
        cards = [n for n in self._card_ends()]
        rows = self.rows("SELECT id, mention_total FROM {card_weights} WHERE id = ANY(%s)", (cards,))
        return dict(rows)

    def card_weights(self) -> tuple[dict, dict]:
        rows = self.rows("SELECT id, length, norm FROM {card_weights} WHERE id = ANY(%s)",
                          (list(self._card_ends()),))
        return {c: length for c, length, _ in rows}, {c: norm for c, _, norm in rows}

    def _card_ends(self) -> set[str]:
        return {u for (u, _, kind) in self.edge_rows if kind == "mentions"}

    def graph(self, *, kinds=None, only=None) -> nx.MultiDiGraph:
        """The nodes and edges read so far (of edge `kinds`, between nodes `only`) as a
        MultiDiGraph, each adjacency in the order of the whole graph. Cards only met as edge ends
        are light: kind only."""
        edges = [(key, row) for key, row in self.edge_rows.items() if (kinds is None or key[2] in kinds)
                 and (only is None or (key[0] in only and key[1] in only))]
        ends = {n for (a, b, _), _ in edges for n in (a, b)}
        missing = [n for n in ends if n not in self.node_rows and not n.startswith("card:")]
        if missing:
            self.nodes(missing)
        for n in ends:
            if n not in self.node_rows:
                self.node_rows[n] = (1 << 62, {"kind": "card"})
                self.light.add(n)
        G = nx.MultiDiGraph()
        succ, pred = G._succ, G._pred
        for n, (_, attrs) in sorted(self.node_rows.items(), key=lambda item: (item[1][0], item[0])):
            if only is not None and n not in only:
                continue
            G._node[n] = attrs
            succ[n], pred[n] = {}, {}
        for (a, b, kind), (_, _, _, data) in sorted(edges, key=lambda e: (e[1][0], e[1][2])):
            succ[a].setdefault(b, {})[kind] = data
        for (a, b, _), _ in sorted(edges, key=lambda e: (e[0][1], e[1][1])):
            pred[b][a] = succ[a][b]
        clear = getattr(nx, "_clear_cache", None)
        if clear is not None:
            clear(G)
        G.graph["light_cards"] = frozenset(self.light)
        return G
