"""Anki's own files, made by Anki's own library (the `anki_files` fixture), read card for card:
one card per note whatever its note type, with the note's guid, note type, every field, deck and
tags as Anki holds them, clean text, and never Anki's placeholder note."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kg.readers import read_decks, read_file
from kg.readers.anki import field_roles, package_media, read_media


TAG = re.compile(r"<[a-zA-Z/][^>]*>")
HOLD_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("PRAGMA locking_mode=EXCLUSIVE")
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.read()
db.execute("ROLLBACK")
"""


@pytest.fixture(scope="session")
def anki_notes(anki_files):
    """What Anki holds, by guid: (note type, [(field, HTML)], tags, deck of the first card)."""
    from anki.collection import Collection

    copy = anki_files["collection"].parent.parent / "expected" / "collection.anki2"
    copy.parent.mkdir()
    shutil.copy(anki_files["collection"], copy)
    col = Collection(str(copy))
    try:
        notes = {}
        for note_id in col.find_notes(""):
            note = col.get_note(note_id)
            first = min(note.cards(), key=lambda card: card.ord)
            home = first.odid or first.did  # a card borrowed by a filtered deck belongs to its home deck
            notes[note.guid] = (note.note_type()["name"], note.items(), sorted(note.tags), col.decks.name(home))
        return notes
    finally:
        col.close()


@pytest.mark.parametrize("kind", ["modern", "legacy", "colpkg", "collection"])
def test_every_anki_file_gives_exactly_its_notes_as_cards(anki_files, anki_notes, kind, anki_note_count):
    result = read_file(anki_files[kind])
    assert not result.problems, result.problems
    assert len(anki_notes) == anki_note_count
    assert sorted(c.guid for c in result.cards) == sorted(anki_notes)
    for card in result.cards:
        note_type, fields, tags, deck = anki_notes[card.guid]
        assert (card.note_type, list(card.fields), sorted(card.tags), card.deck) == (note_type, fields, tags, deck)
        for text in (card.question, card.answer):
            assert text.strip() and not TAG.search(text) and "{{" not in text and "&nbsp;" not in text, text
    assert not any("Please update" in c.question for c in result.cards)


def test_cards_keep_nested_decks_html_and_read_every_note_type(anki_files):
    cards = {c.question: c for c in read_file(anki_files["modern"]).cards}
    dns = cards["What does a DNS resolver do?"]
    assert dns.deck == "Systems::Networks::DNS" and dns.question_html == "What does a <b>DNS</b> resolver do?"
    assert dns.answer == "It turns a host name into an IP address\nand caches the answer for its TTL."
    cloze = next(c for q, c in cards.items() if q.startswith("A load balancer spreads traffic"))
    assert cloze.question == ("A load balancer spreads traffic; consistent hashing keeps keys on the same "
                              "server; a cache keeps hot keys in memory.")
    assert cloze.answer == "See the scaling notes."
    bare_cloze = cards["Consistent hashing moves only k/n keys when a cache server joins."]
    assert bare_cloze.answer == bare_cloze.question
    vocab = cards["Write-ahead log"]
    assert vocab.answer == ("A log of changes written before the data pages.\n\n"
                            "SQLite in WAL mode keeps a write-ahead log beside the database.")
    assert [name for name, _ in vocab.fields] == ["Front", "Back", "Example"]
    occlusion = cards["Parts of a load balancer"]
    assert occlusion.note_type == "Image Occlusion"
    assert occlusion.answer == "Listener and server pool\n\n[image: router.png]"
    assert cards["Reverse proxy"].note_type == "Basic (and reversed card)"


def test_a_card_in_a_filtered_deck_keeps_its_home_deck(anki_files):
    import sqlite3

    with sqlite3.connect(f"{anki_files['collection'].as_uri()}?mode=ro", uri=True) as db:
        borrowed = db.execute("SELECT count(*) FROM cards WHERE odid != 0").fetchone()[0]
    assert borrowed == 2  # the two storage notes sit in the filtered deck "Review storage"
    for kind in ("collection", "colpkg"):
        decks = {c.question: c.deck for c in read_file(anki_files[kind]).cards}
        assert decks["Write-ahead log"] == decks["Cache eviction"] == "Systems::Storage"


def test_field_roles_follow_names_and_note_type_kind():
    assert field_roles("normal", (("Front", "q"), ("Back", "a"))) == ("Front", ["Back"])
    assert field_roles("cloze", (("Text", "{{c1::x}}"), ("Back Extra", "e"))) == ("Text", ["Back Extra"])
    occlusion = (("Occlusion", "{{c1::image-occlusion:rect:left=.1:oi=1}}"), ("Image", '<img src="a.png">'),
                 ("Header", "h"), ("Back Extra", "e"), ("Comments", ""))
    assert field_roles("cloze", occlusion) == ("Header", ["Back Extra", "Image", "Comments"])
    assert field_roles("normal", (("Front", "q"), ("Back", "a"), ("Add Reverse", "y"))) == ("Front", ["Back"])
    kanji = (("Kanji", "q"), ("Reading", "r"), ("Meaning", "m"))
    assert field_roles("normal", kanji) == ("Kanji", ["Meaning", "Reading"])


def test_a_package_holding_only_the_placeholder_says_who_wrote_it_and_how_to_re_export(anki_files, tmp_path):
    stripped = tmp_path / "placeholder.apkg"
    with zipfile.ZipFile(anki_files["modern"]) as source, zipfile.ZipFile(stripped, "w") as target:
        target.writestr("collection.anki2", source.read("collection.anki2"))  # no meta, no anki21b
    result = read_file(stripped)
    assert not result.cards
    reasons = [p.reason for p in result.problems]
    assert len(reasons) == 1, reasons
    assert "placeholder note" in reasons[0] and "Anki 2.1.50 or later" in reasons[0]
    assert "File → Export" in reasons[0]


