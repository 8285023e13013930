"""Anki packages (.apkg / .colpkg): a zip holding a legacy SQLite collection.

One card per note: the first field is the question, the other non-empty fields, joined by a blank
line, the answer (cloze notes with nothing else get the text with its gaps filled). The deck is the
deck of the note's first card. The collection is copied, size-capped, into a temporary file this
module names itself (never a name from the zip) and opened read-only; unsafe member names are reported.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
import zipfile
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Iterator

from kg.cards import Card, source_card_id
from kg.errors import DeckError
from kg.readers.html import field_text, has_cloze, looks_like_html
from kg.readers.textio import humanise, one_line

MAX_COLLECTION_BYTES = 512 << 20
_COLLECTIONS = ("collection.anki21", "collection.anki2")  # .anki21 is the real one when both exist
_NEWER = "collection.anki21b"
_CHUNK = 1 << 20


def iter_apkg(path: str | Path, *, max_bytes: int = MAX_COLLECTION_BYTES) -> Iterator[Card | DeckError]:
    """Cards of an Anki package; DeckErrors for what is wrong with it."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError):
        yield DeckError(path, "not an Anki package (not a zip file)")
        return
    with archive, tempfile.TemporaryDirectory(prefix="kg-apkg-") as workdir:
        members = {}
        for info in archive.infolist():
            if _unsafe(info.filename):
                yield DeckError(path, f"unsafe member name {one_line(info.filename, 80)!r} ignored")
                continue
            members.setdefault(info.filename, info)
        info = next((members[name] for name in _COLLECTIONS if name in members), None)
        if info is None:
            if _NEWER in members:
                yield DeckError(
                    path,
                    "unsupported: newer Anki format (collection.anki21b); re-export with the legacy "
                    "option ('Support older Anki versions')",
                )
            else:
                yield DeckError(path, "not an Anki package (no collection.anki2 inside)")
            return
        database = os.path.join(workdir, "collection.sqlite")
        problem = _copy_capped(archive, info, database, max_bytes)
        if problem:
            yield DeckError(path, problem)
            return
        try:
            yield from _read_collection(path, database)
        except sqlite3.Error as error:
            yield DeckError(path, f"corrupt Anki collection ({one_line(error, 120)})")


def _unsafe(name: str) -> bool:
    for flavour in (PurePosixPath, PureWindowsPath):
        pure = flavour(name)
        if pure.is_absolute() or ".." in pure.parts or pure.drive:
            return True
    return False


def _copy_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: str, max_bytes: int) -> str | None:
    limit = f"{max_bytes >> 20} MiB" if max_bytes >= 1 << 20 else f"{max_bytes} bytes"
    if info.file_size > max_bytes:
        return f"{info.filename} would inflate to {info.file_size} bytes, over the {limit} limit"
    written = 0
    try:
        with archive.open(info) as source, open(target, "wb") as sink:
            # The header's size may lie: count what really comes out.
            while chunk := source.read(_CHUNK):
                written += len(chunk)
                if written > max_bytes:
                    return f"{info.filename} inflates past the {limit} limit"
                sink.write(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as error:
        return f"unreadable {info.filename} ({one_line(error, 120)})"
    return None


def _read_collection(path: Path, database: str) -> Iterator[Card | DeckError]:
    uri = Path(database).as_uri() + "?mode=ro&immutable=1"
    connection = sqlite3.connect(uri, uri=True)
    try:
        models, decks = _models_and_decks(connection)
        # Descending ord: the dict keeps the deck of each note's first card.
        note_deck = dict(connection.execute("SELECT nid, did FROM cards ORDER BY nid, ord DESC"))
        rows = connection.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id")
        for note_id, guid, model_id, tags, fields in rows:
            yield _card(path, note_id, guid, models.get(model_id, {}), decks.get(note_deck.get(note_id)),
                        tags, fields)
    finally:
        connection.close()


def _models_and_decks(connection) -> tuple[dict, dict]:
    """Note types ({id: {"cloze": bool}}) and deck names ({id: name}), legacy or schema 11+ tables."""
    tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    models: dict = {}
    decks: dict = {}
    if "notetypes" in tables:
        # The kind (cloze or not) sits in a protobuf blob here; cloze markup in the text tells instead.
        for (model_id,) in connection.execute("SELECT id FROM notetypes"):
            models[model_id] = {"cloze": False}
    if "decks" in tables:
        for deck_id, name in connection.execute("SELECT id, name FROM decks"):
            decks[deck_id] = str(name).replace("\x1f", "::")
    if "col" in tables:
        row = connection.execute("SELECT models, decks FROM col").fetchone()
        if row:
            for model_id, model in _json_object(row[0]).items():
                if isinstance(model, dict):
                    models.setdefault(_int(model_id), {"cloze": model.get("type") == 1})
            for deck_id, deck in _json_object(row[1]).items():
                if isinstance(deck, dict) and deck.get("name"):
                    decks.setdefault(_int(deck_id), str(deck["name"]))
    return models, decks


def _json_object(text) -> dict:
    try:
        value = json.loads(text or "{}")
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _card(path, note_id, guid, model, deck, tags, fields) -> Card | DeckError:
    raw = str(fields or "").split("\x1f")
    raw_question, raw_rest = raw[0], [f for f in raw[1:] if f.strip()]
    question = field_text(raw_question)
    answer = "\n\n".join(t for t in (field_text(f) for f in raw_rest) if t)
    if not answer and (model.get("cloze") or has_cloze(raw_question)):
        answer = question
    if not question or not answer:
        missing = "question" if not question else "answer"
        return DeckError(path, f"note {note_id} has no {missing}; skipped")
    deck = deck or humanise(path.stem)
    answer_html = "\n".join(raw_rest)
    # Cloze deletions are the author's marks: the raw field keeps them even without any HTML.
    markup = looks_like_html(raw_question) or looks_like_html(answer_html) or has_cloze(raw_question)
    return Card(
        id=source_card_id(str(guid or ""), deck, question),
        guid=str(guid).strip() or None if guid else None,
        deck=deck,
        question=question,
        answer=answer,
        tags=tuple(dict.fromkeys(str(tags or "").split())),
        source=f"{path}#note={note_id}",
        question_html=raw_question if markup else None,
        answer_html=answer_html if markup else None,
    )
