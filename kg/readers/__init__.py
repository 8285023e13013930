"""Deck readers: files and folders in, cards and problems out, never a traceback.

`read_decks(paths)` reads files and folders (recursively); `read_file(path)` one file; `iter_cards(path)`
streams one file's cards and problems. `.apkg`/`.colpkg` are Anki packages, `.anki2`/`.anki21` Anki
collections (a profile's own; `.anki21b`, a package's own taken out of its zip), a `.json` that is a CrowdAnki
deck (`deck.json`) one, a `.mochi` a Mochi export; every other deck file is
text whose layout (`kg.readers.layouts`) is found by scoring every layout on the file, or named by
`format=`. Each file read leaves a `FileAccount` in `ReadResult.files`: its layout, cards, problems.

Every card id is unique within one result: a card repeating an earlier one word for word is reported
as a duplicate and skipped; a different card that comes with an id already taken keeps a suffixed id
(`<id>-2`) and is reported.
"""

from __future__ import annotations

import os
import zipfile
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

from kg.cards import Card, FileAccount, ReadResult
from kg.errors import DeckError, printable
from kg.gcpause import paused_gc
from kg.readers.anki import iter_collection, iter_package
from kg.readers.anki.crowdanki import is_crowdanki, iter_crowdanki
from kg.readers.mochi import iter_mochi
from kg.readers.layouts import LAYOUT_NAMES, Detection, layout_named, read_text_deck
from kg.readers.problems import CheckFailed, Guessed, Renamed, reason_kind
from kg.readers.textio import READ_NOTES, one_line, sniff_encoding

__all__ = ["read_decks", "read_file", "iter_cards", "iter_file", "deck_files", "DECK_SUFFIXES", "LAYOUT_NAMES"]

DECK_SUFFIXES = frozenset({".apkg", ".colpkg", ".mochi", ".anki2", ".anki21", ".anki21b", ".md", ".markdown", ".csv", ".tsv", ".txt", ".text", ".org"})
_PACKAGE = {".apkg", ".colpkg"}
_COLLECTION = {".anki2", ".anki21", ".anki21b"}
# Files in a deck folder that document it rather than hold cards.
_NOT_DECKS = frozenset({"readme", "license", "licence", "changelog", "contributing", "authors", "notice"})
# Spreadsheets, where many vocabulary decks are kept: named in a folder, never passed over in silence.
_SPREADSHEETS = frozenset({".xlsx", ".xlsm", ".xls", ".ods", ".numbers"})
_SPREADSHEET = "a spreadsheet, which kg does not read; save it as CSV (UTF-8) and read that"
_ZIP_MAGIC = b"PK\x03\x04"
# Mnemosyne 2's own export (File → Export, a `.cards` file): a zip of `cards.xml` and `METADATA`.
# Named, not passed over, with the export kg reads.
_MNEMOSYNE = ".cards"
_MNEMOSYNE_SAID = ("a Mnemosyne .cards export, which kg does not read; export the cards from Mnemosyne as "
                   "tab-separated text (File → Export) and read that")
_PROFILE_COLLECTION = "collection.anki2"
_PROFILE_FOLDERS = ("backups", "collection.media")


def read_decks(paths: Iterable[str | Path], *, format: str | None = None,
               items: Callable[[Path], Iterable[Card | DeckError | Detection]] | None = None) -> ReadResult:
    """Read every deck in the given files and folders; problems are collected, never raised.

    `format` names the layout of every text deck (see `LAYOUT_NAMES`) instead of detecting it;
    an unknown name raises `UnknownFormat`. `items(path)` stands in for `iter_file` (kg.watch reads
    again only the files that changed).
    """
    if format is not None:
        layout_named(format)
    collector = _Collector(format, items=items)
    # Reading makes no cycles worth finding; a collection would walk every card read so far.
    with paused_gc():
        _read_paths(collector, paths)
    return collector.result


def _read_paths(collector: "_Collector", paths) -> None:
    for given in paths:
        given = Path(given)
        if given.is_dir():
            unlisted: list[DeckError] = []
            files = deck_files(given, problems=unlisted)
            for problem in unlisted:
                collector.add(problem)
            if not files and not unlisted:
                collector.add(DeckError(given, "no deck files in this folder"))
            for path in files:
                # A notes folder (an Obsidian vault, say) holds many Markdown files that are
                # not decks; inside a folder, only files that fail to read are problems.
                collector.add_file(path, empty_is_problem=False)
        else:
            collector.add_file(given)