def test_a_legacy_package_is_read_from_collection_anki21_not_its_placeholder(anki_files, tmp_path, anki_note_count):
    # A legacy package holds its notes in collection.anki21 and the placeholder in collection.anki2.
    with zipfile.ZipFile(anki_files["legacy"]) as archive:
        names = archive.namelist()
    assert {"meta", "collection.anki21", "collection.anki2"} <= set(names)
    assert len(read_file(anki_files["legacy"]).cards) == anki_note_count


def test_a_collection_open_in_anki_is_read_with_what_is_still_in_its_log(anki_files, tmp_path, anki_note_count):
    from anki.collection import Collection

    profile = tmp_path / "User 1"
    profile.mkdir()
    path = profile / "collection.anki2"
    shutil.copy(anki_files["collection"], path)
    col = Collection(str(path))
    try:
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"], note["Back"] = "What is a write-ahead log for?", "Durability without rewriting pages."
        col.add_note(note, col.decks.id("Systems::Storage"))
        files = {p.name: p.read_bytes() for p in profile.iterdir() if p.is_file()}
        result = read_file(path)
        assert {p.name: p.read_bytes() for p in profile.iterdir() if p.is_file()} == files
    finally:
        col.close()
    assert not result.problems, result.problems
    assert len(result.cards) == anki_note_count + 1
    assert "What is a write-ahead log for?" in [c.question for c in result.cards]


def test_a_locked_collection_is_read_from_a_copy_and_says_so(anki_files, tmp_path, anki_note_count):
    path = tmp_path / "collection.anki2"
    shutil.copy(anki_files["collection"], path)
    # Another process holds it as Anki does: exclusive locking mode, a write under way.
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = read_file(path)
    finally:
        holder.communicate("")
    assert len(result.cards) == anki_note_count
    assert [p.reason for p in result.problems] == [
        "open in Anki (locked); read from a copy, so changes Anki has not saved yet are missing; "
        "close Anki for a complete read"
    ]


def test_package_media_are_listed_and_read_by_name(anki_files):
    for kind in ("modern", "legacy"):
        assert "router.png" in package_media(anki_files[kind])
        assert read_media(anki_files[kind], "router.png").startswith(b"\x89PNG")
        assert read_media(anki_files[kind], "../collection.anki2") is None


def test_notes_text_export_with_every_column_gives_the_same_cards(anki_files, anki_notes):
    result = read_file(anki_files["notes"])
    assert not result.problems, result.problems
    assert sorted(c.guid for c in result.cards) == sorted(anki_notes)
    for card in result.cards:
        note_type, fields, tags, deck = anki_notes[card.guid]
        assert (card.note_type, sorted(card.tags), card.deck) == (note_type, tags, deck)
        assert [value for _, value in card.fields] == [value for _, value in fields]


def _anki_exports(folder, notes, note_types=()) -> dict:
    """`notes` ((deck, note type, {field: HTML}), ...) added by Anki's own library to a new
    collection, then exported as Anki exports them: modern and legacy package, notes text export.
    `note_types` ((name, [field], [(front, back)]), ...) are made first, as a user makes them in
    Tools → Manage Note Types."""
    from anki.collection import Collection, ExportAnkiPackageOptions

    col = Collection(str(folder / "collection.anki2"))
    try:
        for type_name, field_names, templates in note_types:
            model = col.models.new(type_name)
            for field_name in field_names:
                col.models.add_field(model, col.models.new_field(field_name))
            for i, (front, back) in enumerate(templates):
                template = col.models.new_template(f"Card {i + 1}")
                template["qfmt"], template["afmt"] = front, back
                col.models.add_template(model, template)
            col.models.add(model)
        for deck, type_name, values in notes:
            note = col.new_note(col.models.by_name(type_name))
            for name, value in values.items():
                note[name] = value
            col.add_note(note, col.decks.id(deck))
        files = {}
        for name, legacy in (("modern", False), ("legacy", True)):
            files[name] = folder / f"{name}.apkg"
            col.export_anki_package(out_path=str(files[name]), limit=None,
                                    options=ExportAnkiPackageOptions(legacy=legacy, with_media=False))
        files["notes"] = folder / "notes.txt"
        col.export_note_csv(out_path=str(files["notes"]), limit=None, with_html=True, with_tags=True,
                            with_deck=True, with_notetype=True, with_guid=True)
        return files
    finally:
        col.close()


def test_nested_and_multi_line_clozes_read_as_their_whole_text(tmp_path):
    files = _anki_exports(tmp_path, [
        ("Geography", "Cloze", {"Text": "{{c1::Paris {{c2::is the capital}} of France}}"}),
        ("Geography", "Cloze", {"Text": "{{c1::Lima {{c2::is the capital {{c3::of Peru}}}}::city}}"}),
        ("Geography", "Cloze", {"Text": "Rivers: {{c1::the Rhine<br>and the Danube::two rivers}}<br>flow {{c2::east::where}}.",
                                "Back Extra": "Both rise in the Alps."}),
    ])
    for kind, path in files.items():
        result = read_file(path)
        assert not result.problems, (kind, result.problems)
        cards = {c.question: c for c in result.cards}
        assert sorted(cards) == ["Lima is the capital of Peru", "Paris is the capital of France",
                                 "Rivers: the Rhine\nand the Danube\nflow east."], kind
        assert cards["Paris is the capital of France"].answer == "Paris is the capital of France"
        assert cards["Rivers: the Rhine\nand the Danube\nflow east."].answer == "Both rise in the Alps."
        assert "{{c2::is the capital}}" in cards["Paris is the capital of France"].question_html


