"""Emacs Org-mode flashcards as org-drill, org-fc and anki-editor write them: cards, decks, tags,
guids, the author's marks as HTML, every line accounted for, and a build through the real model.

Line accounting in an Org file: a line is in a card (its words are, or it is the card's own
heading or a side / field heading below it), knowingly skipped metadata (drawers, `SCHEDULED:`
lines, `#+` keywords, comments), or inside a reported problem: the outline's own notes are
reported as `Outline` problems (notes, not cards, which do not count against the layout), a card
without an answer as `LostLines`. An outline heading that names the deck of a card below it is
accounted for by that name."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import cli
from kg.errors import DeckError
from kg.readers import DECK_SUFFIXES, deck_files, iter_file, read_decks, read_file
from kg.readers.layouts import Detection
from kg.readers.problems import LostLines, Outline
from kg.workspace import load_graph

DRILL = """\
#+TITLE: Biology
#+FILETAGS: :science:
#+STARTUP: overview
# Cards for org-drill; review with M-x org-drill.

* Cells                                                               :cells:
** Mitochondrion                                                      :drill:
   SCHEDULED: <2024-03-04 Mon>
   :PROPERTIES:
   :ID:       7f3c2a10-5e0b-4c1d-9a7e-1b2c3d4e5f60
   :DRILL_LAST_INTERVAL: 4.14
   :DRILL_REPEATS_SINCE_FAIL: 2
   :DRILL_TOTAL_REPEATS: 1
   :DRILL_FAILURE_COUNT: 0
   :DRILL_AVERAGE_QUALITY: 4.0
   :DRILL_EASE: 2.5
   :DRILL_LAST_QUALITY: 4
   :DRILL_LAST_REVIEWED: [2024-02-29 Thu 09:12]
   :END:
   :LOGBOOK:
   - Note taken on [2024-02-28 Wed 18:00] \\\\
     reworded the question
   :END:
   What does the *mitochondrion* produce?

*** Answer
    *ATP*, the energy currency of the cell, by =oxidative phosphorylation=.

** Ribosome                                                           :drill:
   The [ribosome||organelle] translates mRNA into [protein].

* Genetics
** Translation                                                   :drill:hard:
   :PROPERTIES:
   :DRILL_CARD_TYPE: twosided
   :END:
   Give the other side.
*** Codon
    A triplet of bases such as ~AUG~.
*** Meaning
    It names one amino acid, or a stop.
*** Example
    #+BEGIN_SRC python
    codon = "AUG"  # methionine, the start codon
    #+END_SRC

** Osmosis                                                            :drill:
*** Answer
    Diffusion of water through a membrane, from low to high solute \\(c\\).
"""

FC = """\
#+TITLE: Physics
* Mechanics
** What is Newton's second law?                                            :fc:
:PROPERTIES:
:FC_CREATED: 2024-01-10T10:00:00Z
:FC_TYPE:  normal
:ID:       0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6
:END:
:REVIEW_DATA:
| position | ease | box | interval | due                  |
|----------+------+-----+----------+----------------------|
| front    | 2.50 |   2 |     1.00 | 2024-01-11T10:00:00Z |
:END:
*** Back
The net force equals mass times acceleration: \\(F = ma\\).

** Momentum                                                          :fc:
:PROPERTIES:
:FC_CREATED: 2024-01-11T08:00:00Z
:FC_TYPE:  double
:ID:       11111111-2222-3333-4444-555555555555
:END:
:REVIEW_DATA:
| position | ease | box | interval | due                  |
|----------+------+-----+----------+----------------------|
| front    | 2.50 |   0 |     0.00 | 2024-01-11T08:00:00Z |
| back     | 2.50 |   0 |     0.00 | 2024-01-11T08:00:00Z |
:END:
*** Back
Mass times velocity, a /conserved/ quantity.

