"""Author marks as evidence (kg.nlp.marks), general words measured (kg.nlp.generic) and the
analyses that keep broad concepts out of bridges. Card texts are made up in the way flashcard
authors write; none is copied from a deck."""

from __future__ import annotations

import networkx as nx

from kg import analysis
from kg.cards import Card, card_id
from kg.graph import build_graph
from kg.nlp import extract
from kg.nlp.marks import card_marks
from kg.workspace import cache_key


def card(question: str, answer: str, *, question_html: str | None = None, answer_html: str | None = None) -> Card:
    return Card(id=card_id("marks", question), deck="marks", question=question, answer=answer,
                question_html=question_html, answer_html=answer_html)


def mentions_of(nlp, c: Card) -> dict[str, bool]:
    """{concept key: whether a mention of it was marked} of one card."""
    (result,) = extract([c], nlp=nlp)
    found: dict[str, bool] = {}
    for m in result.mentions:
        found[m.concept] = found.get(m.concept, False) or m.marked
    return found


def test_a_bold_term_the_parser_misses_becomes_a_marked_concept(nlp):
    q = "How is the network trained?"
    a = "They use progessive shrinking and then Token Merging in every block."
    plain = mentions_of(nlp, card(q, a))
    marked = mentions_of(nlp, card(q, a, answer_html="They use <b>progessive shrinking</b> and then "
                                                      "<b>Token Merging</b> in every block."))
    assert "token merging" in marked and marked["token merging"]
    assert marked.get("progessive shrinking") is True
    assert not plain.get("token merging")  # the mark is what made it a concept


def test_a_bolded_no_or_verb_or_clause_is_no_concept(nlp):
    a = "No. Avoid it: does Batch Normalization help here? Dilated filters are worse on small objects."
    html = ("<b>No</b>. <b>Avoid</b> it: <b>does Batch Normalization</b> help here? <b>Dilated</b> filters "
            "are <b>worse on small objects</b>.")
    found = mentions_of(nlp, card("Is it always better?", a, answer_html=html))
    assert not {"no", "avoid", "dilated", "does batch normalization", "worse on small object",
                "small object"} & {k for k, marked in found.items() if marked}
    assert "no" not in found and "avoid" not in found


def test_cloze_deletions_and_list_labels_are_marks(nlp):
    cloze = card("The {{c1::sodium-potassium pump}} is an example of {{c2::active transport}}.", "",
                 question_html="The {{c1::sodium-potassium pump}} is an example of {{c2::active transport}}.")
    cloze = Card(**{**cloze.__dict__, "question": "The sodium-potassium pump is an example of active transport.",
                    "answer": "The sodium-potassium pump is an example of active transport."})
    found = mentions_of(nlp, cloze)
    assert found.get("sodium potassium pump") and found.get("active transport")

    listed = card("What challenges do teams face?",
                  "Several:\n1) Version Control: keeping track of code and models.\n"
                  "2) Model Decay: models get worse as data changes.\n- Yes\n- Operator, supervisor, director")
    found = mentions_of(nlp, listed)
    assert found.get("version control") and found.get("model decay")
    assert "yes" not in found and "operator, supervisor, director" not in found


def test_nested_cloze_deletions_are_each_a_mark(nlp):
    # Anki's editor nests clozes ({{c1::…{{c2::…}}…}}); each asks for its own words.
    raw = "{{c1::The {{c2::Krebs cycle}} runs in the mitochondrial matrix}}; {{c3::glycolysis}} in the cytoplasm."
    text = "The Krebs cycle runs in the mitochondrial matrix; glycolysis in the cytoplasm."
    c = Card(**{**card(text, text, question_html=raw).__dict__, "answer": text})
    marked = {text[start:end] for start, end, _, _ in card_marks(c)["question"]}
    assert {"Krebs cycle", "glycolysis"} <= marked
    found = mentions_of(nlp, c)
    assert found.get("krebs cycle") and found.get("glycolysis")


def test_the_front_of_a_short_term_card_and_a_definition_question_are_marks(nlp):
    front = card("ser vs estar", "ser: identity and origin. estar: location and states.")
    marks = card_marks(front)["question"]
    assert [front.question[s:e] for s, e, *_ in marks] == ["ser", "estar"]
    assert mentions_of(nlp, card("What is a subnet mask?", "It splits an address.")).get("subnet mask")
    # A question about a relation names no single term.
    assert not card_marks(card("What is the purpose of a subnet mask?", "To split addresses."))["question"]


