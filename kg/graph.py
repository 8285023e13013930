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

import re
import threading
import unicodedata
import weakref
from collections import Counter, defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from functools import lru_cache

import networkx as nx
import numpy as np

from kg.cards import Card
from kg.extraction import CardExtraction
from kg.graphstate import TALLY_SEP, GraphState
from kg.labels import PLAIN, SurfaceCounts, mention_context
from kg.nlp.generic import SPECIFICITY_FLOOR, specificity
from kg.gcpause import paused_gc  # noqa: F401  (re-exported: kg.update, kg.analysis.scope)
from kg.phases import phase
from kg.deckterms import DeckTerms, count_marked
from kg.termhood import passing_concepts, structured_concepts, term_cards

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

# Any run of characters that are neither letters nor digits (of any script).
_NON_SLUG = re.compile(r"[\W_]+")




@lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """Lower-case letters and digits, everything else folded to single `-`. A Latin letter loses
    its accent ("pretérito" -> "preterito"); the letters of other scripts stay as they are, so that
    "して" and "что" are concepts of their own, not all one "x".

    >>> slug("CI/CD pipelines"), slug("Pretérito perfecto"), slug("は vs が")
    ('ci-cd-pipelines', 'preterito-perfecto', 'は-vs-が')
    """
    folded = "".join(_fold(ch) for ch in unicodedata.normalize("NFC", text))
    return _NON_SLUG.sub("-", folded.lower()).strip("-") or "x"


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    """A character as ASCII when it is a Latin letter with marks or a compatibility form ("é",
    "ﬁ", "²"); else itself. Kana are left whole: "が" is not "か" with a mark dropped."""
    if ch.isascii():
        return ch
    ascii_form = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii")
    return ascii_form if ascii_form and ascii_form.isalnum() else ch


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
    return build_graph_and_state(cards, extractions, curation=curation)[0]


def build_graph_and_state(cards: Iterable[Card], extractions: Iterable[CardExtraction], *, curation=None,
                          counting=None):
    """`build_graph`, and the counts it was made from (a `GraphState`), which let a later build
    update the graph for a few changed cards (kg.update) instead of counting every card again.

    `counting` does the deck-wide sums (default `LocalCounting`, in this process; kg.cluster
    sums on a Dask cluster); the graph is the same either way.
    """
    with paused_gc():
        return _build_graph(list(cards), extractions, curation, counting or LocalCounting())


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
        """({card: {node: [count, in_question, in_answer, marked]}} in card order, the tally of
        (extracted key, surface, context) -> mentions, {node: cards naming it}); `terms`, the
        deck's marked names (kg.deckterms), are found on every card."""
        card_mentions: dict[str, dict[str, list]] = {}
        tally: Counter = Counter()
        for card in cards:
            ext = by_card.get(card.id)
            if ext is not None:
                card_mentions[card.id] = card_contribution(card, ext, target_of, tally, terms)
        df: Counter = Counter()
        for found in card_mentions.values():
            df.update(found.keys())
        return card_mentions, tally, df

    def co_occurrence(self, card_mentions: dict[str, dict[str, list]], df: Counter, *, n_cards: int):
        """The pairs that meet on cards: `nodes`, `counted`, `counts`, `kept()`, `evidence()`."""
        return CoOccurrence(card_mentions, df, n_cards=n_cards)


