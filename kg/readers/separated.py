"""Cards written between separator lines, their sides split by a line holding only a mark.

Two tools' layouts, which differ only in their marks:

    What is latency?            ___                         (Markdown Flashcards: `# Deck`,
    %                           What is latency?             `## Section`, cards between rules
    Time to the first byte.     ?                            of `___`, `---` or `***`, the sides
    %                           Time to the first byte.      split by `?`, `↪`, `:question:`,
    networking, web             ___                          `:grey_question:`,
    ---                                                      `:arrow_right_hook:`)
    (ankdown: fields split by `%`, cards by `---` or `%%`)

The first side is the question, the others the answer; an ankdown card's third field is its tags
when it is one line of words (`math, probability`), as ankdown's own examples write them. A
heading alone between two separators names the deck (`#`) or a section of it (`##`: `Deck::Section`).
Text between separators with no side mark is no card: it is reported with its lines, so a file in
another layout does not read as this one. A note naming its deck with the Obsidian Spaced Repetition
plugin's tag (`#flashcards/chemistry`, in its front matter or its text) is that plugin's note, whose
decks are its tags, not its headings: this layout's self-check fails on it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from kg.cards import Card
from kg.errors import DeckError
from kg.readers.markdown import HEADING, in_code, strip_front_matter
from kg.readers.markup import markdown_card
from kg.readers.obsidian_vault import card_rules
from kg.readers.problems import CheckFailed, LostLines
from kg.readers.textio import humanise

# A Markdown horizontal rule: 3 or more `-`, `_` or `*`, spaces between them or not.
THEMATIC_BREAK = re.compile(r"^\s{0,3}(?:(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})$")
# A card boundary: a horizontal rule or ankdown's `%%`.
_BOUNDARY = re.compile(rf"{THEMATIC_BREAK.pattern}|^\s{{0,3}}%%\s*$")
# A side mark alone on its line.
_SIDE = re.compile(r"^\s{0,3}(?:%|\?|↪|❓|❔|:question:|:grey_question:|:arrow_right_hook:)\s*$")
# An ankdown tags field: one line of words split by commas or spaces, no sentence in it.
_TAGS = re.compile(r"^[\w:/#.+-]+(?:(?:\s*,\s*|\s+)[\w:/#.+-]+){0,15}\s*,?$")
# A front longer than this (lines with text, code aside) is more likely several cards of another
# layout read as one: the card is kept, and its self-check fails.
QUESTION_LINES_MAX = 6
_YAML_LINE = re.compile(r"^(?:[\w-]+\s*:.*|\s+\S.*|\s*-\s.*|\s*)$")


def front_matter_end(lines: list[tuple[int, str]]) -> int:
    """How many lines YAML front matter takes at the start (0 without any): a `---` block of
    `key: value` lines only, so that a card between two rules is never taken for it."""
    if not lines or lines[0][1].strip() != "---":
        return 0
    for i in range(1, len(lines)):
        text = lines[i][1]
        if text.strip() in ("---", "..."):
            return i + 1
        if not _YAML_LINE.match(text):
            return 0
    return 0


def iter_separated(path: Path, lines: list[tuple[int, str]]) -> Iterator[Card | DeckError]:
    """Cards of an ankdown or Markdown Flashcards file; problems for text that is no card."""
    if tagged := _sr_deck_tag(path, lines):
        yield CheckFailed(path, "a deck tag of the Obsidian Spaced Repetition plugin: that plugin's note",
                          line=tagged)
    lines = lines[front_matter_end(lines):]
    code = in_code(lines)
    if not any(not fenced and _BOUNDARY.match(text) for (_, text), fenced in zip(lines, code)):
        return  # no separator line: cards of this layout stand between them
    title, section = humanise(path.stem), None
    block: list[tuple[int, str, bool]] = []
    for (n, text), fenced in zip(lines, code):
        if not fenced and _BOUNDARY.match(text):
            title, section = yield from _block(path, block, title, section)
            block = []
            continue
        block.append((n, text, fenced))
    yield from _block(path, block, title, section)


def _sr_deck_tag(path: Path, lines: list[tuple[int, str]]) -> int | None:
    """The line of the first Spaced Repetition deck tag of a note (its front matter's, or one in its
    text outside code), None without one."""
    deck_tag = card_rules(path).deck_tag
    body, front_tags = strip_front_matter(lines)
    if any(deck_tag.fullmatch(f"#{tag}") for tag in front_tags):
        return lines[0][0]
    return next((n for (n, text), fenced in zip(body, in_code(body)) if not fenced and deck_tag.search(text)), None)


def _block(path: Path, block, title: str, section: str | None):
    """Yield the card of the lines between two separators (or a problem); return the deck's
    (title, section) after the headings that open them."""
    while block and not block[0][2] and (not block[0][1].strip() or HEADING.match(block[0][1])):
        if heading := HEADING.match(block[0][1]):
            if len(heading.group(1)) == 1:
                title, section = heading.group(2), None
            else:
                section = heading.group(2)
        block = block[1:]
    body = [(n, text, fenced) for n, text, fenced in block if text.strip()]
    if not body:
        return title, section
    sides: list[list[tuple[int, str]]] = [[]]
    for n, text, fenced in block:
        if not fenced and _SIDE.match(text):
            sides.append([])
        else:
            sides[-1].append((n, text))
    first, last = body[0][0], body[-1][0]
    if len(sides) < 2:
        yield LostLines(path, "text between separators without a side mark (`%`, `?`) is no card; ignored",
                        line=first, last=last)
        return title, section
    fields = ["\n".join(text for _, text in side).strip() for side in sides]
    marks = {text.strip() for _, text, fenced in body if not fenced and _SIDE.match(text)}
    front = sum(1 for _, text in sides[0] if text.strip())
    if front > QUESTION_LINES_MAX or len(sides) > 3 or ("%" in marks and len(marks) > 1):
        yield CheckFailed(path, f"{front} lines before the first side mark, {len(sides)} sides: "
                                "perhaps several cards of another layout", line=first)
    tags: list[str] = []
    if "%" in marks and len(fields) > 2 and "\n" not in fields[-1] and _TAGS.match(fields[-1]):
        tags = [t.strip().lstrip("#") for t in re.split(r"[,\s]+", fields.pop()) if t.strip()]
    deck = f"{title}::{section}" if section else title
    if not fields[0]:
        yield LostLines(path, "card without a question ignored", line=first, last=last)
        return title, section
    card = markdown_card(fields[0], fields[1:], deck=deck, source=f"{path}:{first}", tags=tags)
    if card is None:
        yield LostLines(path, f"card {fields[0].splitlines()[0][:40]!r} has no answer; ignored", line=first, last=last)
        return title, section
    yield card
    return title, section
