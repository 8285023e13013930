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


@contextmanager
def collection_with(notes: list[Note]) -> Iterator:
    """A new Anki collection, in a temporary folder, holding `notes`; closed when the block ends."""
    from anki.collection import Collection

    with tempfile.TemporaryDirectory() as tmp:
        col = Collection(str(Path(tmp) / "collection.anki2"))
        try:
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


def write_package(notes: list[Note], out: Path) -> Path:
    """Add `notes` to a new collection and export it to `out` in Anki's current format (schema 18,
    zstd, `legacy=False`); returns `out`."""
    from anki.collection import ExportAnkiPackageOptions

    out.parent.mkdir(parents=True, exist_ok=True)
    with collection_with(notes) as col:
        col.export_anki_package(out_path=str(out), limit=None,
                                options=ExportAnkiPackageOptions(legacy=False, with_media=False))
    return out