def read_file(path: str | Path, *, format: str | None = None) -> ReadResult:
    """Read one deck file (`format` as in `read_decks`)."""
    if format is not None:
        layout_named(format)
    collector = _Collector(format)
    collector.add_file(Path(path))
    return collector.result


def deck_files(folder: str | Path, *, problems: list | None = None) -> list[Path]:
    """Deck files under a folder, recursively and sorted; hidden files and non-deck files skipped,
    and so are an Anki profile's own folders beside its `collection.anki2`: `backups/` (older copies
    of that collection, whose notes would come back as stale duplicates) and `collection.media/`
    (the notes' images and sounds).

    A linked folder is read as Obsidian reads it, once (a link to a folder above it is no loop). A
    folder that cannot be listed (no permission), a link to a deck file that is not there and a
    spreadsheet (`.xlsx`, `.ods`, ...) or a Mnemosyne `.cards` export are DeckErrors appended to
    `problems`, so their decks are never missing in silence. A README (LICENSE, CHANGELOG...)
    documents the decks beside it; a folder holding nothing but its README reads that, as its deck.
    """
    folder = Path(folder)
    found = []
    profiles = set()
    seen = {os.path.realpath(folder)}

    def unlisted(error: OSError) -> None:
        if problems is not None:
            reason = one_line(error.strerror or error, 120)
            problems.append(DeckError(error.filename or folder, f"folder could not be listed ({reason}); "
                                                                 "no deck in it was read"))

    paths, documents = [], []
    for root, folders, names in os.walk(folder, onerror=unlisted, followlinks=True):
        kept = []
        for name in sorted(folders):
            real = os.path.realpath(os.path.join(root, name))
            if name.startswith(".") or real in seen:
                continue
            seen.add(real)
            kept.append(name)
        folders[:] = kept
        paths += [Path(root, name) for name in names if not name.startswith(".")]
    for path in paths:
        try:
            is_file = path.is_file()
        except OSError as error:  # a folder that lists its names but lets none be opened
            if path.suffix.lower() in DECK_SUFFIXES and problems is not None:
                problems.append(DeckError(path, f"could not be read ({one_line(error.strerror or error, 120)})"))
            continue
        if path.name == _PROFILE_COLLECTION and is_file:
            profiles.add(path.parent)
        if not is_file:
            if path.is_symlink() and path.suffix.lower() in DECK_SUFFIXES and problems is not None:
                problems.append(DeckError(path, "a link to a file that is not there; not read"))
            continue
        if path.suffix.lower() == ".json":
            if is_crowdanki(path):  # a folder's other JSON (settings, package.json) is no deck
                found.append(path)
            continue
        if path.suffix.lower() in _SPREADSHEETS and problems is not None and not path.name.startswith("~$"):
            problems.append(DeckError(path, _SPREADSHEET))  # (`~$name.xlsx`: Office's lock file)
            continue
        if path.suffix.lower() == _MNEMOSYNE and problems is not None and _is_mnemosyne(path):
            problems.append(DeckError(path, _MNEMOSYNE_SAID))
            continue
        if path.suffix.lower() not in DECK_SUFFIXES:
            continue
        if path.stem.lower().strip("_-. ") in _NOT_DECKS:
            if path.stem.lower().strip("_-. ") == "readme":
                documents.append(path)
            continue
        found.append(path)
    if not found:
        # A folder holding nothing but its README: a question list published on GitHub ("<details>"
        # answers, "## Question" headings) is often just that. Beside decks, it documents them.
        found = documents
    found = [path for path in found if not any(path.is_relative_to(profile / name)
                                               for profile in profiles for name in _PROFILE_FOLDERS)]
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def _is_mnemosyne(path: Path) -> bool:
    """Whether a `.cards` file is Mnemosyne's export (a zip holding `cards.xml`)."""
    try:
        with zipfile.ZipFile(path) as archive:
            return "cards.xml" in archive.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def iter_cards(path: str | Path, *, format: str | None = None) -> Iterator[Card | DeckError]:
    """One file's cards and problems as they are read; any failure becomes a DeckError."""
    for item in iter_file(path, format=format):
        if not isinstance(item, Detection):
            yield item