** Light                                                                 :fc:optics:
:PROPERTIES:
:FC_CREATED: 2024-01-12T08:00:00Z
:FC_TYPE:  cloze
:FC_CLOZE_MAX: 1
:FC_CLOZE_TYPE: deletion
:ID:       99999999-8888-7777-6666-555555555555
:END:
:REVIEW_DATA:
| position | ease | box | interval | due                  |
|----------+------+-----+----------+----------------------|
|        0 | 2.50 |   0 |     0.00 | 2024-01-12T08:00:00Z |
|        1 | 2.50 |   0 |     0.00 | 2024-01-12T08:00:00Z |
:END:
Light travels at {{299,792 km/s}@0} in a {{vacuum}{medium}@1}.

** What is a joule?                                                       :fc:
:PROPERTIES:
:FC_CREATED: 2024-01-13T08:00:00Z
:FC_TYPE:  normal
:END:
"""

ANKI = """\
#+TITLE: Programming notes
#+ANKI_DECK: Programming

* Python
  :PROPERTIES:
  :ANKI_DECK: Programming::Python
  :END:
** List comprehension                                              :syntax:
   :PROPERTIES:
   :ANKI_NOTE_TYPE: Basic
   :ANKI_NOTE_ID: 1607119825349
   :ANKI_TAGS: python::lists idioms
   :END:
*** Front
    What does ~[x * 2 for x in xs]~ build?
