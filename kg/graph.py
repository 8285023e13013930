"""The knowledge graph: decks contain cards, cards mention concepts, concepts link to concepts.

`build_graph` turns cards and their extractions into the one `nx.MultiDiGraph` every other part
of kg reads (the contract is in ARCHITECTURE.md). It never calls spaCy: extraction is done.

Co-occurrence is counted on integer arrays and only the links that are kept become edges with
attribute dicts, so building stays linear in mentions. Which links are kept:

* a pair of concepts needs a positive NPMI (they meet more often than chance);
* decks above SMALL_DECK_CARDS also need two shared cards, and each concept keeps only its
  MAX_LINKS_PER_CONCEPT strongest links (a link stays if it is among the strongest of either
  end): a big deck otherwise fills with hundreds of one-off pairs per card that say little.
"""

from __future__ import annotations

import gc
import re
import unicodedata
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from functools import lru_cache
from operator import itemgetter

import networkx as nx
import numpy as np

from kg.cards import Card
from kg.extraction import CardExtraction
from kg.labels import PLAIN, SurfaceCounts, mention_context

__all__ = ["build_graph", "concept_id", "concept_graph", "link_strength", "card_node", "deck_node", "slug",
           "paused_gc"]

# A card naming very many concepts would add O(k^2) co-occurrence pairs; only its most specific
# concepts take part, which keeps counting linear in mentions.
MAX_CONCEPTS_PER_CARD = 24
SMALL_DECK_CARDS = 2000
MAX_LINKS_PER_CONCEPT = 12
EVIDENCE_LIMIT = 50
LABEL_LENGTH = 80
LOUVAIN_SEED = 42

_NON_SLUG = re.compile(r"[^a-z0-9]+")


@contextmanager
def paused_gc():
    """Run a block with the cyclic garbage collector off.

    Building or loading a graph allocates millions of dicts and lists that all stay alive; the
    collector would walk them again and again for nothing (a third of the time).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """Lower-case ASCII letters and digits, everything else folded to single `-`.

    >>> slug("CI/CD pipelines")
    'ci-cd-pipelines'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NON_SLUG.sub("-", ascii_text.lower()).strip("-") or "x"


def concept_id(key: str) -> str:
    """Node id of the concept with normalized key `key`.

    >>> concept_id("training-serving skew")
    'concept:training-serving-skew'
    """
    return f"concept:{slug(key)}"


def card_node(card_id: str) -> str:
    return f"card:{card_id}"


def deck_node(deck: str) -> str:
    return f"deck:{slug(deck)}"


def build_graph(
    cards: Iterable[Card],
    extractions: Iterable[CardExtraction],
    *,
    curation=None,
) -> nx.MultiDiGraph:
    """Build the knowledge graph of `cards` from what extraction found in them.

    Curation (merges, hidden concepts, aliases, parents, part_of) is applied here, and an acronym
    defined on any card ("Continuous Integration (CI)") folds every mention of the short form on
    every card into the long form's concept (labelled by whichever form the deck writes more).

    >>> from kg.cards import Card
    >>> from kg.extraction import CardExtraction, Mention
    >>> card = Card(id="c1", deck="Ops", question="What is data drift?", answer="A kind of drift.")
    >>> ext = CardExtraction("c1", [Mention("data drift", "data drift", "question", 8, 18),
    ...                             Mention("drift", "drift", "answer", 10, 15)])
    >>> G = build_graph([card], [ext])
    >>> sorted(k for _, _, k in G.edges(keys=True))
    ['contains', 'is_a', 'mentions', 'mentions']
    """
    with paused_gc():
        return _build_graph(list(cards), extractions, curation)