def iter_file(path: str | Path, *, format: str | None = None,
              score: bool = False) -> Iterator[Card | DeckError | Detection]:
    """As `iter_cards`, with the `Detection` of the file's layout ahead of its cards (`score`: the
    scores of every layout even when `format` names one)."""
    path = Path(path)
    try:
        shown = printable(path)
        if shown == str(path):
            yield from _dispatch(path, format, score)
        else:  # a name in no UTF-8, or with a line break: its cards name it as it can be printed and stored
            for item in _dispatch(path, format, score):
                yield replace(item, source=printable(item.source)) if isinstance(item, Card) else item
    except DeckError as error:
        yield error
    except PermissionError:
        yield DeckError(path, "could not be read (no permission to read it)")
    except MemoryError:
        yield DeckError(path, "out of memory while reading")
    except Exception as error:  # a reader bug must cost one file, not the whole read
        yield DeckError(path, f"could not be read ({type(error).__name__}: {one_line(error, 160)})")


def _dispatch(path: Path, format: str | None, score: bool = False) -> Iterator[Card | DeckError | Detection]:
    if not path.exists():
        raise DeckError(path, "no such file or folder")
    if not path.is_file():
        raise DeckError(path, "not a regular file")
    suffix = path.suffix.lower()
    if suffix in _PACKAGE:
        yield Detection("anki", reason="an Anki package (.apkg / .colpkg)")
        yield from iter_package(path)
        return
    if suffix in _COLLECTION:
        yield Detection("anki", reason="an Anki collection (.anki2 / .anki21 / .anki21b)")
        yield from iter_collection(path)
        return
    if suffix == ".mochi":
        yield Detection("mochi", reason="a Mochi export (.mochi)")
        yield from iter_mochi(path)
        return
    if suffix == ".json":
        yield Detection("crowdanki", reason="a CrowdAnki deck (deck.json)")
        yield from iter_crowdanki(path)
        return
    if suffix not in DECK_SUFFIXES:
        if suffix in _SPREADSHEETS:
            raise DeckError(path, _SPREADSHEET)
        if suffix == _MNEMOSYNE and _is_mnemosyne(path):
            raise DeckError(path, _MNEMOSYNE_SAID)
        raise DeckError(path, f"not a deck (unsupported file type {suffix or 'without extension'})")
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic == _ZIP_MAGIC:
        raise DeckError(path, "not a text deck (a zip archive; Anki packages end in .apkg)")
    codec, note = sniff_encoding(path)
    if note:
        yield DeckError(path, note)
    yield from read_text_deck(path, codec, format=format, score=score)


class _Collector:
    """Gathers cards and problems, keeping card ids unique and every file accounted for."""

    def __init__(self, format: str | None = None, *, score: bool = False,
                 items: Callable[[Path], Iterable[Card | DeckError | Detection]] | None = None):
        self._items = items
        self.result = ReadResult()
        self._by_id: dict[str, Card] = {}
        self._format = format
        self._score = score
        self.detections: dict[str, Detection] = {}

    def add_file(self, path: Path, *, empty_is_problem: bool = True) -> None:
        before_cards, before_problems = len(self.result.cards), len(self.result.problems)
        layout = None
        read = self._items(path) if self._items else iter_file(path, format=self._format, score=self._score)
        for item in read:
            if isinstance(item, Detection):
                layout = item.layout
                self.detections[str(path)] = item
            else:
                self.add(item)
        if len(self.result.cards) == before_cards:
            new = self.result.problems[before_problems:]
            if not empty_is_problem and all(p.reason.startswith(("no cards found", *READ_NOTES)) for p in new):
                del self.result.problems[before_problems:]
                # Not a problem in a notes folder, but still accounted for.
                self.result.files.append(FileAccount(printable(path), layout, reasons={"no cards: a note, not a deck": 1}))
                return
            if not any(not p.reason.startswith(READ_NOTES) for p in new):
                self.add(DeckError(path, "no cards found"))
        problems = self.result.problems[before_problems:]
        self.result.files.append(FileAccount(
            path=printable(path), layout=layout, cards=len(self.result.cards) - before_cards, problems=len(problems),
            skipped=sum(not isinstance(p, (CheckFailed, Guessed, Renamed)) and not p.reason.startswith(READ_NOTES)
                        for p in problems),
            reasons=dict(Counter(reason_kind(p.reason) for p in problems).most_common()),
        ))

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
            Renamed(where, f"card id {item.id!r} already used by {first.source}; kept as {renamed.id!r}", line=line)
        )


def _where(card: Card) -> tuple[str, int | None]:
    source = card.source
    if "#note=" in source:
        return source.split("#note=")[0], None
    path, _, line = source.rpartition(":")
    return (path, int(line)) if line.isdigit() and path else (source, None)
