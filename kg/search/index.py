"""The search index of one graph: concept names, card mentions and a BM25F index of card text.

Built once per graph (`kg.search.search_index`), it ranks cards for a query: how they mention the
concepts the query names (read by `kg.search.query.QueryReader`), with BM25F over their question,
answer and where their author filed them as the extra signal and the fallback; and it completes
concept names for autocomplete.
"""

from __future__ import annotations

import bisect
import gc
import math
from array import array
from collections import defaultdict
from collections.abc import Mapping, Sequence

import networkx as nx
import numpy as np
from rapidfuzz import fuzz, process

from kg.search.query import (DERIVED_FACTOR, FUZZY_CUTOFF, FUZZY_MIN_LENGTH, MAX_ACRONYM_LETTERS,
                             QueryReader)
from kg.search.words import _TOKEN, STOPWORDS, _stem_once, _stems, _words, acronym_keys

# Share of a card's score from the concept match; the rest is BM25F over the card text.
CONCEPT_WEIGHT = 0.5
# BM25F: a word in the question counts as this many in the answer (the question says what the
# card is about); the same weight makes a concept named in the question outweigh the answer.
QUESTION_FIELD_WEIGHT = 3.0
# Fields of a card's text: question, answer, and where the author filed it (deck path and tags),
# each word there counting as in the answer, times this.
FIELDS = 3
FILED_FIELD_WEIGHT = 1.0
FIELD_WEIGHTS = (QUESTION_FIELD_WEIGHT, 1.0, FILED_FIELD_WEIGHT)
# A question mention's strength, so the best mention of a concept is about 1.
MENTION_SCALE = QUESTION_FIELD_WEIGHT * (1.2 + 1) / (QUESTION_FIELD_WEIGHT + 1.2)
# A concept's associated concepts (brought along by a query that names it, kg.search.query):
# those co-occurring with it on MIN_ASSOCIATED_CARDS cards with at least MIN_ASSOCIATION weight.
MIN_ASSOCIATED_CARDS = 2
MIN_ASSOCIATION = 0.5
# An acronym and its spelled-out concept are paired (a query naming one brings the other,
# kg.search.query.ACRONYM_FACTOR) when a card names them at most this many words apart.
ACRONYM_WINDOW = 15
BM25_K1, BM25_B = 1.2, 0.75
# Cards whose words are counted at once: the words of a million cards, held together as numbers
# and sorted, took gigabytes; counted a chunk at a time, only each chunk's distinct
# (word, card, field) counts are kept.
TEXT_CARDS_PER_CHUNK = 50_000
# What a result list shows of each card: the answer too, so a card found by its answer shows why.
BRIEF_FIELDS = ("question", "answer", "deck")
_NAME_FILLER = frozenset({"and", "of", "the"})


def _singular(word: str) -> str:
    """An acronym without its plural s: "NATs" is written for "NAT"."""
    return word[:-1] if len(word) > 2 and word.endswith("s") else word


class _Briefs(Mapping):
    """{concept: {"id", "label", "aliases", "cards"}}, each made when asked for from one tuple:
    a dict per concept held 2.7 million of them at a million cards, 230 bytes each."""

    def __init__(self):
        self._rows: dict[str, tuple[str, tuple[str, ...], int]] = {}

    def add(self, node: str, label: str, aliases, cards: int) -> None:
        self._rows[node] = (label, tuple(aliases), cards)

    def cards(self, node: str) -> int:
        return self._rows[node][2]

    def __getitem__(self, node: str) -> dict:
        label, aliases, cards = self._rows[node]
        return {"id": node, "label": label, "aliases": list(aliases), "cards": cards}

    def __contains__(self, node) -> bool:
        return node in self._rows

    def __iter__(self):
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


class _Mentions(Mapping):
    """{concept: (its cards' numbers, their mention strengths)}, as slices of two arrays: a
    tuple of two array views per concept cost 300 bytes each."""

    def __init__(self, number: dict[str, int], cards: np.ndarray, strength: np.ndarray, bounds: np.ndarray):
        self._number, self._cards, self._strength, self._bounds = number, cards, strength, bounds

    def __getitem__(self, node: str) -> tuple[np.ndarray, np.ndarray]:
        n = self._number[node]
        start, end = self._bounds[n], self._bounds[n + 1]
        return self._cards[start:end], self._strength[start:end]

    def __contains__(self, node) -> bool:
        return node in self._number

    def __iter__(self):
        return iter(self._number)

    def __len__(self) -> int:
        return len(self._number)