def _build_graph(cards: list[Card], extractions: Iterable[CardExtraction], curation) -> nx.MultiDiGraph:
    from kg.hierarchy import hierarchy_edges

    by_card = {e.card_id: e for e in extractions}
    G = nx.MultiDiGraph()

    _add_decks_and_cards(G, cards)
    resolve, shorts_of = _key_resolver([by_card[c.id] for c in cards if c.id in by_card], curation)

    # extracted key -> (concept node, concept key, how the name relates to it); None = hidden
    targets: dict[str, tuple | None] = {}
    # (extracted key, surface, where it stood) -> mentions: every name is tallied once, at the end
    tally: Counter = Counter()
    # card -> concept node -> [count, in_question, in_answer]
    card_mentions: dict[str, dict[str, list]] = {}
    for card in cards:
        ext = by_card.get(card.id)
        if ext is None:
            continue
        found: dict[str, list] = {}
        for m in ext.mentions:
            raw = m.concept
            target = targets.get(raw, False)
            if target is False:
                target = targets[raw] = _target(raw, resolve, shorts_of)
            if target is None:
                continue
            in_question = m.field == "question"
            surface = m.surface
            # Where a name stands only matters for a sentence-style capital ("Scalability", not
            # "MLOps" or "AI", which are written so anywhere).
            context = mention_context(card.question if in_question else card.answer, m.start) \
                if surface[:1].isupper() and surface[1:2].islower() else PLAIN
            tally[raw, surface, context] += 1
            entry = found.get(target[0])
            if entry is None:
                entry = found[target[0]] = [0, False, False]
            entry[0] += 1
            entry[1 if in_question else 2] = True
        card_mentions[card.id] = found

    names = SurfaceCounts()
    # node -> key -> mentions; plain dicts: a Counter per concept costs more than its counting
    concept_keys: dict[str, dict[str, int]] = defaultdict(dict)
    for (raw, surface, context), n in tally.items():
        node, key, role, shorts = targets[raw]
        keys = concept_keys[node]
        keys[key] = keys.get(key, 0) + n
        if role == SHORT or (shorts and surface.lower() in shorts):
            names.add_short(node, surface, n)
        elif role == MERGED:
            names.add_alias(node, surface, n)
        else:
            names.add(node, surface, context, n)

    df: Counter = Counter()
    for found in card_mentions.values():
        df.update(found.keys())

    curated_aliases = getattr(curation, "aliases", {}) if curation is not None else {}
    G.add_nodes_from(
        (node, {"kind": "concept", "key": key, **names.names(node, key, curated_aliases.get(key, ())),
                "cards": df[node], "community": -1, "importance": 0.0})
        # max() keeps the first of equals, as Counter.most_common(1) does
        for node, key in ((node, max(keys.items(), key=itemgetter(1))[0]) for node, keys in concept_keys.items())
    )
    succ, pred = G._succ, G._pred  # each card names each concept once: no key to merge with
    for cid, found in card_mentions.items():
        card = card_node(cid)
        out = succ[card]
        for node, (count, in_q, in_a) in found.items():
            out[node] = pred[node][card] = {"mentions": {
                "kind": "mentions", "weight": count, "count": count, "in_question": in_q, "in_answer": in_a}}

    links = _add_co_occurs(G, card_mentions, df, n_cards=max(len(cards), 1))

    concept_cards: dict[str, list[str]] | None = None
    card_sets: dict[str, set[str]] = {}  # a parent has many children: its card set is made once
    for child, parent, kind, origin in hierarchy_edges(G, curation=curation, resolve=resolve):
        if concept_cards is None:
            concept_cards = defaultdict(list)
            for cid, found in card_mentions.items():
                for node in found:
                    concept_cards[node].append(cid)
        G.add_edge(child, parent, key=kind, kind=kind, weight=1.0, origin=origin,
                   evidence=_shared_evidence(concept_cards, card_sets, child, parent))
        links.append((child, parent, link_strength(kind, {"weight": 1.0}), 0))

    for u, v, d in _relations(G, by_card, resolve):
        G.add_edge(u, v, key="related", **d)
        links.append((u, v, link_strength("related", d), 0))
    _add_communities_and_importance(G, links)
    return G