def _build_graph(cards: list[Card], extractions: Iterable[CardExtraction], curation, counting):
    from kg.hierarchy import hierarchy_edges

    by_card = {e.card_id: e for e in extractions}
    G = nx.MultiDiGraph()

    _add_decks_and_cards(G, cards)
    resolve = KeyResolver(curation)
    with phase("count acronyms"):
        expansions = counting.acronyms(cards, by_card, resolve)
    resolve.use(expansions)
    target_of = resolve.target

    # The names the deck's authors marked somewhere are looked for on every card (kg.deckterms).
    marked = count_marked(by_card[c.id] for c in cards if c.id in by_card)
    terms = DeckTerms(marked)

    # card -> concept node -> [count, in_question, in_answer, marked]; (extracted key, surface, where it
    # stood) -> mentions: every name is tallied once, at the end; concept -> cards naming it
    with phase("count mentions"):
        card_mentions, tally, df = counting.mentions(cards, by_card, target_of, terms)

    # node -> (extracted key, surface, context) -> mentions
    tallies: dict[str, dict[str, int]] = defaultdict(dict)
    for entry, n in tally.items():
        tallies[target_of(entry[0])[0]][TALLY_SEP.join(entry)] = n
    named, word_case = concept_names(tallies, target_of, curation)

    G.add_nodes_from(
        (node, {"kind": "concept", **names, "cards": df[node], "community": -1, "importance": 0.0})
        for node, names in named.items()
    )
    succ, pred = G._succ, G._pred  # each card names each concept once: no key to merge with
    for cid, found in card_mentions.items():
        card = card_node(cid)
        out = succ[card]
        for node, entry in found.items():
            out[node] = pred[node][card] = mention_edge(entry)

    with phase("count pairs"):
        co = counting.co_occurrence(card_mentions, df, n_cards=max(len(cards), 1))
    co_occurs = co.kept()
    _add_keyed_edges(G, ((a, b, "co_occurs", co_occurs_edge(stats, evidence))
                         for ((a, b), stats), evidence in zip(co_occurs.items(), co.evidence(co_occurs))))

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
        pair_nodes=co.nodes, pair_codes=co.counted, pair_counts=co.counts,
        acronyms={short: dict(longs) for short, longs in expansions.items()},
        deck_terms=dict(marked),
        card_concepts={cid: list(found) for cid, found in card_mentions.items()},
        tallies=dict(tallies), word_case=word_case, relations=relations, co_occurs=co_occurs,
        hierarchy=hierarchy,
    )
    return G, state


OWN, SHORT, MERGED = 0, 1, 2  # how an extracted key names its concept


class KeyResolver:
    """Maps an extracted key to its concept key (None = hidden by curation), folding acronyms
    defined on any card into their long form."""

    def __init__(self, curation):
        self.curation = curation
        self._curated: dict[str, str | None] = {}
        self._targets: dict[str, tuple | None] = {}
        self.acronym_of: dict[str, str] = {}
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
        self._targets.clear()

    def __call__(self, key: str) -> str | None:
        key = self.curated(key)
        if key is None:
            return None
        if key in self.acronym_of:
            return self.acronym_of[key]
        # A compound led by a known acronym is the same concept as the compound led by its
        # expansion ("ML lifecycle" = "machine learning lifecycle"). Only the leading word is
        # expanded: a trailing one is usually part of a name ("Vertex AI" is not "Vertex
        # artificial intelligence").
        first, _, rest = key.partition(" ")
        if rest and first in self.acronym_of:
            return self.curated(f"{self.acronym_of[first]} {rest}") or key
        return key

    def target(self, raw: str) -> tuple | None:
        """(node, key, role, acronyms of key) for an extracted key; None when curation hides it."""
        found = self._targets.get(raw, False)
        if found is False:
            key = self(raw)
            if key is None:
                found = None
            else:
                shorts = self.shorts_of.get(key, frozenset())
                role = SHORT if self.curated(raw) in shorts else OWN if raw == key else MERGED
                found = (concept_id(key), key, role, shorts)
            self._targets[raw] = found
        return found


def card_contribution(card: Card, ext: CardExtraction, target_of, tally: Counter,
                      terms: DeckTerms | None = None) -> dict[str, list]:
    """The concepts one card names, {node: [count, in_question, in_answer, marked]} (`marked`:
    how many of the mentions the author marked), with the deck's marked names `terms` found on
    it; its names are counted into `tally` as (extracted key, surface, context)."""
    found: dict[str, list] = {}
    mentions = ext.mentions + terms.found(card, ext) if terms else ext.mentions
    for m in mentions:
        raw = m.concept
        target = target_of(raw)
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
    return found


def mention_edge(entry: list) -> dict:
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
            _, key, role, shorts = target_of(raw)
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


def _add_decks_and_cards(G: nx.MultiDiGraph, cards: list[Card]) -> None:
    deck_sizes = Counter(card.deck for card in cards)
    G.add_nodes_from((deck_node(deck), {"kind": "deck", "label": deck, "cards": size})
                     for deck, size in deck_sizes.items())
    G.add_nodes_from((card_node(card.id), card_attrs(card)) for card in cards)
    G.add_edges_from((deck_node(card.deck), card_node(card.id), "contains", CONTAINS) for card in cards)


CONTAINS = {"kind": "contains", "weight": 1}


def card_attrs(card: Card) -> dict:
    question = " ".join(card.question.split())
    label = question if len(question) <= LABEL_LENGTH else question[: LABEL_LENGTH - 1] + "…"
    return {"kind": "card", "label": label, "question": card.question, "answer": card.answer,
            "question_html": card.question_html or "", "answer_html": card.answer_html or "",
            "deck": card.deck, "source": card.source, "tags": list(card.tags), "guid": card.guid or ""}


