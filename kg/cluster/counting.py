"""The deck-wide sums of a graph, counted on a Dask cluster.

`ClusterCounting` gives `kg.graph.build_graph_and_state` the same three answers as
`kg.graph.LocalCounting` (acronyms, mentions, co-occurring pairs), but the cards and their
extractions sit on the workers in partitions (a dask.bag), and the sums are made there:

* per concept (acronym definitions, mentions by written form, cards naming a concept): each
  partition sums its own cards; the partial sums are combined on the workers, acronyms in a
  tree (`Bag.reduction`), the big ones first on the worker that holds them (a combiner: only
  one partial sum per worker moves), then in one task;
* per pair of concepts, the big one (a 20k-card deck has two million pairs): each partition
  counts its pairs and splits them by pair into `buckets`; each bucket gathers its share from
  every partition, adds them up and computes NPMI, on its own worker (a hash shuffle, a groupby
  by pair). For big decks the strongest links of each concept are chosen by a second shuffle,
  by either end of a link.

The build's process gets back only results: every pair's count (which the workspace keeps for
updates), the kept links, their evidence; it draws the graph, PageRank and communities as a
single-machine build does. Every order the single-machine build depends on is kept (mentions in
card order, names in the order the deck first uses them, ties among a concept's links broken as
`kg.cooccurrence._top_k_either_end` breaks them), so the graph is the same for any number of
partitions, buckets and workers. Everything sent between processes is a numpy array, a `Batch`,
or a dict subclass: distributed would send plain lists and dicts item by item.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import dask
import dask.bag as db
import numpy as np

from kg.cluster.worker import Batch
from kg.cooccurrence import (
    EVIDENCE_LIMIT,
    MAX_LINKS_PER_CONCEPT,
    SMALL_DECK_CARDS,
    pair_association,
    paired_concepts,
)
from kg.graph import card_contribution

# Partial sums combined per step of the tree: few steps, none too big for one task.
SPLIT_EVERY = 8
# Buckets of pairs per worker: more than one, so a big bucket does not hold up the end.
BUCKETS_PER_WORKER = 2
_NO_CODES = np.zeros(0, dtype=np.int64)


class FirstUse(dict):
    """(extracted key, surface, context) -> (mentions, (card number, place)) of first use."""


class NodeTable(dict):
    """node -> number (its index, or the cards naming it), sent to the workers in one piece."""


class ClusterCounting:
    """Counts a build's cards on the cluster `client` reaches, in `partitions` partitions."""

    def __init__(self, client, *, partitions: int, buckets: int | None = None, held=()):
        self.client = client
        # (future, card ids) of partitions the workers extracted and kept (ClusterSession.extract)
        self._held = list(held)
        self.partitions = max(1, partitions)
        workers = len(client.scheduler_info(n_workers=-1)["workers"]) or 1
        self.buckets = buckets or max(1, min(self.partitions, BUCKETS_PER_WORKER * workers))
        self._card_ids: list[str] = []
        self._scattered = []  # the futures of the records: the workers keep what is referenced
        self._records = None  # (card number, card, extraction) on the workers
        self._contributions = None  # (card number, card id, {node: (count, in_q, in_a, marked)}, tally)

    def _compute(self, *collections):
        return self.client.gather(self.client.compute(list(collections)))

    def acronyms(self, cards, by_card, resolve) -> dict[str, Counter]:
        self._card_ids = [card.id for card in cards]
        self._scattered = parts = self._partitions(cards, by_card)
        self._records = db.from_delayed(parts)
        resolve = dask.delayed(resolve, traverse=False)
        (found,) = self._compute(_summed(self._records.map_partitions(_partition_acronyms, resolve), _add_counters))
        expansions: dict[str, Counter] = defaultdict(Counter)
        for (short, long), n in sorted(found.items()):
            if n > 0:
                expansions[short][long] = n
        return expansions

    def _combined(self, bag, combine):
        """The future of one value from a persisted bag whose partitions each hold a partial sum:
        each worker combines the partials it holds (nothing moves), then one task combines
        those few."""
        from distributed import futures_of, wait

        futures = futures_of(bag)
        wait(futures)
        where = self.client.who_has(futures)
        by_worker: dict = defaultdict(list)
        for future in futures:
            by_worker[(where.get(future.key) or [None])[0]].append(future)
        partials = [self.client.submit(_combine_partitions, combine, *group, workers=[worker] if worker else None,
                                       allow_other_workers=True, pure=False) for worker, group in by_worker.items()]
        return self.client.submit(_combine_partitions, combine, *partials, pure=False)

    def _partitions(self, cards, by_card) -> list:
        """Futures of the partitions of (card number, card, extraction): those the workers
        extracted and kept, numbered there, and the rest (the cache's) sent from here."""
        number = {card.id: no for no, card in enumerate(cards)}
        parts, covered = [], set()
        where = self.client.who_has([future for future, _ in self._held]) if self._held else {}
        for future, ids in self._held:
            # A partition of this build's own cards, as extracted: counted where it lies.
            if all(cid in number and cid in by_card for cid in ids) and covered.isdisjoint(ids):
                parts.append(self.client.submit(_numbered, future, np.array([number[cid] for cid in ids]),
                                                workers=list(where.get(future.key) or ()) or None,
                                                allow_other_workers=True, pure=False))
                covered.update(ids)
        self._held = []
        records = [(no, card, by_card[card.id]) for no, card in enumerate(cards)
                   if card.id in by_card and card.id not in covered]
        if records or not parts:
            share = max(1, round(self.partitions * len(records) / max(1, len(by_card))))
            size = max(1, -(-len(records) // share))
            batches = [Batch(records[i:i + size]) for i in range(0, len(records), size)] or [Batch()]
            # Sent straight to the workers: in a task graph dask would hash every card first.
            parts += self.client.scatter(batches, hash=False)
        return parts

    def mentions(self, cards, by_card, target_of, terms=None):
        # On every worker before any task needs it: a busy worker sends slowly.
        target_of, terms = self.client.scatter([target_of, terms], broadcast=True, hash=False)
        self._contributions = self.client.persist(self._records.map_partitions(_partition_mentions, target_of, terms))
        contributions = self._contributions
        tallies, concepts = self.client.persist([contributions.map_partitions(_partition_tally),
                                                 contributions.map_partitions(_partition_concepts)])
        # Every card's mentions come here, each partition's straight from its worker (a tree
        # would pickle them again at every step); the sums are combined on the workers.
        found = self.client.compute(contributions.map_partitions(_partition_found).to_delayed())
        (tally,), (df,), *found = self.client.gather([self._combined(tallies, _add_first_uses),
                                                      self._combined(concepts, _add_counters), *found])
        card_mentions = {cid: mentions for _, cid, mentions in sorted(
            (record for part in found for record in part), key=lambda r: r[0])}
        # A name's tally keeps where the deck first used it: the single-machine tally's order.
        in_order = sorted(tally.items(), key=lambda kv: kv[1][1])
        return (card_mentions, Counter({entry: n for entry, (n, _) in in_order}),
                Counter(dict(sorted(df.items()))))

    def co_occurrence(self, card_mentions, df: Counter, *, n_cards: int) -> "ClusterPairs":
        nodes = sorted(df)
        n = len(nodes)
        if n < 2:
            return ClusterPairs(nodes, _NO_CODES, _NO_CODES, {}, {})
        delayed = dask.delayed
        index = delayed(NodeTable((x, i) for i, x in enumerate(nodes)), traverse=False)
        counts = delayed(NodeTable(df), traverse=False)
        df_arr = delayed(np.array([df[x] for x in nodes], dtype=np.int64), traverse=False)
        k = self.buckets
        # Each card's pairs, coded once per partition where it lies: counted, then searched for evidence.
        codes = [delayed(_partition_codes)(p, index, counts, n) for p in self._contributions.to_delayed()]

        # The shuffle: every partition's pairs split by bucket; every bucket summed where it lands.
        split = [delayed(_partition_pairs, nout=k)(c, k) for c in codes]
        summed = [delayed(_add_pair_counts)(*[s[b] for s in split]) for b in range(k)]
        candidates = [delayed(_associated)(pairs, df_arr, n, n_cards) for pairs in summed]
        if n_cards > SMALL_DECK_CARDS:
            # Each concept keeps its strongest links: a second shuffle, by either end of a link.
            ends = [delayed(_link_ends, nout=k)(c, n, k) for c in candidates]
            winners = delayed(_union)(*[delayed(_strongest_at_ends)(*[e[b] for e in ends]) for b in range(k)])
            candidates = [delayed(_kept_among)(c, winners) for c in candidates]
        kept = delayed(_joined_links)(*candidates)
        # The evidence of the kept links, found where the cards lie: one round trip in all.
        found = [delayed(_partition_evidence, nout=k)(c, kept, k) for c in codes]
        evidence = delayed(_joined_evidence)(*[delayed(_first_cards)(*[f[b] for f in found]) for b in range(k)])
        pairs, kept, evidence = self._compute(delayed(_joined_counts)(*summed), kept, evidence)
        (codes, shared), (kept_codes, kept_shared, npmi, weight) = pairs, kept
        links = {(nodes[p // n], nodes[p % n]): (s, a, w) for p, s, a, w in zip(
            kept_codes.tolist(), kept_shared.tolist(), npmi.tolist(), weight.tolist())}
        cards_of: dict[tuple[str, str], list[str]] = {}
        card_ids = self._card_ids
        for code, card_no in zip(*(a.tolist() for a in evidence)):
            cards_of.setdefault((nodes[code // n], nodes[code % n]), []).append(card_ids[card_no])
        return ClusterPairs(nodes, codes, shared, links, cards_of)


class ClusterPairs:
    """The co-occurrence counted on the cluster, read the way `kg.cooccurrence.CoOccurrence` is."""

    def __init__(self, nodes, counted, counts, links, evidence):
        self.nodes, self.n = nodes, len(nodes)
        self.counted, self.counts = counted, counts
        self._links, self._evidence = links, evidence

    def kept(self) -> dict[tuple[str, str], tuple[int, float, float]]:
        return dict(self._links)

    def evidence(self, pairs) -> list[list[str]]:
        return [self._evidence.get(pair, []) for pair in pairs]

    def evidence_table(self, pairs) -> list[list[str]]:
        # The lists came back from the cluster as lists: no smaller table to make here.
        return self.evidence(pairs)


def _summed(bag, combine):
    """One value from a bag whose partitions each hold one partial sum, combined in a tree."""
    return bag.reduction(_only, combine, split_every=SPLIT_EVERY)


# What runs on the workers: plain functions, so they pickle by name.

def _only(part):
    return next(iter(part))


def _combine_partitions(combine, *parts) -> Batch:
    """The partial sums of some partitions (each a one-item Batch) combined, as one more."""
    return Batch([combine(partial for part in parts for partial in part)])


def _add_counters(counters) -> Counter:
    total: Counter = Counter()
    for counter in counters:
        total.update(counter)
    return total


def _add_first_uses(partials) -> FirstUse:
    total = FirstUse()
    for partial in partials:
        for entry, (n, first) in partial.items():
            seen = total.get(entry)
            total[entry] = (n, first) if seen is None else (seen[0] + n, min(seen[1], first))
    return total


def _numbered(records, numbers) -> Batch:
    """A kept partition's (card, extraction) records as (card number in the build, card, extraction)."""
    return Batch((no, card, ext) for no, (card, ext) in zip(numbers.tolist(), records))


def _partition_acronyms(part, resolve) -> Batch:
    expansions: dict = defaultdict(Counter)
    for _, _, ext in part:
        resolve.count_acronyms(ext, expansions)
    return Batch([Counter({(short, long): n for short, longs in expansions.items() for long, n in longs.items()})])


def _partition_mentions(part, target_of, terms) -> Batch:
    out = Batch()
    for no, card, ext in part:
        tally: Counter = Counter()
        found = card_contribution(card, ext, target_of, tally, terms)
        out.append((no, card.id, found, tuple(tally.items())))
    return out


def _partition_found(part) -> Batch:
    return Batch((no, cid, found) for no, cid, found, _ in part)


def _partition_tally(part) -> Batch:
    first = FirstUse()
    for no, _, _, tally in part:
        for i, (entry, n) in enumerate(tally):
            seen = first.get(entry)
            first[entry] = (n, (no, i)) if seen is None else (seen[0] + n, min(seen[1], (no, i)))
    return Batch([first])


def _partition_concepts(part) -> Batch:
    return Batch([Counter(node for _, _, found, _ in part for node in found)])


def _card_codes(found, index, counts, n) -> np.ndarray:
    """The pair codes (u * n + v, u < v) of one card's concepts, as `CoOccurrence` counts them."""
    ids = [index[x] for x in paired_concepts(found, counts)]
    if len(ids) < 2:
        return _NO_CODES
    ids = np.array(ids, dtype=np.int64)  # sorted: paired_concepts sorts by node, index is node order
    a, b = np.triu_indices(len(ids), 1)
    return ids[a] * n + ids[b]


def _by_bucket(codes: np.ndarray, k: int, *columns: np.ndarray) -> tuple:
    """The rows of (codes, *columns) split into k buckets by code, each row's order kept."""
    bucket = codes % k
    return tuple((codes[bucket == b], *(c[bucket == b] for c in columns)) for b in range(k))


def _partition_codes(part, index, counts, n) -> tuple[np.ndarray, np.ndarray]:
    """(pair code, card number) of every pair met on a partition's cards."""
    codes = [_card_codes(found, index, counts, n) for _, _, found, _ in part]
    numbers = np.repeat(np.array([no for no, _, _, _ in part], dtype=np.int64), [len(c) for c in codes])
    return (np.concatenate(codes) if codes else _NO_CODES), numbers


def _partition_pairs(part, k) -> tuple:
    unique, counted = np.unique(part[0], return_counts=True)
    return _by_bucket(unique, k, counted)


def _add_pair_counts(*parts) -> tuple[np.ndarray, np.ndarray]:
    codes = np.concatenate([c for c, _ in parts])
    counts = np.concatenate([s for _, s in parts])
    unique, slot = np.unique(codes, return_inverse=True)
    return unique, np.bincount(slot, weights=counts, minlength=len(unique)).astype(np.int64)


def _joined_counts(*buckets) -> tuple[np.ndarray, np.ndarray]:
    codes = np.concatenate([c for c, _ in buckets])
    counts = np.concatenate([s for _, s in buckets])
    order = np.argsort(codes, kind="stable")
    return codes[order], counts[order]


def _associated(pairs, df, n, n_cards) -> tuple:
    """The pairs with a link's chance (NPMI > 0; two shared cards in a big deck), and their
    (unrounded) NPMI and weight, as `kg.cooccurrence.kept_pairs` computes them."""
    codes, shared = pairs
    npmi, weight = pair_association(shared, df[codes // n], df[codes % n], n_cards=n_cards)
    keep = npmi > 0
    if n_cards > SMALL_DECK_CARDS:
        keep &= shared >= 2
    return codes[keep], shared[keep], npmi[keep], weight[keep]


def _link_ends(links, n, k) -> tuple:
    """Each link twice, once at each end: (end, -weight, side, code), split by end."""
    codes, _, _, weight = links
    ends = np.concatenate([codes // n, codes % n])
    side = np.repeat(np.array([0, 1], dtype=np.int64), len(codes))
    return _by_bucket(ends, k, np.concatenate([-weight, -weight]), side, np.concatenate([codes, codes]))


def _strongest_at_ends(*parts) -> np.ndarray:
    """Codes of the links among the MAX_LINKS_PER_CONCEPT strongest at one of these ends.

    Ranked by end, then strength, then the end being the smaller node before the larger, then
    pair: the order `_top_k_either_end` ranks in.
    """
    end, negative, side, code = (np.concatenate([p[i] for p in parts]) for i in range(4))
    order = np.lexsort((code, side, negative, end))
    ranked = end[order]
    rank = np.arange(len(order)) - np.searchsorted(ranked, ranked, side="left")
    return code[order][rank < MAX_LINKS_PER_CONCEPT]


def _union(*winners) -> np.ndarray:
    return np.unique(np.concatenate(winners)) if winners else _NO_CODES


def _kept_among(links, winners) -> tuple:
    codes, shared, npmi, weight = links
    keep = np.isin(codes, winners)
    return codes[keep], shared[keep], npmi[keep], weight[keep]


def _joined_links(*buckets) -> tuple:
    codes, shared, npmi, weight = (np.concatenate([b[i] for b in buckets]) for i in range(4))
    order = np.argsort(codes, kind="stable")
    return codes[order], shared[order], np.round(npmi[order], 6), np.round(weight[order], 6)


def _partition_evidence(part, kept, k) -> tuple:
    codes, numbers = part
    wanted = kept[0]  # sorted
    if len(wanted) == 0:
        return _by_bucket(_NO_CODES, k, _NO_CODES)
    at = np.minimum(np.searchsorted(wanted, codes), len(wanted) - 1)
    hit = wanted[at] == codes
    return _by_bucket(codes[hit], k, numbers[hit])


def _first_cards(*parts) -> tuple[np.ndarray, np.ndarray]:
    """(code, card number) of the first EVIDENCE_LIMIT cards of each pair, in card order."""
    codes = np.concatenate([c for c, _ in parts])
    numbers = np.concatenate([m for _, m in parts])
    order = np.lexsort((numbers, codes))
    codes, numbers = codes[order], numbers[order]
    rank = np.arange(len(codes)) - np.searchsorted(codes, codes, side="left")
    keep = rank < EVIDENCE_LIMIT
    return codes[keep], numbers[keep]


def _joined_evidence(*buckets) -> tuple[np.ndarray, np.ndarray]:
    return np.concatenate([c for c, _ in buckets]), np.concatenate([m for _, m in buckets])