OWN, SHORT, MERGED = 0, 1, 2  # how an extracted key names its concept


def _target(raw: str, resolve, shorts_of) -> tuple | None:
    """(node, key, role, acronyms of key) for an extracted key; None when curation hides it."""
    key = resolve(raw)
    if key is None:
        return None
    shorts = shorts_of.get(key, frozenset())
    role = SHORT if resolve.curated(raw) in shorts else OWN if raw == key else MERGED
    return concept_id(key), key, role, shorts


def _add_decks_and_cards(G: nx.MultiDiGraph, cards: list[Card]) -> None:
    deck_sizes = Counter(card.deck for card in cards)
    G.add_nodes_from((deck_node(deck), {"kind": "deck", "label": deck, "cards": size})
                     for deck, size in deck_sizes.items())

    def label(question: str) -> str:
        question = " ".join(question.split())
        return question if len(question) <= LABEL_LENGTH else question[: LABEL_LENGTH - 1] + "…"

    G.add_nodes_from(
        (card_node(card.id), {"kind": "card", "label": label(card.question), "question": card.question,
                              "answer": card.answer, "question_html": card.question_html or "",
                              "answer_html": card.answer_html or "", "deck": card.deck,
                              "source": card.source, "tags": list(card.tags)})
        for card in cards
    )
    G.add_edges_from((deck_node(card.deck), card_node(card.id), "contains", {"kind": "contains", "weight": 1})
                     for card in cards)


def _key_resolver(extractions: list[CardExtraction], curation):
    """The function mapping an extracted key to its concept key (None = hidden), and the
    acronym short forms of each long key."""

    cache: dict[str, str | None] = {}

    def curated(key: str) -> str | None:
        # Extracted keys are already normalized; a big deck repeats the same keys many times.
        if curation is None:
            return key
        if key not in cache:
            cache[key] = curation.canonical(key, normalized=True)
        return cache[key]

    expansions: dict[str, Counter] = defaultdict(Counter)
    for ext in extractions:
        for acronym in ext.acronyms:
            long = curated(acronym.long)
            short = curated(acronym.short)
            if long and short and long != short:
                expansions[short][long] += 1
    acronym_of = {short: longs.most_common(1)[0][0] for short, longs in expansions.items()}
    shorts_of: dict[str, set[str]] = defaultdict(set)
    for short, longs in expansions.items():
        for long in longs:
            shorts_of[long].add(short)

    def resolve(key: str) -> str | None:
        key = curated(key)
        if key is None:
            return None
        if key in acronym_of:
            return acronym_of[key]
        # A compound led by a known acronym is the same concept as the compound led by its
        # expansion ("ML lifecycle" = "machine learning lifecycle"). Only the leading word is
        # expanded: a trailing one is usually part of a name ("Vertex AI" is not "Vertex
        # artificial intelligence").
        first, _, rest = key.partition(" ")
        if rest and first in acronym_of:
            return curated(f"{acronym_of[first]} {rest}") or key
        return key

    resolve.curated = curated
    return resolve, shorts_of


