"""Search over a graph in SQL tables: `kg.search`'s ranking, fed from tables instead of memory.

`kg load-postgres` and `kg load-sqlite` keep the in-memory index's parts as tables keyed for
lookup: BM25F posting lists per word stem and mention strengths per concept (packed arrays, one
row each), concept names by stem, kinds, associated concepts and acronym partners by concept, concept
names by their initials, the vocabulary and name prefixes. A query reads only the rows of its own words and the concepts they name, then
ranks with the very code of `kg.search.SearchIndex`, so the ranking is the same.

Misspelt words are scored against candidate words the backend proposes (PostgreSQL's trigram
index; the SQLite store keeps the vocabulary, see `kg.store.disk`), among which rapidfuzz picks
as in memory. A misspelt prefix is matched against every concept name while there are few
enough to keep (`kg.store.sql.PREFIX_NAMES_KEPT`), beyond that against the backend's
candidates only: a place where a store may answer differently from memory.

The work of a query does not grow with how many concepts its words name (at 100,000 cards
"encoder" names ten thousand): each word reads at most CONCEPTS_READ of the concepts it names,
those on most cards, and each concept read brings at most CONCEPTS_READ of its kinds, again
those on most cards (ties by id); of the concepts taught with those (`associated`, which only
add to card scores) a query reads the ASSOCIATED_READ strongest links, and of a concept's
mentions the MENTIONS_READ strongest. Below the bounds the
answer is the in-memory one. Above them, a concept the word names beyond the CONCEPTS_READ it
reads is not listed (the list is the in-memory one less those), and a card loses the share of
its concept score that came through a concept or association not read (no card scores more than
in memory). A word's weight (`idf`) still counts every concept it names.
"""

from __future__ import annotations

import json
import math

import numpy as np
from rapidfuzz import fuzz, process

from kg.search.index import BRIEF_FIELDS, SearchIndex
from kg.search.query import FUZZY_CUTOFF
from kg.search.words import _stem_once, _words
from kg.store.completions import COMPLETIONS_KEPT

#: The last character in byte order: every name starting with a prefix sorts below the prefix
#: followed by it.
LAST_CHARACTER = chr(0x10FFFF)
#: Concepts a query word reads among those it names, and kinds a concept read brings: those on
#: most cards (a page lists 20; kg.web's search asks for at most 100).
CONCEPTS_READ = 300
#: Mentions of a concept a query reads at most, the strongest (ties by card number, as a ranking
#: breaks them): a hub is on tens of thousands of cards at a million, and a card it names weakly
#: does not reach the first pages for it.
MENTIONS_READ = 5000
#: The MENTIONS_READ strongest mentions (cards, strengths) of each concept of a list, packed.
MENTIONS_SQL = ("SELECT concept, substr(cards, 1, %s), substr(strength, 1, %s) FROM {mention_strength} "
                "WHERE concept = ANY(%s)")
#: Associations (concepts taught with those named, which only add to card scores) a query reads
#: at most: the strongest of all the concepts its words name.
ASSOCIATED_READ = 1000
#: Mentions (cards of the concepts a query names) combined at once, as their rows come in.
MENTIONS_HELD = 1 << 18


class _Rows:
    """A read-through map of one table, filled a batch of keys at a time."""

    def __init__(self, fetch):
        self._fetch = fetch
        self._known: dict = {}

    def prefetch(self, keys) -> None:
        wanted = [k for k in dict.fromkeys(keys) if k not in self._known]
        if wanted:
            found = self._fetch(wanted)
            for k in wanted:
                self._known[k] = found.get(k)

    def get(self, key, default=None):
        if key not in self._known:
            self.prefetch([key])
        value = self._known[key]
        return default if value is None else value

    def __getitem__(self, key):
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key) -> bool:
        return self.get(key) is not None


