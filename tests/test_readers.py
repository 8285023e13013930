"""Every deck reader on small fixtures and on the real decks in ../shared."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.cards import card_id, guid_card_id
from kg.readers import deck_files, read_decks, read_file

DECKS = Path(__file__).resolve().parent / "data" / "decks"
# Tags of real HTML elements (literal text such as `<account>` in a code sample is not markup).
HTML_TAG = re.compile(
    r"</?(?:a|b|i|u|s|em|strong|div|span|p|br|hr|img|sup|sub|font|video|source|h[1-6]|ul|ol|li|table|"
    r"tr|td|th|tbody|thead|pre|code|blockquote|style|script)\b[^<>]*>",
    re.IGNORECASE,
)
ENTITY = re.compile(r"&(?:nbsp|amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);", re.IGNORECASE)
CODE_SPAN = re.compile(r"`[^`\n]*`")


def by_question(cards):
    return {card.question: card for card in cards}


# --- raw text layout -------------------------------------------------------------------------


def test_seed_deck_reads_as_26_cards_under_its_title(seed_file):
    result = read_file(seed_file)
    assert not result.problems
    assert len(result.cards) == 26
    assert {c.deck for c in result.cards} == {"Collaborating within and across to manage data & models Flashcards"}


def test_seed_deck_loses_no_line_and_keeps_list_items_in_their_answer(seed_file):
    cards = read_file(seed_file).cards
    lines = [line for line in seed_file.read_text(encoding="utf-8").splitlines()[1:] if line.strip()]
    rebuilt = [line for card in cards for line in [card.question, *card.answer.splitlines()]]
    assert rebuilt == lines
    phases = by_question(cards)[
        "Outline the three main phases of the machine learning lifecycle and their associated tasks within MLOps."
    ]
    assert "Define business use cases and desired outcomes." in phases.answer.splitlines()
    assert phases.answer.splitlines()[-2] == "Implement health checks, alerts, and retraining triggers."
    maturity = next(c for c in cards if c.question.startswith("Compare and contrast"))
    assert maturity.answer.splitlines()[1] == "Level 0:"


def test_raw_cards_with_single_line_answers_and_questions_without_question_marks():
    cards = read_file(DECKS / "raw_single_line_answers.txt").cards
    assert [c.question for c in cards] == [
        "What is latency?", "What is bandwidth?", "Define jitter.", "Explain packet loss"
    ]
    assert all(len(c.answer.splitlines()) == 1 for c in cards)
    assert cards[0].source.endswith("raw_single_line_answers.txt:2")
    assert cards[0].id == card_id("Networking Basics", "What is latency?")


def test_raw_instruction_lines_inside_answer_lists_stay_in_the_answer():
    result = read_file(DECKS / "raw_instruction_lists.txt")
    assert not result.problems
    cards = by_question(result.cards)
    assert list(cards) == [
        "Outline the phases of a project kickoff.",
        "Describe what a RACI matrix records.",
        "List the steps of a retrospective",
        'What does "done" mean in a sprint?',
        "Describe the role of the product owner.",
    ]
    kickoff = cards["Outline the phases of a project kickoff."].answer.splitlines()
    assert "Define the scope and the success criteria." in kickoff
    assert "Describe the risks known so far." in kickoff
    assert "Explain the plan to everyone involved." in kickoff
    assert cards["List the steps of a retrospective"].answer.endswith("Define actions and close.")
    assert cards["Describe the role of the product owner."].answer.startswith("Summarize the responsibilities")


# --- Markdown --------------------------------------------------------------------------------


def test_markdown_headings_give_one_card_per_question_heading():
    result = read_file(DECKS / "headings.md")
    assert not result.problems
    cards = result.cards
    assert [c.question for c in cards] == [
        "What is a primary key?", "Explain normalisation", "What does `SELECT *` return?"
    ]
    assert {c.deck for c in cards} == {"Databases"}
    assert all(c.tags == ("databases", "sql") for c in cards)
    assert cards[0].answer == "A column (or set of columns) that uniquely identifies each row."
    assert "1. First normal form: atomic values." in cards[1].answer
    assert "Why it matters" in cards[1].answer and "see the docs" in cards[1].answer
    assert cards[1].guid == "db-normal-1" and cards[1].id == guid_card_id("db-normal-1")
    assert "$\\sum_i x_i$" in cards[2].answer and "`a_b_c`" in cards[2].answer
    # The author's markup is kept as HTML beside the clean text, only where there is some.
    assert cards[0].question_html is None and "<strong>uniquely</strong>" in cards[0].answer_html
    assert "<ol>" in cards[1].answer_html and "<code>SELECT *</code>" in cards[2].question_html


def test_markdown_q_and_a_pairs():
    cards = read_file(DECKS / "qa_pairs.md").cards
    assert [(c.question, c.answer) for c in cards] == [
        ("What is the capital of France?", "Paris."),
        ("What is the capital of Japan?", "Tokyo,\nthe largest city of Japan."),
        ("Name the capital of Canada.", "Ottawa"),
    ]
    assert {c.deck for c in cards} == {"Capitals"}


def test_markdown_callouts_with_explanation_and_guid():
    result = read_file(DECKS / "callouts.md")
    assert not result.problems
    first, second = result.cards
    assert first.guid == "drop-1" and first.id == guid_card_id("drop-1")
    assert first.question == "What does dropout do?"
    assert first.answer == "It randomly zeroes activations during training.\n\nThis acts as a regulariser."
    assert first.deck == "Callouts"
    assert second.id == card_id("Callouts", second.question)
    assert second.answer.endswith("$p \\cdot x$.")


def test_bundled_markdown_deck_reads_as_the_seed_cards(seed_file, bundled_cards_dir):
    seed = read_file(seed_file).cards
    bundled = read_file(bundled_cards_dir / "mlops-vertex-ai.md")
    assert not bundled.problems
    assert [(c.deck, c.question, c.answer, c.id) for c in bundled.cards] == [
        (c.deck, c.question, c.answer, c.id) for c in seed
    ]


# --- delimited -------------------------------------------------------------------------------


def test_anki_text_export_with_header_lines_html_multiline_fields_and_cloze():
    result = read_file(DECKS / "anki_export.txt")
    assert not result.problems
    http, multi, cloze = result.cards
    assert {c.deck for c in result.cards} == {"Anki Export"}
    assert http.question == "What is HTTP?"
    assert http.answer == "A protocol for the\nweb\nand more"
    assert http.tags == ("net", "web")
    assert http.question_html == "What is <b>HTTP</b>?"
    assert multi.question == "Multi\nline question?"
    assert multi.answer == 'Answer with "quotes", commas, and\nnewlines'
    assert multi.source.endswith("anki_export.txt:6")
    assert cloze.question == "The mitochondria is the powerhouse of the cell."
    assert cloze.source.endswith(":9")


def test_quizlet_exports_with_and_without_header():
    csv_cards = read_file(DECKS / "quizlet.csv").cards
    assert [(c.question, c.answer) for c in csv_cards] == [
        ("latency", "time to first byte, measured in ms"),
        ("throughput", "requests per second"),
    ]
    assert csv_cards[0].deck == "Quizlet"
    tsv_cards = read_file(DECKS / "quizlet_tabs.tsv").cards
    assert [c.question for c in tsv_cards] == ["Photosynthesis", "Osmosis"]
    assert tsv_cards[0].source.endswith("quizlet_tabs.tsv:1")


def test_semicolon_csv_without_header_appends_extra_columns_to_the_answer(tmp_path):
    deck = tmp_path / "chem.csv"
    deck.write_text("What is H2O?;Water;a common solvent\nWhat is NaCl?;Salt;\n", encoding="utf-8")
    result = read_file(deck)
    assert not result.problems
    assert [(c.question, c.answer) for c in result.cards] == [
        ("What is H2O?", "Water\n\na common solvent"), ("What is NaCl?", "Salt")
    ]


def test_txt_file_with_tabs_is_read_as_delimited_not_raw_text(tmp_path):
    deck = tmp_path / "export.txt"
    deck.write_text("Front\tBack\nWhat is 2+2?\tFour\nCapital of Peru?\tLima\n", encoding="utf-8")
    cards = read_file(deck).cards
    assert [(c.question, c.answer) for c in cards] == [("What is 2+2?", "Four"), ("Capital of Peru?", "Lima")]


# --- apkg ------------------------------------------------------------------------------------


def test_apkg_reads_notes_with_guid_deck_tags_and_clean_text(tmp_path, make_apkg):
    package = make_apkg(
        tmp_path / "mini.apkg",
        [
            ("g-1", ["What is <i>DNS</i>?", "Name&nbsp;resolution<br>for hosts"], "net dns", 7),
            ("g-2", ["{{c1::TCP}} is reliable", ""], "", 7),
        ],
        decks={1: "Default", 7: "Networks::Basics"},
    )
    result = read_file(package)
    assert not result.problems
    dns, tcp = result.cards
    assert (dns.guid, dns.id) == ("g-1", guid_card_id("g-1"))
    assert (dns.deck, dns.question, dns.answer) == ("Networks::Basics", "What is DNS?", "Name resolution\nfor hosts")
    assert dns.tags == ("net", "dns")
    assert dns.source == f"{package}#note=1001"
    assert dns.answer_html == "Name&nbsp;resolution<br>for hosts"
    assert tcp.question == "TCP is reliable" and tcp.answer == "TCP is reliable"


# --- folders and dispatch --------------------------------------------------------------------


def test_folder_reads_every_deck_recursively_and_skips_non_decks(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b.md").write_text("## What is b?\n\nB.\n", encoding="utf-8")
    (tmp_path / "sub" / "a.csv").write_text("question,answer\nWhat is a?,A.\n", encoding="utf-8")
    (tmp_path / ".hidden" / "c.md").write_text("## What is c?\n\nC.\n", encoding="utf-8")
    (tmp_path / ".d.md").write_text("## What is d?\n\nD.\n", encoding="utf-8")
    (tmp_path / "concepts.toml").write_text("[add]\n", encoding="utf-8")
    (tmp_path / "_metadata_header.yaml").write_text("name: x\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# About these decks\n", encoding="utf-8")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert [p.relative_to(tmp_path).as_posix() for p in deck_files(tmp_path)] == ["b.md", "sub/a.csv"]
    result = read_decks([tmp_path])
    assert not result.problems
    assert sorted(c.question for c in result.cards) == ["What is a?", "What is b?"]


def test_an_explicit_non_deck_file_is_a_problem(tmp_path):
    meta = tmp_path / "_metadata_header.yaml"
    meta.write_text("name: x\n", encoding="utf-8")
    result = read_decks([meta, tmp_path / "missing.md"])
    assert [str(p) for p in result.problems] == [
        f"{meta}: not a deck (unsupported file type .yaml)",
        f"{tmp_path / 'missing.md'}: no such file or folder",
    ]


def test_duplicate_cards_are_reported_and_never_vanish(tmp_path):
    deck = tmp_path / "dupes.md"
    deck.write_text(
        "## What is X?\n\nAn x.\n\n## What is X?\n\nAn x.\n\n## What is X?\n\nA different x.\n", encoding="utf-8"
    )
    result = read_file(deck)
    assert [c.answer for c in result.cards] == ["An x.", "A different x."]
    first, second = result.cards
    assert second.id == f"{first.id}-2"
    assert [p.line for p in result.problems] == [5, 9]
    assert "duplicate of the card at" in result.problems[0].reason
    assert "kept as" in result.problems[1].reason


# --- the real decks --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "folder, cards, files",
    [("mlrf-csv", 213, 47), ("mlrf-md", 262, 54), ("system-design-primer-apkg", 56, 3)],
)
def test_real_decks_read_completely_without_problems(shared_dir, folder, cards, files):
    result = read_decks([shared_dir / "decks" / folder])
    assert not result.problems, result.problems[:3]
    assert len(result.cards) == cards
    assert len({c.source.split("#note=")[0].rsplit(":", 1)[0] for c in result.cards}) == files
    assert all(c.question.strip() and c.answer.strip() for c in result.cards)


@pytest.mark.parametrize("folder", ["mlrf-csv", "mlrf-md", "system-design-primer-apkg"])
def test_no_html_remains_in_real_deck_text(shared_dir, folder):
    for card in read_decks([shared_dir / "decks" / folder]).cards:
        for text in (card.question, card.answer):
            plain = CODE_SPAN.sub("", text)
            assert not HTML_TAG.search(plain), (card.source, HTML_TAG.search(plain).group(0))
            assert not ENTITY.search(plain), (card.source, ENTITY.search(plain).group(0))


def test_real_csv_and_markdown_decks_share_guids_and_deck_names(shared_dir):
    csv_cards = read_decks([shared_dir / "decks" / "mlrf-csv"]).cards
    md_cards = {c.id: c for c in read_decks([shared_dir / "decks" / "mlrf-md"]).cards}
    assert all(c.id in md_cards for c in csv_cards)
    assert all(md_cards[c.id].deck == c.deck for c in csv_cards)
    explained = next(c for c in csv_cards if c.source.endswith("attention_is_all_you_need.csv:3"))
    assert "key/value/query concepts" in explained.answer  # the explanation column joins the answer


def test_real_apkg_keeps_code_indentation_and_deck_names(shared_dir):
    cards = read_decks([shared_dir / "decks" / "system-design-primer-apkg"]).cards
    assert {c.deck for c in cards} == {"OO Design", "System Design", "System Design Exercises"}
    deck_of_cards = next(c for c in cards if c.question == "Design a deck of cards")
    assert "\n    HEART = 0\n" in deck_of_cards.answer
    assert all(c.answer_html for c in cards)


def test_a_markdown_note_without_cards_is_skipped_in_a_folder_but_reported_when_named(tmp_path):
    (tmp_path / "deck.md").write_text("## What is a bloom filter?\nA probabilistic set.\n", encoding="utf-8")
    note = tmp_path / "notes.md"
    note.write_text("Some thoughts on caching, with no questions in them.\n", encoding="utf-8")

    from_folder = read_decks([tmp_path])
    assert len(from_folder.cards) == 1 and from_folder.problems == []
    assert [(f.path, f.cards, f.reasons) for f in from_folder.files][1] == (
        str(note), 0, {"no cards: a note, not a deck": 1}
    )

    named = read_decks([note])
    assert [str(p) for p in named.problems] == [f"{note}: no cards found (no layout explains it: no Q:/A: pairs, columns, question headings, callouts or flashcard marks)"]


def test_a_folder_holding_only_its_readme_reads_it_and_beside_decks_it_is_documentation(tmp_path):
    # A question list published on GitHub is its README.md: pointed at its folder, kg said
    # "no deck files in this folder". Beside deck files a README only documents them.
    questions = tmp_path / "questions"
    questions.mkdir()
    (questions / "README.md").write_text(
        "# Networking questions\n\n## What is a subnet?\n\nA range of addresses that share a prefix.\n\n"
        "## What does DNS do?\n\nIt turns names into addresses.\n", encoding="utf-8")
    read = read_decks([questions])
    assert [c.question for c in read.cards] == ["What is a subnet?", "What does DNS do?"]
    (questions / "more.md").write_text("## What is a router?\n\nIt forwards packets between networks.\n",
                                       encoding="utf-8")
    assert [c.question for c in read_decks([questions]).cards] == ["What is a router?"]
