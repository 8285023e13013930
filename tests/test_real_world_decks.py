"""Decks nobody on the team wrote the readers for: made by Anki's own library in domains and note types
the other tests do not use (optional reversed, type in the answer, image occlusion, a note type with
German field names), and text decks written the way people write them (a header row in another
language, an Obsidian note whose deck tag sits in a heading). Each once lost or misread cards."""

from __future__ import annotations

import re
import zlib

import pytest
from lxml import html as lxml_html

from kg.readers import read_file

#: (deck, note type, field values, tags): history, pharmacology, a language course, law.
NOTES = [
    ("History::Europe::Medieval", "Basic (optional reversed card)",
     ["Magna Carta", "Charter sealed by King John in 1215<br>at Runnymede", "y"], ["history::medieval"]),
    ("History::Europe::Renaissance", "Basic (type in the answer)",
     ["Who painted the Mona Lisa?", "Leonardo da Vinci"], ["history::renaissance"]),
    ("Pharmacology::Cardio::Beta blockers", "Basic",
     ["What does metoprolol block?", 'β<sub>1</sub> receptors of the heart <img src="heart.png">'], ["pharm"]),
    ("Deutsch::A1::Tiere", "Vokabel",
     ["der Hund", "the dog", "Der Hund bellt. [sound:bellt.mp3]", "[sound:hund.mp3]", "m"], ["deutsch::a1"]),
    ("Law::Contract", "Basic", ["[sound:offer.mp3]", "An offer is a promise to be bound on stated terms"], ["law"]),
    ("Law::Contract", "Basic (and reversed card)",
     ["Consideration", "Something of value exchanged by the parties to a contract"], ["law"]),
]
OCCLUSION_HEADER = "Kingdoms of Europe in 1000 AD"


