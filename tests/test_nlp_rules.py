"""Extraction rules for the language, each on small made-up sentences, and the judged-set floor.

The sentences imitate how flashcards are written (list items, "Heading: text" lines, questions,
pasted code); none is copied from a deck.
"""

from __future__ import annotations

import importlib.util

import pytest

from kg.cards import Card, card_id
from kg.extraction import Acronym
from kg.nlp import extract, normalize_key

# The judged set's F1 with the rules of this version is 0.853 (`python bench/concept_eval.py`);
# a change that loses more than a little of it should be looked at, not waved through.
GOLD_F1_FLOOR = 0.83


def card(question: str, answer: str = "") -> Card:
    return Card(id=card_id("rules", question), deck="rules", question=question, answer=answer)


def concepts_of(nlp, question: str, answer: str = "") -> set[str]:
    (result,) = extract([card(question, answer)], nlp=nlp)
    return {m.concept for m in result.mentions}


def test_verbs_opening_list_items_are_not_concepts(nlp):
    found = concepts_of(
        nlp,
        "What do artifacts and contexts do?",
        "They:\n1) Track Lineage: Link artifacts to their origins.\n2) Organize Workflows: Group runs by "
        "experiment.\n3) Enable Querying: Facilitate analysis.\n"
        "Model Registry: Tracks multiple versions of each model.\n"
        "Containerization: Facilitates model deployment on many platforms.",
    )
    assert {"lineage", "workflow", "querying", "model deployment", "model registry"} <= found
    assert not {k for k in found if k.split()[0] in {"track", "tracks", "facilitate", "facilitates", "enable", "organize"}}


def test_plural_nouns_opening_a_sentence_stay_nouns(nlp):
    # "Models" twice: a word as common as "model" used once in passing is no concept of the card.
    found = concepts_of(nlp, "Why batch?", "Models predict labels. Load balancers spread traffic. Logs are kept. "
                        "Models are retrained.")
    assert {"model", "label", "load balancer", "traffic", "log"} <= found


def test_light_verb_idioms_name_nothing(nlp):
    found = concepts_of(
        nlp,
        "Why keep track of experiments?",
        "Keeping track of runs lets teams take advantage of the cache; metadata plays a key role in terms of audits.",
    )
    # ("runs", as common a word as "run", is used once in passing: no concept of this card.)
    assert {"experiment", "cache", "metadata", "audit"} <= found
    assert not {"track", "advantage", "role", "term"} & found


@pytest.mark.parametrize(
    "question, concept, verb",
    [
        ("How does Vertex AI Feature Store help teams?", "vertex ai feature store", "help"),
        ("How does Elastic Depth work in once-for-all networks?", "elastic depth", "work"),
        ("Why do variational autoencoders sample from a Gaussian?", "variational autoencoder", "sample"),
        # "help", "let", "make" take a bare infinitive: the verb after them is not the clause's verb.
        ("How does a load balancer help scale a web service?", "load balancer", "help"),
        ("How does Vertex AI Feature Store help alleviate training-serving skew?", "vertex ai feature store", "help"),
        ("How does the kernel let processes share memory?", "kernel", "let"),
    ],
)
def test_a_verb_closing_a_noun_phrase_is_cut_off(nlp, question, concept, verb):
    found = concepts_of(nlp, question)
    assert concept in found
    assert not any(k.endswith(" " + verb) for k in found)


@pytest.mark.parametrize(
    "question, wanted, verb",
    [
        # A do-question needs a verb after its subject: when the tagger found none, the word that
        # can be one is it, at the end of the clause or before its object.
        ("Which shortcomings of RIP does OSPF 2 address?", {"ospf 2", "rip"}, "address"),
        ("How does the liver process alcohol?", {"liver", "alcohol"}, "process"),
        ("How did the printing press change Europe?", {"printing press", "europe"}, "change"),
        ("How does Batch Normalization work?", {"batch normalization"}, "work"),
        # ... but a noun followed by its "of" is no verb, and "consist of" is one.
        ("How does the transfer function of a filter work?", {"transfer function", "filter"}, "work"),
        ("What does the TCP three-way handshake consist of?", {"tcp three way handshake"}, "consist"),
    ],
)
def test_the_verb_of_a_do_question_is_no_part_of_its_subject(nlp, question, wanted, verb):
    found = concepts_of(nlp, question)
    assert wanted <= found
    assert not any(verb in k.split() for k in found)


@pytest.mark.parametrize("sentence, wanted, verb", [
    # A word only ever a verb after a plural is its verb ...
    ("Enzymes catalyse reactions in cells.", "enzyme", "catalyse"),
    ("Macrophages engulf bacteria.", "macrophage", "engulf"),
    ("Decomposers recycle nutrients into the soil.", "decomposer", "recycle"),
    # ... also when the tagger reads it as an adjective; and so is a verb after "help".
    ("These challenges necessitate robust monitoring pipelines.", "monitoring pipeline", "necessitate"),
    ("Tracing records spans, helping debug latency spikes.", "latency spike", "debug"),
])
def test_a_verb_read_as_a_noun_or_modifier_is_no_part_of_a_term(nlp, sentence, wanted, verb):
    found = concepts_of(nlp, "Q?", sentence)
    assert wanted in found
    assert not any(verb in k.split() for k in found)


def test_list_name_and_state_lead_names_but_open_instructions(nlp):
    assert "list comprehension" in concepts_of(nlp, "Why use a list comprehension?")
    assert "list comprehension" in concepts_of(nlp, "Q?", "List comprehensions are faster than loops.")
    assert "state machine" in concepts_of(nlp, "How does a state machine change state?")
    found = concepts_of(nlp, "List the stages of mitosis.", "Prophase, metaphase, anaphase, telophase.")
    assert "mitosis" in found and not any(k.startswith("list") for k in found)
    assert not any(k.startswith("outline") for k in concepts_of(nlp, "Outline use cases and constraints."))


def test_a_title_case_word_read_as_a_verb_stays_in_its_name(nlp):
    assert "token merging" in concepts_of(nlp, "What schedule does Token Merging use to merge tokens?")
    assert "gradient boosting" in concepts_of(nlp, "The team uses Gradient Boosting for ranking.")


def test_a_noun_before_the_real_verb_is_kept(nlp):
    assert "data drift" in concepts_of(nlp, "Does data drift affect accuracy?")


def test_a_lone_adjective_is_never_a_concept(nlp):
    found = concepts_of(
        nlp, "What is Continuous Training?", "Continuous training is automated. Relational data is sampled from a Gaussian."
    )
    assert {"continuous training", "relational data", "gaussian"} <= found
    assert not {"continuous", "relational"} & found


def test_long_form_spelled_by_word_initials_is_preferred(nlp):
    (result,) = extract([card("What is Proximal Policy Optimization (PPO)?", "PPO clips the policy update.")], nlp=nlp)
    assert Acronym("ppo", "proximal policy optimization") in result.acronyms
    assert "policy optimization" not in {m.concept for m in result.mentions if m.surface == "PPO"}


def test_acronym_with_a_trailing_period_is_not_a_short_form(nlp):
    (result,) = extract([card("What is a Mixture of Experts (MoE.)?")], nlp=nlp)
    assert all(a.short == "moe" or "." not in a.short for a in result.acronyms)


@pytest.mark.parametrize(
    "written, key",
    [("GPUs", "gpu"), ("APIs", "api"), ("CNNs", "cnn"), ("HTTP APIs", "http api"), ("ML lifecycles", "ml lifecycle"),
     ("MLOps", "mlops"), ("AWS", "aws"), ("DevOps", "devops")],
)
def test_plural_acronyms_and_regular_plurals_fold_to_the_singular(written, key):
    assert normalize_key(written) == key


def test_an_acronym_and_its_plural_long_form_meet_at_one_key(nlp):
    """Keys are singular everywhere: the long form "Machine Learning Operations" of "MLOps" has the
    key normalize_key gives the same words written anywhere else, so both spellings meet."""
    (result,) = extract([card("What is Machine Learning Operations (MLOps)?", "MLOps extends DevOps.")], nlp=nlp)
    (acronym,) = [a for a in result.acronyms if a.short == "mlops"]
    assert acronym.long == normalize_key("machine learning operations")
    assert {m.concept for m in result.mentions if m.surface in ("MLOps", "Machine Learning Operations")} == {acronym.long}


def test_source_code_in_a_card_gives_no_concepts(nlp):
    found = concepts_of(
        nlp,
        "Design a parking lot",
        "Vehicles park in parking spots.\n"
        "class ParkingSpot(object):\n"
        "    def __init__(self, level, spot_size):\n"
        "        self.spot_size = spot_size\n"
        "    def park_vehicle(self, vehicle):\n"
        "        return True if self.vehicle is None else False\n"
        "    LARGE = 2\n",
    )
    assert found == {"parking lot", "vehicle", "parking spot"}


@pytest.mark.parametrize(
    "answer, wanted",
    [
        # A formula named with capitals, or a line holding a sentence, is written for people.
        ("CO = HR \u00d7 SV, so a faster heart pumps more blood.", {"co", "hr", "sv"}),
        ("ROE = net income / shareholders' equity", {"roe", "net income", "equity"}),
        ("BMI = weight (kg) / height (m)\u00b2. It cannot tell muscle from fat.", {"bmi", "muscle", "fat"}),
        ("`is` compares identity, while `==` compares the values of two objects.", {"identity"}),
    ],
)
def test_a_formula_or_a_sentence_shaped_like_code_keeps_its_concepts(nlp, answer, wanted):
    assert wanted <= concepts_of(nlp, "Q?", answer)


def test_markup_units_and_footnote_marks_are_not_concepts(nlp):
    found = concepts_of(
        nlp,
        "Sharding",
        "Source(s) and further reading: sharding\nDisadvantage(s): more hardware.\n"
        "Read 4 KB randomly from SSD: 80x longer. A 10 MB cache holds 33G FLOPS of D layers.",
    )
    assert {"sharding", "hardware", "ssd", "cache", "flops", "layer"} <= found
    assert not {k for k in found if "(" in k or k in {"source", "disadvantage", "reading", "kb", "mb", "80x", "d layer"}}


def test_a_capitalized_noun_with_a_number_names_a_thing(nlp):
    found = concepts_of(nlp, "What changes at Level 2?", "Level 2 adds CI/CD automation, as Figure 3 shows. See Step 4.")
    assert "level 2" in found
    assert not {"figure 3", "step 4", "figure", "level"} & found


def test_capitalized_stop_words_inside_a_name_stay_in_it(nlp):
    assert "segment anything model" in concepts_of(nlp, "How is the Segment Anything model prompted?")


