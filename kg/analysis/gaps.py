"""Study gaps: two groups of concepts about the same thing that the cards rarely bring together.

Two communities are close in meaning when their concepts share is_a parents, specific words
("data drift" and "concept drift" are both about drift) or the concepts they are studied with
outside the group (second-order co-occurrence: both groups' concepts meet the same others), weighed
TF-IDF-like so that a feature every group has says nothing. A word counts in proportion to how
specific it is (kg.nlp.generic): "AI" shared by "responsible AI" and "Vertex AI" says little, and
a pair close by one shared word alone is no gap. They are connected by the cards that name concepts of both. A gap is a
close pair that few cards connect; the advice names the concepts to compare and the card to
start from on each side.
"""

from __future__ import annotations

import copy
import heapq
import math
import re
from collections import Counter, defaultdict

import networkx as nx
import numpy as np

from kg.analysis._broad import BROAD, broadness
from kg.analysis._cache import per_graph
from kg.analysis.communities import communities as _communities
from kg.analysis.detail import concept_cards
from kg.nlp.generic import generality

MIN_SIZE = 3
MIN_SIMILARITY = 0.1
# A community appears in at most this many gaps, so one big group does not fill the list.
MAX_GAPS_PER_GROUP = 2
# A feature shared by more than this share of the groups is too common to be a topic.
MAX_FEATURE_SHARE = 0.3
PARENT_WEIGHT = 2.0  # sharing an is_a parent says more than sharing a head word
HEAD_WEIGHT = 1.0
WORD_WEIGHT = 0.4  # any other word of a concept's name
NEAR_WEIGHT = 0.6  # a concept outside the group that a member is studied with
SHARED_WORDS = 5
# Close pairs kept per graph for later `limit`s: far more than any list shows, a bounded memory.
KEPT_PAIRS = 20_000
_WORD = re.compile(r"[a-z][a-z0-9]+")
_NAME = re.compile(r"[^\W_][\w .'&+/-]*")
# Words that make two vocabularies look alike without saying they share a subject.
_FILLER = frozenset(
    """a an and the of for in on to with by from or vs via its ml ai data model models use
    using based new different other way type kind""".split()
)


def gaps(G: nx.MultiDiGraph, *, limit: int = 5) -> list[dict]:
    """Pairs of communities close in meaning but rarely on the same card, widest gap first.

    Each gap is `{"a", "b", "score", "similarity", "linking_cards", "shared_words",
    "shared_parents", "shared_neighbours", "bridge_concepts", "bridge_cards", "suggestion"}`: `a`/`b` are community
    dicts (see `communities`), `similarity` in (0, 1] how close their vocabularies are,
    `linking_cards` how many cards name concepts of both, `score` = similarity x (1 - the share
    of the smaller side's cards that link them). `bridge_concepts` (`{"id", "label", "side"}`) are
    the concepts to compare, `bridge_cards` (`{"id", "question", "via"}`) where to start reading,
    and `suggestion` says it in a sentence.
    """
    described = per_graph(G, ("gaps", limit), lambda: _gaps(G, limit=limit))
    # Copies: the cached list is shared by every caller.
    return copy.deepcopy(described)


def _gaps(G: nx.MultiDiGraph, *, limit: int) -> list[dict]:
    groups, features, found = per_graph(G, "gap-pairs", lambda: _ranked_pairs(G))
    result, used = [], Counter()
    for score, sim, linking, i, j in found:
        if len(result) >= limit:
            break
        if used[i] >= MAX_GAPS_PER_GROUP or used[j] >= MAX_GAPS_PER_GROUP:
            continue
        used[i] += 1
        used[j] += 1
        result.append(_describe(G, groups[i], groups[j], features[i], features[j], score, sim, linking))
    return result