*** Back
    - a new *list* :: each item of =xs= doubled
    - see [[https://docs.python.org/3/tutorial/datastructures.html][the tutorial]]
** The GIL
   :PROPERTIES:
   :ANKI_NOTE_TYPE: Cloze
   :ANKI_NOTE_ID: 1607119827823
   :END:
*** Text
    CPython's {{c1::global interpreter lock}} lets one thread run {{c2::bytecode::what}} at a time.
*** Back Extra

* Shell
** What does =grep -r= do?
   :PROPERTIES:
   :ANKI_NOTE_TYPE: Basic
   :END:
   It searches every file below a folder.
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def by_question(result):
    return {card.question: card for card in result.cards}


def test_org_drill_cards_keep_question_answer_clozes_decks_tags_and_ids(tmp_path):
    result = read_file(write(tmp_path, "biology.org", DRILL))
    assert result.files[0].layout == "org" and not result.problems, result.problems
    cards = by_question(result)
    mito = cards["What does the mitochondrion produce?"]
    assert mito.answer == "ATP, the energy currency of the cell, by `oxidative phosphorylation`."
    assert mito.deck == "Biology::Cells"
    assert mito.tags == ("science", "cells")
    assert mito.guid == "7f3c2a10-5e0b-4c1d-9a7e-1b2c3d4e5f60"
    assert "<strong>mitochondrion</strong>" in mito.question_html
    assert "<strong>ATP</strong>" in mito.answer_html and "<code>oxidative phosphorylation</code>" in mito.answer_html
    assert "DRILL" not in mito.answer and "reworded" not in mito.answer  # drawers are metadata

    ribosome = cards["The ribosome translates mRNA into protein."]
    assert ribosome.answer == ribosome.question  # a cloze card is its own answer
    assert "{{c1::ribosome::organelle}}" in ribosome.question_html and "{{c2::protein}}" in ribosome.question_html
    assert ribosome.guid is None and ribosome.tags == ("science", "cells")

    twosided = next(c for c in result.cards if c.question.startswith("Give the other side."))
    assert "A triplet of bases such as `AUG`." in twosided.question
    assert twosided.answer.startswith("It names one amino acid, or a stop.")
    assert 'codon = "AUG"  # methionine, the start codon' in twosided.answer  # the src block, verbatim
    assert twosided.deck == "Biology::Genetics" and twosided.tags == ("science", "hard")
    assert "<code>AUG</code>" in twosided.question_html and '<code class="language-python">' in twosided.answer_html

    osmosis = cards["Osmosis"]  # no body: the heading is the question
    assert osmosis.answer == r"Diffusion of water through a membrane, from low to high solute \(c\)."
    assert len(result.cards) == 4


def test_org_fc_cards_read_front_back_and_clozes_and_skip_review_data(tmp_path):
    path = write(tmp_path, "physics.org", FC)
    result = read_file(path)
    assert result.files[0].layout == "org"
    cards = by_question(result)
    newton = cards["What is Newton's second law?"]
    assert newton.answer == r"The net force equals mass times acceleration: \(F = ma\)."
    assert newton.guid == "0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6" and newton.deck == "Physics::Mechanics"
    assert newton.tags == ()  # `fc` is a marker, not a tag
    assert cards["Momentum"].answer == "Mass times velocity, a conserved quantity."
    assert "<em>conserved</em>" in cards["Momentum"].answer_html
    light = cards["Light travels at 299,792 km/s in a vacuum."]
    assert light.answer == light.question and light.tags == ("optics",)
    assert "{{c1::299,792 km/s}}" in light.question_html and "{{c2::vacuum::medium}}" in light.question_html
    every_text = " ".join(c.question + c.answer for c in result.cards)
    assert "ease" not in every_text and "2.50" not in every_text and "FC_" not in every_text
    # A card with no back is a problem naming file and line; nothing else is.
    joule = next(n for n, line in enumerate(FC.splitlines(), 1) if "What is a joule?" in line)
    assert [str(p) for p in result.problems] == [f"{path}:{joule}: :fc: card without an answer ignored"]
    assert isinstance(result.problems[0], LostLines) and not isinstance(result.problems[0], Outline)


def test_anki_editor_notes_keep_note_type_fields_deck_tags_and_note_id(tmp_path):
    path = write(tmp_path, "programming.org", ANKI)
    result = read_file(path)
    assert result.files[0].layout == "org"
    # `* Shell` holds a note whose deck is the file's #+ANKI_DECK: the heading names nothing.
    shell = ANKI.splitlines().index("* Shell") + 1
    assert [str(p) for p in result.problems] == [f"{path}:{shell}: outline heading that names no card's deck ignored"]
    cards = by_question(result)
    basic = cards["What does `[x * 2 for x in xs]` build?"]
    assert basic.note_type == "Basic" and [name for name, _ in basic.fields] == ["Front", "Back"]
    assert basic.guid == "1607119825349"
    assert basic.deck == "Programming::Python"  # the inherited :ANKI_DECK:
    assert basic.tags == ("syntax", "python::lists", "idioms")
    assert basic.answer == "- a new list: each item of `xs` doubled\n- see the tutorial"
    assert "<strong>list</strong>" in basic.fields[1][1] and "<code>xs</code>" in basic.answer_html
    assert 'href="https://docs.python.org/3/tutorial/datastructures.html"' in basic.answer_html

    gil = cards["CPython's global interpreter lock lets one thread run bytecode at a time."]
    assert gil.note_type == "Cloze" and [name for name, _ in gil.fields] == ["Text", "Back Extra"]
    assert gil.answer == gil.question and gil.guid == "1607119827823"
    assert "{{c1::global interpreter lock}}" in gil.question_html

    grep = cards["What does `grep -r` do?"]  # no field headings: the heading is the front, the body the back
    assert grep.answer == "It searches every file below a folder." and grep.deck == "Programming"
    assert [name for name, _ in grep.fields] == ["Front", "Back"]


def test_the_three_kinds_mix_in_one_file_and_outline_notes_are_reported_not_lost(tmp_path):
    text = (
        "#+TITLE: Mixed\n\nA file of notes with a few cards in it.\n\n"
        "* Reading list\nBooks to read this year, no cards here.\n\n"
        "* Chemistry\nAcids give protons; bases take them.\n"
        "** What does a catalyst do?                                           :fc:\n"
        ":PROPERTIES:\n:FC_TYPE:  normal\n:END:\n*** Back\nIt speeds up a reaction without being used up.\n"
        "** pH                                                                :drill:\n"
        "The pH of pure water at 25 °C is [7].\n"
        "** Buffer\n:PROPERTIES:\n:ANKI_NOTE_TYPE: Basic\n:END:\n*** Front\nWhat is a buffer?\n"
        "*** Back\nA solution that resists changes in pH.\n"
        "** Lonely question                                                    :drill:\n"
        "What is entropy?\n"
    )
    path = write(tmp_path, "mixed.org", text)
    result = read_file(path)
    assert result.files[0].layout == "org"
    assert {c.deck for c in result.cards} == {"Mixed::Chemistry"}
    assert len(result.cards) == 3
    problems = [(p.line, getattr(p, "last", p.line), type(p).__name__, p.reason) for p in result.problems]
    assert problems == [
        (3, 3, "Outline", "text before the first heading ignored (notes, not cards)"),
        (5, 6, "Outline", "outline heading with no card below it ignored"),
        (9, 9, "Outline", "text outside any card ignored (notes in the outline)"),
        (26, 27, "LostLines", ":drill: card without an answer ignored"),
    ]
    _assert_every_line_accounted(text, result)


_METADATA = re.compile(r"^\s*(?:#\+\w+:|#\+(?:begin|end)_|# |:[\w-]+:|\|.*\||SCHEDULED:|DEADLINE:|CLOSED:"
                       r"|- Note taken|reworded)", re.IGNORECASE)  # the last two: a LOGBOOK note


# What an Org line holds besides its words: stars, tags, link targets, cloze numbers and hints.
_MARKUP = re.compile(r"^\*+|:[\w:@]+:\s*$|\[\[[^\]]*\]\[|\}\{[^{}]*\}@\d+|\{\{c\d+::|::[^{}:]*\}\}|[{}@]\d*|\|\|\w+")


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z]+", text.lower()))


def _assert_every_line_accounted(text: str, result) -> None:
    cards = " | ".join(_words(f"{c.deck} {c.question} {c.answer}") for c in result.cards)
    own = set()  # each card's heading, and the side and field headings below it
    lines = text.splitlines()
    for card in result.cards:
        start = int(card.source.rpartition(":")[2])
        level = len(lines[start - 1]) - len(lines[start - 1].lstrip("*"))
        own.add(start)
        for n in range(start + 1, len(lines) + 1):
            depth = len(lines[n - 1]) - len(lines[n - 1].lstrip("*")) if re.match(r"\*+ ", lines[n - 1]) else 0
            if depth and depth <= level:
                break
            if depth:
                own.add(n)
    reported = {n for p in result.problems for n in range(p.line, getattr(p, "last", p.line) + 1)}
    for number, line in enumerate(text.splitlines(), 1):
        words = _words(_MARKUP.sub(" ", line))
        if not words or _METADATA.match(line) or number in own or number in reported:
            continue
        assert words in cards, f"line {number} {line!r} is in no card, no metadata and no problem"


def test_every_line_of_the_tools_files_is_in_a_card_metadata_or_a_problem(tmp_path):
    for name, text in (("drill.org", DRILL), ("fc.org", FC), ("anki.org", ANKI)):
        _assert_every_line_accounted(text, read_file(write(tmp_path, name, text)))


def test_an_org_notes_file_with_a_few_cards_reads_as_org_not_as_raw_text(tmp_path):
    prose = "\n".join(f"Paragraph {i} explains what a cell does? It divides and grows." for i in range(12))
    text = f"#+TITLE: Notes\n* Cells\n{prose}\n** Mitosis :drill:\nWhat is mitosis?\n*** Answer\nCell division.\n"
    detection = next(i for i in iter_file(write(tmp_path, "notes.org", text), score=True) if isinstance(i, Detection))
    assert detection.layout == "org"
    scores = {s.layout: s.score for s in detection.scores}
    assert scores["org"] > scores["raw"]


def test_format_org_forces_the_layout_and_a_markdown_list_is_never_org(tmp_path):
    deck = write(tmp_path, "cards.txt", "* Latency :drill:\nLatency is [the time to the first byte].\n")
    assert read_file(deck, format="org").cards[0].question == "Latency is the time to the first byte."
    notes = write(tmp_path, "list.md", "# Shopping\n\n* eggs\n* milk :fresh:\n\n## What is a list?\nItems.\n")
    assert read_file(notes).files[0].layout == "headings"
    nothing = read_file(write(tmp_path, "plain.org", "* A heading\nSome text.\n"))
    assert not nothing.cards and "no cards found" in str(nothing.problems[-1])


def test_org_files_are_deck_files_of_a_folder(tmp_path):
    assert ".org" in DECK_SUFFIXES
    write(tmp_path, "drill.org", DRILL)
    write(tmp_path, "journal.org", "* Monday\nWent for a walk.\n")
    assert [p.name for p in deck_files(tmp_path)] == ["drill.org", "journal.org"]
    result = read_decks([tmp_path])
    assert len(result.cards) == 4 and not result.problems  # a notes file in a folder is no problem


ORGISH = st.lists(st.sampled_from(list("ab *:[]{}|@+-=~/_#\n\t\u00e9") + [
    "fc", "drill", ":END:", ":PROPERTIES:", "#+BEGIN_SRC", "#+END_SRC", ":ANKI_NOTE_TYPE: ", "** Back",
    "\n* ", "\n** "]),
    max_size=200).map("".join)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=ORGISH)
