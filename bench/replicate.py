"""A million cards in PostgreSQL: a loaded synthetic store copied R times, renamed as
`bench/synthetic.py` renames, then served.

    python bench/replicate.py /tmp/ws-100000/store.sqlite 10 --serve --workers 2

`bench/synthetic.py` makes copy g of a source deck: each card gets the id `ID-g`, the deck
`DECK (g)` and an answer ending in ` (g)`, and a third of the concepts (those
`synthetic._renamed` picks) get the key `KEY vg`. A 100,000-card synthetic workspace holds the
copies 0 to C-1; its store file (`kg load-sqlite`) copied R times, copy c of replica r becoming
copy r*C + c, holds the cards, decks and concepts that synthetic.py would make of R*C copies.
Cards, decks and renamed concepts get one row per replica; a concept every copy shares gets one
row, on R times the cards, and a link between two shared concepts one row with R times the
shared cards. Search postings, a concept's cards and the hubs' rankings are copied the same way
(card numbers shifted per replica), since each replica ranks exactly as the loaded graph does;
the completions of busy prefixes are ranked again on the copied names.

The rows are not all worked out again on the whole graph, and these are only approximated: a link
to a renamed concept keeps its NPMI weight, though its share of the cards falls R-fold. Links
that would pass the build's thresholds only on R-fold counts are missing. Importance, path costs
and communities are copied too, and a renamed concept's copies stay in its community. So this
measures serving a million-card graph; it is not a million-card build: `kg build` and
`bench/synthetic.py` hold the graph, and a load reading it from the workspace's file (`--stream`)
still holds what it works out, about 28 GB at a million cards (bench/README.md, "Loading without
holding the graph").

Starts its own PostgreSQL server (as the tests do), loads the generation with
`kg.store.postgres_load.load_tables` (COPY, indexes, analyse, switch), then with `--serve` measures
`kg serve` on it as `bench/postgres_serving.py` does. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from kg.ids import deck_node
from kg.store.completions import completion_rows
from kg.store.hubs import CARDS_KEPT, HUB_ROWS, LINKS_KEPT
from kg.store.load import COMMUNITY_CONCEPTS_KEPT, strongest_first
from kg.store.postgres_load import load_tables
from synthetic import _renamed

_COPY = re.compile(r"(.*) \((\d+)\)$", re.S)
_RENAMED = re.compile(r"(.*) v(\d+)$")


def _dumps(value) -> str:
    return json.dumps(value, separators=(",", ":"))


class Replicas:
    """How a node of the base store is named in replica r: `name(n, r)`."""

    def __init__(self, base: sqlite3.Connection, times: int):
        self.base, self.times = base, times
        # node -> (kind, stem, copy): a card `stem-copy`, a deck `stem (copy)`, a concept `stem-vcopy`
        self.copied: dict[str, tuple[str, str, int]] = {}
        self.concept_keys: dict[str, str] = {}
        self.deck_labels: dict[str, str] = {}
        copies = 1
        for n, kind, data in base.execute("SELECT id, kind, data FROM nodes"):
            d = json.loads(data)
            if kind == "card":
                found = _COPY.fullmatch(d.get("deck", ""))
                c = int(found.group(2)) if found else 0
                stem = n[: -len(f"-{c}")] if c else n
                self.copied[n] = ("card", stem, c)
            elif kind == "deck":
                found = _COPY.fullmatch(d.get("label", ""))
                label, c = (found.group(1), int(found.group(2))) if found else (d.get("label", ""), 0)
                self.copied[n] = ("deck", label, c)
            elif kind == "concept":
                key = d.get("key", "")
                found = _RENAMED.fullmatch(key)
                if found and _renamed(found.group(1), int(found.group(2))) != found.group(1) \
                        and n.endswith(f"-v{found.group(2)}"):
                    c = int(found.group(2))
                    self.copied[n] = ("concept", n[: -len(f"-v{c}")], c)
                    self.concept_keys[n] = found.group(1)
                elif _renamed(key, 1) != key:  # renamed in every copy but the first
                    self.copied[n] = ("concept", n, 0)
                    self.concept_keys[n] = key
            else:
                continue
            if n in self.copied:
                copies = max(copies, self.copied[n][2] + 1)
        self.copies = copies
        # A concept named on the cards of several copies is shared, whatever its key says: the
        # build merged keys into it (an acronym and its expansion), some renamed, some not.
        copy_of = {n: c for n, (kind, _, c) in self.copied.items() if kind == "card"}
        seen: dict[str, set[int]] = defaultdict(set)
        for card, concept in base.execute("SELECT u, v FROM edges WHERE kind = 'mentions'"):
            if concept in self.concept_keys:
                seen[concept].add(copy_of.get(card, -1))
        for n in list(self.concept_keys):
            if seen[n] - {self.copied[n][2]}:
                del self.copied[n], self.concept_keys[n]
        self._names: dict[int, dict[str, str]] = {}

    def copy_number(self, n: str, r: int) -> int:
        return r * self.copies + self.copied[n][2]

    def names(self, r: int) -> dict[str, str]:
        """{base node: its name in replica r} for every copied node."""
        if r not in self._names:
            found = {}
            for n, (kind, stem, c) in self.copied.items():
                g = r * self.copies + c
                if r == 0:
                    found[n] = n
                elif kind == "card":
                    found[n] = f"{stem}-{g}"
                elif kind == "deck":
                    found[n] = deck_node(f"{stem} ({g})")
                else:
                    found[n] = f"{stem}-v{g}"
            self._names[r] = found
        return self._names[r]

    def shared(self, n: str) -> bool:
        return n not in self.copied

    def expand(self, ids):
        """Ids in order, each copied node as its R copies in a row (they rank alike)."""
        for n in ids:
            if self.shared(n):
                yield n
            else:
                for r in range(self.times):
                    yield self.names(r)[n] if r else n


def fill(base: sqlite3.Connection, rep: Replicas, hubs: tuple[list, list, list]):
    """The `fill(copy)` of `load_tables`: every table of the generation, R times over."""
    R = rep.times

    def fill_tables(copy):
        n_nodes = copy("nodes", ("id", "pos", "kind", "label", "importance", "cards", "data"), _nodes(base, rep))
        edge_counts: Counter = Counter()
        edges = copy("edges", ("u", "v", "kind", "out_pos", "in_pos", "kind_pos", "weight", "shared",
                               "in_question", "data"), _edges(base, rep, edge_counts))
        n_cards = base.execute("SELECT count(*) FROM search_cards").fetchone()[0]
        for name, columns, keyed in (
                ("card_weights", ("id", "mention_total", "length", "norm"), (0,)),
                ("concept_costs", ("id", "degree", "generic", "marked"), (0,)),
                ("deck_concepts", ("deck", "concept", "importance"), (0, 1)),
                ("concept_names", ("id", "names"), (0,))):
            copy(name, columns, _rows(base, rep, name, columns, keyed))
        prefixes = sorted(_rows(base, rep, "prefixes", ("name", "concept", "whole"), (1,)))
        copy("prefixes", ("name", "concept", "whole"), prefixes)
        copy("completions", ("prefix", "pos", "concept"), completion_rows(prefixes, concept_cards(base, rep)))
        del prefixes
        copy("concept_stems", ("stem", "concept", "cards"), _scaled(
            _rows(base, rep, "concept_stems", ("stem", "concept", "cards"), (1,)), rep, 1, 2))
        copy("children", ("parent", "pos", "child", "cards"), _scaled(
            _positioned(base, rep, "children", ("parent", "pos", "child", "cards")), rep, 2, 3))
        copy("associated", ("concept", "pos", "other", "weight"),
             _positioned(base, rep, "associated", ("concept", "pos", "other", "weight")))
        copy("vocabulary", ("word",), base.execute("SELECT word FROM vocabulary"))
        copy("vocabulary_stems", ("stem",), base.execute("SELECT stem FROM vocabulary_stems"))
        copy("search_cards", ("n", "id"), (
            (n + r * n_cards, rep.names(r)[c]) for r in range(R)
            for n, c in base.execute("SELECT n, id FROM search_cards ORDER BY n")))
        copy("postings", ("stem", "cards", "weights"), (
            (stem, np.concatenate([np.frombuffer(cards, "<i4") + r * n_cards for r in range(R)]).astype("<i4").tobytes(),
             np.tile(np.frombuffer(weights, "<f4"), R).tobytes())
            for stem, cards, weights in base.execute("SELECT stem, cards, weights FROM postings")))
        copy("mention_strength", ("concept", "cards", "strength"), _strengths(base, rep, n_cards))
        copy("communities", ("id", "pos", "label", "size", "concepts"), _communities(base, rep))
        copy("hubs", ("id", "card_total", "neighbour_total"), hubs[0])
        copy("hub_cards", ("concept", "pos", "card", "score", "via"), hubs[1])
        copy("hub_links", ("concept", "pos", "other"), hubs[2])
        meta = dict(base.execute("SELECT key, value FROM meta"))
        meta.update(search_cards=str(R * n_cards), related_cards=str(R * int(meta["related_cards"])),
                    replicated=f"{R} x {rep.copies} copies")
        copy("meta", ("key", "value"), meta.items())
        kinds = Counter()
        for kind, count in base.execute("SELECT kind, count(*) FROM nodes GROUP BY kind"):
            kinds[kind] += count
        shared = len(_shared_concepts(base, rep))
        kinds = {"card": R * kinds["card"], "deck": R * kinds["deck"],
                 "concept": shared + R * (kinds["concept"] - shared)}
        decks = sorted(f"{stem} ({r * rep.copies + c})" if r * rep.copies + c else stem
                       for r in range(R) for kind, stem, c in rep.copied.values() if kind == "deck")
        analyses = {"kind-counts": kinds, "edge-counts": dict(edge_counts), "deck-names": decks}
        for name, data in base.execute("SELECT name, data FROM analyses WHERE name LIKE 'gaps-%'"):
            analyses[name] = json.loads(data)
        copy("analyses", ("name", "data"), ((k, _dumps(v)) for k, v in analyses.items()))
        return n_nodes, edges

    return fill_tables


def concept_cards(base, rep) -> dict[str, int]:
    """{concept: its cards} of the copied graph."""
    found = {}
    for n, cards in base.execute("SELECT id, cards FROM nodes WHERE kind = 'concept'"):
        if rep.shared(n):
            found[n] = cards * rep.times
        else:
            for r in range(rep.times):
                found[rep.names(r)[n]] = cards
    return found


def _shared_concepts(base, rep) -> list[str]:
    return [n for (n,) in base.execute("SELECT id FROM nodes WHERE kind = 'concept'") if rep.shared(n)]


def _nodes(base, rep):
    R = rep.times
    n_base = base.execute("SELECT count(*) FROM nodes").fetchone()[0]
    for r in range(R):
        names = rep.names(r)
        for n, pos, kind, label, importance, cards, data in base.execute(
                "SELECT id, pos, kind, label, importance, cards, data FROM nodes ORDER BY pos"):
            if rep.shared(n):
                if r:
                    continue
                d = json.loads(data)
                for key in ("cards", "term_cards"):
                    if isinstance(d.get(key), int):
                        d[key] *= R
                yield n, pos, kind, label, importance, cards * R, _dumps(d)
                continue
            if r:
                d = json.loads(data)
                g = rep.copy_number(n, r)
                if kind == "card":
                    found = _COPY.fullmatch(d.get("deck", ""))
                    d["deck"] = f"{found.group(1) if found else d.get('deck', '')} ({g})"
                    found = _COPY.fullmatch(d.get("answer", ""))
                    d["answer"] = f"{found.group(1) if found else d.get('answer', '')} ({g})"
                elif kind == "deck":
                    label = d["label"] = f"{rep.copied[n][1]} ({g})"
                else:
                    d["key"] = f"{rep.concept_keys[n]} v{g}"
                data = _dumps(d)
            yield names[n], pos + r * n_base, kind, label, importance, cards, data


def _edges(base, rep, counts: Counter):
    R = rep.times
    step = base.execute("SELECT max(max(out_pos), max(in_pos)) + 1 FROM edges").fetchone()[0]
    for r in range(R):
        names = rep.names(r)
        for u, v, kind, out_pos, in_pos, kind_pos, weight, shared, in_question, data in base.execute(
                "SELECT u, v, kind, out_pos, in_pos, kind_pos, weight, shared, in_question, data FROM edges"):
            if rep.shared(u) and rep.shared(v):
                if r:
                    continue
                if shared is not None:
                    shared *= R
                    d = json.loads(data)
                    d["shared"] = shared
                    data = _dumps(d)
            elif r:
                u, v = names.get(u, u), names.get(v, v)
                out_pos, in_pos = out_pos + r * step, in_pos + r * step
                if '"evidence"' in data:
                    d = json.loads(data)
                    d["evidence"] = [names.get(f"card:{c}", f"card:{c}")[5:] for c in d["evidence"]]
                    data = _dumps(d)
            counts[kind] += 1
            yield u, v, kind, out_pos, in_pos, kind_pos, weight, shared, in_question, data


def _rows(base, rep, name, columns, keyed):
    """Rows of `name` once per replica, the node columns `keyed` renamed; a row naming only
    shared nodes once."""
    for r in range(rep.times):
        names = rep.names(r)
        for row in base.execute(f"SELECT {', '.join(columns)} FROM {name}"):
            if all(rep.shared(row[i]) for i in keyed):
                if not r:
                    yield row
                continue
            yield tuple(names.get(v, v) if i in keyed else v for i, v in enumerate(row))


def _scaled(rows, rep, node_column, count_column):
    """A shared concept's count R times over."""
    for row in rows:
        if rep.shared(row[node_column]):
            row = tuple(v * rep.times if i == count_column else v for i, v in enumerate(row))
        yield row


