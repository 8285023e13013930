"""Find cards by concept: a query is read as concepts first, words second.

A query matches concept names (keys, labels, aliases and acronyms) word by word after light
stemming, so "retraining" meets "retrain models" and "explainability" meets "Explainable AI";
misspelt words are corrected against the deck's vocabulary ("kubeflo"); a matched concept brings
its kinds along ("drift" finds concept drift, data drift…, after drift itself). Cards are ranked
by how they mention the matched concepts, with BM25 over the card text as the extra signal and
the fallback when no concept matches.

The index is built once per graph (`search_index(G)`) and answers in milliseconds.
"""

from __future__ import annotations

import bisect
import math
import re
import weakref
from collections import Counter, defaultdict
from functools import lru_cache

import networkx as nx
from rapidfuzz import fuzz, process

__all__ = ["SearchIndex", "search", "search_index", "stem", "suggest"]

_TOKEN = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    """a an the and or of to in on for with by from at as is are was were be been being it its
    this that these those what which who whom how why when where do does did can could should
    would will may might must i you we they he she my your our their me us them about into over
    than then so such not no yes vs via between explain describe define compare contrast list
    outline give name""".split()
)
# Longest first: the first suffix that leaves a stem of MIN_STEM letters is removed.
_SUFFIXES = (
    "izations", "isations", "ization", "isation", "abilities", "ibilities", "ability", "ibility",
    "ations", "ation", "ments", "ment", "ings", "ing", "ities", "ity", "izes", "ized", "izer",
    "ize", "ises", "ised", "able", "ible", "ness", "ers", "er", "ies", "ed",
)
_VOWELS = set("aeiou")
MIN_STEM = 3
FUZZY_CUTOFF = 80
FUZZY_MIN_LENGTH = 4
# A concept brings its kinds (is_a children) at this fraction of its own score, per level.
CHILD_FACTOR = 0.8
# Share of a card's score that full-text BM25 can add on top of the concept match.
TEXT_WEIGHT = 0.35
MIN_CONCEPT_SCORE = 0.2
# A concept matched at least this well brings its strongly associated concepts (co-occurring
# on MIN_ASSOCIATED_CARDS cards with at least MIN_ASSOCIATION weight), at ASSOCIATED_FACTOR.
MIN_EXPANDED_SCORE = 0.5
MIN_ASSOCIATED_CARDS = 2
MIN_ASSOCIATION = 0.5
ASSOCIATED_FACTOR = 0.5
SUBPART_FACTOR = 0.3
# A concept named whole inside a longer query counts if it carries this share of the query.
MIN_CONTAINED_SHARE = 0.1
BM25_K1, BM25_B = 1.2, 0.75


def stem(word: str) -> str:
    """A light suffix stemmer: inflections and derivations of a word meet on one stem.

    >>> [stem(w) for w in ("containers", "containerization", "retraining", "retrain")]
    ['contain', 'contain', 'retrain', 'retrain']
    >>> stem("explainability") == stem("explainable")
    True
    """
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            word = word[: -len(suffix)]
            break
    else:
        if word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
            word = word[:-2]  # classes, boxes
        elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > MIN_STEM:
            word = word[:-1]
        elif word.endswith("y") and len(word) > MIN_STEM and word[-2] not in _VOWELS:
            word = word[:-1]  # dependency ~ dependencies
    if word.endswith("e") and len(word) > MIN_STEM + 1:
        word = word[:-1]  # feature ~ featur(es)
    # "containerization" -> "container" -> "contain": the agent noun meets its verb.
    if word.endswith("er") and len(word) - 2 > MIN_STEM:
        word = word[:-2]
    return word


_NAME_FILLER = frozenset({"and", "of", "the"})
# A deck has tens of thousands of distinct words and millions of tokens: stem each word once.
_stem_once = lru_cache(maxsize=1 << 18)(stem)


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _stems(text: str, *, keep_stopwords: bool = False) -> list[str]:
    return [_stem_once(w) for w in _words(text) if keep_stopwords or w not in STOPWORDS]