def test_the_cards_export_of_an_image_occlusion_note_reads_without_its_templates_button(tmp_path):
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        col.add_image_occlusion_notetype()
        image = tmp_path / "heart.png"
        image.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
        col.add_image_occlusion_note(
            notetype_id=col.models.by_name("Image Occlusion")["id"], image_path=str(image),
            occlusions="{{c1::image-occlusion:rect:left=.1:top=.1:width=.2:height=.2:oi=1}}",
            header="Chambers of the heart", back_extra="Left and right", tags=["anatomy"])
        cards = tmp_path / "cards.txt"
        col.export_card_csv(out_path=str(cards), limit=None, with_html=True)  # "Cards in Plain Text"
    finally:
        col.close()
    assert "Toggle Masks" in cards.read_text(encoding="utf-8")  # the back template's button
    result = read_file(cards)
    assert not result.problems, result.problems
    [card] = result.cards
    assert card.question == "Chambers of the heart"
    assert "Left and right" in card.answer and "Toggle" not in card.answer


def test_the_cards_export_of_a_cloze_note_reads_the_words_its_gaps_hide(tmp_path):
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        note = col.new_note(col.models.by_name("Cloze"))
        note["Text"] = "{{c1::Paris {{c2::is the capital::verb}}}} of France"
        col.add_note(note, col.decks.id("Geography"))
        cards = tmp_path / "cards.txt"
        col.export_card_csv(out_path=str(cards), limit=None, with_html=True)  # one row per card: c1, c2
    finally:
        col.close()
    assert "[...]" in cards.read_text(encoding="utf-8")  # each card's question hides its gap
    result = read_file(cards)
    assert [(c.question, c.answer) for c in result.cards] == [
        ("Paris is the capital of France", "Paris is the capital of France")]
    # The second card of the note says the same words: reported, not a second card.
    assert [p.reason.split(";")[-1].strip() for p in result.problems] == ["skipped"]
    assert "duplicate of the card at" in result.problems[0].reason


def test_a_ruby_reading_in_a_field_is_no_part_of_the_words(tmp_path):
    # Japanese decks paste words with their reading as HTML ruby; the word is 食べる, not 食たべる.
    files = _anki_exports(tmp_path, [
        ("日本語", "Basic", {"Front": "<ruby>食<rt>た</rt></ruby>べる",
                            "Back": "to eat (<ruby>漢<rp>(</rp><rt>かん</rt><rp>)</rp>字<rt>じ</rt></ruby>: 食)"}),
    ])
    for kind, path in files.items():
        [card] = read_file(path).cards
        assert (card.question, card.answer) == ("食べる", "to eat (漢字: 食)"), kind
        assert "<rt>た</rt>" in card.question_html


def test_a_profile_folder_is_read_from_its_collection_not_its_backups_or_media(tmp_path):
    from anki.collection import Collection

    profile = tmp_path / "Anki2" / "User 1"
    profile.mkdir(parents=True)
    col = Collection(str(profile / "collection.anki2"))
    try:
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"], note["Back"] = "What is latency?", "Time to first byte"
        col.add_note(note, col.decks.id("Networking"))
        col.media.write_data("glossary.txt", b"What is a media file?\nA file a note shows.\n")
        (profile / "backups").mkdir()
        col.create_backup(backup_folder=str(profile / "backups"), force=True, wait_for_completion=True)
        note["Back"] = "The time to the first byte"  # edited after the backup
        col.update_note(note)
    finally:
        col.close()
    assert [p.suffix for p in (profile / "backups").iterdir()] == [".colpkg"]
    result = read_decks([tmp_path / "Anki2"])
    assert not result.problems, result.problems
    assert [(c.question, c.answer) for c in result.cards] == [("What is latency?", "The time to the first byte")]
    assert [Path(f.path).name for f in result.files] == ["collection.anki2"]


def _crowdanki_export(col, deck_name: str) -> dict:
    """The deck.json CrowdAnki writes for `deck_name` of a collection Anki's library made: the top
    deck holds every note type, each deck its own notes, a child deck its last name only."""
    models = {}

    def deck_dict(name: str, is_child: bool) -> dict:
        deck_id = col.decks.id(name, create=False)
        notes = []
        for note_id in col.find_notes(f'"deck:{name}" -"deck:{name}::*"'):
            note = col.get_note(note_id)
            model = note.note_type()
            uuid = f"model-{model['id']}"
            models.setdefault(uuid, {**model, "__type__": "NoteModel", "crowdanki_uuid": uuid})
            notes.append({"__type__": "Note", "data": "", "fields": list(note.fields), "flags": 0,
                          "guid": note.guid, "note_model_uuid": uuid, "tags": list(note.tags)})
        children = [deck_dict(child, True) for child, _ in col.decks.children(deck_id)
                    if child.count("::") == name.count("::") + 1]  # direct children only
        return {"__type__": "Deck", "children": children, "crowdanki_uuid": f"deck-{deck_id}",
                "name": name.split("::")[-1] if is_child else name, "notes": notes, "media_files": []}

    top = deck_dict(deck_name, False)
    return {**top, "note_models": list(models.values()), "deck_configurations": []}


