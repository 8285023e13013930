"""Deck readers: files and folders in, cards and problems out, never a traceback.

`read_decks(paths)` reads files and folders (recursively); `read_file(path)` one file; `iter_cards(path)`
streams one file's cards and problems. The format is chosen by extension and confirmed by content:
`.apkg`/`.colpkg` Anki packages, `.md` Markdown, `.csv`/`.tsv` delimited text, and `.txt` (or no
extension) sniffed: Anki `#separator:` headers or consistent tab/comma columns are delimited,
callouts / `Q:` lines / headings are Markdown, anything else is the raw text layout.

Every card id is unique within one result: a card repeating an earlier one word for word is reported
as a duplicate and skipped; a different card that comes with an id already taken keeps a suffixed id
(`<id>-2`) and is reported.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable, Iterator

from kg.cards import Card, ReadResult
from kg.errors import DeckError
from kg.readers.apkg import iter_apkg
from kg.readers.delimited import SAMPLE_LINES, iter_delimited, sniff_separator
from kg.readers.markdown import iter_markdown
from kg.readers.text import iter_text
from kg.readers.textio import one_line, open_text, sniff_encoding

__all__ = ["read_decks", "read_file", "iter_cards", "deck_files", "DECK_SUFFIXES"]

DECK_SUFFIXES = frozenset({".apkg", ".colpkg", ".md", ".markdown", ".csv", ".tsv", ".txt", ".text"})
_PACKAGE = {".apkg", ".colpkg"}
_MARKDOWN = {".md", ".markdown"}
_DELIMITED = {".csv", ".tsv"}
_SNIFFED = {".txt", ".text", ""}
# Files in a deck folder that document it rather than hold cards.
_NOT_DECKS = frozenset({"readme", "license", "licence", "changelog", "contributing", "authors", "notice"})
_ZIP_MAGIC = b"PK\x03\x04"
_MARKDOWN_HINT = re.compile(r"^(?:>\s*\[!\w+\]|\s{0,3}#{1,6}\s+\S.*\?\s*$|\s{0,3}Q\s*:)", re.MULTILINE | re.IGNORECASE)


def read_decks(paths: Iterable[str | Path], *, items: Callable[[Path], Iterable[Card | DeckError]] | None = None
               ) -> ReadResult:
    """Read every deck in the given files and folders; problems are collected, never raised.
    `items(path)` stands in for `iter_cards` (kg.watch reads again only the files that changed)."""
    collector = _Collector(items or iter_cards)
    for given in paths:
        given = Path(given)
        if given.is_dir():
            try:
                files = deck_files(given)
            except OSError as error:
                collector.add(DeckError(given, f"folder could not be listed ({one_line(error, 160)})"))
                continue
            if not files:
                collector.add(DeckError(given, "no deck files in this folder"))
            for path in files:
                # A notes folder (an Obsidian vault, say) holds many Markdown files that are
                # not decks; inside a folder, only files that fail to read are problems.
                collector.add_file(path, empty_is_problem=False)
        else:
            collector.add_file(given)
    return collector.result


def read_file(path: str | Path) -> ReadResult:
    """Read one deck file."""
    collector = _Collector()
    collector.add_file(Path(path))
    return collector.result


def deck_files(folder: str | Path) -> list[Path]:
    """Deck files under a folder, recursively and sorted; hidden files and non-deck files skipped."""
    folder = Path(folder)
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if path.suffix.lower() not in DECK_SUFFIXES or not path.is_file():
            continue
        if path.stem.lower().strip("_-. ") in _NOT_DECKS:
            continue
        found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def iter_cards(path: str | Path) -> Iterator[Card | DeckError]:
    """One file's cards and problems as they are read; any failure becomes a DeckError."""
    path = Path(path)
    try:
        yield from _dispatch(path)
    except DeckError as error:
        yield error
    except MemoryError:
        yield DeckError(path, "out of memory while reading")
    except Exception as error:  # a reader bug must cost one file, not the whole read
        yield DeckError(path, f"could not be read ({type(error).__name__}: {one_line(error, 160)})")


