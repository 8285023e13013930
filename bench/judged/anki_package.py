"""Write a judged deck as a real Anki package with Anki's own library (the `anki` package).

Used by the make_*_apkg.py scripts beside it. Each note keeps a fixed guid, so the judged cards
(bench/judged/gold_concepts.json, keyed by guid) stay the same cards when a package is written
again; Anki's note ids and timestamps change on every run.
"""

from __future__ import annotations

import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

# A note: (guid, deck, note type, fields, tags).
Note = tuple[str, str, str, list[str], list[str]]
# A note type of the author's own: its name -> (field names, front template, back template).
NoteTypes = dict[str, tuple[list[str], str, str]]


def add_note_type(col, name: str, fields: list[str], front: str, back: str) -> None:
    """Add a standard (non-cloze) note type of one card template to `col`, as Anki's "Manage Note
    Types" > "Add" does."""
    models = col.models
    model = models.new(name)
    for field in fields:
        models.add_field(model, models.new_field(field))
    template = models.new_template("Card 1")
    template["qfmt"], template["afmt"] = front, back
    models.add_template(model, template)
    models.add(model)


@contextmanager
def collection_with(notes: list[Note], note_types: NoteTypes | None = None) -> Iterator:
    """A new Anki collection, in a temporary folder, holding `notes` (of Anki's stock note types
    or of `note_types`, added first); closed when the block ends."""
    from anki.collection import Collection

    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(str(Path(tmp) / "collection.anki2"))
        try:
            for name, (fields, front, back) in (note_types or {}).items():
                add_note_type(col, name, fields, front, back)
            for guid, deck, note_type, fields, tags in notes:
                note = col.new_note(col.models.by_name(note_type))
                for name, value in zip(note.keys(), fields):
                    note[name] = value
                note.tags = list(tags)
                note.guid = guid
                col.add_note(note, col.decks.id(deck))
            yield col
        finally:
            col.close()


def write_package(notes: list[Note], out: Path, note_types: NoteTypes | None = None) -> Path:
    """Add `notes` to a new collection and export it to `out` in Anki's current format (schema 18,
    zstd, `legacy=False`); returns `out`."""
    from anki.collection import ExportAnkiPackageOptions

    out.parent.mkdir(parents=True, exist_ok=True)
    with collection_with(notes, note_types) as col:
        col.export_anki_package(out_path=str(out), limit=None,
                                options=ExportAnkiPackageOptions(legacy=False, with_media=False))
    return out


def write_cards_text(notes: list[Note], out: Path, note_types: NoteTypes | None = None) -> Path:
    """Add `notes` to a new collection and export its cards as Anki's "Cards in Plain Text" does
    (File > Export, "Include HTML and media references" on): a line per card, the question Anki
    renders, a tab, the answer; returns `out`."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with collection_with(notes, note_types) as col:
        col.export_card_csv(out_path=str(out), limit=None, with_html=True)
    return out
