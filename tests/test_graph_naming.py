"""How concepts are named and placed in the hierarchy, on small hand-written extractions."""

from __future__ import annotations

import pytest

from kg.cards import Card
from kg.curation import Curation
from kg.extraction import Acronym, CardExtraction, Mention
from kg.graph import build_graph, concept_id
from kg.labels import mention_context


def _card(cid, question, answer, terms, acronyms=()):
    """A card and its extraction: each term is (key, surface, field), found at its first place."""
    mentions = []
    for key, surface, field in terms:
        text = question if field == "question" else answer
        start = text.index(surface)
        mentions.append(Mention(key, surface, field, start, start + len(surface)))
    return Card(id=cid, deck="D", question=question, answer=answer), CardExtraction(
        cid, mentions, [Acronym(s, long) for s, long in acronyms])


def _graph(specs, curation=None):
    pairs = [_card(*spec) for spec in specs]
    return build_graph([c for c, _ in pairs], [e for _, e in pairs], curation=curation)


def _edges(G, kind):
    return {(u, v) for u, v, k in G.edges(keys=True) if k == kind}


@pytest.mark.parametrize("text, surface, expected", [
    ("1) Scalability: scales", "Scalability", "initial"),
    ("Benefits:\n- Monitoring: watches", "Monitoring", "initial"),
    ("State you would 1) Benchmark, 2) Profile", "Profile", "initial"),
    ("Uses: Feature Store", "Feature Store", "initial"),
    ("requests go to the Web Server", "Server", "title"),
    ("tools like Kubeflow help", "Kubeflow", "plain"),
])
def test_mention_context_reads_list_items_and_headings(text, surface, expected):
    assert mention_context(text, text.index(surface)) == expected


def test_list_heading_capitals_do_not_make_the_label():
    G = _graph([
        ("a", "What are the benefits?", "1) Scalability: grows.\n2) Monitoring: watches.",
         [("scalability", "Scalability", "answer"), ("monitoring", "Monitoring", "answer")]),
        ("b", "Why care?", "Continuous monitoring and Kubeflow matter; we run Kubeflow.",
         [("monitoring", "monitoring", "answer"), ("kubeflow", "Kubeflow", "answer")]),
        ("c", "Which tool?", "Kubeflow: pipelines.", [("kubeflow", "Kubeflow", "answer")]),
    ])
    assert G.nodes["concept:scalability"]["label"] == "scalability"
    assert G.nodes["concept:monitoring"]["label"] == "monitoring"
    assert G.nodes["concept:kubeflow"]["label"] == "Kubeflow"  # capitalised mid-sentence: a name


def test_lower_case_inflections_outvote_capitals_mid_sentence():
    G = _graph([
        ("a", "Why a Load Balancer?", "We add a Load Balancer here.", [("load balancer", "Load Balancer", "answer")]),
        ("b", "Where?", "Put load balancers in front; the load balancer routes.",
         [("load balancer", "load balancers", "answer"), ("load balancer", "load balancer", "answer")]),
    ])
    assert G.nodes["concept:load-balancer"]["label"] == "load balancer"


def test_acronym_written_more_often_is_the_label_and_the_long_form_an_alias():
    G = _graph([
        ("a", "What is Machine Learning Operations (MLOps)?", "MLOps runs models.",
         [("machine learning operations", "Machine Learning Operations", "question"),
          ("mlops", "MLOps", "question"), ("mlops", "MLOps", "answer")], [("mlops", "machine learning operations")]),
        ("b", "Why MLOps?", "Because MLOps scales.", [("mlops", "MLOps", "question"), ("mlops", "MLOps", "answer")]),
    ])
    node = G.nodes[concept_id("machine learning operations")]
    assert node["label"] == "MLOps"
    assert [a.lower() for a in node["aliases"]] == ["machine learning operations"]


def test_acronym_that_does_not_fit_its_expansion_is_not_the_label():
    # Extraction paired "PPO" with "policy optimization" (a word short): keep the spelled-out label.
    G = _graph([
        ("a", "What is PPO?", "PPO is policy optimization; PPO clips.",
         [("ppo", "PPO", "question"), ("ppo", "PPO", "answer"), ("policy optimization", "policy optimization", "answer")],
         [("ppo", "policy optimization")]),
    ])
    assert G.nodes[concept_id("policy optimization")]["label"] == "policy optimization"


