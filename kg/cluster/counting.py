"""The deck-wide sums of a graph, counted on a Dask cluster.

`ClusterCounting` gives `kg.graph.build_graph_and_state` the same three answers as
`kg.graph.LocalCounting` (acronyms, mentions, co-occurring pairs), but the cards and their
extractions sit on the workers in partitions (a dask.bag) and every sum is a `foldby`: each
partition folds its own cards, and the partial sums are combined on the workers in a tree, never
in the build's process. NPMI and the per-concept link limit are computed there too; the build's
process gets back only the results (every pair's count, which the workspace keeps for updates,
and the kept links with their evidence) and draws the graph, PageRank and communities from
them as a single-machine build does.

Every order the single-machine build depends on is kept: mentions come back in card order, a
name is tallied in the order the deck first uses it, and ties among a concept's links are broken
exactly as `kg.graph._top_k_either_end` breaks them, so the graph is the same for any number of
partitions and workers.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from operator import add, itemgetter

import dask
import dask.bag as db
import numpy as np

from kg.graph import (
    EVIDENCE_LIMIT,
    MAX_LINKS_PER_CONCEPT,
    SMALL_DECK_CARDS,
    card_contribution,
    pair_association,
    paired_concepts,
)

_first = itemgetter(0)


class ClusterCounting:
    """Counts a build's cards on the cluster `client` reaches, in `partitions` partitions."""

    def __init__(self, client, *, partitions: int):
        self.client = client
        self.partitions = max(1, partitions)
        self._records = None  # (card number, card, extraction) on the workers
        self._contributions = None  # (card number, card id, {node: [count, in_q, in_a]}, tally)

    def _compute(self, *collections):
        return self.client.gather(self.client.compute(list(collections)))

    def acronyms(self, cards, by_card, resolve) -> dict[str, Counter]:
        records = [(no, card, by_card[card.id]) for no, card in enumerate(cards) if card.id in by_card]
        bag = db.from_sequence(records, npartitions=min(self.partitions, max(len(records), 1)))
        self._records = self.client.persist(bag)
        counted = self._records.map_partitions(_partition_acronyms, resolve).foldby(
            _first, _add_count, 0, add, 0)
        (found,) = self._compute(counted)
        expansions: dict[str, Counter] = defaultdict(Counter)
        for (short, long), n in sorted(found):
            if n > 0:
                expansions[short][long] = n
        return expansions

    def mentions(self, cards, by_card, target_of):
        self._contributions = self.client.persist(
            self._records.map_partitions(_partition_mentions, target_of))
        contributions = self._contributions
        found = contributions.map(lambda r: (r[0], r[1], r[2]))
        # A name's tally keeps where the deck first used it: the single-machine tally's order.
        tally = contributions.map_partitions(_partition_tally).foldby(
            _first, _add_first_seen, None, _merge_first_seen, None)
        df = contributions.map_partitions(_partition_concepts).foldby(_first, _add_count, 0, add, 0)
        found, tally, df = self._compute(found, tally, df)
        card_mentions = {cid: mentions for _, cid, mentions in sorted(found, key=_first)}
        tally.sort(key=lambda kv: kv[1][1])
        return (card_mentions, Counter({entry: n for entry, (n, _) in tally}),
                Counter(dict(sorted(df, key=_first))))

    def co_occurrence(self, card_mentions, df: Counter, *, n_cards: int) -> "ClusterPairs":
        nodes = sorted(df)
        n = len(nodes)
        if n < 2:
            return ClusterPairs(nodes, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), {}, {})
        index = dask.delayed({x: i for i, x in enumerate(nodes)}, traverse=False)
        counts = dask.delayed(dict(df), traverse=False)
        df_arr = dask.delayed(np.array([df[x] for x in nodes], dtype=np.int64), traverse=False)

        pairs = self._contributions.map_partitions(_partition_pairs, index, counts, n).foldby(
            _first, _add_count, 0, add, 0)
        counted = self.client.persist(pairs.map_partitions(_as_arrays))
        candidates = self.client.persist(counted.map_partitions(_associated, df_arr, n, n_cards))
        if n_cards > SMALL_DECK_CARDS:
            # Each concept keeps its strongest links: a groupby by either end of every link.
            top = candidates.map_partitions(_link_ends, n).foldby(
                _first, _add_top, (), _merge_top, ())
            winners = top.map_partitions(_winning_codes)
            kept = candidates.map_partitions(_kept_among, winners)
        else:
            kept = candidates
        kept = kept.map_partitions(_rounded)
        all_pairs, kept = self._compute(counted, kept)
        (codes, shared), (kept_codes, kept_shared, npmi, weight) = all_pairs[0], kept[0]

        wanted = dask.delayed(kept_codes, traverse=False)
        evidence = self._contributions.map_partitions(_partition_evidence, index, counts, n, wanted).foldby(
            _first, _add_evidence, (), _merge_evidence, ())
        (evidence,) = self._compute(evidence)
        links = {(nodes[p // n], nodes[p % n]): (s, a, w) for p, s, a, w in zip(
            kept_codes.tolist(), kept_shared.tolist(), npmi.tolist(), weight.tolist())}
        cards_of = {(nodes[p // n], nodes[p % n]): [cid for _, cid in sorted(found)] for p, found in evidence}
        return ClusterPairs(nodes, codes, shared, links, cards_of)


class ClusterPairs:
    """The co-occurrence counted on the cluster, read the way `kg.graph.CoOccurrence` is."""

    def __init__(self, nodes, counted, counts, links, evidence):
        self.nodes, self.n = nodes, len(nodes)
        self.counted, self.counts = counted, counts
        self._links, self._evidence = links, evidence

    def kept(self) -> dict[tuple[str, str], tuple[int, float, float]]:
        return dict(self._links)

    def evidence(self, pairs) -> list[list[str]]:
        return [self._evidence.get(pair, []) for pair in pairs]


# What runs on the workers: plain functions of one partition (a list), so they pickle by name.

def _add_count(total, item):
    return total + item[1]


def _partition_acronyms(part, resolve) -> list:
    expansions: dict = defaultdict(Counter)
    for _, _, ext in part:
        resolve.count_acronyms(ext, expansions)
    return [((short, long), n) for short, longs in expansions.items() for long, n in longs.items()]


def _partition_mentions(part, target_of) -> list:
    out = []
    for no, card, ext in part:
        tally: Counter = Counter()
        found = card_contribution(card, ext, target_of, tally)
        out.append((no, card.id, found, list(tally.items())))
    return out


def _partition_tally(part) -> list:
    # (entry, (mentions, (card number, place on the card))) for every name a card uses
    return [(entry, (n, (no, i))) for no, _, _, tally in part for i, (entry, n) in enumerate(tally)]


def _add_first_seen(total, item):
    # item: (entry, (mentions, first use)); total: (mentions, first use) or None
    return _merge_first_seen(total, item[1])


def _merge_first_seen(a, b):
    if a is None or b is None:
        return a if b is None else b
    return (a[0] + b[0], min(a[1], b[1]))


def _partition_concepts(part) -> list:
    return [(node, 1) for _, _, found, _ in part for node in found]


def _card_codes(found, index, counts, n) -> np.ndarray:
    """The pair codes (u * n + v, u < v) of one card's concepts, as `CoOccurrence` counts them."""
    ids = [index[x] for x in paired_concepts(found, counts)]
    if len(ids) < 2:
        return np.zeros(0, dtype=np.int64)
    ids = np.array(ids, dtype=np.int64)  # sorted: paired_concepts sorts by node, index is node order
    a, b = np.triu_indices(len(ids), 1)
    return ids[a] * n + ids[b]


def _partition_pairs(part, index, counts, n) -> list:
    codes = [_card_codes(found, index, counts, n) for _, _, found, _ in part]
    if not codes:
        return []
    unique, counted = np.unique(np.concatenate(codes), return_counts=True)
    return list(zip(unique.tolist(), counted.tolist()))


def _as_arrays(part) -> list:
    pairs = sorted(part)
    codes = np.array([p for p, _ in pairs], dtype=np.int64)
    shared = np.array([s for _, s in pairs], dtype=np.int64)
    return [(codes, shared)]


def _associated(part, df, n, n_cards) -> list:
    """The pairs with a link's chance (NPMI > 0; two shared cards in a big deck), and their
    (unrounded) weight, as `kg.graph.kept_pairs` computes them."""
    codes, shared = part[0]
    npmi, weight = pair_association(shared, df[codes // n], df[codes % n], n_cards=n_cards)
    keep = npmi > 0
    if n_cards > SMALL_DECK_CARDS:
        keep &= shared >= 2
    return [(codes[keep], shared[keep], npmi[keep], weight[keep])]


def _link_ends(part, n) -> list:
    # The rank of a link at one end: strongest first, then links where the end is the smaller
    # node before those where it is the larger, then by pair: `_top_k_either_end`'s order.
    codes, _, _, weight = part[0]
    out = []
    for code, w in zip(codes.tolist(), weight.tolist()):
        out.append((code // n, (-w, 0, code)))
        out.append((code % n, (-w, 1, code)))
    return out


def _add_top(top, item):
    return tuple(heapq.nsmallest(MAX_LINKS_PER_CONCEPT, (*top, item[1])))


def _merge_top(a, b):
    return tuple(heapq.nsmallest(MAX_LINKS_PER_CONCEPT, (*a, *b)))


def _winning_codes(part) -> list:
    return [np.unique(np.array([code for _, top in part for _, _, code in top], dtype=np.int64))]


def _kept_among(part, winners) -> list:
    codes, shared, npmi, weight = part[0]
    keep = np.isin(codes, winners[0]) if winners else np.zeros(len(codes), dtype=bool)
    return [(codes[keep], shared[keep], npmi[keep], weight[keep])]


def _rounded(part) -> list:
    codes, shared, npmi, weight = part[0]
    return [(codes, shared, np.round(npmi, 6), np.round(weight, 6))]


def _partition_evidence(part, index, counts, n, wanted) -> list:
    out = []
    for no, cid, found, _ in part:
        codes = _card_codes(found, index, counts, n)
        for code in codes[np.isin(codes, wanted)].tolist():
            out.append((code, (no, cid)))
    return out


def _add_evidence(cards, item):
    # A partition lists its cards in card order: once full, a later card is never among the first.
    return cards + (item[1],) if len(cards) < EVIDENCE_LIMIT else cards


def _merge_evidence(a, b):
    return tuple(heapq.nsmallest(EVIDENCE_LIMIT, (*a, *b)))
