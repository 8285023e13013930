"""A deck exported by CrowdAnki (the Anki add-on decks are shared on GitHub with): `deck.json`.

    {"__type__": "Deck", "name": "Geography", "children": [{"__type__": "Deck", "name": "Europe", …}],
     "note_models": [{"__type__": "NoteModel", "crowdanki_uuid": "…", "flds": […], "tmpls": […], "type": 0}],
     "notes": [{"__type__": "Note", "fields": ["Albania", "Tirana"], "guid": "…",
                "note_model_uuid": "…", "tags": ["europe"]}],
     "media_files": ["flag.png"], …}

The top deck holds every note type (CrowdAnki writes them only there); each deck holds its own
notes, and a child deck only its last name (`Europe` under `Geography` is `Geography::Europe`).
Each note is one card, read as a note of an Anki package is (`kg.readers.anki.notes`): the field
its note type asks, its answer fields, its guid and tags. Images are in the `media/` folder beside
`deck.json`, where the card pages look for them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from kg.cards import Card
from kg.errors import DeckError
from kg.readers.anki.notes import NoteType, note_card, note_type_of

MAX_JSON_BYTES = 512 << 20
#: How much of a `.json` file is looked at to tell a CrowdAnki deck from other JSON.
SNIFF_BYTES = 4096
_CLOZE_KIND = 1
_MAX_DEPTH = 100  # deck nesting; deeper is a hostile file, not a deck


def is_crowdanki(path: Path) -> bool:
    """Whether a `.json` file starts as a CrowdAnki deck does (its `__type__` is "Deck")."""
    try:
        with open(path, "rb") as f:
            head = f.read(SNIFF_BYTES).decode("utf-8", "replace")
    except OSError:
        return False
    compact = "".join(head.split())
    return '"__type__":"Deck"' in compact


def iter_crowdanki(path: str | Path) -> Iterator[Card | DeckError]:
    """Every note of a CrowdAnki `deck.json` as a card, or a problem naming the file (and line)."""
    path = Path(path)
    if path.stat().st_size > MAX_JSON_BYTES:
        raise DeckError(path, f"too large for a deck ({path.stat().st_size >> 20} MB; at most {MAX_JSON_BYTES >> 20} MB)")
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise DeckError(path, f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    except json.JSONDecodeError as error:
        raise DeckError(path, f"not valid JSON ({error.msg}, column {error.colno})", line=error.lineno) from None
    except RecursionError:
        raise DeckError(path, "nested too deeply to be a deck") from None
    if not isinstance(data, dict) or data.get("__type__") != "Deck":
        raise DeckError(path, 'not a deck (JSON without CrowdAnki\'s "__type__": "Deck" at the top)')
    note_types: dict[str, NoteType] = {}
    _collect_note_types(data, note_types, 0)
    yield from _deck_cards(path, data, "", note_types, 0)


def _collect_note_types(deck: dict, note_types: dict, depth: int) -> None:
    # CrowdAnki writes note types on the top deck only; a hand-merged file may carry them lower.
    for model in _objects(deck.get("note_models")):
        uuid = str(model.get("crowdanki_uuid") or "")
        fields = tuple(str(f.get("name", "")) for f in sorted(_objects(model.get("flds")), key=_ord))
        templates = [(str(t.get("qfmt") or ""), str(t.get("afmt") or ""))
                     for t in sorted(_objects(model.get("tmpls")), key=_ord)]
        kind = "cloze" if model.get("type") == _CLOZE_KIND else "normal"
        note_types.setdefault(uuid, note_type_of(str(model.get("name") or ""), kind, fields, templates))
    if depth < _MAX_DEPTH:
        for child in _objects(deck.get("children")):
            _collect_note_types(child, note_types, depth + 1)


def _deck_cards(path: Path, deck: dict, parent: str, note_types: dict, depth: int) -> Iterator[Card | DeckError]:
    name = str(deck.get("name") or "").strip() or "Default"
    full = name if not parent or name.startswith(parent + "::") else f"{parent}::{name}"
    for i, note in enumerate(_objects(deck.get("notes"))):
        guid = note.get("guid")
        fields = note.get("fields")
        if not isinstance(fields, list):
            yield DeckError(path, f"note {guid or i + 1} of deck {full!r} has no list of fields; skipped")
            continue
        model_uuid = str(note.get("note_model_uuid") or "")
        note_type = note_types.get(model_uuid)
        if note_type is None:
            yield DeckError(path, f"note {guid or i + 1} of deck {full!r} names note type {model_uuid!r}, "
                                  "which the file does not hold; read by its fields' order")
        tags = note.get("tags")
        tags = " ".join(str(t) for t in tags) if isinstance(tags, list) else str(tags or "")
        yield note_card(path, note_id=guid or i + 1, guid=guid, note_type=note_type, deck=full, tags=tags,
                        fields="\x1f".join("" if f is None else str(f) for f in fields))
    if depth >= _MAX_DEPTH:
        yield DeckError(path, f"decks nested more than {_MAX_DEPTH} deep under {full!r}; not read")
        return
    for child in _objects(deck.get("children")):
        yield from _deck_cards(path, child, full, note_types, depth + 1)


def _objects(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _ord(item: dict) -> int:
    value = item.get("ord")
    return value if isinstance(value, int) else 0