def test_a_crowdanki_deck_json_gives_every_note_with_its_deck_path_guid_and_tags(tmp_path):
    import json

    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        europe = col.decks.id("Geography::Europe")
        rivers = col.decks.id("Geography::Europe::Rivers")
        top = col.decks.id("Geography")
        basic, cloze = col.models.by_name("Basic"), col.models.by_name("Cloze")
        made = {}
        for deck_id, model, fields, tags in [
            (top, basic, ["What is the largest <b>ocean</b>?", "The Pacific."], ["oceans"]),
            (europe, basic, ["Capital of Albania?", "Tirana"], ["capitals", "europe"]),
            (rivers, cloze, ["The {{c1::Danube}} flows through ten countries.", ""], []),
        ]:
            note = col.new_note(model)
            for i, value in enumerate(fields):
                note.fields[i] = value
            note.tags = tags
            col.add_note(note, deck_id)
            made[fields[0]] = note.guid
        export = _crowdanki_export(col, "Geography")
    finally:
        col.close()
    folder = tmp_path / "Geography"
    folder.mkdir()
    (folder / "deck.json").write_text(json.dumps(export, indent=4, sort_keys=True), encoding="utf-8")
    (folder / "package.json").write_text('{"name": "not a deck"}', encoding="utf-8")

    result = read_decks([tmp_path / "Geography"])
    assert not result.problems and [f.layout for f in result.files] == ["crowdanki"]
    cards = {c.question: c for c in result.cards}
    assert {q: (c.deck, c.tags, c.guid, c.note_type) for q, c in cards.items()} == {
        "What is the largest ocean?": ("Geography", ("oceans",), made["What is the largest <b>ocean</b>?"], "Basic"),
        "Capital of Albania?": ("Geography::Europe", ("capitals", "europe"), made["Capital of Albania?"], "Basic"),
        "The Danube flows through ten countries.": (
            "Geography::Europe::Rivers", (), made["The {{c1::Danube}} flows through ten countries."], "Cloze"),
    }
    assert cards["What is the largest ocean?"].answer == "The Pacific."


def test_a_broken_deck_json_is_one_line_naming_file_and_line_and_other_decks_still_read(tmp_path):
    (tmp_path / "deck.json").write_text('{"__type__": "Deck",\n "name": "X",\n "notes": [,]}\n', encoding="utf-8")
    (tmp_path / "ok.txt").write_text("Q: What is latency?\nA: Time to the first byte.\n", encoding="utf-8")
    result = read_decks([tmp_path])
    assert [c.question for c in result.cards] == ["What is latency?"]
    (problem,) = result.problems
    assert problem.line == 3 and str(problem).startswith(f"{tmp_path / 'deck.json'}:3: not valid JSON")


def test_a_note_type_whose_card_asks_its_back_or_meaning_asks_that_field_not_its_front(tmp_path):
    # A user's reversed note types: Anki's card shows `{{Back}}` / `{{Meaning}}` first, whatever
    # the field names say.
    files = _anki_exports(tmp_path, [
        ("Spanish", "Reverse only", {"Front": "perro", "Back": "dog"}),
        ("Spanish", "Vocab", {"Word": "gato", "Picture": "", "Meaning": "cat (animal)",
                              "Example": "El gato duerme.", "Notes": ""}),
    ], note_types=[
        ("Reverse only", ["Front", "Back"], [("{{Back}}", "{{FrontSide}}<hr id=answer>{{Front}}")]),
        ("Vocab", ["Word", "Picture", "Meaning", "Example", "Notes"],
         [("<div>{{Meaning}}</div>{{#Picture}}{{Picture}}{{/Picture}}",
           "{{FrontSide}}<hr id=answer>{{Word}}<br>{{Example}}<br>{{Notes}}"),
          ("{{Word}}", "{{FrontSide}}<hr id=answer>{{Meaning}}")]),
    ])
    for kind in ("modern", "legacy"):
        result = read_file(files[kind])
        assert not result.problems, (kind, result.problems)
        assert sorted((c.question, c.answer) for c in result.cards) == [
            ("cat (animal)", "gato\n\nEl gato duerme."), ("dog", "perro")], kind


def test_a_note_with_a_blank_front_or_back_is_named_with_what_it_lacks(tmp_path):
    # Anki makes a card of each (its front says "The front of this card is blank"); kg names each note.
    files = _anki_exports(tmp_path, [
        ("Networks", "Basic", {"Front": "What is TCP?", "Back": "A transport protocol."}),
        ("Networks", "Basic", {"Front": "", "Back": "A back whose front was never written"}),
        ("Networks", "Basic", {"Front": "<div>&nbsp;</div>", "Back": "A back under a blank-looking front"}),
        ("Networks", "Basic", {"Front": "What is UDP?", "Back": "<div><br></div>"}),
    ])
    for kind in ("modern", "legacy"):
        result = read_file(files[kind])
        assert [c.question for c in result.cards] == ["What is TCP?"], kind
        reasons = [re.sub(r"^note \d+", "note N", p.reason) for p in result.problems]
        assert reasons == ["note N has no question (its Front field is empty); skipped",
                           "note N has no question (its Front field is empty); skipped",
                           "note N ('What is UDP?') has no answer; skipped"], kind
        assert all(str(p).startswith(f"{files[kind]}: note ") for p in result.problems)
    # `kg build`'s account of the file counts them by kind, whatever note each names.
    [account] = read_decks([files["modern"]]).files
    assert account.reasons == {"a note has no question (its Front field is empty); skipped": 2,
                               "a note has no answer; skipped": 1}


def test_an_image_named_with_spaces_is_named_whole_on_a_card_that_has_no_text(tmp_path):
    # Anki keeps a media file's own name in the note, spaces and all (a macOS screenshot dragged in).
    from anki.collection import Collection, ExportAnkiPackageOptions

    shot = tmp_path / "Screen Shot 2024-01-01 at 10.00.00.png"
    shot.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        name = col.media.add_file(str(shot))
        note = col.new_note(col.models.by_name("Basic"))
        note["Front"], note["Back"] = f'<img src="{name}">', "The left ventricle"
        col.add_note(note, col.decks.id("Anatomy"))
        col.add_image_occlusion_notetype()
        col.add_image_occlusion_note(
            notetype_id=col.models.by_name("Image Occlusion")["id"], image_path=str(shot),
            occlusions="{{c1::image-occlusion:rect:left=.1:top=.1:width=.2:height=.2:oi=1}}",
            header="", back_extra="", tags=[])
        packages = {legacy: tmp_path / f"anatomy-{legacy}.apkg" for legacy in (False, True)}
        for legacy, package in packages.items():
            col.export_anki_package(out_path=str(package), limit=None,
                                    options=ExportAnkiPackageOptions(legacy=legacy, with_media=True))
    finally:
        col.close()
    assert " " in name
    for package in packages.values():
        result = read_file(package)
        assert not result.problems, result.problems
        assert sorted((c.note_type, c.question) for c in result.cards) == [
            ("Basic", f"[image: {name}]"), ("Image Occlusion", f"[image: {name}]")]
        assert read_media(package, name).startswith(b"\x89PNG")