class _Prefixes(Sequence):
    """The sorted (prefix, concept) pairs, held as two lists: a tuple per pair cost 56 bytes
    for each of 13 million pairs at a million cards."""

    def __init__(self, pairs):
        self.keys: list[str] = []
        self.nodes: list[str] = []
        for name, node in pairs:
            self.keys.append(name)
            self.nodes.append(node)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return list(zip(self.keys[i], self.nodes[i]))
        return self.keys[i], self.nodes[i]

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self):
        return zip(self.keys, self.nodes)


class SearchIndex(QueryReader):
    """Everything a query needs about one graph, built once: concept names, the hierarchy, card
    mentions, and a BM25F index of the card text, both stored as arrays over the cards. How a
    query is read against them is `QueryReader`'s (kg.search.query)."""

    def __init__(self, G: nx.MultiDiGraph):
        self.G = G
        self.card_ids = sorted(n for n, kind in G.nodes(data="kind") if kind == "card")
        self._card_number = {c: i for i, c in enumerate(self.card_ids)}
        self.n_cards = len(self.card_ids)
        vocabulary: set[str] = set()
        # Building makes millions of small objects that all live on: the cyclic collector would
        # rescan them again and again for nothing (a third of the build time at 20k cards).
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._index_concepts(vocabulary)
            self._index_text(vocabulary)
            self._index_edges()
        finally:
            if collecting:
                gc.enable()
        self._index_acronyms()
        self.vocabulary = sorted(w for w in vocabulary if len(w) >= FUZZY_MIN_LENGTH - 1)
        self.stem_vocabulary = {_stem_once(w) for w in vocabulary}

    def _index_concepts(self, vocabulary: set[str]) -> None:
        self.concepts = _Briefs()
        self.names: dict[str, list[frozenset[str]]] = {}
        self.by_stem: dict[str, set[str]] = defaultdict(set)
        prefixes: list[tuple[str, str]] = []
        # Acronym-like concepts and spelled-out names by their initials, paired in _index_acronyms.
        self._acronyms: dict[str, set[str]] = defaultdict(set)
        self._by_initials: dict[str, set[str]] = defaultdict(set)
        # A load's graph read from its file passes over its concepts without its cards' text.
        nodes = self.G.nodes_but_cards() if hasattr(self.G, "nodes_but_cards") else self.G.nodes(data=True)
        for node, d in nodes:
            if d.get("kind") != "concept":
                continue
            names = [d.get("key", ""), d.get("label", "")] + list(d.get("aliases", []))
            self.concepts.add(node, d.get("label", node), d.get("aliases", ()), d.get("cards", 0))
            stem_sets = []
            spelled = False
            for name in names:
                stems = frozenset(_stems(name, keep_stopwords=True)) - _NAME_FILLER
                if stems and stems not in stem_sets:
                    stem_sets.append(stems)
                words = _words(name)
                vocabulary.update(words)
                for i in range(len(words)):
                    prefixes.append((" ".join(words[i:]), node))
                if len(words) >= 2:
                    spelled = True
                    self._by_initials["".join(w[0] for w in words)].add(node)
                    meaningful = [w for w in words if w not in STOPWORDS]
                    if 2 <= len(meaningful) < len(words):
                        self._by_initials["".join(w[0] for w in meaningful)].add(node)
            if not spelled:  # a concept already spelled out has its acronym as an alias
                for name in names:
                    for key in acronym_keys(name):
                        self._acronyms[key].add(node)
            self.names[node] = stem_sets
            for stems in stem_sets:
                for s in stems:
                    self.by_stem[s].add(node)
        self.prefixes = _Prefixes(sorted(set(prefixes)))
        del prefixes
        self._prefix_keys = self.prefixes.keys

    def _index_text(self, vocabulary: set[str]) -> None:
        # BM25F (Robertson & Zaragoza): each field's term frequency is normalised by that
        # field's length, the question weighted over the answer, then saturated once. The
        # per-posting weight does not depend on the query, so it is computed here, as arrays.
        term_of_word: dict[str, int] = {}
        term_number: dict[str, int] = {}

        def term(word: str) -> int:
            if word in STOPWORDS:
                number = -1
            else:
                number = term_number.setdefault(_stem_once(word), len(term_number))
            term_of_word[word] = number
            return number

        # Machine integers, not lists of int objects: a million cards say hundreds of millions
        # of words, 8 bytes each here and 36 in a list.
        terms = array("q")
        slots = array("q")  # FIELDS * card + field
        field_len = np.zeros(FIELDS * self.n_cards, dtype=np.int64)
        counted: list[tuple[np.ndarray, np.ndarray]] = []

        def count_chunk() -> None:
            # One (term, card, field) key per distinct word of a field with its count; a chunk's
            # keys are its own (its cards'), so all chunks' keys sorted are the deck's.
            terms_a = np.frombuffer(terms, dtype=np.int64)
            slots_a = np.frombuffer(slots, dtype=np.int64)
            keep = terms_a >= 0
            terms_a, slots_a = terms_a[keep], slots_a[keep]
            field_len[:] += np.bincount(slots_a, minlength=FIELDS * self.n_cards)
            counted.append(np.unique(terms_a * FIELDS * self.n_cards + slots_a, return_counts=True))
            del terms_a, slots_a, keep
            del terms[:], slots[:]

        for i, node in enumerate(self.card_ids):
            d = self.G.nodes[node]
            # The third field is how the author filed the card: its deck path and its tags
            # ("Microeconomics::Market Structures", "market-structures").
            filed = " ".join([d.get("deck", ""), *d.get("tags", ())])
            for field, text in enumerate((d.get("question", ""), d.get("answer", ""), filed)):
                ids = [term_of_word[w] if w in term_of_word else term(w) for w in _TOKEN.findall(text.lower())]
                terms.extend(ids)
                slots.extend(array("q", (FIELDS * i + field,)) * len(ids))
            if (i + 1) % TEXT_CARDS_PER_CHUNK == 0:
                count_chunk()
        count_chunk()
        vocabulary.update(w for w, t in term_of_word.items() if t >= 0)
        field_len = field_len.reshape(-1, FIELDS).astype(float)
        norm = 1 - BM25_B + BM25_B * field_len / np.maximum(field_len.mean(axis=0) if self.n_cards else 1.0, 1.0)
        # one row per (term, card, field) with its count, sorted by term then card
        keys = np.concatenate([k for k, _ in counted])
        tf = np.concatenate([t for _, t in counted])
        del counted[:]
        order = np.argsort(keys)
        keys, tf = keys[order], tf[order]
        del order
        term_ids, slot = np.divmod(keys, FIELDS * self.n_cards)
        cards, field = np.divmod(slot, FIELDS)
        weighted = tf / norm[cards, field] * np.asarray(FIELD_WEIGHTS)[field]
        # fold the two fields of a card into one posting
        pair = term_ids * self.n_cards + cards
        starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]]) if len(pair) else pair
        tf_f = np.add.reduceat(weighted, starts) if len(pair) else weighted
        self._text_cards = cards[starts].astype(np.int32)
        self._text_weight = (tf_f * (BM25_K1 + 1) / (tf_f + BM25_K1)).astype(np.float32)
        bounds = np.searchsorted(term_ids[starts], np.arange(len(term_number) + 1))
        self._text_postings = {t: (int(bounds[n]), int(bounds[n + 1])) for t, n in term_number.items()}
        self._answer_norm = norm[:, 1]

    def _index_edges(self) -> None:
        self.children: dict[str, list[str]] = defaultdict(list)
        self.associated: dict[str, list[tuple[str, float]]] = defaultdict(list)
        concept_number: dict[str, int] = {}
        # Machine numbers, not lists of int objects: a million cards make 27 million mentions.
        owners, cards, in_question, counts = array("q"), array("q"), array("d"), array("d")
        # adjacency() hands out the graph's own dicts: no view objects per edge at 20k cards.
        for u, neighbours in self.G.adjacency():
            for v, edges in neighbours.items():
                for k, d in edges.items():
                    if k == "mentions":
                        owners.append(concept_number.setdefault(v, len(concept_number)))
                        cards.append(self._card_number[u])
                        in_question.append(1.0 if d.get("in_question") else 0.0)
                        counts.append(d.get("count", 1))
                    elif k == "is_a":
                        self.children[v].append(u)
                    elif k == "co_occurs" and d.get("shared", 0) >= MIN_ASSOCIATED_CARDS \
                            and d.get("weight", 0.0) >= MIN_ASSOCIATION:
                        self.associated[u].append((v, d["weight"]))
                        self.associated[v].append((u, d["weight"]))
        # A mention's BM25F frequency: a question mention counts as QUESTION_FIELD_WEIGHT answer
        # mentions, and answer mentions are discounted on long answers, so a concept in a
        # boilerplate list at the end of an 11k-character answer weighs little.
        owners_a = np.frombuffer(owners, dtype=np.int64)
        cards_a = np.frombuffer(cards, dtype=np.int64).astype(np.int32)
        in_q = np.frombuffer(in_question, dtype=float)
        tf = QUESTION_FIELD_WEIGHT * in_q + np.maximum(np.frombuffer(counts, dtype=float) - in_q, 0) \
            / self._answer_norm[cards_a]
        strength = np.minimum(tf * (BM25_K1 + 1) / (tf + BM25_K1) / MENTION_SCALE, 1.0)
        order = np.argsort(owners_a, kind="stable")
        cards_a, strength = cards_a[order], strength[order]
        bounds = np.searchsorted(owners_a[order], np.arange(len(concept_number) + 1))
        self.mentions = _Mentions(concept_number, cards_a, strength, bounds)

    def _index_acronyms(self) -> None:
        """Pair each acronym concept ("NAT", "MoE") with the spelled-out concept it stands for
        ("network address translation", "mixture of experts") when a card asks about one and
        names the other, as a card defining the acronym does. The reader links "Name (ACR)"
        itself; a deck that writes "What is NAT? Network Address Translation rewrites..." leaves
        two concepts, and a query naming one would miss the cards that only use the other."""
        self.acronym_partners: dict[str, list[str]] = {}
        acronyms, by_initials = self._acronyms, self._by_initials
        del self._acronyms, self._by_initials
        # Names by the initials an acronym of them would be: a query word typed as an acronym the
        # deck never writes ("CLT") is read as the one name it stands for (kg.search.query).
        self.by_initials: dict[str, list[str]] = {
            key: sorted(nodes) for key, nodes in by_initials.items() if 2 <= len(key) <= MAX_ACRONYM_LETTERS}
        # A common acronym ("ML") meets many names with its initials: each concept's asking and
        # naming cards are gathered once, not once per candidate pair (a hub has 10,000s of edges).
        self._cards_of: dict[str, tuple[set, set]] = {}
        for key in sorted(acronyms):
            for short in sorted(acronyms[key]):
                for full in sorted(by_initials.get(key, ())):
                    if full not in self.acronym_partners.get(short, ()) and self._defined_together(short, full):
                        self.acronym_partners.setdefault(short, []).append(full)
                        self.acronym_partners.setdefault(full, []).append(short)
        del self._cards_of

    def _asked_and_named(self, node: str) -> tuple[set, set]:
        """The cards that ask about `node` (it is in their question) and the cards that name it."""
        if node not in self._cards_of:
            asked = {u for u, _, k, d in self.G.in_edges(node, keys=True, data=True)
                     if k == "mentions" and d.get("in_question")}
            self._cards_of[node] = (asked, {self.card_ids[i] for i in self.mentions[node][0]})
        return self._cards_of[node]

    def _defined_together(self, short: str, full: str) -> bool:
        """Whether a card asks about one of the concepts and names the other a few words from
        it, as "What is NAT? Network Address Translation..." does (an acronym and a name with
        the same initials far apart on a long card are not one defining the other)."""
        if short not in self.mentions or full not in self.mentions:
            return False
        (asked_short, named_short), (asked_full, named_full) = self._asked_and_named(short), self._asked_and_named(full)
        cards = (asked_short & named_full) | (asked_full & named_short)
        if not cards:
            return False
        d_short, d_full = self.G.nodes[short], self.G.nodes[full]
        marks = {_singular(w) for name in [d_short.get("label", "")] + list(d_short.get("aliases", []))
                 for w in _words(name)}
        spelled = [[_stem_once(w) for w in _words(name)]
                   for name in [d_full.get("key", ""), d_full.get("label", "")] + list(d_full.get("aliases", []))]
        spelled = [name for name in spelled if len(name) >= 2]
        for card in sorted(cards):
            d = self.G.nodes[card]
            words = _words(f"{d.get('question', '')}\n{d.get('answer', '')}")
            stems = [_stem_once(w) for w in words]
            at = [i for i, w in enumerate(words) if _singular(w) in marks]
            for name in spelled:
                starts = [i for i in range(len(stems) - len(name) + 1) if stems[i:i + len(name)] == name]
                if any(-ACRONYM_WINDOW - len(name) <= j - i <= ACRONYM_WINDOW for i in starts for j in at):
                    return True
        return False

    # -- what the index knows of a word or a concept ---------------------------------------

    def document_frequency(self, word: str) -> int:
        """How many cards use `word` (any form of it) in their text."""
        start, end = self._text_postings.get(_stem_once(word.lower()), (0, 0))
        return end - start

    def idf(self, s: str) -> float:
        start, end = self._text_postings.get(s, (0, 0))
        df = end - start + len(self.by_stem.get(s, ()))
        return math.log(1 + (self.n_cards + 1) / (df + 0.5))

    def card_count(self, node: str) -> int:
        """How many cards mention the concept `node`."""
        return self.concepts.cards(node)

    def prefetch_concepts(self, nodes) -> None:
        """Say which concepts' briefs are about to be read."""

    def prefetch_children(self, nodes) -> None:
        """Say which concepts' kinds are about to be read (an index reading them from a store
        asks for them at once)."""

    # -- card scores -----------------------------------------------------------------------

    def concept_scores(self, stems: list[str], matched: dict) -> np.ndarray:
        """Per card, in [0, 1]: each query word credited once, by the best concept on the card
        naming it, weighted by the word's idf. A card about "vision transformer" *and* "token"
        beats one about either."""
        weights = {s: self.idf(s) for s in dict.fromkeys(stems)}
        total = sum(weights.values()) or 1.0
        columns: dict[str, np.ndarray] = {}
        mentioned = set()
        for batch in self.mention_batches(matched):
            # Per query word, every naming concept's (cards, values) of the batch, maxed in one
            # call: a word may name thousands of concepts.
            found: dict[str, tuple[list, list]] = {}
            for node, (cards, strength) in batch:
                mentioned.add(node)
                _, hit, quality = matched[node]
                value = quality * strength
                for s in hit:
                    lists = found.setdefault(s, ([], []))
                    lists[0].append(cards)
                    lists[1].append(value)
            for s, (cards, values) in found.items():
                if s not in columns:
                    columns[s] = np.zeros(self.n_cards)
                np.maximum.at(columns[s], np.concatenate(cards), np.concatenate(values))
        scores = np.zeros(self.n_cards)
        # Summed in the order the words first come in `matched`, however the batches came.
        for s in dict.fromkeys(s for node, (_, hit, _) in matched.items() if node in mentioned for s in hit):
            column = columns[s]
            column *= weights[s] / total
            scores += column
        return scores

    def mention_batches(self, nodes):
        """The (cards, strengths) of those of the concepts `nodes` that have mentions, in lists
        of (node, (cards, strengths)), in any order: here one list (the arrays are kept anyway)."""
        yield [(node, self.mentions[node]) for node in nodes if node in self.mentions]

    def text_scores(self, stems: list[str], factors: dict[str, float] | None = None) -> np.ndarray:
        """BM25F of each card for the query stems, each stem's share times its factor (default 1)."""
        scores = np.zeros(self.n_cards)
        for s in dict.fromkeys(stems):
            start, end = self._text_postings.get(s, (0, 0))
            if start == end:
                continue
            idf = math.log(1 + (self.n_cards - (end - start) + 0.5) / (end - start + 0.5))
            scores[self._text_cards[start:end]] += idf * (factors or {}).get(s, 1.0) * self._text_weight[start:end]
        return scores

    # -- answers ---------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 20) -> dict:
        stems = self.topic_stems(query, self.query_stems(query))
        matched = self.concept_matches(stems)
        # Fusion of two rankings by normalised scores (CombSUM): the concept match keeps its
        # absolute scale (1 = the card is squarely about what was asked), the text score is
        # relative to the best card for this query.
        # A one-word query reads the deck's derived forms of its word in the text too ("buddhist"
        # finds the cards filed under "Buddhism"), weaker, as it does in concept names.
        derived = self.derived_stems(list(dict.fromkeys(stems))) if len(set(stems)) == 1 else {}
        factors = {d: DERIVED_FACTOR for d in derived}
        # Query words read as an acronym the deck writes ("blood pressure" as BP) read it in the
        # text too: the cards that only write the acronym share no word with the query.
        for node, (_, _, factor) in self.acronyms_spelled_out(stems, matched).items():
            for name in self.names[node]:
                factors.update((s, factor) for s in name if s not in stems)
        text = self.text_scores([*stems, *factors], factors)
        top_text = text.max(initial=0.0) or 1.0
        # In place, the same operations in the same order: a million cards make each array 8 MB.
        scores = self.concept_scores(stems, matched)
        scores *= CONCEPT_WEIGHT
        text *= 1 - CONCEPT_WEIGHT
        text /= top_text
        scores += text
        del text
        hits = np.flatnonzero(scores > 0)
        if len(hits) > limit:
            hits = hits[np.argpartition(-scores[hits], limit - 1)[:limit]]
            # keep every card tied with the last one, so ties break by id, not by partition
            hits = np.flatnonzero(scores >= scores[hits].min())
        ids = self.card_names(hits)
        ranked_cards = sorted(((ids[i], float(scores[i])) for i in hits),
                              key=lambda kv: (-kv[1], kv[0]))[:limit]
        ranked_concepts = sorted(
            (n for n in matched if matched[n][0] > 0), key=lambda n: (-matched[n][0], -self.card_count(n), n)
        )[:limit]
        # A question typed as a sentence ("how to detect skew") names no concept whole; the
        # concepts its words name ("training-serving skew") are still where to go next. They are
        # listed, marked as such, and do not change the cards' ranking.
        by_word = not ranked_concepts and len(set(stems)) > 1
        if by_word:
            ranked_concepts = self.concepts_of_words(stems, limit)
        self.prefetch_concepts(ranked_concepts)
        return {
            "concepts": [dict(self.concepts[n]) for n in ranked_concepts],
            "concepts_by_word": by_word and bool(ranked_concepts),
            "cards": [dict(brief, score=round(s, 4)) for brief, (_, s) in
                      zip(self.card_briefs([c for c, _ in ranked_cards]), ranked_cards)],
        }

    def card_names(self, numbers) -> dict[int, str]:
        """{card number: card node id} of the cards numbered `numbers` (an index keeps numbers)."""
        return {int(i): self.card_ids[i] for i in numbers}

    def card_briefs(self, cards: list[str]) -> list[dict]:
        """`{"id", "question", "answer", "deck"}` of each card, in order."""
        nodes = self.G.nodes
        return [{"id": c, **{f: nodes[c].get(f, "") for f in BRIEF_FIELDS}} for c in cards]

    def suggest(self, prefix: str, *, limit: int = 10) -> list[dict]:
        wanted = " ".join(_words(prefix))
        if not wanted:
            return []
        found: dict[str, tuple] = {}
        i = bisect.bisect_left(self._prefix_keys, wanted)
        while i < len(self.prefixes) and self._prefix_keys[i].startswith(wanted):
            name, node = self.prefixes[i]
            whole = self._is_whole_name(node, name)
            rank = (not whole, -self.concepts.cards(node), len(name))
            if node not in found or rank < found[node]:
                found[node] = rank
            i += 1
        if len(found) < limit:
            # Nothing (or little) starts so: let a misspelt prefix find its concept.
            for name, score, _ in process.extract(wanted, self._prefix_keys, scorer=fuzz.partial_ratio,
                                                  score_cutoff=FUZZY_CUTOFF, limit=limit * 3):
                for node in self._nodes_named(name):
                    found.setdefault(node, (True, 1, -score, len(name)))
        ranked = sorted(found, key=lambda n: (found[n], n))[:limit]
        return [dict(self.concepts[n]) for n in ranked]

    def _is_whole_name(self, node: str, name: str) -> bool:
        return name in self.whole_names(node)

    def whole_names(self, node: str) -> set[str]:
        """The concept's names as its prefixes spell them (each the prefix of all its words)."""
        d = self.G.nodes[node]
        return {" ".join(_words(n)) for n in [d.get("key", ""), d.get("label", "")] + d.get("aliases", [])}

    def _nodes_named(self, name: str) -> list[str]:
        i = bisect.bisect_left(self._prefix_keys, name)
        nodes = []
        while i < len(self.prefixes) and self._prefix_keys[i] == name:
            nodes.append(self.prefixes[i][1])
            i += 1
        return nodes
