"""Co-occurrence: which concepts the same cards name more often than chance.

Co-occurrence is counted on integer arrays and only the links that are kept become edges with
attribute dicts, so building stays linear in mentions. Which links are kept:

* a pair of concepts needs a positive NPMI (they meet more often than chance);
* decks above SMALL_DECK_CARDS also need two shared cards, and each concept keeps only its
  MAX_LINKS_PER_CONCEPT strongest links (a link stays if it is among the strongest of either
  end): a big deck otherwise fills with hundreds of one-off pairs per card that say little.

kg.graph makes the `co_occurs` edges from `CoOccurrence`; kg.update (`kept_pairs`) and kg.cluster
(`pair_association`) judge the pairs they count with the same functions.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice

import numpy as np

# A card naming very many concepts would add O(k^2) co-occurrence pairs; only its most specific
# concepts take part, which keeps counting linear in mentions.
MAX_CONCEPTS_PER_CARD = 24
SMALL_DECK_CARDS = 2000
MAX_LINKS_PER_CONCEPT = 12
# Cards kept as a link's evidence, for every kind of link (kg.graph's is_a, part_of and related
# links too).
EVIDENCE_LIMIT = 50
# Cards whose pairs are made and counted at once: every card's pairs at once set a big build's
# peak memory (tens of millions at a million cards), a chunk's are a few million at most.
CARDS_PER_CHUNK = 50_000


class CoOccurrence:
    """Which concepts the same cards name more often than chance, counted on integer arrays:
    only the pairs that are kept become Python objects, so counting stays linear in mentions."""

    def __init__(self, card_concepts: dict[str, Iterable[str]], df: Counter, *, n_cards: int):
        self.card_ids = list(card_concepts)
        self.nodes = nodes = sorted(df)
        self.n = n = len(nodes)
        self._card_concepts = card_concepts
        self._chunk = None
        empty = np.zeros(0, dtype=np.int64)
        self.pairs = self.shared = self.counted = self.counts = empty
        self.npmi = self.weight = np.zeros(0)
        if n < 2:
            return
        self._index = {x: i for i, x in enumerate(nodes)}
        self._df = df_arr = np.array([df[x] for x in nodes], dtype=np.int64)

        # Every pair that meets on a card, with its count: an update adds to these (kg.update).
        # Counted chunk by chunk, so that every card's pairs are never held at once (they set a
        # big build's peak: a million cards make tens of millions of pairs).
        parts = []
        for k, chunk in enumerate(self._pairs_by_chunk()):
            parts.append(np.unique(chunk[0], return_counts=True))
            # A deck of one chunk keeps its pairs for the evidence, rather than make them again.
            self._chunk = chunk if k == 0 else None
        if not parts:
            return
        if len(parts) == 1:
            self.counted, self.counts = parts[0]
        else:
            codes = np.concatenate([p[0] for p in parts])
            counts = np.concatenate([p[1] for p in parts])
            del parts
            order = np.argsort(codes, kind="stable")
            codes, counts = codes[order], counts[order]
            del order
            starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
            self.counted, self.counts = codes[starts], np.add.reduceat(counts, starts)
        self.pairs, self.shared, self.npmi, self.weight = kept_pairs(
            self.counted, self.counts, df_arr, n, n_cards=n_cards)

    def _pairs_by_chunk(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(pair codes u * n + v, the card number of each) of the cards, CARDS_PER_CHUNK at a time."""
        index, df_arr, n = self._index, self._df, self.n
        found_lists = iter(self._card_concepts.values())
        card_no, total = 0, len(self.card_ids)
        while card_no < total:
            # Cards grouped by how many concepts they name: each group's pairs come from one array op.
            by_size: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
            for found in islice(found_lists, CARDS_PER_CHUNK):
                ids = [index[x] for x in found]
                if len(ids) > MAX_CONCEPTS_PER_CARD:
                    # Sorted by node id among equals: the index order, whatever the card order.
                    ids.sort(key=lambda i: (df_arr[i], i))
                    ids = ids[:MAX_CONCEPTS_PER_CARD]
                if len(ids) >= 2:
                    rows, numbers = by_size[len(ids)]
                    rows.append(ids)
                    numbers.append(card_no)
                card_no += 1
            if not by_size:
                continue
            code_parts, card_parts = [], []
            for size, (rows, numbers) in by_size.items():
                matrix = np.sort(np.array(rows, dtype=np.int64), axis=1)
                a, b = np.triu_indices(size, 1)
                code_parts.append((matrix[:, a] * n + matrix[:, b]).ravel())
                card_parts.append(np.repeat(np.array(numbers, dtype=np.int32), len(a)))
            yield np.concatenate(code_parts), np.concatenate(card_parts)

    def kept(self) -> "KeptLinks":
        """{(u, v): (shared, npmi, weight)} for the kept pairs, u < v, in pair order."""
        return KeptLinks(self.nodes, self.pairs, self.shared, self.npmi, self.weight)

    def evidence(self, pairs: Iterable[tuple[str, str]]) -> list[list[str]]:
        """The cards of each of these kept pairs, in card order, at most EVIDENCE_LIMIT."""
        return list(self.evidence_table(pairs))

    def evidence_table(self, pairs: Iterable[tuple[str, str]]) -> "EvidenceTable":
        """`evidence(pairs)` kept as two arrays of numbers: a build writing its links from it
        holds 4 bytes a card of evidence, not a list of card ids a link."""
        pairs = list(pairs)
        if not pairs:
            return EvidenceTable(self.card_ids, np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32))
        index = {x: i for i, x in enumerate(self.nodes)}
        wanted_codes = np.array([index[a] * self.n + index[b] for a, b in pairs], dtype=np.int64)
        order_of = np.argsort(wanted_codes, kind="stable")
        sorted_wanted = wanted_codes[order_of]
        # Every card's pairs again, chunk by chunk, keeping only the wanted ones' (few by comparison).
        kept_codes, kept_cards = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int32)]
        for codes, card_of in [self._chunk] if self._chunk is not None else self._pairs_by_chunk():
            mask = np.isin(codes, sorted_wanted)
            kept_codes.append(codes[mask])
            kept_cards.append(card_of[mask])
        codes, card_of = np.concatenate(kept_codes), np.concatenate(kept_cards)
        order = np.lexsort((card_of, codes))
        codes, card_of = codes[order], card_of[order]
        starts = np.empty(len(pairs), dtype=np.int64)
        ends = np.empty(len(pairs), dtype=np.int64)
        starts[order_of] = np.searchsorted(codes, sorted_wanted, side="left")
        ends[order_of] = np.searchsorted(codes, sorted_wanted, side="right")
        # Pair i's cards are the first EVIDENCE_LIMIT of its run in `card_of`, placed one after another.
        lengths = np.minimum(ends - starts, EVIDENCE_LIMIT)
        offsets = np.zeros(len(pairs) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        taken = np.arange(offsets[-1], dtype=np.int64) + np.repeat(starts - offsets[:-1], lengths)
        return EvidenceTable(self.card_ids, offsets, card_of[taken].astype(np.int32))


class KeptLinks(Mapping):
    """The kept links, {(u, v): (shared, npmi, weight)} with u < v in pair order, read from
    their arrays: 32 bytes a link where a dict of tuples takes about 300 (a build keeps them in
    its `GraphState`). Read-only; an update replaces it with a dict.

    >>> links = KeptLinks(["a", "b", "c"], np.array([1, 5]), np.array([2, 3]), np.array([0.5, 0.25]),
    ...                   np.array([0.33, 0.19]))
    >>> dict(links)
    {('a', 'b'): (2, 0.5, 0.33), ('b', 'c'): (3, 0.25, 0.19)}
    >>> links.get(("a", "c")), ("b", "c") in links, len(links)
    (None, True, 2)
    """

    def __init__(self, nodes: list[str], pairs: np.ndarray, shared: np.ndarray, npmi: np.ndarray,
                 weight: np.ndarray):
        # `nodes` sorted, `pairs` codes u * n + v over them, ascending (np.unique's order).
        self.nodes, self.n = nodes, len(nodes)
        self.pairs, self.shared, self.npmi, self.weight = pairs, shared, npmi, weight

    def __len__(self) -> int:
        return len(self.pairs)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        nodes, n = self.nodes, self.n
        return ((nodes[p // n], nodes[p % n]) for p in self.pairs.tolist())

    def __getitem__(self, pair: tuple[str, str]) -> tuple[int, float, float]:
        i = self._position(pair)
        if i is None:
            raise KeyError(pair)
        return int(self.shared[i]), float(self.npmi[i]), float(self.weight[i])

    def __contains__(self, pair) -> bool:
        return self._position(pair) is not None

    def items(self) -> Iterator[tuple[tuple[str, str], tuple[int, float, float]]]:
        return zip(iter(self), zip(self.shared.tolist(), self.npmi.tolist(), self.weight.tolist()))

    def at(self, i: int) -> tuple[tuple[str, str], tuple[int, float, float]]:
        """The i-th link in pair order and its statistics, as `items()` gives it."""
        p, n = int(self.pairs[i]), self.n
        return (self.nodes[p // n], self.nodes[p % n]), (int(self.shared[i]), float(self.npmi[i]),
                                                         float(self.weight[i]))

    def _position(self, pair) -> int | None:
        try:
            u, v = pair
        except (TypeError, ValueError):
            return None
        nodes, n = self.nodes, self.n
        iu, iv = bisect_left(nodes, u), bisect_left(nodes, v)
        if iu == n or iv == n or nodes[iu] != u or nodes[iv] != v:
            return None
        code = iu * n + iv
        i = int(np.searchsorted(self.pairs, code))
        return i if i < len(self.pairs) and self.pairs[i] == code else None


class EvidenceTable:
    """The cards of many links, in two arrays: link i's cards are `card_ids[c]` for the numbers
    c in `numbers[offsets[i]:offsets[i + 1]]`. Reads as a list of card id lists."""

    def __init__(self, card_ids: list[str], offsets: np.ndarray, numbers: np.ndarray):
        self.card_ids, self.offsets, self.numbers = card_ids, offsets, numbers

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> list[str]:
        if not 0 <= i < len(self):
            raise IndexError(i)
        card_ids = self.card_ids
        return [card_ids[c] for c in self.numbers[self.offsets[i]:self.offsets[i + 1]].tolist()]


def kept_pairs(pairs: np.ndarray, shared: np.ndarray, df: np.ndarray, n: int, *, n_cards: int):
    """(pairs, shared, npmi, weight) of the co-occurring pairs worth a link, from every pair
    (codes u * n + v over `n` sorted concepts, u < v) and how many cards it meets on."""
    u, v = pairs // n, pairs % n
    npmi, weight = pair_association(shared, df[u], df[v], n_cards=n_cards)
    keep = npmi > 0
    if n_cards > SMALL_DECK_CARDS:
        keep &= shared >= 2
        keep &= _top_k_either_end(u, v, weight, keep, MAX_LINKS_PER_CONCEPT)
    return pairs[keep], shared[keep], np.round(npmi[keep], 6), np.round(weight[keep], 6)


def pair_association(shared: np.ndarray, df_u: np.ndarray, df_v: np.ndarray, *, n_cards: int):
    """(npmi, weight), unrounded, of pairs meeting on `shared` cards whose ends name `df_u` and
    `df_v` cards each: element by element, so any split of the pairs gives the same values."""
    p_xy = shared / n_cards
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(p_xy / ((df_u / n_cards) * (df_v / n_cards)))
        npmi = np.where(p_xy < 1.0, pmi / -np.log(p_xy), 0.0)  # on every card: nothing to measure
    # A pair seen once is weaker evidence than the same NPMI over many cards.
    return npmi, npmi * shared / (shared + 1)


def paired_concepts(found: Iterable[str], df) -> list[str]:
    """The concepts of one card that take part in co-occurrence, sorted: all of them, or the
    MAX_CONCEPTS_PER_CARD rarest (`df[node]` cards, equals by id) of a card naming more."""
    found = sorted(found)
    if len(found) > MAX_CONCEPTS_PER_CARD:
        found = sorted(sorted(found, key=lambda x: (df[x], x))[:MAX_CONCEPTS_PER_CARD])
    return found


def co_occurs_edge(stats: tuple[int, float, float], evidence: list[str]) -> dict:
    shared, npmi, weight = stats
    return {"kind": "co_occurs", "weight": weight, "shared": shared, "npmi": npmi, "evidence": evidence}


def _top_k_either_end(u, v, weight, keep, k: int) -> np.ndarray:
    """Mask of the pairs among the k strongest of u's or of v's pairs (of those `keep` allows)."""
    # Only the pairs `keep` allows are ranked: in a big deck most pairs meet on one card and are
    # out anyway, and leaving them out changes no rank among the others.
    allowed = np.flatnonzero(keep)
    m = len(allowed)
    ends = np.concatenate([u[allowed], v[allowed]])
    scores = np.concatenate([weight[allowed]] * 2)
    order = np.lexsort((-scores, ends))  # by end, strongest first within each end (stable)
    ranked = ends[order]
    rank = np.empty(2 * m, dtype=np.int64)
    rank[order] = np.arange(2 * m) - np.searchsorted(ranked, ranked, side="left")
    top = rank < k
    mask = np.zeros(len(u), dtype=bool)
    mask[allowed] = top[:m] | top[m:]
    return mask