def test_a_numbered_list_keeps_its_numbers_in_the_card_text(tmp_path, anki_basic_package):
    # An <ol> in a note (Anki's editor writes one for a numbered list) reads "1. ... 2. ...", as
    # the card shows it; a bulleted <ul> inside it keeps its dashes, and <ol start> its first number.
    back = ("<ol><li>Observe</li><li>Hypothesise<ul><li>make it testable</li></ul></li>"
            "<li>Experiment</li></ol><ol start=\"4\"><li>Conclude</li></ol>")
    package = anki_basic_package(tmp_path / "science.apkg",
                                 [("What are the steps of the scientific method?", back)], "Science")
    (card,) = read_file(package).cards
    assert card.answer == "1. Observe\n2. Hypothesise\n- make it testable\n3. Experiment\n4. Conclude"


def test_a_notes_export_without_html_but_with_hierarchical_tags_reads_as_anki_wrote_it(tmp_path):
    # "Notes in Plain Text" with "Include HTML" off and "Include tags" on: the `::` of a tag
    # (`biology::cell`) is no Obsidian `Question::Answer` card, and an image-only side, emptied by
    # the export, leaves a record without a question or answer, as Anki's importer reads the file.
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        for front, back in [("What is ATP?", "The cell's energy currency"),
                            ("Mitosis", "Division into two identical cells"),
                            ('<img src="cell.png">', "A eukaryotic cell"),
                            ("[sound:ribosome.mp3]", "Ribosome"),
                            ("The nucleus", '<img src="nucleus.png">'),
                            ("Osmosis", "Water moving across a membrane")]:
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"], note["Back"] = front, back
            note.tags = ["biology::cell", "exam::2024"]
            col.add_note(note, col.decks.id("Biology"))
        notes = tmp_path / "biology.txt"
        col.export_note_csv(out_path=str(notes), limit=None, with_html=False, with_tags=True,
                            with_deck=False, with_notetype=False, with_guid=False)
    finally:
        col.close()
    assert notes.read_text(encoding="utf-8").startswith("#separator:tab\n#html:false\n#tags column:3\n")
    result = read_file(notes)
    assert [account.layout for account in result.files] == ["delimited"]
    assert [(c.question, c.answer, c.tags) for c in result.cards] == [
        ("What is ATP?", "The cell's energy currency", ("biology::cell", "exam::2024")),
        ("Mitosis", "Division into two identical cells", ("biology::cell", "exam::2024")),
        ("Osmosis", "Water moving across a membrane", ("biology::cell", "exam::2024"))]
    assert [(p.line, p.reason) for p in result.problems] == [
        (6, "record without a question skipped"), (7, "record without a question skipped"),
        (8, "record without an answer skipped")]


def test_a_blank_front_in_anki_text_exports_is_reported_not_read_as_a_card(tmp_path):
    # Anki's "Cards in Plain Text" writes its own error message for a card whose front is blank
    # ("The front of this card is blank. More information", linked to its manual): no card of the
    # user's. Its "Notes in Plain Text" names the note type: the blank field is named, as a package's.
    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        for front, back in [("What is TCP?", "A transport protocol."), ("", "A back whose front was never written")]:
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"], note["Back"] = front, back
            col.add_note(note, col.decks.id("Networks"))
        exports = {name: tmp_path / f"{name}.txt" for name in ("cards-html", "cards-plain", "notes")}
        col.export_card_csv(out_path=str(exports["cards-html"]), limit=None, with_html=True)
        col.export_card_csv(out_path=str(exports["cards-plain"]), limit=None, with_html=False)
        col.export_note_csv(out_path=str(exports["notes"]), limit=None, with_html=True, with_tags=False,
                            with_deck=True, with_notetype=True, with_guid=False)
    finally:
        col.close()
    assert "The front of this card is blank." in exports["cards-plain"].read_text(encoding="utf-8")
    for name, path in exports.items():
        result = read_file(path)
        assert [(c.question, c.answer) for c in result.cards] == [("What is TCP?", "A transport protocol.")], name
        [problem] = result.problems
        assert problem.line == {"notes": 6}.get(name, 4), name  # under its headers, the second record
        assert problem.reason == {
            "notes": "record without a question skipped (its Front field is empty)",
        }.get(name, "a card Anki could not render ('The front of this card is blank.'); skipped"), name


