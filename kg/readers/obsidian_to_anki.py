"""Notes written for the Obsidian_to_Anki plugin (and its command-line script), as its users keep them.

    TARGET DECK
    Biology::Cells

    START
    Basic
    What is the powerhouse of the cell?
    Back: The mitochondrion.
    Tags: organelles
    <!--ID: 1566052191670-->
    END

    STARTI [Basic] What is osmosis? Back: Diffusion of water across a membrane. ENDI

A block runs from `START` to `END` (each alone on its line): the note type on the first line,
then the fields. The first field needs no name; the others start `Name:` (the note type's field
names: `Back:`, `Extra:`, `Text:` of a cloze...), and a field runs on until the next; in a note of
one of Anki's own note types, whose fields are known, a line `Primary: family, school` is a line of
the field it stands in. `Tags:` tags the note, `<!--ID: …-->` (or a bare `ID: …`) is the Anki note
id, kept as the guid. `TARGET DECK` and `FILE TAGS` lines name the file's deck and tags on the line
after. The question is the first
field, the answer the others, as for Anki's own notes. Other text in the file is the note around
the cards: not read, and reported as the note's own text (`Outline`), which does not count against
the layout when layouts are scored: an Obsidian note is mostly prose.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from kg.cards import Card
from kg.errors import DeckError
from kg.readers.anki.stock import STOCK_FIELDS
from kg.readers.html import has_cloze
from kg.readers.markdown import HEADING, in_code, strip_front_matter
from kg.readers.markup import markdown_card
from kg.readers.problems import LostLines, Outline
from kg.readers.textio import humanise

_FIELD = re.compile(r"^([A-Z][\w ]{0,30}?):[ \t]?(.*)$")
_ID = re.compile(r"^\s*(?:<!--\s*)?ID:\s*(\d+)\s*(?:-->)?\s*$")
_INLINE = re.compile(r"^\s*STARTI\s*\[(?P<type>[^\]\n]+)\]\s*(?P<body>.*?)\s*ENDI\s*$")
_INLINE_FIELD = re.compile(r"\s([A-Z][\w]{0,30}):\s")
_DIRECTIVES = ("TARGET DECK", "FILE TAGS")
# `TARGET DECK: Biology::Cells` on one line, as many notes write it.
_DIRECTIVE_LINE = re.compile(r"^\s*(TARGET DECK|FILE TAGS):\s*(\S.*?)\s*$")
# Notes kept inside an ```anki fence (so Obsidian shows them as a block): the fence is no code.
_ANKI_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})\s*anki\s*$", re.IGNORECASE)
_CURLY = re.compile(r"(?<!\{)\{(?:c?(\d+):)?([^{}\n]+)\}(?!\})")


def _starts_field(note_type: str, name: str) -> bool:
    """Whether a `name:` opening a line (or a word of a one-line note) is a field of `note_type`: any
    such name when the note type is the author's own, only its own fields when it is one of Anki's."""
    stock = STOCK_FIELDS.get(note_type.strip().casefold())
    # "Extra" is the Cloze note type's second field as Anki named it before "Back Extra".
    return stock is None or name in stock or (name == "Extra" and stock[0] == "Text")


def iter_obsidian_to_anki(path: Path, lines: list[tuple[int, str]]) -> Iterator[Card | DeckError]:
    """Cards of a note written for Obsidian_to_Anki; problems for blocks and text that are no card."""
    lines, front_tags = strip_front_matter(lines)
    lines = _open_anki_fences(lines)
    code = in_code(lines)
    deck, file_tags = _directives(lines, code, humanise(path.stem), list(front_tags))
    block: list[tuple[int, str]] | None = None
    stray: list[int] = []
    expecting: str | None = None  # the directive whose value is the next line
    for (n, text), fenced in zip(lines, code):
        stripped = text.strip()
        if block is not None:
            if stripped == "END" and not fenced:
                yield from _block_card(path, block, deck, file_tags, n)
                block = None
            else:
                block.append((n, text))
            continue
        if expecting is not None and stripped:
            expecting = None  # the directive's value (read before, by _directives)
            continue
        if not stripped:
            continue
        if fenced:
            stray.append(n)  # code in the note, outside any card: reported like its prose
            continue
        if stripped == "START":
            yield from _report(path, stray)
            stray, block = [], []
            continue
        if stripped in _DIRECTIVES:
            expecting = stripped
            continue
        if _DIRECTIVE_LINE.match(text) or HEADING.match(text):
            continue  # a directive read before, or a heading: the note's structure
        if inline := _INLINE.match(text):
            yield from _inline_card(path, n, inline, deck, file_tags)
            continue
        stray.append(n)
    if block is not None:
        first = block[0][0] - 1 if block else None
        yield LostLines(path, "START without END; the note is not read", line=first or 1,
                        last=block[-1][0] if block else first)
    yield from _report(path, stray)


def _directives(lines, code, deck: str, tags: list[str]) -> tuple[str, list[str]]:
    """The file's deck and tags: `TARGET DECK` and `FILE TAGS` apply to every note of the file,
    wherever they stand (the value on the next line, or after a colon)."""
    expecting = None
    for (_, text), fenced in zip(lines, code):
        stripped = text.strip()
        if fenced or not stripped:
            continue
        if expecting is not None:
            if expecting == "TARGET DECK":
                deck = stripped
            else:
                tags.extend(t.lstrip("#") for t in stripped.split())
            expecting = None
        elif stripped in _DIRECTIVES:
            expecting = stripped
        elif directive := _DIRECTIVE_LINE.match(text):
            if directive.group(1) == "TARGET DECK":
                deck = directive.group(2)
            else:
                tags.extend(t.lstrip("#") for t in directive.group(2).split())
    return deck, tags


def _open_anki_fences(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The lines with each ```anki fence's own two lines blanked: what they hold is notes, not code."""
    out, fence = [], None
    for n, text in lines:
        if fence is None and (opened := _ANKI_FENCE.match(text)):
            fence = opened.group(1)
            out.append((n, ""))
        elif fence is not None and text.strip() == fence:
            fence = None
            out.append((n, ""))
        else:
            out.append((n, text))
    return out


