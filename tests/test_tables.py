"""Flashcards kept as Markdown tables in a note, read as Obsidian, Notion's export and hand-written
glossaries write them: a body row per card, headings naming decks, every line accounted for."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from kg.build import build
from kg.cli import cli
from kg.nlp.marks import STRONG, card_marks
from kg.readers import read_file
from kg.readers.problems import CheckFailed, LostLines
from kg.workspace import Workspace


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def pairs(result) -> list[tuple[str, str]]:
    return [(c.question, c.answer) for c in result.cards]


OBSIDIAN_GLOSSARY = """\
# Pharmacology terms

| Term | Definition |
|------|------------|
| Agonist | A drug that binds a receptor and activates it. |
| Half-life | The time for the plasma concentration to fall by half. |
| Clearance | The volume of plasma cleared of a drug per unit time. |
"""


def test_a_two_column_glossary_gives_a_card_per_row_and_never_its_header(tmp_path):
    deck = write(tmp_path / "pharmacology.md", OBSIDIAN_GLOSSARY)
    result = read_file(deck)
    assert result.files[0].layout == "tables" and not result.problems
    assert pairs(result) == [
        ("Agonist", "A drug that binds a receptor and activates it."),
        ("Half-life", "The time for the plasma concentration to fall by half."),
        ("Clearance", "The volume of plasma cleared of a drug per unit time."),
    ]
    assert {c.deck for c in result.cards} == {"Pharmacology terms"}
    assert [c.source for c in result.cards] == [f"{deck}:{n}" for n in (5, 6, 7)]
    assert result.cards[0].fields == (("Term", "Agonist"), ("Definition", "A drug that binds a receptor and activates it."))


def test_the_same_glossary_wins_over_the_layouts_that_used_to_misread_it(tmp_path):
    deck = write(tmp_path / "pharmacology.md", OBSIDIAN_GLOSSARY)
    shown = CliRunner().invoke(cli, ["inspect", "--json", str(deck)])
    assert shown.exit_code == 0, shown.output
    scores = {s["layout"]: s["score"] for s in json.loads(shown.output)[0]["detection"]["scores"]}
    assert scores["tables"] > max(scores["quizlet"], scores["delimited"], scores["headings"])
    # As a plain .txt the table still reads as a table, not as ` | `-separated Quizlet records.
    assert read_file(write(tmp_path / "pharmacology.txt", OBSIDIAN_GLOSSARY)).files[0].layout == "tables"


def test_further_columns_are_labelled_lines_of_the_answer_and_empty_cells_are_skipped(tmp_path):
    deck = write(tmp_path / "spanish-verbs.md", (
        "# Spanish verbs\n\n"
        "| Verb | Meaning | Example | Irregular |\n"
        "| --- | --- | --- | --- |\n"
        "| ser | to be (lasting) | Soy de Madrid. | yes |\n"
        "| hablar | to speak |  |  |\n"
        "| ir | to go | Voy a casa. |\n"  # a cell short: still a card
    ))
    result = read_file(deck)
    assert not result.problems
    assert pairs(result) == [
        ("ser", "to be (lasting)\nExample: Soy de Madrid.\nIrregular: yes"),
        ("hablar", "to speak"),
        ("ir", "to go\nExample: Voy a casa."),
    ]


def test_a_table_with_an_empty_corner_cell_labels_every_cell_of_the_answer(tmp_path):
    deck = write(tmp_path / "databases.md", (
        "|   | SQL | NoSQL |\n|---|---|---|\n"
        "| Schema | fixed, declared first | flexible, per document |\n"
        "| Scaling | vertical | horizontal |\n"
    ))
    assert pairs(read_file(deck)) == [
        ("Schema", "SQL: fixed, declared first\nNoSQL: flexible, per document"),
        ("Scaling", "SQL: vertical\nNoSQL: horizontal"),
    ]


def test_tables_without_outer_pipes_and_with_alignment_colons(tmp_path):
    deck = write(tmp_path / "networking.md", (
        "Term | Definition | Example\n"
        ":--- | :---: | ---:\n"
        "Latency | Time to the first byte | 20 ms on a LAN\n"
        "Throughput | Requests served per second |\n"
    ))
    result = read_file(deck)
    assert result.files[0].layout == "tables" and not result.problems
    assert pairs(result) == [("Latency", "Time to the first byte\nExample: 20 ms on a LAN"),
                             ("Throughput", "Requests served per second")]
    assert {c.deck for c in result.cards} == {"Networking"}


def test_cells_keep_their_markdown_as_html_and_bold_stays_an_authors_mark(tmp_path):
    deck = write(tmp_path / "shell.md", (
        "| Term | Definition |\n"
        "|---|---|\n"
        "| **Pipe** | Sends one command's output to the next: `ls \\| wc -l`. |\n"
        "| `a || b` | Runs *b* only when `a` fails. |\n"
        "| OR \\| AND | Boolean operators, see [the manual](https://www.gnu.org/software/bash/manual/). |\n"
        "| Here document | Text fed to a command's input<br>up to a delimiter line. |\n"
        "| [[Redirection|Redirect]] | Sends output to a file. |\n"
    ))
    result = read_file(deck)
    assert not result.problems
    pipe, either, boolean, here, redirect = result.cards
    assert (pipe.question, pipe.answer) == ("Pipe", "Sends one command's output to the next: `ls | wc -l`.")
    assert pipe.question_html == "<p><strong>Pipe</strong></p>"
    assert "<code>ls | wc -l</code>" in pipe.answer_html
    assert any(m[2] == STRONG and pipe.question[m[0]:m[1]] == "Pipe" for m in card_marks(pipe)["question"])
    # A pipe inside backticks splits nothing when splitting would make the row wider than the header.
    assert (either.question, either.answer) == ("`a || b`", "Runs b only when `a` fails.")
    assert "<em>b</em>" in either.answer_html
    assert boolean.question == "OR | AND"
    assert boolean.answer == "Boolean operators, see the manual."
    assert '<a href="https://www.gnu.org/software/bash/manual/">the manual</a>' in boolean.answer_html
    assert here.answer == "Text fed to a command's input\nup to a delimiter line."
    assert (redirect.question, redirect.answer) == ("Redirect", "Sends output to a file.")  # an Obsidian alias


def test_two_tables_under_two_headings_with_prose_between_name_sub_decks_and_report_the_prose(tmp_path):
    deck = write(tmp_path / "pharmacology.md", (
        "---\ntags: [pharmacology, exam]\n---\n"
        "# Pharmacology\n"
        "\n"
        "Terms from weeks 1 and 2, from the lecture notes.\n"
        "\n"
        "## Receptors\n"
        "\n"
        "| Term | Definition |\n"
        "|------|------------|\n"
        "| Agonist | Binds a receptor and activates it. |\n"
        "| Antagonist | Binds a receptor and blocks it. |\n"
        "\n"
        "See also the chapter on second messengers.\n"
        "Ask about inverse agonists in the tutorial.\n"
        "\n"
        "## Kinetics\n"
        "\n"
        "| Term | Definition |\n"
        "|------|------------|\n"
        "| Half-life | The time for the concentration to fall by half. |\n"
    ))
    result = read_file(deck)
    assert result.files[0].layout == "tables"
    assert [(c.deck, c.question) for c in result.cards] == [
        ("Pharmacology::Receptors", "Agonist"), ("Pharmacology::Receptors", "Antagonist"),
        ("Pharmacology::Kinetics", "Half-life"),
    ]
    assert {c.tags for c in result.cards} == {("pharmacology", "exam")}
    assert [(type(p), p.line, p.last, p.reason) for p in result.problems] == [
        (LostLines, 6, 6, "text outside any table ignored"),
        (LostLines, 15, 16, "text outside any table ignored"),
    ]
    assert result.files[0].skipped == 2


def test_headings_without_a_title_open_sub_decks_of_the_file(tmp_path):
    deck = write(tmp_path / "spanish.md", (
        "## Verbs\n\n| Spanish | English |\n|---|---|\n| ser | to be |\n\n"
        "## Nouns\n\n| Spanish | English |\n|---|---|\n| perro | dog |\n"
    ))
    assert [(c.deck, c.question) for c in read_file(deck).cards] == [("Spanish::Verbs", "ser"), ("Spanish::Nouns", "perro")]


def test_a_row_without_an_answer_is_reported_with_file_and_line(tmp_path):
    deck = write(tmp_path / "glossary.md", (
        "| Term | Definition |\n"
        "|---|---|\n"
        "| Agonist | Activates a receptor. |\n"
        "| Partial agonist |  |\n"
        "|  | An answer whose term was never written. |\n"
        "| Antagonist | Blocks a receptor. | Naloxone |\n"
        "|  |  |\n"
        "Inverse agonist\n"
    ))
    result = read_file(deck)
    assert pairs(result) == [("Agonist", "Activates a receptor."), ("Antagonist", "Blocks a receptor.\nNaloxone")]
    assert [str(p) for p in result.problems] == [
        f"{deck}:4: table row without an answer ignored",
        f"{deck}:5: table row without a question (its first cell is empty) ignored",
        f"{deck}:8: table row without an answer ignored",  # a line without a pipe is a row, as GitHub shows it
    ]


def test_a_header_naming_the_answer_first_takes_the_question_from_its_term_column(tmp_path):
    deck = write(tmp_path / "reversed.md", (
        "| Definition | Term | Tags |\n|---|---|---|\n"
        "| The study of drug action | Pharmacodynamics | basics, week1 |\n"
    ))
    card, = read_file(deck).cards
    assert (card.question, card.answer, card.tags) == ("Pharmacodynamics", "The study of drug action", ("basics", "week1"))
    # Any other header keeps the first column as the question.
    card, = read_file(write(tmp_path / "plain.md", "| English | Spanish |\n|---|---|\n| dog | perro |\n")).cards
    assert (card.question, card.answer) == ("dog", "perro")


def test_a_heading_deck_whose_answer_holds_a_table_stays_a_heading_deck(tmp_path):
    deck = write(tmp_path / "http.md", (
        "# HTTP\n\n"
        "## What are the HTTP methods?\n\n| Method | Use |\n|---|---|\n| GET | read |\n| POST | create |\n\n"
        "## What is a status code?\n\nA number saying how the request went.\n\n"
        "## What does 404 mean?\n\nThe resource was not found.\n"
    ))
    result = read_file(deck)
    assert result.files[0].layout == "headings" and not result.problems
    assert [c.question for c in result.cards][0] == "What are the HTTP methods?"


def test_a_heading_that_asks_nothing_over_a_table_is_flagged_when_read_as_headings(tmp_path):
    deck = write(tmp_path / "pharmacology.md", "## Receptors\n\n| Term | Definition |\n|---|---|\n| Agonist | Activates. |\n")
    assert read_file(deck).files[0].layout == "tables"
    forced = read_file(deck, format="headings")
    assert [(type(p), p.line) for p in forced.problems] == [(CheckFailed, 1)]
    assert "--format tables" in forced.problems[0].reason


def test_format_tables_forces_the_layout(tmp_path):
    deck = write(tmp_path / "terms.txt", "Latency | Time to the first byte\n--- | ---\nJitter | Variation in latency\n")
    forced = read_file(deck, format="tables")
    assert forced.files[0].layout == "tables" and pairs(forced) == [("Jitter", "Variation in latency")]
    shown = CliRunner().invoke(cli, ["inspect", "--format", "tables", str(deck)])
    assert shown.exit_code == 0 and "layout: tables: named by --format" in shown.output


def test_kg_build_of_a_table_deck_finds_the_terms_of_its_first_column(tmp_path, nlp):
    deck = write(tmp_path / "pharmacology.md", (
        "# Pharmacology terms\n\n"
        "| Term | Definition | Example |\n"
        "|------|------------|---------|\n"
        "| **Agonist** | A drug that binds a receptor and activates it. | Morphine activates opioid receptors. |\n"
        "| **Antagonist** | A drug that binds a receptor and blocks agonists. | Naloxone reverses an opioid overdose. |\n"
        "| **Bioavailability** | The fraction of an oral dose that reaches the systemic circulation. | |\n"
        "| Therapeutic index | The ratio between the toxic dose and the effective dose. | Warfarin has a narrow one. |\n"
    ))
    report = build([deck], workspace=tmp_path / "ws", nlp=nlp)
    assert report.extracted == 4
    with Workspace.open(tmp_path / "ws") as ws:
        assert ws.problems == []
        labels = {summary[1].lower() for summary in ws.concepts().values()}
    assert {"agonist", "antagonist", "bioavailability", "therapeutic index"} <= labels
    assert "example" not in labels  # a column's label is no concept


def test_a_column_label_is_the_tables_structure_and_names_no_concept(tmp_path, nlp):
    # "Location/Example:" stood on every row's answer and became the deck's top concepts
    # ('location', 'location example'); "Example" was only spared as a stop word.
    deck = write(tmp_path / "anatomy.md", (
        "# Muscles\n\n"
        "| Term | Definition | Location/Example | Action |\n"
        "|---|---|---|---|\n"
        "| Quadriceps | Four muscles on the front of the thigh. | Thigh | Extends the knee |\n"
        "| Biceps brachii | Two-headed muscle of the upper arm. | Upper arm | Flexes the elbow |\n"
        "| Deltoid | Triangular muscle over the shoulder joint. | Shoulder | Abducts the arm |\n"
    ))
    (card, *_) = read_file(deck).cards
    assert card.answer == "Four muscles on the front of the thigh.\nLocation/Example: Thigh\nAction: Extends the knee"
    assert '<span class="kg-column">Location/Example</span>: Thigh' in card.answer_html
    build([deck], workspace=tmp_path / "ws", nlp=nlp)
    with Workspace.open(tmp_path / "ws") as ws:
        labels = {summary[1].lower() for summary in ws.concepts().values()}
    assert {"quadriceps", "deltoid", "shoulder joint"} <= labels, labels
    assert not {"location", "location example", "action"} & labels, labels
    # A table of rows against columns keeps its labels as words: they name what is compared.
    matrix = write(tmp_path / "databases.md", "|   | SQL | NoSQL |\n|---|---|---|\n| Schema | fixed | flexible |\n")
    assert read_file(matrix).cards[0].answer_html is None