def _positioned(base, rep, name, columns):
    """Rows with a position (children, associated): one list's copies placed after each other."""
    step = base.execute(f"SELECT max(pos) + 1 FROM {name}").fetchone()[0] or 1
    for r in range(rep.times):
        names = rep.names(r)
        for row in base.execute(f"SELECT {', '.join(columns)} FROM {name}"):
            a, pos, b = row[:3]
            if rep.shared(a) and rep.shared(b):
                if not r:
                    yield row
                continue
            yield (names.get(a, a), pos + r * step, names.get(b, b), *row[3:])


def _strengths(base, rep, n_cards):
    R = rep.times
    for r in range(R):
        names = rep.names(r)
        for concept, cards, strength in base.execute("SELECT concept, cards, strength FROM mention_strength"):
            numbers, strength = np.frombuffer(cards, "<i4"), np.frombuffer(strength, "<f8")
            if rep.shared(concept):
                if r:
                    continue
                yield (concept, *strongest_first(np.concatenate([numbers + k * n_cards for k in range(R)]),
                                                 np.tile(strength, R)))
            else:
                yield (names[concept], *strongest_first(numbers + r * n_cards, strength))


def _communities(base, rep):
    R = rep.times
    sizes: Counter = Counter()
    for n, data in base.execute("SELECT id, data FROM nodes WHERE kind = 'concept'"):
        sizes[json.loads(data).get("community", -1)] += 1 if rep.shared(n) else R
    for i, pos, label, _, concepts in base.execute("SELECT id, pos, label, size, concepts FROM communities"):
        members = list(rep.expand(json.loads(concepts)))[:COMMUNITY_CONCEPTS_KEPT]
        yield i, pos, label, sizes[i], _dumps(members)


