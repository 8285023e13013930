"""Search on the real bundled graph: concepts first, words second."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from kg.search import search, search_index, stem, suggest


def _questions(result):
    return [c["question"] for c in result["cards"]]


def _memory_and_store_file(tmp_path, nlp, rows):
    """A deck of (question, answer) rows built, as the in-memory store and as a SQLite store file."""
    from kg.build import build
    from kg.store import open_store
    from kg.store.load import load_sqlite

    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "deck.txt").write_text("".join(f"{q}\t{a}\n" for q, a in rows), encoding="utf-8")
    build([decks], workspace=tmp_path / "ws", nlp=nlp)
    return open_store(tmp_path / "ws"), open_store(f"sqlite:{load_sqlite(tmp_path / 'ws').generation}")


def _cards_of(G, *names):
    names = {n.lower() for n in names}
    found = set()
    for n, d in G.nodes(data=True):
        if d.get("kind") == "concept" and d["key"] in names:
            found.update(u for u, _, k in G.in_edges(n, keys=True) if k == "mentions")
    return found


def test_acronym_finds_the_spelled_out_concept(bundled_graph):
    result = search(bundled_graph, "CI")
    assert result["concepts"][0]["label"].lower() == "continuous integration"
    labels = {c["label"] for c in result["concepts"]}
    assert "CI/CD" in labels
    top = {c["id"] for c in result["cards"][:5]}
    assert _cards_of(bundled_graph, "continuous integration") <= top


def test_drift_finds_every_kind_of_drift_with_drift_first(bundled_graph):
    result = search(bundled_graph, "drift", limit=50)
    found = {c["id"] for c in result["cards"]}
    family = _cards_of(bundled_graph, "drift", "concept drift", "data drift", "prediction drift", "model drift")
    assert family <= found
    assert result["concepts"][0]["label"] == "drift"
    assert "concept drift" in _questions(result)[0]


def test_misspelt_query_finds_the_same_cards(bundled_graph):
    assert search(bundled_graph, "dirft")["cards"][:5] == search(bundled_graph, "drift")["cards"][:5]
    assert search(bundled_graph, "kubeflo")["concepts"][0]["label"] == "Kubeflow"


def test_derived_forms_meet_on_one_stem(bundled_graph):
    assert stem("containers") == stem("containerization")
    assert "containerization" in _questions(search(bundled_graph, "containers"))[0]
    assert "Explainable AI" in _questions(search(bundled_graph, "explainability"))[0]


def test_free_text_question_still_finds_cards(bundled_graph):
    result = search(bundled_graph, "how do I keep training and serving features consistent")
    assert any("Feature Store" in q for q in _questions(result)[:3])


def test_words_of_a_concept_name_far_apart_in_the_query_do_not_name_it(bundled_graph):
    index = search_index(bundled_graph)
    near = index.concept_matches(index.query_stems("what is concept drift"))
    apart = index.concept_matches(index.query_stems("which concept helps models resist input drift"))
    concept_drift = next(n for n in near if bundled_graph.nodes[n]["key"] == "concept drift")
    assert near[concept_drift][0] == 1.0
    assert concept_drift not in apart or apart[concept_drift][2] < 1.0


def test_a_concept_in_the_question_outranks_one_in_the_answer(bundled_graph):
    top = search(bundled_graph, "feature store", limit=3)["cards"]
    assert "feature store" in top[0]["question"].lower()
    asked = [c for c in search(bundled_graph, "feature store", limit=50)["cards"] if "feature store" in c["question"].lower()]
    others = [c for c in search(bundled_graph, "feature store", limit=50)["cards"] if c not in asked]
    assert min(c["score"] for c in asked) > max(c["score"] for c in others)


def test_nonsense_finds_nothing(bundled_graph):
    assert search(bundled_graph, "zzzqqq") == {"concepts": [], "concepts_by_word": False, "cards": []}
    assert search(bundled_graph, "") == {"concepts": [], "concepts_by_word": False, "cards": []}


def test_suggest_completes_prefixes_and_typos(bundled_graph):
    labels = [c["label"] for c in suggest(bundled_graph, "vert")]
    assert labels[0] == "Vertex AI" and all("Vertex" in label for label in labels)
    assert suggest(bundled_graph, "kubflow")[0]["label"] == "Kubeflow"
    assert len(suggest(bundled_graph, "a", limit=3)) == 3


def test_index_is_built_once_and_answers_in_milliseconds(bundled_graph):
    assert search_index(bundled_graph) is search_index(bundled_graph)
    start = time.perf_counter()
    for query in ("drift", "CI", "feature store skew", "kubeflo", "retraining models"):
        search(bundled_graph, query)
    assert (time.perf_counter() - start) / 5 < 0.05


def test_benchmark_beats_bm25(root):
    done = subprocess.run([sys.executable, str(root / "bench" / "search_eval.py")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_words_that_only_shape_a_question_do_not_outweigh_what_it_asks(bundled_graph):
    # "need" and "much" are rare in this deck (a high idf) but name none of its concepts: the cards
    # about feature stores and reproducibility come first all the same.
    plain = _questions(search(bundled_graph, "feature store reproducibility"))[:3]
    worded = _questions(search(bundled_graph, "why do we need so much feature store reproducibility"))[:3]
    assert worded == plain
    index = search_index(bundled_graph)
    assert index.topic_stems("make", index.query_stems("make")) == index.query_stems("make"), \
        "a query of filler words alone is kept"


# -- held-out defects, each on a small real deck of its own under tests/data/search -----------

@pytest.fixture(scope="module")
def deck_graph(data_dir, nlp):
    """The graph of a small deck under tests/data/search, built once per deck."""
    from kg.graph import build_graph
    from kg.nlp import extract
    from kg.readers import read_decks

    graphs = {}

    def build(name):
        if name not in graphs:
            read = read_decks([data_dir / "search" / name])
            assert not read.problems, read.problems
            graphs[name] = build_graph(read.cards, list(extract(read.cards, nlp=nlp)))
        return graphs[name]

    return build


def test_spelled_out_name_finds_the_cards_that_only_use_its_acronym(deck_graph):
    # One card defines ATC without "Name (ACR)"; another only says ATC.
    G = deck_graph("aviation")
    spelled = search(G, "air traffic control")
    assert [c["label"] for c in spelled["concepts"][:2]] == ["air traffic control", "ATC"]
    assert _questions(spelled)[:2] == ["What is ATC?", "Why must a pilot read back a clearance?"]
    acronym = search(G, "ATC")
    assert [c["label"] for c in acronym["concepts"][:2]] == ["ATC", "air traffic control"]


def test_a_name_typed_joined_or_apart_finds_the_card_that_writes_it_the_other_way(deck_graph):
    G = deck_graph("aviation")
    joined = search(G, "flightplan")
    assert joined["concepts"][0]["label"] == "flight plan"
    assert _questions(joined)[0] == "What is the purpose of a flight plan?"
    apart = search(G, "trans ponder")
    assert apart["concepts"][0]["label"] == "transponder"
    assert _questions(apart)[0] == "What does a transponder do?"


def test_a_common_english_word_the_deck_never_uses_is_not_corrected_into_another(nlp):
    """"grows" is spelt as meant; the deck's nearest word "gross" is another word. A misspelling of
    a deck word ("respiraton") is still corrected. The deck is made up (ecology)."""
    from kg.cards import Card, card_id
    from kg.graph import build_graph
    from kg.nlp import extract

    rows = [("What is gross primary production?", "The energy plants fix by photosynthesis per unit area."),
            ("What is respiration?", "Cells burn sugar for energy and give off carbon dioxide."),
            ("What is a trophic level?", "A step of the food chain: producers, herbivores, carnivores."),
            ("What is wind shear?", "A sudden change of wind speed or direction over a short distance.")]
    cards = [Card(id=card_id("eco", q), deck="eco", question=q, answer=a) for q, a in rows]
    index = search_index(build_graph(cards, list(extract(cards, nlp=nlp))))
    assert "gross" not in index.query_stems("what grows back")
    assert index.query_stems("respiraton") == [stem("respiration")]
    # A common word is a typo where its fix and the word beside it name a concept together.
    assert index.query_stems("wind sheer") == [stem("wind"), stem("shear")]
    assert index.query_stems("sheer") == [stem("sheer")]


def test_a_one_word_query_finds_the_concepts_named_by_its_derived_forms(nlp, tmp_path):
    """"instrument" finds the "instrumental variable" card after the "weak instrument" one, and
    "volcanoes" the "volcanic arc" card, in memory and from a store file alike; "general" is no
    form of "generation". The deck is made up (econometrics and geology)."""
    rows = [("What is an instrumental variable?", "A variable that moves the regressor but not the error."),
            ("How do you detect a weak instrument?", "A first-stage F statistic below 10."),
            ("What builds a volcanic arc?", "Magma rising above a subduction zone."),
            ("How do shield volcanoes erupt?", "Gently, with runny basaltic lava."),
            ("What is a generation of stars?", "Stars formed from the same gas cloud."),
            ("What is general equilibrium?", "All markets clearing at once.")]
    memory, disk = _memory_and_store_file(tmp_path, nlp, rows)
    for store in (memory, disk):
        questions = [c["question"] for c in store.search("instrument")["cards"]]
        assert questions[:2] == [rows[1][0], rows[0][0]], questions
        assert rows[2][0] in [c["question"] for c in store.search("volcanoes")["cards"]]
        assert rows[4][0] not in [c["question"] for c in store.search("general")["cards"]]
    assert disk.search("instrument") == memory.search("instrument")


def test_a_word_of_the_deck_path_or_a_tag_finds_the_cards_filed_under_it(nlp):
    """The author filed these cards under "Hematology" and tagged them "anticoagulants": a search
    for either finds them though no card says the word. The deck is made up (pharmacology)."""
    from kg.cards import Card, card_id
    from kg.graph import build_graph
    from kg.nlp import extract

    rows = [("Pharmacology::Hematology", ("anticoagulants",), "How does warfarin work?", "It blocks vitamin K recycling."),
            ("Pharmacology::Hematology", ("anticoagulants",), "How is heparin reversed?", "With protamine sulfate."),
            ("Pharmacology::Renal", ("diuretics",), "Where does furosemide act?", "The thick ascending limb."),
            ("Pharmacology::Renal", (), "What does spironolactone block?", "Aldosterone receptors.")]
    cards = [Card(id=card_id(d, q), deck=d, question=q, answer=a, tags=t) for d, t, q, a in rows]
    G = build_graph(cards, list(extract(cards, nlp=nlp)))
    for query in ("anticoagulants", "hematology"):
        found = _questions(search(G, query))
        assert sorted(found[:2]) == sorted([rows[0][2], rows[1][2]]), (query, found)
    assert sorted(_questions(search(G, "renal"))[:2]) == sorted([rows[2][2], rows[3][2]])


def test_a_question_that_names_no_concept_whole_lists_the_concepts_its_words_name(nlp, tmp_path):
    """"how to detect skew" names no concept whole; its word "skew" names "training-serving skew",
    which the concept list then shows, marked as named by the query's words, in memory and from a
    store file alike. A query that names a concept ("crust") is not marked. The cards' ranking is
    the text's and the concepts' as before: the words' concepts only fill the list. The baking
    deck is made up."""
    rows = [("What does yeast do in bread dough?", "Yeast ferments sugars and gives off carbon dioxide."),
            ("What is training-serving skew?", "A gap between the features seen in training and at serving."),
            ("What does steam do in the oven?", "It keeps the crust soft so the loaf can expand first."),
            ("What is the Maillard reaction?", "A reaction of amino acids and sugars that browns the crust.")]
    memory, disk = _memory_and_store_file(tmp_path, nlp, rows)
    for store in (memory, disk):
        found = store.search("how to detect skew")
        assert found["concepts_by_word"] is True
        assert "training-serving skew" in [c["label"] for c in found["concepts"]]
        assert found["cards"][0]["question"] == rows[1][0]
        assert found["cards"][0]["answer"] == rows[1][1]  # a result list shows why the card is there
        crust = store.search("crust")
        assert crust["concepts_by_word"] is False and crust["concepts"][0]["label"] == "crust"
    assert disk.search("how to detect skew") == memory.search("how to detect skew")


def test_a_follower_finds_the_cards_filed_under_the_doctrine(nlp):
    """"buddhist" finds the cards of the "Buddhism" deck that never say "Buddhist": a doctrine and
    its follower share a stem with two suffixes (kg.derivations), read in the text as in names."""
    from kg.cards import Card, card_id
    from kg.derivations import relatives
    from kg.graph import build_graph
    from kg.nlp import extract

    words = ["buddhism", "buddhist", "buddhists", "marxism", "marxist", "tourist", "special", "specialist"]
    assert relatives("buddhist", lambda p: [w for w in words if w.startswith(p)]) == ["buddhism"]
    assert relatives("marxism", lambda p: [w for w in words if w.startswith(p)]) == ["marxist"]
    rows = [("Religions::Buddhism", "What are the Four Noble Truths?", "Suffering, its cause, its end, the path."),
            ("Religions::Buddhism", "What is nirvana?", "The end of craving and rebirth."),
            ("Religions::Islam", "What are the Five Pillars?", "Shahada, salat, zakat, sawm and hajj."),
            ("Religions::Islam", "What is the hajj?", "The pilgrimage to Mecca.")]
    cards = [Card(id=card_id(d, q), deck=d, question=q, answer=a) for d, q, a in rows]
    found = search_index(build_graph(cards, list(extract(cards, nlp=nlp)))).search("buddhist")
    assert {c["question"] for c in found["cards"][:2]} == {rows[0][1], rows[1][1]}, found["cards"]


def test_a_name_typed_for_an_acronym_the_deck_never_spells_out_finds_its_cards(nlp, tmp_path):
    """The deck writes "BP" and never "blood pressure": a search for "blood pressure" finds the card
    that asks about BP first, and the one that only says BP in its answer, in memory and from a
    store file alike. The deck is made up (cardiology)."""
    rows = [("What does the baroreceptor reflex do when BP drops?", "It raises the heart rate and constricts vessels."),
            ("How is mean arterial pressure estimated?", "Diastolic pressure plus a third of the pulse pressure."),
            ("What does aldosterone do?", "It makes the kidney keep sodium and water, so BP rises."),
            ("What is venous return?", "Blood flowing back to the heart through the veins."),
            ("What is hydrostatic pressure in capillaries?", "The pressure that pushes fluid out of the blood.")]
    memory, disk = _memory_and_store_file(tmp_path, nlp, rows)
    for store in (memory, disk):
        questions = [c["question"] for c in store.search("blood pressure")["cards"]]
        assert questions[0] == rows[0][0] and rows[2][0] in questions, questions
        assert questions.index(rows[2][0]) < questions.index(rows[3][0]), questions
        # A phrase that names a concept of the deck is that concept, not an acronym's letters.
        assert [c["question"] for c in store.search("venous return")["cards"]][0] == rows[3][0]
    assert disk.search("blood pressure") == memory.search("blood pressure")


def test_an_acronym_the_deck_never_writes_finds_the_name_it_stands_for(nlp, tmp_path):
    """The deck writes "central limit theorem" and never "CLT": a search for "CLT" (or "clt", too
    rare to be a word) finds its card, in memory and from a store file alike; "PIE" typed in
    capitals finds "Proto-Indo-European", "pie" in lower case is a pie. The deck is made up
    (statistics and linguistics)."""
    rows = [("What does the central limit theorem say?", "Means of large samples are nearly normal."),
            ("What is a confidence interval?", "A range that covers the true value in 95% of samples."),
            ("What is Proto-Indo-European?", "The reconstructed ancestor of most languages of Europe."),
            ("What is a limit of detection?", "The smallest amount a test can tell from none.")]
    memory, disk = _memory_and_store_file(tmp_path, nlp, rows)
    for store in (memory, disk):
        for query in ("CLT", "clt"):
            assert [c["question"] for c in store.search(query)["cards"]][:1] == [rows[0][0]], query
        assert [c["question"] for c in store.search("PIE")["cards"]][:1] == [rows[2][0]]
        assert store.search("pie")["cards"] == []
    assert disk.search("CLT") == memory.search("CLT")


def test_an_acronym_no_card_defines_finds_the_name_it_stands_for_after_its_own_cards(nlp, tmp_path):
    """"EDV" and "end-diastolic volume" are written on different cards: a search for "EDV" finds
    the card that writes EDV, then the one that writes the name, in memory and from a store file
    alike. The deck is made up (cardiology)."""
    rows = [("How is ejection fraction calculated?", "EF = SV / EDV, normally 55 to 70 percent."),
            ("What is the Frank-Starling law?", "The larger the end-diastolic volume, the stronger the beat."),
            ("What is afterload?", "The pressure the ventricle must overcome to eject blood.")]
    memory, disk = _memory_and_store_file(tmp_path, nlp, rows)
    for store in (memory, disk):
        assert [c["question"] for c in store.search("EDV")["cards"]][:2] == [rows[0][0], rows[1][0]]
    assert disk.search("EDV") == memory.search("EDV")


def test_a_name_the_deck_writes_once_also_finds_the_cards_that_write_its_acronym_after_it(nlp, tmp_path):
    """"stroke volume" is written once and "SV" twice, never on one card: a search for "stroke
    volume" finds the card that names it first, then the two that only write SV, in memory and
    from a store file alike. The deck is made up (cardiology)."""
    rows = [("What is the Frank-Starling law?", "The more the ventricle fills, the larger the stroke volume."),
            ("How is ejection fraction calculated?", "EF = SV / EDV, normally 55 to 70 percent."),
            ("What is cardiac output?", "CO = HR x SV, about 5 litres a minute at rest."),
            ("What is preload?", "The stretch of the ventricular wall before it contracts.")]
    memory, disk = _memory_and_store_file(tmp_path, nlp, rows)
    for store in (memory, disk):
        questions = [c["question"] for c in store.search("stroke volume")["cards"]]
        assert questions[0] == rows[0][0] and set(questions[1:3]) == {rows[1][0], rows[2][0]}, questions
    assert disk.search("stroke volume") == memory.search("stroke volume")


def test_an_adjective_the_deck_never_uses_finds_the_word_it_is_made_from(nlp, tmp_path):
    """The deck says "by post", never "postal": a search for "postal rule" finds that card before
    the other rules, in memory and from a store file alike; "general" is no form of the deck's
    "generation". The deck is made up (contract law)."""
    rows = [("When does acceptance by post take effect?", "When the letter is put in the post."),
            ("What is the mirror image rule?", "Acceptance must match the offer exactly."),
            ("What is the parol evidence rule?", "Earlier oral terms cannot contradict a written contract."),
            ("What is a generation of contracts?", "Contracts drafted from one template.")]
    memory, disk = _memory_and_store_file(tmp_path, nlp, rows)
    for store in (memory, disk):
        assert [c["question"] for c in store.search("postal rule")["cards"]][:1] == [rows[0][0]]
        assert rows[3][0] not in [c["question"] for c in store.search("general")["cards"]]
    assert disk.search("postal rule") == memory.search("postal rule")
