"""The Spaced Repetition plugin's settings of the Obsidian vault a note is in: which tags name decks,
which separators split a card and which line ends one, as the user set them.

The plugin keeps them in `<vault>/.obsidian/plugins/obsidian-spaced-repetition/data.json`
(`settings.flashcardTags`, `singleLineCardSeparator`, `singleLineReversedCardSeparator`,
`multilineCardSeparator`, `multilineReversedCardSeparator`, `multilineCardEndMarker`,
`convertFoldersToDecks`). A note outside a vault, or a vault without the plugin's file, reads with
the plugin's defaults (`#flashcards`, `::`, `:::`, `?`, `??`, a blank line ending a card, decks
from tags). An empty separator turns that kind of card off, as in the plugin.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

SETTINGS = Path(".obsidian") / "plugins" / "obsidian-spaced-repetition" / "data.json"
_MAX_SETTINGS_BYTES = 1 << 20
_MAX_DEPTH = 32  # folders walked up from a note to find its vault
_DEFAULT_TAGS = ("#flashcards",)


@dataclass(frozen=True)
class CardRules:
    """How a vault's notes write cards: its deck tags and its separators, as regexes."""

    deck_tag: re.Pattern  # group 1: the deck path after the tag (`/chemistry/acids`)
    inline: re.Pattern | None  # `Question::Answer` on one line; group 2 starts the answer
    inline_mark: re.Pattern | None  # the separator at the end of a question cut from its line
    multiline: re.Pattern | None  # the line between a multi-line card's question and answer
    end_marker: str = ""  # the line that ends a multi-line card ("": a blank line does)
    folder_deck: str | None = None  # the note's folders in the vault, when they are its deck


def card_rules(note: Path) -> CardRules:
    """The rules of the vault `note` is in (the plugin's defaults outside one)."""
    found, stamp = _settings_file(note), None
    try:
        if found is not None:
            info = found.stat()
            stamp = (info.st_mtime_ns, info.st_size)
    except OSError:
        found = None
    # Keyed by the file's time and size: a live rebuild (`kg serve --watch`) sees a changed setting.
    *settings, folders = _settings(found, stamp)
    rules = _rules(*settings)
    if folders and found is not None:
        # "Convert folders to decks": `Biology/Cells/note.md` is in the deck Biology::Cells.
        vault = found.parents[len(SETTINGS.parts) - 1]
        try:
            parts = note.resolve().parent.relative_to(vault).parts
        except (OSError, ValueError):
            parts = ()
        if parts:
            rules = replace(rules, folder_deck="::".join(parts))
    return rules


def _settings_file(note: Path) -> Path | None:
    try:
        folder = note.resolve().parent
    except OSError:
        return None
    for _ in range(_MAX_DEPTH):
        candidate = folder / SETTINGS
        if candidate.is_file():
            return candidate
        if folder.parent == folder:
            break
        folder = folder.parent
    return None


@lru_cache(maxsize=64)
def _settings(path: Path | None, stamp) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str, bool]:
    """(deck tags, one-line separators, multi-line separators, end marker, whether folders are decks)
    of one settings file as of `stamp`."""
    settings: dict = {}
    if path is not None:
        try:
            if stamp[1] <= _MAX_SETTINGS_BYTES:
                found = json.loads(path.read_text(encoding="utf-8")).get("settings", {})
                settings = found if isinstance(found, dict) else {}
        except (OSError, ValueError, AttributeError):
            settings = {}  # an unreadable settings file: the plugin's defaults
    tags = settings.get("flashcardTags")
    tags = tuple(t for t in tags if isinstance(t, str) and t.strip("# ")) if isinstance(tags, list) else ()

    def separator(key: str, default: str) -> str:
        value = settings.get(key, default)
        return value.strip() if isinstance(value, str) else default

    inline = (separator("singleLineReversedCardSeparator", ":::"), separator("singleLineCardSeparator", "::"))
    multiline = (separator("multilineReversedCardSeparator", "??"), separator("multilineCardSeparator", "?"))
    return (tags or _DEFAULT_TAGS, inline, multiline, separator("multilineCardEndMarker", ""),
            settings.get("convertFoldersToDecks") is True)


@lru_cache(maxsize=64)
def _rules(tags: tuple[str, ...], inline: tuple[str, ...], multiline: tuple[str, ...], end_marker: str) -> CardRules:
    names = []
    for tag in tags:
        name = tag.strip().lstrip("#").strip("/")
        names.append("flashcards?" if name.casefold() == "flashcards" else re.escape(name))
    deck_tag = re.compile(rf"(?<![\w/])#(?:{'|'.join(names)})((?:/[\w\-]+)*)(?![\w/])", re.IGNORECASE)
    marks = _alternatives(inline)
    multi = _alternatives(multiline)
    return CardRules(
        deck_tag=deck_tag,
        inline=re.compile(rf"^(.*?\S)\s*(?:{marks})\s*(\S.*)$") if marks else None,
        inline_mark=re.compile(rf"\s*(?:{marks})\s*$") if marks else None,
        multiline=re.compile(rf"^\s*(?:{multi})\s*$") if multi else None,
        end_marker=end_marker,
    )


def _alternatives(separators) -> str:
    """A regex alternation of the non-empty separators, the longest first (`:::` before `::`)."""
    kept = sorted({s for s in separators if s}, key=len, reverse=True)
    return "|".join(re.escape(s) for s in kept)
