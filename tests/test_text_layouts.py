"""Text decks in the layouts people write, detected by scoring every layout on the whole file, each
line accounted for, pairing readers checking themselves, and `kg inspect` saying how a file reads."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.readers import iter_file, read_decks, read_file
from kg.readers.layouts import LAYOUT_NAMES, Detection, UnknownFormat
from kg.readers.problems import CheckFailed

ROOT = Path(__file__).resolve().parents[1]


def write(path: Path, text: str, *, crlf: bool = False, bom: bool = False) -> Path:
    data = text.replace("\n", "\r\n") if crlf else text
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + data.encode("utf-8"))
    return path


def layout_of(path: Path, **options) -> str:
    return next(item for item in iter_file(path, **options) if isinstance(item, Detection)).layout


SHAPES = [
    pytest.param({"blank": False, "crlf": False, "bom": False}, id="plain"),
    pytest.param({"blank": True, "crlf": False, "bom": False}, id="blank-lines"),
    pytest.param({"blank": True, "crlf": True, "bom": False}, id="blank-lines-crlf"),
    pytest.param({"blank": False, "crlf": True, "bom": True}, id="crlf-bom"),
]


# --- the README's table: every layout, and its example reads as that layout ----------------------


def readme_examples():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z-]+)` \| .* \| `(.+)` \|$", readme, re.MULTILINE)
    # The example's lines are code spans joined by `<br>`; a pipe inside a table cell is written `\|`.
    return {name: "".join(f"{line}\n" for line in lines.split("`<br>`")).replace("<TAB>", "\t").replace("\\|", "|")
            for name, lines in rows}


def test_readme_table_lists_every_layout_with_an_example_that_reads_as_that_layout(tmp_path):
    examples = readme_examples()
    assert set(examples) == set(LAYOUT_NAMES)
    suffix = {"callouts": ".md", "headings": ".md", "logseq": ".md", "obsidian-sr": ".md", "tables": ".md"}
    for name, text in examples.items():
        deck = write(tmp_path / f"example-{name}{suffix.get(name, '.txt')}", text)
        result = read_file(deck)
        assert result.files[0].layout == name, (name, result.files)
        rows = 2 if name == "quizlet" else 1  # a Quizlet export has no title: both lines are rows
        assert len(result.cards) == rows and not result.problems, (name, result.problems)


# --- delimited: `front; back`, `front<TAB>back`, headers ----------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("separator", ["; ", "\t", ";"])
@pytest.mark.parametrize("header", [False, True])
def test_front_back_lines_give_every_card_in_every_shape(tmp_path, shape, separator, header):
    rows = [f"What is item {i}?{separator}It is thing {i}, of {i % 7} kinds." for i in range(117)]
    if separator == "\t":
        rows = [row.replace(",", "") for row in rows]
    joiner = "\n\n" if shape["blank"] else "\n"
    text = (f"front{separator.strip() or separator}back\n" if header else "") + joiner.join(rows) + "\n"
    deck = write(tmp_path / "deck.txt", text, crlf=shape["crlf"], bom=shape["bom"])
    result = read_file(deck)
    assert result.files[0].layout == "delimited"
    assert not result.problems
    assert [(c.question, c.answer) for c in result.cards] == [
        (f"What is item {i}?", f"It is thing {i}{',' if separator != chr(9) else ''} of {i % 7} kinds.")
        for i in range(117)
    ]


ANKI_HEADERS = (
    "#separator:Semicolon\n#html:false\n#tags:imported spanish\n#columns:Front;Back;Tags\n#tags column:3\n"
    "#deck:Spanish::Basics\n#notetype:Basic\n#if matches:update current\n#match scope:notetype and deck\n"
)
# The same headers as people type them: any case, spaces around keys, colons and values.
HAND_WRITTEN = (
    "# Separator : semicolon\n#HTML: False\n#tags: imported  spanish\n#Columns: Front; Back; Tags\n"
    "#tags column : 3\n#deck: Spanish::Basics\n#note type: Basic\n#if matches: update current\n"
    "#match scope: notetype and deck\n"
)
NOTES = "el perro; the dog; animals\n\nel gato; the <b>cat</b>; animals pets\n"


def test_anki_headers_read_as_anki_reads_them_and_as_people_write_them(tmp_path):
    from anki.collection import Collection

    strict = write(tmp_path / "strict.txt", ANKI_HEADERS + NOTES)
    cards = read_file(strict).cards
    assert [(c.question, c.answer, c.deck, c.tags, c.note_type) for c in cards] == [
        ("el perro", "the dog", "Spanish::Basics", ("animals", "imported", "spanish"), "Basic"),
        ("el gato", "the <b>cat</b>", "Spanish::Basics", ("animals", "pets", "imported", "spanish"), "Basic"),
    ]
    assert cards[0].fields == (("Front", "el perro"), ("Back", "the dog"))
    # Anki's own reading of the file agrees on what the headers say.
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        meta = col.get_csv_metadata(path=str(strict), delimiter=None)
    finally:
        col.close()
    assert meta.deck_name == "Spanish::Basics" and list(meta.global_tags) == ["imported", "spanish"]
    assert list(meta.column_labels) == ["Front", "Back", "Tags"] and meta.tags_column == 3
    assert not meta.is_html and [list(row.vals) for row in meta.preview][1][0] == "el gato"

    by_hand = read_file(write(tmp_path / "by-hand.txt", HAND_WRITTEN + NOTES))
    assert not by_hand.problems
    assert [(c.question, c.answer, c.deck, c.tags, c.note_type, c.fields) for c in by_hand.cards] == [
        (c.question, c.answer, c.deck, c.tags, c.note_type, c.fields) for c in cards
    ]


@pytest.mark.parametrize("written, separator", [("Tab", "\t"), ("comma", ","), ("|", "|"), ("Pipe", "|"),
                                                ("space", " "), (":", ":")])
def test_separator_header_by_name_or_character(tmp_path, written, separator):
    deck = write(tmp_path / "deck.txt", f"#separator:{written}\nfront{separator}back\nuno{separator}one\n")
    assert [(c.question, c.answer) for c in read_file(deck).cards] == [("uno", "one")]


@pytest.mark.parametrize("first", ["sep=;", '"sep=;"', "\ufeffsep=;"])
def test_a_spreadsheets_sep_line_names_the_separator_and_its_header_stays_a_header(tmp_path, first):
    # Excel reads (and spreadsheets exported for it write) a first line `sep=;`: it was a record
    # without an answer, and the header row under it read as a card 'Frage -> Antwort'.
    deck = write(tmp_path / "wortschatz.csv", f"{first}\nFrage;Antwort\nHund;dog, hound\nKatze;cat\n", crlf=True)
    result = read_file(deck)
    assert not result.problems, result.problems
    assert [(c.question, c.answer) for c in result.cards] == [("Hund", "dog, hound"), ("Katze", "cat")]


def test_vocabulary_lines_split_at_the_separator_that_comes_first(tmp_path):
    deck = write(tmp_path / "spanish.txt", "perro; dog, hound\n\ngato; cat, feline\n\npez; fish, swimmer\n")
    assert [(c.question, c.answer) for c in read_file(deck).cards] == [
        ("perro", "dog, hound"), ("gato", "cat, feline"), ("pez", "fish, swimmer")
    ]


def test_unknown_header_line_is_reported_not_dropped(tmp_path):
    deck = write(tmp_path / "deck.txt", "#separator:tab\n#colour:blue\nuno\tone\ndos\ttwo\ntres\tthree\n")
    result = read_file(deck)
    assert len(result.cards) == 3
    assert [(p.line, p.reason) for p in result.problems] == [(2, "unknown header #colour: ignored")]


@pytest.mark.parametrize("header, question, answer", [
    ("表面\t裏面", "犬", "dog"),  # Anki's own field names in Japanese
    ("Przód\tTył", "pies", "dog"),  # and in Polish
    ("Texte\tVerso Extra", "Le chien aboie", "barks"),  # a cloze note type's, in French
    ("Ön\tGeri", "köpek", "dog"),  # Basic's in Turkish, as Anki 26's library names them
    ("Mặt trước\tMặt sau", "con chó", "dog"),  # and in Vietnamese
])
def test_a_header_naming_ankis_own_fields_in_another_language_is_no_card(tmp_path, header, question, answer):
    # A spreadsheet whose columns are titled as Anki titles its fields in the user's language:
    # '表面 -> 裏面' was a card of its own.
    result = read_file(write(tmp_path / "vocab.tsv", f"{header}\n{question}\t{answer}\n猫\tcat\n"))
    assert not result.problems, result.problems
    assert [(c.question, c.answer) for c in result.cards] == [(question, answer), ("猫", "cat")]


def test_anki_notes_export_with_every_column_reads_note_for_note(tmp_path):
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        child = col.decks.id("Parent::Child")
        three = col.models.copy(col.models.by_name("Basic"))
        three["name"] = "Three fields"
        col.models.add_field(three, col.models.new_field("Extra"))
        col.models.update_dict(three)
        notes = []
        for type_name, values, deck, tags in [
            ("Basic", ["What is <b>HTTP</b>?", "A protocol;\nfor the web"], child, ["net", "web"]),
            ("Basic (and reversed card)", ["Paris", "Capital of <i>France</i>"], child, []),
            ("Cloze", ["The {{c1::mitochondria}} is the {{c2::powerhouse}}.", "biology"], 1, ["bio"]),
            ("Three fields", ["Q3", "A3", 'E3 "quoted", with, commas'], child, []),
        ]:
            note = col.new_note(col.models.by_name(type_name))
            for i, value in enumerate(values):
                note.fields[i] = value
            note.tags = tags
            col.add_note(note, deck)
            notes.append(note)
        out = tmp_path / "notes.txt"
        col.export_note_csv(out_path=str(out), limit=None, with_html=True, with_tags=True, with_deck=True,
                            with_notetype=True, with_guid=True)
        expected = []
        for note in notes:
            note.load()
            card = note.cards()[0]
            expected.append({
                "guid": note.guid, "note_type": note.note_type()["name"],
                "deck": col.decks.name(card.did), "tags": tuple(note.tags),
                "fields": tuple((f["name"], value) for f, value in zip(note.note_type()["flds"], note.fields)),
            })
    finally:
        col.close()

    result = read_file(out)
    assert not result.problems and result.files[0].layout == "delimited"
    got = [{"guid": c.guid, "note_type": c.note_type, "deck": c.deck, "tags": c.tags,
            "fields": c.fields} for c in result.cards]
    standard = expected[:3]
    assert got[:3] == standard
    # A note type Anki does not ship: its fields are named by position.
    assert got[3]["fields"] == (("Field 1", "Q3"), ("Field 2", "A3"), ("Field 3", 'E3 "quoted", with, commas'))
    http, paris, cloze, _ = result.cards
    assert (http.question, http.answer, http.question_html) == ("What is HTTP?", "A protocol;\nfor the web",
                                                                 "What is <b>HTTP</b>?")
    assert (paris.question, paris.answer) == ("Paris", "Capital of France")
    assert cloze.question == "The mitochondria is the powerhouse." and cloze.answer == "biology"
    assert "{{c1::mitochondria}}" in cloze.question_html


# --- Q:/A: pairs ----------------------------------------------------------------------------


def test_q_and_a_in_parentheses_pair_and_multiple_choice_options_stay_the_questions(tmp_path):
    # `Q)` / `A)` pairs were 'no cards found'. `A)` alone is a multiple-choice option as often:
    # options under a `Q)` with an `Answer:` line are the question's, without one they are reported.
    deck = write(tmp_path / "net.txt", "Q) What is TCP?\nA) A reliable, ordered stream protocol.\n\n"
                                       "Q) Which port does HTTPS use?\nA) 443\n\n"
                                       "Q) Which is a transport protocol?\nA) IP\nB) UDP\nC) Ethernet\nAnswer: B\n\n"
                                       "Q) Which layer routes packets?\nA) Network\nB) Link\n")
    result = read_file(deck)
    assert result.files[0].layout == "qa"
    assert [(c.question, c.answer) for c in result.cards] == [
        ("What is TCP?", "A reliable, ordered stream protocol."),
        ("Which port does HTTPS use?", "443"),
        ("Which is a transport protocol?\nA) IP\nB) UDP\nC) Ethernet", "B"),
        ("Which layer routes packets?", "Network\nB) Link"),
    ]
    assert [(p.line, p.reason.split(" with ")[0]) for p in result.problems] == [
        (14, "`A)` and `B)` look like a question's multiple-choice options")]
    # Without `Q)` questions, `A)` answers nothing: the options are the question's lines.
    quiz = write(tmp_path / "quiz.txt", "Q: Which is a transport protocol?\nA) IP\nB) UDP\nA: B\n")
    (card,) = read_file(quiz).cards
    assert (card.question, card.answer) == ("Which is a transport protocol?\nA) IP\nB) UDP", "B")


def test_q_and_a_pairs_in_an_obsidian_note_take_the_spaced_repetition_deck_tag_as_their_deck(tmp_path):
    # A note tagged for the Spaced Repetition plugin, its cards written as Q:/A: pairs: the deck was
    # the file's name ('Cells'), the tag line's text ('flashcards/bio/genetics') or the heading's
    # with its tag ('Genetics #flashcards/bio'). The plugin decks by the tag.
    front = write(tmp_path / "cells.md", "---\ntags: [flashcards/bio, exam]\n---\n\n# Cells\n\n"
                                         "Q: What is ATP?\nA: The energy currency.\n\nQ: What is DNA?\nA: The molecule of heredity.\n")
    line = write(tmp_path / "genes.md", "#flashcards/bio/genetics\n\nQ: What is an allele?\nA: One form of a gene.\n")
    heading = write(tmp_path / "mendel.md", "# Genetics #flashcards/bio\n\nQ: What is a locus?\nA: A gene's place.\n\n"
                                            "## Crosses\n\nQ: What is a test cross?\nA: A cross with a recessive homozygote.\n")
    bare = write(tmp_path / "misc.md", "#flashcards\n\nQ: What is a cell?\nA: The unit of life.\n")
    result = read_decks([front, line, heading, bare])
    assert not result.problems, result.problems
    assert [f.layout for f in result.files] == ["qa"] * 4
    assert [(c.deck, c.question, c.tags) for c in result.cards] == [
        ("bio", "What is ATP?", ("exam",)), ("bio", "What is DNA?", ("exam",)),
        ("bio::genetics", "What is an allele?", ()),
        ("bio", "What is a locus?", ()), ("bio::Crosses", "What is a test cross?", ()),
        ("Misc", "What is a cell?", ()),
    ]


def test_supermemos_multi_line_sides_and_multiple_choice_tests_read_as_one_card_each(tmp_path):
    # SuperMemo's Q&A text writes a `Q:` / `A:` on each line of a longer side, and a test's wrong
    # answers as `a1:`, `a2:` (SuperMemopedia, "Data formats and exchange"). The first question
    # line was 'question without an answer', each further answer line 'answer without a question'.
    deck = write(tmp_path / "geo.txt", "Q: What countries can be found\nQ: at Tanzania's northern border?\n"
                                       "A: Uganda (west)\nA: Kenya (east)\n\n"
                                       "q: What country borders with Nigeria?\na: Niger\na1: Tanzania\na2: Mozambique\n\n"
                                       "Q: What is the capital of Peru?\nQ: What is the capital of Chile?\nA: Santiago\n\n"
                                       "Q1: What is the capital of Slovakia?\nA1: Bratislava\n")
    result = read_file(deck)
    assert result.files[0].layout == "qa"
    assert [(c.question, c.answer) for c in result.cards] == [
        ("What countries can be found\nat Tanzania's northern border?", "Uganda (west)\nKenya (east)"),
        ("What country borders with Nigeria?\n\n- Mozambique\n- Niger\n- Tanzania", "Niger"),
        ("What is the capital of Chile?", "Santiago"),
        ("What is the capital of Slovakia?", "Bratislava"),
    ]
    # A `Q:` line after one that asks is a question of its own, still reported without its answer.
    assert [(p.line, p.reason) for p in result.problems] == [(11, "question without an answer ignored")]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("numbered", [True, False])
def test_supermemo_pairs_give_every_card(tmp_path, shape, numbered):
    pairs = [(f"What is concept {i}?", f"Concept {i} is the {i}th idea.") for i in range(1, 906)]
    number = (lambda i: f"{i} ") if numbered else (lambda i: "")
    joiner = "\n\n" if shape["blank"] else "\n"
    text = joiner.join(f"{number(i)}Q: {q}\n{number(i)}A: {a}" for i, (q, a) in enumerate(pairs, 1)) + "\n"
    result = read_file(write(tmp_path / "supermemo.txt", text, crlf=shape["crlf"], bom=shape["bom"]))
    assert result.files[0].layout == "qa"
    assert not result.problems
    assert [(c.question, c.answer) for c in result.cards] == pairs


def test_pairing_that_is_off_is_reported_with_file_and_line(tmp_path):
    deck = write(tmp_path / "off.txt", (
        "1 Q: What is one?\n1 A: One.\n"
        "2 Q: What is two?\n3 A: Three, answering two.\n"
        "3 Q: What is three?\n3 A: Three. 4 Q: What is four?\n"
        "5 Q: What has no answer?\n"
        "6 Q: What is six?\n6 A: Six.\n"
        "6 A: A second answer.\n"
    ))
    result = read_file(deck)
    assert result.files[0].layout == "qa"
    assert [c.question for c in result.cards] == ["What is one?", "What is two?", "What is three?", "What is six?"]
    assert [(p.line, p.reason) for p in result.problems] == [
        (4, "answer 3 follows question 2; the pairing may be off"),
        (6, "answer holds a question marker; a question may be merged into it"),
        (7, "question without an answer ignored"),
        (10, "answer without a question ignored"),
    ]
    assert all(str(p).startswith(f"{deck}:{p.line}: ") for p in result.problems)


@pytest.mark.parametrize("name, text", [
    ("front-back.txt", "Front: What is TCP?\nBack: A reliable stream protocol.\n\nFront: What is UDP?\nBack: A datagram protocol.\n"),
    ("chatbot.md", "**Front:** What is TCP?\n**Back:** A reliable stream protocol.\n\n"
                   "**Front:** What is UDP?\n**Back:** A datagram protocol.\n"),
    ("glossary.txt", "Term: What is TCP?\nDefinition: A reliable stream protocol.\n\n"
                     "Term: What is UDP? Definition: A datagram protocol.\n"),
])
def test_front_back_and_term_definition_labels_are_pairs_not_words_of_the_card(tmp_path, name, text):
    # Flashcards as a chatbot writes them when asked for some: 'Front: What is TCP?' was the
    # question and 'Back: A reliable ...' the answer (raw text), and Term/Definition no cards at all.
    result = read_file(write(tmp_path / name, text))
    assert result.files[0].layout == "qa" and not result.problems, result.problems
    assert [(c.question, c.answer) for c in result.cards] == [
        ("What is TCP?", "A reliable stream protocol."), ("What is UDP?", "A datagram protocol.")]


def test_a_chatbots_card_numbers_and_preamble_are_no_words_or_deck_of_its_cards(tmp_path):
    # '**Card 2**' was read into card 1's answer, '### Card 3' made a deck 'Chatbot::Card 3'; the
    # preamble, a line ending in a colon, is reported, not taken for the deck's title.
    deck = write(tmp_path / "networking.md", (
        "Here are some flashcards on networking:\n\n**Card 1**\nFront: What is TCP?\nBack: A reliable stream protocol.\n\n"
        "**Card 2**\nFront: What is UDP?\nBack: A datagram protocol.\n\n### Card 3\n**Front:** What is IP?\n"
        "**Back:** The addressing layer.\n"
    ))
    result = read_file(deck)
    assert [(c.deck, c.question, c.answer) for c in result.cards] == [
        ("Networking", "What is TCP?", "A reliable stream protocol."), ("Networking", "What is UDP?", "A datagram protocol."),
        ("Networking", "What is IP?", "The addressing layer.")]
    assert [(p.line, p.reason) for p in result.problems] == [(1, "text before the first question ignored")]


def test_markdown_pairs_keep_the_authors_markup_as_html(tmp_path):
    deck = write(tmp_path / "marked.md", (
        "# Biology\n\nQ: What is the **powerhouse** of the cell?\n"
        "A: The ==mitochondria==:\n- makes ATP\n- has its own DNA\n\n"
        "Q: Complete: the {{c1::nucleus}} holds the DNA.\nA: nucleus\n"
    ))
    first, second = read_file(deck).cards
    assert first.question == "What is the powerhouse of the cell?"
    assert "<strong>powerhouse</strong>" in first.question_html
    assert "<mark>mitochondria</mark>" in first.answer_html and "<li>makes ATP</li>" in first.answer_html
    assert "mitochondria" in first.answer and "==" not in first.answer
    assert second.question == "Complete: the nucleus holds the DNA."
    assert "{{c1::nucleus}}" in second.question_html



@pytest.mark.parametrize("question, answer", [
    ("Q: What does revert do?", "A: **revert** makes a new commit that undoes one."),
    ("**Q:** What does revert do?", "**A:** **revert** makes a new commit that undoes one."),
    ("**Q**: What does revert do?", "**A**: **revert** makes a new commit that undoes one."),
])
def test_bold_at_the_start_of_a_pair_stays_bold_whatever_the_marker(tmp_path, question, answer):
    card, = read_file(write(tmp_path / "git.md", f"{question}\n{answer}\n")).cards
    assert card.question == "What does revert do?"
    assert card.answer == "revert makes a new commit that undoes one."
    assert card.answer_html.startswith("<p><strong>revert</strong> makes")

# --- Quizlet, Obsidian Spaced Repetition, Logseq -----------------------------------------------


@pytest.mark.parametrize("term, row", [(" - ", "\n"), (",", ";"), ("\t", ";"), ("\t", "\n\n"), (" = ", "|"),
                                       (": ", "\n")])
def test_quizlet_exports_with_custom_separators(tmp_path, term, row):
    pairs = [(f"term {w}", f"the meaning of {w}") for w in ["alpha", "beta", "gamma", "delta", "epsilon"]]
    if row == "\n\n":
        pairs[1] = ("term beta", "the meaning of beta\nover two lines")
    text = row.join(f"{t}{term}{d}" for t, d in pairs) + row
    result = read_file(write(tmp_path / "quizlet.txt", text))
    assert result.files[0].layout in ("quizlet", "delimited")
    assert not result.problems
    assert [(c.question, c.answer) for c in result.cards] == pairs


@pytest.mark.parametrize("term", [" - ", " = ", " : "])
def test_a_quizlet_definition_over_lines_in_a_new_line_export_stays_its_definition(tmp_path, term):
    # Quizlet writes a definition's line breaks as they are, also when rows are split by new lines:
    # the definition's second line was 'record without a term and a definition ignored'.
    deck = write(tmp_path / "biology.txt", f"ATP{term}Energy currency\nof the cell\nDNA{term}The molecule of heredity\n\n"
                                           f"RNA{term}A messenger\nmolecule, single-stranded\n")
    result = read_file(deck)
    assert result.files[0].layout == "quizlet" and not result.problems, result.problems
    assert [(c.question, c.answer) for c in result.cards] == [
        ("ATP", "Energy currency\nof the cell"), ("DNA", "The molecule of heredity"),
        ("RNA", "A messenger\nmolecule, single-stranded")]


def test_obsidian_spaced_repetition_cards(tmp_path):
    deck = write(tmp_path / "networking.md", (
        "---\ntags: [flashcards/networking/basics, reading]\n---\n"
        "# Networking\n\n"
        "What is latency?::Time to the first byte <!--SR:!2024-03-01,3,250-->\n"
        "TCP:::Transmission Control Protocol\n"
        "What is ping? #flashcards/tools::A tool that measures round trips\n\n"
        "Explain the three-way handshake\nin TCP\n?\nSYN, then SYN-ACK,\nthen ACK.\n"
        "<!--SR:!2024-03-02,4,270-->\n\n"
        "UDP\n??\nUser Datagram Protocol\n\n"
        "The ==OSI model== has ==seven== layers.\n"
    ))
    result = read_file(deck)
    assert result.files[0].layout == "obsidian-sr" and not result.problems
    cards = [(c.deck, c.question, c.answer) for c in result.cards]
    assert cards == [
        ("networking::basics", "What is latency?", "Time to the first byte"),
        ("networking::basics", "TCP", "Transmission Control Protocol"),
        ("tools", "What is ping?", "A tool that measures round trips"),
        ("networking::basics", "Explain the three-way handshake\nin TCP", "SYN, then SYN-ACK,\nthen ACK."),
        ("networking::basics", "UDP", "User Datagram Protocol"),
        ("networking::basics", "The OSI model has seven layers.", "The OSI model has seven layers."),
    ]
    assert result.cards[-1].question_html.count("<mark>") == 2
    assert all("SR:" not in c.answer for c in result.cards)
    assert result.cards[0].tags == ("reading",)


def test_an_obsidian_deck_tag_names_the_deck_of_the_cards_after_it_up_to_the_next(tmp_path):
    # The plugin's documented example: a tag pertains to the cards after it until another tag; one
    # at the start of a card's line is that card's only.
    deck = write(tmp_path / "trivia.md", (
        "#flashcards/deckA\nQuestion1 (in deckA)::Answer1\nQuestion2 (also in deckA)::Answer2\n\n"
        "#flashcards/deckB\nQuestion4 (in deckB)::Answer4\n\n"
        "#flashcards/deckC Question6 (in deckC)::Answer6\n\nQuestion7 (still in deckB)::Answer7\n\n"
        "## Later #flashcards/deckD\n\nQuestion8 (in deckD)::Answer8\n"
    ))
    result = read_file(deck)
    assert result.files[0].layout == "obsidian-sr" and not result.problems, result.problems
    assert [c.deck for c in result.cards] == ["deckA", "deckA", "deckB", "deckC", "deckB", "deckD"]


def test_obsidian_comments_are_no_words_of_a_card_and_a_card_written_in_one_is_read(tmp_path):
    # `%%...%%` is hidden wherever Obsidian shows the note (the plugin's users write cards inside one
    # to keep them out of the reading view): 'Energy currency %%check this%%' was the answer, and
    # '%%What is ADP?' the question; code keeps its `%%`.
    deck = write(tmp_path / "cells.md", (
        "#flashcards/bio\n\nWhat is ATP?::Energy currency %%check this%%\n\n%%What is ADP?::ATP less a phosphate%%\n\n"
        "How does C print a percent sign?::`printf(\"%%\")`\n"
    ))
    result = read_file(deck)
    assert not result.problems, result.problems
    assert [(c.question, c.answer) for c in result.cards] == [
        ("What is ATP?", "Energy currency"), ("What is ADP?", "ATP less a phosphate"),
        ("How does C print a percent sign?", '`printf("%%")`')]


def test_a_note_tagged_with_a_bare_flashcards_tag_keeps_its_file_name_as_deck(tmp_path):
    # The plugin's own first example: a note whose first line is `#flashcards`. Its cards had the
    # deck "" (a card in no deck at all); the note's name is the deck, as with the tag in front matter.
    write(tmp_path / "cells.md", "#flashcards\n\nWhat is ATP::Adenosine triphosphate\n\n"
                                 "What is a ribosome?\n?\nThe cell's protein factory\n")
    write(tmp_path / "genes.md", "---\ntags: flashcards\n---\n\nWhat is DNA::Deoxyribonucleic acid\n")
    result = read_decks([tmp_path])
    assert not result.problems, result.problems
    assert [(c.deck, c.question) for c in result.cards] == [
        ("Cells", "What is ATP"), ("Cells", "What is a ribosome?"), ("Genes", "What is DNA")]


def test_obsidian_anki_like_clozes_are_cloze_cards_not_split_at_their_colons(tmp_path):
    # The plugin's Anki-like cloze pattern `{{[123::]answer[::hint]}}` (and Anki's `{{c1::…}}`) holds
    # the `::` of a one-line card: the cloze is the card, never "The {{1" answered by "mitochondria}}…".
    deck = write(tmp_path / "cells.md", (
        "#flashcards/biology\n\n"
        "The {{1::mitochondria::organelle}} is the powerhouse of the {{2::cell}}.\n\n"
        "The {{c1::Golgi apparatus}}\npackages proteins for {{c2::secretion}}.\n\n"
        "What is osmosis?::Diffusion of water through a membrane\n\n"
        "Brazilians speak {{Portuguese::language}}\n"
    ))
    result = read_file(deck)
    assert result.files[0].layout == "obsidian-sr"
    assert [(c.question, c.answer) for c in result.cards] == [
        ("The mitochondria is the powerhouse of the cell.", "The mitochondria is the powerhouse of the cell."),
        ("The Golgi apparatus\npackages proteins for secretion.",
         "The Golgi apparatus\npackages proteins for secretion."),
        ("What is osmosis?", "Diffusion of water through a membrane"),
    ]
    assert "{{c1::mitochondria::organelle}}" in result.cards[0].question_html
    assert {c.deck for c in result.cards} == {"biology"}
    # An unnumbered `{{…}}` may be template syntax: reported, not a card, and not split either.
    assert [(p.line, p.reason) for p in result.problems] == [(10, "text in no card ignored")]


def test_obsidian_cards_follow_the_separators_and_deck_tags_set_in_the_vault(tmp_path):
    # The plugin's settings, as it saves them in the vault: Anki-like clozes need another one-line
    # separator than `::`, and the deck tags are the user's own.
    plugin = tmp_path / "vault" / ".obsidian" / "plugins" / "obsidian-spaced-repetition"
    plugin.mkdir(parents=True)
    (plugin / "data.json").write_text(json.dumps({"settings": {
        "flashcardTags": ["#flashcards", "#course"], "singleLineCardSeparator": ";;",
        "singleLineReversedCardSeparator": ";;;", "multilineCardSeparator": "%%",
        "multilineReversedCardSeparator": "%%%"}}), encoding="utf-8")
    (tmp_path / "vault" / "AWS").mkdir()
    deck = write(tmp_path / "vault" / "AWS" / "dynamodb.md", (
        "#course/aws/dynamo-db\n\n"
        "What are the two kinds of primary key;;Partition keys and composite keys\n"
        "RCU;;;Read capacity unit\n\n"
        "What causes throttling\n%%\nA hot partition key\n\n"
        "A composite key is a partition key plus a {{1::sort key::key}}\n"
    ))
    result = read_file(deck)
    assert result.files[0].layout == "obsidian-sr" and not result.problems, result.problems
    assert [(c.deck, c.question, c.answer) for c in result.cards] == [
        ("aws::dynamo-db", "What are the two kinds of primary key", "Partition keys and composite keys"),
        ("aws::dynamo-db", "RCU", "Read capacity unit"),
        ("aws::dynamo-db", "What causes throttling", "A hot partition key"),
        ("aws::dynamo-db", "A composite key is a partition key plus a sort key",
         "A composite key is a partition key plus a sort key"),
    ]
    # The same note outside the vault reads with the plugin's defaults: no card splits at `;;`.
    outside = write(tmp_path / "dynamodb.md", deck.read_text(encoding="utf-8"))
    assert "What are the two kinds of primary key" not in [c.question for c in read_file(outside).cards]


def test_a_vault_that_makes_its_folders_decks_puts_a_notes_cards_in_its_folders_deck(tmp_path):
    plugin = tmp_path / ".obsidian" / "plugins" / "obsidian-spaced-repetition"
    plugin.mkdir(parents=True)
    (plugin / "data.json").write_text(json.dumps({"settings": {"convertFoldersToDecks": True}}), encoding="utf-8")
    (tmp_path / "Biology" / "Cells").mkdir(parents=True)
    card = "#flashcards/elsewhere\nWhat makes ATP?::The mitochondria\n"
    in_folder = write(tmp_path / "Biology" / "Cells" / "organelles.md", card)
    at_root = write(tmp_path / "inbox.md", card)
    assert [c.deck for c in read_file(in_folder).cards] == ["Biology::Cells"]
    assert [c.deck for c in read_file(at_root).cards] == ["elsewhere"]  # no folder: its tag


def test_an_end_marker_set_in_the_vault_keeps_a_multi_line_answers_blank_lines(tmp_path):
    # The plugin's documented way to put a table in an answer: an end marker (`+++`) ends the card.
    plugin = tmp_path / ".obsidian" / "plugins" / "obsidian-spaced-repetition"
    plugin.mkdir(parents=True)
    (plugin / "data.json").write_text(json.dumps({"settings": {"multilineCardEndMarker": "+++"}}), encoding="utf-8")
    deck = write(tmp_path / "indexes.md", (
        "#flashcards/databases\n\nCompare the index kinds\n?\n\n| kind | use |\n|---|---|\n| hash | equality |\n"
        "| b-tree | ranges |\n\nBoth speed up reads.\n+++\n\nWhat is a WAL?::A write-ahead log\n"
    ))
    result = read_file(deck)
    assert result.files[0].layout == "obsidian-sr" and not result.problems, result.problems
    table, wal = result.cards
    assert table.question == "Compare the index kinds"
    assert table.answer.endswith("Both speed up reads.") and "b-tree | ranges" in table.answer
    assert "<table>" in table.answer_html and "+++" not in table.answer
    assert (wal.question, wal.answer) == ("What is a WAL?", "A write-ahead log")


def test_a_paragraph_opening_with_a_lone_question_mark_is_reported_not_a_crash(tmp_path):
    # A blank line between a question and its `?`: the file used to be unreadable (IndexError while
    # the Spaced Repetition layout was scored), whatever layout it was in.
    deck = write(tmp_path / "latency.md", "What is latency?::Time to the first byte\nWhat is RTT?::A round trip\n"
                                          "What is TTL?::Time to live\n\nWhat is jitter?\n\n?\nVariation in latency\n")
    result = read_file(deck)
    assert result.files[0].layout == "obsidian-sr"
    assert [c.question for c in result.cards] == ["What is latency?", "What is RTT?", "What is TTL?"]
    assert [(p.line, p.reason) for p in result.problems] == [
        (5, "text in no card ignored"), (7, "text in no card ignored")]


def test_details_sections_are_cards_whether_the_summary_asks_or_labels_the_answer(tmp_path):
    # The two ways question lists on GitHub fold their answers: a summary that asks, and (as the
    # 'javascript-questions' list writes them) a heading that asks, a snippet and options under it,
    # then `<details><summary><b>Answer</b></summary>`. The first file was 'no cards found'.
    asked = write(tmp_path / "interview.md", (
        "# Interview questions\n\n<details>\n<summary>What is a closure?</summary>\n\n"
        "A function that keeps the variables of its enclosing scope.\n\n</details>\n\n"
        "<details><summary>What is the event loop?</summary>It runs queued callbacks.</details>\n"
    ))
    labelled = write(tmp_path / "quiz.md", (
        "# JavaScript Questions\n\n---\n\n###### 1. What's the output?\n\n```javascript\nconsole.log(typeof null);\n```\n\n"
        "- A: `null`\n- B: `object`\n\n<details><summary><b>Answer</b></summary>\n<p>\n\n#### Answer: B\n\n"
        "`typeof null` is `\"object\"`, a bug kept for compatibility.\n\n</p>\n</details>\n\n---\n\n"
        "Thanks for reading!\n"
    ))
    result = read_decks([asked, labelled])
    assert [f.layout for f in result.files] == ["details", "details"]
    assert [(c.deck, c.question, c.answer) for c in result.cards] == [
        ("Interview questions", "What is a closure?", "A function that keeps the variables of its enclosing scope."),
        ("Interview questions", "What is the event loop?", "It runs queued callbacks."),
        ("JavaScript Questions", "1. What's the output?\n\nconsole.log(typeof null);\n\n- A: `null`\n- B: `object`",
         'Answer: B\n\n`typeof null` is `"object"`, a bug kept for compatibility.'),
    ]
    assert [(p.line, p.reason) for p in result.problems] == [(26, "text outside any card ignored")]


def test_details_sections_indented_or_opened_and_a_label_under_no_question(tmp_path):
    # `<details open>` with its summary over lines, one indented (inside a list's flow): the indented
    # one was text outside any card. A 'Click to expand' section under the file's title asks nothing.
    deck = write(tmp_path / "js.md", (
        "# JS\n\n<details open>\n  <summary>\n    What is a closure?\n  </summary>\n\n  A function with its scope.\n"
        "</details>\n\n  <details><summary><strong>What is hoisting?</strong></summary>\n\n  Declarations move up.\n\n"
        "  </details>\n\n<details>\n<summary>Click to expand</summary>\n\nSome notes.\n</details>\n"
    ))
    result = read_file(deck)
    assert [(c.deck, c.question, c.answer) for c in result.cards] == [
        ("JS", "What is a closure?", "A function with its scope."), ("JS", "What is hoisting?", "Declarations move up.")]
    assert [(p.line, p.reason) for p in result.problems] == [
        (17, "<details> section labelled 'Click to expand' under no heading that asks; ignored")]


def test_sections_of_a_question_list_or_a_heading_deck_are_sub_decks(tmp_path):
    # A GitHub question list under `##` sections, some questions folded under a summary that asks,
    # one a `###` heading over an 'Answer' label: every card was in the title's deck. A heading deck
    # whose `#` headings are its sections put the second section's cards in the first one's deck.
    questions = write(tmp_path / "README.md", (
        "# Interview questions\n\nClick a question to see its answer.\n\n## Networking\n\n"
        "<details>\n<summary>What is TCP?</summary>\n\nA reliable transport protocol.\n\n</details>\n\n"
        "### What does UDP give up?\n\n<details>\n<summary>Answer</summary>\n\nOrdering and retransmission.\n\n</details>\n\n"
        "## Databases\n\n<details><summary>What is SQL?</summary>A query language.</details>\n"
    ))
    headings = write(tmp_path / "systems.md", (
        "# Networking\n\n## What is TCP?\n\nA reliable transport protocol.\n\n"
        "# Databases\n\n## What is SQL?\n\nA query language.\n\n### What is an index?\n\nA sorted lookup structure.\n"
    ))
    titled = write(tmp_path / "titled.md", (
        "# Systems questions\n\n## Networking\n\n### What is TCP?\n\nA reliable transport protocol.\n\n"
        "## Databases\n\n### What is SQL?\n\nA query language.\n"
    ))
    result = read_decks([questions, headings, titled])
    assert [f.layout for f in result.files] == ["details", "headings", "headings"]
    assert [(c.deck, c.question) for c in result.cards] == [
        ("Interview questions::Networking", "What is TCP?"),
        ("Interview questions::Networking", "What does UDP give up?"),
        ("Interview questions::Databases", "What is SQL?"),
        ("Systems::Networking", "What is TCP?"),
        ("Systems::Databases", "What is SQL?"),
        ("Systems questions::Networking", "What is TCP?"),
        ("Systems questions::Databases", "What is SQL?"),
    ]
    assert result.cards[4].answer == "A query language.\n\nWhat is an index?\n\nA sorted lookup structure."
    assert [(p.line, p.reason) for p in result.problems] == [(3, "text outside any card ignored")]


def test_a_closing_title_heading_holding_no_cards_leaves_the_first_the_decks_name(tmp_path):
    # A last '# References' holds no question: the first '# ' heading still names the deck (not
    # 'Networking::Networking basics', the file's name over a section).
    deck = write(tmp_path / "networking.md", (
        "# Networking basics\n\n## What is TCP?\n\nA reliable transport protocol.\n\n"
        "# References\n\n- RFC 793\n"
    ))
    result = read_file(deck)
    assert [(c.deck, c.question) for c in result.cards] == [("Networking basics", "What is TCP?")]
    assert [(p.line, p.reason) for p in result.problems] == [(9, "text outside any card ignored")]


def test_details_sections_written_as_list_items_are_cards(tmp_path):
    # `- <details>` and `1. <details>` items: two of the three were 'list item without an answer'.
    deck = write(tmp_path / "python.md", (
        "# Python questions\n\n"
        "- <details><summary>What is a list comprehension?</summary>A compact way to build a list.</details>\n"
        "- <details><summary>What is a generator?</summary>\n\n  A function that yields values lazily.\n\n  </details>\n"
        "1. <details>\n   <summary>What is the GIL?</summary>\n\n   A lock letting one thread run bytecode at a time.\n"
        "   </details>\n"
    ))
    result = read_file(deck)
    assert result.files[0].layout == "details" and not result.problems
    assert [(c.deck, c.question, c.answer) for c in result.cards] == [
        ("Python questions", "What is a list comprehension?", "A compact way to build a list."),
        ("Python questions", "What is a generator?", "A function that yields values lazily."),
        ("Python questions", "What is the GIL?", "A lock letting one thread run bytecode at a time."),
    ]


def test_callout_cards_under_section_headings_go_to_sub_decks_and_a_heading_ends_the_card(tmp_path):
    # An Obsidian note of callout cards in '##' sections: every card was in the title's deck, and a
    # section heading right after a card (no '---' between) was read into that card's answer.
    deck = write(tmp_path / "databases.md", (
        "---\ntags: [databases]\n---\n\n# Relational databases\n\n## The relational model\n\n"
        "> [!question]\n> What is a primary key?\n\n> [!answer]-\n> A column that identifies each row.\n\n"
        "<!-- guid: rdb-01 -->\n\n---\n\n> [!question] Foreign key\n\n> [!answer]-\n> A column naming another "
        "table's primary key.\n\n## Normalisation\n\nWhy each form matters.\n\n"
        "> [!question]\n> Why normalise?\n\n> [!answer]-\n> To store each fact once.\n"
    ))
    result = read_file(deck)
    assert result.files[0].layout == "callouts"
    assert [(c.deck, c.question, c.answer, c.tags) for c in result.cards] == [
        ("Relational databases::The relational model", "What is a primary key?", "A column that identifies each row.",
         ("databases",)),
        ("Relational databases::The relational model", "Foreign key", "A column naming another table's primary key.",
         ("databases",)),
        ("Relational databases::Normalisation", "Why normalise?", "To store each fact once.", ("databases",)),
    ]
    assert [(p.line, p.reason) for p in result.problems] == [(26, "text outside any card ignored")]


def test_a_folded_answer_under_a_numbered_or_bold_question_answers_it(tmp_path):
    # Question lists that ask in a numbered item or a bold line, not a heading, over
    # `<details><summary>Answer</summary>`: the first file was 'no cards found', and under a section
    # heading the section's name was asked with the question.
    numbered = write(tmp_path / "javascript.md", (
        "# JavaScript interview questions\n\n1. What is a closure?\n\n"
        "<details>\n<summary>Answer</summary>\n\nA function bundled with its lexical scope.\n\n</details>\n\n"
        "2. What is hoisting?\n\n<details><summary>Show answer</summary>Declarations move to the top of their scope."
        "</details>\n"
    ))
    sectioned = write(tmp_path / "interview.md", (
        "# Interview questions\n\n## JavaScript\n\nQuestions on the language itself.\n\n1. What does this print?\n\n"
        "```js\nconsole.log(typeof null);\n```\n\n<details><summary>Answer</summary>\n\n`object`\n\n</details>\n\n"
        "## Networking\n\n**What is TCP?**\n\n<details>\n<summary>Answer</summary>\n\nA reliable transport protocol.\n\n"
        "</details>\n\n### What are the layers of the OSI model?\n\n1. Physical\n2. Data link\n\n"
        "<details><summary>Answer</summary>Seven, from physical to application.</details>\n\n"
        "Some closing remark.\n\n<details><summary>Click to expand</summary>More notes.</details>\n"
    ))
    bold = write(tmp_path / "quiz.md", (
        "# Quiz\n\n**Q1.** What does `len(\"abc\")` return?\n\n<details>\n  <summary>Solution</summary>\n\n  `3`\n"
        "</details>\n\n**Q2.** Which keyword defines a function?\n\n<details><summary>Reveal answer</summary>def"
        "</details>\n"
    ))
    # (read as raw text, its answers the <details> tags)
    assert [(c.question, c.answer) for c in read_file(bold).cards] == [
        ('Q1. What does `len("abc")` return?', "`3`"), ("Q2. Which keyword defines a function?", "def")]
    result = read_decks([numbered, sectioned])
    assert [f.layout for f in result.files] == ["details", "details"]
    assert [(c.deck, c.question, c.answer) for c in result.cards] == [
        ("JavaScript interview questions", "1. What is a closure?", "A function bundled with its lexical scope."),
        ("JavaScript interview questions", "2. What is hoisting?", "Declarations move to the top of their scope."),
        ("Interview questions::JavaScript", "1. What does this print?\n\nconsole.log(typeof null);", "`object`"),
        ("Interview questions::Networking", "What is TCP?", "A reliable transport protocol."),
        ("Interview questions::Networking", "What are the layers of the OSI model?\n\n1. Physical\n2. Data link",
         "Seven, from physical to application."),
    ]
    assert [(p.line, p.reason) for p in result.problems] == [
        (5, "text outside any card ignored"), (37, "text outside any card ignored"),
        (39, "<details> section labelled 'Click to expand' under no heading that asks; ignored")]


def test_logseq_card_blocks(tmp_path):
    deck = write(tmp_path / "biology.md", (
        "title:: Cell biology\n"
        "- What is ATP? #card\n"
        "  id:: 64a1f2c3-0000-4000-8000-000000000001\n"
        "  card-last-interval:: 4\n"
        "\t- Adenosine **triphosphate**\n"
        "- Name the parts of a cell #card\n"
        "\t- nucleus\n"
        "\t- membrane\n"
        "\t\t- made of lipids\n"
        "- The {{cloze mitochondria}} makes ATP #card\n"
    ))
    result = read_file(deck)
    assert result.files[0].layout == "logseq" and not result.problems
    atp, parts, cloze = result.cards
    assert {c.deck for c in result.cards} == {"Cell biology"}
    assert (atp.question, atp.answer) == ("What is ATP?", "Adenosine triphosphate")
    assert "<strong>triphosphate</strong>" in atp.answer_html
    assert parts.answer.splitlines() == ["- nucleus", "- membrane", "  - made of lipids"]
    assert cloze.question == "The mitochondria makes ATP" and "{{c1::mitochondria}}" in cloze.question_html


def test_a_logseq_block_referring_to_the_card_page_is_a_card_however_the_reference_is_written(tmp_path):
    # Logseq makes a card of every block that refers to the page "card": #card, #[[card]], [[card]].
    deck = write(tmp_path / "networking.md", (
        "- What is latency? #card\n\t- Time to the first byte\n"
        "- What is jitter? #[[card]]\n\t- Variation in latency\n"
        "- [[card]] What is packet loss?\n\t- Packets that never arrive\n"
        "- What is a [[cardinality]] estimate?\n\t- A guess at a count\n"
    ))
    result = read_file(deck)
    assert result.files[0].layout == "logseq"
    assert [(c.question, c.answer) for c in result.cards] == [
        ("What is latency?", "Time to the first byte"),
        ("What is jitter?", "Variation in latency"),
        ("What is packet loss?", "Packets that never arrive"),
    ]
    assert [(p.line, p.reason) for p in result.problems] == [(7, "block without #card ignored")]


def test_a_logseq_pages_namespaces_are_the_levels_of_its_deck(tmp_path):
    # Logseq writes the page `Biology/Cells` as `pages/Biology___Cells.md` (older graphs `%2F`).
    pages = tmp_path / "pages"
    pages.mkdir()
    card = "- What makes ATP? #card\n\t- The mitochondria\n"
    write(pages / "Biology___Cells.md", card)
    write(pages / "Chemistry%2FAcids.md", card.replace("ATP", "protons"))
    write(pages / "notes.md", "title:: Physics/Optics\n" + card.replace("ATP", "light"))
    decks = {c.source.rpartition("/")[2].split(":")[0]: c.deck for c in read_decks([pages]).cards}
    assert decks == {"Biology___Cells.md": "Biology::Cells", "Chemistry%2FAcids.md": "Chemistry::Acids",
                     "notes.md": "Physics::Optics"}


def test_logseq_blocks_without_card_tag_are_reported(tmp_path):
    deck = write(tmp_path / "journal.md", "- What is DNS? #card\n  - Names to addresses\n- a note\n  - its child\n")
    result = read_file(deck)
    assert len(result.cards) == 1
    assert [(p.line, p.last, p.reason) for p in result.problems] == [(3, 4, "block without #card ignored")]


# --- detection, --format, kg inspect --------------------------------------------------------


def test_today_layouts_are_still_detected(seed_file, shared_dir, bundled_cards_dir):
    assert layout_of(seed_file) == "raw"
    # The list an answer holds is kept as HTML, for the card page and for reading the author's labels.
    first = read_file(seed_file).cards[0]
    assert "<li>Tracking Complexity: Managing diverse components" in first.answer_html
    assert layout_of(bundled_cards_dir / "mlops-vertex-ai.md") == "headings"
    assert layout_of(shared_dir / "decks" / "mlrf-md" / "act.md") == "callouts"
    assert layout_of(shared_dir / "decks" / "mlrf-csv" / "clip.csv") == "delimited"


def test_detection_reads_the_whole_file_not_its_first_line(tmp_path):
    # Opens like raw text (a title, a question line), but every card after it is a Q:/A: pair.
    text = "Capitals\nQ: What is the capital of France?\nA: Paris.\n" + "".join(
        f"Q: What is capital {i}?\nA: City {i}.\n" for i in range(20)
    )
    deck = write(tmp_path / "capitals.txt", text)
    result = read_file(deck)
    assert result.files[0].layout == "qa" and len(result.cards) == 21 and not result.problems
    assert {c.deck for c in result.cards} == {"Capitals"}


def test_format_forces_a_layout_and_an_unknown_name_is_refused(tmp_path):
    deck = write(tmp_path / "deck.txt", "1 Q: What is one?\n1 A: One.\n")
    assert layout_of(deck) == "qa"
    forced = read_file(deck, format="raw")
    assert forced.files[0].layout == "raw" and [c.question for c in forced.cards] == ["1 Q: What is one?"]
    assert any(isinstance(p, CheckFailed) for p in forced.problems)
    with pytest.raises(UnknownFormat, match="unknown format 'bogus'; one of: callouts"):
        read_file(deck, format="bogus")


def test_kg_inspect_shows_layout_scores_cards_and_problems(tmp_path):
    deck = write(tmp_path / "off.txt", "1 Q: What is one?\n1 A: One.\n2 Q: What is two?\n3 A: Two.\n")
    runner = CliRunner()
    shown = runner.invoke(cli, ["inspect", str(deck), "--cards", "1"])
    assert shown.exit_code == 0, shown.output
    assert "layout: qa (Q:/A: pairs, numbered or not): explains 4 of 4 non-blank lines of the whole file as 2 cards" in shown.output
    assert "Q: What is one?" in shown.output and "What is two?" not in shown.output
    assert f"{deck}:4: answer 3 follows question 2; the pairing may be off" in shown.output

    data = json.loads(runner.invoke(cli, ["inspect", "--json", "--format", "raw", str(deck)]).output)
    assert data[0]["layout"] == "raw" and data[0]["detection"]["forced"] is True
    scores = {s["layout"]: s for s in data[0]["detection"]["scores"]}
    assert set(scores) == set(LAYOUT_NAMES) and scores["qa"]["cards"] == 2
    assert len(data[0]["first_cards"]) == 2 and data[0]["cards"] == 2


def test_kg_build_ends_with_an_account_per_file(tmp_path):
    good = write(tmp_path / "capitals.txt",
                 "1 Q: What is the capital of France?\n1 A: Paris.\n2 Q: What is the capital of Japan?\n3 A: Tokyo.\n"
                 "3 Q: What is the capital of Peru?\n")
    result = CliRunner().invoke(cli, ["build", str(good), "-w", str(tmp_path / "ws"), "--format", "qa"])
    assert result.exit_code == 3, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("built ") and "2 cards in 1 deck," in lines[0]
    row = next(line for line in lines if line.startswith(str(good)))
    assert row.split()[1:5] == ["qa", "2", "1", "2"]  # layout, cards, skipped, problems
    assert f"{good}:5: question without an answer ignored" in result.stderr


def test_kg_inspect_says_when_no_layout_finds_a_card(tmp_path):
    note = write(tmp_path / "thoughts.md", "Some thoughts on caching, with no questions in them.\n")
    data = json.loads(CliRunner().invoke(cli, ["inspect", "--json", str(note)]).output)
    assert data[0]["layout"] is None and data[0]["cards"] == 0
    assert data[0]["detection"]["why"] == "no layout finds a card in it"
    assert [p["reason"] for p in data[0]["problem_list"]][0].startswith("no cards found")


def test_a_question_and_its_answer_on_one_line_are_one_card(tmp_path):
    deck = write(tmp_path / "capitals.txt",
                 "Q: What is the capital of Australia? A: Canberra\n"
                 "Q: Which river flows through Cairo? A: The Nile\n"
                 "Q: What is the largest desert in Asia? Answer: The Gobi, which spans Mongolia and China\n")
    result = read_file(deck)
    assert result.files[0].layout == "qa" and not result.problems
    assert [(c.question, c.answer) for c in result.cards] == [
        ("What is the capital of Australia?", "Canberra"), ("Which river flows through Cairo?", "The Nile"),
        ("What is the largest desert in Asia?", "The Gobi, which spans Mongolia and China")]


def test_a_markdown_glossary_list_gives_a_card_per_item_under_its_heading(tmp_path):
    deck = write(tmp_path / "notes.md",
                 "# Immunology\n\n"
                 "- **Antigen**: a molecule that triggers an immune response.\n"
                 "- **Antibody** — a Y-shaped protein made by B cells.\n"
                 "- T helper cell - a CD4+ lymphocyte that coordinates the adaptive response.\n\n"
                 "## Cells\n\n"
                 "1. Memory cell: a long-lived lymphocyte\n"
                 "2) Plasma cell :: a B cell that secretes antibodies\n"
                 "- Macrophage\n\n"
                 "Some prose that is no card.\n")
    result = read_file(deck)
    assert result.files[0].layout == "lists"
    got = [(c.deck, c.question, c.answer) for c in result.cards]
    assert got == [
        ("Immunology", "Antigen", "a molecule that triggers an immune response."),
        ("Immunology", "Antibody", "a Y-shaped protein made by B cells."),
        ("Immunology", "T helper cell", "a CD4+ lymphocyte that coordinates the adaptive response."),
        ("Immunology::Cells", "Memory cell", "a long-lived lymphocyte"),
        ("Immunology::Cells", "Plasma cell", "a B cell that secretes antibodies"),
    ]
    assert "<strong>Antigen</strong>" in result.cards[0].question_html  # the author's mark stays
    # The item without an answer and the prose are named with their lines, not dropped in silence.
    assert sorted((p.line, p.reason.split(" (")[0]) for p in result.problems) == [
        (11, "list item without an answer"), (13, "text outside any list item ignored")]


def test_an_outline_gives_a_card_per_top_item_answered_by_the_items_under_it(tmp_path):
    deck = write(tmp_path / "stats.md",
                 "# Statistics\n"
                 "- What is a p-value?\n"
                 "    - The probability of data at least as extreme as observed, if the null holds.\n"
                 "- Type I and type II errors\n"
                 "  - Type I: rejecting a true null hypothesis.\n"
                 "  - Type II: keeping a false one.\n"
                 "- **Power**: the probability of rejecting a false null\n"
                 "\t- it grows with the sample size\n")
    result = read_file(deck)
    assert result.files[0].layout == "lists" and not result.problems
    p_value, errors, power = result.cards
    assert p_value.question == "What is a p-value?" and p_value.answer.startswith("The probability of data")
    assert errors.question == "Type I and type II errors"
    assert "rejecting a true null" in errors.answer and "keeping a false one" in errors.answer
    assert power.question == "Power"
    assert power.answer.startswith("the probability of rejecting") and "sample size" in power.answer


def test_a_logseq_page_stays_a_logseq_page_though_its_blocks_form_an_outline(tmp_path):
    deck = write(tmp_path / "page.md", "- What is DNS? #card\n  - Names to addresses\n- a note\n  - its child\n")
    assert read_file(deck).files[0].layout == "logseq"


def test_remnote_and_roam_lists_read_with_their_separators_and_tags(tmp_path):
    remnote = write(tmp_path / "biology.md",
                    "- Photosynthesis :: how plants turn light, water and CO2 into sugar\n"
                    "- Calvin cycle >> the light-independent reactions that fix carbon\n"
                    "- Stroma ;; the fluid inside the chloroplast\n")
    result = read_file(remnote)
    assert result.files[0].layout == "lists" and not result.problems
    assert [c.question for c in result.cards] == ["Photosynthesis", "Calvin cycle", "Stroma"]
    roam = write(tmp_path / "roam.md",
                 "- What is a Bloom filter? #flashcard #[[data structures]]\n"
                 "    - A probabilistic set: maybe present, or definitely absent.\n")
    (card,) = read_file(roam).cards
    assert card.question == "What is a Bloom filter?" and card.tags == ("data structures",)


def test_a_remnote_outline_gives_a_card_per_marked_rem_under_its_parent_rems(tmp_path):
    # RemNote keeps cards in an outline: parent rems (a topic, a subtopic) hold the rems whose
    # marks make cards (` >> `, ` :: `, ` <> `, ` ;; `, a `>>>` multi-line card answered by its
    # children). Before, the top rem read as one card whose answer was the whole outline.
    deck = write(tmp_path / "Biology.md",
                 "- Cells\n"
                 "    - Organelles\n"
                 "        - Mitochondria >> Makes ATP by cellular respiration\n"
                 "        - Ribosome :: Builds proteins from mRNA\n"
                 "    - ATP <> Adenosine triphosphate\n"
                 "    - Phases of mitosis >>>\n"
                 "        - Prophase\n"
                 "        - Metaphase\n"
                 "    - A thought of my own\n"
                 "- Genetics\n"
                 "    - Allele ;; One form of a gene\n")
    result = read_file(deck)
    assert result.files[0].layout == "lists"
    assert [(c.deck, c.question, c.answer) for c in result.cards] == [
        ("Biology::Cells::Organelles", "Mitochondria", "Makes ATP by cellular respiration"),
        ("Biology::Cells::Organelles", "Ribosome", "Builds proteins from mRNA"),
        ("Biology::Cells", "ATP", "Adenosine triphosphate"),
        ("Biology::Cells", "Phases of mitosis", "- Prophase\n- Metaphase"),
        ("Biology::Genetics", "Allele", "One form of a gene")]
    # The rem that makes no card is named with its line, as any list item without an answer.
    assert [(p.line, p.reason.split(" (")[0]) for p in result.problems] == [(9, "list item without an answer")]


def test_a_remnote_cloze_rem_is_a_cloze_card_in_a_remnote_outline_only(tmp_path):
    # RemNote writes a cloze as `{{text}}` (its Markdown's cloze): such a rem was 'list item without
    # an answer', and a parent holding only clozes read as one card answered by them.
    deck = write(tmp_path / "Biology.md", "- Cells\n    - Organelles\n        - The {{mitochondrion}} makes ATP\n"
                                          "    - {{Osmosis}} is diffusion of {{water}} across a membrane\n"
                                          "    - Ribosome >> Builds proteins\n")
    result = read_file(deck)
    assert not result.problems, result.problems
    assert [(c.deck, c.question, c.answer) for c in result.cards] == [
        ("Biology::Cells::Organelles", "The mitochondrion makes ATP", "The mitochondrion makes ATP"),
        ("Biology::Cells", "Osmosis is diffusion of water across a membrane",
         "Osmosis is diffusion of water across a membrane"),
        ("Biology::Cells", "Ribosome", "Builds proteins"),
    ]
    assert result.cards[1].question_html == "<p>{{c1::Osmosis}} is diffusion of {{c1::water}} across a membrane</p>"
    # Outside a RemNote outline `{{…}}` is a template's placeholder, no card.
    notes = write(tmp_path / "template.md", "# Meeting\n\n- Date: {{date}}\n- {{title}}\n")
    assert [(p.line, p.reason.split(" (")[0]) for p in read_file(notes, format="lists").problems] == [
        (4, "list item without an answer")]


def test_a_rem_splits_at_its_remnote_mark_not_at_a_dash_or_colon_inside_its_term(tmp_path):
    # "Chicken (Hawk–Dove) >> ..." was split at the en dash: the card asked "Chicken (Hawk".
    deck = write(tmp_path / "Game Theory.md",
                 "- Classic games\n"
                 "    - Chicken (Hawk–Dove) >> Each player wants the other to swerve.\n"
                 "    - Note: the Stag Hunt <> Two equilibria, one payoff-dominant.\n"
                 "    - Michaelis–Menten – a model of enzyme kinetics\n"
                 "    - Mitosis—division of the nucleus\n")
    result = read_file(deck)
    assert not result.problems
    assert [(c.question, c.answer) for c in result.cards] == [
        ("Chicken (Hawk–Dove)", "Each player wants the other to swerve."),
        ("Note: the Stag Hunt", "Two equilibria, one payoff-dominant."),
        ("Michaelis–Menten", "a model of enzyme kinetics"),
        ("Mitosis", "division of the nucleus"),
    ]


def test_an_obsidian_to_anki_note_gives_its_blocks_and_inline_notes(tmp_path):
    deck = write(tmp_path / "cells.md",
                 "---\ntags: [biology]\n---\n"
                 "# Cells\n\nThe cell is the unit of life.\n\n"
                 "TARGET DECK\nBiology::Cells\n\nFILE TAGS\nexam-1 organelles\n\n"
                 "START\nBasic\nWhat is the powerhouse of the cell?\n"
                 "Back: The **mitochondrion**,\nwhich makes ATP.\nTags: energy\n<!--ID: 1566052191670-->\nEND\n\n"
                 "START\nCloze\nText: The {nucleus} holds the {2:DNA}.\nEND\n\n"
                 "STARTI [Basic] What is osmosis? Back: Diffusion of water across a membrane. ENDI\n\n"
                 "START\nBasic\nA question nobody answered\nEND\n\n"
                 "START\nBasic\nWhat is a vacuole?\n")
    result = read_file(deck)
    assert result.files[0].layout == "obsidian-to-anki"
    mito, nucleus, osmosis = result.cards
    assert (mito.deck, mito.question, mito.answer) == (
        "Biology::Cells", "What is the powerhouse of the cell?", "The mitochondrion,\nwhich makes ATP.")
    assert mito.guid == "1566052191670" and mito.note_type == "Basic"
    assert mito.tags == ("biology", "exam-1", "organelles", "energy")
    assert "<strong>mitochondrion</strong>" in mito.answer_html
    assert nucleus.question == "The nucleus holds the DNA." and "{{c2::DNA}}" in nucleus.question_html
    assert (osmosis.question, osmosis.answer) == ("What is osmosis?", "Diffusion of water across a membrane.")
    # The prose, the note without an answer and the unfinished note are named, not dropped in silence.
    assert sorted((p.line, p.reason.split(";")[0].split(" (")[0]) for p in result.problems) == [
        (6, "text outside any START…END note ignored"),  # the heading is the note's structure
        (30, "note 'A question nobody answered' has no answer"),
        (35, "START without END"),
    ]


def test_a_label_opening_a_line_of_an_obsidian_to_anki_basic_note_stays_in_its_field(tmp_path):
    # Anki's Basic note type has two fields: "Primary:" opening a line of the back is the author's
    # label, not a third field (the thirteenth held-out round's sociology note lost the word).
    deck = write(tmp_path / "soc.md",
                 "START\nBasic\nPrimary vs secondary socialization\n"
                 "Back: Learning a society's norms.\nPrimary: family. Secondary: school.\nEND\n\n"
                 "STARTI [Basic] Status? Back: A position. Ascribed: given at birth. ENDI\n\n"
                 "START\nCloze\nText: The {{c1::id}} wants.\nExtra: Freud.\nEND\n\n"
                 "START\nConcept\nAnomie\nDefinition: normlessness\nSource: Durkheim\nEND\n")
    social, status, cloze, own = read_file(deck).cards
    assert social.answer == "Learning a society's norms.\nPrimary: family. Secondary: school."
    assert status.answer == "A position. Ascribed: given at birth."
    assert cloze.answer == "Freud."
    # A note type of the author's own names its fields as the note writes them.
    assert [name for name, _ in own.fields] == ["Front", "Definition", "Source"]


def test_the_flashcards_plugins_card_marks_are_no_words_of_a_heading_card(tmp_path):
    deck = write(tmp_path / "net.md",
                 "# Networking\n\n## What is a subnet mask? #card\nA 32-bit number that splits an address.\n\n"
                 "## What does ARP do? #card-reverse\nIt maps an IP address to a MAC address.\n\n"
                 "## Default gateway\n#card\nThe router for destinations outside the subnet.\n")
    result = read_file(deck)
    assert result.files[0].layout == "headings" and not result.problems
    assert [(c.question, c.answer) for c in result.cards] == [
        ("What is a subnet mask?", "A 32-bit number that splits an address."),
        ("What does ARP do?", "It maps an IP address to a MAC address."),
        ("Default gateway", "The router for destinations outside the subnet."),
    ]


def test_obsidian_to_anki_notes_inside_an_anki_fence_take_a_target_deck_written_anywhere(tmp_path):
    deck = write(tmp_path / "ip.md",
                 "# IP\n\n## Cards\n\n```anki\nSTART\nBasic\nWhat does IP do?\n"
                 "Back: Addresses and routes packets.\n<!--ID: 1773439959125-->\nEND\n```\n\n"
                 "TARGET DECK: Networking::Protocols\n")
    result = read_file(deck)
    assert result.files[0].layout == "obsidian-to-anki" and not result.problems
    (card,) = result.cards
    assert (card.deck, card.question, card.answer, card.guid) == (
        "Networking::Protocols", "What does IP do?", "Addresses and routes packets.", "1773439959125")


# --- cards between separator lines (ankdown, Markdown Flashcards), inka ---------------------------

ANKDOWN = """Expected value of $f(x)$