def _report(path: Path, stray: list[int]) -> Iterator[DeckError]:
    # The note's own text around its cards: reported, yet no sign the file is written another way
    # (an Obsidian note holds far more prose than cards).
    if stray:
        yield Outline(path, "text outside any START…END note ignored (notes, not cards)", line=stray[0], last=stray[-1])


def _block_card(path: Path, block: list[tuple[int, str]], deck: str, file_tags, end: int):
    start = (block[0][0] - 1) if block else end - 1
    body = [(n, t) for n, t in block if t.strip()]
    if len(body) < 2:
        yield LostLines(path, "note without fields ignored", line=start, last=end)
        return
    note_type = body[0][1].strip()
    fields: list[list] = [["", []]]  # [name, lines]
    guid, tags = None, []
    for _, text in body[1:]:
        if found := _ID.match(text):
            guid = found.group(1)
            continue
        named = _FIELD.match(text)
        if named and named.group(1) not in ("Tags", "Front", "Text", "Question") \
                and not _starts_field(note_type, named.group(1)):
            named = None  # "Primary: family, school" in a Basic note's back
        if named and named.group(1) == "Tags":
            tags.extend(t.strip().lstrip("#") for t in named.group(2).split() if t.strip())
        elif named and (fields[-1][1] or fields[-1][0]):
            fields.append([named.group(1), [named.group(2)]])
        elif named and not fields[-1][1] and named.group(1) in ("Front", "Text", "Question"):
            fields[-1] = [named.group(1), [named.group(2)]]
        else:
            fields[-1][1].append(text)
    yield _card(path, start, note_type, fields, guid, deck, [*file_tags, *tags], last=end)


def _inline_card(path: Path, n: int, inline: re.Match, deck: str, file_tags):
    body = inline.group("body")
    note_type = inline.group("type").strip()
    cuts = [cut for cut in _INLINE_FIELD.finditer(body)
            if cut.group(1) == "Tags" or _starts_field(note_type, cut.group(1))]
    fields = [["", [body[:cuts[0].start()] if cuts else body]]]
    for i, cut in enumerate(cuts):
        end = cuts[i + 1].start() if i + 1 < len(cuts) else len(body)
        fields.append([cut.group(1), [body[cut.end():end]]])
    tags = []
    for field in list(fields):
        if field[0] == "Tags":
            tags.extend(" ".join(field[1]).split())
            fields.remove(field)
    yield _card(path, n, note_type, fields, None, deck, [*file_tags, *tags])


def _card(path: Path, line: int, note_type: str, fields, guid, deck: str, tags, *, last: int | None = None
          ) -> Card | DeckError:
    texts = [(name, "\n".join(lines).strip()) for name, lines in fields]
    texts = [(name, text) for name, text in texts if text]
    if not texts:
        return LostLines(path, "note without fields ignored", line=line, last=last)
    cloze = "cloze" in note_type.lower() or has_cloze(texts[0][1])
    first = texts[0][1]
    if cloze and not has_cloze(first):  # the plugin's CurlyCloze: {nucleus}, {2:DNA}, {c3:RNA}
        first = _CURLY.sub(lambda m: f"{{{{c{m.group(1) or 1}::{m.group(2)}}}}}", first)
    named = tuple((name or ("Front" if i == 0 else f"Field {i + 1}"), text) for i, (name, text) in enumerate(texts))
    card = markdown_card(first, [text for _, text in texts[1:]], deck=deck, source=f"{path}:{line}", guid=guid,
                         tags=tags, cloze=cloze, note_type=note_type, fields=named)
    if card is None:
        return LostLines(path, f"note {first.splitlines()[0][:40]!r} has no answer; ignored", line=line, last=last)
    return card
