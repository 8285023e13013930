"""A name the deck's author marked on one card is a concept of every card that says it
(kg.deckterms), though the card alone would lose it: the parse cuts "linked" from "a linked
list" and drops names made of general words ("unit test", "control group"). The decks are made
up here, in domains kg was never tuned on (data structures, software testing, clinical trials)."""

from __future__ import annotations

import pytest

from kg.build import build
from kg.cards import Card, card_id
from kg.deckterms import DeckTerms, travels
from kg.graph import build_graph
from kg.nlp import extract
from kg.workspace import load_graph

DECK = [
    ("What is a linked list?", "A linked list is a chain of nodes, each holding a value and a pointer to the next node."),
    ("Why is inserting at the head cheap?", "In a linked list, inserting at the head only rewires one pointer, "
                                            "so it takes constant time."),
    ("What is a unit test?", "It checks one function in isolation."),
    ("Why run tests on every push?", "Every unit test runs on each push, so a broken function is caught early."),
    ("What is a control group?", "The group that gets no treatment."),
    ("How is a trial randomized?", "Patients are assigned to the treatment arm or the control group at random."),
]
# The cards that say a name marked on another card (the definition question asks for it), and the name.
SAID_ELSEWHERE = {1: "linked list", 3: "unit test", 5: "control group"}


def deck_cards(rows=DECK, deck="d") -> list[Card]:
    return [Card(id=card_id(deck, q), deck=deck, question=q, answer=a) for q, a in rows]


def concepts_of_card(G, card: Card) -> set[str]:
    return {G.nodes[v]["key"] for v, keyed in G._succ[f"card:{card.id}"].items() if "mentions" in keyed}


def test_a_name_marked_on_one_card_is_a_concept_of_every_card_that_says_it(nlp):
    cards = deck_cards()
    extractions = list(extract(cards, nlp=nlp))
    # The card read alone loses "linked list" ("In a linked list, inserting..."): that is what the
    # deck repairs. ("unit test" and "control group", once lost alone too, are now found alone:
    # general nouns compounded make a term.)
    assert "linked list" not in {m.concept for m in extractions[1].mentions}
    G = build_graph(cards, extractions)
    for i, name in SAID_ELSEWHERE.items():
        assert name in concepts_of_card(G, cards[i]), cards[i].question
    assert G.nodes["concept:linked-list"]["cards"] == 2
    found = DeckTerms.of(extractions).found(cards[1], extractions[1])
    assert [(m.surface, m.field) for m in found] == [("linked list", "answer")]
    assert cards[1].answer[found[0].start:found[0].end] == "linked list"


def test_only_names_of_english_words_without_a_grading_word_travel():
    assert travels("linked list") and travels("unit test") and travels("control group")
    assert not travels("list"), "one word is too often plain English elsewhere"
    assert not travels("key benefit") and not travels("main challenge")
    assert not travels("il est"), "a phrase of another language is said in examples, not named"


def test_a_name_inside_a_longer_name_the_card_names_is_not_found_there(nlp):
    cards = deck_cards([
        ("What is a network address?", "The part of an IP address that names the network."),
        ("What is NAT?", "Network address translation rewrites the source of outgoing packets."),
    ])
    extractions = list(extract(cards, nlp=nlp))
    assert "network address translation" in {m.concept for m in extractions[1].mentions}
    assert DeckTerms.of(extractions).found(cards[1], extractions[1]) == []


def _write(path, rows):
    path.write_text("".join(f"{q}\t{a}\n" for q, a in rows), encoding="utf-8")


@pytest.mark.parametrize("said_elsewhere", [True, False], ids=["said elsewhere", "said nowhere else"])
def test_a_newly_marked_name_updates_or_builds_afresh_and_equals_a_fresh_build(tmp_path, nlp, same_graph,
                                                                                 said_elsewhere):
    """Marking a name for the first time changes every card that says it: the update gives way to
    a fresh build then, and only then."""
    decks = tmp_path / "decks"
    decks.mkdir()
    rows = list(DECK)
    # An unchanged card says "regression test"; no card says "smoke test".
    rows[3] = (rows[3][0], rows[3][1] + " A regression test guards a fixed bug.")
    rows.append(("What happens when a test fails?", "The build stops and the author is told."))
    rows += [(f"How does a heap keep order, case {n}?", f"A heap keeps its minimum at the root, case {n}.")
             for n in range(12)]
    _write(decks / "deck.txt", rows)
    build([decks], workspace=tmp_path / "ws", nlp=nlp)
    marked = "regression test" if said_elsewhere else "smoke test"
    rows[6] = ("What happens when a test fails?", f"The build stops. <b>{marked.capitalize()}s</b> fail first.")
    _write(decks / "deck.txt", rows)
    report = build([decks], workspace=tmp_path / "ws", nlp=nlp)
    fresh = build([decks], workspace=tmp_path / "fresh", nlp=nlp)
    assert report.updated is not said_elsewhere
    assert not fresh.updated
    G = load_graph(tmp_path / "fresh")
    # Marked in bold on the edited card, and found on the unchanged card that says it.
    assert G.nodes[f"concept:{marked.replace(' ', '-')}"]["cards"] == (2 if said_elsewhere else 1)
    same_graph(load_graph(tmp_path / "ws"), G, communities=not report.updated)