def _ranked_pairs(G):
    """(groups, their features, close pairs best first): the part of `gaps` worth keeping."""
    groups = [c for c in _communities(G) if c["size"] >= MIN_SIZE]
    if len(groups) < 2:
        return groups, [], []
    # A group's features and cards read its members' links: read together, each is read once
    # (a load reads them from the workspace's file).
    features, cards_of = [], []
    links = None
    if hasattr(G, "link_tallies"):  # a load's graph read from its file: from arrays of its links
        links = _LinkArrays(G, {n for c in groups for n in c["concepts"]}).links
    for c in groups:
        fs, cards = _features(G, c["concepts"], links)
        features.append(fs)
        cards_of.append(cards)
    df = Counter(f for fs in features for f in fs)
    too_common = max(2, MAX_FEATURE_SHARE * len(groups))
    for fs in features:
        for f in list(fs):
            if df[f] > too_common:
                del fs[f]
            else:
                fs[f] *= math.log(1 + len(groups) / df[f])
    norms = [math.sqrt(sum(w * w for w in fs.values())) or 1.0 for fs in features]

    # Only groups sharing a feature can be close: an inverted index avoids comparing all pairs.
    by_feature: dict[str, list[int]] = defaultdict(list)
    for i, fs in enumerate(features):
        for f in fs:
            by_feature[f].append(i)

    # The KEPT_PAIRS best pairs, the worst on top of the heap: (score, -i, -j, sim, linking).
    # Each group meets its candidates in turn and only the best are kept, since the candidate
    # pairs grow with the square of the groups (2.3 million visits at 100,000 cards), and held
    # all at once in a set they would not fit at a million.
    kept: list[tuple] = []
    for i, fs in enumerate(features):
        for j in {j for f in fs for j in by_feature[f] if j > i}:
            a, b = features[i], features[j]
            if len(b) < len(a):
                a, b = b, a  # walk the smaller vocabulary
            shared = [f for f in a if f in b]
            if len(shared) < 2 and not any(f.startswith(("parent:", "near:")) for f in shared):
                continue  # one shared word ("AI") makes no common subject
            sim = sum(a[f] * b[f] for f in shared) / (norms[i] * norms[j])
            if sim < MIN_SIMILARITY or not cards_of[i] or not cards_of[j]:
                continue
            linking = len(cards_of[i] & cards_of[j])
            score = sim * (1.0 - linking / min(len(cards_of[i]), len(cards_of[j])))
            if score <= 0:
                continue
            item = (score, -i, -j, sim, linking)
            if len(kept) < KEPT_PAIRS:
                heapq.heappush(kept, item)
            elif item > kept[0]:
                heapq.heapreplace(kept, item)
    found = sorted(((score, sim, linking, -i, -j) for score, i, j, sim, linking in kept),
                   key=lambda f: (-f[0], f[3], f[4]))
    return groups, features, found


def _features(G, members, links=None) -> tuple[Counter, set[str]]:
    """Weighted features of a community (is_a parents, head words, other words of its names),
    and the cards that name its concepts: both read a member's in-links, read once. `links(n)`
    reads a member's links (`_held_links` by default, or `_LinkArrays.links`)."""
    fs: Counter = Counter()
    cards: set[str] = set()
    inside = set(members)
    broad = broadness(G)
    links = links or (lambda n: _held_links(G, n))
    for n in members:
        label, key, n_cards, mentioned, out_links, in_links = links(n)
        cards.update(mentioned)
        if not _NAME.fullmatch(label):
            continue  # code and paths ("class Suit(Enum") are not a topic
        weight = 1 + math.log(max(n_cards, 1))
        for other, is_a, co_weight in out_links:
            if is_a:
                fs[f"parent:{other}"] += PARENT_WEIGHT * weight
            if co_weight is not None and other not in inside and broad.get(other, 0.0) < BROAD:
                fs[f"near:{other}"] += NEAR_WEIGHT * co_weight
        for other, co_weight in in_links:
            if other not in inside and broad.get(other, 0.0) < BROAD:
                fs[f"near:{other}"] += NEAR_WEIGHT * co_weight
        words = [w for w in _WORD.findall(key) if w not in _FILLER]
        for w in words[:-1]:
            fs[f"word:{w}"] += WORD_WEIGHT * weight * _specific(w)
        if words:
            fs[f"word:{words[-1]}"] += HEAD_WEIGHT * weight * _specific(words[-1])
    return +fs, cards


def _held_links(G, n):
    """(label, key, cards, the cards that mention it, its out-links as (other, is_a, co_occurs
    weight or None), its co-occurrence in-links as (other, weight)) of member `n`, in the order of
    its adjacency (read itself: views cost a call per edge)."""
    d = G.nodes[n]
    preds = G._pred[n]
    return (d.get("label", ""), d.get("key", ""), d.get("cards", 1),
            (u for u, keyed in preds.items() if "mentions" in keyed),
            ((other, "is_a" in keyed, keyed["co_occurs"].get("weight", 0.0) if "co_occurs" in keyed else None)
             for other, keyed in G._succ[n].items()),
            ((other, keyed["co_occurs"].get("weight", 0.0)) for other, keyed in preds.items() if "co_occurs" in keyed))