def _add_co_occurs(G, card_mentions, df: Counter, *, n_cards: int) -> list[tuple]:
    """Add the co_occurs edges worth keeping; return them as (u, v, weight, shared) links."""
    nodes = sorted(df)
    if len(nodes) < 2:
        return []
    index = {n: i for i, n in enumerate(nodes)}
    n = len(nodes)
    df_arr = np.array([df[x] for x in nodes], dtype=np.int64)

    # Cards grouped by how many concepts they name: each group's pairs come from one array op.
    by_size: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
    for card_no, found in enumerate(card_mentions.values()):
        if len(found) < 2:
            continue
        ids = [index[x] for x in found]
        if len(ids) > MAX_CONCEPTS_PER_CARD:
            ids.sort(key=lambda i: (df_arr[i], i))
            ids = ids[:MAX_CONCEPTS_PER_CARD]
        rows, numbers = by_size[len(ids)]
        rows.append(ids)
        numbers.append(card_no)
    code_parts, card_parts = [], []
    for size, (rows, numbers) in by_size.items():
        matrix = np.sort(np.array(rows, dtype=np.int64), axis=1)
        a, b = np.triu_indices(size, 1)
        code_parts.append((matrix[:, a] * n + matrix[:, b]).ravel())
        card_parts.append(np.repeat(np.array(numbers, dtype=np.int64), len(a)))
    if not code_parts:
        return []
    codes = np.concatenate(code_parts)
    card_of = np.concatenate(card_parts)

    pairs, shared = np.unique(codes, return_counts=True)
    u, v = pairs // n, pairs % n
    p_xy = shared / n_cards
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(p_xy / ((df_arr[u] / n_cards) * (df_arr[v] / n_cards)))
        npmi = np.where(p_xy < 1.0, pmi / -np.log(p_xy), 0.0)  # on every card: nothing to measure
    # A pair seen once is weaker evidence than the same NPMI over many cards.
    weight = npmi * shared / (shared + 1)
    keep = npmi > 0
    if n_cards > SMALL_DECK_CARDS:
        keep &= shared >= 2
        keep &= _top_k_either_end(u, v, weight, keep, MAX_LINKS_PER_CONCEPT)
    pairs, u, v, shared, npmi, weight = (x[keep] for x in (pairs, u, v, shared, npmi, weight))

    # Evidence: the cards of each kept pair, in card order.
    wanted = np.isin(codes, pairs)
    codes, card_of = codes[wanted], card_of[wanted]
    order = np.lexsort((card_of, codes))
    codes, card_of = codes[order], card_of[order]
    starts = np.searchsorted(codes, pairs, side="left")
    card_ids = list(card_mentions)
    evidence_cards = card_of.tolist()

    links, edges = [], []
    # Plain lists from here: indexing numpy scalars one by one is slower than the whole sort.
    for a, b, s, w, p, first in zip(u.tolist(), v.tolist(), shared.tolist(), np.round(weight, 6).tolist(),
                                    np.round(npmi, 6).tolist(), starts.tolist()):
        a, b = nodes[a], nodes[b]
        evidence = [card_ids[c] for c in evidence_cards[first:first + min(s, EVIDENCE_LIMIT)]]
        edges.append((a, b, "co_occurs", {"kind": "co_occurs", "weight": w, "shared": s, "npmi": p,
                                          "evidence": evidence}))
        links.append((a, b, w, s))
    _add_keyed_edges(G, edges)
    return links


def _add_keyed_edges(G: nx.MultiDiGraph, edges) -> None:
    """`G.add_edges_from(edges)` for (u, v, key, data) between existing nodes, at a third of
    the cost: a 20k-card deck has about a million edges and networkx's checks dominate."""
    succ, pred = G._succ, G._pred
    for u, v, key, data in edges:
        keydict = succ[u].get(v)
        if keydict is None:
            keydict = succ[u][v] = pred[v][u] = {}
        keydict[key] = data
    clear = getattr(nx, "_clear_cache", None)  # networkx >= 3.3 caches views on the graph
    if clear is not None:
        clear(G)


def _top_k_either_end(u, v, weight, keep, k: int) -> np.ndarray:
    """Mask of the pairs among the k strongest of u's or of v's pairs (of those `keep` allows)."""
    m = len(u)
    ends = np.concatenate([u, v])
    scores = np.concatenate([np.where(keep, weight, -np.inf)] * 2)
    order = np.lexsort((-scores, ends))  # by end, strongest first within each end
    ranked = ends[order]
    rank = np.empty(2 * m, dtype=np.int64)
    rank[order] = np.arange(2 * m) - np.searchsorted(ranked, ranked, side="left")
    top = rank < k
    return top[:m] | top[m:]


