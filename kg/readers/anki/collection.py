"""An Anki collection (SQLite) to cards: schema 11 (note types and decks as JSON in `col`) and
schema 18 (`notetypes`, `fields`, `decks` tables, names under the `unicase` collation).

Every database read here is a private copy kg made (from a package, or of a profile's collection
and its write-ahead log), so it can be opened without touching the user's file. One card per note
(`kg.readers.anki.notes`); the deck is the one of the note's first card (its home deck when the
card sits in a filtered deck). Anki 2.1.50+ packages carry, for older versions, a collection whose
only note asks to update Anki: that note is never a card.

A collection damaged after Anki wrote it (what Anki's Check Database would repair) is read with a
one-line problem per damage: a note whose note type is gone is read with its fields in order (the
first asks), one whose cards' deck is gone, or that has no cards, goes to the deck named after the
file, and a card whose note is gone is named, as there is nothing to read.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import zstandard

from kg.cards import Card
from kg.errors import DeckError
from kg.readers.anki._protobuf import fields as proto_fields, varint_field
from kg.readers.anki.notes import NoteType, note_card, note_type_of
from kg.readers.problems import Guessed
from kg.readers.textio import one_line

MAX_PROFILE_BYTES = 2 << 30
PLACEHOLDER = "Please update to the latest Anki version"
_CLOZE_KIND = 1
_CHUNK = 1 << 20
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
# SQLite's lock bytes on Unix (os_unix.c): PENDING_BYTE is 0x40000000, the shared range follows it.
_SHARED_FIRST = 0x40000000 + 2
_SHARED_SIZE = 510


@dataclass(frozen=True)
class PackageInfo:
    """Where a collection came from inside a package: the member and the `meta` version (or None)."""

    member: str
    version: int | None = None


def read_collection_file(origin: Path, database: str, package: PackageInfo | None = None) -> Iterator[Card | DeckError]:
    """Cards of the collection at `database` (a private copy kg may open and change), reported as `origin`."""
    try:
        connection = _open(database)
    except sqlite3.Error as error:
        yield DeckError(origin, f"corrupt Anki collection ({one_line(error, 120)})")
        return
    try:
        yield from _read(origin, connection, package)
    except sqlite3.Error as error:
        yield DeckError(origin, f"corrupt Anki collection ({one_line(error, 120)})")
    finally:
        connection.close()


def iter_collection(path: str | Path, *, max_bytes: int = MAX_PROFILE_BYTES) -> Iterator[Card | DeckError]:
    """Cards of a collection file given directly (a profile's `collection.anki2`, an old `.anki21`,
    a package's zstd-compressed `collection.anki21b` taken out of the zip).

    The file and its write-ahead log are copied first and the copy is read, so neither Anki nor kg
    can disturb the other; a collection Anki holds open is still read, with a note saying so.
    """
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="kg-anki2-") as workdir:
        database = os.path.join(workdir, "collection.sqlite")
        try:
            size = path.stat().st_size
            if size > max_bytes:
                yield DeckError(path, f"collection of {size} bytes is over the {max_bytes >> 20} MiB limit")
                return
            problem = _copy_file(path, database, max_bytes)
            if problem:
                yield DeckError(path, problem)
                return
            wal = Path(f"{path}-wal")
            if wal.is_file():
                _copy_file(wal, database + "-wal", max_bytes)
        except PermissionError:
            yield DeckError(path, "locked by Anki; close Anki (or export the deck with File → Export) and read again")
            return
        except OSError as error:
            yield DeckError(path, f"could not be copied ({one_line(error.strerror or error, 120)})")
            return
        if _held_by_anki(path):
            yield DeckError(path, "open in Anki (locked); read from a copy, so changes Anki has not saved yet "
                                  "are missing; close Anki for a complete read")
        yield from read_collection_file(path, database)


def _copy_file(source: Path, target: str, max_bytes: int = MAX_PROFILE_BYTES) -> str | None:
    """Copy `source` to `target`, inflating a zstd-compressed collection (a package's
    `collection.anki21b` taken out of the zip) with a bound; the problem, or None."""
    with open(source, "rb") as src, open(target, "wb") as dst:
        if src.read(4) != _ZSTD_MAGIC:
            src.seek(0)
            shutil.copyfileobj(src, dst, _CHUNK)
            return None
        src.seek(0)
        written = 0
        try:
            reader = zstandard.ZstdDecompressor().stream_reader(src, read_across_frames=True)
            while chunk := reader.read(_CHUNK):
                written += len(chunk)
                if written > max_bytes:
                    return f"inflates past the {max_bytes >> 20} MiB limit"
                dst.write(chunk)
        except zstandard.ZstdError as error:
            return f"corrupt Anki collection (does not decompress: {one_line(error, 100)})"
    return None


def _held_by_anki(path: Path) -> bool:
    """True when another process holds the collection's write lock (Anki keeps its open collection
    in SQLite's exclusive locking mode).

    Asked of the operating system, as SQLite itself would (a shared lock on SQLite's lock bytes,
    released at once), because opening the database to ask would create files beside it.
    """
    try:
        import fcntl
    except ImportError:  # Windows: a locked collection cannot even be copied, which is reported
        return False
    try:
        with open(path, "rb") as f:
            try:
                fcntl.lockf(f, fcntl.LOCK_SH | fcntl.LOCK_NB, _SHARED_SIZE, _SHARED_FIRST)
            except OSError:
                return True
            fcntl.lockf(f, fcntl.LOCK_UN, _SHARED_SIZE, _SHARED_FIRST)
    except OSError:
        return False
    return False


def _unicase(a: str, b: str) -> int:
    a, b = a.casefold(), b.casefold()
    return (a > b) - (a < b)


def _open(database: str) -> sqlite3.Connection:
    with open(database, "rb") as f:
        header = f.read(100)
    if len(header) == 100 and header.startswith(b"SQLite format 3\x00") and header[18:20] == b"\x02\x02":
        if not os.path.exists(database + "-wal"):
            # WAL mode needs a -shm file beside a read-only database; this private copy has no log
            # to replay, so mark it a rollback-journal database and open it read-only.
            with open(database, "r+b") as f:
                f.seek(18)
                f.write(b"\x01\x01")
    if os.path.exists(database + "-wal"):
        connection = sqlite3.connect(database)  # replays the copied log into the private copy
    else:
        connection = sqlite3.connect(Path(database).as_uri() + "?mode=ro&immutable=1", uri=True)
    connection.create_collation("unicase", _unicase)
    connection.text_factory = lambda b: b.decode("utf-8", "replace")
    return connection


def _read(origin: Path, connection: sqlite3.Connection, package: PackageInfo | None) -> Iterator[Card | DeckError]:
    tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "notes" not in tables:
        raise sqlite3.OperationalError("no such table: notes")
    note_types, decks = _note_types_and_decks(connection, tables)
    note_deck = _note_decks(connection) if "cards" in tables else {}
    placeholders = read = 0
    rows = connection.execute("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id")
    for note_id, guid, type_id, tags, fields in rows:
        # Anki stores text; a tool that wrote bytes (a BLOB) into a note means the same UTF-8.
        fields, tags = (_text(value) for value in (fields, tags))
        if str(fields or "").startswith(PLACEHOLDER):
            placeholders += 1
            continue
        read += 1
        card = note_card(origin, note_id=note_id, guid=guid, note_type=note_types.get(type_id),
                         deck=decks.get(note_deck.get(note_id)), tags=tags, fields=fields)
        yield card
        if isinstance(card, DeckError):
            continue
        if type_id not in note_types:
            yield Guessed(origin, f"note {note_id} ({one_line(card.question, 60)!r}) has note type {type_id}, which "
                                  "the collection lacks (deleted?): its fields read in order, the first asking")
        if "cards" in tables and note_id not in note_deck:
            yield Guessed(origin, f"note {note_id} ({one_line(card.question, 60)!r}) has no cards (Anki's Check "
                                  f"Database deletes such notes), so no deck: read into deck {card.deck!r}")
        elif note_id in note_deck and note_deck[note_id] not in decks:
            yield Guessed(origin, f"note {note_id} ({one_line(card.question, 60)!r}) has its card in deck "
                                  f"{note_deck[note_id]}, which the collection lacks (deleted?): read into "
                                  f"deck {card.deck!r}")
    if placeholders and not read:
        yield DeckError(origin, _placeholder_reason(package, connection, origin))
    if "cards" in tables:
        yield from _cards_without_notes(origin, connection)


def _cards_without_notes(origin: Path, connection: sqlite3.Connection) -> Iterator[DeckError]:
    """A problem per note that cards name but the collection lacks: those cards have no text to read."""
    orphans = connection.execute(
        "SELECT nid, count(*), min(id) FROM cards WHERE nid NOT IN (SELECT id FROM notes) GROUP BY nid ORDER BY nid")
    for note_id, count, card_id in orphans:
        cards = f"card {card_id}" if count == 1 else f"{count} cards ({card_id}, ...)"
        verb = "has" if count == 1 else "have"
        yield DeckError(origin, f"note {note_id} is missing from the collection (deleted?), so {cards} naming it "
                                f"{verb} no text to read; skipped")


def _text(value):
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _placeholder_reason(package: PackageInfo | None, connection: sqlite3.Connection, origin: Path) -> str:
    if package and package.version and package.version > 3:
        writer = f"a newer Anki than kg knows (package version {package.version})"
    else:
        writer = "Anki 2.1.50 or later"
    where = "" if package is None else f" in {package.member}"
    if package is None:
        beside = [name for name in ("collection.anki21b", "collection.anki21") if (origin.parent / name).is_file()]
        if beside:  # a package taken out of its zip: the notes are in the file beside this one
            return (f"only Anki's placeholder note (\"{PLACEHOLDER}\"), for Anki versions before 2.1.50; "
                    f"the notes are in {beside[0]} beside it (or read the .apkg it came from)")
    return (f"only Anki's placeholder note{where} (\"{PLACEHOLDER}\"): the notes were written by {writer} "
            "into a part of the package that is missing or unreadable; in Anki, File → Export → "
            "'Anki Deck Package' again, ticking 'Support older Anki versions' if this persists")


def _note_decks(connection: sqlite3.Connection) -> dict[int, int]:
    # Descending ord: the dict keeps the deck of each note's first card; a card in a filtered deck
    # (odid set) counts in its home deck.
    return dict(connection.execute(
        "SELECT nid, CASE WHEN odid != 0 THEN odid ELSE did END FROM cards ORDER BY nid, ord DESC"))


def _note_types_and_decks(connection, tables: set[str]) -> tuple[dict[int, NoteType], dict[int, str]]:
    note_types: dict[int, NoteType] = {}
    decks: dict[int, str] = {}
    if {"notetypes", "fields"} <= tables:
        names: dict[int, list[str]] = {}
        # Exported packages keep fields rows of note types they dropped: only those a note names matter.
        for type_id, name in connection.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
            names.setdefault(type_id, []).append(str(name))
        formats: dict[int, list[tuple[str, str]]] = {}  # each template's (front, back), in order
        if "templates" in tables:
            for type_id, config in connection.execute("SELECT ntid, config FROM templates ORDER BY ntid, ord"):
                formats.setdefault(type_id, []).append(_template_formats(config))
        for type_id, name, config in connection.execute("SELECT id, name, config FROM notetypes"):
            kind = "cloze" if _config_kind(config) == _CLOZE_KIND else "normal"
            fields = tuple(names.get(type_id, ()))
            note_types[type_id] = note_type_of(str(name), kind, fields, formats.get(type_id, []))
    if "decks" in tables:
        for deck_id, name in connection.execute("SELECT id, name FROM decks"):
            decks[deck_id] = str(name).replace("\x1f", "::")
    if "col" in tables:
        row = connection.execute("SELECT models, decks FROM col").fetchone()
        if row:
            for type_id, model in _json_object(row[0]).items():
                if isinstance(model, dict):
                    fields = tuple(str(f.get("name", "")) for f in model.get("flds", ()) if isinstance(f, dict))
                    kind = "cloze" if model.get("type") == _CLOZE_KIND else "normal"
                    templates = [(str(t.get("qfmt") or ""), str(t.get("afmt") or ""))
                                 for t in model.get("tmpls", ()) if isinstance(t, dict)]
                    note_types.setdefault(_int(type_id), note_type_of(str(model.get("name") or ""), kind, fields, templates))
            for deck_id, deck in _json_object(row[1]).items():
                if isinstance(deck, dict) and deck.get("name"):
                    decks.setdefault(_int(deck_id), str(deck["name"]))
    return note_types, decks


def _template_formats(config) -> tuple[str, str]:
    """(`q_format`, `a_format`) of a `CardTemplateConfig` (protobuf fields 1 and 2), "" if unreadable."""
    found = {1: "", 2: ""}
    try:
        for number, value in proto_fields(bytes(config or b"")):
            if number in found and isinstance(value, bytes) and not found[number]:
                found[number] = value.decode("utf-8", "replace")
    except (ValueError, TypeError):
        pass
    return found[1], found[2]


def _config_kind(config) -> int:
    """`NotetypeConfig.kind` (protobuf field 1; absent means 0, normal)."""
    return varint_field(bytes(config or b""), 1) or 0


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
