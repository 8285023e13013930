"""Find cards by concept: a query is read as concepts first, words second.

A query matches concept names (keys, labels, aliases and acronyms) word by word after light
stemming, so "retraining" meets "retrain models" and "explainability" meets "Explainable AI";
misspelt words are corrected against the deck's vocabulary ("kubeflo"); a matched concept brings
its kinds along ("drift" finds concept drift, data drift…, after drift itself), and an acronym its
spelled-out name when a card names both ("NAT" and "network address translation"), or, far behind,
when its letters are the initials of the deck's one name for them ("EDV", "end-diastolic volume");
words whose initials are an acronym the deck never spells out name it ("blood pressure", BP). Cards
are ranked by how they mention the matched concepts, with BM25 over the card text as the extra
signal and the fallback when no concept matches.

The index is built once per graph (`search_index(G)`) and answers in milliseconds.
`words.py` cuts text into words and stems, `query.py` reads a query (typos, split words, derived
forms, the concepts its words name), `index.py` keeps one graph's index and ranks its cards.
"""

from __future__ import annotations

import weakref

import networkx as nx

from kg.search.index import SearchIndex
from kg.search.query import query_words
from kg.search.words import stem

__all__ = ["SearchIndex", "drop_search_index", "query_words", "search", "search_index", "stem", "suggest"]


_INDEXES: "weakref.WeakKeyDictionary[nx.MultiDiGraph, SearchIndex]" = weakref.WeakKeyDictionary()


def search_index(G: nx.MultiDiGraph) -> SearchIndex:
    """The search index of `G`, built on first use and kept as long as `G` lives."""
    index = _INDEXES.get(G)
    if index is None:
        index = _INDEXES[G] = SearchIndex(G)
    return index


def drop_search_index(G: nx.MultiDiGraph) -> None:
    """Let the search index of `G` go before `G` does: a load writes it out and works on without
    it (at 100,000 cards it holds about a gigabyte)."""
    _INDEXES.pop(G, None)


def search(G: nx.MultiDiGraph, query: str, *, limit: int = 20) -> dict:
    """Concepts and cards for a query, best first.

    Returns `{"concepts": [{"id", "label", "aliases", "cards"}...], "concepts_by_word": bool,
    "cards": [{"id", "question", "answer", "deck", "score"}...]}`; card ids are node ids
    (`card:...`). `concepts_by_word` says no concept is named by the whole query and the concepts
    listed are those its words name one by one.
    """
    return search_index(G).search(query, limit=limit)


def suggest(G: nx.MultiDiGraph, prefix: str, *, limit: int = 10) -> list[dict]:
    """Concepts whose name (or a word of it) starts with `prefix`, for autocomplete.

    Whole names come before inner words, then concepts on more cards; a misspelt prefix falls
    back to fuzzy matching. Each is `{"id", "label", "aliases", "cards"}`.
    """
    return search_index(G).suggest(prefix, limit=limit)
