"""A Mochi export (`.mochi`): a zip holding `data.json` (Transit) or `data.edn`, and the cards' images.

Each deck lists its cards; a deck with a `parent-id` sits under that deck (`Parent::Child`). A
card's `content` is Markdown whose sides are split by a line of `---` (the first side the
question, the others the answer); a card made from a template has `fields` instead, put into the
template's `<< Field >>` places (or, without the template, the first field the question and the
others the answer). Mochi's clozes (`{{text}}`, `{{1::text}}`) are gaps: a cloze card needs no
answer. Tags are the card's `tags` and the `#tags` written in it. A trashed card is no card, and
is reported.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Iterator

from kg.cards import Card
from kg.errors import DeckError
from kg.readers.archives import not_a_zip
from kg.readers.html import has_cloze
from kg.readers.markup import markdown_card
from kg.readers.mochi_data import MochiDataError, read_edn, read_transit

MAX_DATA_BYTES = 256 << 20
_DATA_FILES = ("data.json", "data.edn")
_SIDES = re.compile(r"^[ \t]{0,3}---[ \t]*$", re.MULTILINE)
_PLACE = re.compile(r"<<\s*([^<>]+?)\s*>>")
# Mochi's clozes, `{{text}}` and `{{1::text}}`, written as Anki's so the readers unwrap them.
_MOCHI_CLOZE = re.compile(r"\{\{(?!c\d+::)(?:(\d+)::)?([^{}]+?)\}\}")
# Mochi names a card's image by its member of the zip: `![](@media/a1b2c3.png)`.
_MEDIA_LINK = re.compile(r"\(@media/([^)\s/\\]+)\)")
_HASHTAG = re.compile(r"(?<![\w#&/])#([A-Za-z][\w/-]*)")


def iter_mochi(path: str | Path) -> Iterator[Card | DeckError]:
    """Every card of a Mochi export, or a problem naming the file (and the data file's line)."""
    path = Path(path)
    data = _read_data(path)
    if not isinstance(data, dict) or not isinstance(data.get("decks"), list):
        raise DeckError(path, "not a Mochi export (its data holds no list of decks)")
    templates = {str(t.get("id")): t for t in _maps(data.get("templates"))}
    decks = _maps(data["decks"])
    names = {str(d.get("id")): d for d in decks if d.get("id") is not None}
    for deck in decks:
        deck_name = _deck_name(deck, names)
        for i, card in enumerate(_maps(deck.get("cards"))):
            yield _card(path, card, i, deck_name, templates)


def _read_data(path: Path):
    try:
        with zipfile.ZipFile(path) as archive:
            members = {info.filename: info for info in archive.infolist()}
            name = next((n for n in _DATA_FILES if n in members), None)
            if name is None:
                raise DeckError(path, "not a Mochi export (no data.json or data.edn in it)")
            if members[name].file_size > MAX_DATA_BYTES:
                raise DeckError(path, f"{name} is too large ({members[name].file_size >> 20} MB)")
            with archive.open(members[name]) as stream:
                raw = stream.read(MAX_DATA_BYTES + 1)
    except zipfile.BadZipFile:
        raise DeckError(path, not_a_zip(path, "a Mochi export")) from None
    if len(raw) > MAX_DATA_BYTES:
        raise DeckError(path, f"{name} inflates past {MAX_DATA_BYTES >> 20} MB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DeckError(path, f"{name} is not UTF-8 text (byte {error.start})") from None
    try:
        return read_transit(text) if name == "data.json" else read_edn(text)
    except MochiDataError as error:
        where = f", line {error.line}" if error.line else ""
        raise DeckError(path, f"{name}{where}: {error}") from None
    except RecursionError:
        raise DeckError(path, f"{name} is nested too deeply to be a deck") from None


def read_media(path: str | Path, name: str, *, max_bytes: int) -> bytes | None:
    """The image a Mochi export holds under `name` (a top-level member, not its data), if any."""
    if name in _DATA_FILES or "/" in name or "\\" in name:
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(name)
            if info.file_size > max_bytes:
                return None
            with archive.open(info) as stream:
                data = stream.read(max_bytes + 1)
    except (KeyError, OSError, zipfile.BadZipFile):
        return None
    return data if len(data) <= max_bytes else None


def _deck_name(deck: dict, decks: dict) -> str:
    parts, seen, current = [], set(), deck
    while isinstance(current, dict) and id(current) not in seen:
        seen.add(id(current))
        parts.append(str(current.get("name") or "Mochi").strip() or "Mochi")
        current = decks.get(str(current.get("parent-id"))) if current.get("parent-id") is not None else None
    return "::".join(reversed(parts))


def _card(path: Path, card: dict, index: int, deck: str, templates: dict) -> Card | DeckError:
    card_id = str(card.get("id") or "") or None
    where = f"card {card_id or index + 1} of deck {deck!r}"
    if card.get("trashed?"):
        return DeckError(path, f"{where} is in Mochi's trash; skipped")
    content = _content(card, templates)
    content = _MEDIA_LINK.sub(r"(\1)", content)  # a plain name: the card page asks read_media for it
    content = _MOCHI_CLOZE.sub(lambda m: f"{{{{c{m.group(1) or 1}::{m.group(2)}}}}}", content)
    sides = [side.strip() for side in _SIDES.split(content)]
    sides = [side for side in sides if side]
    if not sides:
        return DeckError(path, f"{where} is empty; skipped")
    name = str(card.get("name") or "").strip()
    if len(sides) == 1 and not has_cloze(sides[0]) and name and name != sides[0]:
        sides = [name, *sides]  # one side only: the card's name asks, its content answers
    tags = [str(t).lstrip("#") for t in card["tags"] if str(t).strip()] if isinstance(card.get("tags"), list) else []
    made = markdown_card(sides[0], sides[1:], deck=deck, source=f"{path}#note={card_id or index + 1}",
                         guid=card_id, tags=[*tags, *_HASHTAG.findall(content)])
    if made is None:
        return DeckError(path, f"{where} ({sides[0].splitlines()[0][:40]!r}) has no answer (no `---` side); skipped")
    return made


def _content(card: dict, templates: dict) -> str:
    content = str(card.get("content") or "")
    fields = card.get("fields")
    if not isinstance(fields, dict) or not fields:
        return content
    values = {str(k): str(v.get("value") or "") if isinstance(v, dict) else str(v or "") for k, v in fields.items()}
    template = templates.get(str(card.get("template-id")))
    if template and template.get("content"):
        names = {str(f.get("name")): str(k) for k, f in (template.get("fields") or {}).items() if isinstance(f, dict)}
        filled = _PLACE.sub(lambda m: values.get(names.get(m.group(1), m.group(1)), ""), str(template["content"]))
        return filled if filled.strip() else content
    if content.strip():
        return content
    ordered = list(values.values())
    return ordered[0] + ("\n---\n" + "\n\n".join(ordered[1:]) if len(ordered) > 1 else "")


def _maps(value) -> list[dict]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
