"""The knowledge graph: decks contain cards, cards mention concepts, concepts link to concepts.

`build_graph` turns cards and their extractions into the one `nx.MultiDiGraph` every other part
of kg reads (the contract is in ARCHITECTURE.md). It never calls spaCy: extraction is done.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable

import networkx as nx

from kg.cards import Card
from kg.extraction import CardExtraction

__all__ = ["build_graph", "concept_id", "concept_graph", "link_strength", "card_node", "deck_node", "slug"]

# A card naming very many concepts would add O(k^2) co-occurrence pairs; only its most specific
# concepts take part, which keeps counting linear in mentions.
MAX_CONCEPTS_PER_CARD = 24
# Decks this small keep pairs seen on a single card; bigger decks need two shared cards, or the
# graph fills with one-off pairs (hundreds per card) that say little and cost memory.
SMALL_DECK_CARDS = 2000
EVIDENCE_LIMIT = 50
LABEL_LENGTH = 80
LOUVAIN_SEED = 42

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_SENTENCE_END = re.compile(r"[.!?:;\n]\s*$")


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
    every card into the long form.

    >>> from kg.cards import Card
    >>> from kg.extraction import CardExtraction, Mention
    >>> card = Card(id="c1", deck="Ops", question="What is data drift?", answer="A kind of drift.")
    >>> ext = CardExtraction("c1", [Mention("data drift", "data drift", "question", 8, 18),
    ...                             Mention("drift", "drift", "answer", 10, 15)])
    >>> G = build_graph([card], [ext])
    >>> sorted(k for _, _, k in G.edges(keys=True))
    ['contains', 'is_a', 'mentions', 'mentions']
    """
    from kg.hierarchy import hierarchy_edges

    cards = list(cards)
    by_card = {e.card_id: e for e in extractions}
    G = nx.MultiDiGraph()

    _add_decks_and_cards(G, cards)
    resolve, shorts_of = _key_resolver([by_card[c.id] for c in cards if c.id in by_card], curation)

    # card -> concept node -> [count, in_question, in_answer]
    card_mentions: dict[str, dict[str, list]] = {}
    concept_keys: dict[str, Counter] = defaultdict(Counter)
    surfaces: dict[str, Counter] = defaultdict(Counter)
    alias_surfaces: dict[str, Counter] = defaultdict(Counter)
    for card in cards:
        ext = by_card.get(card.id)
        if ext is None:
            continue
        found: dict[str, list] = {}
        for m in ext.mentions:
            key = resolve(m.concept)
            if key is None:
                continue
            node = concept_id(key)
            concept_keys[node][key] += 1
            text = card.question if m.field == "question" else card.answer
            starts_sentence = m.start == 0 or bool(_SENTENCE_END.search(text[: m.start]))
            # An acronym or a merged name is an alias; the label comes from the term spelt out.
            if m.concept != key or m.surface.lower() in shorts_of.get(key, ()):
                alias_surfaces[node][m.surface] += 1
            else:
                # Sentence-initial capitals say nothing about how the term is written.
                surfaces[node][(m.surface, starts_sentence)] += 1
            entry = found.setdefault(node, [0, False, False])
            entry[0] += 1
            entry[1 if m.field == "question" else 2] = True
        card_mentions[card.id] = found

    concept_cards: dict[str, list[str]] = defaultdict(list)
    for cid, found in card_mentions.items():
        for node in found:
            concept_cards[node].append(cid)

    for node, keys in concept_keys.items():
        key = keys.most_common(1)[0][0]
        G.add_node(
            node,
            kind="concept",
            key=key,
            label=_label(key, surfaces[node], alias_surfaces[node]),
            aliases=_aliases(key, node, surfaces[node], alias_surfaces[node], curation),
            cards=len(concept_cards[node]),
            community=-1,
            importance=0.0,
        )

    for cid, found in card_mentions.items():
        for node, (count, in_q, in_a) in found.items():
            G.add_edge(card_node(cid), node, key="mentions", kind="mentions", weight=count,
                       count=count, in_question=in_q, in_answer=in_a)

    _add_co_occurs(G, card_mentions, concept_cards, n_cards=max(len(cards), 1))

    for child, parent, kind, origin in hierarchy_edges(G, curation=curation, resolve=resolve):
        G.add_edge(child, parent, key=kind, kind=kind, weight=1.0, origin=origin,
                   evidence=_shared_evidence(concept_cards, child, parent))

    _add_relations(G, by_card, resolve)
    _add_communities_and_importance(G)
    return G


