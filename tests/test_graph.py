"""The graph contract, on five hand-written extractions and on the real bundled deck."""

from __future__ import annotations

import json
import time

import networkx as nx
import pytest

from kg.cards import Card
from kg.curation import Curation
from kg.extraction import CardExtraction
from kg.graph import build_graph, concept_id


@pytest.fixture(scope="module")
def mini(data_dir):
    data = json.loads((data_dir / "graph" / "mini.json").read_text())
    cards = [Card(**c) for c in data["cards"]]
    extractions = [CardExtraction.from_dict(e["card_id"], e) for e in data["extractions"]]
    return cards, extractions


@pytest.fixture(scope="module")
def mini_graph(mini):
    cards, extractions = mini
    return build_graph(cards, extractions, curation=Curation(hidden={"secret"}))


def _edges(G, kind):
    return [(u, v, d) for u, v, k, d in G.edges(keys=True, data=True) if k == kind]


def test_node_ids_and_kinds_follow_the_contract(mini_graph):
    kinds = nx.get_node_attributes(mini_graph, "kind")
    assert {"deck:ops", "deck:cloud", "card:c1", "concept:vertex-ai-feature-store"} <= set(kinds)
    for node, kind in kinds.items():
        assert node.startswith(f"{kind}:")
    concept = mini_graph.nodes["concept:vertex-ai"]
    assert {"label", "key", "aliases", "cards", "community", "importance"} <= set(concept)
    assert mini_graph.nodes["deck:cloud"]["cards"] == 2


def test_acronym_on_one_card_folds_the_short_form_on_every_card(mini_graph):
    ci = concept_id("continuous integration")
    assert "concept:ci" not in mini_graph
    # "CI" is written three times, "Continuous Integration" once: the acronym is the label.
    assert mini_graph.nodes[ci]["label"] == "CI"
    assert mini_graph.nodes[ci]["aliases"] == ["Continuous Integration"]
    assert mini_graph.nodes[ci]["cards"] == 2  # c2 only ever says "CI"
    mention = mini_graph.get_edge_data("card:c2", ci, key="mentions")
    assert mention["count"] == 2 and mention["in_question"] and mention["in_answer"]


def test_stated_relation_uses_the_folded_concepts(mini_graph):
    (u, v, d), = _edges(mini_graph, "related")
    assert (u, v, d["verb"]) == (concept_id("continuous integration"), "concept:build", "catch")


def test_hidden_concept_leaves_no_node(mini_graph):
    assert "concept:secret" not in mini_graph


def test_sentence_initial_capital_is_not_the_label(mini_graph):
    assert mini_graph.nodes["concept:drift"]["label"] == "drift"


def test_compound_is_a_its_head_and_named_part_is_part_of_the_product(mini_graph):
    is_a = {(u, v) for u, v, _ in _edges(mini_graph, "is_a")}
    part_of = {(u, v) for u, v, _ in _edges(mini_graph, "part_of")}
    assert ("concept:concept-drift", "concept:drift") in is_a
    assert ("concept:data-drift", "concept:drift") in is_a
    assert ("concept:vertex-ai-feature-store", "concept:feature-store") in is_a
    assert ("concept:vertex-ai-feature-store", "concept:vertex-ai") in part_of


def test_co_occurs_is_stored_once_with_positive_npmi_and_evidence(mini_graph):
    edges = _edges(mini_graph, "co_occurs")
    assert edges
    for u, v, d in edges:
        assert u < v and d["npmi"] > 0 and d["weight"] > 0
        assert d["shared"] == len(d["evidence"])
        for card in d["evidence"]:
            assert mini_graph.has_edge(f"card:{card}", u) and mini_graph.has_edge(f"card:{card}", v)


def test_curation_parents_merges_and_aliases_apply():
    cards = [Card(id="a", deck="D", question="What is CD?", answer="Continuous delivery.")]
    ext = CardExtraction.from_dict("a", {"mentions": [
        ["continuous delivery", "Continuous delivery", "answer", 0, 19],
        ["cd pipeline", "CD pipeline", "question", 8, 19],
        ["ci/cd", "CI/CD", "question", 0, 0]]})
    curation = Curation(merges={"cd pipeline": "ci/cd"}, parents={"continuous delivery": ["ci/cd"]},
                        aliases={"ci/cd": ["CICD"]})
    G = build_graph(cards, [ext], curation=curation)
    assert "concept:cd-pipeline" not in G
    assert G.nodes["concept:ci-cd"]["aliases"] == ["CD pipeline", "CICD"]
    edge = G.get_edge_data("concept:continuous-delivery", "concept:ci-cd", key="is_a")
    assert edge["origin"] == "curation"


# -- the real deck, the real model -----------------------------------------------------------