%

$$\\mathbb{E}[f(x)] = \\sum_x p(x) f(x)$$

%

math, probability

---

What does this print?

```python
print("---")
%
```

%

The line `---`, then a lone `%`: fenced code is no separator.

%%

Which law says $V = IR$?

%

Ohm's law.
"""


def test_an_ankdown_file_gives_a_card_per_block_its_third_field_the_tags(tmp_path):
    result = read_file(write(tmp_path / "stats.md", ANKDOWN))
    assert result.files[0].layout == "separated" and not result.problems
    assert [(c.question.split("\n")[0], c.tags, c.deck) for c in result.cards] == [
        ("Expected value of $f(x)$", ("math", "probability"), "Stats"),
        ("What does this print?", (), "Stats"),
        ("Which law says $V = IR$?", (), "Stats"),
    ]
    assert 'print("---")' in result.cards[1].question and "%" in result.cards[1].question
    assert result.cards[1].answer == "The line `---`, then a lone `%`: fenced code is no separator."
    assert result.cards[2].answer == "Ohm's law."


def test_markdown_flashcards_take_their_deck_and_section_from_headings_and_every_side_mark(tmp_path):
    deck = write(tmp_path / "astro.md",
                 "# Astronomy\n\n## Stars\n___\n\nWhat powers a main-sequence star?\n\n?\n\nFusion of hydrogen into helium.\n"
                 "___\n\nWhat is a **white dwarf**?\n\n↪\n\nThe dense remnant core of a low-mass star.\n___\n\n"
                 "## Planets\n___\n\nWhich planet has the shortest day?\n\n:question:\n\nJupiter, about ten hours.\n___\n")
    result = read_file(deck)
    assert result.files[0].layout == "separated" and not result.problems
    assert [(c.deck, c.question, c.answer) for c in result.cards] == [
        ("Astronomy::Stars", "What powers a main-sequence star?", "Fusion of hydrogen into helium."),
        ("Astronomy::Stars", "What is a white dwarf?", "The dense remnant core of a low-mass star."),
        ("Astronomy::Planets", "Which planet has the shortest day?", "Jupiter, about ten hours."),
    ]
    assert "<strong>white dwarf</strong>" in result.cards[1].question_html


def test_markdown_flashcards_sections_between_rules_make_sub_decks_though_obsidian_sr_reads_the_cards_too(tmp_path):
    # Markdown Flashcards' own layout: every heading and card between `___` rules, sides split by a
    # lone `?`. The Spaced Repetition plugin's reading finds the same cards but decks by tags only.
    deck = write(tmp_path / "typography.md",
                 "# Typography\n\n___\n\n## Anatomy of type\n\n___\n\nWhat is the x-height?\n?\n"
                 "The height of a lowercase **x**.\n\n___\n\nSerif vs sans-serif\n?\nSerifs are the small strokes.\n\n"
                 "___\n\n## Spacing\n\n___\n\nWhat is kerning?\n?\nSpacing one pair of letters.\n\n___\n")
    result = read_file(deck)
    assert result.files[0].layout == "separated" and not result.problems
    assert [(c.deck, c.question) for c in result.cards] == [
        ("Typography::Anatomy of type", "What is the x-height?"),
        ("Typography::Anatomy of type", "Serif vs sans-serif"),
        ("Typography::Spacing", "What is kerning?"),
    ]
    # The same shape naming the plugin's deck tag is the plugin's note: decks by its tags.
    tagged = write(tmp_path / "chem.md", "# Chem #flashcards/chemistry\n\n---\n\nWhat is pH?\n?\nMinus log of H+.\n\n"
                                         "---\n\nWhat is a base?\n?\nA proton acceptor.\n")
    front = write(tmp_path / "cells.md", "---\ntags: [flashcards/bio]\n---\n\n## Cells\n\n---\n\nWhat is ATP?\n?\nEnergy.\n\n---\n")
    result = read_decks([tagged, front])
    assert [(f.layout, f.cards) for f in result.files] == [("obsidian-sr", 2), ("obsidian-sr", 1)]
    assert [c.deck for c in result.cards] == ["chemistry", "chemistry", "bio"]


def test_text_between_separators_without_a_side_mark_is_reported_not_read_as_a_card(tmp_path):
    deck = write(tmp_path / "mixed.md",
                 "What is a pulsar?\n%\nA rotating neutron star.\n---\nSome notes I took, no card here.\n---\n"
                 "What is a quasar?\n%\nA very bright active galactic nucleus.\n")
    result = read_file(deck, format="separated")
    assert [c.question for c in result.cards] == ["What is a pulsar?", "What is a quasar?"]
    assert [(p.line, p.reason) for p in result.problems] == [
        (5, "text between separators without a side mark (`%`, `?`) is no card; ignored")]


def test_prose_with_horizontal_rules_is_not_read_as_separated_cards(tmp_path):
    deck = write(tmp_path / "essay.md",
                 "# Notes on stars\n\nStars form in clouds of gas.\n\n---\n\nWhy do they shine?\nFusion, mostly.\n\n---\n\nThe end.\n")
    assert layout_of(deck) != "separated"


INKA = """# Chemistry notes

