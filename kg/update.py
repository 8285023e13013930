"""Updating a built graph for a few changed cards, instead of building it again.

A graph is sums over cards plus a few things computed from the sums (see kg.graphstate). An
update takes away what the changed cards said before, adds what they say now, and recomputes
only what those sums touch: the names and card counts of the concepts the cards name, the
co-occurrence weights (counted on arrays over every card, which is cheap), the is_a / part_of
links of concepts whose words contain a changed concept, the stated relations of those cards,
and importance. The result equals a fresh build's graph (tests/test_update.py builds both and
compares), with two exceptions chosen for speed and for the learner: communities are kept until
COMMUNITY_DRIFT of the concepts have been touched, and importance is rewritten only when it moved
by more than IMPORTANCE_TOLERANCE. The edge order inside the stored rows may differ.

When the change is not small, or changes what every card means (a new acronym definition folds
mentions on every card), `plan_update` / `update_graph` return None and the build starts over.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx
import numpy as np

from kg.cards import Card
from kg.extraction import CardExtraction
from kg.cooccurrence import (
    EVIDENCE_LIMIT,
    MAX_CONCEPTS_PER_CARD,
    co_occurs_edge,
    kept_pairs,
    paired_concepts,
)
from kg.graph import (
    CONTAINS,
    MERGED,
    SHORT,
    CardLists,
    KeyResolver,
    card_attrs,
    card_contribution,
    card_relations,
    concept_names,
    hierarchy_edge,
    mention_edge,
    paused_gc,
    related_edge,
)
from kg.ids import card_node, concept_id, deck_node
from kg.importance import communities_and_importance, concept_links
from kg.deckterms import DeckTerms, count_marked
from kg.graphstate import TALLY_SEP, GraphState
from kg.labels import case_vote, clean_form
from kg.termhood import structured_concepts, term_cards

__all__ = ["UpdatePlan", "GraphPatch", "plan_update", "update_graph", "COMMUNITY_DRIFT", "IMPORTANCE_TOLERANCE",
           "MAX_CHANGED_SHARE"]

# Above this share of changed cards a fresh build costs about as much as an update: build.
MAX_CHANGED_SHARE = 0.1
# PageRank moves every concept's importance a little when one card changes; rewriting every
# concept for a change in the fifth digit would cost more than the rest of the update. A value
# is rewritten when it moved by more than this share (so it is never further off than that).
IMPORTANCE_TOLERANCE = 0.01
# Communities are counted again once updates have touched this share of the concepts.
COMMUNITY_DRIFT = 0.05
_PAIR = re.compile(r"([a-z0-9]+)/([a-z0-9]+)")
# Fields of a concept summary (UpdatePlan.concepts), named as the node attributes they hold.
SUMMARY_FIELDS = ("key", "label", "cards", "community", "importance", "term_cards", "passing")
KEY, LABEL, CARDS, COMMUNITY, IMPORTANCE, TERMS, PASSING = range(len(SUMMARY_FIELDS))


@dataclass
class UpdatePlan:
    """What changed between the cards a workspace was built from and the cards read now."""

    cards: list[Card]                       # every card read now, in order
    old_cards: dict[str, Card]              # the cards the workspace was built from
    changed: list[str]                      # ids of new or edited cards, in card order
    removed: list[str]                      # ids of cards no longer read
    restated: list[str] = field(default_factory=list)  # same text, other tags, source line or HTML
    state: GraphState | None = None         # what the workspace was counted from
    # concept node -> (key, label, cards, community, importance, term cards, passing), as built
    concepts: dict[str, tuple] = field(default_factory=dict)
    # node ids -> their stored attributes (Workspace.nodes), for the concepts an update rewrites
    load_nodes: Callable[[list[str]], dict[str, dict]] | None = None


@dataclass
class GraphPatch:
    """The rows an update writes: everything else in the workspace stays as it is."""

    nodes: dict[str, dict | None] = field(default_factory=dict)          # node -> attributes; None deletes
    rows: dict[str, dict | None] = field(default_factory=dict)           # node -> whole out-edge row
    edges: dict[tuple[str, str, str], dict | None] = field(default_factory=dict)  # (u, v, kind) -> data
    # (u, v, kind) -> attributes that change on an edge kept otherwise as it is
    edge_updates: dict[tuple[str, str, str], dict] = field(default_factory=dict)
    state: GraphState | None = None
    concepts: int = 0


def plan_update(cards: list[Card], old_cards: list[Card]) -> UpdatePlan | None:
    """The update from `old_cards` to `cards`, or None when a fresh build is the better way.
    The caller adds the workspace's `state` and `concepts` to the plan."""
    if not cards:
        return None
    old = {c.id: c for c in old_cards}
    now = {c.id for c in cards}
    changed, restated = [], []
    for card in cards:
        before = old.get(card.id)
        if before is None or _content(before) != _content(card):
            changed.append(card.id)
        elif before != card:
            # A line added above a card moves its source line: only its node is rewritten.
            restated.append(card.id)
    removed = [cid for cid in old if cid not in now]
    if len(changed) + len(removed) > max(1, MAX_CHANGED_SHARE * len(cards)):
        return None
    # Evidence lists follow card order; cards that moved would reorder them all.
    kept_order = [c.id for c in cards if c.id in old]
    if kept_order != [cid for cid in old if cid in now]:
        return None
    return UpdatePlan(cards=cards, old_cards=old, changed=changed, removed=removed, restated=restated)