def _dispatch(path: Path) -> Iterator[Card | DeckError]:
    if not path.exists():
        raise DeckError(path, "no such file or folder")
    if not path.is_file():
        raise DeckError(path, "not a regular file")
    suffix = path.suffix.lower()
    if suffix in _PACKAGE:
        yield from iter_apkg(path)
        return
    if suffix not in DECK_SUFFIXES:
        raise DeckError(path, f"not a deck (unsupported file type {suffix or 'without extension'})")
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic == _ZIP_MAGIC:
        raise DeckError(path, "not a text deck (a zip archive; Anki packages end in .apkg)")
    codec, note = sniff_encoding(path)
    if note:
        yield DeckError(path, note)
    if suffix in _MARKDOWN:
        yield from iter_markdown(path, codec)
    elif suffix in _DELIMITED:
        yield from iter_delimited(path, codec)
    else:
        yield from _sniffed_reader(path, codec)(path, codec)


def _sniffed_reader(path: Path, codec: str):
    with open_text(path, codec) as stream:
        sample = [line for _, line in zip(range(SAMPLE_LINES), stream)]
    text = "".join(sample)
    if re.search(r"^#separator:", text, re.MULTILINE | re.IGNORECASE) or _columns_consistent(sample):
        return iter_delimited
    if _MARKDOWN_HINT.search(text):
        return iter_markdown
    return iter_text


def _columns_consistent(sample: list[str]) -> bool:
    """Tab-separated lines in nearly every row: an export, not prose (prose has commas, not tabs)."""
    rows = [line for line in sample if line.strip()]
    if len(rows) < 1 or sniff_separator(sample) != "\t":
        return False
    return sum("\t" in line for line in rows) >= 0.9 * len(rows)


class _Collector:
    """Gathers cards and problems, keeping card ids unique and every file accounted for."""

    def __init__(self, items: Callable[[Path], Iterable[Card | DeckError]] | None = None):
        self._items = items or iter_cards
        self.result = ReadResult()
        self._by_id: dict[str, Card] = {}

    def add_file(self, path: Path, *, empty_is_problem: bool = True) -> None:
        before_cards, before_problems = len(self.result.cards), len(self.result.problems)
        for item in self._items(path):
            self.add(item)
        if len(self.result.cards) > before_cards:
            return
        new = self.result.problems[before_problems:]
        if not empty_is_problem and all(p.reason.startswith(("no cards found", "not UTF-8")) for p in new):
            del self.result.problems[before_problems:]
        elif not any(not p.reason.startswith("not UTF-8") for p in new):
            self.add(DeckError(path, "no cards found"))

    def add(self, item: Card | DeckError) -> None:
        if isinstance(item, DeckError):
            self.result.problems.append(item)
            return
        first = self._by_id.get(item.id)
        if first is None:
            self._by_id[item.id] = item
            self.result.cards.append(item)
            return
        where, line = _where(item)
        if (first.deck, first.question, first.answer) == (item.deck, item.question, item.answer):
            self.result.problems.append(DeckError(where, f"duplicate of the card at {first.source}; skipped", line=line))
            return
        n = 2
        while f"{item.id}-{n}" in self._by_id:
            n += 1
        renamed = Card(**{**item.__dict__, "id": f"{item.id}-{n}"})
        self._by_id[renamed.id] = renamed
        self.result.cards.append(renamed)
        self.result.problems.append(
            DeckError(where, f"card id {item.id!r} already used by {first.source}; kept as {renamed.id!r}", line=line)
        )


def _where(card: Card) -> tuple[str, int | None]:
    source = card.source
    if "#note=" in source:
        return source.split("#note=")[0], None
    path, _, line = source.rpartition(":")
    return (path, int(line)) if line.isdigit() and path else (source, None)