def _png() -> bytes:
    """A real 1×1 PNG, so the served bytes can be compared."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")
    header = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


@pytest.fixture(scope="session")
def real_anki(tmp_path_factory):
    """The deck above (and one image occlusion note) as Anki exports it: a modern package with its
    media, the notes text export with and without the note type column."""
    from anki.collection import Collection, ExportAnkiPackageOptions

    folder = tmp_path_factory.mktemp("real-anki")
    col = Collection(str(folder / "collection.anki2"))
    models = col.models
    vokabel = models.new("Vokabel")
    for name in ("Wort", "Übersetzung", "Beispielsatz", "Aussprache", "Genus"):
        models.add_field(vokabel, models.new_field(name))
    template = models.new_template("Karte 1")
    template["qfmt"], template["afmt"] = "{{Wort}}", "{{FrontSide}}<hr id=answer>{{Übersetzung}}"
    models.add_template(vokabel, template)
    models.add(vokabel)
    col.media.write_data("heart.png", _png())
    for deck, type_name, values, tags in NOTES:
        note = col.new_note(models.by_name(type_name))
        for name, value in zip(note.keys(), values):
            note[name] = value
        note.tags = tags
        col.add_note(note, col.decks.id(deck))
    image = folder / "europe.png"
    image.write_bytes(_png())
    col.decks.select(col.decks.id("History::Europe::Maps"))
    col.add_image_occlusion_note(models.by_name("Image Occlusion")["id"], str(image),
                                 "{{c1::image-occlusion:rect:left=.1:top=.1:width=.2:height=.2:oi=1}}",
                                 OCCLUSION_HEADER, "", ["history::maps"])
    files = {"modern": folder / "modern.apkg", "notes": folder / "notes.txt", "bare": folder / "bare.txt"}
    col.export_anki_package(out_path=str(files["modern"]), limit=None,
                            options=ExportAnkiPackageOptions(legacy=False, with_media=True))
    col.export_note_csv(out_path=str(files["notes"]), limit=None, with_html=True, with_tags=True,
                        with_deck=True, with_notetype=True, with_guid=True)
    col.export_note_csv(out_path=str(files["bare"]), limit=None, with_html=True, with_tags=True,
                        with_deck=False, with_notetype=False, with_guid=False)
    col.close()
    return files


def _sides(path) -> dict[str, str]:
    result = read_file(path)
    assert not result.problems, result.problems
    return {card.question: card.answer for card in result.cards}


def test_the_notes_export_reads_every_note_type_as_the_package_does(real_anki):
    package = _sides(real_anki["modern"])
    assert len(package) == len(NOTES) + 1
    assert package["Magna Carta"] == "Charter sealed by King John in 1215\nat Runnymede"  # no "y" switch
    assert package[OCCLUSION_HEADER] == "[image: europe.png]"
    # A pronunciation is no word of the answer (nor its file name a concept); a listening card still asks.
    assert package["der Hund"] == "the dog\n\nDer Hund bellt.\n\nm"
    assert package["[sound: offer.mp3]"] == "An offer is a promise to be bound on stated terms"
    assert _sides(real_anki["notes"]) == package


def test_an_occlusion_note_without_its_note_type_asks_with_its_header_not_its_shapes(real_anki):
    cards = _sides(real_anki["bare"])
    assert len(cards) == len(NOTES) + 1
    assert cards[OCCLUSION_HEADER] == "[image: europe.png]"
    assert not any("image-occlusion" in question for question in cards)


@pytest.mark.parametrize("header, tags", [
    ("Frage,Antwort,Schlagwörter", ("recht",)),
    ("Pregunta,Respuesta,Etiquetas", ("recht",)),
    ("Question,Réponse", ()),
    ("Вопрос,Ответ,Теги", ("recht",)),
])
def test_a_header_row_in_another_language_names_the_columns(tmp_path, header, tags):
    rows = ['"Was ist ein Vertrag?","Eine Willenseinigung zweier Parteien"',
            '"Was bedeutet Verjährung?","Der Ablauf einer Frist, nach der ein Anspruch erlischt"',
            "Was ist Besitz?,Die tatsächliche Sachherrschaft"]
    if tags:
        rows = [row + ",recht" for row in rows]
    deck = tmp_path / "recht.csv"
    deck.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    result = read_file(deck)
    assert not result.problems, result.problems
    assert [(c.question, c.answer, c.tags) for c in result.cards] == [
        ("Was ist ein Vertrag?", "Eine Willenseinigung zweier Parteien", tags),
        ("Was bedeutet Verjährung?", "Der Ablauf einer Frist, nach der ein Anspruch erlischt", tags),
        ("Was ist Besitz?", "Die tatsächliche Sachherrschaft", tags),
    ]


def test_an_obsidian_deck_tag_in_a_heading_names_the_notes_deck(tmp_path):
    note = tmp_path / "Chemistry notes.md"
    note.write_text("# Acids and bases #flashcards/chemistry/acids\n\n"
                    "Avogadro's number::6.022 × 10^23 per mole\n\n"
                    "What is a Brønsted acid?\n?\nA proton donor.\n<!--SR:!2024-01-01,3,250-->\n\n"
                    "## Bases\n\nWhat is a Lewis base?\n?\nAn electron pair donor.\n", encoding="utf-8")
    result = read_file(note)
    assert [(c.question, c.deck) for c in result.cards] == [
        ("Avogadro's number", "chemistry::acids"), ("What is a Brønsted acid?", "chemistry::acids"),
        ("What is a Lewis base?", "chemistry::acids")]


def test_images_of_a_modern_anki_package_show_on_the_card_page(real_anki, tmp_path, nlp):
    from kg.build import build
    from kg.web import create_app

    build([real_anki["modern"]], workspace=tmp_path / "ws", nlp=nlp)
    client = create_app({"KG_WORKSPACE": str(tmp_path / "ws"), "TESTING": True, "KG_PRELOAD": False}).test_client()
    cards = client.get("/api/search?q=metoprolol&limit=20").get_json()["cards"]
    url = next(c["url"] for c in cards if c["question"].startswith("What does metoprolol block"))
    answer = lxml_html.fragment_fromstring(client.get("/api" + url).get_json()["answer_html"], create_parent="div")
    assert answer.xpath("//img/@src") == [url.replace("/card/", "/card-media/") + "/heart.png"]
    image = client.get(answer.xpath("//img/@src")[0])
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data == _png()


@pytest.mark.parametrize("separator", [" ~ ", "~~", " // ", " >>> "])
def test_a_quizlet_export_with_a_term_separator_of_the_users_own_gives_every_card(tmp_path, separator):
    pairs = [("la mesa", "the table"), ("el perro", "the dog"), ("la casa", "the house"),
             ("el libro", "the book, a volume"), ("la ventana", "the window")]
    deck = tmp_path / "spanish.txt"
    deck.write_text("\n".join(f"{term}{separator}{definition}" for term, definition in pairs) + "\n",
                    encoding="utf-8")
    result = read_file(deck)
    assert not result.problems, result.problems
    assert [(c.question, c.answer) for c in result.cards] == pairs


def test_logseq_tags_after_a_card_and_the_pages_tags_tag_the_card_not_its_question(tmp_path):
    page = tmp_path / "chemistry.md"
    page.write_text("title:: Chemistry\ntags:: science, [[lab work]]\n\n"
                    "- Reactions\n"
                    "\t- Which gas does zinc give with HCl? #card #chemistry #[[gas laws]]\n"
                    "\t\t- Hydrogen\n"
                    "\t- Is #catalysis about speed? #card\n"
                    "\t\t- Yes: a catalyst speeds a reaction up.\n", encoding="utf-8")
    result = read_file(page)
    assert [(c.question, c.deck, c.tags) for c in result.cards] == [
        ("Which gas does zinc give with HCl?", "Chemistry", ("science", "lab work", "chemistry", "gas laws")),
        ("Is #catalysis about speed?", "Chemistry", ("science", "lab work")),
    ]


def test_kg_inspect_marks_the_fields_a_card_asks_and_answers_with_on_one_unwrapped_line(real_anki):
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["inspect", str(real_anki["modern"]), "--cards", "10"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "  note type: Basic (optional reversed card); fields: Front (Q), Back (A), Add Reverse" in lines
    assert "  note type: Image Occlusion; fields: Occlusion, Image (A), Header (Q), Back Extra, Comments" in lines
    assert "  note type: Vokabel; fields: Wort (Q), Übersetzung (A), Beispielsatz (A), Aussprache, Genus (A)" in lines
    assert "  Q: Magna Carta" in lines
    assert all(len(line) <= 160 for line in lines)  # not a terminal: 160 columns, no line wraps


@pytest.mark.parametrize("legacy", [False, True])
def test_a_note_type_whose_names_say_nothing_asks_the_field_its_card_template_shows(tmp_path, legacy):
    from anki.collection import Collection, ExportAnkiPackageOptions

    col = Collection(str(tmp_path / "collection.anki2"))
    models = col.models
    spanish = models.new("Spanish")
    for name in ("English", "Spanish", "Hint"):
        models.add_field(spanish, models.new_field(name))
    template = models.new_template("Recall")
    template["qfmt"] = "{{#Hint}}{{hint:Hint}}{{/Hint}}<b>{{Spanish}}</b>"
    template["afmt"] = "{{FrontSide}}<hr id=answer>{{English}}"
    models.add_template(spanish, template)
    models.add(spanish)
    note = col.new_note(models.by_name("Spanish"))
    note["English"], note["Spanish"], note["Hint"] = "the window", "la ventana", "feminine"
    col.add_note(note, col.decks.id("Español::A1::Casa"))
    package = tmp_path / "spanish.apkg"
    col.export_anki_package(out_path=str(package), limit=None,
                            options=ExportAnkiPackageOptions(legacy=legacy, with_media=False))
    col.close()
    [card] = read_file(package).cards
    # The hint is on the front, a click away, and on no back: it follows the question, not the answer.
    assert (card.question, card.answer, card.deck) == ("la ventana\nfeminine", "the window", "Español::A1::Casa")


def test_obsidian_cards_written_as_list_items_ask_without_the_list_mark(tmp_path):
    note = tmp_path / "pharmacology.md"
    note.write_text("# Anticoagulants #flashcards/pharm\n\n"
                    "- Warfarin::Vitamin K antagonist\n* Heparin::Activates antithrombin III\n"
                    "- [ ] Aspirin:::Irreversible COX inhibitor\n\n"
                    "1. Digoxin::Inhibits the Na+/K+ ATPase\n2) Furosemide::Loop diuretic\n", encoding="utf-8")
    result = read_file(note)
    assert not result.problems, result.problems
    assert [(c.question, c.answer, c.deck) for c in result.cards] == [
        ("Warfarin", "Vitamin K antagonist", "pharm"), ("Heparin", "Activates antithrombin III", "pharm"),
        ("Aspirin", "Irreversible COX inhibitor", "pharm"), ("Digoxin", "Inhibits the Na+/K+ ATPase", "pharm"),
        ("Furosemide", "Loop diuretic", "pharm")]


def test_a_logseq_task_card_asks_without_its_marker_and_priority(tmp_path):
    page = tmp_path / "history.md"
    page.write_text("- TODO What is the Peace of Augsburg? #card\n\t- 1555: cuius regio, eius religio.\n"
                    "- LATER [#A] What did the Congress of Vienna do? #card\n\t- Redrew the map of Europe.\n"
                    "- NOW is the winter of our discontent #card\n\t- Richard III, act 1\n", encoding="utf-8")
    assert [c.question for c in read_file(page).cards] == [
        "What is the Peace of Augsburg?", "What did the Congress of Vienna do?", "is the winter of our discontent"]


def test_a_logseq_task_cards_dates_and_logbook_are_no_words_of_its_question(tmp_path):
    # What Logseq writes under a task block: a scheduled date, a deadline, and (time tracking is on
    # by default) a `:LOGBOOK:` drawer once the task was NOW. They were read into the question:
    # 'What is a gene?\nSCHEDULED: <2026-12-05 Sat>\n...\n:LOGBOOK:\nCLOCK: [2026-12-01 Tue 10:00:00]...'.
    page = tmp_path / "genes.md"
    page.write_text("- DONE What is a gene? #card\n  SCHEDULED: <2026-12-05 Sat>\n  DEADLINE: <2026-12-09 Wed>\n"
                    "  :LOGBOOK:\n  CLOCK: [2026-12-01 Tue 10:00:00]--[2026-12-01 Tue 10:05:00] =>  00:05:00\n"
                    "  :END:\n\t- A unit of heredity\n"
                    "- NOW What is an allele? #card\n  :LOGBOOK:\n  CLOCK: [2026-12-02 Wed 09:00:00]\n  :END:\n"
                    "\t- A variant of a gene\n", encoding="utf-8")
    result = read_file(page)
    assert not result.problems, result.problems
    assert [(c.question, c.answer) for c in result.cards] == [
        ("What is a gene?", "A unit of heredity"), ("What is an allele?", "A variant of a gene")]


def test_a_files_account_counts_problems_by_kind_not_one_kind_per_card(real_anki, tmp_path):
    import shutil

    from kg.readers import read_decks

    again = tmp_path / "exported-again.apkg"
    shutil.copy(real_anki["modern"], again)
    result = read_decks([real_anki["modern"], again])
    account = next(f for f in result.files if f.path == str(again))
    assert (account.cards, account.skipped) == (0, len(NOTES) + 1)
    assert account.reasons == {f"duplicate of a card of {real_anki['modern']}; skipped": len(NOTES) + 1}


def test_a_package_taken_out_of_its_zip_reads_from_its_compressed_collection(real_anki, tmp_path):
    import zipfile

    from kg.readers import read_decks

    with zipfile.ZipFile(real_anki["modern"]) as package:
        package.extractall(tmp_path)
    assert (tmp_path / "collection.anki21b").is_file() and (tmp_path / "collection.anki2").is_file()
    result = read_decks([tmp_path])
    package_cards = read_file(real_anki["modern"]).cards
    assert sorted((c.guid, c.question, c.answer, c.deck) for c in result.cards) == sorted(
        (c.guid, c.question, c.answer, c.deck) for c in package_cards)
    [placeholder] = result.problems
    assert str(placeholder.path) == str(tmp_path / "collection.anki2")
    assert "the notes are in collection.anki21b beside it" in placeholder.reason


GERMAN_DECK = r"""
import sys
import anki.lang
anki.lang.set_lang("de")  # Anki's stock note types get German names and fields, as for a German user
from anki.collection import Collection, ExportAnkiPackageOptions
col = Collection(sys.argv[1])
models = col.models
rows = [("Einfach", ["Was ist Besitz?", "Die tatsächliche Sachherrschaft"]),
        ("Einfach (und wahlweise die umgekehrte Richtung)", ["Eigentum", "Das umfassende Herrschaftsrecht", "j"]),
        ("Lückentext", ["Ein {{c1::Vertrag}} entsteht durch Angebot und Annahme.", ""])]