def test_arbitrary_org_like_text_only_ever_gives_cards_and_one_line_deck_errors(text):
    with tempfile.TemporaryDirectory() as folder:
        result = read_file(write(Path(folder), "deck.org", text), format="org")
    assert all(isinstance(p, DeckError) and "\n" not in str(p) for p in result.problems)
    assert not any("could not be read" in str(p) for p in result.problems), result.problems
    assert result.cards or result.problems or not text.strip()


WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=7)
PHRASE = st.lists(WORD, min_size=1, max_size=4).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cards=st.lists(st.tuples(st.sampled_from(["drill", "fc", "anki", "cloze"]), PHRASE, PHRASE, st.booleans()),
                      min_size=1, max_size=6, unique_by=lambda c: c[1]),
       data=st.data())
def test_generated_org_decks_give_every_card_and_account_for_every_line(cards, data):
    lines = ["#+TITLE: Generated"]
    for i, (kind, question, answer, stray) in enumerate(cards):
        if stray:
            lines += [f"* {data.draw(PHRASE)}", data.draw(PHRASE)]  # an outline section of notes
        if kind == "drill":
            lines += [f"* What is {question}? :drill:", "  :PROPERTIES:", f"  :ID: id-{i}", "  :END:",
                      "** Answer", f"It {answer}."]
        elif kind == "fc":
            lines += [f"* What is {question}? :fc:", ":PROPERTIES:", ":FC_TYPE: normal", ":END:", ":REVIEW_DATA:",
                      "| position | ease |", "|-+-|", "| front | 2.5 |", ":END:", "** Back", f"It {answer}."]
        elif kind == "anki":
            lines += [f"* {question}", ":PROPERTIES:", ":ANKI_NOTE_TYPE: Basic", ":END:", "** Front",
                      f"What is {question}?", "** Back", f"It {answer}."]
        else:
            lines += [f"* {question} :drill:", f"What is {question}? It [{answer}]."]
    text = "\n".join(lines) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        result = read_file(write(Path(folder), "deck.org", text))
    assert result.files[0].layout == "org"
    assert len(result.cards) == len(cards)
    assert all(isinstance(p, Outline) for p in result.problems)
    _assert_every_line_accounted(text, result)


