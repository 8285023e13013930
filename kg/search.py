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
# Other matched concepts on the same card add this share of their score.
EXTRA_CONCEPT_WEIGHT = 0.25
MIN_CONCEPT_SCORE = 0.2
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


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _stems(text: str, *, keep_stopwords: bool = False) -> list[str]:
    return [stem(w) for w in _words(text) if keep_stopwords or w not in STOPWORDS]


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
                stems = frozenset(_stems(name, keep_stopwords=True)) - {stem(w) for w in ("and", "of", "the")}
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

        self.prefixes = sorted(set(prefixes))
        self._prefix_keys = [p for p, _ in self.prefixes]
        self._build_text_index(vocabulary)

    def _build_text_index(self, vocabulary: set[str]) -> None:
        self.postings: dict[str, dict[str, int]] = defaultdict(dict)
        lengths: dict[str, int] = {}
        for node, d in self.G.nodes(data=True):
            if d.get("kind") != "card":
                continue
            question = _stems(d.get("question", ""))
            answer = _stems(d.get("answer", ""))
            vocabulary.update(w for w in _words(d.get("question", "") + " " + d.get("answer", ""))
                              if w not in STOPWORDS)
            # The question says what the card is about: its words count twice.
            terms = Counter(question) + Counter(question) + Counter(answer)
            lengths[node] = sum(terms.values())
            for term, tf in terms.items():
                self.postings[term][node] = tf
        self.lengths = lengths
        self.avg_length = (sum(lengths.values()) / len(lengths)) if lengths else 1.0
        self.n_cards = len(lengths)
        self.vocabulary = sorted(w for w in vocabulary if len(w) >= FUZZY_MIN_LENGTH - 1)
        self.stem_vocabulary = {stem(w) for w in vocabulary}

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
        if not stems:
            return {}
        weights = {s: self.idf(s) for s in stems}
        total = sum(weights.values()) or 1.0
        candidates = set().union(*(self.by_stem.get(s, set()) for s in stems))
        scores: dict[str, float] = {}
        for node in candidates:
            best = 0.0
            for name in self.names[node]:
                hit = [s for s in stems if s in name]
                if not hit:
                    continue
                recall = sum(weights[s] for s in hit) / total
                precision = len(hit) / len(name)
                best = max(best, recall * recall * (0.5 + 0.5 * precision))
            if best >= MIN_CONCEPT_SCORE:
                scores[node] = best
        # A concept brings its kinds, a little behind itself.
        expanded = dict(scores)
        frontier = list(scores.items())
        while frontier:
            nxt = []
            for node, score in frontier:
                for child in self.children.get(node, ()):
                    s = score * CHILD_FACTOR
                    if s > expanded.get(child, 0.0) and s >= MIN_CONCEPT_SCORE:
                        expanded[child] = s
                        nxt.append((child, s))
            frontier = nxt
        return expanded

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
        matched = self.match_concepts(stems)
        per_card: dict[str, list[float]] = defaultdict(list)
        for node, score in matched.items():
            for card, strength in self.mentions.get(node, ()):
                per_card[card].append(score * strength)
        text = self.text_scores(stems)
        top_text = max(text.values(), default=0.0) or 1.0
        cards: dict[str, float] = {}
        for card in set(per_card) | set(text):
            found = sorted(per_card.get(card, ()), reverse=True)
            concept_part = (found[0] + EXTRA_CONCEPT_WEIGHT * sum(found[1:3])) if found else 0.0
            cards[card] = concept_part + TEXT_WEIGHT * text.get(card, 0.0) / top_text
        ranked_cards = sorted(cards.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        ranked_concepts = sorted(
            matched, key=lambda n: (-matched[n], -self.concepts[n]["cards"], n)
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