def hubs(store_file: Path, rep: Replicas) -> tuple[list, list, list]:
    """The rows of `hubs`, `hub_cards` and `hub_links` of the replicated graph: its hubs (a concept
    whose page reads more than HUB_ROWS rows once copied), each ranked on the base store as
    `kg.store.hubs` ranks it, its copied cards and links expanded in place (they rank alike)."""
    from kg.analysis.detail import _best_cards, neighbours
    from kg.analysis.subgraphs import _link_strengths
    from kg.store import open_store

    R, base = rep.times, rep.base
    near_shared, near_copied = Counter(), Counter()
    for u, v in base.execute("SELECT DISTINCT u, v FROM edges"):
        (near_shared if rep.shared(v) else near_copied)[u] += 1
        (near_shared if rep.shared(u) else near_copied)[v] += 1
    kinds = defaultdict(list)
    for child, parent in base.execute("SELECT u, v FROM edges WHERE kind = 'is_a'"):
        kinds[parent].append(child)

    def rows(k, copies):  # what the page of k reads once copied; `copies` of k when k is copied
        return near_shared[k] + R * near_copied[k] if rep.shared(k) else copies * (near_shared[k] + near_copied[k])

    def is_hub(n):
        copies = R if rep.shared(n) else 1
        if rows(n, copies) > HUB_ROWS:
            return True
        seen, frontier = {n}, [n]
        while frontier:
            frontier = [c for p in frontier for c in kinds[p] if c not in seen]
            seen.update(frontier)
        return len(seen) > 1 and sum(rows(k, copies) for k in seen) > HUB_ROWS

    found = [n for (n,) in base.execute("SELECT id FROM nodes WHERE kind = 'concept'") if is_hub(n)]
    store = open_store(f"sqlite:{store_file}")
    hub_list, card_rows, link_rows = [], [], []
    for n in found:
        G = store.concept_graph(n)
        best = _best_cards(G, n, include_children=True)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))
        linked = [x["id"] for x in neighbours(G, n)]
        strength = _link_strengths(G, n)
        strongest = sorted(strength, key=lambda v: (-strength[v], v))
        if rep.shared(n):
            cards = [(rep.names(r)[c], score, rep.names(r).get(via, via))
                     for c, (score, via) in ranked[: math.ceil(CARDS_KEPT / R) + 1] for r in range(R)][:CARDS_KEPT]
            card_rows += [(n, pos, *row) for pos, row in enumerate(cards)]
            kept = list(rep.expand(linked))
            links = dict.fromkeys(kept[:LINKS_KEPT] + list(rep.expand(strongest[:LINKS_KEPT]))[:LINKS_KEPT])
            link_rows += [(n, pos, other) for pos, other in enumerate(links)]
            hub_list.append((n, R * len(best), len(kept)))
            continue
        for r in range(R):
            names = rep.names(r)
            card_rows += [(names[n], pos, names[c], score, names.get(via, via))
                          for pos, (c, (score, via)) in enumerate(ranked[:CARDS_KEPT])]
            links = dict.fromkeys(linked[:LINKS_KEPT] + strongest[:LINKS_KEPT])
            link_rows += [(names[n], pos, names.get(other, other)) for pos, other in enumerate(links)]
            hub_list.append((names[n], len(best), len(linked)))
    store.close()
    return hub_list, card_rows, link_rows