def test_kg_build_of_an_org_deck_finds_the_concepts_its_cards_are_about(tmp_path):
    deck = write(tmp_path, "biology.org", DRILL + "\n" + FC.replace("#+TITLE: Physics\n", ""))
    workspace = tmp_path / "ws"
    result = CliRunner().invoke(cli, ["build", str(deck), "-w", str(workspace), "-q"], catch_exceptions=False)
    assert result.exit_code in (0, 3), result.output  # 3: built, with the card without a back reported
    graph = load_graph(workspace)
    labels = {d["label"].lower() for _, d in graph.nodes(data=True) if d["kind"] == "concept"}
    for concept in ("mitochondrion", "atp", "ribosome", "oxidative phosphorylation", "momentum"):
        assert concept in labels, (concept, sorted(labels))
    decks = {d["label"] for _, d in graph.nodes(data=True) if d["kind"] == "deck"}
    assert any("Cells" in name for name in decks), decks


def test_an_unclosed_block_is_text_and_the_headings_after_it_still_count(tmp_path):
    text = "* Q :drill:\nWhat does this print?\n#+BEGIN_SRC python\nprint(1)\n** Answer\nThe number one.\n"
    result = read_file(write(tmp_path, "unclosed.org", text))
    assert [(c.question, c.answer) for c in result.cards] == [("What does this print?\nprint(1)", "The number one.")]
    assert not result.problems