def _content(card: Card) -> tuple:
    """What the graph reads of a card besides its node's attributes (the HTML holds the author's
    marks, which extraction reads)."""
    return card.deck, card.question, card.answer, card.question_html, card.answer_html


def update_graph(plan: UpdatePlan, old_extractions: dict[str, CardExtraction],
                 new_extractions: dict[str, CardExtraction], *, curation=None) -> GraphPatch | None:
    """The rows to write for `plan`, given the extractions of the changed and removed cards as
    built before (`old_extractions`) and of the changed cards now; None when it is better to
    build afresh."""
    if plan.state is None:
        return None
    with paused_gc():
        return _update(plan, old_extractions, new_extractions, curation)


def _update(plan: UpdatePlan, old_ext: dict[str, CardExtraction], new_ext: dict[str, CardExtraction],
            curation) -> GraphPatch | None:
    st = plan.state
    touched_ids = [cid for cid in plan.changed if cid in plan.old_cards] + plan.removed

    # Acronyms first: a definition gained or lost re-reads mentions on every card.
    resolve = KeyResolver(curation)
    expansions = defaultdict(Counter, {s: Counter(longs) for s, longs in st.acronyms.items()})
    resolve.use(expansions)
    before = (resolve.acronym_of, resolve.shorts_of)
    for cid in touched_ids:
        if cid in old_ext:
            resolve.count_acronyms(old_ext[cid], expansions, sign=-1)
    for cid in plan.changed:
        resolve.count_acronyms(new_ext[cid], expansions)
    resolve.use(expansions)
    if (resolve.acronym_of, resolve.shorts_of) != before:
        return None
    # The counts are kept even when the meaning stays: the next update starts from them (a
    # definition given on two cards and taken from one is still defined).
    st.acronyms = {short: dict(longs) for short, longs in expansions.items() if longs}
    target_of = resolve.target
    # So are the deck's marked names (kg.deckterms): a name marked for the first time, or no
    # longer, is looked for on every card; when another card says it, build afresh.
    marked = Counter(st.deck_terms)
    count_marked((old_ext[cid] for cid in touched_ids if cid in old_ext), marked, sign=-1)
    count_marked((new_ext[cid] for cid in plan.changed), marked)
    old_terms, terms = DeckTerms(st.deck_terms), DeckTerms(marked)
    if old_terms.keys != terms.keys:
        moved = DeckTerms(dict.fromkeys(old_terms.keys ^ terms.keys, 1))
        recounted = set(touched_ids) | set(plan.changed)
        if any(moved.said_on(card) for card in plan.cards if card.id not in recounted):
            return None
    st.deck_terms = dict(marked)

    # What the changed cards said before and say now.
    tally_delta: Counter = Counter()
    terms_delta: Counter = Counter()  # cards treating a concept as a term (kg.termhood)
    card_sets: dict[str, tuple[set, set]] = {}
    found_now: dict[str, dict[str, list]] = {}
    for cid in touched_ids:
        if cid in old_ext:
            gone: Counter = Counter()
            found = card_contribution(plan.old_cards[cid], old_ext[cid], target_of, gone, old_terms)
            tally_delta.subtract(gone)
            terms_delta.subtract(term_cards({cid: found}))
            card_sets[cid] = (set(found), set())
    for card in plan.cards:
        if card.id in new_ext and card.id in plan.changed:
            added: Counter = Counter()
            found_now[card.id] = card_contribution(card, new_ext[card.id], target_of, added, terms)
            tally_delta.update(added)
            terms_delta.update(term_cards({card.id: found_now[card.id]}))
            card_sets[card.id] = (card_sets.get(card.id, (set(), set()))[0], set(found_now[card.id]))
    touched = set().union(*(a | b for a, b in card_sets.values())) if card_sets else set()
    # Concepts whose list of cards changed (a card that names a concept before and after keeps
    # its place in the list).
    relisted = set().union(*(a ^ b for a, b in card_sets.values())) if card_sets else set()

    card_concepts = {}
    for card in plan.cards:
        cid = card.id
        if cid in found_now:
            card_concepts[cid] = list(found_now[cid])
        elif cid in st.card_concepts:
            card_concepts[cid] = st.card_concepts[cid]
    df: Counter = Counter()
    for found in card_concepts.values():
        df.update(found)

    st.need_tallies(touched)
    flipped = _apply_tally(st, tally_delta, target_of)
    renamed = {n for n in touched if n in st.tallies}
    if flipped:
        st.need_tallies(None)  # which concepts use the word: rare, and worth reading them all
        renamed |= {node for node, tally in st.tallies.items()
                    if any(w.lower() in flipped for entry in tally
                           for w in clean_form(entry.split(TALLY_SEP)[1]).split())}
    named, _ = concept_names({n: st.tallies[n] for n in renamed}, target_of, curation, word_case=st.word_case)

    # What every concept is now, as its SUMMARY_FIELDS; the whole attributes are read and written
    # only for the concepts that change.
    concepts: dict[str, list] = {}
    for node, n_cards in df.items():
        old = plan.concepts.get(node)
        summary = list(old) if old is not None else [None, None, 0, -1, 0.0, 0, False]
        if node in named:
            summary[KEY], summary[LABEL] = named[node]["key"], named[node]["label"]
        summary[CARDS] = n_cards
        summary[TERMS] = (summary[TERMS] or 0) + terms_delta.get(node, 0)
        concepts[node] = summary
    removed_concepts = set(plan.concepts) - set(concepts)

    patch = GraphPatch(state=st, concepts=len(concepts))
    _patch_cards(plan, found_now, patch)

    # Co-occurrence: the stored count of every pair, changed by what the changed cards pair;
    # weights and the strongest links per concept are worked out again on arrays.
    old_df = Counter(df)
    for before, now in card_sets.values():
        old_df.update(before)
        old_df.subtract(now)
    kept = _update_pairs(st, card_sets, card_concepts, df, old_df, relisted, n_cards=max(len(plan.cards), 1))
    near = set().union(*(a | b for a, b in card_sets.values())) if card_sets else set()
    if relisted:
        # A card naming more concepts than are paired keeps its rarest: a count that changed
        # can change which pairs such a card gives.
        for found in card_concepts.values():
            if len(found) > MAX_CONCEPTS_PER_CARD and not relisted.isdisjoint(found):
                near.update(found)
    fresh = []  # pairs whose cards may have changed: their evidence is looked up again
    for pair, stats in kept.items():
        before = st.co_occurs.get(pair)
        if before is None or before[0] != stats[0] or (pair[0] in near and pair[1] in near):
            fresh.append(pair)
        elif before != stats:  # the same cards, another strength (the card count changed)
            patch.edge_updates[pair[0], pair[1], "co_occurs"] = {"npmi": stats[1], "weight": stats[2]}
    lists = CardLists(card_concepts)
    for (a, b), evidence in zip(fresh, _pair_evidence(fresh, lists, card_concepts, df)):
        patch.edges[a, b, "co_occurs"] = co_occurs_edge(kept[a, b], evidence)
    for a, b in st.co_occurs.keys() - kept.keys():
        patch.edges[a, b, "co_occurs"] = None
    st.co_occurs = kept

    # is_a / part_of: re-read the concepts whose words contain a concept that changed.
    moved = removed_concepts | {n for n, summary in concepts.items()
                                if tuple(summary[:IMPORTANCE - 1]) != tuple(plan.concepts.get(n, ())[:IMPORTANCE - 1])}
    hierarchy = _update_hierarchy(st, concepts, moved, plan.concepts, resolve, curation)
    for edge, origin in hierarchy.items():
        child, parent, kind = edge
        if st.hierarchy.get(edge) != origin or child in relisted or parent in relisted:
            patch.edges[edge] = hierarchy_edge(kind, origin, lists.shared(child, parent))
    for edge in st.hierarchy.keys() - hierarchy.keys():
        patch.edges[edge] = None
    st.hierarchy = hierarchy

    _update_relations(st, plan, old_ext, new_ext, resolve, concepts, removed_concepts, patch)
    structured = structured_concepts(hierarchy)
    for node, summary in concepts.items():
        summary[PASSING] = not summary[TERMS] and node not in structured

    links = concept_links(kept, hierarchy, st.relations, concepts)
    # Louvain is chaotic: one changed card can renumber most communities, and rewriting every
    # concept would cost more than the rest of the update, while the groups a learner knows
    # would jump about. So a small update keeps them: a new concept joins the community most of
    # its links lead to. Once the concepts touched since the last full count pass
    # COMMUNITY_DRIFT of all, they are counted again as a fresh build would.
    st.drift += len(touched)
    recount = st.drift > COMMUNITY_DRIFT * len(concepts)
    ranks = communities_and_importance(df, links, communities=recount,
                                       keys={node: (c[KEY], c[LABEL], c[PASSING]) for node, c in concepts.items()})
    if recount:
        st.drift = 0
        community = {node: rank[0] for node, rank in ranks.items()}
    else:
        community = _kept_communities(concepts, plan.concepts, links)
    rewrite = []
    for node, summary in concepts.items():
        summary[COMMUNITY], importance = community[node], ranks[node][1]
        if abs(importance - summary[IMPORTANCE]) > IMPORTANCE_TOLERANCE * max(importance, summary[IMPORTANCE]):
            summary[IMPORTANCE] = importance
        old = plan.concepts.get(node)
        if node in named or old is None or tuple(summary) != tuple(old):
            rewrite.append(node)
    stored = plan.load_nodes([n for n in rewrite if n in plan.concepts]) if plan.load_nodes else {}
    for node in rewrite:
        before = stored.get(node, {})
        attrs = {"kind": "concept", **before, **named.get(node, {}), "cards": concepts[node][CARDS],
                 "community": concepts[node][COMMUNITY], "importance": concepts[node][IMPORTANCE],
                 "term_cards": concepts[node][TERMS], "passing": concepts[node][PASSING]}
        if attrs != before:
            patch.nodes[node] = attrs
    for node in removed_concepts:
        patch.nodes[node] = None
        patch.rows[node] = None

    st.card_concepts = card_concepts
    st.dirty_cards = set(found_now) | set(plan.removed)
    return patch