def test_drift_family_is_a_drift(bundled_graph, concept_named):
    drift = concept_named(bundled_graph, "drift")
    children = {u for u, _, k in bundled_graph.in_edges(drift, keys=True) if k == "is_a"}
    for kind in ("concept drift", "data drift", "prediction drift", "model drift"):
        assert concept_named(bundled_graph, kind) in children, kind


@pytest.mark.parametrize("a, b", [
    ("CI/CD", "continuous integration"),
    ("CI/CD", "continuous delivery"),
    ("feature store", "training-serving skew"),
    ("MLOps", "DevOps"),
])
def test_concepts_taught_together_are_linked(bundled_graph, a, b, concept_named):
    # Directly, or through one of the concept's own kinds ("Vertex AI Feature Store" is_a
    # "feature store" and is the one named beside training-serving skew).
    G = bundled_graph
    u, v = concept_named(G, a), concept_named(G, b)
    kinds_u = {u} | {c for c, _, k in G.in_edges(u, keys=True) if k == "is_a"}
    kinds_v = {v} | {c for c, _, k in G.in_edges(v, keys=True) if k == "is_a"}
    assert any(G.has_edge(x, y) or G.has_edge(y, x) for x in kinds_u for y in kinds_v)


def test_top_concepts_are_terms_not_junk(bundled_graph):
    concepts = [d for _, d in bundled_graph.nodes(data=True) if d["kind"] == "concept"]
    top = sorted(concepts, key=lambda d: -d["importance"])[:40]
    for d in top:
        key = d["key"]
        assert len(key) > 1 and not key[0].isdigit() and key.strip() == key, key
        assert key not in {"it", "this", "that", "which", "what", "how", "way", "thing"}, key
    labels = {d["label"] for d in top}
    assert {"Vertex AI", "MLOps"} <= labels


def test_hubs_do_not_dominate_co_occurrence(bundled_graph, concept_named):
    # "Vertex AI" is on a third of the cards; its strongest link should be weaker than the
    # strongest link of a specific concept like concept drift.
    def strongest(node):
        return max(d["weight"] for u, v, k, d in bundled_graph.edges(keys=True, data=True)
                   if k == "co_occurs" and node in (u, v))
    assert strongest(concept_named(bundled_graph, "concept drift")) > strongest(concept_named(bundled_graph, "vertex ai"))


def test_every_concept_has_a_community_and_importance(bundled_graph):
    for _, d in bundled_graph.nodes(data=True):
        if d["kind"] == "concept":
            assert d["community"] >= 0 and d["importance"] > 0


def _twenty_thousand_cards(bundled_cards, bundled_extractions):
    """The bundled deck repeated to 20k cards, a quarter of its concepts renamed in each copy so
    the vocabulary grows with the deck as a real one's does."""
    from kg.extraction import Acronym, Mention, Relation

    variants = "alpha beta gamma delta epsilon zeta eta theta iota kappa".split()
    by_id = {e.card_id: e for e in bundled_extractions}
    cards, extractions = [], []
    for i in range(20_000 // len(bundled_cards) + 1):
        def vary(key, word=variants[i % len(variants)]):
            return f"{key} {word}" if sum(map(ord, key)) % 4 == 0 else key
        for card in bundled_cards:
            new_id, ext = f"{card.id}-{i}", by_id[card.id]
            cards.append(Card(id=new_id, deck=f"{card.deck} {i % 5}", question=card.question, answer=card.answer))
            extractions.append(CardExtraction(
                new_id, [Mention(vary(m.concept), m.surface, m.field, m.start, m.end) for m in ext.mentions],
                [Acronym(a.short, vary(a.long)) for a in ext.acronyms],
                [Relation(vary(r.subject), r.verb, vary(r.object)) for r in ext.relations]))
    return cards[:20_000], extractions[:20_000]


def test_twenty_thousand_cards_build_and_index_in_seconds(bundled_cards, bundled_extractions):
    from kg.search import SearchIndex

    cards, extractions = _twenty_thousand_cards(bundled_cards, bundled_extractions)
    start = time.process_time()
    G = build_graph(cards, extractions)
    built = time.process_time() - start
    start = time.process_time()
    SearchIndex(G)
    indexed = time.process_time() - start
    assert sum(1 for _, d in G.nodes(data=True) if d["kind"] == "card") == len(cards)
    # Targets are 5 s and 2 s on a quiet machine; CPU time with slack for a busy CI box.
    assert built < 12, f"build_graph: {built:.1f}s CPU for {len(cards)} cards"
    assert indexed < 5, f"SearchIndex: {indexed:.1f}s CPU for {len(cards)} cards"
    # Big decks keep each concept's strongest co-occurrence links, not every one-off pair.
    co_occurs = sum(1 for _, _, k in G.edges(keys=True) if k == "co_occurs")
    concepts = sum(1 for _, d in G.nodes(data=True) if d["kind"] == "concept")
    assert co_occurs <= 2 * 12 * concepts