def test_the_graph_records_that_the_author_marked_a_concept(nlp):
    c = card("Why use it?", "Use hard negative mining when negatives dominate.",
             answer_html="Use <b>hard negative mining</b> when negatives dominate.")
    G = build_graph([c], list(extract([c], nlp=nlp)))
    edge = G.edges[f"card:{c.id}", "concept:hard-negative-mining", "mentions"]
    assert edge["marked"] == 1


def test_marks_change_the_extraction_cache_key():
    plain = card("Why?", "Use Token Merging.")
    bold = card("Why?", "Use Token Merging.", answer_html="Use <b>Token Merging</b>.")
    assert plain.text == bold.text and cache_key("f", plain) != cache_key("f", bold)


def test_numbers_and_capitalised_tails_stay_in_names(nlp):
    found = mentions_of(nlp, card("What does Route 53 do?",
                                  "Route 53 records point at S3 Glacier Deep Archive buckets; traffic goes to Route 53."))
    assert "route 53" in found and "route" not in found
    assert "s3 glacier deep archive" in found


def test_a_general_word_used_in_passing_is_no_concept_unless_the_card_marks_it(nlp):
    a = "The service stores each archive in a vault for years."
    assert "service" not in mentions_of(nlp, card("Where do archives go?", a))
    marked = card("Where do archives go?", a, answer_html="The <b>service</b> stores each archive in a vault for years.")
    assert "service" not in mentions_of(nlp, marked)  # as common as "no": refused even when bold
    assert mentions_of(nlp, card("What is a vault?", "A vault holds archives; each vault has a policy."))["vault"]


def test_a_general_word_is_no_path_bridge_while_specific_concepts_join_the_ends():
    # "pattern" (general English) joins the two ends in one hop; the specific chain is longer.
    G = nx.MultiDiGraph()
    for i in range(8):
        G.add_node(f"card:{i}", kind="card", question=f"card {i}", answer="", deck="d")
    for key in ("concept drift", "pattern", "ci/cd", "data drift", "continuous integration"):
        G.add_node(f"concept:{key.replace(' ', '-').replace('/', '-')}", kind="concept", key=key, label=key, cards=2)
    links = [("concept-drift", "pattern", 0.9), ("pattern", "ci-cd", 0.9), ("concept-drift", "data-drift", 0.3),
             ("data-drift", "continuous-integration", 0.3), ("continuous-integration", "ci-cd", 0.3)]
    for u, v, w in links:
        G.add_edge(f"concept:{u}", f"concept:{v}", key="co_occurs", kind="co_occurs", weight=w, shared=2, evidence=[])
    hops = analysis.explain_path(G, "concept:concept-drift", "concept:ci-cd")["hops"]
    assert [h["to"] for h in hops] == ["concept:data-drift", "concept:continuous-integration", "concept:ci-cd"]
    # With nothing else joining them, the general word is better than no path.
    G.remove_node("concept:data-drift")
    assert analysis.explain_path(G, "concept:concept-drift", "concept:ci-cd")["connected"]


def test_the_bundled_decks_list_labels_are_concepts_and_its_paths_avoid_general_words(bundled_graph, concept_named):
    G = bundled_graph
    version_control = concept_named(G, "version control")
    assert any(keyed["mentions"].get("marked") for keyed in G._pred[version_control].values() if "mentions" in keyed)
    from kg.analysis._broad import BROAD, broadness

    broad = broadness(G)
    for a, b in [("concept drift", "CI/CD"), ("model decay", "retraining"), ("Feature Store", "model monitoring")]:
        path = analysis.explain_path(G, concept_named(G, a), concept_named(G, b))
        assert path["connected"]
        assert all(broad.get(h["to"], 0.0) < BROAD for h in path["hops"][:-1])
        assert {"concept:pattern", "concept:iteration"}.isdisjoint(h["to"] for h in path["hops"])


def test_a_gerund_closing_a_list_and_a_coined_hyphenated_name_are_concepts(nlp):
    found = mentions_of(nlp, card("What does the platform manage?",
                                  "Datasets, training pipelines, and model serving. It trains with PyTorch and "
                                  "scikit-learn.\nBatch Predictions: process large datasets at once."))
    assert {"model serving", "scikit learn", "batch prediction"} <= set(found)
    assert found["batch prediction"]  # a "Label: text" line is the author's mark


def test_a_common_word_of_another_language_is_a_concept_only_where_marked(nlp):
    c = card("ser vs estar", "Identity takes ser: Soy de México. States take estar: Estoy cansado, quiero dormir.",
             answer_html="Identity takes <b>ser</b>: <i>Soy de México</i>. States take <b>estar</b>: "
                         "<i>Estoy cansado, quiero dormir</i>.")
    found = mentions_of(nlp, c)
    assert found.get("ser") and found.get("estar")
    assert "quiero" not in found