for type_name, values in rows:
    note = col.new_note(models.by_name(type_name))
    for name, value in zip(note.keys(), values):
        note[name] = value
    col.add_note(note, col.decks.id("Recht::Zivilrecht::BGB"))
image = sys.argv[1] + ".png"
open(image, "wb").write(bytes.fromhex(sys.argv[5]))
col.decks.select(col.decks.id("Recht::Zivilrecht::BGB"))
col.add_image_occlusion_note(models.by_name("Bildverdeckung")["id"], image,
                             "{{c1::image-occlusion:rect:left=.1:top=.1:width=.2:height=.2:oi=1}}",
                             "Aufbau des BGB", "", [])
for legacy in (False, True):
    col.export_anki_package(out_path=sys.argv[2 + legacy], limit=None,
                            options=ExportAnkiPackageOptions(legacy=legacy, with_media=True))
col.export_note_csv(out_path=sys.argv[4], limit=None, with_html=True, with_tags=True, with_deck=True,
                    with_notetype=True, with_guid=True)
col.close()
"""


def test_a_german_users_files_ask_the_front_and_header_and_leave_out_the_reverse_switch(tmp_path):
    import subprocess
    import sys

    packages = [tmp_path / "modern.apkg", tmp_path / "legacy.apkg", tmp_path / "notes.txt"]
    subprocess.run([sys.executable, "-c", GERMAN_DECK, str(tmp_path / "collection.anki2"), *map(str, packages),
                    _png().hex()], check=True, timeout=120)
    for package in packages:  # the notes text export names only the note type: its fields are Anki's own
        result = read_file(package)
        assert not result.problems, result.problems
        images = re.compile(r"^\[image: [^\]]+\.png\]$")  # the name Anki gave the occluded image
        assert [(c.question, images.sub("[image]", c.answer), c.deck) for c in result.cards] == [
            ("Was ist Besitz?", "Die tatsächliche Sachherrschaft", "Recht::Zivilrecht::BGB"),
            ("Eigentum", "Das umfassende Herrschaftsrecht", "Recht::Zivilrecht::BGB"),
            ("Ein Vertrag entsteht durch Angebot und Annahme.", "Ein Vertrag entsteht durch Angebot und Annahme.",
             "Recht::Zivilrecht::BGB"),
            ("Aufbau des BGB", "[image]", "Recht::Zivilrecht::BGB"),
        ], package


def test_an_obsidian_note_with_prose_and_code_is_read_as_its_cards_not_as_one_raw_card(tmp_path):
    note = tmp_path / "organic.md"
    note.write_text("# Organic chemistry #flashcards/chem\n\n"
                    "These are my notes from lecture 4. We covered functional groups\nand how to name them.\n\n"
                    "Alkane::Saturated hydrocarbon, CnH2n+2\nAlkene::Hydrocarbon with a C=C double bond\n\n"
                    "What is a functional group?\n?\nA group of atoms that gives a molecule its reactions.\n\n"
                    '```python\nfrom rdkit import Chem\nmol = Chem.MolFromSmiles("CCO")\n```\n\n'
                    "Some more thoughts for later.\n", encoding="utf-8")
    result = read_file(note)
    assert [(c.question, c.answer, c.deck) for c in result.cards] == [
        ("Alkane", "Saturated hydrocarbon, CnH2n+2", "chem"),
        ("Alkene", "Hydrocarbon with a C=C double bond", "chem"),
        ("What is a functional group?", "A group of atoms that gives a molecule its reactions.", "chem")]
    assert [(p.line, p.reason) for p in result.problems] == [
        (3, "text in no card ignored"), (13, "text in no card ignored"), (18, "text in no card ignored")]


def test_term_definition_cards_after_a_prose_question_are_not_swallowed_by_its_answer(tmp_path):
    note = tmp_path / "enzymes.md"
    note.write_text("# Enzymes\n\nWhy do enzymes matter?\nThey speed up reactions in cells.\n\n"
                    "Km::Substrate concentration at half Vmax\nVmax::Maximum rate of the reaction\n"
                    "Turnover number:::kcat\n", encoding="utf-8")
    result = read_file(note)
    assert [(c.question, c.answer) for c in result.cards] == [
        ("Km", "Substrate concentration at half Vmax"), ("Vmax", "Maximum rate of the reaction"),
        ("Turnover number", "kcat")]
    assert [(p.line, p.reason) for p in result.problems] == [(3, "text in no card ignored")]


def test_a_raw_deck_whose_answers_name_cpp_scopes_stays_raw(tmp_path):
    deck = tmp_path / "cpp.txt"
    deck.write_text("C++ containers\n\nWhich container keeps its elements contiguous?\n"
                    "std::vector keeps them in one block.\nstd::array too, with a fixed size.\n\n"
                    "Which container is a balanced tree?\nstd::map, usually a red-black tree.\n", encoding="utf-8")
    result = read_file(deck)
    assert not result.problems, result.problems
    assert [c.question for c in result.cards] == ["Which container keeps its elements contiguous?",
                                                  "Which container is a balanced tree?"]


def test_quizlets_unquoted_comma_export_keeps_definitions_that_hold_commas(tmp_path):
    deck = tmp_path / "biology.txt"
    deck.write_text("mitochondria,powerhouse of the cell\nribosome,site of protein synthesis, found in the cytoplasm\n"
                    "nucleus,holds DNA\nlysosome,digests waste, old organelles, and bacteria\n", encoding="utf-8")
    result = read_file(deck)
    assert not result.problems, result.problems
    assert [(c.question, c.answer) for c in result.cards] == [
        ("mitochondria", "powerhouse of the cell"), ("ribosome", "site of protein synthesis, found in the cytoplasm"),
        ("nucleus", "holds DNA"), ("lysosome", "digests waste, old organelles, and bacteria")]


def test_quizlets_tab_export_keeps_a_definitions_line_breaks_in_its_answer(tmp_path):
    # Quizlet's default export (tab between term and definition, a new line between rows) writes a
    # definition's own line breaks unquoted: the lines without a tab belong to the definition above.
    deck = tmp_path / "cells.txt"
    deck.write_text("mitochondria\tpowerhouse of the cell\nribosome\tmakes proteins\n- from amino acids\n"
                    "- on mRNA\nnucleus\tholds DNA\n", encoding="utf-8")
    result = read_file(deck)
    assert not result.problems, result.problems
    assert [(c.question, c.answer, c.source.rpartition(":")[2]) for c in result.cards] == [
        ("mitochondria", "powerhouse of the cell", "1"),
        ("ribosome", "makes proteins\n- from amino acids\n- on mRNA", "2"),
        ("nucleus", "holds DNA", "5")]


def test_an_image_occlusion_enhanced_note_leaves_its_hidden_id_and_original_mask_out(tmp_path):
    from anki.collection import Collection, ExportAnkiPackageOptions

    col = Collection(str(tmp_path / "collection.anki2"))
    models = col.models
    ioe = models.new("Image Occlusion Enhanced")  # the add-on's note type, as medical decks carry it
    for name in ("ID (hidden)", "Header", "Image", "Question Mask", "Footer", "Remarks", "Sources",
                 "Extra 1", "Extra 2", "Answer Mask", "Original Mask", "My notes"):
        models.add_field(ioe, models.new_field(name))
    template = models.new_template("IO Card")
    wrapper = '<div id="io-header">{{Header}}</div><div id="io-overlay">{{%s}}</div><div>{{Image}}</div>'
    template["qfmt"] = "{{#Image}}" + wrapper % "Question Mask" + "{{/Image}}"
    template["afmt"] = ("{{#Image}}" + wrapper % "Answer Mask" + "{{#Remarks}}{{Remarks}}{{/Remarks}}"
                        "{{#Sources}}{{Sources}}{{/Sources}}{{/Image}}")
    models.add_template(ioe, template)
    models.add(ioe)
    note = col.new_note(models.by_name("Image Occlusion Enhanced"))
    note["ID (hidden)"] = "3f2a9c1e8b7d4e5fa0b1c2d3e4f5a6b7-oa-1"
    note["Header"], note["Image"] = "Brachial plexus", '<img src="plexus.png">'
    note["Question Mask"], note["Answer Mask"] = '<img src="3f2a-oa-1-Q.svg">', '<img src="3f2a-oa-1-A.svg">'
    note["Original Mask"] = '<img src="3f2a-oa-O.svg">'
    note["Remarks"] = "Roots, trunks, divisions, cords, branches"
    note["My notes"] = "Erb palsy hits C5-C6"  # on no template, but words: still part of the answer
    col.add_note(note, col.decks.id("Anatomy::Upper limb::Nerves"))
    package = tmp_path / "ioe.apkg"
    col.export_anki_package(out_path=str(package), limit=None,
                            options=ExportAnkiPackageOptions(legacy=False, with_media=False))
    col.close()
    [card] = read_file(package).cards
    assert card.question == "Brachial plexus"
    # The image under its question mask is the front's; the back adds the answer mask and the remarks.
    assert card.answer == ("[image: 3f2a-oa-1-A.svg]\n\nRoots, trunks, divisions, cords, branches\n\n"
                           "Erb palsy hits C5-C6")
    assert dict(card.fields)["ID (hidden)"] == "3f2a9c1e8b7d4e5fa0b1c2d3e4f5a6b7-oa-1"  # kept as a field


def test_term_definition_lines_right_above_a_multi_line_card_are_cards_of_their_own(tmp_path):
    note = tmp_path / "biology.md"
    note.write_text("# Transport #flashcards/bio\n\nOsmosis::Diffusion of water\nDiffusion:::Net movement down a gradient\n"
                    "What is active transport?\n?\nMovement against a gradient using ATP.\n", encoding="utf-8")
    result = read_file(note)
    assert not result.problems, result.problems
    assert [(c.question, c.answer) for c in result.cards] == [
        ("Osmosis", "Diffusion of water"), ("Diffusion", "Net movement down a gradient"),
        ("What is active transport?", "Movement against a gradient using ATP.")]
