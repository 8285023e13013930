"""Concept extraction with the real spaCy model: keys, acronyms, junk, relations, the seed deck."""

from __future__ import annotations

from collections import defaultdict

import pytest

from kg.cards import Card, card_id
from kg.curation import Curation
from kg.errors import ModelError
from kg.extraction import Acronym, Relation
from kg.nlp import extract, load_model, normalize_key, pipeline_fingerprint


def card(question: str, answer: str = "", deck: str = "test") -> Card:
    return Card(id=card_id(deck, question), deck=deck, question=question, answer=answer)


def concepts_of(nlp, question: str, answer: str = "") -> set[str]:
    (result,) = extract([card(question, answer)], nlp=nlp)
    return {m.concept for m in result.mentions}


@pytest.fixture(scope="module")
def seed_extractions(seed_file, nlp):
    """The deck kg ships with, extracted with no curation at all: quality must not depend on one."""
    from kg.readers import read_decks

    cards = read_decks([seed_file]).cards
    return cards, list(extract(cards, nlp=nlp))


@pytest.fixture(scope="module")
def seed_concept_cards(seed_extractions) -> dict[str, set[str]]:
    """Cards per concept, with acronyms folded across the deck the way the graph folds them."""
    cards, extractions = seed_extractions
    long_of = {a.short: a.long for ex in extractions for a in ex.acronyms}
    found = defaultdict(set)
    for ex in extractions:
        for m in ex.mentions:
            found[long_of.get(m.concept, m.concept)].add(ex.card_id)
    for short, long in long_of.items():
        found[short] = found[long]  # look-ups by either form see the same cards
    return found


@pytest.mark.parametrize(
    "written, key",
    [
        ("Feature Stores", "feature store"),
        ("the feature store", "feature store"),
        ("Training-Serving Skew", "training serving skew"),
        ("training serving skew", "training serving skew"),
        ("CI/CD", "ci/cd"),
        ("Vertex AI\u2019s", "vertex ai"),
        ("analyses", "analysis"),
        ("processes", "process"),
        ("data", "data"),
        ("Kubernetes", "kubernetes"),
        ("bias", "bias"),
        ("time series", "time series"),
        ("MLOps", "mlops"),
        ("LLMs", "llm"),
        ("Mixtures of Experts", "mixture of experts"),
        ("\u201cconcept drift\u201d", "concept drift"),
    ],
)
def test_normalize_key_folds_variants_of_a_term(written, key):
    assert normalize_key(written) == key


def test_variants_in_cards_fold_into_one_concept(nlp):
    found = concepts_of(
        nlp,
        "Why do teams adopt feature stores?",
        "A Feature Store keeps the feature store\u2019s values identical; the feature-store API is small.",
    )
    assert "feature store" in found
    assert not any(k.startswith(("the ", "a ")) or k.endswith("stores") for k in found)


def test_mentions_carry_field_offsets_and_surface(nlp):
    question, answer = "What reduces training-serving skew?", "Feature Stores reduce it."
    (result,) = extract([card(question, answer)], nlp=nlp)
    for m in result.mentions:
        text = question if m.field == "question" else answer
        assert text[m.start : m.end] == m.surface
    by_concept = {m.concept: m for m in result.mentions}
    assert by_concept["training serving skew"].field == "question"
    assert by_concept["feature store"].surface == "Feature Stores"


def test_acronym_in_parentheses_links_short_and_long_forms(nlp):
    (result,) = extract(
        [card("What does Continuous Integration (CI) check?", "CI runs the unit tests on every merge request.")],
        nlp=nlp,
    )
    assert Acronym("ci", "continuous integration") in result.acronyms
    assert "ci" not in {m.concept for m in result.mentions}
    assert [m.surface for m in result.mentions if m.concept == "continuous integration"] == [
        "Continuous Integration", "CI", "CI",
    ]


def test_long_form_in_parentheses_is_also_an_acronym(nlp):
    (result,) = extract([card("How does GRPO (Group Relative Policy Optimization) train reasoning models?")], nlp=nlp)
    assert Acronym("grpo", "group relative policy optimization") in result.acronyms


def test_acronym_pairs_with_a_slash_stay_one_concept(nlp):
    found = concepts_of(nlp, "Why do teams automate CI/CD pipelines?", "A CI/CD process ships every change.")
    assert "ci/cd" in found
    assert not {"ci", "cd"} & found


def test_generic_words_are_not_concepts(nlp):
    found = concepts_of(
        nlp,
        "What are the key benefits and several challenges of this approach?",
        "There are many ways to use these tools, and users need time to learn things; for example, "
        "1) the main role of the process, 2) different terms in context. See https://example.org "
        "and [image] where \\(N\\) grows.",
    )
    assert found == set()