def main() -> None:
    import os
    import resource

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from postgres import running_server  # the tests' throwaway PostgreSQL server
    from postgres_serving import _serve

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store", type=Path, help="a synthetic workspace's store file (kg load-sqlite)")
    parser.add_argument("times", type=int, help="replicas of it")
    parser.add_argument("--serve", action="store_true", help="then measure kg serve on it")
    parser.add_argument("--requests", type=int, default=40, help="requests per page family")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--shared-buffers", default="512MB")
    parser.add_argument("--log", type=Path, default=Path("/tmp/kg-pg-million.log"))
    parser.add_argument("--hold", type=Path, help="keep the server running when done, its .pgpass "
                        "file in this folder, until interrupted (to measure it again)")
    args = parser.parse_args()
    started = time.perf_counter()
    base = sqlite3.connect(f"file:{args.store}?mode=ro", uri=True)
    rep = Replicas(base, args.times)
    row: dict = {"base": str(args.store), "replicas": args.times, "copies_per_replica": rep.copies}
    ranked = hubs(args.store, rep)
    row["hubs"] = len(ranked[0])
    row["hub_seconds"] = round(time.perf_counter() - started, 1)
    with tempfile.TemporaryDirectory() as private, \
            running_server(args.hold or Path(private), shared_buffers=args.shared_buffers) as pg:
        # Index builds sort tens of millions of rows: room for each sort in memory.
        os.environ["PGOPTIONS"] = "-c maintenance_work_mem=2GB"
        report = load_tables(pg.url(), fill(base, rep, ranked), grant_to=pg.reader)
        del os.environ["PGOPTIONS"]
        import psycopg

        with psycopg.connect(pg.url()) as conn:
            size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
            counts = json.loads(conn.execute(f"SELECT data FROM {report.generation}.analyses "
                                             "WHERE name = 'kind-counts'").fetchone()[0])
        row["load"] = {"seconds": round(time.perf_counter() - started, 1), "nodes": report.nodes,
                       "edges": report.edges, "kinds": counts, "database_gb": round(size / 2**30, 1),
                       "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
        print(json.dumps(row), flush=True)
        if args.serve:
            rep._names.clear()
            row.update(_serve(pg.url(pg.reader), args))
        print(json.dumps(row, indent=1), flush=True)
        if args.hold:
            print(f"holding: PGPASSFILE={pg.passfile} {pg.url(pg.reader)}", flush=True)
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass


if __name__ == "__main__":
    main()