def _shared_evidence(concept_cards, card_sets, child: str, parent: str) -> list[str]:
    parent_cards = card_sets.get(parent)
    if parent_cards is None:
        parent_cards = card_sets[parent] = set(concept_cards.get(parent, ()))
    both = [c for c in concept_cards.get(child, ()) if c in parent_cards]
    rest = [c for c in concept_cards.get(child, ()) if c not in parent_cards]
    return (both + rest)[:EVIDENCE_LIMIT]


def _relations(G, by_card, resolve) -> list[tuple[str, str, dict]]:
    found: dict[tuple[str, str], tuple[Counter, list[str]]] = {}
    for cid, ext in by_card.items():
        if not ext.relations or not G.has_node(card_node(cid)):
            continue
        for rel in ext.relations:
            subject, obj = resolve(rel.subject), resolve(rel.object)
            if subject is None or obj is None:
                continue
            u, v = concept_id(subject), concept_id(obj)
            if u == v or u not in G or v not in G:
                continue
            verbs, cids = found.setdefault((u, v), (Counter(), []))
            verbs[rel.verb] += 1
            if cid not in cids:
                cids.append(cid)
    return [(u, v, {"kind": "related", "weight": sum(verbs.values()), "verb": verbs.most_common(1)[0][0],
                    "evidence": cids[:EVIDENCE_LIMIT]})
            for (u, v), (verbs, cids) in found.items()]


def link_strength(kind: str, data: dict) -> float:
    """How strongly one edge links two concepts, on one scale (0, 1] for every kind."""
    if kind == "co_occurs":
        return data.get("weight", 0.0)
    # Hierarchy and stated relations are certain links: at least as strong as a typical
    # co-occurrence, so paths and communities respect them.
    return max(0.5, min(1.0, float(data.get("weight", 1.0))))


def concept_graph(G: nx.MultiDiGraph, *, kinds=("co_occurs", "is_a", "part_of", "related"),
                  nodes=None) -> nx.Graph:
    """The concepts of `G` (or only `nodes`) as a simple undirected graph, one edge per linked pair.

    Each edge keeps the strongest `weight` among its kinds, `kinds` (sorted list) and the
    co-occurrence `shared` count; nodes keep their attributes. With `nodes`, the cost grows with
    the links of those nodes, not with the size of the graph.
    """
    if nodes is None:
        chosen = sorted(n for n, kind in G.nodes(data="kind") if kind == "concept")
        # Every edge between two concepts is met from its source: successors suffice.
        directions = (G._succ,)
    else:
        chosen = sorted(n for n in nodes if n in G)
        directions = (G._succ, G._pred)
    # Sorted: the order of nodes seeds layouts, so a view looks the same after a restart.
    wanted = set(chosen)
    kinds = set(kinds)
    H = nx.Graph()
    H.add_nodes_from((n, G.nodes[n]) for n in chosen)
    merged: dict[tuple[str, str], list] = {}
    for u in chosen:
        for direction in directions:
            adjacency = direction[u]
            # A hub's neighbours are many: look up the chosen few instead of walking them all.
            if len(adjacency) > len(wanted):
                pairs = ((v, adjacency[v]) for v in wanted if v in adjacency)
            else:
                pairs = ((v, keyed) for v, keyed in adjacency.items() if v in wanted)
            for v, keyed in pairs:
                if v == u:
                    continue
                pair = (u, v) if u < v else (v, u)
                for k, d in keyed.items():
                    if k not in kinds:
                        continue
                    weight = link_strength(k, d)
                    e = merged.get(pair)
                    if e is None:
                        merged[pair] = [weight, {k}, d.get("shared", 0)]
                    else:
                        e[0] = max(e[0], weight)
                        e[1].add(k)
                        e[2] = max(e[2], d.get("shared", 0))
    H.add_edges_from((u, v, {"weight": w, "kinds": sorted(ks), "shared": s})
                     for (u, v), (w, ks, s) in merged.items())
    return H


_CONCEPT_GRAPHS: "weakref.WeakKeyDictionary[nx.MultiDiGraph, tuple]" = weakref.WeakKeyDictionary()