def test_relations_need_a_real_verb(nlp):
    (result,) = extract(
        [card("Q?", "class Car(Vehicle):\n    def park(self, spot):\n        return spot\nLoad balancers reduce latency.")],
        nlp=nlp,
    )
    assert {r.verb for r in result.relations} <= {"reduce"}


@pytest.fixture(scope="module")
def concept_eval(root):
    spec = importlib.util.spec_from_file_location("concept_eval", root / "bench" / "concept_eval.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_judged_cards_are_all_found_in_their_decks(concept_eval, shared_dir, data_dir):
    import json

    from kg.readers import read_decks

    gold = json.loads((data_dir / "nlp" / "gold_concepts.json").read_text(encoding="utf-8"))["cards"]
    drawn = {
        concept_eval.card_key(folder, c)
        for folder, path in concept_eval.DECKS.items()
        for c in concept_eval.draw(read_decks([path]).cards, folder)
    }
    assert set(gold) == drawn


def test_every_small_judged_deck_has_each_card_judged_and_its_general_words_listed(concept_eval):
    import json

    from kg.readers import read_decks

    judged = json.loads((concept_eval.JUDGED / "gold_concepts.json").read_text(encoding="utf-8"))
    read = {
        concept_eval.card_key(folder, c)
        for folder, path in concept_eval.UNSEEN.items()
        for c in read_decks([path]).cards
    }
    # A reader change that moved a card's id would drop the card from the scores in silence.
    assert set(judged["cards"]) == read
    assert set(judged["generic"]) == set(concept_eval.UNSEEN) >= set(concept_eval.HELDOUT)
    assert set(concept_eval.UNSEEN) >= set(concept_eval.LANGUAGE_HELDOUT) | set(concept_eval.HELDOUT_SECOND)


def test_extraction_on_the_judged_cards_stays_above_its_floor(concept_eval, nlp, shared_dir):
    result = concept_eval.evaluate(nlp=nlp)
    overall = result["decks"]["all"]
    assert overall["required"] > 300
    assert overall["f1"] >= GOLD_F1_FLOOR, result["decks"]


@pytest.mark.parametrize("question, whole", [
    ("How do caches spread keys over nodes?", "consistent hashing"),
    ("Which field trains networks of many layers?", "deep learning"),
])
def test_an_adjective_naming_a_kind_of_process_stays_with_it(nlp, question, whole):
    # A grading adjective is cut from a thing ("consistent results" is no concept), but before a
    # process noun said without an article it names the kind: "consistent hashing".
    answer = f"They use {whole} for it." if whole != "deep learning" else "Deep learning does."
    assert whole in concepts_of(nlp, question, answer)


def test_an_adjective_grading_one_instance_of_a_process_is_cut(nlp):
    found = concepts_of(nlp, "Which encodings are used for short URLs?",
                        "Base 62 is used; base 64 is another popular encoding.")
    assert "popular encoding" not in found
    assert "consistent result" not in concepts_of(nlp, "Why replicate?", "Replicas give consistent results.")


def test_a_gerund_the_parser_compounds_with_the_next_noun_names_the_term(nlp):
    # The tagger reads "gating" and "sliding" as verbs but hangs them on the noun as the first
    # part of a compound: a kind of network, a kind of window.
    assert "gating network" in concepts_of(nlp, "Why does the model avoid the gating network $G$ to favor few experts?")
    assert "sliding window" in concepts_of(nlp, "How does the encoder use the sliding window attention?",
                                           "Each token attends to a sliding window of neighbours.")
    # A gerund opening a clause stays out: "Addressing model drift requires retraining."
    assert not any(k.startswith("addressing") for k in concepts_of(nlp, "Addressing model drift requires retraining."))


def test_a_participle_before_a_process_noun_names_its_kind(nlp):
    assert "distributed computing" in concepts_of(nlp, "What is distributed computing?")
    assert "federated learning" in concepts_of(nlp, "Why does federated learning keep data on the device?")
    # Before a thing, the participle describes one instance: "predicted bounding boxes".
    found = concepts_of(nlp, "How are the predicted bounding boxes matched to the objects?")
    assert not any(k.startswith("predicted") for k in found)


def test_a_name_glued_to_a_participle_is_a_concept_of_its_own(nlp):
    found = concepts_of(nlp, "What does the workbench offer?", "A Jupyter-based development environment for analysts.")
    assert "jupyter" in found
    assert "kafka" in concepts_of(nlp, "What does the broker expose?", "It exposes a Kafka-compatible API.")


def test_an_answers_quotation_of_another_language_gives_no_concepts(nlp):
    found = concepts_of(
        nlp,
        "When is the French subjunctive used?",
        "After expressions of wish or doubt: Je veux que tu viennes demain. "
        "Il faut que nous partions avant la nuit.",
    )
    english = "When is the French subjunctive used? After expressions of wish or doubt".lower()
    assert "french subjunctive" in found
    assert all(concept in english for concept in found), found
    german = concepts_of(nlp, "der Bahnhof", "train station. Ich fahre morgen mit dem Zug zum Bahnhof.")
    assert "train station" in german and "bahnhof" in german  # the article is no part of the key
    assert not german & {"zug", "dem zug", "zum bahnhof"}


def test_a_foreign_term_inside_english_prose_stays_a_concept(nlp):
    found = concepts_of(
        nlp,
        "Which dynamics sit between piano and forte?",
        "mp (mezzo piano) is moderately soft and mf (mezzo forte) is moderately loud; "
        "a crescendo moves from one to the other.",
    )
    assert {"mezzo piano", "mezzo forte", "crescendo"} <= found
    answer = "In prison he wrote Mein Kampf."
    titled = Card(id=card_id("rules", "Kampf"), deck="rules", question="What did Hitler write in prison?",
                  answer=answer, answer_html=answer.replace("Mein Kampf", "<i>Mein Kampf</i>"))
    (result,) = extract([titled], nlp=nlp)
    assert "mein kampf" in {m.concept for m in result.mentions}


@pytest.mark.parametrize("text, quoted", [
    ("Quiero que vengas (I want you to come).", ["Quiero que vengas "]),
    ("Ich habe keine Zeit", ["Ich habe keine Zeit"]),
    ("the Treaty of Versailles ended the war", []),
    ("mf (mezzo forte) is moderately loud", ["mezzo forte"]),
])
def test_foreign_stretches_are_the_stretches_most_of_whose_words_are_foreign(text, quoted):
    from kg.nlp.languages import foreign_stretches

    assert [text[s:e] for s, e, _ in foreign_stretches(text)] == quoted


def test_a_short_foreign_sentence_of_its_own_is_a_quotation_a_title_in_a_sentence_is_not():
    from kg.nlp.languages import foreign_stretches, quotes_another_language

    assert quotes_another_language(foreign_stretches("Used with estar: Estoy hablando."))
    text = "In prison he wrote Mein Kampf."
    start = text.index("Mein")
    assert not quotes_another_language(foreign_stretches(text, (start, start + len("Mein Kampf"))))


def test_a_quotation_in_cyrillic_gives_no_concepts_the_word_taught_stays(nlp):
    found = concepts_of(nlp, "What is the genitive case used for?",
                        "Possession and absence: У меня нет времени. Я прочитал книгу вчера.")
    assert found == {"genitive case"} | (found & {"possession", "absence"})


@pytest.mark.parametrize("question, answer, meant", [
    ("ciao", "hi / bye (informal)", ["hi", "bye"]),
    ("il biglietto", "ticket – Un biglietto di andata e ritorno", ["ticket"]),
    ("avere fame", "to be hungry (lit. to have hunger)", ["hungry"]),
    ("la stazione", "the (train) station", ["the (train) station"]),
    ("allora", "so, well, then (filler word)", []),
    ("Latency", "Time to the first byte", None),  # an English term: no vocabulary card
])
def test_a_vocabulary_cards_english_meaning_is_read_from_the_start_of_its_answer(question, answer, meant):
    from kg.nlp.languages import is_foreign_front, meanings

    assert is_foreign_front(question) == (meant is not None)
    if meant is not None:
        assert [answer[s:e] for s, e in meanings(answer)] == meant


def test_a_vocabulary_card_links_the_word_and_its_meaning(nlp):
    assert {"biglietto", "ticket"} <= concepts_of(nlp, "il biglietto", "ticket – Un biglietto per Firenze, per favore.")
    assert {"essen", "eat"} <= concepts_of(nlp, "essen", "to eat – Wir essen um sieben Uhr zu Abend.")
    # An English term card's definition stays a definition, not one concept.
    assert "time to the first byte" not in concepts_of(nlp, "Latency", "Time to the first byte")


def test_a_korean_example_sentence_gives_no_concepts_its_word_stays(nlp):
    # wordfreq reads Korean only with MeCab: a word in another script than Latin is foreign by its script.
    assert concepts_of(nlp, "학생", "student\n저는 학생입니다.") == {"학생", "student"}
    assert concepts_of(nlp, "사과", "apple - 저는 사과를 매일 먹어요.") == {"사과", "apple"}


def test_an_adjective_before_a_compound_leaves_no_term_of_the_words_before_the_head(nlp):
    # "warm" grades the box: "warm proofing" names nothing. A noun compound before a head is a term
    # of its own ("blood pressure" of "blood pressure monitoring").
    found = concepts_of(nlp, "How do you proof sourdough?", "Leave the dough in a warm proofing box overnight.")
    assert "warm proofing box" in found and "warm proofing" not in found
    found = concepts_of(nlp, "What do ICU nurses watch?", "Blood pressure monitoring after surgery.")
    assert {"blood pressure", "blood pressure monitoring"} <= found


def test_a_modifier_that_classifies_stays_with_a_noun_that_is_not_generic(nlp):
    # "primary", "central", "major" grade in talk ("major challenges") but name the kind in a term.
    found = concepts_of(nlp, "How does a transformer change voltage?",
                        "The primary winding takes the mains voltage and the secondary winding gives the output.")
    assert {"primary winding", "secondary winding"} <= found and "winding" not in found
    assert "central bank" in concepts_of(nlp, "What does a central bank do?", "It sets the policy rate.")
    # "current" points after an article and classifies without one.
    assert "current expenditure" in concepts_of(nlp, "How do budgets split spending?",
                                                "Governments report current expenditure apart from capital spending.")
    assert "current mayor" not in concepts_of(nlp, "Who signed the charter?", "The current mayor signed it.")
    found = concepts_of(nlp, "Why do sprinters stretch?", "There are several major challenges, and a simple way out is rare.")
    assert not {"major challenge", "simple way", "challenge", "way"} & found


def test_a_term_named_with_of_is_what_its_question_asks_for(nlp):
    assert "angle of incidence" in concepts_of(nlp, "Angle of incidence", "The angle between a ray and the normal.")
    assert "conservation of momentum" in concepts_of(nlp, "What is the conservation of momentum?",
                                                     "In a closed system total momentum stays the same.")
    # A generic head or an article after "of" asks about a thing; a name after it asks for a fact.
    assert "purpose of a fuse" not in concepts_of(nlp, "What is the purpose of a fuse?", "It breaks the circuit.")
    assert "capital of peru" not in concepts_of(nlp, "What is the capital of Peru?", "Lima.")


def test_a_verb_read_as_a_plural_is_found_in_its_own_clause_and_in_a_list_of_verbs(nlp):
    # The sentence's verb ("is") comes before "when" / "because": the clause after has its own.
    found = concepts_of(nlp, "When does a ship list?", "A ship is unstable when the cargo shifts weight to one side.")
    assert "cargo" in found and not {k for k in found if "shift" in k}
    found = concepts_of(nlp, "What happens in a souffle?", "The batter is folded gently because the foam traps air bubbles.")
    assert {"foam", "air bubble"} <= found and not {k for k in found if "trap" in k}
    found = concepts_of(nlp, "What does the Senate do?", "The Senate confirms judges, ratifies treaties and tries impeachments.")
    assert "treaty" in found and not {k for k in found if "ratif" in k}


def test_a_short_name_before_a_noun_is_the_first_word_of_its_term(nlp):
    # An acronym or one name before a noun makes a fixed term with it; alone it names nothing.
    found = concepts_of(nlp, "What does the SA node do?", "Every IP address is checked; the Kuiper belt lies far out.")
    assert {"sa node", "ip address", "kuiper belt"} <= found
    assert not {"sa", "ip", "kuiper"} & found
    # A name of several words, with a number or with capitals inside a word is a name of its own.
    found = concepts_of(nlp, "Blue/green deployments?", "Shift traffic with weighted Route 53 records. "
                        "ImageNet training images are small; AWS CloudFormation drift detection finds changes.")
    assert {"route 53", "imagenet", "aws cloudformation"} <= found
    # A name at the end of a term still names itself ("a vanilla VLM").
    assert "vlm" in concepts_of(nlp, "What can a vanilla VLM emit?", "Any token.")


def test_roman_numerals_and_units_name_nothing_alone(nlp):
    found = concepts_of(nlp, "What does the RAAS make?", "The kidney releases renin, which leads to "
                        "angiotensin II. Clotting factors VII and IX need vitamin K.")
    assert "angiotensin ii" in found and not {"ii", "vii", "ix"} & found
    found = concepts_of(nlp, "How far is a light-year?", "About 9.46 trillion km; the CMB formed 380,000 yr after.")
    assert not {"km", "yr"} & found
    assert "ml model" in concepts_of(nlp, "Why monitor ML models?", "ML models drift.")


def test_minutes_and_the_words_that_count_like_units_name_nothing(nlp):
    # "20 min", "100-120/min", "thousands of flips" (the thirteenth held-out round's first aid and
    # statistics decks).
    found = concepts_of(nlp, "How do you treat a burn?", "Cool it under running water for 20 min, not ice. "
                        "Compress at 100–120/min. A fair coin gets close to 50% heads over thousands of flips.")
    assert {"running water", "fair coin"} <= found
    assert not {"min", "thousand"} & found
    assert "million" not in concepts_of(nlp, "How many users?", "About 5 million users a day.")


def test_a_question_closes_with_its_verb_after_a_dashed_name_or_a_parenthesis(nlp):
    found = concepts_of(nlp, "What does the Hertzsprung–Russell diagram plot?", "Luminosity against temperature.")
    assert "hertzsprung russell diagram" in found and not any("plot" in k for k in found)
    found = concepts_of(nlp, "What did the Treaty of Rome (1957) create?", "The European Economic Community.")
    assert "create" not in found


def test_clipped_general_nouns_are_general_too(nlp):
    # "info" is rarer in English than "information", so frequency alone cannot call it general.
    found = concepts_of(nlp, "How does the timeline service work?",
                        "It queries the User Info Service with a multiget to obtain additional info about the "
                        "users, then more info about the tweets from the Tweet Info Service.")
    assert {"user info service", "tweet info service"} <= found
    assert "info" not in found


@pytest.mark.parametrize("question, answer, wanted, junk", [
    # Names written in code are studied as written: special methods, argument packs, a module's
    # function called, a command's program and subcommand, the class a line of code raises.
    ("What does `__repr__` return?", "A string for developers; `__str__` is for users.", {"__repr__", "__str__"}, set()),
    ("What do `*args` and `**kwargs` collect?", "Extra positional and keyword arguments.", {"*args", "**kwargs"}, {"kwarg"}),
    ("How do you copy a nested list?", "Use `copy.deepcopy(x)`; `copy.copy` copies the outer list only.",
     {"copy.deepcopy", "copy.copy"}, set()),
    ("How do you undo the last commit?", "`git reset --soft HEAD~1` keeps the changes staged.", {"git reset"}, set()),
    ("How do you make a script executable?", "Run `chmod 755 deploy.sh`; `kill PID` stops it.", {"chmod", "kill"},
     {"chmod 755 deploy.sh", "kill pid"}),
    ("When do you merge with a merge commit?", "`git merge --no-ff` always writes one.", {"git merge no ff"}, set()),
    ("How do you make a virtual environment?", "Run `python -m venv .venv`.", {"virtual environment"}, {"venv .venv"}),
    ("What is EAFP?", "Catch the exception (`try: value = d[key] except KeyError: ...`).", {"keyerror"}, set()),
    # An expression names nothing.
    ("What does `a + b` do for two lists?", "It concatenates them into a new list.", set(), {"+ b"}),
])
def test_code_names_what_it_names_and_nothing_else(nlp, question, answer, wanted, junk):
    found = concepts_of(nlp, question, answer)
    assert wanted <= found
    assert not junk & found


def test_a_function_called_in_code_is_named_without_its_call(nlp):
    (result,) = extract([card("How do you copy a nested list?", "Use `copy.deepcopy(x)` for that.")], nlp=nlp)
    (mention,) = [m for m in result.mentions if m.concept == "copy.deepcopy"]
    assert mention.surface == "copy.deepcopy"
    assert "Use `copy.deepcopy(x)` for that."[mention.start:mention.end] == "copy.deepcopy"


@pytest.mark.parametrize("sentence, wanted", [
    ("Pure functions have no side effects.", "side effect"),
    ("The call stack grows with each recursive call.", "call stack"),
    ("A call center handles customer calls.", "call center"),
])
def test_a_stop_list_noun_leading_a_compound_names_a_kind(nlp, sentence, wanted):
    assert wanted in concepts_of(nlp, "Q?", sentence)


def test_a_stop_list_noun_alone_names_nothing(nlp):
    found = concepts_of(nlp, "Q?", "It sits on top of the stack; take the other side.")
    assert not {"top", "side"} & found


def test_a_verb_used_as_a_modifier_stays_in_the_term(nlp):
    assert "write performance" in concepts_of(nlp, "Q?", "Sharding improves write performance.")


def test_an_s_word_no_noun_has_after_a_name_is_its_verb(nlp):
    found = concepts_of(nlp, "Q?", "Cloud Armor Threat Intelligence detects:\n- bots\n- known attackers")
    assert "cloud armor threat intelligence" in found and not any("detect" in k for k in found)
    assert "google cloud service" in concepts_of(nlp, "Q?", "Google Cloud services are billed per second.")


@pytest.mark.parametrize("answer, wanted, junk", [
    # after a plural, a gerund or a noun, whatever follows (an object, a comma); domains made up
    ("Monitoring performance metrics detects concept drift early.", {"concept drift", "performance metric"},
     "detect"),
    ("Kneading aligns gluten proteins into an elastic network.", {"elastic network"}, "align"),
    ("A strong base removes a proton as the leaving group departs, in one step.", {"leaving group"}, "depart"),
    # joined to another "-s" word with no verb before them in the clause: both verbs
    ("Cloud lowers and thickens ahead of the front.", {"cloud"}, "lower"),
])
def test_an_s_word_no_noun_has_is_the_verb_after_any_noun(nlp, answer, wanted, junk):
    found = concepts_of(nlp, "Q?", answer)
    assert wanted <= found and not any(junk in k for k in found), found


def test_an_ambiguous_s_word_after_a_singular_subject_and_before_an_adverb_is_its_verb(nlp):
    # "commands" is a plural too; after "the categorical imperative" and before "unconditionally" it
    # is the verb, and the subject the tagger read as adjectives is the concept. "forwards" read
    # as an adjective before its object is a verb as well.
    found = concepts_of(nlp, "Q?", "Kant: the categorical imperative commands unconditionally, while a "
                        "hypothetical imperative commands only if you want some end.")
    assert {"categorical imperative", "hypothetical imperative"} <= found, found
    assert not any("command" in k for k in found)
    found = concepts_of(nlp, "Q?", "A switch forwards frames by MAC address. A router forwards packets by IP address.")
    assert {"router", "packet"} <= found and not any("forward" in k for k in found), found
    assert "training set" in concepts_of(nlp, "Q?", "The training sets often contain duplicates.")


def test_a_name_set_beside_a_common_noun_is_a_concept_of_its_own(nlp):
    # Apposition: the noun and the name, not both glued; names, adjectives of names and
    # substances written after a noun stay whole.
    found = concepts_of(nlp, "Who led after Muhammad?", "The first caliph Abu Bakr, then the painter Claude Monet.")
    assert {"abu bakr", "caliph", "claude monet", "painter"} <= found and not any(" " in k and "caliph" in k for k in found)
    assert {"enzyme", "rubisco"} <= concepts_of(nlp, "What is the enzyme Rubisco?", "It fixes carbon dioxide.")
    kept = concepts_of(nlp, "What is a multivariate Gaussian?", "Pollock and de Kooning. Factor Xa binds heparin.")
    assert {"multivariate gaussian", "de kooning", "factor xa"} <= kept, kept


def test_a_capital_letter_before_a_noun_names_a_kind_a_count_does_not(nlp):
    found = concepts_of(nlp, "What do B cells make?", "Antibodies. Helper T cells activate B cells; the P wave.")
    assert {"b cell", "helper t cell", "p wave"} <= found and "helper t" not in found, found
    assert "n prediction" not in concepts_of(nlp, "How does DETR produce N predictions?", "From the decoder.")


def test_level_factor_type_and_area_make_terms_practices_and_tools_only_classify(nlp):
    found = concepts_of(nlp, "How do you get the equivalent focal length?",
                        "Multiply by the crop factor. QNH is pressure at mean sea level; blood types and surface area.")
    assert {"crop factor", "mean sea level", "blood type", "surface area"} <= found, found
    assert "mlops" in concepts_of(nlp, "Why do MLOps practices matter?", "They ship models.")


def test_a_media_file_s_name_standing_for_a_field_is_no_concept(nlp):
    # A field holding only a sound or an image reads "[sound: gato.mp3]" (kg.readers.html).
    assert concepts_of(nlp, "[sound: gato.mp3]", "cat") == {"cat"}
    assert "screen" not in concepts_of(nlp, "[image: screen shot 2024.png]", "A cat.")
    assert "gato.mp3" not in concepts_of(nlp, "What does this sound like? [sound: gato.mp3]", "A cat purring.")


def test_an_adjective_graded_by_most_or_very_is_no_part_of_the_term(nlp):
    found = concepts_of(nlp, "Neutrophil", "Most abundant white blood cell. Most Protestant churches have two "
                        "sacraments, against a very dark background.")
    assert {"white blood cell", "protestant church", "background"} <= found, found
    assert not {"abundant white blood cell", "dark background"} & found


def test_a_word_only_ever_a_verb_before_its_object_is_the_verb(nlp):
    found = concepts_of(nlp, "Q?", "On a crop sensor multiply by the crop factor to get the equivalent.")
    assert {"crop sensor", "crop factor"} <= found and not any("multiply" in k for k in found), found


def test_a_line_opening_with_tex_math_is_read_after_the_formula(nlp):
    # "$W = ...$" is TeX, not a shell variable like "$HOME": the sentence after it names concepts.
    found = concepts_of(nlp, "What is work?", "$W = Fd\\cos\\theta$ - only the component of force along the "
                        "displacement does work; unit: joule.")
    assert {"displacement", "joule"} <= found, found
    found = concepts_of(nlp, "Angular momentum?", "$$L = I\\omega$$ With no external torque it stays constant.")
    assert "external torque" in found, found


def test_a_name_glued_from_capitalized_words_is_a_concept_and_a_lower_letter_no_initial(nlp):
    assert "proto indo european" in concepts_of(nlp, "What is Proto-Indo-European?", "The ancestor of many languages.")
    found = concepts_of(nlp, "Grimm's law?", "Sound changes: p → f, t → θ, k → h. Latin pater vs English father.")
    assert "h. latin" not in found and "latin" in found, found
    assert "iv i" not in concepts_of(nlp, "Plagal cadence?", "The progression IV–I, the Amen cadence.")


def test_the_s_word_of_a_clause_opened_by_while_or_when_is_its_verb(nlp):
    found = concepts_of(nlp, "Projectile motion?", "The horizontal velocity stays constant while the vertical "
                        "velocity changes at g.")
    assert "vertical velocity" in found and not any("change" in k for k in found), found
    assert "operationalizing model" in concepts_of(nlp, "Q?", "Teams face challenges when operationalizing models, "
                                                   "including drift.")


def test_an_instruction_opening_a_front_is_no_part_of_an_eponym(nlp):
    found = concepts_of(nlp, "State Newton's second law", "The net force equals mass times acceleration.")
    assert "newton second law" in found and "state newton second law" not in found, found


def test_an_eponymous_correction_or_inequality_and_a_common_nouns_fallacy_are_named_whole(nlp):
    # The thirteenth held-out round's statistics deck: "Bessel's correction" named "bessel" and
    # "correction" beside the whole, "the gambler's fallacy" only "gambler" and "fallacy".
    found = concepts_of(nlp, "Why divide by n − 1?", "Bessel's correction: the sample mean sits closer to the data.")
    assert "bessel correction" in found and not {"bessel", "correction"} & found, found
    found = concepts_of(nlp, "LLN?", "It does not make the gambler's fallacy true; see the prisoner's dilemma.")
    assert {"gambler fallacy", "prisoner dilemma"} <= found and not {"gambler", "fallacy"} & found, found
    assert "chebyshev inequality" in concepts_of(nlp, "Tails?", "Chebyshev's inequality bounds them.")
    # A common noun owns anything else: no name of "the gambler's money".
    assert "gambler money" not in concepts_of(nlp, "Q?", "The gambler's money ran out.")


def test_a_letter_hyphened_to_a_general_noun_names_a_kind_of_it(nlp):
    # "What does a p-value tell you?" named nothing ("value" is a general noun; the thirteenth
    # held-out round's statistics deck).
    assert "p value" in concepts_of(nlp, "What does a p-value tell you?", "The probability of data this extreme.")
    found = concepts_of(nlp, "Clustering?", "k-means needs k; a t-test compares two means.")
    assert {"k means", "t test"} <= found, found
    # Notation is no kind: castling, a unit, a bond.
    found = concepts_of(nlp, "Notation?", "O-O castles kingside; torque is in N·m; the C=O group is polar.")
    assert not {"o o", "n m", "o group"} & found, found


def test_a_word_right_before_an_object_pronoun_is_its_verb(nlp):
    # "Lay them down" named "lay" (the thirteenth held-out round's first aid deck).
    found = concepts_of(nlp, "Signs of shock", "Pale, cold, clammy skin; a rapid weak pulse; confusion.\n"
                        "Lay them down, raise their legs, keep them warm.")
    assert "lay" not in found and "clammy skin" in found, found
    found = concepts_of(nlp, "Why a CVAE?", "A regressor trained with MSE on all these takes averages them.")
    assert "average" not in found and "regressor" in found, found
    # "it" may open a clause after its noun: "the time it takes" keeps its noun.
    assert "load time" in concepts_of(nlp, "Q?", "The load time it takes grows with size.")


def test_an_s_verb_after_a_noun_read_as_an_adjective_or_before_how_is_the_verb(nlp):
    # The thirteenth held-out round: "the sample average converges to" named "sample average converge"
    # ("average" tagged an adjective), "Symbolic interactionism studies how" "symbolic interactionism study".
    found = concepts_of(nlp, "LLN?", "As trials grow, the sample average converges to the expected value.")
    assert not any("converge" in k for k in found), found
    found = concepts_of(nlp, "Q?", "Symbolic interactionism studies how people create meaning.")
    assert "symbolic interactionism" in found and not any("study" in k for k in found), found
    assert "secret key" in concepts_of(nlp, "Q?", "One shared secret key encrypts and decrypts (AES).")
    # A plural after an adjective, ending the sentence, ends a phrase: "cold seeps" stay.
    assert "cold seep" in concepts_of(nlp, "Chemosynthesis", "The base of the food web at vents and cold seeps.")


def test_the_symbols_of_a_formula_with_a_lone_letter_name_nothing(nlp):
    # "x̄ ~ N(μ, σ²/n) for large n" named "σ2 n" (the thirteenth held-out round's statistics deck).
    found = concepts_of(nlp, "Central limit theorem", "The sampling distribution nears a normal distribution.\n"
                        "x̄ ~ N(μ, σ²/n) for large n")
    assert "sampling distribution" in found and "σ2 n" not in found, found
    assert "h0 d" not in concepts_of(nlp, "Hubble's law", "v = H0 d: galaxies recede at a speed proportional to distance.")
    # Letters numbered are names: spinal nerve roots.
    assert "c3 c5" in concepts_of(nlp, "Diaphragm", "Innervated by the phrenic nerve (C3-C5).")


def test_an_initial_without_its_full_stop_opens_a_persons_name(nlp):
    # "Term credited to R Adams Cowley" named "adams cowley" (the thirteenth held-out round's first aid deck).
    found = concepts_of(nlp, "What is the golden hour?", "Term credited to R Adams Cowley, a trauma surgeon.")
    assert "r adams cowley" in found and "adams cowley" not in found, found
    # A lower-case letter is a variable, no initial.
    assert "k byte" not in concepts_of(nlp, "Q?", "It stores k bytes.")


def test_core_names_a_kind_of_the_noun_after_it(nlp):
    # "core temp below 35 °C" named "temp" (the thirteenth held-out round's first aid deck).
    found = concepts_of(nlp, "Hypothermia vs heatstroke", "Hypothermia: core temp below 35 °C, shivering.")
    assert "core temp" in found and "temp" not in found, found
    assert "core inflation" in concepts_of(nlp, "CPI?", "Core inflation leaves out food and energy prices.")


def test_two_general_nouns_compounded_make_a_term(nlp):
    found = concepts_of(nlp, "What is the basic word order of English?", "SVO. A control group gets no treatment; "
                        "a time series is indexed by time.")
    assert {"word order", "control group", "time series"} <= found, found
    assert not {"data thing", "design way"} & concepts_of(nlp, "Q?", "Every data thing has a design way about it.")


def test_two_s_words_after_a_verb_are_nouns_of_its_object(nlp):
    # The clause has its verb before ("freezes", "allows"): "weights" and "reads" are nouns.
    assert "pre trained model weight" in concepts_of(
        nlp, "How does LoRA work?", "LoRA freezes the pre-trained model weights and injects trainable matrices.")
    assert "atomic read" in concepts_of(nlp, "Q?", "The store allows atomic reads and writes.")


def test_the_participle_ending_a_passive_question_is_its_verb(nlp):
    found = concepts_of(nlp, "Why is a sourdough starter fed?", "To keep its wild yeast active.")
    assert "sourdough starter" in found and not any("fed" in k.split() for k in found)
    assert "tissue sample" in concepts_of(nlp, "How are the tissue samples stained?", "With eosin.")
    assert "flower bed" in concepts_of(nlp, "What is a flower bed?", "Soil for flowers.")  # a noun, no "be" + "d"


def test_initials_stay_with_their_name_and_pass_is_no_plural(nlp):
    found = concepts_of(nlp, "What is G. E. Moore's open question argument?", "An argument about good.")
    assert "g. e. moore" in found and "e. moore" not in found
    assert "mountain pass" in concepts_of(nlp, "What is a mountain pass?", "Mountain passes connect valleys.")


def test_a_full_name_owning_a_marked_term_is_cut_from_it(nlp):
    # A card front naming "<full name>'s <term>": the term and the person, not both glued.
    found = concepts_of(nlp, "Peter Singer's drowning child argument", "Give money to save lives far away.")
    assert {"drowning child argument", "peter singer"} <= found, found
    assert not any(k.startswith("peter singer ") for k in found)
    # One name, or an eponym, is the term's own first word.
    assert "maslow hierarchy of needs" in concepts_of(nlp, "What is Maslow's hierarchy of needs?", "Needs in order.")
    assert "isaac newton second law" in concepts_of(nlp, "What is Isaac Newton's second law?", "F = ma.")


def test_a_heading_line_does_not_hide_the_verbs_of_the_lines_under_it(nlp):
    """Lines without list marks that open with verbs ("Create", "Implement") make an ambiguous first
    word among them a verb too ("Plan"), though a short heading ending in a colon sits between."""
    found = concepts_of(nlp, "What are the phases?", "Design:\nCreate wireframes and perform user research.\n"
                        "Train, evaluate, and iterate on prototypes.\nDelivery:\nPlan delivery strategies (channels, "
                        "staffing needs, etc.).\nOperationalize and monitor the service.\nImplement health checks, "
                        "alerts, and escalation paths.")
    assert not any(k.startswith("plan") for k in found)
    assert {"wireframe", "health check", "escalation path"} <= found


def test_a_series_holding_a_word_only_ever_a_verb_is_a_series_of_verbs(nlp):
    found = concepts_of(nlp, "What do you do with prototypes?", "Sketch, evaluate, and iterate on prototypes.")
    assert "prototype" in found and not {"sketch", "evaluate", "iterate"} & found
    nouns = concepts_of(nlp, "What is versioned?", "Models, datasets, and pipelines are versioned.")
    assert {"model", "dataset", "pipeline"} <= nouns
    assert "log line" in concepts_of(nlp, "Q?", "Parse each log line, extract and transform the fields.")


def test_a_capital_i_after_the_noun_it_numbers_is_the_roman_numeral(nlp):
    # The tagger reads "I" as the pronoun: "World War I" lost "war" and the numeral ('world').
    found = concepts_of(nlp, "When did World War I end?", "In 1918, with the armistice.")
    assert "world war i" in found and "world" not in found and "world war" not in found, found
    assert "type i error" in concepts_of(nlp, "What is a type I error?", "Rejecting a true null hypothesis.")
    assert {"stage i", "tumour"} <= concepts_of(nlp, "In stage I the tumour is small.", "It has not spread.")
    # The pronoun stays one: no "war i", "paris i".
    found = concepts_of(nlp, "After the war I moved to Paris.", "In Paris I ate croissants.")
    assert not any(k.endswith(" i") for k in found) and {"war", "paris"} <= found, found


def test_a_number_between_a_noun_and_the_kind_it_numbers_keeps_the_term_whole(nlp):
    # "type 2 diabetes" named only 'diabetes'; the words after the number are a term too.
    assert "type 2 diabetes" in concepts_of(nlp, "What is type 2 diabetes?", "Insulin resistance.")
    found = concepts_of(nlp, "What is layer 7 load balancing?", "Routing by the request's content.")
    assert {"layer 7 load balancing", "load balancing"} <= found and "layer 7 load" not in found, found
    # A number that counts, or a step of a text, stays out of the term.
    assert "node" in concepts_of(nlp, "Each node has 2 children.", "A binary tree.")
    assert not any(k.startswith("step") for k in concepts_of(nlp, "What is step 2 of the process?", "Mix the flour."))


def test_the_first_of_two_adjectives_sharing_a_noun_names_a_term_with_it(nlp):
    found = concepts_of(nlp, "What is the difference between innate and adaptive immunity?", "Speed and memory.")
    assert {"innate immunity", "adaptive immunity"} <= found, found
    found = concepts_of(nlp, "Describe qualitative and quantitative research methods.", "Interviews versus surveys.")
    assert {"qualitative research", "quantitative research"} <= found, found
    # Two nouns joined are two things, and a fixed pair is one.
    assert "blood heart rate" not in concepts_of(nlp, "How do blood pressure and heart rate change?", "They rise.")
    assert "black photography" not in concepts_of(nlp, "Why is black and white photography striking?", "Contrast.")


def test_a_learners_shorthand_for_a_function_word_breaks_terms(nlp):
    found = concepts_of(nlp, "AC vs DC", "Mains is AC bc transformers need it; mix flour w/ water, b/c of gluten.")
    assert {"ac", "transformer", "flour"} <= found, found
    assert not any(w in k.split() for k in found for w in ("bc", "w", "b", "c")), found
    assert "bc" in concepts_of(nlp, "When did BC end?", "Year one.")  # upper case is a name


def test_a_modifier_word_heading_a_term_is_a_noun_there(nlp):
    # "key" and "major" grade ("key findings", "major challenges") but head "primary key", "major key".
    assert "primary key" in concepts_of(nlp, "What is a primary key?", "A column that identifies each row.")
    assert {"major key", "relative minor"} <= concepts_of(nlp, "What is the relative minor of a major key?", "Its sixth.")
    # A participle is no head: "time remaining" stays out.
    assert "time remaining" not in concepts_of(nlp, "Q?", "Check the time remaining before the deadline.")


def test_a_gerund_with_its_particle_names_a_technique(nlp):
    assert "hardening off" in concepts_of(nlp, "What is hardening off?", "Getting seedlings used to outdoor conditions.")
    found = concepts_of(nlp, "What is the difference between scaling out and scaling up?", "More machines vs bigger ones.")
    assert {"scaling out", "scaling up"} <= found, found
    assert "rolling back" in concepts_of(nlp, "Rollback?", "Rolling back a deployment restores the previous version.")
    # The progressive, and a verb before its object, name no technique.
    assert not any("hardening" in k for k in concepts_of(nlp, "The plant is hardening off in the cold frame.", "Slowly."))
    assert "applying back" not in " ".join(concepts_of(nlp, "Q?", "Queues cope by applying back pressure to clients."))


def test_the_verb_of_a_learners_question_is_no_part_of_its_object(nlp):
    found = concepts_of(nlp, "How do you temper chocolate?", "Melt it, cool it and warm it again.")
    assert "chocolate" in found and "temper chocolate" not in found, found
    found = concepts_of(nlp, "Why whisk egg whites in a copper bowl?", "Copper ions stabilise the foam.")
    assert "egg white" in found and not any(k.startswith("whisk") for k in found), found
    assert "fruit tree" in concepts_of(nlp, "Why graft fruit trees onto rootstock?", "Seedlings do not come true.")
    # A question with its own verb keeps its nouns.
    assert "water" in concepts_of(nlp, "Why does water boil at 100 C?", "Its vapour pressure reaches 1 atm.")


def test_an_s_verb_opening_a_labels_definition_is_the_verb(nlp):
    found = concepts_of(nlp, "Firewall types", "Stateful: tracks connections. Stateless: checks each packet alone.")
    assert "connection" in found and not any(k.startswith("track") for k in found), found
    # A plural subject with its verb after the colon stays a noun.
    assert "plate" in concepts_of(nlp, "Transform boundary?", "Sideways: plates slide past each other.")


def test_a_cloze_of_a_few_words_keeps_the_preposition_inside_its_name(nlp):
    text = "{{c1::Defence in depth}} layers several independent security controls."
    plain = "Defence in depth layers several independent security controls."
    (result,) = extract([Card(id="c", deck="d", question=plain, answer="", question_html=text)], nlp=nlp)
    assert "defence in depth" in {m.concept for m in result.mentions}
    # A short term front is a topic about two things, not one name.
    assert "subjonctif after conjunction" not in concepts_of(nlp, "Subjonctif after conjunctions", "bien que + subj.")


def test_a_word_only_ever_a_noun_that_the_tagger_calls_an_adjective_is_a_noun(nlp):
    assert "albumin" in concepts_of(nlp, "What does the liver make?", "The liver makes albumin.")
    # Comparatives stay adjectives, though "a warmer" and "paint thinner" are nouns too.
    found = concepts_of(nlp, "Artery vs vein", "Veins have thinner walls than arteries.")
    assert not {"thinner", "warmer", "thinner wall"} & found, found


def test_a_little_before_a_noun_is_a_quantity(nlp):
    found = concepts_of(nlp, "How to make mayonnaise (steps)", "1. Whisk the yolk with a little mustard.\n2. Add oil.")
    assert "mustard" in found and "little mustard" not in found, found
    assert "little finger" in concepts_of(nlp, "Which finger?", "The little finger has three phalanges.")


def test_a_short_front_names_no_term_across_a_spaced_dash(nlp):
    found = concepts_of(nlp, "Liver - main functions", "Makes bile, stores glycogen.")
    assert "liver" in found and not any(k.startswith("liver ") or k == "main function" for k in found), found
    found = concepts_of(nlp, "Photosynthesis – light reactions", "They happen in the thylakoids.")
    assert {"photosynthesis", "light reaction"} <= found and "photosynthesis light reaction" not in found, found


def test_a_noun_repeated_around_by_is_a_manner(nlp):
    found = concepts_of(nlp, "How to make mayonnaise (steps)", "Whisk the yolk, then add the oil drop by drop.")
    assert not any("drop" in k for k in found), found
    assert "bone" in concepts_of(nlp, "Tendon vs ligament", "A ligament joins bone to bone; a tendon joins muscle to bone.")


def test_a_gerund_naming_a_kind_after_a_comma_or_colon_stays_in_its_term(nlp):
    found = concepts_of(nlp, "Scurvy?", "Vitamin C deficiency: bleeding gums, poor wound healing.")
    assert "bleeding gum" in found, found
    assert "flying buttress" in concepts_of(nlp, "Features of a Gothic cathedral",
                                            "pointed arches, ribbed vaults, flying buttresses, large windows")
    # A line's opening verb with its object is no term.
    assert not any(k.startswith("joining") for k in concepts_of(nlp, "Sharding?", "Joining data across shards is slow."))


def test_an_acronym_is_not_spelled_from_words_after_a_conjunction(nlp):
    (result,) = extract([card("Symmetric encryption?", "One secret key encrypts and decrypts (AES).")], nlp=nlp)
    found = {m.concept for m in result.mentions}
    assert "aes" in found and not any(k.startswith("and ") for k in found), found
    assert result.acronyms == []
    assert "continuous integration" in concepts_of(nlp, "What is CI?", "Continuous integration (CI) merges often.")


def test_an_acronym_in_parentheses_after_a_description_spells_its_capitals_from_word_starts(nlp):
    # "(PaLM)" names the model described, it does not spell it: its L and M would come from
    # inside "LLM". A hyphened long form still defines its acronym.
    (result,) = extract([card("What is PaLM-E?", "PaLM-E is a pretrained decoder-only LLM (PaLM) extended with sensors.")],
                        nlp=nlp)
    assert result.acronyms == [], result.acronyms
    (result,) = extract([card("What is GPT?", "A Generative Pre-trained Transformer (GPT) predicts the next token.")],
                        nlp=nlp)
    assert [(a.short, a.long) for a in result.acronyms] == [("gpt", "generative pre trained transformer")]
    # Every word gives a letter, though the X stands inside its word.
    (result,) = extract([card("What is TFX?", "Kubeflow and TensorFlow Extended (TFX) run pipelines.")], nlp=nlp)
    assert [(a.short, a.long) for a in result.acronyms] == [("tfx", "tensorflow extended")]


def test_times_between_two_quantities_is_the_operator(nlp):
    found = concepts_of(nlp, "Equation of exchange", "MV = PY: money times velocity equals prices times output.")
    assert "velocity" in found and not any("time" in k.split() for k in found), found
    assert {"mass", "acceleration"} <= concepts_of(nlp, "State Newton's second law", "Force equals mass times acceleration.")


def test_a_likeness_before_a_noun_is_no_part_of_its_term(nlp):
    found = concepts_of(nlp, "Sharks vs bony fish", "Sharks are covered in tooth-like placoid scales.")
    assert "placoid scale" in found and not any("like" in k.split() for k in found), found
    # A name is no likeness: Toll-like receptors are named after the Toll gene.
    assert "toll like receptor" in concepts_of(nlp, "What are TLRs?", "Toll-like receptors are pattern recognition receptors.")


def test_a_versus_front_of_two_adjectives_names_both_kinds_of_its_noun(nlp):
    found = concepts_of(nlp, "Innate vs adaptive immunity", "Fast vs specific.")
    assert {"innate immunity", "adaptive immunity"} <= found and "innate" not in found, found
    assert "elastic collision" in concepts_of(nlp, "Elastic vs inelastic collisions", "Kinetic energy is kept or not.")
    # Two things on each side stay two things, a gloss in parentheses included.
    assert {"ser", "estar"} <= concepts_of(nlp, "ser vs estar", "Both mean to be.")
    assert "mitosis" in concepts_of(nlp, "Mitosis vs meiosis (cell division)", "Two vs four daughter cells.")


def test_a_versus_front_shares_its_noun_past_a_hyphenated_kind(nlp):
    found = concepts_of(nlp, "Clustered vs non-clustered index", "One sets the physical order of the rows.")
    assert "clustered index" in found and not any(k.startswith("clustered clustered") for k in found), found


def test_words_before_the_pronoun_one_name_nothing(nlp):
    found = concepts_of(nlp, "Aqueducts", "Rome had 11; the Pont du Gard in France is a famous surviving one.")
    assert "pont du gard" in found and not any("surviving" in k for k in found), found
    # "one" counting the noun after it leaves the noun its term.
    assert "surviving aqueduct" in concepts_of(nlp, "Aqueducts", "Only one surviving aqueduct still carries water.")


def test_a_number_glued_to_capitals_is_a_name(nlp):
    assert {"1nf", "2nf", "3nf"} <= concepts_of(nlp, "2NF and 3NF", "2NF: in 1NF and no partial dependency."), \
        concepts_of(nlp, "2NF and 3NF", "2NF: in 1NF and no partial dependency.")
    found = concepts_of(nlp, "Two-phase locking (2PL)", "It needs 16GB of memory by 5PM.")
    assert "2pl" in found and not {"16gb", "5pm"} & found, found


def test_an_acronym_behind_a_lower_case_prefix_is_a_noun(nlp):
    found = concepts_of(nlp, "How does a tRNA read the genetic code?", "Each tRNA carries one amino acid.")
    assert {"trna", "amino acid"} <= found, found


def test_a_capitalized_stop_word_before_its_noun_opens_a_name(nlp):
    found = concepts_of(nlp, "Nondisjunction", "Gametes lack a chromosome, e.g. Down syndrome = trisomy 21; Turner syndrome = XO.")
    assert {"down syndrome", "turner syndrome"} <= found and "syndrome" not in found, found


def test_an_adverb_glued_by_a_hyphen_before_a_noun_is_part_of_its_modifier(nlp):
    found = concepts_of(nlp, "ACID properties", "Durability - once committed, it survives a crash (write-ahead log).")
    assert "write ahead log" in found and "log" not in found, found
    found = concepts_of(nlp, "Circle of fifths", "Each step clockwise adds a sharp; counter-clockwise adds a flat.")
    assert not any("clockwise" in k for k in found), found


def test_an_acronyms_long_form_names_no_term_cut_from_its_grading_first_word(nlp):
    found = concepts_of(nlp, "SNP", "A single nucleotide polymorphism (SNP) is a one-base difference in the DNA sequence.")
    assert "single nucleotide polymorphism" in found and "nucleotide polymorphism" not in found, found
    # A kind opening the long form is no grading word: what it modifies is a name of its own.
    found = concepts_of(nlp, "What is a unit root?", "Test it with the augmented Dickey-Fuller (ADF) test.")
    assert "dickey fuller" in found, found


def test_the_lone_noun_opening_a_marked_of_name_is_its_head_not_a_concept(nlp):
    found = concepts_of(nlp, "Law of independent assortment", "Alleles of different genes go into gametes independently.")
    assert "law of independent assortment" in found and "law" not in found, found
    assert "circle" not in concepts_of(nlp, "Circle of fifths", "Keys a perfect fifth apart.")


def test_an_s_word_after_a_code_span_before_its_object_is_the_spans_verb(nlp):
    found = concepts_of(nlp, "Rebase or merge?", "`git rebase` rewrites history; `git merge --no-ff` forces a merge commit.")
    assert "git rebase" in found and not {"rewrites history", "force"} & found, found
    assert "filter" not in concepts_of(nlp, "WHERE vs HAVING", "`WHERE` filters rows before grouping.")


def test_a_capitalized_number_word_opening_a_title_case_name_is_part_of_it(nlp):
    found = concepts_of(nlp, "Five Good Emperors", "Nerva, Trajan, Hadrian, Antoninus Pius, Marcus Aurelius.")
    assert "five good emperor" in found and "good emperor" not in found, found
    assert "four noble truth" in concepts_of(nlp, "The Four Noble Truths", "Dukkha, samudaya, nirodha, magga.")
    # Not a number inside a longer title, nor one in lower case.
    assert not any(k.startswith("one ") for k in concepts_of(nlp, "Once-for-All", "Train One Network and Specialize it."))


def test_an_adjective_the_tagger_read_as_a_noun_closing_a_question_is_its_predicate(nlp):
    # "redundant", "overconfident", "saturated": only ever adjectives; the small model reads
    # "a language model overconfident" as one compound.
    found = concepts_of(nlp, "When is a language model overconfident?", "When its calibration is poor.")
    assert "language model" in found and not any("overconfident" in k for k in found), found
    found = concepts_of(nlp, "When is a hash table index redundant?", "When another index covers its columns.")
    assert "hash table index" in found and not any("redundant" in k for k in found), found
    assert "process stochastic" not in concepts_of(nlp, "Why add noise?", "To keep the sampling process stochastic.")
    # After a word the lexicon knows as no noun, the tagger's noun is left as read: "gaussian" names a thing.
    assert "anisotropic gaussian" in concepts_of(nlp, "Which parameters are optimized?",
                                                 "The 3D position, the properties of the anisotropic gaussian (through "
                                                 "scale and rotation) and its opacity.")


def test_a_name_with_a_capital_inside_that_the_tagger_reads_as_a_number_is_a_name(nlp):
    # "1. ClusterIP — internal only" named nothing: the tagger read "ClusterIP" as a number (the
    # fourteenth held-out round's Kubernetes deck).
    found = concepts_of(nlp, "Service types", "1. ClusterIP — internal only (the default)\n2. NodePort — opens a port on every node")
    assert {"clusterip", "nodeport"} <= found, found
    # Roman numerals and number words stay numbers.
    assert not {"ii", "one"} & concepts_of(nlp, "Phase II trials", "1. One group gets the drug.")


def test_an_s_verb_closing_its_clause_before_a_comma_and_so_or_in_a_what_clause_is_the_verb(nlp):
    # "the hippocampus shrinks early, so memory goes first" named "hippocampus shrink", and "Requests
    # are what the scheduler reserves on a node" "scheduler reserve" (the fourteenth held-out round's
    # neuroscience and Kubernetes decks): a comma and "so" open the next clause, "what" a clause of its own.
    found = concepts_of(nlp, "Alzheimer's disease", "Plaques and tangles form; the hippocampus shrinks early, so memory goes first.")
    assert "hippocampus" in found and "hippocampus shrink" not in found, found
    found = concepts_of(nlp, "Why set resource requests?", "Requests are what the scheduler reserves on a node; limits are the cap.")
    assert "scheduler" in found and "scheduler reserve" not in found, found


def test_a_camel_cased_word_whose_capitals_spell_an_acronym_defines_it(nlp):
    # "PersistentVolumeClaim (PVC)" named "pvc" apart from the claim, so a search for "PVC" missed
    # the cards that write the long form (the fourteenth held-out round's Kubernetes deck).
    (result,) = extract([card("Storage", "A PersistentVolumeClaim (PVC) asks for storage.")], nlp=nlp)
    assert [(a.short, a.long) for a in result.acronyms] == [("pvc", "persistentvolumeclaim")]
    assert "pvc" not in {m.concept for m in result.mentions}
    from kg.nlp.acronyms import camel_humps_spell
    assert not camel_humps_spell("K8s", "Kubernetes") and not camel_humps_spell("NA", "NASA")
    assert not camel_humps_spell("JS", "JavaScriptEngine")


def test_a_participle_after_a_plural_closing_its_clause_is_no_gerund_compound(nlp):
    # "keeps identical pod replicas running;" named "identical pod replicas running" (the fourteenth
    # held-out round's Kubernetes deck): after a plural the "-ing" word is its participle.
    found = concepts_of(nlp, "ReplicaSet", "Keeps a number of identical pod replicas running; you manage it through a Deployment.")
    assert not any(k.endswith("running") for k in found), found
    # After a singular noun it still closes a compound ("model serving").
    assert "model serving" in concepts_of(nlp, "What is MLOps?", "Practices for datasets, pipelines, and model serving.")


def test_brief_and_lasting_grade_a_thing_and_name_no_kind(nlp):
    # "A brief all-or-none reversal" named "brief all or none reversal" and "A lasting increase in
    # synaptic strength" "lasting increase" (the fourteenth held-out round's neuroscience deck).
    found = concepts_of(nlp, "What is an action potential?", "A brief all-or-none reversal of the membrane potential.")
    assert "membrane potential" in found and not any(k.startswith("brief") for k in found), found
    found = concepts_of(nlp, "What is LTP?", "A lasting increase in synaptic strength after stimulation.")
    assert "synaptic strength" in found and not any(k.startswith("lasting") for k in found), found


def test_the_noun_after_a_modal_opening_a_question_is_its_subject(nlp):
    # "Can intoxication be a defence?" named no "intoxication": a word after a modal was taken for a
    # verb the tagger read as a noun (the fourteenth held-out round's criminal law deck).
    assert "intoxication" in concepts_of(nlp, "Can intoxication be a defence?", "Only involuntary intoxication.")
    assert "antibiotic" in concepts_of(nlp, "Should antibiotics be used for viral infections?", "No.")
    # A modal's verb stays a verb.
    assert "track" not in concepts_of(nlp, "What can it do?", "It can track lineage of models.")


def test_a_year_after_a_name_dates_it_and_is_no_part_of_it(nlp):
    # "Nevado del Ruiz 1985 buried Armero", "e.g. Pinatubo 1991; Tambora 1815" named "nevado del ruiz
    # 1985", "pinatubo 1991" and "tambora 1815" (the fifteenth held-out round's volcanology deck), as
    # "first performed Dublin 1742" named "dublin 1742": the year dates an event at the place.
    found = concepts_of(nlp, "What is a lahar?", "A volcanic mudflow. Nevado del Ruiz 1985 buried Armero.")
    assert "nevado del ruiz" in found and not any("1985" in k for k in found), found
    found = concepts_of(nlp, "How do eruptions cool the climate?", "Sulfate aerosols, e.g. Pinatubo 1991; Tambora 1815.")
    assert {"pinatubo", "tambora"} <= found and not any(k[-1].isdigit() for k in found), found
    # After an acronym the number is part of the name ("SN 1054", "RTX 2080"), and so is a short number.
    assert "sn 1054" in concepts_of(nlp, "Crab Nebula", "The remnant of SN 1054, seen by Chinese astronomers.")
    assert "windows 95" in concepts_of(nlp, "Which OS?", "Windows 95 was released in August.")


def test_a_latin_abbreviation_written_with_its_full_stop_is_no_part_of_a_term(nlp):
    # "- e.g. matching pennies: both play heads" named "e.g. matching penny" (the fifteenth held-out
    # round's game theory deck), and "... vs. Gato" "vs. gato" on a shared mlrf card: the key kept the
    # full stop, and only "e.g", "i.e" and "etc" without it were refused.
    found = concepts_of(nlp, "Mixed strategies", "- e.g. matching pennies: both play heads with p = 1/2")
    assert "matching penny" in found and not any("e.g" in k for k in found), found
    answer = "vs. Gato: Gato tokenises everything into a discrete vocabulary."
    marked = Card(id=card_id("rules", "PaLM-E"), deck="rules", question="How does PaLM-E differ from Gato?",
                  answer=answer, answer_html=answer.replace("vs. Gato", "<b>vs. Gato</b>"))
    (result,) = extract([marked], nlp=nlp)
    found = {m.concept for m in result.mentions}
    assert "gato" in found and not any(k.startswith("vs") for k in found), found


def test_a_greek_letter_after_its_noun_is_the_nouns_symbol_not_part_of_the_term(nlp):
    # "with patient players (a discount factor δ close to 1)" named "discount factor δ" (the fifteenth
    # held-out round's game theory deck), as "a false null (false negative), probability β" named
    # "probability β" on the econometrics deck: the letter is the symbol the card gives the noun.
    found = concepts_of(nlp, "Folk theorem", "In an infinitely repeated game with patient players (a discount factor δ close to 1).")
    assert "discount factor" in found and not any("δ" in k for k in found), found
    # Glued to its name the letter is part of it ("IFN-γ"), and a capital delta is a change ("end-effector Δ").
    assert "ifn γ" in concepts_of(nlp, "Th1 cells", "Th1 cells secrete IFN-γ, which activates macrophages.")


def test_a_name_with_its_epithet_is_one_name(nlp):
    # "Named after Pliny the Younger, who described Vesuvius" named "pliny" and "younger" (the fifteenth
    # held-out round's volcanology deck), as "(Tarquin the Proud)" named "proud" on the ancient Rome deck.
    found = concepts_of(nlp, "Plinian eruption", "Named after Pliny the Younger, who described Vesuvius in AD 79.")
    assert "pliny the younger" in found and "younger" not in found, found
    found = concepts_of(nlp, "How did the Republic begin?", "The Romans expelled their last king, Tarquinius Superbus (Tarquin the Proud).")
    assert "tarquin the proud" in found and "proud" not in found, found
    # A verb or a title's words before "the" are no name ("Distilling the Knowledge in a Neural Network").
    assert "distilling the knowledge" not in concepts_of(nlp, "Which paper?", "Distilling the Knowledge in a Neural Network.")


def test_an_s_word_before_and_and_a_verb_is_a_verb_of_the_pair(nlp):
    # "the highest bidder wins and pays the second-highest bid" named "bidder win" (the fifteenth
    # held-out round's game theory deck): the tagger read "wins" as a plural, "pays" as the verb.
    found = concepts_of(nlp, "Vickrey auction", "A second-price auction: the highest bidder wins and pays the second-highest bid.")
    assert "bidder" in found and not any(k.endswith("win") for k in found), found
    # Plurals joined by "and" before the verb stay nouns.
    assert "apple pie" in concepts_of(nlp, "Baking", "Apple pies and tarts are baked at 200 °C.")
    # After the clause's verb the plural is its object ("freezes the model weights and injects ...").
    found = concepts_of(nlp, "How does LoRA work?", "LoRA freezes the pre-trained model weights and injects trainable matrices.")
    assert "pre trained model weight" in found or "model weight" in found, found
    # A pair closing its clause is a list of plurals ("database queries and objects:").
    found = concepts_of(nlp, "Cache locations", "Two general categories: database queries and objects:\n- Row level")
    assert "database query" in found, found


def test_an_s_word_before_a_relative_pronoun_and_its_verb_is_the_noun_it_describes(nlp):
    # "The parts of lowercase letters that rise above the x-height" named "lowercase", not
    # "lowercase letter" (the fifteenth held-out round's typography deck): "letters" was taken for the
    # verb of a sentence with none, though "that rise" makes it the noun the clause describes.
    found = concepts_of(nlp, "What are ascenders?", "The parts of lowercase letters that rise above the x-height.")
    assert "lowercase letter" in found, found
    # Before "that" and a subject the "-s" word is still a verb ("the pump moves sodium out").
    found = concepts_of(nlp, "Why test?", "A failing test shows that the code has a bug.")
    assert not any(k.endswith("show") for k in found), found
    # After a symbol the "-s" word is its verb, and "which" a determiner ("$z$ picks which mode you're in").
    found = concepts_of(nlp, "What is a CVAE?", "Intuition: $z$ picks which mode you're in and the decoder produces the sequence.")
    assert "pick" not in found, found


def test_a_word_the_tagger_calls_an_interjection_inside_a_list_is_a_noun(nlp):
    # "pyroclastic layers (tephra, ash)" named no "tephra" (the fifteenth held-out round's volcanology
    # deck): the tagger, not knowing the word, called it an interjection, as it did "e.g. sunflower,
    # marigold" on the horticulture deck.
    found = concepts_of(nlp, "Stratovolcano", "Steep cone of alternating lava flows and pyroclastic layers (tephra, ash).")
    assert "tephra" in found, found
    # Interjections stay what they are.
    assert not {"yes", "hello"} & concepts_of(nlp, "Is it idempotent?", "Yes, and the server says hello back.")
    # "like" before an example stays a preposition ("managed Object Store like S3").
    found = concepts_of(nlp, "Scaling", "Store static content in a managed Object Store like S3 to save cost.")
    assert not any("like" in k for k in found), found


def test_an_s_word_joined_to_a_verb_before_it_and_closing_its_clause_is_a_verb(nlp):
    # "the responder accepts or rejects, and if they reject" named "reject" (the fifteenth held-out
    # round's game theory deck): the tagger read "rejects" as a plural, joined to the verb "accepts".
    found = concepts_of(nlp, "Ultimatum game", "A proposer offers a split; the responder accepts or rejects, and both may get nothing.")
    assert "responder" in found and "reject" not in found, found
    found = concepts_of(nlp, "Mitosis", "The cell grows and divides.")
    assert "cell" in found and "divide" not in found, found
    # After a plural the joined "-s" word is another plural ("sells cars and trucks.").
    assert "truck" in concepts_of(nlp, "Dealers", "The dealer sells cars and trucks.")


def test_a_phrase_closing_on_one_or_ones_names_nothing(nlp):
    # "northern breeding populations winter further south than the southern ones" named "southern one"
    # (the sixteenth held-out round's ornithology deck), as "herbaceous ones", "a nonselective one" did on
    # other decks: the tagger read the pronoun as the phrase's noun.
    found = concepts_of(nlp, "Leapfrog migration", "northern breeding populations winter further south than the southern ones")
    assert not any(k.endswith(" one") for k in found), found
    found = concepts_of(nlp, "Annuals", "Annuals die after a season; herbaceous ones die back.")
    assert "herbaceous one" not in found, found


def test_a_capital_and_one_or_two_digits_is_a_name(nlp):
    # "L1 and L2 about 1.5 million km sunward", "Earth's oblateness (J2)" named neither point nor term (the
    # sixteenth held-out round's orbital mechanics deck): a one-word key needed two letters.
    found = concepts_of(nlp, "Lagrange points", "L1 and L2 lie about 1.5 million km from Earth; only L4 and L5 are stable.")
    assert {"l1", "l2", "l4", "l5"} <= found, found
    assert "j2" in concepts_of(nlp, "Sun-synchronous orbit", "The plane precesses because of Earth's oblateness (J2).")
    # A lower-case letter and a number is no name: a chess square, a factor.
    found = concepts_of(nlp, "King's pawn opening", "White plays e4 and Black answers e5.")
    assert not {"e4", "e5"} & found, found
    # Beside a formula's operator it is a symbol squared, its superscript lost ("T² ∝ a³" read as "T2 ∝ a3").
    assert "t2" not in concepts_of(nlp, "Kepler's third law", "T2 ∝ a3 (period squared is proportional to distance cubed)")


def test_a_function_word_in_capitals_tagged_a_name_is_an_acronym(nlp):
    # "In the US registration is needed", "Fair use (US)" named no "US" (the sixteenth held-out round's
    # copyright law deck): "us" is a function word, dropped whatever its case.
    found = concepts_of(nlp, "Does copyright need registration in the UK?", "In the US registration is needed before suing.")
    assert {"us", "registration"} <= found, found
    assert "us" in concepts_of(nlp, "Fair use (US) - the four factors")
    # The pronoun, and a word in capitals for emphasis, stay function words.
    assert "us" not in concepts_of(nlp, "Who reviews the code?", "The tech lead reviews it with us.")
    assert not {"not", "it"} & concepts_of(nlp, "Rebasing", "Do NOT rebase a shared branch; IT says so.")
    # Before a capital it is a word of a name, or of a phrase in capitals ("US GAAP", "MY LEGS mnemonic").
    found = concepts_of(nlp, "FIFO vs LIFO", "LIFO is banned under IFRS but allowed under US GAAP.")
    assert "us" not in found, found


def test_a_reference_label_before_a_number_is_no_word_of_a_term(nlp):
    # "Curtis ch. 2", the source line under three answers of the sixteenth held-out round's orbital
    # mechanics deck, named "curtis ch".
    found = concepts_of(nlp, "Write the vis-viva equation", "v² = μ(2/r − 1/a)\n\nVis-viva\n\nCurtis ch. 2")
    assert not any(k.endswith(" ch") or k == "ch" for k in found), found
    found = concepts_of(nlp, "What does a ROC curve plot?", "See Fig. 3 and Smith vol. 2, pp. 45-50.")
    assert not {"fig", "smith vol", "pp", "vol"} & found, found
    # Without a number after it the word stays ("the ch sound").
    assert "ch sound" in concepts_of(nlp, "Digraphs", "English spells the ch sound with two letters.")


def test_a_base_verb_after_the_is_of_a_question_modifies_the_noun_after_it(nlp):
    # "What is escape velocity from Earth's surface?" named "velocity" (the sixteenth held-out round's
    # orbital mechanics deck): the tagger read "escape" as a verb, though no verb's base form follows "is".
    assert "escape velocity" in concepts_of(nlp, "What is escape velocity from Earth's surface?", "About 11.2 km/s.")
    # Outside a question a learner's "is" and a verb stay as they were.
    assert "reduce cost" not in concepts_of(nlp, "Caching", "The goal is reduce cost and latency.")


def test_a_plural_noun_whose_singular_grades_names_a_thing(nlp):
    # "Primaries vs secondaries", "white patches under the primaries" named no feathers (the sixteenth
    # held-out round's ornithology deck), and "all keys" of an attention card no key: the singular is a
    # grading word ("primary school", "key point"), dropped, though a grader has no plural.
    found = concepts_of(nlp, "Primaries vs secondaries", "Primaries attach to the hand; secondaries attach to the ulna.")
    assert {"primary", "secondary"} <= found, found
    assert "key" in concepts_of(nlp, "Scaled dot-product attention", "Compare the query with all keys, then softmax.")
    # A function word's plural stays one ("others"), and so does a unit's ("seconds").
    found = concepts_of(nlp, "Retries", "Some requests fail more than others; wait a few seconds.")
    assert not {"other", "second"} & found, found


def test_a_double_barrelled_party_is_one_name_in_a_case(nlp):
    # "Campbell v. Acuff-Rose (1994)" named "campbell v. acuff" (the sixteenth held-out round's
    # copyright law deck): a party's name ended at its hyphen.
    found = concepts_of(nlp, "Fair use (US)", "Campbell v. Acuff-Rose (1994): a parody could be fair use.")
    assert "campbell v. acuff rose" in found, found
    found = concepts_of(nlp, "Duty of care", "Smith-Jones v Brown followed Donoghue v Stevenson.")
    assert {"smith jones v brown", "donoghue v stevenson"} <= found, found


def test_a_statute_section_is_a_name_of_its_own(nlp):
    # "The employer owns it (s.11(2))", "Life + 70 years (s.12)" named no section (the sixteenth
    # held-out round's copyright law deck), nor did "s.18 vs s.20 OAPA 1861" on the criminal law deck:
    # one letter before a number made no key.
    found = concepts_of(nlp, "Who owns an employee's work?", "The employer owns it (s.11(2)). Life + 70 years (s.12).")
    assert {"s.11(2", "s.12"} <= found, found
    found = concepts_of(nlp, "GBH", "s.18 vs s.20 OAPA 1861: wounding with intent")
    assert {"s.18", "s.20", "oapa 1861"} <= found, found


def test_two_nouns_glued_by_a_slash_modify_the_noun_after_them_together(nlp):
    # "the idea/expression dichotomy" named "expression dichotomy" (the sixteenth held-out round's
    # copyright law deck), as "the client/server model" named "client" and "server model".
    found = concepts_of(nlp, "What does copyright protect?", "Expression, not ideas (the idea/expression dichotomy).")
    assert "idea expression dichotomy" in found and "expression dichotomy" not in found, found
    assert "client server model" in concepts_of(nlp, "What is the client/server model?")
    # Alternatives with no noun after them stay apart.
    found = concepts_of(nlp, "Pets", "Cats/dogs are the usual pets.")
    assert {"cat", "dog"} <= found, found


def test_adjectives_listed_before_a_pair_share_its_noun(nlp):
    # "original literary, dramatic, musical and artistic works" named only the musical and artistic
    # works (the sixteenth held-out round's copyright law deck): only the adjective before "and" shared
    # the noun.
    found = concepts_of(nlp, "Categories of work", "1. original literary, dramatic, musical and artistic works")
    assert {"literary work", "dramatic work", "musical work", "artistic work"} <= found, found
    assert "sedimentary rock" in concepts_of(nlp, "Rock types", "sedimentary, igneous and metamorphic rocks")
    # Nouns listed before a pair share nothing ("latency, size and cost limits").
    assert "latency limit" not in concepts_of(nlp, "Bus", "latency, size and cost limits")


def test_code_names_a_generic_type_and_a_called_constructor_by_their_names(nlp):
    # "`Box<T>`, `Rc<T>` and `RefCell<T>`", "`Result<T, E>`", "`Arc<Mutex<T>>`" named nothing (the
    # seventeenth held-out round's Rust deck): a type's parameters made the code an expression.
    found = concepts_of(nlp, "What is `Result<T, E>`?", "Use a `Vec<String>` or an `Arc<Mutex<T>>`; `Err(E)` fails.")
    assert {"result", "vec", "arc", "err"} <= found, found
    # An expression stays nothing ("a < b"), a method called keeps its name.
    found = concepts_of(nlp, "Compare", "`a < b > c` is chained; call `copy.deepcopy(x)`.")
    assert "copy.deepcopy" in found and not {"a", "b", "c"} & found, found


def test_a_capitalized_word_of_code_is_a_name_of_the_language(nlp):
    # "`Some(T)` and `None`", "converting it with `From`", "returning a `Result`" named nothing (the
    # seventeenth held-out round's Rust deck; "singletons like `None`" on the Python deck): in prose
    # the words are function words or general language.
    found = concepts_of(nlp, "What is an option?", "Either `Some(T)` or `None`; convert with `From`, return a `Result`.")
    assert {"some", "none", "from", "result"} <= found, found
    # Lower case in code, or a label before a colon inside it, stays what it was.
    found = concepts_of(nlp, "Prompt", "Write `Human: <instruction>` and test `if x is none`.")
    assert not {"human", "none"} & found, found


def test_a_number_counting_a_span_of_time_is_no_part_of_the_noun_before_it(nlp):
    # "Queen 16 days, worker 21 days" named "queen 16 day" and "worker 21 day" (the seventeenth
    # held-out round's beekeeping deck): the number was read as the name's or the kind's.
    found = concepts_of(nlp, "How long does each caste take?", "Queen 16 days, worker 21 days.")
    assert {"queen", "worker"} <= found and not any(any(c.isdigit() for c in k) for k in found), found
    found = concepts_of(nlp, "DNS", "Route 53 records and type 2 diabetes.")
    assert {"route 53 record", "type 2 diabetes"} <= found, found


def test_a_capital_letter_after_a_noun_names_one_of_its_kinds(nlp):
    # "Region B (the Americas) is the other way round" named nothing (the seventeenth held-out
    # round's maritime navigation deck): "b" was read as the unit, bytes, after a general noun.
    found = concepts_of(nlp, "Buoyage", "Region B (the Americas) is the other way round.")
    assert "region b" in found, found
    assert "plan b" in concepts_of(nlp, "Plans", "Plan B is the fallback.")
    # A unit after a number stays a unit.
    assert not {k for k in concepts_of(nlp, "Cache", "Keep 10 B of cache.") if k.endswith(" b")}


def test_true_and_false_before_one_noun_name_a_kind_of_it(nlp):
    # "the angle between true north and magnetic north" named "north" (the seventeenth held-out
    # round's maritime navigation deck), as "true anomaly" named nothing and "false positives"
    # "positive": "true" and "false" were cut as grading words.
    found = concepts_of(nlp, "Variation", "The angle between true north and magnetic north at a place.")
    assert {"true north", "magnetic north"} <= found and "north" not in found, found
    found = concepts_of(nlp, "PPV", "The rarer the disease, the more of the positive results are false positives.")
    assert "false positive" in found, found
    # Before a term, or after "a", they grade: the term stays itself.
    found = concepts_of(nlp, "Type I error", "A Type I error is rejecting a true null hypothesis.")
    found |= concepts_of(nlp, "Seagrass", "Seagrass = true flowering plants with roots and rhizomes.")
    assert {"null hypothesis", "flowering plant"} <= found and not {k for k in found if k.startswith("true")}, found


def test_little_without_an_article_is_a_quantity(nlp):
    # "stored quickly with little work to evaporate it" named "little work" (the seventeenth held-out
    # round's beekeeping deck), as "little parental care" did on the ecology deck: only "a little"
    # was read as a quantity.
    found = concepts_of(nlp, "r-selected species", "Many small offspring, little parental care, short lifespan.")
    assert "parental care" in found and "little parental care" not in found, found
    assert "little finger" in concepts_of(nlp, "Hand", "The ulnar nerve supplies the little finger.")


def test_code_names_a_reference_as_written(nlp):
    # "one mutable reference (`&mut T`) or any number of immutable references (`&T`)", "`&self` gives
    # its lifetime", "`&dyn Summary`" named nothing (the seventeenth held-out round's Rust deck): the
    # "&" made the code no name.
    found = concepts_of(nlp, "Borrowing", "One `&mut T` or many `&T`; `&self`, `&str` and `&dyn Summary`.")
    assert {"&mut t", "&t", "&self", "&str", "&dyn summary"} <= found, found
    # An operator in code stays nothing.
    assert not {k for k in concepts_of(nlp, "Shell", "Run `make && make test` or `sleep 5 &`.") if "&" in k}


def test_a_name_with_a_particle_is_no_quotation_of_another_language(nlp):
    # "Decoded by Karl von Frisch." named nothing (the seventeenth held-out round's beekeeping deck):
    # "Karl" and "von" are more common in German, so the sentence was read as a German quotation.
    assert "karl von frisch" in concepts_of(nlp, "What is the waggle dance?", "A dance. Decoded by Karl von Frisch.")
    # A German phrase stays a quotation: its nouns are capitalized, the article before them German.
    found = concepts_of(nlp, "Genitiv", "Shows possession: das Auto des Vaters, die Tasche der Frau.")
    assert "tasche der frau" not in found, found