class _LinkArrays:
    """A member's links (`_held_links`) for a graph read from its workspace
    (kg.store.workspace_graph): from arrays of its links in the order of each node's out- and
    in-links (the order `_held_links` gives them, so the same numbers to the last bit) and the
    members' names read in one pass. Asked member by member, a million cards' links were read in
    a random order from a file larger than memory."""

    def __init__(self, G, members: set[str]):
        t = G.link_tallies()
        self.ids, self.index = t.ids, t.index
        self.names = {n: (label, key, cards) for n, label, key, cards in G.node_values("label", "key", "cards")
                      if n in members}
        self.u, self.v, self.is_a, self.co, self.weight = t.link_u, t.link_v, t.link_is_a, t.link_co_occurs, t.link_weight
        size = len(self.ids) + 1
        self.out = np.argsort(self.u, kind="stable")
        self.out_starts = np.searchsorted(self.u[self.out], np.arange(size))
        co = np.flatnonzero(self.co)
        self.into = co[np.argsort(self.v[co], kind="stable")]
        self.into_starts = np.searchsorted(self.v[self.into], np.arange(size))
        self.mentions = t.mention_card[np.argsort(t.mention_concept, kind="stable")]
        self.mention_starts = np.searchsorted(np.sort(t.mention_concept), np.arange(size))

    def links(self, n):
        i, ids = self.index[n], self.ids
        label, key, n_cards = self.names[n]
        return (label if label is not None else "", key if key is not None else "",
                n_cards if n_cards is not None else 1,
                (ids[c] for c in self.mentions[self.mention_starts[i]:self.mention_starts[i + 1]].tolist()),
                ((ids[self.v[j]], bool(self.is_a[j]), float(self.weight[j]) if self.co[j] else None)
                 for j in self.out[self.out_starts[i]:self.out_starts[i + 1]].tolist()),
                ((ids[self.u[j]], float(self.weight[j]))
                 for j in self.into[self.into_starts[i]:self.into_starts[i + 1]].tolist()))


def _specific(word: str) -> float:
    """How much a shared word says about a shared subject: little for general English."""
    return 1.0 - 0.8 * generality(word)


def _carriers(G, community: dict, feature: str) -> list[str]:
    """Members of a community that carry a feature, most cards first."""
    kind, _, value = feature.partition(":")
    if kind == "parent":
        hits = [n for n in community["concepts"] if G.has_edge(n, value, key="is_a")]
    elif kind == "near":
        hits = [n for n in community["concepts"]
                if G.has_edge(n, value, key="co_occurs") or G.has_edge(value, n, key="co_occurs")]
    else:
        hits = [n for n in community["concepts"] if value in _WORD.findall(G.nodes[n].get("key", ""))]
    broad = broadness(G)
    # A broad concept is no bridge: compare the specific ones.
    hits = [n for n in hits if broad.get(n, 0.0) < BROAD] or hits
    return sorted(hits, key=lambda n: (-G.nodes[n].get("cards", 0), n))


def _describe(G, a: dict, b: dict, fa: Counter, fb: Counter, score, sim, linking) -> dict:
    shared = sorted((f for f in fa if f in fb), key=lambda f: (-(fa[f] * fb[f]), f))
    words = [f.partition(":")[2] for f in shared if f.startswith("word:")][:SHARED_WORDS]
    parents = [f.partition(":")[2] for f in shared if f.startswith("parent:")]
    near = [f.partition(":")[2] for f in shared if f.startswith("near:")]
    bridges, cards = [], []
    for feature in shared[:2]:
        x, y = _carriers(G, a, feature), _carriers(G, b, feature)
        for side, hits in (("a", x), ("b", y)):
            if hits and all(br["id"] != hits[0] for br in bridges):
                bridges.append({"id": hits[0], "label": G.nodes[hits[0]].get("label", hits[0]), "side": side})
    for bridge in bridges:
        best = concept_cards(G, bridge["id"], include_children=False, limit=1)
        if best and all(c["id"] != best[0]["id"] for c in cards):
            cards.append({"id": best[0]["id"], "question": best[0]["question"], "via": bridge["id"]})
    return {
        "a": a, "b": b, "score": round(score, 4), "similarity": round(sim, 4), "linking_cards": linking,
        "shared_words": words,
        "shared_parents": [{"id": p, "label": G.nodes[p].get("label", p)} for p in parents if p in G],
        "shared_neighbours": [{"id": p, "label": G.nodes[p].get("label", p)} for p in near[:SHARED_WORDS] if p in G],
        "bridge_concepts": bridges, "bridge_cards": cards,
        "suggestion": _suggestion(G, a, b, shared[0] if shared else "", bridges, cards, linking),
    }


def _suggestion(G, a, b, feature: str, bridges: list[dict], cards: list[dict], linking: int) -> str:
    kind, _, value = feature.partition(":")
    topic = (f"kinds of “{G.nodes[value].get('label', value)}”" if kind == "parent" and value in G
             else f"what is studied with “{G.nodes[value].get('label', value)}”" if kind == "near" and value in G
             else f"“{value}”" if value else "the same words")
    name_a, name_b = a["label"].split(" · ")[0], b["label"].split(" · ")[0]
    few = "no card names" if linking == 0 else "only 1 card names" if linking == 1 else f"only {linking} cards name"
    text = f"The “{name_a}” group and the “{name_b}” group are both about {topic}, but {few} concepts of both."
    side_a = [br["label"] for br in bridges if br["side"] == "a"][:1]
    side_b = [br["label"] for br in bridges if br["side"] == "b"][:1]
    if side_a and side_b:
        text += f" Compare “{side_a[0]}” with “{side_b[0]}”"
        if cards:
            text += ": start from " + " and ".join(f"“{c['question'].strip()}”" for c in cards[:2])
        text += ", then write a card on how they relate."
    return text