class SearchIndex:
    """Everything a query needs about one graph, built once: concept names, the hierarchy,
    card mentions, and a BM25 index of the card text."""

    def __init__(self, G: nx.MultiDiGraph):
        self.G = G
        self.concepts: dict[str, dict] = {}
        self.names: dict[str, list[frozenset[str]]] = {}
        self.by_stem: dict[str, set[str]] = defaultdict(set)
        self.children: dict[str, list[str]] = defaultdict(list)
        self.mentions: dict[str, list[tuple[str, float]]] = defaultdict(list)
        self.associated: dict[str, list[tuple[str, float]]] = defaultdict(list)
        prefixes: list[tuple[str, str]] = []
        vocabulary: set[str] = set()

        for node, d in G.nodes(data=True):
            if d.get("kind") != "concept":
                continue
            names = [d.get("key", ""), d.get("label", "")] + list(d.get("aliases", []))
            self.concepts[node] = {"id": node, "label": d.get("label", node),
                                   "aliases": list(d.get("aliases", [])), "cards": d.get("cards", 0)}
            stem_sets = []
            for name in names:
                stems = frozenset(_stems(name, keep_stopwords=True)) - _NAME_FILLER
                if stems and stems not in stem_sets:
                    stem_sets.append(stems)
                words = _words(name)
                vocabulary.update(words)
                for i in range(len(words)):
                    prefixes.append((" ".join(words[i:]), node))
            self.names[node] = stem_sets
            for stems in stem_sets:
                for s in stems:
                    self.by_stem[s].add(node)

        for u, v, k, d in G.edges(keys=True, data=True):
            if k == "is_a":
                self.children[v].append(u)
            elif k == "mentions":
                strength = (1.0 if d.get("in_question") else 0.6) * (1 + 0.1 * min(d.get("count", 1) - 1, 3))
                self.mentions[v].append((u, strength))
            elif k == "co_occurs" and d.get("shared", 0) >= MIN_ASSOCIATED_CARDS \
                    and d.get("weight", 0.0) >= MIN_ASSOCIATION:
                self.associated[u].append((v, d["weight"]))
                self.associated[v].append((u, d["weight"]))

        self.prefixes = sorted(set(prefixes))
        self._prefix_keys = [p for p, _ in self.prefixes]
        self._build_text_index(vocabulary)

    def _build_text_index(self, vocabulary: set[str]) -> None:
        self.postings: dict[str, dict[str, int]] = defaultdict(dict)
        lengths: dict[str, int] = {}
        for node, d in self.G.nodes(data=True):
            if d.get("kind") != "card":
                continue
            q_words = [w for w in _words(d.get("question", "")) if w not in STOPWORDS]
            a_words = [w for w in _words(d.get("answer", "")) if w not in STOPWORDS]
            vocabulary.update(q_words)
            vocabulary.update(a_words)
            # The question says what the card is about: its words count twice.
            terms = Counter(map(_stem_once, a_words))
            for s in map(_stem_once, q_words):
                terms[s] += 2
            lengths[node] = sum(terms.values())
            for term, tf in terms.items():
                self.postings[term][node] = tf
        self.lengths = lengths
        self.avg_length = (sum(lengths.values()) / len(lengths)) if lengths else 1.0
        self.n_cards = len(lengths)
        self.vocabulary = sorted(w for w in vocabulary if len(w) >= FUZZY_MIN_LENGTH - 1)
        self.stem_vocabulary = {_stem_once(w) for w in vocabulary}

    # -- query understanding -------------------------------------------------------------

    def query_stems(self, query: str) -> list[str]:
        """The query's stems, each misspelt word replaced by its closest deck word."""
        stems = []
        for word in _words(query):
            if word in STOPWORDS:
                continue
            s = stem(word)
            if s not in self.stem_vocabulary and len(word) >= FUZZY_MIN_LENGTH:
                match = process.extractOne(word, self.vocabulary, scorer=fuzz.ratio,
                                           score_cutoff=FUZZY_CUTOFF)
                if match is not None:
                    s = stem(match[0])
            if s not in stems:
                stems.append(s)
        return stems

    def idf(self, s: str) -> float:
        df = len(self.postings.get(s, ())) + len(self.by_stem.get(s, ()))
        return math.log(1 + (self.n_cards + 1) / (df + 0.5))

    def match_concepts(self, stems: list[str]) -> dict[str, float]:
        """Concepts named by the query, scored in (0, 1]: all query words in a short name is 1."""
        return {node: m[0] for node, m in self.concept_matches(stems).items() if m[0] > 0}

    def concept_matches(self, stems: list[str]) -> dict[str, tuple[float, frozenset, float]]:
        """Concepts the query names: `{node: (score, query stems it covers, quality)}`.

        `score` ranks the concept itself (all the query in a short name is 1). A concept whose
        whole name is in a longer query ("vision transformer" in "why do vision transformers
        need so much data") counts too, for the query words it covers. `quality` says how much
        of the name the query matched, less for kinds reached through the hierarchy.
        """
        if not stems:
            return {}
        weights = {s: self.idf(s) for s in stems}
        total = sum(weights.values()) or 1.0
        candidates = set().union(*(self.by_stem.get(s, set()) for s in stems))
        found: dict[str, tuple[float, frozenset, float]] = {}
        for node in candidates:
            best = None
            for name in self.names[node]:
                hit = frozenset(s for s in stems if s in name)
                if not hit:
                    continue
                share = sum(weights[s] for s in hit) / total
                precision = len(hit) / len(name)
                score = share * share * (0.5 + 0.5 * precision)
                if best is None or (score, precision) > (best[0], best[2]):
                    best = (score, hit, precision)
            if best is None:
                continue
            score, hit, precision = best
            contained = precision == 1.0 and sum(weights[s] for s in hit) / total >= MIN_CONTAINED_SHARE
            if score >= MIN_CONCEPT_SCORE or contained:
                found[node] = best
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
            nxt = []
            for node, (score, hit, quality) in frontier:
                for child in self.children.get(node, ()):
                    entry = (score * CHILD_FACTOR, hit, quality * CHILD_FACTOR)
                    if entry[2] > found.get(child, (0.0, hit, 0.0))[2] and entry[2] >= MIN_CONCEPT_SCORE:
                        found[child] = entry
                        nxt.append((child, entry))
            frontier = nxt
        return found

    def text_scores(self, stems: list[str]) -> dict[str, float]:
        """BM25 of each card for the query stems."""
        scores: dict[str, float] = defaultdict(float)
        for s in stems:
            posting = self.postings.get(s)
            if not posting:
                continue
            idf = math.log(1 + (self.n_cards - len(posting) + 0.5) / (len(posting) + 0.5))
            for card, tf in posting.items():
                norm = BM25_K1 * (1 - BM25_B + BM25_B * self.lengths[card] / self.avg_length)
                scores[card] += idf * tf * (BM25_K1 + 1) / (tf + norm)
        return scores

    # -- answers ---------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 20) -> dict:
        stems = self.query_stems(query)
        matched = self.concept_matches(stems)
        weights = {s: self.idf(s) for s in stems}
        total = sum(weights.values()) or 1.0
        # Each query word is credited once per card, by the best concept on the card naming it:
        # a card about "vision transformer" *and* "token" beats one about either.
        per_card: dict[str, dict[str, float]] = defaultdict(dict)
        for node, (_, hit, quality) in matched.items():
            for card, strength in self.mentions.get(node, ()):
                credit = per_card[card]
                value = quality * strength
                for s in hit:
                    if value > credit.get(s, 0.0):
                        credit[s] = value
        text = self.text_scores(stems)
        top_text = max(text.values(), default=0.0) or 1.0
        cards: dict[str, float] = {}
        for card in set(per_card) | set(text):
            credit = per_card.get(card, {})
            concept_part = sum(weights[s] * v for s, v in credit.items()) / total
            cards[card] = concept_part + TEXT_WEIGHT * text.get(card, 0.0) / top_text
        ranked_cards = sorted(cards.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        ranked_concepts = sorted(
            (n for n in matched if matched[n][0] > 0), key=lambda n: (-matched[n][0], -self.concepts[n]["cards"], n)
        )[:limit]
        return {
            "concepts": [dict(self.concepts[n]) for n in ranked_concepts],
            "cards": [
                {"id": c, "question": self.G.nodes[c].get("question", ""),
                 "deck": self.G.nodes[c].get("deck", ""), "score": round(s, 4)}
                for c, s in ranked_cards
            ],
        }

    def suggest(self, prefix: str, *, limit: int = 10) -> list[dict]:
        wanted = " ".join(_words(prefix))
        if not wanted:
            return []
        found: dict[str, tuple] = {}
        i = bisect.bisect_left(self._prefix_keys, wanted)
        while i < len(self.prefixes) and self._prefix_keys[i].startswith(wanted):
            name, node = self.prefixes[i]
            whole = self._is_whole_name(node, name)
            rank = (not whole, -self.concepts[node]["cards"], len(name))
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
        d = self.G.nodes[node]
        return any(" ".join(_words(n)) == name for n in [d.get("key", ""), d.get("label", "")] + d.get("aliases", []))

    def _nodes_named(self, name: str) -> list[str]:
        i = bisect.bisect_left(self._prefix_keys, name)
        nodes = []
        while i < len(self.prefixes) and self._prefix_keys[i] == name:
            nodes.append(self.prefixes[i][1])
            i += 1
        return nodes


_INDEXES: "weakref.WeakKeyDictionary[nx.MultiDiGraph, SearchIndex]" = weakref.WeakKeyDictionary()


def search_index(G: nx.MultiDiGraph) -> SearchIndex:
    """The search index of `G`, built on first use and kept as long as `G` lives."""
    index = _INDEXES.get(G)
    if index is None:
        index = _INDEXES[G] = SearchIndex(G)
    return index


def search(G: nx.MultiDiGraph, query: str, *, limit: int = 20) -> dict:
    """Concepts and cards for a query, best first.

    Returns `{"concepts": [{"id", "label", "aliases", "cards"}...], "cards": [{"id", "question",
    "deck", "score"}...]}`; card ids are node ids (`card:...`).
    """
    return search_index(G).search(query, limit=limit)


def suggest(G: nx.MultiDiGraph, prefix: str, *, limit: int = 10) -> list[dict]:
    """Concepts whose name (or a word of it) starts with `prefix`, for autocomplete.

    Whole names come before inner words, then concepts on more cards; a misspelt prefix falls
    back to fuzzy matching. Each is `{"id", "label", "aliases", "cards"}`.
    """
    return search_index(G).suggest(prefix, limit=limit)