def test_a_drill_heading_that_asks_with_its_answer_as_body_is_one_card(tmp_path):
    text = ("#+TITLE: Networking\n\n* What is a subnet mask?   :drill:\n"
            "A 32-bit number that splits an address into network and host.\n\n"
            "* Default gateway   :drill:\n** Answer\nThe router for destinations outside the subnet.\n")
    result = read_file(write(tmp_path, "net.org", text))
    assert not result.problems
    assert [(c.question, c.answer) for c in result.cards] == [
        ("What is a subnet mask?", "A 32-bit number that splits an address into network and host."),
        ("Default gateway", "The router for destinations outside the subnet."),
    ]


def test_a_paragraph_wrapped_at_fill_column_reads_as_one_line(tmp_path, nlp):
    """Org wraps paragraphs and list items at fill-column (M-q); the export joins the lines, and so
    must the card's text, or "papal\\nauthority" is two words apart. Lists stay one item a line."""
    text = ("* Great Schism (1054)  :drill:\n"
            "The split between the Eastern and Western churches, over papal\n"
            "authority and the filioque clause.\n"
            "- seven sacraments: baptism, confirmation, anointing of the\n"
            "  sick, holy orders\n"
            "- two in most Protestant churches\n")
    (card,) = read_file(write(tmp_path, "religions.org", text)).cards
    assert card.answer == ("The split between the Eastern and Western churches, over papal authority and the "
                           "filioque clause.\n- seven sacraments: baptism, confirmation, anointing of the sick, holy "
                           "orders\n- two in most Protestant churches")
    from kg.nlp import extract

    (ext,) = extract([card], nlp=nlp)
    assert "papal authority" in {m.concept for m in ext.mentions}


def test_an_org_list_ends_at_a_line_no_deeper_than_its_bullets(tmp_path):
    path = write(tmp_path, "rome.org", "#+TITLE: Rome\n* Why did the Western Empire fall? :fc:\n** Back\n"
                 "No single cause:\n1. civil wars\n2. reliance on foederati in the army\n"
                 "Traditional end: Odoacer, AD 476.\n")
    (card,) = read_file(path).cards
    assert "army\n" in card.answer and "Traditional end" not in card.answer_html.split("</ol>")[0], card.answer_html
    # A line indented under its item carries the item on, as in Org.
    path = write(tmp_path, "wrap.org", "* Causes :fc:\n** Back\n- civil wars and\n  weak emperors\n")
    assert read_file(path).cards[0].answer == "- civil wars and weak emperors"