def shared_concept_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """`concept_graph(G)` built once per graph and frozen: for analyses that only read it.

    Rebuilt when G's size changes, the cheap sign that someone edited it in between.
    """
    stamp = (G.number_of_nodes(), G.number_of_edges())
    cached = _CONCEPT_GRAPHS.get(G)
    if cached is None or cached[0] != stamp:
        cached = _CONCEPT_GRAPHS[G] = (stamp, nx.freeze(concept_graph(G)))
    return cached[1]


def louvain(nodes: list[str], links: Iterable[tuple[str, str, float]], *, seed: int = LOUVAIN_SEED) -> list[set[str]]:
    """Louvain communities of an undirected weighted graph given as (u, v, weight) links, largest
    first. Seeded: the same graph gives the same groups."""
    links = list(links)
    membership = _igraph_membership(nodes, links, seed)
    if membership is None:  # pragma: no cover - igraph comes with kg's test extras
        H = nx.Graph()
        H.add_nodes_from(nodes)
        H.add_weighted_edges_from(links)
        groups = nx.community.louvain_communities(H, weight="weight", seed=seed)
    else:
        by_number: dict[int, set[str]] = defaultdict(set)
        for node, number in zip(nodes, membership):
            by_number[number].add(node)
        groups = list(by_number.values())
    return sorted(groups, key=lambda g: (-len(g), min(g)))


def _igraph_membership(nodes, links, seed) -> list[int] | None:
    # igraph's C Louvain takes seconds where networkx's takes a minute on a 20k-card deck.
    try:
        import igraph
    except ImportError:  # pragma: no cover
        return None
    import random

    index = {n: i for i, n in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v, _ in links])
    igraph.set_random_number_generator(random.Random(seed))
    try:
        return g.community_multilevel(weights=[w for _, _, w in links] or None).membership
    finally:
        igraph.set_random_number_generator(random)


def _pagerank(nodes: list[str], links: list[tuple[str, str, float]], jump: list[float]) -> list[float]:
    try:
        import igraph
    except ImportError:  # pragma: no cover
        H = nx.Graph()
        H.add_nodes_from(nodes)
        H.add_weighted_edges_from(links)
        ranks = nx.pagerank(H, weight="weight", personalization=dict(zip(nodes, jump)))
        return [ranks[n] for n in nodes]
    index = {n: i for i, n in enumerate(nodes)}
    g = igraph.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v, _ in links])
    # PRPACK (the default) takes a second on 14k concepts where ARPACK takes a tenth; they
    # agree to 1e-15, far below the 8 decimals kept.
    return g.personalized_pagerank(directed=False, weights=[w for _, _, w in links] or None, reset=jump,
                                   implementation="arpack")


def _add_communities_and_importance(G: nx.MultiDiGraph, links: list[tuple]) -> None:
    nodes = sorted(n for n, kind in G.nodes(data="kind") if kind == "concept")
    if not nodes:
        return
    # One link per pair: the strongest weight, the largest shared count.
    pairs: dict[tuple[str, str], list] = {}
    for u, v, w, s in links:
        pair = (u, v) if u < v else (v, u)
        e = pairs.get(pair)
        if e is None:
            pairs[pair] = [w, s]
        else:
            e[0], e[1] = max(e[0], w), max(e[1], s)
    attrs = G.nodes
    for number, group in enumerate(louvain(nodes, [(u, v, w) for (u, v), (w, _) in pairs.items()])):
        for node in group:
            attrs[node]["community"] = number
    # Importance: PageRank where a link counts as often as the two concepts share cards, with a
    # random jump proportional to how many cards name the concept: central *and* frequent.
    jump = [float(attrs[n].get("cards", 1) or 1) for n in nodes]
    ranks = _pagerank(nodes, [(u, v, float(max(s, 1))) for (u, v), (_, s) in pairs.items()], jump)
    for node, value in zip(nodes, ranks):
        attrs[node]["importance"] = round(value, 8)