class SqlSearchIndex(SearchIndex):
    """`SearchIndex` whose parts are read from the live generation as a query needs them."""

    def __init__(self, store, *, concepts_read: int = CONCEPTS_READ, associated_read: int = ASSOCIATED_READ):
        self.store = store
        self.schema = store.generation
        self.concepts_read = concepts_read
        self.associated_read = associated_read
        meta = dict(self._rows("SELECT key, value FROM {meta} WHERE key = 'search_cards'"))
        self.n_cards = int(meta.get("search_cards", 0))
        self.by_stem = _Rows(self._named)
        self._derived: dict[tuple, dict[str, str]] = {}
        # How many concepts each word names, all of them (a word's idf counts them).
        self.named_count = _Rows(lambda keys: dict(self._rows(
            "SELECT stem, count(*) FROM {concept_stems} WHERE stem = ANY(%s) GROUP BY stem", (keys,))))
        self.names = _Rows(lambda keys: {n: [frozenset(s) for s in json.loads(d)] for n, d in self._rows(
            "SELECT id, names FROM {concept_names} WHERE id = ANY(%s)", (keys,))})
        self.children = _Rows(lambda keys: self._grouped(
            # Ranked by the kinds' cards kept beside them (looking each kind's cards up took
            # 35 ms for a hub's 10,000 kinds at a million cards).
            "SELECT parent, child FROM (SELECT parent, child, pos, row_number() OVER (PARTITION BY parent "
            "ORDER BY cards DESC, pos) AS r FROM {children} WHERE parent = ANY(%s)) AS x WHERE r <= %s "
            "ORDER BY parent, pos", keys, list, self.concepts_read))
        self.associated = _Rows(self._associated)
        self.acronym_partners = _Rows(lambda keys: self._grouped(
            "SELECT concept, partner FROM {acronyms} WHERE concept = ANY(%s) ORDER BY concept, pos", keys, list))
        self.by_initials = _Rows(lambda keys: self._grouped(
            "SELECT initials, concept FROM {initials} WHERE initials = ANY(%s) ORDER BY initials, concept{C}",
            keys, list))
        self.concepts = _Rows(self._concept_briefs)
        self.cards = _Rows(lambda keys: dict(self._rows("SELECT id, cards FROM {nodes} WHERE id = ANY(%s)",
                                                        (keys,))))
        self._postings = _Rows(lambda keys: {s: (np.frombuffer(a, "<i4"), np.frombuffer(b, "<f4")) for s, a, b in self._rows(
            "SELECT stem, cards, weights FROM {postings} WHERE stem = ANY(%s)", (keys,))})

    def _rows(self, query: str, params=()) -> list[tuple]:
        return self.store._rows(query, params, schema=self.schema)

    def _grouped(self, query: str, keys, make, *more):
        found: dict = {}
        for key, *rest in self._rows(query, (keys, *more)):
            found.setdefault(key, []).append(rest[0] if len(rest) == 1 else tuple(rest))
        return {k: make(v) for k, v in found.items()}

    def _named(self, stems) -> dict[str, set[str]]:
        """{stem: the concepts it names}, at most `concepts_read` of each (those on most cards)."""
        self.named_count.prefetch(stems)
        found = {}
        for s in stems:
            if self.named_count.get(s, 0):
                found[s] = {c for (c,) in self._rows(
                    "SELECT concept FROM {concept_stems} WHERE stem = %s ORDER BY cards DESC, concept{C} LIMIT %s",
                    (s, self.concepts_read))}
        return found

    def _associated(self, concepts) -> dict[str, list[tuple[str, float]]]:
        """{concept: [(associated concept, weight)] in order}: the `associated_read` strongest
        associations of all `concepts` together (ties by concept, then order)."""
        rows = self._rows("SELECT concept, other, weight, pos FROM {associated} WHERE concept = ANY(%s) "
                          "ORDER BY weight DESC, concept{C}, pos LIMIT %s", (list(concepts), self.associated_read))
        found: dict[str, list] = {}
        for concept, other, weight, _ in sorted(rows, key=lambda row: (row[0], row[3])):
            found.setdefault(concept, []).append((other, weight))
        return found

    def _concept_briefs(self, keys) -> dict:
        out = {}
        # The aliases picked out by the server: a query may name thousands of concepts.
        for n, label, aliases, cards in self._rows(
                "SELECT id, label, {aliases}, cards FROM {nodes} WHERE id = ANY(%s)", (keys,)):
            out[n] = {"id": n, "label": n if label is None else label,
                      "aliases": json.loads(aliases) if aliases else [], "cards": cards}
        return out

    # -- what the in-memory index keeps as arrays ------------------------------------------

    def query_stems(self, query: str) -> list[str]:
        out = super().query_stems(query)
        self._postings.prefetch(out)
        self.by_stem.prefetch(out)
        return out

    def known_stems(self, stems: list[str]) -> set[str]:
        return {s for (s,) in self._rows("SELECT stem FROM {vocabulary_stems} WHERE stem = ANY(%s)",
                                         (list(set(stems)),))}

    def corrected(self, word: str) -> str | None:
        candidates = self.store.similar_words(word, self.schema)
        match = process.extractOne(word, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return None if match is None else _stem_once(match[0])

    def _df(self, s: str) -> int:
        found = self._postings.get(s)
        return 0 if found is None else len(found[0])

    def document_frequency(self, word: str) -> int:
        return self._df(_stem_once(word.lower()))

    def idf(self, s: str) -> float:
        df = self._df(s) + self.named_count.get(s, 0)
        return math.log(1 + (self.n_cards + 1) / (df + 0.5))

    def words_starting(self, prefix: str) -> list[str]:
        return self.store.words_starting(prefix, self.schema)

    def derived_stems(self, stems: list[str]) -> dict[str, str]:
        key = tuple(stems)
        if key not in self._derived:  # asked twice a query: to prefetch, then to match
            self._derived[key] = super().derived_stems(stems)
        return self._derived[key]

    def concept_matches(self, stems):
        derived = self.derived_stems(list(dict.fromkeys(stems))) if len(set(stems)) == 1 else {}
        self.by_stem.prefetch(derived)
        candidates = set().union(*(self.by_stem.get(s, set()) for s in [*stems, *derived])) if stems else set()
        self.names.prefetch(candidates)
        self.children.prefetch(candidates)
        self.associated.prefetch(candidates)
        self.acronym_partners.prefetch(candidates)
        found = super().concept_matches(stems)
        # Ranked by their cards; only the few listed are read whole (a word may name thousands).
        self.cards.prefetch(n for n, m in found.items() if m[0] > 0)
        return found

    def card_count(self, node: str) -> int:
        return self.cards[node]

    def prefetch_concepts(self, nodes) -> None:
        self.concepts.prefetch(nodes)

    def prefetch_children(self, nodes) -> None:
        self.children.prefetch(nodes)

    def mention_batches(self, nodes):
        # Combined as the rows come in and let go: the concepts of a word may be mentioned on
        # more cards than the collection holds (1.7 million mentions for "encoder" at a million
        # cards, 20 MB of rows, a few times that while they are decoded and combined).
        nodes = list(nodes)
        if not nodes:
            return
        batch, held = [], 0
        for c, a, b in self.store._stream(MENTIONS_SQL, (4 * MENTIONS_READ, 8 * MENTIONS_READ, nodes),
                                          schema=self.schema):
            cards = np.frombuffer(a, "<i4")
            batch.append((c, (cards, np.frombuffer(b, "<f8"))))
            held += len(cards)
            if held >= MENTIONS_HELD:
                yield batch
                batch, held = [], 0
        if batch:
            yield batch

    def text_scores(self, stems: list[str], factors: dict[str, float] | None = None) -> np.ndarray:
        scores = np.zeros(self.n_cards)
        for s in dict.fromkeys(stems):
            found = self._postings.get(s)
            if found is None or not len(found[0]):
                continue
            cards, weight = found
            n = len(cards)
            idf = math.log(1 + (self.n_cards - n + 0.5) / (n + 0.5))
            scores[cards] += idf * (factors or {}).get(s, 1.0) * weight
        return scores

    def card_names(self, numbers) -> dict[int, str]:
        numbers = [int(i) for i in numbers]
        return dict(self._rows("SELECT n, id FROM {search_cards} WHERE n = ANY(%s)", (numbers,)))

    def card_briefs(self, cards: list[str]) -> list[dict]:
        found = {n: json.loads(d) for n, d in self._rows("SELECT id, data FROM {nodes} WHERE id = ANY(%s)", (cards,))}
        return [{"id": c, **{f: found.get(c, {}).get(f, "") for f in BRIEF_FIELDS}} for c in cards]

    # -- completion ------------------------------------------------------------------------

    def suggest(self, prefix: str, *, limit: int = 10) -> list[dict]:
        wanted = " ".join(_words(prefix))
        if not wanted:
            return []
        if limit <= COMPLETIONS_KEPT:
            # A prefix starting thousands of names has its best concepts kept (kg.store.completions).
            kept = [n for (n,) in self._rows("SELECT concept FROM {completions} WHERE prefix{C} = %s ORDER BY pos "
                                             "LIMIT %s", (wanted, limit))]
            if kept:
                self.concepts.prefetch(kept)
                return [dict(self.concepts[n]) for n in kept]
        found: dict[str, tuple] = {}
        # Every name starting with `wanted`: the names from it up to it followed by the last character.
        rows = self._rows("SELECT p.name, p.concept, p.whole, n.cards FROM {prefixes} p JOIN {nodes} n ON n.id = p.concept "
                          "WHERE p.name{C} >= %s AND p.name{C} < %s", (wanted, wanted + LAST_CHARACTER))
        for name, node, whole, cards in rows:
            rank = (not whole, -cards, len(name))
            if node not in found or rank < found[node]:
                found[node] = rank
        if len(found) < limit:
            keys = self._names_like(wanted)
            picked = process.extract(wanted, keys, scorer=fuzz.partial_ratio, score_cutoff=FUZZY_CUTOFF,
                                     limit=limit * 3)
            named: dict[str, list[str]] = {}
            # One query for the names picked (one each took 30 round trips at a million cards).
            for name, node in self._rows("SELECT name, concept FROM {prefixes} WHERE name{C} = ANY(%s)",
                                         ([name for name, _, _ in picked],)):
                named.setdefault(name, []).append(node)
            for name, score, _ in picked:
                for node in named.get(name, ()):
                    found.setdefault(node, (True, 1, -score, len(name)))
        ranked = sorted(found, key=lambda n: (found[n], n))[:limit]
        self.concepts.prefetch(ranked)
        return [dict(self.concepts[n]) for n in ranked]

    def _names_like(self, wanted: str) -> list[str]:
        """Every name (one per concept having it, sorted) partial_ratio may find close to
        `wanted`: all of them while a store keeps them (see `SqlStore.prefix_names`), else the
        backend's candidates."""
        every = self.store.prefix_names(self.schema)
        if every is not None:
            return every
        return self.store.names_containing(wanted, self.schema)
