"""Reading a query: its words as the deck writes them, and the concepts they name.

A word the deck never uses is joined with the next word, split in two, spelled out from its
initials ("CLT"), read as the deck word it is made from ("postal": "post") or corrected to the
closest deck word (`QueryReader.query_stems`); words that only shape the question are dropped
(`topic_stems`); a one-word query also reads the deck's words derived from it (kg.derivations).
The words then name concepts (`concept_matches`): by their names, their acronyms, the concepts
taught with them and their kinds. `kg.search.index.SearchIndex` ranks cards with what this finds.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict

from rapidfuzz import fuzz, process

from kg.derivations import MIN_SHARED, relatives
from kg.nlp.generic import zipf
from kg.search.words import STOPWORDS, _stem_once, _words, acronym_keys

FUZZY_CUTOFF = 80
FUZZY_MIN_LENGTH = 4
# A concept brings its kinds (is_a children) at this fraction of its own score, per level.
CHILD_FACTOR = 0.8
# Query words naming one concept may stand this many words further apart than the name is long.
NAME_WINDOW_SLACK = 1
MIN_CONCEPT_SCORE = 0.2
# A concept matched at least this well brings its strongly associated concepts (co-occurring
# on kg.search.index.MIN_ASSOCIATED_CARDS cards with at least MIN_ASSOCIATION weight), at
# ASSOCIATED_FACTOR.
MIN_EXPANDED_SCORE = 0.5
ASSOCIATED_FACTOR = 0.5
SUBPART_FACTOR = 0.3
# A concept named by a word derived from the query's ("volcanic arc" for "volcanoes") counts for
# that query word at this fraction (kg.derivations).
DERIVED_FACTOR = 0.6
# An acronym brings its spelled-out concept (and back) at this fraction of its own match; so do
# query words whose initials spell an acronym the deck never spells out (at most this many words).
ACRONYM_FACTOR = 0.95
MAX_ACRONYM_LETTERS = 6
# An acronym no card defines and the one name its letters are the initials of bring each other
# far behind: the cards that write what the query typed lead.
NAMED_ACRONYM_FACTOR = 0.5
# A concept named whole inside a longer query counts if it carries this share of the query.
MIN_CONTAINED_SHARE = 0.1
# A query word at least this common in English (kg.nlp.generic.zipf: "make" 6.1, "need" 6.0,
# "much" 6.0; "data" 5.3 and "number" 5.6 are below) that names no concept shapes the question
# rather than saying what it asks about.
FILLER_ZIPF = 5.9
# A query word at least this common in English ("grows" 3.6, "fire" 4.9) is spelt as meant: the
# deck does not use it, and the nearest deck word ("gross") is another word, not its correction.
# Misspellings are far rarer ("consistant" 2.0, "latancy" 0).
TYPO_ZIPF = 3.0
# A word the deck never uses, made from a deck word by one of these suffixes, is that word
# ("postal" in a deck that says "post").
_ADJECTIVE_SUFFIXES = ("ical", "ial", "al", "ic", "ous", "ive")
MIN_BASE = 4
# A query's words as typed, to tell an acronym typed in capitals ("PIE") from a word ("pie").
_WORD_AS_TYPED = re.compile(r"[A-Za-z0-9]+")


def _halves_pairs(word: str) -> list[tuple[str, str]]:
    """Every split of `word` in two non-empty halves."""
    return [(word[:i], word[i:]) for i in range(1, len(word))]


def _halves(word: str) -> list[str]:
    return [half for pair in _halves_pairs(word) for half in pair]


def _bases(word: str) -> list[str]:
    """The words `word` may derive from by an adjective suffix, longest suffix first: "postal" ->
    "post", "rhythmic" -> "rhythm"; each keeps at least MIN_BASE letters. A deck that never says
    "general" but says "generation" has no word "gener": the base must be a word of the deck."""
    return [word[: -len(suffix)] for suffix in _ADJECTIVE_SUFFIXES
            if word.endswith(suffix) and len(word) - len(suffix) >= MIN_BASE]


def _together(hit: frozenset, position: dict[str, list[int]], name_length: int) -> bool:
    """Whether the query words naming a concept stand close together: within a window the size
    of the name plus NAME_WINDOW_SLACK words, so "scaling reads of a database" still names
    "database scaling" but "data ... transformers" does not name "data transformation"."""
    span = NAME_WINDOW_SLACK + max(name_length, len(hit))
    starts = sorted(p for s in hit for p in position[s])
    return any(all(any(p <= q < p + span for q in position[s]) for s in hit) for p in starts)


def query_words(query: str) -> list[str]:
    """The words of `query` that say what it asks about, for marking in card text: no stop words
    and none as common in English as "make" or "much" (FILLER_ZIPF)."""
    return [w for w in _words(query) if w not in STOPWORDS and zipf(w) < FILLER_ZIPF]


class QueryReader:
    """How a query is read against one deck: the part of `kg.search.index.SearchIndex` that
    turns the query's words into stems and the stems into concepts.

    It reads the index's `vocabulary`, `stem_vocabulary`, `by_stem`, `names`, `children`,
    `associated`, `acronym_partners` and `by_initials`, and calls its `idf`, `card_count` and
    `prefetch_children`; an index read from tables (kg.store.sql_search) overrides the lookups
    and reads queries with this same code.
    """

    # -- query understanding ---------------------------------------------------------------

    def query_stems(self, query: str) -> list[str]:
        """The query's stems in order. A word the deck never uses is read as the deck writes it:
        joined with the next query word ("ipv 4" -> "ipv4"), split in two where a concept name of
        the deck holds both halves ("halflife" -> "half life", "synack" -> "SYN-ACK"), spelled out
        where it is typed as the acronym of one concept name ("CLT" -> "central limit theorem"),
        else replaced by its closest deck word ("kubeflo" -> "kubeflow") unless it is a common
        English word (TYPO_ZIPF)."""
        words = [w for w in _words(query) if w not in STOPWORDS]
        in_capitals = {w.lower() for w in _WORD_AS_TYPED.findall(query) if len(w) >= 2 and w.isupper()}
        candidates = [_stem_once(w) for w in words]
        candidates += [_stem_once(a + b) for a, b in zip(words, words[1:])]
        candidates += [_stem_once(half) for w in words for half in _halves(w)]
        known = self.known_stems(candidates)
        stems, i = [], 0
        while i < len(words):
            word = words[i]
            s = _stem_once(word)
            if s not in known:
                joined = _stem_once(word + words[i + 1]) if i + 1 < len(words) else None
                split = self._split(word, known)
                if joined in known:
                    stems.append(joined)
                    i += 2
                    continue
                if split:
                    stems.extend(split)
                    i += 1
                    continue
                spelled = self._spelled_out(word, word in in_capitals)
                if spelled:
                    stems.extend(spelled)
                    i += 1
                    continue
                base = next((b for b in _bases(word) if b in self.words_starting(b)), None)
                if base:
                    stems.append(_stem_once(base))
                    i += 1
                    continue
                if len(word) >= FUZZY_MIN_LENGTH:
                    fixed = self.corrected(word)
                    # A common word ("sheer") is a typo only where the fix and a word beside it
                    # name a concept together ("wind shear"); alone it is spelt as meant ("grows").
                    if fixed and (zipf(word) < TYPO_ZIPF or self._names_with_neighbour(fixed, words, i)):
                        s = fixed
            stems.append(s)
            i += 1
        return stems

    def _spelled_out(self, word: str, in_capitals: bool) -> list[str] | None:
        """The stems of the one concept name whose initials `word` is ("CLT" -> central limit
        theorem), when `word` is typed as an acronym: in capitals, or too rare in English to be a
        word (TYPO_ZIPF: "pie" in lower case is a pie)."""
        if not (2 <= len(word) <= MAX_ACRONYM_LETTERS and word.isalpha()):
            return None
        if not (in_capitals or zipf(word) < TYPO_ZIPF):
            return None
        names = {name for node in self.by_initials.get(word, ()) for name in self.names[node]
                 if len(name) >= 2 and sorted(s[0] for s in name) == sorted(word)}
        return sorted(names.pop()) if len(names) == 1 else None

    def _names_with_neighbour(self, fixed: str, words: list[str], i: int) -> bool:
        neighbours = [_stem_once(words[j]) for j in (i - 1, i + 1) if 0 <= j < len(words)]
        known = self.known_stems(neighbours)
        return any(n != fixed and n in known and self._named_together(fixed, n) for n in neighbours)

    def known_stems(self, stems: list[str]) -> set[str]:
        """Those of `stems` some card or concept name of the deck uses."""
        return {s for s in stems if s in self.stem_vocabulary}

    def corrected(self, word: str) -> str | None:
        """The stem of the deck word closest to the misspelt `word`, if one is close enough."""
        match = process.extractOne(word, self.vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return None if match is None else _stem_once(match[0])

    def _split(self, word: str, known: set[str]) -> list[str] | None:
        """`word` as two deck words that one concept name holds together, the most even split
        first: a name written apart or hyphenated in the deck and typed as one word."""
        for left, right in sorted(_halves_pairs(word), key=lambda lr: -min(len(lr[0]), len(lr[1]))):
            a, b = _stem_once(left), _stem_once(right)
            if a in known and b in known and self._named_together(a, b):
                return [a, b]
        return None

    def _named_together(self, a: str, b: str) -> bool:
        both = set(self.by_stem.get(a, ())) & set(self.by_stem.get(b, ()))
        return any(a in name and b in name for node in sorted(both) for name in self.names[node])

    def topic_stems(self, query: str, stems: list[str]) -> list[str]:
        """`stems` (those of the query's words outside STOPWORDS, in order) less the words that
        only shape the question: as common in English as "make", "need" or "much" (Zipf
        FILLER_ZIPF) and in no concept name of the deck. A rare word of the deck ("much" in a
        deck of three hundred cards) would otherwise outweigh the words that say what is asked."""
        words = [w for w in _words(query) if w not in STOPWORDS]
        if len(words) == len(stems):
            common = [zipf(w) >= FILLER_ZIPF for w in words]
        else:  # words were joined or split: judge the stems that are a query word's own
            own = {_stem_once(w): zipf(w) >= FILLER_ZIPF for w in words}
            common = [own.get(s, False) for s in stems]
        kept = [s for s, c in zip(stems, common) if not c or self.by_stem.get(s)]
        return kept or stems

    # -- the concepts a query names --------------------------------------------------------

    def match_concepts(self, stems: list[str]) -> dict[str, float]:
        """Concepts named by the query, scored in (0, 1]: all query words in a short name is 1."""
        return {node: m[0] for node, m in self.concept_matches(stems).items() if m[0] > 0}

    def concept_matches(self, stems: list[str]) -> dict[str, tuple[float, frozenset, float]]:
        """Concepts the query names: `{node: (score, query stems it covers, quality)}`.

        `score` ranks the concept itself (all the query in a short name is 1). A concept whose
        whole name stands together inside a longer query ("vision transformer" in "why do vision
        transformers need so much data") counts too, for the query words it covers; words far
        apart in the query ("data ... transformers") do not name "data transformation".
        `quality` says how much of the name the query matched, less for kinds reached through
        the hierarchy.
        """
        if not stems:
            return {}
        position: dict[str, list[int]] = defaultdict(list)
        for i, s in enumerate(stems):
            position[s].append(i)
        weights = {s: self.idf(s) for s in position}
        total = sum(weights.values()) or 1.0
        # A deck word derived from a one-word query ("volcanic" for "volcanoes") names it too,
        # weaker; in a longer query the words already say which form is meant ("positional encoding").
        derived = self.derived_stems(list(position)) if len(position) == 1 else {}
        candidates = set().union(*(self.by_stem.get(s, set()) for s in [*position, *derived]))
        found: dict[str, tuple[float, frozenset, float]] = {}
        for node in candidates:
            best = None
            for name in self.names[node]:
                direct = frozenset(s for s in position if s in name)
                through = frozenset(derived[d] for d in derived if d in name) - direct
                hit = direct | through
                if not hit or (len(hit) > 1 and not _together(hit, position, len(name))):
                    continue
                share = (sum(weights[s] for s in direct) + DERIVED_FACTOR * sum(weights[s] for s in through)) / total
                precision = (len(direct) + DERIVED_FACTOR * len(through)) / len(name)
                score = share * share * (0.5 + 0.5 * precision)
                if best is None or (score, precision) > (best[0], best[2]):
                    best = (score, hit, precision)
            if best is None:
                continue
            score, hit, precision = best
            contained = precision == 1.0 and sum(weights[s] for s in hit) / total >= MIN_CONTAINED_SHARE
            if score >= MIN_CONCEPT_SCORE or contained:
                found[node] = best
        for node, entry in self.acronyms_spelled_out(stems, found).items():
            if node not in found or found[node][2] < entry[2]:
                found[node] = entry
        for node, entry in self._names_of_acronyms(found).items():
            if node not in found or found[node][2] < entry[2]:
                found[node] = entry
        # An acronym and its spelled-out name are one thing: each brings the other, a hair
        # behind, so the form the query used leads.
        for node, (score, hit, quality) in list(found.items()):
            for partner in self.acronym_partners.get(node, ()):
                entry = (score * ACRONYM_FACTOR, hit, quality * ACRONYM_FACTOR)
                if partner not in found or found[partner][2] < entry[2]:
                    found[partner] = entry
        # Words of the query that together name a concept ("positional encoding") are that
        # concept: a concept named by only some of them ("encoder") earns little for them.
        segments = [hit for _, hit, precision in found.values() if precision == 1.0 and len(hit) > 1]
        for node, (score, hit, quality) in list(found.items()):
            if any(hit < segment for segment in segments):
                found[node] = (score, hit, quality * SUBPART_FACTOR)
        # A concept the query names squarely brings the concepts taught with it ("contrastive
        # learning" brings SimCLR), far behind: they fill the list after the direct hits.
        for node, (score, hit, quality) in list(found.items()):
            if score < MIN_EXPANDED_SCORE:
                continue
            for other, weight in self.associated.get(node, ()):
                entry = (0.0, hit, quality * ASSOCIATED_FACTOR * weight)  # not named: no rank of its own
                if other not in found or found[other][2] < entry[2]:
                    found[other] = entry
        # A concept brings its kinds, a little behind itself.
        frontier = list(found.items())
        while frontier:
            self.prefetch_children(node for node, _ in frontier)
            nxt = []
            for node, (score, hit, quality) in frontier:
                for child in self.children.get(node, ()):
                    entry = (score * CHILD_FACTOR, hit, quality * CHILD_FACTOR)
                    if entry[2] > found.get(child, (0.0, hit, 0.0))[2] and entry[2] >= MIN_CONCEPT_SCORE:
                        found[child] = entry
                        nxt.append((child, entry))
            frontier = nxt
        return found

    def acronyms_spelled_out(self, stems: list[str], found: dict) -> dict[str, tuple[float, frozenset, float]]:
        """Acronym concepts the deck writes but never spells out, named by query words that stand
        together and whose initials spell them: "blood pressure" names "BP" in a deck that only
        says BP (`concept_matches` pairs an acronym with a name only when a card defines it).
        Words that name a concept of `found` whole ("venous return") are that concept; if they
        name it squarely and the acronym's letters stand for no other name ("stroke volume" and
        "SV", never on one card), they bring the acronym far behind (NAMED_ACRONYM_FACTOR)."""
        named: dict[frozenset, list[tuple[str, float]]] = defaultdict(list)
        for node, (score, hit, precision) in found.items():
            if precision == 1.0:
                named[hit].append((node, score))
        weights = {s: self.idf(s) for s in stems}
        total = sum(weights.values()) or 1.0
        out: dict[str, tuple[float, frozenset, float]] = {}
        for start in range(len(stems)):
            for end in range(start + 2, min(start + MAX_ACRONYM_LETTERS, len(stems)) + 1):
                hit = frozenset(stems[start:end])
                letters = "".join(s[0] for s in stems[start:end])
                factor = ACRONYM_FACTOR
                if any(hit <= other for other in named):
                    squarely = {node for node, score in named.get(hit, ()) if score >= MIN_EXPANDED_SCORE}
                    names = set(self.by_initials.get(letters, ()))
                    if any(hit < other for other in named) or not squarely or not names or not names <= squarely:
                        continue
                    factor = NAMED_ACRONYM_FACTOR
                for node in sorted(self.by_stem.get(_stem_once(letters), ())):
                    brief = self.concepts[node]
                    spelled = any(letters in acronym_keys(n) for n in [brief["label"], *brief["aliases"]])
                    # A concept with a name of several words is spelled out already ("machine
                    # learning" with its alias "ML" is not named by "maturity levels").
                    if not spelled or any(len(n) > 1 for n in self.names[node]) or self.acronym_partners.get(node):
                        continue
                    share = sum(weights[s] for s in hit) / total
                    out[node] = (share * share * factor, hit, factor)
        return out

    def _names_of_acronyms(self, found: dict) -> dict[str, tuple[float, frozenset, float]]:
        """The one concept name whose initials an acronym concept the query names squarely is,
        when no card defines the acronym ("EDV" and "end-diastolic volume" on different cards),
        far behind (NAMED_ACRONYM_FACTOR): the cards that write the acronym lead."""
        out: dict[str, tuple[float, frozenset, float]] = {}
        for node, (score, hit, quality) in found.items():
            if quality < 1.0 or len(hit) != 1 or self.acronym_partners.get(node):
                continue
            if any(len(n) > 1 for n in self.names[node]):
                continue
            brief = self.concepts[node]
            # The letters as written ("IgA" is "iga", not the "ia" of its capitals alone).
            for key in {k for n in [brief["label"], *brief["aliases"]] for k in acronym_keys(n)[:1]}:
                fulls = [c for c in self.by_initials.get(key, ()) if c != node]
                if len(fulls) == 1:
                    entry = (score * NAMED_ACRONYM_FACTOR, hit, quality * NAMED_ACRONYM_FACTOR)
                    if fulls[0] not in out or out[fulls[0]][2] < entry[2]:
                        out[fulls[0]] = entry
        return out

    def derived_stems(self, stems: list[str]) -> dict[str, str]:
        """{stem of a deck word derived from a query stem, or that it derives from: that query
        stem} (kg.derivations), for the query stems `stems`."""
        out: dict[str, str] = {}
        for s in stems:
            # The deck's words of this stem ("instrument", "instruments" of "instru"), each read
            # for the words derived from it.
            forms = [w for w in self.words_starting(s) if _stem_once(w) == s] if len(s) >= MIN_SHARED else []
            for form in forms or [s]:
                for word in relatives(form, self.words_starting):
                    d = _stem_once(word)
                    if d not in stems and d != s:
                        out.setdefault(d, s)
        return out

    def words_starting(self, prefix: str) -> list[str]:
        """The deck's words that start with `prefix`."""
        i = bisect.bisect_left(self.vocabulary, prefix)
        out = []
        while i < len(self.vocabulary) and self.vocabulary[i].startswith(prefix):
            out.append(self.vocabulary[i])
            i += 1
        return out

    def concepts_of_words(self, stems: list[str], limit: int) -> list[str]:
        """The concepts each of the query's words names on its own, the rarer word's first."""
        weights = {s: self.idf(s) for s in dict.fromkeys(stems)}
        best: dict[str, float] = {}
        for s, weight in weights.items():
            for node, (score, _, _) in self.concept_matches([s]).items():
                if score > 0:
                    best[node] = max(best.get(node, 0.0), score * weight)
        return sorted(best, key=lambda n: (-best[n], -self.card_count(n), n))[:limit]
