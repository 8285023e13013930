"""The knowledge graph: decks contain cards, cards mention concepts, concepts link to concepts.

`build_graph` turns cards and their extractions into the one `nx.MultiDiGraph` every other part
of kg reads (the contract is in ARCHITECTURE.md). It never calls spaCy: extraction is done.

The concepts that meet on the same cards are counted and linked in kg.cooccurrence, communities
and importance worked out in kg.importance, node ids made in kg.ids; kg.conceptgraph reads the
concepts back as a simple graph for the analyses.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

import networkx as nx

from kg.cardcounts import CardCounts
from kg.cardfields import answer_fields
from kg.cards import Card
from kg.conceptgraph import concept_graph, link_strength  # re-exported
from kg.cooccurrence import EVIDENCE_LIMIT, CoOccurrence, co_occurs_edge
from kg.deckterms import DeckTerms, count_marked
from kg.extraction import CardExtraction
from kg.gcpause import paused_gc  # noqa: F401  (re-exported: kg.update, kg.analysis.scope)
from kg.graphstate import TALLY_SEP, GraphState
from kg.hierarchy import hierarchy_edges
from kg.ids import card_node, concept_id, deck_node, slug
from kg.importance import communities_and_importance, concept_links
from kg.labels import PLAIN, SurfaceCounts, mention_context
from kg.nlp.generic import GENERAL_ZIPF, zipf
from kg.phases import phase
from kg.termhood import passing_concepts, structured_concepts, term_cards

__all__ = ["build_graph", "concept_id", "concept_graph", "link_strength", "card_node", "deck_node", "slug",
           "paused_gc"]

LABEL_LENGTH = 80


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
    return build_graph_and_state(cards, extractions, curation=curation)[0]


def build_graph_and_state(cards: Iterable[Card], extractions: Iterable[CardExtraction], *, curation=None,
                          counting=None):
    """`build_graph`, and the counts it was made from (a `GraphState`), which let a later build
    update the graph for a few changed cards (kg.update) instead of counting every card again.

    `counting` does the deck-wide sums (default `LocalCounting`, in this process; kg.cluster
    sums on a Dask cluster); the graph is the same either way.
    """
    with paused_gc():
        G, state, _, _ = _build_graph(list(cards), extractions, curation, counting or LocalCounting())
    return G, state


class LocalCounting:
    """The deck-wide sums a graph is made from, counted in this process.

    The three steps are what another counter (kg.cluster's) must give back, equal to these.
    """

    def acronyms(self, cards: list[Card], by_card: dict[str, CardExtraction], resolve) -> dict[str, Counter]:
        """short -> long -> cards defining the acronym."""
        expansions: dict[str, Counter] = defaultdict(Counter)
        for card in cards:
            if card.id in by_card:
                resolve.count_acronyms(by_card[card.id], expansions)
        return expansions

    def mentions(self, cards: list[Card], by_card: dict[str, CardExtraction], target_of, terms=None):
        """({card: {node: (count, in_question, in_answer, marked)}} in card order, the tally of
        (extracted key, surface, context) -> mentions, {node: cards naming it}); `terms`, the
        deck's marked names (kg.deckterms), are found on every card."""
        card_mentions: dict[str, CardCounts] = {}
        tally: Counter = Counter()
        for card in cards:
            ext = by_card.get(card.id)
            if ext is not None:
                card_mentions[card.id] = card_contribution(card, ext, target_of, tally, terms)
        df: Counter = Counter()
        for found in card_mentions.values():
            df.update(found.keys())
        return card_mentions, tally, df

    def co_occurrence(self, card_mentions: dict[str, CardCounts], df: Counter, *, n_cards: int):
        """The pairs that meet on cards: `nodes`, `counted`, `counts`, `kept()`, `evidence()`,
        `evidence_table()`."""
        return CoOccurrence(card_mentions, df, n_cards=n_cards)


def _build_graph(cards: list[Card], extractions: Iterable[CardExtraction], curation, counting, *,
                 whole: bool = True):
    """(graph, state, card -> {node: (count, in_question, in_answer, marked)}, evidence); with
    `whole=False` the graph holds no card, `contains`, `mentions` or `co_occurs` (kg.graphrows):
    the `co_occurs` links are `state.co_occurs`, in the order the whole graph adds them, and
    `evidence` (a `kg.cooccurrence.EvidenceTable` or a list) their cards, link by link; with
    `whole=True` evidence is None. `extractions` may be a Mapping {card id: extraction}, read
    as it is: a caller can then make each extraction as it is asked for instead of holding them
    all (bench/synthetic.py at a million cards)."""
    by_card = extractions if isinstance(extractions, Mapping) else {e.card_id: e for e in extractions}
    G = nx.MultiDiGraph()

    # Nothing below reads a card's node or edges, nor a `co_occurs` edge, so a build that only
    # writes them leaves them out of the graph (kg.graphrows).
    _add_decks(G, cards)
    if whole:
        _add_cards(G, cards)
    resolve = KeyResolver(curation)
    with phase("count acronyms"):
        expansions = counting.acronyms(cards, by_card, resolve)
    resolve.use(expansions)
    target_of = resolve.target

    # The names the deck's authors marked somewhere are looked for on every card (kg.deckterms).
    marked = count_marked(by_card[c.id] for c in cards if c.id in by_card)
    terms = DeckTerms(marked)

    # card -> concept node -> (count, in_question, in_answer, marked); (extracted key, surface, where it
    # stood) -> mentions: every name is tallied once, at the end; concept -> cards naming it
    with phase("count mentions"):
        card_mentions, tally, df = counting.mentions(cards, by_card, target_of, terms)

    # node -> (extracted key, surface, context) -> mentions
    tallies: dict[str, dict[str, int]] = defaultdict(dict)
    for entry, n in tally.items():
        tallies[target_of(entry[0], entry[1])[0]][TALLY_SEP.join(entry)] = n
    named, word_case = concept_names(tallies, target_of, curation)

    G.add_nodes_from(
        (node, {"kind": "concept", **names, "cards": df[node], "community": -1, "importance": 0.0})
        for node, names in named.items()
    )
    if whole:
        _add_mentions(G, card_mentions)

    with phase("count pairs"):
        co = counting.co_occurrence(card_mentions, df, n_cards=max(len(cards), 1))
    co_occurs = co.kept()
    evidence = None
    if whole:
        _add_keyed_edges(G, ((a, b, "co_occurs", co_occurs_edge(stats, cards_of))
                             for ((a, b), stats), cards_of in zip(co_occurs.items(), co.evidence(co_occurs))))
    else:
        evidence = co.evidence_table(co_occurs)
    # The pairs' counts are kept; every card's pairs (`co`'s largest arrays) are let go here.
    pair_nodes, pair_codes, pair_counts = co.nodes, co.counted, co.counts
    del co

    with phase("hierarchy and relations"):
        hierarchy: dict[tuple[str, str, str], str] = {}
        concept_cards = CardLists(card_mentions)
        for child, parent, kind, origin in hierarchy_edges(G, curation=curation, resolve=resolve):
            hierarchy[child, parent, kind] = origin
            G.add_edge(child, parent, key=kind, **hierarchy_edge(kind, origin, concept_cards.shared(child, parent)))

        relations = relation_counts(((cid, by_card[cid]) for cid in card_mentions), resolve)
        for (u, v), (verbs, cids) in relations.items():
            if u in G and v in G:
                G.add_edge(u, v, key="related", **related_edge(verbs, cids))

    # How the deck treats each concept: as a term (asked, marked, repeated, divided) or
    # a word said in passing, which ranks as general language (kg.termhood).
    terms = term_cards(card_mentions)
    passing = passing_concepts(named, terms, structured_concepts(hierarchy))
    attrs = G.nodes
    for node in named:
        attrs[node]["term_cards"] = terms.get(node, 0)
        attrs[node]["passing"] = node in passing
    with phase("importance and communities"):
        ranks = communities_and_importance(df, concept_links(co_occurs, hierarchy, relations, df),
                                           keys={node: (names["key"], names["label"], node in passing)
                                                 for node, names in named.items()})
    for node, (community, importance) in ranks.items():
        attrs[node]["community"] = community
        attrs[node]["importance"] = importance

    state = GraphState(
        pair_nodes=pair_nodes, pair_codes=pair_codes, pair_counts=pair_counts,
        acronyms={short: dict(longs) for short, longs in expansions.items()},
        deck_terms=dict(marked),
        card_concepts={cid: list(found) for cid, found in card_mentions.items()},
        tallies=dict(tallies), word_case=word_case, relations=relations, co_occurs=co_occurs,
        hierarchy=hierarchy,
    )
    return G, state, card_mentions, evidence


OWN, SHORT, MERGED = 0, 1, 2  # how an extracted key names its concept


class KeyResolver:
    """Maps an extracted key to its concept key (None = hidden by curation), folding acronyms
    defined on any card into their long form."""

    def __init__(self, curation):
        self.curation = curation
        self._curated: dict[str, str | None] = {}
        self._targets: dict[str, tuple | None] = {}
        self._written_targets: dict[str, tuple | None] = {}
        self.acronym_of: dict[str, str] = {}
        self._everyday: frozenset[str] = frozenset()  # short forms that are everyday words
        self.shorts_of: dict[str, frozenset[str]] = {}

    def curated(self, key: str) -> str | None:
        # Extracted keys are already normalized; a big deck repeats the same keys many times.
        if self.curation is None:
            return key
        if key not in self._curated:
            self._curated[key] = self.curation.canonical(key, normalized=True)
        return self._curated[key]

    def count_acronyms(self, ext: CardExtraction, expansions: dict[str, Counter], sign: int = 1) -> None:
        """Add (or with sign=-1 take away) the acronym definitions of one card."""
        for acronym in ext.acronyms:
            long = self.curated(acronym.long)
            short = self.curated(acronym.short)
            if long and short and long != short:
                expansions[short][long] += sign
                if expansions[short][long] <= 0:
                    del expansions[short][long]
                    if not expansions[short]:
                        del expansions[short]

    def use(self, expansions: dict[str, Counter]) -> None:
        """Resolve with these acronym definitions (short -> long -> cards defining it)."""
        # The long form most cards give; equals by the form, so card order never decides.
        self.acronym_of = {short: min(longs.items(), key=lambda kv: (-kv[1], kv[0]))[0]
                           for short, longs in expansions.items() if longs}
        shorts_of: dict[str, set[str]] = defaultdict(set)
        for short, longs in expansions.items():
            for long in longs:
                shorts_of[long].add(short)
        self.shorts_of = {long: frozenset(shorts) for long, shorts in shorts_of.items()}
        self._everyday = frozenset(short for short in self.acronym_of if zipf(short) >= GENERAL_ZIPF)
        self._targets.clear()
        self._written_targets.clear()

    def __call__(self, key: str, written: bool = False) -> str | None:
        """The concept key of `key`; `written`: its first word was written as an acronym ("REST
        API", not "Rest api")."""
        key = self.curated(key)
        if key is None:
            return None
        if key in self.acronym_of:
            return self.acronym_of[key]
        # A compound led by a known acronym is the same concept as the compound led by its
        # expansion ("ML lifecycle" = "machine learning lifecycle"). Only the leading word is
        # expanded: a trailing one is usually part of a name ("Vertex AI" is not "Vertex
        # artificial intelligence").
        # A short form that is an everyday word only when written as an acronym: "REST API" is
        # a representational state transfer API, but "Use case" no "universal sentence encoder
        # case" because the deck defines USE.
        first, _, rest = key.partition(" ")
        if rest and first in self.acronym_of and (written or first not in self._everyday):
            return self.curated(f"{self.acronym_of[first]} {rest}") or key
        return key

    def target(self, raw: str, surface: str | None = None) -> tuple | None:
        """(node, key, role, acronyms of key) for an extracted key written as `surface` (which
        only matters when its first word is an everyday word the deck defines as an acronym);
        None when curation hides it."""
        written = surface is not None and bool(self._everyday) and raw.partition(" ")[0] in self._everyday \
            and _acronym_cased(surface.partition(" ")[0])
        targets = self._written_targets if written else self._targets
        found = targets.get(raw, False)
        if found is False:
            key = self(raw, written)
            if key is None:
                found = None
            else:
                shorts = self.shorts_of.get(key, frozenset())
                role = SHORT if self.curated(raw) in shorts else OWN if raw == key else MERGED
                found = (concept_id(key), key, role, shorts)
            targets[raw] = found
        return found


def _acronym_cased(word: str) -> bool:
    """Written as an acronym: two capitals at least ("REST", "FiLM"; not "Rest")."""
    return sum(c.isupper() for c in word) >= 2


def card_contribution(card: Card, ext: CardExtraction, target_of, tally: Counter,
                      terms: DeckTerms | None = None) -> CardCounts:
    """The concepts one card names, {node: (count, in_question, in_answer, marked)} (`marked`:
    how many of the mentions the author marked), with the deck's marked names `terms` found on
    it; its names are counted into `tally` as (extracted key, surface, context). Read-only and
    compact (kg.cardcounts): a build holds one a card."""
    found: dict[str, list] = {}
    mentions = ext.mentions + terms.found(card, ext) if terms else ext.mentions
    for m in mentions:
        raw = m.concept
        target = target_of(raw, m.surface)
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
            entry = found[target[0]] = [0, False, False, 0]
        entry[0] += 1
        entry[1 if in_question else 2] = True
        entry[3] += m.marked
    return CardCounts(found)


def mention_edge(entry: tuple) -> dict:
    count, in_q, in_a, marked = entry
    return {"mentions": {"kind": "mentions", "weight": count, "count": count, "in_question": in_q,
                         "in_answer": in_a, "marked": marked}}


def concept_names(tallies: dict[str, dict[str, int]], target_of, curation, *,
                  word_case: dict[str, list[int]] | None = None) -> tuple[dict[str, dict], dict[str, list[int]]]:
    """{node: {"key", "label", "aliases"}} from how the deck writes each concept, and the
    deck-wide case votes (computed from `tallies` unless given: an update names a few concepts
    with the votes of the whole deck)."""
    names = SurfaceCounts()
    keys_of: dict[str, str] = {}
    for node, tally in tallies.items():
        keys: dict[str, int] = {}
        for entry, n in tally.items():
            raw, surface, context = entry.split(TALLY_SEP)
            _, key, role, shorts = target_of(raw, surface)
            keys[key] = keys.get(key, 0) + n
            if role == SHORT or (shorts and surface.lower() in shorts):
                names.add_short(node, surface, n)
            elif role == MERGED:
                names.add_alias(node, surface, n)
            else:
                names.add(node, surface, context, n)
        # The key most mentions resolve to; equals by the key, so card order never decides.
        keys_of[node] = min(keys.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    if word_case is not None:
        names.word_case = word_case
    curated_aliases = getattr(curation, "aliases", {}) if curation is not None else {}
    named = {node: {"key": key, **names.names(node, key, curated_aliases.get(key, ()))}
             for node, key in keys_of.items()}
    return named, {w: list(v) for w, v in names.word_case.items()}


def _add_decks(G: nx.MultiDiGraph, cards: list[Card]) -> None:
    deck_sizes = Counter(card.deck for card in cards)
    G.add_nodes_from((deck_node(deck), {"kind": "deck", "label": deck, "cards": size})
                     for deck, size in deck_sizes.items())


def _add_cards(G: nx.MultiDiGraph, cards: list[Card]) -> None:
    G.add_nodes_from((card_node(card.id), card_attrs(card)) for card in cards)
    G.add_edges_from((deck_node(card.deck), card_node(card.id), "contains", CONTAINS) for card in cards)


def _add_mentions(G: nx.MultiDiGraph, card_mentions: dict[str, CardCounts]) -> None:
    succ, pred = G._succ, G._pred  # each card names each concept once: no key to merge with
    for cid, found in card_mentions.items():
        card = card_node(cid)
        out = succ[card]
        for node, entry in found.items():
            out[node] = pred[node][card] = mention_edge(entry)


CONTAINS = {"kind": "contains", "weight": 1}


def card_attrs(card: Card) -> dict:
    question = " ".join(card.question.split())
    label = question if len(question) <= LABEL_LENGTH else question[: LABEL_LENGTH - 1] + "…"
    return {"kind": "card", "label": label, "question": card.question, "answer": card.answer,
            "question_html": card.question_html or "", "answer_html": card.answer_html or "",
            "deck": card.deck, "source": card.source, "tags": list(card.tags), "guid": card.guid or "",
            # Only where the answer is several named fields (a page shows them labelled): other
            # cards' rows stay as they were.
            **({"answer_fields": [list(f) for f in parts]} if (parts := answer_fields(card)) else {})}


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


class CardLists:
    """The cards naming each concept, in card order, made on first use."""

    def __init__(self, card_concepts: dict[str, Iterable[str]]):
        self._card_concepts = card_concepts
        self._lists: dict[str, list[str]] | None = None
        self._sets: dict[str, set[str]] = {}  # a parent has many children: its set is made once

    def of(self, node: str) -> list[str]:
        if self._lists is None:
            self._lists = defaultdict(list)
            for cid, found in self._card_concepts.items():
                for x in found:
                    self._lists[x].append(cid)
        return self._lists.get(node, [])

    def shared(self, child: str, parent: str) -> list[str]:
        """Evidence of child -> parent: the cards naming both first, then the child's others."""
        parent_cards = self._sets.get(parent)
        if parent_cards is None:
            parent_cards = self._sets[parent] = set(self.of(parent))
        cards = self.of(child)
        both = [c for c in cards if c in parent_cards]
        rest = [c for c in cards if c not in parent_cards]
        return (both + rest)[:EVIDENCE_LIMIT]


def hierarchy_edge(kind: str, origin: str, evidence: list[str]) -> dict:
    return {"kind": kind, "weight": 1.0, "origin": origin, "evidence": evidence}


def relation_counts(extractions: Iterable[tuple[str, CardExtraction]], resolve) -> dict:
    """{(subject node, object node): (verb counts, cards in order)} over (card id, extraction)
    pairs in card order; pairs whose ends are not concepts are kept too (a later card may
    make them one)."""
    found: dict[tuple[str, str], tuple[Counter, list[str]]] = {}
    for cid, ext in extractions:
        add_relations(found, cid, ext, resolve)
    return found


def card_relations(ext: CardExtraction, resolve) -> list[tuple[str, str, str]]:
    """(subject node, verb, object node) stated on one card, curation and acronyms applied."""
    out = []
    for rel in ext.relations:
        subject, obj = resolve(rel.subject), resolve(rel.object)
        if subject is None or obj is None:
            continue
        u, v = concept_id(subject), concept_id(obj)
        if u != v:
            out.append((u, rel.verb, v))
    return out


def add_relations(found: dict, cid: str, ext: CardExtraction, resolve) -> None:
    for u, verb, v in card_relations(ext, resolve):
        verbs, cids = found.setdefault((u, v), (Counter(), []))
        verbs[verb] += 1
        if cid not in cids:
            cids.append(cid)


def related_edge(verbs: Counter, cids: list[str]) -> dict:
    # The verb most sentences use; equals by the verb, so card order never decides.
    verb = min(verbs.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return {"kind": "related", "weight": sum(verbs.values()), "verb": verb, "evidence": cids[:EVIDENCE_LIMIT]}