def _update_pairs(st: GraphState, card_sets, card_concepts, df: Counter, old_df: Counter, relisted: set[str],
                  *, n_cards: int) -> dict[tuple[str, str], tuple[int, float, float]]:
    """Change the stored pair counts by what the changed cards pair (and the cards naming too
    many concepts, whose rarest may have changed); the kept pairs, as `CoOccurrence.kept`."""
    delta: Counter = Counter()

    def count(found, counts, sign):
        for pair in combinations(paired_concepts(found, counts), 2):
            delta[pair] += sign

    for before, now in card_sets.values():
        count(before, old_df, -1)
        count(now, df, 1)
    if relisted:
        for cid, found in card_concepts.items():
            if cid not in card_sets and len(found) > MAX_CONCEPTS_PER_CARD and not relisted.isdisjoint(found):
                count(found, old_df, -1)
                count(found, df, 1)

    nodes = sorted(df)
    n = len(nodes)
    index = {x: i for i, x in enumerate(nodes)}
    codes, counts = st.pair_codes, st.pair_counts
    if st.pair_nodes != nodes:
        # Concepts came or went: the same pairs, numbered among the concepts there are now (the
        # numbering keeps their order, so the codes stay sorted). A concept that went was named
        # only by changed cards; its pairs are counted out below and dropped.
        old_n = max(len(st.pair_nodes), 1)
        to_new = np.array([index.get(x, -1) for x in st.pair_nodes] or [-1], dtype=np.int64)
        u, v = to_new[codes // old_n], to_new[codes % old_n]
        alive = (u >= 0) & (v >= 0)
        codes, counts = u[alive] * n + v[alive], counts[alive]
    changes = {index[a] * n + index[b]: d for (a, b), d in delta.items() if d and a in index and b in index}
    if changes:
        keys = np.array(sorted(changes), dtype=np.int64)
        steps = np.array([changes[k] for k in keys.tolist()], dtype=np.int64)
        at = np.searchsorted(codes, keys)
        known = (at < len(codes)) & (codes[np.minimum(at, len(codes) - 1)] == keys) if len(codes) else \
            np.zeros(len(keys), dtype=bool)
        counts = counts.copy()
        counts[at[known]] += steps[known]
        codes = np.insert(codes, at[~known], keys[~known])
        counts = np.insert(counts, at[~known], steps[~known])
        alive = counts > 0
        codes, counts = codes[alive], counts[alive]
    st.pair_nodes, st.pair_codes, st.pair_counts = nodes, codes, counts
    df_arr = np.array([df[x] for x in nodes], dtype=np.int64)
    pairs, shared, npmi, weight = kept_pairs(codes, counts, df_arr, n, n_cards=n_cards) if n >= 2 else \
        (codes[:0], counts[:0], np.zeros(0), np.zeros(0))
    return {(nodes[p // n], nodes[p % n]): (s, q, w) for p, s, q, w in zip(
        pairs.tolist(), shared.tolist(), npmi.tolist(), weight.tolist())}


def _pair_evidence(pairs, lists: CardLists, card_concepts, df) -> list[list[str]]:
    """The cards each pair meets on, in card order, at most EVIDENCE_LIMIT (a card naming too
    many concepts counts only for its rarest, as in counting)."""
    paired: dict[str, set[str]] = {}

    def meets(cid: str, a: str, b: str) -> bool:
        found = card_concepts[cid]
        if len(found) <= MAX_CONCEPTS_PER_CARD:
            return True
        if cid not in paired:
            paired[cid] = set(paired_concepts(found, df))
        return a in paired[cid] and b in paired[cid]

    sets: dict[str, set[str]] = {}
    out = []
    for a, b in pairs:
        if len(lists.of(a)) > len(lists.of(b)):
            first, other = b, a
        else:
            first, other = a, b
        if other not in sets:
            sets[other] = set(lists.of(other))
        found = []
        for cid in lists.of(first):
            if cid in sets[other] and meets(cid, a, b):
                found.append(cid)
                if len(found) == EVIDENCE_LIMIT:
                    break
        out.append(found)
    return out


def _kept_communities(concepts: dict[str, list], before: dict[str, tuple], links) -> dict[str, int]:
    community = {node: before[node][COMMUNITY] for node in concepts if node in before}
    votes: dict[str, Counter] = defaultdict(Counter)
    for u, v, weight, _ in links:
        if u in community and v not in community:
            votes[v][community[u]] += weight
        elif v in community and u not in community:
            votes[u][community[v]] += weight
    fresh = max(community.values(), default=-1) + 1
    for node in sorted(n for n in concepts if n not in community):
        if votes[node]:
            community[node] = min(votes[node].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        else:  # linked to nothing known yet: a community of its own
            community[node] = fresh
            fresh += 1
    return community


def _apply_tally(st: GraphState, delta: Counter, target_of) -> set[str]:
    """Add `delta` to the stored tallies and case votes; the words whose case vote flipped."""
    flipped: set[str] = set()
    st.dirty_tallies = set()
    for entry, n in delta.items():
        if n == 0:
            continue
        raw, surface, context = entry
        node, _, role, shorts = target_of(raw, surface)
        st.dirty_tallies.add(node)
        tally = st.tallies.setdefault(node, {})
        joined = TALLY_SEP.join(entry)
        left = tally.get(joined, 0) + n
        if left > 0:
            tally[joined] = left
        else:
            tally.pop(joined, None)
            if not tally:
                del st.tallies[node]
        if role == SHORT or (shorts and surface.lower() in shorts) or role == MERGED:
            continue
        vote = case_vote(clean_form(surface), context)
        if vote is None:
            continue
        word, capital = vote
        counts = st.word_case.setdefault(word, [0, 0])
        was = counts[1] > counts[0]
        counts[capital] += n
        if (counts[1] > counts[0]) != was:
            flipped.add(word)
    return flipped


def _update_hierarchy(st: GraphState, concepts: dict[str, list], moved: set[str], before: dict[str, tuple],
                      resolve, curation) -> dict[tuple[str, str, str], str]:
    from kg.hierarchy import hierarchy_edges

    if not moved:
        return st.hierarchy
    # A concept's links read the concepts named by runs of its words ("data drift" reads
    # "drift"; "natural language instruction" reads "natural language"): re-read every concept
    # whose words contain a moved one.
    by_word: dict[str, list[str]] = defaultdict(list)
    for node, summary in concepts.items():
        for word in set(summary[KEY].split()):
            by_word[word].append(node)
    children = {n for n in moved if n in concepts}
    for node in moved:
        key = (concepts.get(node) or before.get(node) or (None,))[KEY]
        if not key:
            continue
        words = key.split()
        candidates = min((by_word.get(w, []) for w in words), key=len)
        padded = f" {key} "
        children.update(c for c in candidates if padded in f" {concepts[c][KEY]} ")
        match = _PAIR.fullmatch(key)
        if match:  # an acronym pair: its members are its parts
            for part in match.groups():
                member = resolve(part)
                if member is not None and concept_id(member) in concepts:
                    children.add(concept_id(member))
    children |= {child for child, parent, _ in st.hierarchy if parent in moved and child in concepts}
    if curation is not None:
        for table in (getattr(curation, "parents", {}), getattr(curation, "part_of", {})):
            for child_key in table:
                child = resolve(child_key)
                if child is not None:
                    children.add(concept_id(child))

    view = nx.DiGraph()
    view.add_nodes_from((n, {"kind": "concept", "key": c[KEY], "label": c[LABEL], "cards": c[CARDS]})
                        for n, c in concepts.items())
    hierarchy = {edge: origin for edge, origin in st.hierarchy.items()
                 if edge[0] not in children and edge[0] in concepts and edge[1] in concepts}
    for child, parent, kind, origin in hierarchy_edges(view, curation=curation, resolve=resolve, children=children):
        hierarchy[child, parent, kind] = origin
    return hierarchy


def _update_relations(st: GraphState, plan: UpdatePlan, old_ext, new_ext, resolve,
                      concepts: dict[str, list], removed_concepts: set[str], patch: GraphPatch) -> None:
    position = {card.id: i for i, card in enumerate(plan.cards)}
    affected: set[tuple[str, str]] = set()
    for cid in [c for c in plan.changed if c in plan.old_cards] + plan.removed:
        if cid not in old_ext:
            continue
        for u, verb, v in card_relations(old_ext[cid], resolve):
            verbs, cids = st.relations[u, v]
            verbs[verb] -= 1
            if verbs[verb] <= 0:
                del verbs[verb]
            if cid in cids:
                cids.remove(cid)
            affected.add((u, v))
    for cid in plan.changed:
        for u, verb, v in card_relations(new_ext[cid], resolve):
            verbs, cids = st.relations.setdefault((u, v), (Counter(), []))
            verbs[verb] += 1
            if cid not in cids:
                cids.append(cid)
                cids.sort(key=position.__getitem__)
            affected.add((u, v))
    appeared = {n for n in concepts if n not in plan.concepts}
    if appeared or removed_concepts:
        ends = appeared | removed_concepts
        affected |= {pair for pair in st.relations if pair[0] in ends or pair[1] in ends}
    for pair in affected:
        verbs, cids = st.relations.get(pair, (None, None))
        if not verbs:
            st.relations.pop(pair, None)
        u, v = pair
        exists = bool(verbs) and u in concepts and v in concepts
        patch.edges[u, v, "related"] = related_edge(verbs, cids) if exists else None


def _patch_cards(plan: UpdatePlan, found_now: dict[str, dict[str, list]], patch: GraphPatch) -> None:
    """Card and deck nodes, mentions and contains edges of the changed cards."""
    for cid in plan.removed:
        old = plan.old_cards[cid]
        patch.nodes[card_node(cid)] = None
        patch.rows[card_node(cid)] = None
        patch.edges[deck_node(old.deck), card_node(cid), "contains"] = None
    by_id = {card.id: card for card in plan.cards}
    for cid in plan.restated:
        patch.nodes[card_node(cid)] = card_attrs(by_id[cid])
    for cid in plan.changed:
        card = by_id[cid]
        old = plan.old_cards.get(cid)
        patch.nodes[card_node(cid)] = card_attrs(card)
        patch.rows[card_node(cid)] = {node: mention_edge(entry) for node, entry in found_now.get(cid, {}).items()}
        if old is not None and deck_node(old.deck) != deck_node(card.deck):
            patch.edges[deck_node(old.deck), card_node(cid), "contains"] = None
        patch.edges[deck_node(card.deck), card_node(cid), "contains"] = dict(CONTAINS)
    sizes_before = Counter(c.deck for c in plan.old_cards.values())
    sizes_now = Counter(c.deck for c in plan.cards)
    for deck in sizes_before.keys() | sizes_now.keys():
        if sizes_before[deck] == sizes_now[deck]:
            continue
        if sizes_now[deck]:
            patch.nodes[deck_node(deck)] = {"kind": "deck", "label": deck, "cards": sizes_now[deck]}
        else:
            patch.nodes[deck_node(deck)] = None
            patch.rows[deck_node(deck)] = None