# Made-up networking cards: each says "address" in passing beside the specific terms it is about.
_ADDRESS_CARDS = [
    ("What does ARP resolve?", "ARP maps an IPv4 address to a MAC address; each answer is cached by address."),
    ("What is a broadcast address?", "The broadcast address reaches every address of the subnet."),
    ("What does DHCP hand out?", "DHCP leases an address to each host, with a subnet mask and a default gateway."),
    ("What does NAT rewrite?", "NAT rewrites the IPv4 address of outgoing packets: one address for the whole LAN."),
    ("How big is an IPv6 address?", "An IPv6 address is 128 bits long, written in hexadecimal groups."),
    ("What does a subnet mask split?", "A subnet mask splits each IPv4 address into a network part and a host part."),
]


def _address_graph(nlp):
    cards = [card(q, a) for q, a in _ADDRESS_CARDS]
    return build_graph(cards, list(extract(cards, nlp=nlp)))


def test_a_general_word_on_many_cards_ranks_below_the_terms_it_is_said_with(nlp):
    from kg.nlp.generic import rank_order
    from kg.store.sqlite import SqliteStore

    G = _address_graph(nlp)
    keys = [d["key"] for d in sorted((d for _, d in G.nodes(data=True) if d.get("kind") == "concept"),
                                     key=rank_order)]
    assert "address" in keys, "the word stays a concept of its cards"
    assert G.nodes["concept:address"]["cards"] >= G.nodes["concept:subnet-mask"]["cards"] >= 2
    assert keys.index("ipv4 address") < keys.index("address")
    assert keys.index("subnet mask") < keys.index("address")
    # An acronym is a name, however common its lower-case word ("NAT", "ARP").
    assert keys.index("arp") < keys.index("address")
    assert [d["key"] for d in SqliteStore(G, location="memory").concepts_by_cards(len(keys))] == keys


def test_a_general_word_is_no_hub_of_the_importance_ranking(nlp):
    G = _address_graph(nlp)
    importance = {d["key"]: d["importance"] for _, d in G.nodes(data=True) if d.get("kind") == "concept"}
    assert importance["address"] < importance["ipv4 address"]
    assert importance["address"] < importance["subnet mask"]


def test_a_cloze_hiding_a_verb_form_of_the_sentence_is_no_concept(nlp):
    # "had been {{performed}}": the deletion hides the sentence's verb, not a term; the nouns stay.
    html = ("Expectation damages put the claimant where it would be had the contract been {{c1::performed}}; "
            "an offer accepted by post binds when the letter is {{c2::posted}}.")
    text = html.replace("{{c1::", "").replace("{{c2::", "").replace("}}", "")
    found = mentions_of(nlp, card(text, "", question_html=html))
    assert {"expectation damage", "claimant", "offer", "letter"} <= set(found)
    assert not {"performed", "perform", "posted", "post"} & set(found)
    # A cloze on a term after "is" still names it.
    html = "The heart's pacemaker is the {{c1::SA node}}."
    assert mentions_of(nlp, card("The heart's pacemaker is the SA node.", "", question_html=html)).get("sa node") is True


def test_a_works_title_in_italics_is_one_name_not_the_terms_inside_it(nlp):
    # The thirteenth held-out round's sociology deck: "Durkhiem, *The Division of Labour in Society*
    # (1893)" named "division" and "labour"; the ethics deck's "*Famine, Affluence, and Morality*"
    # named "famine", "affluence" and "morality".
    found = mentions_of(nlp, card("Mechanical vs organic solidarity", "Durkheim, The Division of Labour in Society (1893).",
                                  answer_html="Durkheim, <i>The Division of Labour in Society</i> (1893)."))
    assert "division of labour in society" in found and not {"division", "labour"} & set(found), found
    found = mentions_of(nlp, card("Singer?", "Famine, Affluence, and Morality (1972)",
                                  answer_html="<em>Famine, Affluence, and Morality</em> (1972)"))
    assert "famine, affluence, and morality" in found and "famine" not in found, found
    # A name the phrase goes on from, or a sentence of another language, is no title.
    found = mentions_of(nlp, card("SE blocks?", "A Squeeze and Excitation layer reweights channels.",
                                  answer_html="A <i>Squeeze and Excitation</i> layer reweights channels."))
    assert "squeeze and excitation" not in found, found
    found = mentions_of(nlp, card("Personal a", "Veo a María.", answer_html="<i>Veo a María</i>."))
    assert "veo a maría" not in found, found