def test_card_with_empty_text_gives_an_empty_extraction(nlp):
    (result,) = extract([card("", "")], nlp=nlp)
    assert result.mentions == [] and result.acronyms == [] and result.relations == []


@pytest.mark.parametrize(
    "sentence, relation",
    [
        ("Load balancers reduce server latency.", Relation("load balancer", "reduce", "server latency")),
        ("Server latency is reduced by load balancers.", Relation("load balancer", "reduce", "server latency")),
        ("Kubeflow integrates with Kubernetes clusters.", Relation("kubeflow", "integrate with", "kubernetes cluster")),
        ("Gradient clipping helps prevent exploding gradients.", Relation("gradient clipping", "prevent", "exploding gradient")),
        ("Load balancers distribute incoming traffic and reduce server latency.",
         Relation("load balancer", "reduce", "server latency")),
    ],
)
def test_relations_come_from_the_dependency_parse(nlp, sentence, relation):
    (result,) = extract([card("Q?", sentence)], nlp=nlp)
    assert relation in result.relations


def test_relations_need_concepts_at_both_ends(nlp):
    (result,) = extract([card("Q?", "It does this quickly for them.")], nlp=nlp)
    assert result.relations == []


def test_seed_deck_finds_the_concepts_a_student_would_name(seed_concept_cards):
    for concept in [
        "concept drift", "data drift", "prediction drift", "model drift", "drift",
        "ci/cd", "continuous integration", "continuous delivery", "feature store",
        "training serving skew", "mlops", "devops", "reproducibility", "model lineage",
        "containerization", "kubeflow", "bigquery", "tensorflow extended", "pytorch", "automl",
    ]:
        assert seed_concept_cards.get(concept), concept


def test_seed_deck_links_concepts_to_their_cards(seed_extractions, seed_concept_cards):
    cards, _ = seed_extractions
    by_id = {c.id: c for c in cards}
    for concept in ["training serving skew", "concept drift", "ci/cd"]:
        for cid in seed_concept_cards[concept]:
            text = by_id[cid].text.lower().replace("-", " ")
            assert concept.split()[-1].split("/")[0] in text
    skew_cards = seed_concept_cards["training serving skew"]
    assert skew_cards & seed_concept_cards["feature store"]
    assert seed_concept_cards["mlops"] & seed_concept_cards["devops"]


def test_seed_deck_has_no_generic_concepts(seed_concept_cards):
    junk = {
        "benefit", "challenge", "tool", "time", "user", "way", "thing", "example", "use", "role",
        "approach", "process", "term", "context", "several challenge", "what", "how", "it", "level",
        "1", "track", "continuous", "facilitate", "enable", "step", "practice", "type", "key", "main", "explain", "describe", "define",
    }
    assert junk.isdisjoint(seed_concept_cards)
    assert all(len(k) > 1 and len(k.split()) <= 8 for k in seed_concept_cards)


def test_curation_add_terms_are_found(nlp):
    curation = Curation.from_toml('add = ["shadow mode"]\n')
    try:
        (result,) = extract([card("Why run a model in shadow mode first?")], nlp=nlp, curation=curation)
    finally:
        list(extract([], nlp=nlp))  # leave the shared pipeline without added terms
    assert "shadow mode" in {m.concept for m in result.mentions}


def test_fingerprint_changes_with_added_terms_only(nlp):
    empty = pipeline_fingerprint(nlp)
    assert pipeline_fingerprint(nlp, Curation()) == empty
    assert pipeline_fingerprint(nlp, Curation.from_toml('hide = ["x"]\n')) == empty
    assert pipeline_fingerprint(nlp, Curation.from_toml('add = ["x"]\n')) != empty


def test_unknown_model_is_a_model_error():
    with pytest.raises(ModelError, match=r"spaCy model 'no_such_model_kg' is not installed; install it with: pip install"):
        load_model("no_such_model_kg")


@pytest.mark.slow
def test_two_processes_give_the_same_extractions_as_one(nlp):
    cards = [
        card("What is concept drift?", "Concept drift changes the relation between inputs and labels."),
        card("Define CI/CD.", "Continuous Integration (CI) merges work; Continuous Delivery (CD) ships it."),
        card("", "Kubeflow runs pipelines on Kubernetes."),
        card("How do feature stores reduce training-serving skew?", "They serve the same features."),
    ]
    one = [e.to_dict() for e in extract(cards, nlp=nlp, n_process=1)]
    two = [e.to_dict() for e in extract(cards, nlp=nlp, n_process=2, batch_size=1)]
    assert one == two