class CoOccurrence:
    """Which concepts the same cards name more often than chance, counted on integer arrays:
    only the pairs that are kept become Python objects, so counting stays linear in mentions."""

    def __init__(self, card_concepts: dict[str, Iterable[str]], df: Counter, *, n_cards: int):
        self.card_ids = list(card_concepts)
        self.nodes = nodes = sorted(df)
        self.n = n = len(nodes)
        empty = np.zeros(0, dtype=np.int64)
        self.pairs = self.shared = self.codes = self.card_of = self.counted = self.counts = empty
        self.npmi = self.weight = np.zeros(0)
        if n < 2:
            return
        index = {x: i for i, x in enumerate(nodes)}
        df_arr = np.array([df[x] for x in nodes], dtype=np.int64)

        # Cards grouped by how many concepts they name: each group's pairs come from one array op.
        by_size: dict[int, tuple[list, list]] = defaultdict(lambda: ([], []))
        for card_no, found in enumerate(card_concepts.values()):
            ids = [index[x] for x in found]
            if len(ids) < 2:
                continue
            if len(ids) > MAX_CONCEPTS_PER_CARD:
                # Sorted by node id among equals: the index order, whatever the card order.
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
            return
        self.codes = np.concatenate(code_parts)
        self.card_of = np.concatenate(card_parts)

        # Every pair that meets on a card, with its count: an update adds to these (kg.update).
        self.counted, self.counts = np.unique(self.codes, return_counts=True)
        self.pairs, self.shared, self.npmi, self.weight = kept_pairs(
            self.counted, self.counts, df_arr, n, n_cards=n_cards)

    def kept(self) -> dict[tuple[str, str], tuple[int, float, float]]:
        """{(u, v): (shared, npmi, weight)} for the kept pairs, u < v, in pair order."""
        nodes, n = self.nodes, self.n
        return {(nodes[p // n], nodes[p % n]): (s, npmi, w) for p, s, npmi, w in zip(
            self.pairs.tolist(), self.shared.tolist(), self.npmi.tolist(), self.weight.tolist())}

    def evidence(self, pairs: Iterable[tuple[str, str]]) -> list[list[str]]:
        """The cards of each of these kept pairs, in card order, at most EVIDENCE_LIMIT."""
        pairs = list(pairs)
        if not pairs:
            return []
        index = {x: i for i, x in enumerate(self.nodes)}
        wanted_codes = np.array([index[a] * self.n + index[b] for a, b in pairs], dtype=np.int64)
        order_of = np.argsort(wanted_codes, kind="stable")
        sorted_wanted = wanted_codes[order_of]
        mask = np.isin(self.codes, sorted_wanted)
        codes, card_of = self.codes[mask], self.card_of[mask]
        order = np.lexsort((card_of, codes))
        codes, card_of = codes[order], card_of[order]
        starts = np.searchsorted(codes, sorted_wanted, side="left").tolist()
        ends = np.searchsorted(codes, sorted_wanted, side="right").tolist()
        card_ids, cards_sorted = self.card_ids, card_of.tolist()
        found: list[list[str]] = [[] for _ in pairs]
        # Plain lists from here: indexing numpy scalars one by one is slower than the whole sort.
        for slot, first, last in zip(order_of.tolist(), starts, ends):
            found[slot] = [card_ids[c] for c in cards_sorted[first:min(last, first + EVIDENCE_LIMIT)]]
        return found


def kept_pairs(pairs: np.ndarray, shared: np.ndarray, df: np.ndarray, n: int, *, n_cards: int):
    """(pairs, shared, npmi, weight) of the co-occurring pairs worth a link, from every pair
    (codes u * n + v over `n` sorted concepts, u < v) and how many cards it meets on."""
    u, v = pairs // n, pairs % n
    npmi, weight = pair_association(shared, df[u], df[v], n_cards=n_cards)
    keep = npmi > 0
    if n_cards > SMALL_DECK_CARDS:
        keep &= shared >= 2
        keep &= _top_k_either_end(u, v, weight, keep, MAX_LINKS_PER_CONCEPT)
    return pairs[keep], shared[keep], np.round(npmi[keep], 6), np.round(weight[keep], 6)


def pair_association(shared: np.ndarray, df_u: np.ndarray, df_v: np.ndarray, *, n_cards: int):
    """(npmi, weight), unrounded, of pairs meeting on `shared` cards whose ends name `df_u` and
    `df_v` cards each: element by element, so any split of the pairs gives the same values."""
    p_xy = shared / n_cards
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(p_xy / ((df_u / n_cards) * (df_v / n_cards)))
        npmi = np.where(p_xy < 1.0, pmi / -np.log(p_xy), 0.0)  # on every card: nothing to measure
    # A pair seen once is weaker evidence than the same NPMI over many cards.
    return npmi, npmi * shared / (shared + 1)


def paired_concepts(found: Iterable[str], df) -> list[str]:
    """The concepts of one card that take part in co-occurrence, sorted: all of them, or the
    MAX_CONCEPTS_PER_CARD rarest (`df[node]` cards, equals by id) of a card naming more."""
    found = sorted(found)
    if len(found) > MAX_CONCEPTS_PER_CARD:
        found = sorted(sorted(found, key=lambda x: (df[x], x))[:MAX_CONCEPTS_PER_CARD])
    return found


def co_occurs_edge(stats: tuple[int, float, float], evidence: list[str]) -> dict:
    shared, npmi, weight = stats
    return {"kind": "co_occurs", "weight": weight, "shared": shared, "npmi": npmi, "evidence": evidence}


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
    # Only the pairs `keep` allows are ranked: in a big deck most pairs meet on one card and are
    # out anyway, and leaving them out changes no rank among the others.
    allowed = np.flatnonzero(keep)
    m = len(allowed)
    ends = np.concatenate([u[allowed], v[allowed]])
    scores = np.concatenate([weight[allowed]] * 2)
    order = np.lexsort((-scores, ends))  # by end, strongest first within each end (stable)
    ranked = ends[order]
    rank = np.empty(2 * m, dtype=np.int64)
    rank[order] = np.arange(2 * m) - np.searchsorted(ranked, ranked, side="left")
    top = rank < k
    mask = np.zeros(len(u), dtype=bool)
    mask[allowed] = top[:m] | top[m:]
    return mask


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


def concept_links(co_occurs: dict, hierarchy: dict, relations: dict, concepts) -> list[tuple[str, str, float, int]]:
    """Every link between two concepts as (u, v, strength, shared cards), for communities and
    importance."""
    links = [(a, b, w, s) for (a, b), (s, _, w) in co_occurs.items()]
    strength = link_strength("is_a", {"weight": 1.0})
    links += [(child, parent, strength, 0) for child, parent, _ in hierarchy]
    links += [(u, v, link_strength("related", {"weight": sum(verbs.values())}), 0)
              for (u, v), (verbs, _) in relations.items() if u in concepts and v in concepts]
    return links


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
            # A hub's neighbours are many: look up the chosen few instead of walking them all
            # (in sorted order: edge order breaks ties in spanning trees and layouts).
            if len(adjacency) > len(wanted):
                pairs = ((v, adjacency[v]) for v in chosen if v in adjacency)
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


def concept_degrees(G: nx.MultiDiGraph, *, kinds=("co_occurs", "is_a", "part_of", "related")) -> dict[str, int]:
    """{concept: its degree in `concept_graph(G)`}, in that graph's order, counted from the
    adjacency: a load needs the degrees of every concept, not a copy of them all as a graph."""
    chosen = sorted(n for n, kind in G.nodes(data="kind") if kind == "concept")
    wanted, kinds = set(chosen), set(kinds)
    degrees = {}
    for u in chosen:
        linked = {v for direction in (G._succ, G._pred) for v, keyed in direction[u].items()
                  if v != u and v in wanted and not kinds.isdisjoint(keyed)}
        degrees[u] = len(linked)
    return degrees


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
    index = {n: i for i, n in enumerate(nodes)}
    membership = _igraph_membership(len(nodes), [(index[u], index[v]) for u, v, _ in links],
                                    [w for _, _, w in links], seed)
    if membership is None:  # pragma: no cover - igraph is a dependency
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


def _igraph_membership(n: int, edges: list[tuple[int, int]], weights: list[float], seed) -> list[int] | None:
    # igraph's C Louvain takes seconds where networkx's takes a minute on a 20k-card deck.
    try:
        import igraph
    except ImportError:  # pragma: no cover
        return None
    g = igraph.Graph(n=n, edges=edges)
    with seeded_igraph(seed):
        return g.community_multilevel(weights=weights or None).membership


# igraph draws from one process-wide random source; the web app lays out pages in threads.
_IGRAPH_RANDOM = threading.Lock()


@contextmanager
def seeded_igraph(seed: int):
    """Run a block with igraph's random source seeded, under a lock, and put it back after:
    the same input gives the same result, from any thread."""
    import random

    import igraph

    with _IGRAPH_RANDOM:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            igraph.set_random_number_generator(random)


#: PageRank's damping and the total change (L1) below which its power iteration stops.
DAMPING = 0.85
PAGERANK_TOLERANCE = 1e-13


def _pagerank(n: int, edges: list[tuple[int, int]], weights: list[float], jump: list[float]) -> list[float]:
    """Personalized PageRank of an undirected weighted graph: a walker follows a link with
    probability DAMPING (in proportion to its weight) and otherwise jumps to a node in
    proportion to `jump`; from a node without links it always jumps.

    Power iteration on arrays: on 44k concepts it matches igraph's ARPACK to 5e-9 (every value
    the same at the 8 decimals kept) in a third of the time, without importing igraph.
    """
    reset = np.asarray(jump, dtype=float)
    reset = reset / reset.sum()
    pairs = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    src = np.concatenate([pairs[:, 0], pairs[:, 1]])
    dst = np.concatenate([pairs[:, 1], pairs[:, 0]])
    both = np.concatenate([np.asarray(weights, dtype=float)] * 2)
    strength = np.bincount(src, weights=both, minlength=n)
    dangling = strength == 0
    share = both / strength[src] if len(src) else both
    x = reset.copy()
    for _ in range(10_000):
        y = DAMPING * np.bincount(dst, weights=share * x[src], minlength=n)
        y += (DAMPING * x[dangling].sum() + (1 - DAMPING)) * reset
        done = np.abs(y - x).sum() < PAGERANK_TOLERANCE
        x = y
        if done:
            break
    return x.tolist()


def communities_and_importance(cards: dict[str, int], links: list[tuple], *,
                               communities: bool = True, keys: dict[str, str] | None = None,
                               ) -> dict[str, tuple[int, float]]:
    """{concept: (community, importance)} for concepts naming `cards[node]` cards each
    (community -1 with `communities=False`); `keys` ({concept: (key, label, said in passing)}) lets a
    general word weigh less in importance (kg.nlp.generic.specificity)."""
    nodes = sorted(cards)
    if not nodes:
        return {}
    n = len(nodes)
    index = {x: i for i, x in enumerate(nodes)}
    # One link per pair: the strongest weight, the largest shared count; in pair order, so the
    # seeded Louvain sees the same graph however the links were gathered.
    ends = np.array([(index[u], index[v]) for u, v, _, _ in links], dtype=np.int64).reshape(-1, 2)
    codes = ends.min(axis=1) * n + ends.max(axis=1)
    order = np.argsort(codes, kind="stable")
    pairs, starts = np.unique(codes[order], return_index=True)
    weight = np.maximum.reduceat(np.array([w for _, _, w, _ in links], dtype=float)[order], starts) \
        if len(pairs) else np.zeros(0)
    shared = np.maximum.reduceat(np.array([s for _, _, _, s in links], dtype=np.int64)[order], starts) \
        if len(pairs) else np.zeros(0, dtype=np.int64)
    edges = list(zip((pairs // n).tolist(), (pairs % n).tolist()))
    membership = [-1] * n
    if communities:
        groups = _igraph_membership(n, edges, weight.tolist(), LOUVAIN_SEED)
        if groups is None:  # pragma: no cover - igraph is a dependency
            found = louvain(nodes, [(nodes[u], nodes[v], w) for (u, v), w in zip(edges, weight.tolist())])
        else:
            by_number: dict[int, list[int]] = defaultdict(list)
            for i, number in enumerate(groups):
                by_number[number].append(i)
            found = [{nodes[i] for i in g} for g in by_number.values()]
        for number, group in enumerate(sorted(found, key=lambda g: (-len(g), min(g)))):
            for node in group:
                membership[index[node]] = number
    # Importance: PageRank where a link counts as often as the two concepts share cards, with a
    # random jump proportional to how many cards name the concept: central *and* frequent.
    # A general word ("address", "traffic") shares cards with everything; weighed by how specific
    # its name is, it stays reachable but is no hub.
    specific = np.array([max(specificity(*keys[x]), SPECIFICITY_FLOOR) if keys and x in keys else 1.0
                         for x in nodes])
    jump = [float(cards[x] or 1) * s for x, s in zip(nodes, specific.tolist())]
    link_weight = np.maximum(shared, 1).astype(float)
    if len(edges):
        ends_arr = np.asarray(edges, dtype=np.int64)
        link_weight = link_weight * np.minimum(specific[ends_arr[:, 0]], specific[ends_arr[:, 1]])
    ranks = _pagerank(n, edges, link_weight.tolist(), jump)
    return {node: (number, round(value, 8)) for node, number, value in zip(nodes, membership, ranks)}