def test_members_of_an_acronym_pair_are_parts_of_it_not_kinds():
    specs = [
        ("a", "What is CI/CD?", "Continuous Integration (CI) and Continuous Delivery (CD).",
         [("ci/cd", "CI/CD", "question"), ("continuous integration", "Continuous Integration", "answer"),
          ("continuous delivery", "Continuous Delivery", "answer")],
         [("ci", "continuous integration"), ("cd", "continuous delivery")]),
    ]
    curation = Curation(parents={"continuous integration": ["ci/cd"]})
    for G in (_graph(specs), _graph(specs, curation)):
        ci, cd, pair = concept_id("continuous integration"), concept_id("continuous delivery"), "concept:ci-cd"
        assert {(ci, pair), (cd, pair)} <= _edges(G, "part_of")
        assert not {(ci, pair), (cd, pair)} & _edges(G, "is_a")


def test_compound_splits_only_between_modifier_and_head():
    filler = [("x", "x", "answer")]
    G = _graph([
        ("a", "What is semi-structured data?", "Unlike structured data, it is data.",
         [("semi structured data", "semi-structured data", "question"), ("structured data", "structured data", "answer"),
          ("data", "data", "answer")]),
        ("b", "How is it built layer-by-layer?", "Each layer adds.",
         [("layer by layer", "layer-by-layer", "question"), ("layer", "layer", "answer")]),
        ("c", "What does POST /resign do?", "It calls resign.",
         [("post resign", "POST /resign", "question"), ("resign", "resign", "answer")]),
        ("d", "What is a natural language instruction?", "An instruction in natural language.",
         [("natural language instruction", "natural language instruction", "question"),
          ("instruction", "instruction", "answer"), ("natural language", "natural language", "answer")]),
        ("e", "Natural language?", "natural language x", [("natural language", "natural language", "answer")] + filler),
        ("f", "Natural language again?", "natural language y", [("natural language", "natural language", "answer")]),
        ("g", "Language instruction?", "language instruction", [("language instruction", "language instruction", "answer")]),
    ])
    is_a = _edges(G, "is_a")
    assert (concept_id("semi structured data"), "concept:data") in is_a
    assert (concept_id("semi structured data"), concept_id("structured data")) not in is_a
    assert not any(u == concept_id("layer by layer") for u, _ in is_a)
    assert not any(u == concept_id("post resign") for u, _ in is_a)
    assert (concept_id("natural language instruction"), "concept:instruction") in is_a


def test_a_compound_led_by_an_acronym_is_the_compound_led_by_its_expansion(bundled_graph):
    # The deck defines ML as machine learning; "ML lifecycle" and "machine learning lifecycles"
    # then name one concept, with the written short form kept as an alias.
    lifecycle = [d for _, d in bundled_graph.nodes(data=True)
                 if d["kind"] == "concept" and d["key"] in ("machine learning lifecycle", "ml lifecycle")]
    keys = {d["key"] for d in lifecycle}
    assert keys == {"machine learning lifecycle"}, keys
    assert any(a.lower().startswith("ml ") for a in lifecycle[0]["aliases"])
    assert "concept:ml-lifecycle" not in bundled_graph


def test_a_compound_led_by_an_everyday_word_is_not_read_as_an_acronym():
    # A deck defines USE (Universal Sentence Encoder); "Use case" on another card is still a use
    # case. "ML lifecycle" still folds into "machine learning lifecycle".
    G = _graph([
        ("a", "How is the instruction embedded?", "Via Universal Sentence Encoder (USE).",
         [("universal sentence encoder", "Universal Sentence Encoder", "answer")], [("use", "universal sentence encoder")]),
        ("b", "What is a use case?", "Use cases say how the system is used.", [("use case", "Use cases", "answer")]),
        ("c", "What is ML?", "Machine learning (ML). The ML lifecycle ends in monitoring.",
         [("machine learning", "Machine learning", "answer"), ("ml lifecycle", "ML lifecycle", "answer")],
         [("ml", "machine learning")]),
    ])
    assert concept_id("use case") in G
    assert concept_id("universal sentence encoder case") not in G
    assert concept_id("machine learning lifecycle") in G and concept_id("ml lifecycle") not in G


def test_a_concept_written_only_in_its_acronym_led_form_is_labelled_as_written():
    G = _graph([
        ("a", "What is HTTP?", "Hypertext Transfer Protocol (HTTP) moves pages.",
         [("hypertext transfer protocol", "Hypertext Transfer Protocol", "answer")],
         [("http", "hypertext transfer protocol")]),
        ("b", "Why HTTP APIs?", "HTTP APIs are easy to call.", [("http api", "HTTP APIs", "question"),
                                                               ("http api", "HTTP APIs", "answer")]),
    ])
    node = G.nodes[concept_id("hypertext transfer protocol api")]
    assert node["label"] == "HTTP APIs", node
