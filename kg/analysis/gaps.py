"""Structural gaps: communities that talk about similar things but rarely on the same card."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from itertools import combinations

import networkx as nx

from kg.analysis.communities import communities as _communities

# Only the largest communities are compared: pairs grow quadratically and the long tail of tiny
# communities is mostly isolated one-off terms.
MAX_COMMUNITIES = 60
MIN_SIZE = 3
BRIDGES_PER_SIDE = 2
_WORD = re.compile(r"[a-z0-9]+")
# Words that make two vocabularies look alike without saying they share a subject.
_FILLER = frozenset("a an and the of for in on to with by from or vs via its ml ai data model".split())


def gaps(G: nx.MultiDiGraph, *, limit: int = 5) -> list[dict]:
    """Pairs of communities close in vocabulary but sharing few cards, widest gap first.

    Closeness is the cosine of the TF-IDF vectors of the words in each community's concept keys;
    connection is the share of the smaller community's cards that also name the other. Each gap
    is `{"a", "b", "score", "shared_words", "bridge_concepts", "suggestion"}` where `a`/`b` are
    community dicts (see `communities`) and `bridge_concepts` are `{"id", "label"}` from both sides
    that carry the shared words.
    """
    groups = [c for c in _communities(G) if c["size"] >= MIN_SIZE]
    groups.sort(key=lambda c: -sum(G.nodes[n].get("cards", 0) for n in c["concepts"]))
    groups = groups[:MAX_COMMUNITIES]
    if len(groups) < 2:
        return []

    vectors = [_vocabulary(G, c["concepts"]) for c in groups]
    df = Counter(w for v in vectors for w in v)
    for v in vectors:
        for w in v:
            v[w] *= math.log(1 + len(vectors) / df[w])
    cards_of = [_cards(G, c["concepts"]) for c in groups]

    found = []
    for i, j in combinations(range(len(groups)), 2):
        sim = _cosine(vectors[i], vectors[j])
        if sim <= 0:
            continue
        small = min(len(cards_of[i]), len(cards_of[j])) or 1
        link = len(cards_of[i] & cards_of[j]) / small
        score = sim * (1.0 - link)
        if score > 0:
            found.append((score, i, j))
    found.sort(key=lambda f: (-f[0], f[1], f[2]))

    result = []
    for score, i, j in found[:limit]:
        shared_words = sorted(set(vectors[i]) & set(vectors[j]),
                              key=lambda w: -(vectors[i][w] * vectors[j][w]))[:5]
        bridges = _bridges(G, groups[i], shared_words) + _bridges(G, groups[j], shared_words)
        a, b = groups[i], groups[j]
        both = len(cards_of[i] & cards_of[j])
        suggestion = (
            f"“{a['label']}” and “{b['label']}” both speak of {', '.join(shared_words[:3])} "
            f"but share only {both} card{'s' if both != 1 else ''}: study how "
            + " and ".join(f"“{x['label']}”" for x in bridges[:1] + bridges[BRIDGES_PER_SIDE:BRIDGES_PER_SIDE + 1])
            + " relate, and write cards that link them."
        )
        result.append({"a": a, "b": b, "score": round(score, 4), "shared_words": shared_words,
                       "bridge_concepts": bridges, "suggestion": suggestion})
    return result


def _vocabulary(G, members) -> Counter:
    words: Counter = Counter()
    for n in members:
        weight = 1 + math.log(max(G.nodes[n].get("cards", 1), 1))
        for w in set(_WORD.findall(G.nodes[n].get("key", ""))):
            if w not in _FILLER and not w.isdigit() and len(w) > 1:
                words[w] += weight
    return words


def _cards(G, members) -> set[str]:
    return {u for n in members for u, _, k in G.in_edges(n, keys=True) if k == "mentions"}


def _cosine(a: Counter, b: Counter) -> float:
    dot = sum(w * b[k] for k, w in a.items() if k in b)
    if not dot:
        return 0.0
    return dot / (math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values())))


def _bridges(G, community: dict, words: list[str]) -> list[dict]:
    wanted = set(words)
    hits = [n for n in community["concepts"] if wanted & set(_WORD.findall(G.nodes[n].get("key", "")))]
    return [{"id": n, "label": G.nodes[n].get("label", n)} for n in hits[:BRIDGES_PER_SIDE]]
