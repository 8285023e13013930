"""A word the deck only says in passing ranks as general language (kg.termhood), however rare it
is in English, while a term the deck teaches stays on top. The deck is made up here, in a domain
kg was never tuned on (beekeeping): "beginner" (Zipf 3.5) and "swarm" (3.4) are equally rare in
English, so word frequency cannot tell them apart; how the deck uses them can."""

from __future__ import annotations

from kg.build import build
from kg.cards import Card, card_id
from kg.graph import build_graph
from kg.nlp import extract
from kg.nlp.generic import rank_order, zipf
from kg.store.sqlite import SqliteStore
from kg.workspace import load_graph

# "beginner" is said once on most cards, in the answer, in passing; "swarm" is asked about and
# repeated on the two cards about it.
BEEKEEPING = [
    ("What does a smoker do?", "The smoker calms the bees before the lid comes off, which reassures beginners."),
    ("What is varroa?", "Varroa is a parasitic mite that feeds on the larvae, a hard pest for beginners."),
    ("What is brood?", "Brood is the eggs, larvae and pupae in the comb, hard to read for beginners."),
    ("Why feed sugar syrup?", "Sugar syrup replaces nectar in a lean month, a common trap for beginners."),
    ("What is a queen excluder?", "A queen excluder is a grid that keeps the queen out of the honey super, often "
                                  "fitted upside down by beginners."),
    ("When does a swarm leave the hive?", "A swarm leaves a crowded hive with the old queen; the swarm settles on "
                                          "a branch nearby."),
    ("How do you catch a swarm?", "Shake the swarm into a box at dusk and move the swarm to a new hive the next day."),
    ("What is propolis?", "Propolis is a resin the bees collect to seal gaps in the hive."),
]


def beekeeping_cards() -> list[Card]:
    return [Card(id=card_id("bees", q), deck="bees", question=q, answer=a) for q, a in BEEKEEPING]


def concepts_by_key(G) -> dict[str, dict]:
    return {d["key"]: d for _, d in G.nodes(data=True) if d.get("kind") == "concept"}


def test_a_word_said_in_passing_on_many_cards_ranks_below_a_term_the_deck_teaches(nlp):
    cards = beekeeping_cards()
    G = build_graph(cards, list(extract(cards, nlp=nlp)))
    concepts = concepts_by_key(G)
    beginner, swarm = concepts["beginner"], concepts["swarm"]
    assert abs(zipf("beginner") - zipf("swarm")) < 0.2, "as common in English as each other"
    assert beginner["cards"] > swarm["cards"] >= 2, "the passing word is on more cards"
    assert beginner["passing"] and beginner["term_cards"] == 0
    assert not swarm["passing"] and swarm["term_cards"] == 2

    ranked = [d["key"] for d in sorted(concepts.values(), key=rank_order)]
    assert ranked.index("swarm") < ranked.index("beginner")
    assert ranked[:3].count("beginner") == 0
    assert beginner["importance"] < swarm["importance"]
    # It stays a concept of every card that says it, and `kg concepts` lists the same order.
    assert beginner["cards"] == 5
    assert [d["key"] for d in SqliteStore(G, location="memory").concepts_by_cards(len(ranked))] == ranked


def test_a_term_of_several_words_or_a_written_name_is_never_passing_language(nlp):
    cards = beekeeping_cards()
    G = build_graph(cards, list(extract(cards, nlp=nlp)))
    concepts = concepts_by_key(G)
    from kg.nlp.generic import specificity

    # Said once, in passing, but named by several words: specific as a name.
    excluder = concepts["queen excluder"]
    assert specificity(excluder["key"], excluder["label"], excluder["passing"]) == 1.0
    # A rare word ("varroa") stays specific even where the deck only says it in passing.
    assert specificity("varroa", "varroa", True) == 1.0
    assert specificity("beginner", "beginner", True) == 0.0
    assert specificity("beginner", "Beginner", True) > 0.5, "written capitalised mid-sentence: a name"


def test_an_update_that_repeats_the_word_on_a_card_makes_it_a_term_as_a_fresh_build_does(tmp_path, nlp, same_graph):
    decks = tmp_path / "decks"
    decks.mkdir()
    deck = decks / "bees.tsv"
    deck.write_text("".join(f"{q}\t{a}\n" for q, a in BEEKEEPING), encoding="utf-8")
    build([decks], workspace=tmp_path / "ws", nlp=nlp)
    assert concepts_by_key(load_graph(tmp_path / "ws"))["beginner"]["passing"]

    text = deck.read_text(encoding="utf-8")
    deck.write_text(text.replace("which reassures beginners.",
                                 "which reassures beginners, as most beginners fear the stings."), encoding="utf-8")
    report = build([decks], workspace=tmp_path / "ws", nlp=nlp)
    fresh = build([decks], workspace=tmp_path / "fresh", nlp=nlp)
    assert report.updated and not fresh.updated
    updated = load_graph(tmp_path / "ws")
    beginner = concepts_by_key(updated)["beginner"]
    assert not beginner["passing"] and beginner["term_cards"] == 1
    same_graph(updated, load_graph(tmp_path / "fresh"), communities=False)


def test_a_scope_judges_a_word_by_its_own_cards(nlp):
    from kg.analysis.scope import Scope, scoped_graph

    other = [Card(id=card_id("courses", q), deck="courses", question=q, answer=a) for q, a in [
        ("Which course suits beginners?", "The spring course is for beginners; the autumn one assumes a season."),
        ("How long is the spring course?", "Six evenings, with one afternoon at the apiary."),
    ]]
    cards = beekeeping_cards() + other
    G = build_graph(cards, list(extract(cards, nlp=nlp)))
    assert not G.nodes["concept:beginner"]["passing"], "the course deck asks about it"
    bees = scoped_graph(G, Scope.of(["bees"]))
    assert bees.nodes["concept:beginner"]["passing"] and bees.nodes["concept:beginner"]["term_cards"] == 0
    assert bees.nodes["concept:beginner"]["importance"] < bees.nodes["concept:swarm"]["importance"]