def test_a_package_that_is_no_zip_says_what_it_is_instead(anki_files, tmp_path):
    # What users really hold under an .apkg name: a download cut short, AnkiWeb's page saved in
    # its place, an empty file, a profile's collection renamed. Each is one line saying which.
    whole = anki_files["modern"].read_bytes()
    files = {
        "cut.apkg": whole[: len(whole) // 2],
        "page.apkg": b"<!DOCTYPE html>\n<html><head><title>AnkiWeb</title></head><body>Log in</body></html>",
        "empty.colpkg": b"",
        "renamed.apkg": anki_files["collection"].read_bytes(),
        "cut.mochi": whole[:100],
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    result = read_decks([tmp_path])
    assert not result.cards
    assert {Path(p.path).name: p.reason for p in result.problems} == {
        "cut.apkg": "damaged Anki package: its zip archive is cut short or corrupt (a download or copy that did not finish?)",
        "page.apkg": "not an Anki package but a web page (HTML): saved in place of the download?",
        "empty.colpkg": "empty file (0 bytes), not an Anki package",
        "renamed.apkg": "not an Anki package but a SQLite database (an Anki collection? name it .anki2 to read it as one)",
        "cut.mochi": "damaged Mochi export: its zip archive is cut short or corrupt (a download or copy that did not finish?)",
    }


def _anki_imports(folder: Path, files: dict[str, str]) -> dict:
    """Write each text file, import it with Anki's own importer as File > Import does (its default
    mapping), and return what Anki made: {Front: (Back, sorted tags)}."""
    from anki.collection import Collection, ImportCsvRequest

    col = Collection(str(folder / "collection.anki2"))
    try:
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
            metadata = col.get_csv_metadata(path=str(folder / name), delimiter=None)
            col.import_csv(ImportCsvRequest(path=str(folder / name), metadata=metadata))
        notes = (col.get_note(note_id) for note_id in col.find_notes(""))
        return {note["Front"]: (note["Back"], tuple(sorted(note.tags))) for note in notes}
    finally:
        col.close()


def _reads_as_anki_imports(folder: Path, files: dict[str, str]) -> None:
    imported = _anki_imports(folder, files)
    assert len(imported) == sum(text.count("\n") for text in files.values()) - sum(
        line.startswith(("#", "tags:")) for text in files.values() for line in text.splitlines())
    for name in files:
        result = read_file(folder / name)
        assert not result.problems, (name, result.problems)
        for card in result.cards:
            assert (card.answer_html or card.answer, tuple(sorted(card.tags))) == imported[card.question], name


def test_a_column_after_the_note_types_fields_is_read_as_tags_as_anki_imports_it(tmp_path):
    # Files written for Anki's importer: `#columns:Front|Back|Tags`, and a third column under
    # `#notetype:Basic`. Anki takes the column after the note type's fields as the note's tags;
    # kg read their words into the answer ('4\n\nmath'). The truth is what Anki's own import makes.
    _reads_as_anki_imports(tmp_path, {
        "labelled.txt": "#separator:Pipe\n#html:false\n#columns:Front|Back|Tags\n"
                        "What is 2+2?|4|math\nWhat is 3×3?|9|math times-tables\n",
        "typed.txt": "#separator:Semicolon\n#html:true\n#notetype:Basic\n#deck:Arithmetic\n"
                     "What is 7−5?;<b>2</b>;math subtraction\nWhat is 10÷2?;5;math\n",
    })


def test_a_first_tags_line_tags_every_note_as_anki_imports_it(tmp_path):
    # The older header Anki's importer still reads: a first line `tags:...` tags every note; kg
    # reported it as a record without an answer and lost the tags.
    _reads_as_anki_imports(tmp_path, {
        "chemistry.txt": "tags:chemistry exam-1\nWhat is H2O?\tWater\nWhat is NaCl?\tTable salt\n",
    })


def test_a_row_short_of_its_headers_last_column_or_long_by_empty_fields_is_read_as_anki_imports_it(tmp_path):
    # A hand-kept CSV whose `Example` column is filled on some rows only, and a row a spreadsheet
    # wrote with trailing commas: Anki's importer takes every row; kg reported '2 fields where 3
    # were expected' and '5 fields where 3 ...' and lost both cards.
    text = ("Front,Back,Example\nWhat is 2+2?,4,two and two\nWhat is 3×3?,9\n"
            "What is 10÷2?,5,,,\n")
    imported = _anki_imports(tmp_path, {"arithmetic.csv": text})
    result = read_file(tmp_path / "arithmetic.csv")
    assert not result.problems, result.problems
    assert [(c.question, c.answer) for c in result.cards] == [
        (front, imported[front][0]) for front in ("What is 2+2?", "What is 3×3?", "What is 10÷2?")]


def test_a_row_long_by_words_past_the_headers_last_column_is_still_reported(tmp_path):
    # Words past the last named column may be an answer split at an unquoted comma: never guessed at.
    deck = tmp_path / "capitals.csv"
    deck.write_text("Front,Back\nCapital of France?,Paris\nCapital of Italy?,Rome, since 1871\n", encoding="utf-8")
    result = read_file(deck)
    assert [c.question for c in result.cards] == ["Capital of France?"]
    assert [str(p) for p in result.problems] == [f"{deck}:3: 3 fields where 2 were expected; record skipped"]


def test_a_cloze_note_type_showing_several_fields_as_clozes_asks_with_all_of_them(tmp_path):
    # A cloze note type of the user's own whose card shows two fields as clozes
    # (`{{cloze:Text}}{{cloze:Text2}}`): its second text was read as the answer, beside Back Extra.
    from anki.collection import Collection, ExportAnkiPackageOptions

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        models = col.models
        two = models.copy(models.by_name("Cloze"), add=False)
        two["name"] = "Cloze (two texts)"
        models.add_field(two, models.new_field("Text2"))
        two["tmpls"][0]["qfmt"] = "{{cloze:Text}}<br>{{cloze:Text2}}"
        two["tmpls"][0]["afmt"] = "{{cloze:Text}}<br>{{cloze:Text2}}<hr>{{Back Extra}}"
        models.add(two)
        note = col.new_note(models.by_name("Cloze (two texts)"))
        note["Text"], note["Text2"] = "ATP is made in the {{c1::mitochondria}}", "by {{c2::oxidative phosphorylation}}"
        note["Back Extra"] = "Chemiosmosis drives ATP synthase"
        col.add_note(note, col.decks.id("Biology"))
        package = tmp_path / "biology.apkg"
        col.export_anki_package(out_path=str(package), limit=None, options=ExportAnkiPackageOptions(legacy=False))
        # Anki makes a card per deletion, each showing the cloze fields that hold its number.
        asked = [TAG.sub("", col.get_card(card_id).question()).split("}")[-1].split("[...]")[0].strip()
                 for card_id in note.card_ids()]
    finally:
        col.close()
    result = read_file(package)
    assert not result.problems, result.problems
    [card] = result.cards
    assert card.question == "ATP is made in the mitochondria\nby oxidative phosphorylation"
    assert card.answer == "Chemiosmosis drives ATP synthase"
    assert asked == ["ATP is made in the", "by"] and all(text in card.question for text in asked)


def test_a_field_opening_with_a_quoted_phrase_is_read_as_anki_imports_it_with_its_quotes(tmp_path):
    # As people type a TSV or CSV: a question that opens with a quotation. The csv module refused
    # each such line ("malformed record skipped ('\t' expected after '"')"); Anki's importer takes
    # them (and drops the quote marks, which kg keeps as written).
    files = {"quotes.tsv": '"To be or not to be" is from which play?\tHamlet\n'
                           '"Veni, vidi, vici" was said by?\tJulius Caesar\n',
             "quotes.csv": '"Cogito, ergo sum" is whose?,"Descartes, in 1637"\n'}
    imported = _anki_imports(tmp_path, files)
    cards = read_decks([tmp_path / name for name in files])
    assert not cards.problems, cards.problems
    assert [(c.question, c.answer) for c in cards.cards] == [
        ('"To be or not to be" is from which play?', "Hamlet"),
        ('"Veni, vidi, vici" was said by?', "Julius Caesar"),
        ('"Cogito, ergo sum" is whose?', "Descartes, in 1637")]
    assert {front: back for front, (back, _) in imported.items()} == {
        c.question.replace('"', ""): c.answer for c in cards.cards}


def test_a_notes_export_whose_first_note_is_over_the_line_limit_is_still_read_as_anki_wrote_it(tmp_path):
    # A note holding a picture inlined as base64 (pasted from a web page): its line in Anki's
    # "Notes in Plain Text" is 2 MB, past kg's line limit and past the lines layouts are scored on.
    # With no card of the file's own layout among them, Quizlet's won: one card of base64 noise,
    # every other note lost. Anki's header says the file's layout whatever the lines scored hold.
    import base64
    import os

    from anki.collection import Collection

    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        picture = base64.b64encode(os.urandom(1_500_000)).decode()
        for front, back in [("What does this chart show?", f'Rising CO2 <img src="data:image/png;base64,{picture}">'),
                            ("What is the Keeling curve?", "CO2 measured at Mauna Loa since 1958")]:
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"], note["Back"] = front, back
            col.add_note(note, col.decks.id("Climate"))
        export = tmp_path / "climate.txt"
        col.export_note_csv(out_path=str(export), limit=None, with_html=True, with_tags=True, with_deck=True,
                            with_notetype=True, with_guid=True)
    finally:
        col.close()
    result = read_file(export)
    assert result.files[0].layout == "delimited"
    assert [(c.deck, c.question) for c in result.cards] == [("Climate", "What is the Keeling curve?")]
    assert [str(p) for p in result.problems] == [f"{export}:7: line over 1 MB skipped"]


def test_a_note_whose_fields_a_tool_stored_as_bytes_is_read_as_its_text(tmp_path):
    # A collection Anki's library wrote, then changed by a tool that stored a note's fields and tags
    # as a BLOB: the note was "note N (\"b'Qu\\xc3\\xa9 es...'\") has no answer", its card lost.
    import sqlite3

    from anki.collection import Collection

    path = tmp_path / "collection.anki2"
    col = Collection(str(path))
    try:
        for front, back in [("¿Qué es un perro?", "A dog"), ("¿Qué es un gato?", "A cat")]:
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"], note["Back"] = front, back
            col.add_note(note, col.decks.id("Español"))
    finally:
        col.close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE notes SET flds = CAST(flds AS BLOB), tags = CAST(' vocab ' AS BLOB) WHERE flds LIKE '%perro%'")
    db.close()
    result = read_file(path)
    assert not result.problems, result.problems
    assert [(c.question, c.answer, c.tags) for c in result.cards] == [
        ("¿Qué es un perro?", "A dog", ("vocab",)), ("¿Qué es un gato?", "A cat", ())]


def test_a_folded_section_in_a_field_keeps_its_summary_apart_from_its_text(tmp_path, anki_basic_package):
    # A hint folded in HTML's <details> (as Anki users hide a mnemonic on the back): its summary and
    # its text ran together into one word, 'MnemonicKing Philip came over'.
    package = anki_basic_package(tmp_path / "taxonomy.apkg", [(
        "The ranks of biological classification?",
        "Domain, kingdom, phylum, class, order, family, genus, species"
        "<details><summary>Mnemonic</summary>King Philip came over for good soup</details>")], "Biology")
    [card] = read_file(package).cards
    assert card.answer == ("Domain, kingdom, phylum, class, order, family, genus, species\nMnemonic\n"
                           "King Philip came over for good soup")


def test_a_damaged_collection_names_each_note_it_reads_by_guess_and_each_card_it_cannot_read(tmp_path):
    # A collection Anki's library wrote, damaged after (what Anki's Check Database repairs): a note
    # whose note type was deleted was read by position with no word, a card whose deck was deleted
    # went to the file's deck with no word (so did a note without cards), and a card without its note
    # gave nothing and no problem.
    import sqlite3

    from anki.collection import Collection

    path = tmp_path / "biology.anki2"
    col = Collection(str(path))
    try:
        vocab = col.models.copy(col.models.by_name("Basic"))
        vocab["name"] = "Vocab"
        col.models.update_dict(vocab)
        vocab = col.models.by_name("Vocab")
        ids = {}
        for front, back, model, deck in [("What is ATP?", "Energy currency", "Basic", "Biology::Cells"),
                                         ("Mitosis", "Cell division", "Vocab", "Biology::Cells"),
                                         ("What is DNA?", "The genome's molecule", "Basic", "Biology::Genes"),
                                         ("What is RNA?", "A messenger", "Basic", "Biology::Cells")]:
            note = col.new_note(col.models.by_name(model))
            note["Front"], note["Back"] = front, back
            col.add_note(note, col.decks.id(deck))
            ids[front] = note.id
        lost_card = col.get_note(ids["What is RNA?"]).cards()[0].id
        genes = col.decks.id("Biology::Genes")
    finally:
        col.close()
    with sqlite3.connect(path) as db:
        db.create_collation("unicase", lambda a, b: (a.casefold() > b.casefold()) - (a.casefold() < b.casefold()))
        db.execute("DELETE FROM notetypes WHERE id = ?", (vocab["id"],))
        db.execute("DELETE FROM decks WHERE id = ?", (genes,))
        db.execute("DELETE FROM notes WHERE id = ?", (ids["What is RNA?"],))
        db.execute("DELETE FROM cards WHERE nid = ?", (ids["What is ATP?"],))
    db.close()
    result = read_file(path)
    assert [(c.deck, c.question, c.answer) for c in result.cards] == [
        ("Biology", "What is ATP?", "Energy currency"),
        ("Biology::Cells", "Mitosis", "Cell division"),
        ("Biology", "What is DNA?", "The genome's molecule"),
    ]
    assert [p.reason for p in result.problems] == [
        f"note {ids['What is ATP?']} ('What is ATP?') has no cards (Anki's Check Database deletes such notes), "
        "so no deck: read into deck 'Biology'",
        f"note {ids['Mitosis']} ('Mitosis') has note type {vocab['id']}, which the collection lacks (deleted?): "
        "its fields read in order, the first asking",
        f"note {ids['What is DNA?']} ('What is DNA?') has its card in deck {genes}, which the collection lacks "
        "(deleted?): read into deck 'Biology'",
        f"note {ids['What is RNA?']} is missing from the collection (deleted?), so card {lost_card} naming it "
        "has no text to read; skipped",
    ]
    assert (result.files[0].cards, result.files[0].skipped) == (3, 1)  # guesses are kept, not skipped


def test_a_note_type_of_the_users_own_reads_as_its_card_shows_it_front_and_back(tmp_path):
    # What each card template shows, decided per note: a front chosen by `{{^Alt}}...{{#Alt}}`
    # asked 'unused'; a hint shown only on the front, an id no template shows ('B-001') and a
    # Topic the back never shows were words of the answer. Anki's own rendering is the measure.
    from anki.collection import Collection

    files = _anki_exports(tmp_path, [
        ("Bio", "Cond front", {"Front": "unused", "Back": "Ribonucleic acid", "Alt": "What is RNA?"}),
        ("Bio", "Cond front", {"Front": "What is DNA?", "Back": "Deoxyribonucleic acid", "Alt": "<br>"}),
        ("Bio", "Hinted", {"ID": "B-001", "Front": "What does a ribosome make?", "Back": "Proteins",
                           "Hint": "think translation"}),
        ("Bio", "Study card", {"Topic": "Kepler", "Question": "What shape is an orbit?", "Answer": "An ellipse",
                               "Source": "Curtis ch. 2"}),
        ("Bio", "TypeIn", {"Front": "Capital of Peru?", "Back": "Lima"}),
    ], note_types=[
        ("Cond front", ["Front", "Back", "Alt"],
         [("{{^Alt}}{{Front}}{{/Alt}}{{#Alt}}{{Alt}}{{/Alt}}", "{{FrontSide}}<hr id=answer>{{Back}}")]),
        ("Hinted", ["ID", "Front", "Back", "Hint"],
         [("{{Front}}{{#Hint}}<br>{{hint:Hint}}{{/Hint}}", "{{Front}}<hr id=answer>{{Back}}")]),
        ("Study card", ["Topic", "Question", "Answer", "Source"],
         [("<!-- {{Topic}} -->{{Question}}", "{{FrontSide}}<hr id=answer>{{Answer}}<br><small>{{Source}}</small>")]),
        ("TypeIn", ["Front", "Back"], [("{{Front}}<br>{{type:Back}}", "{{FrontSide}}<hr id=answer>{{type:Back}}")]),
    ])
    expected = [
        ("Capital of Peru?", "Lima"),
        ("What does a ribosome make?\nthink translation", "Proteins"),
        ("What is DNA?", "Deoxyribonucleic acid"),
        ("What is RNA?", "Ribonucleic acid"),
        ("What shape is an orbit?", "An ellipse\n\nCurtis ch. 2"),
    ]
    for kind in ("modern", "legacy"):
        result = read_file(files[kind])
        assert not result.problems, (kind, result.problems)
        assert sorted((c.question, c.answer) for c in result.cards) == expected, kind
    col = Collection(str(tmp_path / "collection.anki2"))
    try:  # each side's words are on Anki's own card, and the answer's on its back only
        shown = [(TAG.sub(" ", card.question()), TAG.sub(" ", card.answer()))
                 for card in (col.get_card(i) for i in col.find_cards(""))]
    finally:
        col.close()
    for question, answer in expected:
        front, back = next((f, b) for f, b in shown if question.split("\n")[0] in f)
        assert all(line in front for line in question.split("\n"))  # a hint waits hidden on the front
        if "[[type:" not in back:  # Anki's reviewer fills in the typed answer's comparison, not its library
            assert all(part in back and part not in front for part in answer.split("\n\n")), (front, back)