def _add_decks_and_cards(G: nx.MultiDiGraph, cards: list[Card]) -> None:
    deck_sizes = Counter(card.deck for card in cards)
    for deck, size in deck_sizes.items():
        G.add_node(deck_node(deck), kind="deck", label=deck, cards=size)
    for card in cards:
        node = card_node(card.id)
        question = " ".join(card.question.split())
        label = question if len(question) <= LABEL_LENGTH else question[: LABEL_LENGTH - 1] + "…"
        G.add_node(node, kind="card", label=label, question=card.question, answer=card.answer,
                   question_html=card.question_html or "", answer_html=card.answer_html or "",
                   deck=card.deck, source=card.source, tags=list(card.tags))
        G.add_edge(deck_node(card.deck), node, key="contains", kind="contains", weight=1)


def _key_resolver(extractions: list[CardExtraction], curation):
    """The function mapping an extracted key to its concept key (None = hidden), and the
    acronym short forms of each long key."""

    cache: dict[str, str | None] = {}

    def curated(key: str) -> str | None:
        # canonical() normalizes on every call; a big deck repeats the same keys many times.
        if curation is None:
            return key
        if key not in cache:
            cache[key] = curation.canonical(key)
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
        return acronym_of.get(key, key)

    return resolve, shorts_of


def _label(key: str, surfaces: Counter, alias_surfaces: Counter) -> str:
    if not surfaces:
        return key
    totals: Counter = Counter()
    plain: Counter = Counter()
    for (form, initial), n in surfaces.items():
        totals[form.lower()] += n
        if not initial:
            plain[form] += n
    best_lower = max(totals, key=lambda low: (low == key, totals[low], low))
    forms = {form for form, _ in surfaces if form.lower() == best_lower}
    best = max(forms, key=lambda f: (plain[f], sum(ch.isupper() for ch in f), f))
    if plain[best] == 0:
        # Only ever seen at the start of a sentence: its capital is the sentence's, not the term's.
        rest = best[1:]
        if best[:1].isupper() and not any(ch.isupper() for ch in rest):
            return best[:1].lower() + rest
    return best


def _aliases(key, node, surfaces: Counter, alias_surfaces: Counter, curation) -> list[str]:
    own = {form.lower() for form, _ in surfaces} | {key}
    aliases: list[str] = []
    seen: set[str] = set()
    for form, _ in alias_surfaces.most_common():
        if form.lower() not in own and form.lower() not in seen:
            seen.add(form.lower())
            aliases.append(form)
    if curation is not None:
        for alias in getattr(curation, "aliases", {}).get(key, []):
            if alias.lower() not in own and alias.lower() not in seen:
                seen.add(alias.lower())
                aliases.append(alias)
    return aliases


def _add_co_occurs(G, card_mentions, concept_cards, *, n_cards: int) -> None:
    df = {node: len(cids) for node, cids in concept_cards.items()}
    pair_cards: dict[tuple[str, str], list[str]] = defaultdict(list)
    for cid, found in card_mentions.items():
        nodes = list(found)
        if len(nodes) > MAX_CONCEPTS_PER_CARD:
            nodes.sort(key=lambda n: (df[n], n))
            nodes = nodes[:MAX_CONCEPTS_PER_CARD]
        nodes.sort()
        for i, u in enumerate(nodes):
            for v in nodes[i + 1:]:
                pair_cards[(u, v)].append(cid)

    min_shared = 1 if n_cards <= SMALL_DECK_CARDS else 2
    for (u, v), cids in pair_cards.items():
        shared = len(cids)
        if shared < min_shared:
            continue
        npmi = _npmi(shared, df[u], df[v], n_cards)
        if npmi <= 0:
            continue
        # A pair seen once is weaker evidence than the same NPMI over many cards.
        weight = npmi * shared / (shared + 1)
        G.add_edge(u, v, key="co_occurs", kind="co_occurs", weight=round(weight, 6),
                   shared=shared, npmi=round(npmi, 6), evidence=cids[:EVIDENCE_LIMIT])