Some prose of the note, not a card.

---

Deck: Chemistry::Basics

Tags: chem atoms

<!--ID:1612345678901-->
1. What is an
isotope?

> Atoms of one element with different numbers of neutrons.
> They share their chemistry.

2. The {mole} counts $6.022 \\times 10^{23}$ particles.

3. A question nobody answered

---

More prose after the section.
"""


def test_an_inka_note_gives_the_numbered_cards_of_its_sections_with_deck_tags_and_id(tmp_path):
    result = read_file(write(tmp_path / "chem.md", INKA))
    assert result.files[0].layout == "inka"
    first, cloze = result.cards
    assert (first.question, first.deck, first.tags, first.guid) == (
        "What is an isotope?", "Chemistry::Basics", ("chem", "atoms"), "1612345678901")
    assert first.answer == "Atoms of one element with different numbers of neutrons.\nThey share their chemistry."
    assert cloze.question.startswith("The mole counts") and "{{c1::mole}}" in cloze.question_html
    # The question without an answer and the note's prose are reported with their lines.
    assert [(p.line, p.reason.split(" (")[0]) for p in result.problems] == [
        (20, "card 'A question nobody answered' has no answer"),
        (3, "text outside any `---` section ignored"),
    ]


def test_an_obsidian_sr_note_with_horizontal_rules_still_reads_as_spaced_repetition_cards(tmp_path):
    deck = write(tmp_path / "bio.md",
                 "# Biology\n\nWhat is osmosis?::Diffusion of water across a membrane.\n\n---\n\n"
                 "What does ATP store?\n?\nEnergy, in its phosphate bonds.\n\n***\n\nRibosome::Makes proteins.\n")
    result = read_file(deck)
    assert result.files[0].layout == "obsidian-sr" and not result.problems
    assert [c.question for c in result.cards] == ["What is osmosis?", "What does ATP store?", "Ribosome"]


def test_an_obsidian_sr_note_reads_no_card_inside_a_fenced_code_block(tmp_path):
    # The plugin takes a fenced block as text of the card around it, never looking for `::` or `?`
    # in it: C++'s `std::cout` in a question's code is no `Question::Answer` card.
    deck = write(tmp_path / "cpp.md",
                 "#flashcards/cpp\n\n"
                 "What does this print?\n```cpp\nstd::cout << std::max(1, 2);\n```\n?\n2\n\n"
                 "Scope resolution operator::`::`\n\n"
                 "```cpp\n// a snippet kept in the note\nauto v = std::vector<int>{};\n?\n```\n")
    result = read_file(deck)
    assert result.files[0].layout == "obsidian-sr"
    assert [(c.question, c.answer) for c in result.cards] == [
        ("What does this print?\nstd::cout << std::max(1, 2);", "2"), ("Scope resolution operator", "`::`")]
    assert "<code" in result.cards[0].question_html
    # The snippet in no card is named with its lines, as the plugin makes no card of it.
    assert [(p.line, p.last, p.reason) for p in result.problems] == [(12, 16, "text in no card ignored")]


@pytest.mark.parametrize("between", ["\n", "\n---\n\n"])
def test_questions_set_in_bold_over_their_answers_are_cards(tmp_path, between):
    # Notes (and a chatbot's answers) that set each question apart in bold, a rule between cards or
    # not: the file was 'no cards found'. The bold marks and the rule are no words of the cards.
    deck = write(tmp_path / "networking.md", "# Networking\n\n" + between.join(
        f"**{q}**\n{a}\n" for q, a in [("What is TCP?", "A reliable stream protocol."),
                                       ("What is UDP?", "A datagram protocol."),
                                       ("Define latency", "The time to the first byte.")]))
    result = read_file(deck)
    assert not result.problems, result.problems
    assert [(c.deck, c.question, c.answer) for c in result.cards] == [
        ("Networking", "What is TCP?", "A reliable stream protocol."), ("Networking", "What is UDP?", "A datagram protocol."),
        ("Networking", "Define latency", "The time to the first byte.")]


def test_q_and_a_marks_on_list_items_pair_as_q_and_a(tmp_path):
    # `- **Q:** ...` items with their `**A:**` under them: read as a glossary whose term was 'Q:', both
    # cards asking 'Q:' (one renamed for its taken id), the question in the answer.
    deck = write(tmp_path / "networking.md", "- **Q:** What is TCP?\n  **A:** A reliable stream protocol.\n"
                                             "- Q: What is UDP?\n  A: A datagram protocol.\n")
    result = read_file(deck)
    assert result.files[0].layout == "qa" and not result.problems, result.problems
    assert [(c.question, c.answer) for c in result.cards] == [
        ("What is TCP?", "A reliable stream protocol."), ("What is UDP?", "A datagram protocol.")]


def test_an_answer_label_under_a_question_heading_is_no_word_of_the_answer(tmp_path):
    # '### What is TCP?' over '**Answer:** A reliable stream protocol.' (a chatbot's way): the answer
    # read 'Answer: A reliable stream protocol.'.
    deck = write(tmp_path / "networking.md", "### What is TCP?\n**Answer:** A reliable stream protocol.\n\n"
                                             "### What is UDP?\n\nAnswer: A datagram protocol,\nno handshake.\n")
    result = read_file(deck)
    assert result.files[0].layout == "headings" and not result.problems, result.problems
    assert [(c.question, c.answer) for c in result.cards] == [
        ("What is TCP?", "A reliable stream protocol."), ("What is UDP?", "A datagram protocol,\nno handshake.")]


def test_setext_headings_ask_as_atx_headings_do(tmp_path):
    # 'What is TCP?' over '------' (Markdown's other heading, as pandoc and many editors write it)
    # was read as raw text, the underline the first words of the answer.
    deck = write(tmp_path / "net.md", "Networking\n==========\n\nWhat is TCP?\n------------\n\n"
                                      "A reliable stream protocol.\nIt retransmits lost segments.\n\n"
                                      "What is UDP?\n---\nA datagram protocol.\n\nNo handshake at all,\nno order.\n\n---\n\n"
                                      "What is a port?\n---\nA number naming a process.\n\n"
                                      "## What is a socket?\nAn address and a port.\n---\n")
    result = read_file(deck)
    assert result.files[0].layout == "headings" and not result.problems, result.problems
    assert [(c.deck, c.question, c.answer) for c in result.cards] == [
        ("Networking", "What is TCP?", "A reliable stream protocol.\nIt retransmits lost segments."),
        ("Networking", "What is UDP?", "A datagram protocol.\n\nNo handshake at all,\nno order."),
        ("Networking", "What is a port?", "A number naming a process."),
        ("Networking", "What is a socket?", "An address and a port."),  # a rule under an answer's line
    ]


@pytest.mark.parametrize("body, layout", [
    ("Q: What is TCP?\nA: A stream protocol.\n\nQ: What is UDP?\nA: A datagram protocol.\n", "qa"),
    ("- **TCP**: a stream protocol\n- **UDP**: a datagram protocol\n", "lists"),
    ("| Term | Definition |\n|---|---|\n| TCP | a stream protocol |\n| UDP | a datagram protocol |\n", "tables"),
])
def test_a_title_underlined_by_equals_signs_names_the_deck_in_every_markdown_layout(tmp_path, body, layout):
    # 'Networking' over '==========' was 'text outside any card ignored' and the deck the file's name.
    result = read_file(write(tmp_path / "notes.md", f"Networking\n==========\n\n{body}"))
    assert result.files[0].layout == layout and not result.problems, result.problems
    assert [c.deck for c in result.cards] == ["Networking", "Networking"]
    assert [c.question for c in result.cards] in (["What is TCP?", "What is UDP?"], ["TCP", "UDP"])


def test_a_spreadsheets_tags_joined_by_commas_are_each_a_tag(tmp_path):
    # A Notion database exported as CSV: its multi-select 'Tags' joins values with ', '. They were
    # split at spaces: 'Cell', 'biology,', 'Genetics'. Tags of Anki's own files stay split at spaces.
    deck = write(tmp_path / "genetics.csv", "Name,Answer,Tags\nWhat is a gene?,A unit of heredity,\"Cell biology, Genetics\"\n"
                                            "What is DNA?,The code of life,Genetics\n", bom=True)
    anki = write(tmp_path / "anki.txt", "#separator:tab\n#tags column:3\nWhat is RNA?\tThe messenger\tgenetics cell::rna\n")
    result = read_decks([deck, anki])
    assert not result.problems, result.problems
    assert [(c.question, c.tags) for c in result.cards] == [
        ("What is a gene?", ("Cell biology", "Genetics")), ("What is DNA?", ("Genetics",)),
        ("What is RNA?", ("genetics", "cell::rna"))]


def test_csv_files_joined_one_after_another_read_as_one(tmp_path):
    # `cat week1.csv week2.csv > all.csv` of two spreadsheet exports: the second's BOM and header
    # row came out as a card '\ufeffFront' -> 'Back'.
    deck = tmp_path / "all.csv"
    deck.write_bytes(("\ufeffFront,Back\nperro,dog\ngato,cat\n" + "\ufeffFront,Back\npez,fish\n").encode("utf-8"))
    result = read_file(deck)
    assert not result.problems, result.problems
    assert [(c.question, c.answer) for c in result.cards] == [("perro", "dog"), ("gato", "cat"), ("pez", "fish")]