def _npmi(shared: int, df_u: int, df_v: int, n: int) -> float:
    p_xy = shared / n
    if p_xy >= 1.0:
        return 0.0  # both on every card: no association to measure
    pmi = math.log(p_xy / ((df_u / n) * (df_v / n)))
    return pmi / -math.log(p_xy)


def _shared_evidence(concept_cards, child: str, parent: str) -> list[str]:
    parent_cards = set(concept_cards.get(parent, ()))
    both = [c for c in concept_cards.get(child, ()) if c in parent_cards]
    rest = [c for c in concept_cards.get(child, ()) if c not in parent_cards]
    return (both + rest)[:EVIDENCE_LIMIT]


def _add_relations(G, by_card, resolve) -> None:
    found: dict[tuple[str, str], tuple[Counter, list[str]]] = {}
    for cid, ext in by_card.items():
        if not G.has_node(card_node(cid)):
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
    for (u, v), (verbs, cids) in found.items():
        G.add_edge(u, v, key="related", kind="related", weight=sum(verbs.values()),
                   verb=verbs.most_common(1)[0][0], evidence=cids[:EVIDENCE_LIMIT])


def link_strength(kind: str, data: dict) -> float:
    """How strongly one edge links two concepts, on one scale (0, 1] for every kind."""
    if kind == "co_occurs":
        return data.get("weight", 0.0)
    # Hierarchy and stated relations are certain links: at least as strong as a typical
    # co-occurrence, so paths and communities respect them.
    return max(0.5, min(1.0, float(data.get("weight", 1.0))))


def concept_graph(G: nx.MultiDiGraph, *, kinds=("co_occurs", "is_a", "part_of", "related")) -> nx.Graph:
    """The concepts of `G` as a simple undirected graph, one edge per linked pair.

    Each edge keeps the strongest `weight` among its kinds, `kinds` (sorted list) and the
    co-occurrence `shared` count; nodes keep their attributes.
    """
    H = nx.Graph()
    H.add_nodes_from((n, d) for n, d in G.nodes(data=True) if d.get("kind") == "concept")
    for u, v, k, d in G.edges(keys=True, data=True):
        if k not in kinds or u not in H or v not in H:
            continue
        weight = link_strength(k, d)
        if H.has_edge(u, v):
            e = H[u][v]
            e["weight"] = max(e["weight"], weight)
            e["kinds"] = sorted(set(e["kinds"]) | {k})
            e["shared"] = max(e["shared"], d.get("shared", 0))
        else:
            H.add_edge(u, v, weight=weight, kinds=[k], shared=d.get("shared", 0))
    return H


def _add_communities_and_importance(G: nx.MultiDiGraph) -> None:
    H = concept_graph(G)
    if H.number_of_nodes() == 0:
        return
    groups = nx.community.louvain_communities(H, weight="weight", seed=LOUVAIN_SEED)
    groups = sorted(groups, key=lambda g: (-len(g), min(g)))
    for number, group in enumerate(groups):
        for node in group:
            G.nodes[node]["community"] = number
    # Importance: PageRank where a link counts as often as the two concepts share cards, with a
    # random jump proportional to how many cards name the concept: central *and* frequent.
    for u, v, d in H.edges(data=True):
        d["pr_weight"] = max(d["shared"], 1)
    jump = {n: float(H.nodes[n].get("cards", 1) or 1) for n in H}
    ranks = nx.pagerank(H, weight="pr_weight", personalization=jump)
    for node, value in ranks.items():
        G.nodes[node]["importance"] = round(value, 8)
