"""Cards kept as a Markdown list: a glossary or an outline.

Two shapes, often in one note:
- a glossary, one item a card: `- **Antigen**: a molecule that …`, `- Mitosis — division of …`,
  `1. Latency - time to the first byte`; the term is the question, what follows the first
  separator (`:`, ` - `, ` – `, ` — `, ` = `, `::`, RemNote's ` >> ` / ` <> ` / `;;`, an arrow) the answer;
- an outline, as Notion's toggle lists, Workflowy, Dynalist, Roam and most note apps export them:
  `- What is a p-value?` with the answer in the items (or lines) indented under it; tags after the
  question (`#statistics`) tag the card, and a tag that only marks a flashcard (`#flashcard`) is
  dropped.

A top-level item with indented lines under it is an outline card (a glossary item's own definition
comes first in its answer); one without is a glossary card, and one with neither a separator nor
lines under it is reported. An item that is no card itself but holds items marked as RemNote marks
its cards (` >> `, ` :: `, ` ;; `, ` <> `, a `>>>` multi-line card), at any depth, is a parent rem:
a section (`Deck::Cell biology::Organelles`) whose items are read as cards in their own right. A heading before the first item names the deck, a later one opens a
section (`Deck::Section`), as in the Q:/A: layout; front matter tags every card; other text is
reported with its lines.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from kg.cards import Card, source_card_id
from kg.errors import DeckError
from kg.readers.logseq import CARD_TAG, _trailing_tags
from kg.readers.markdown import HEADING, HR, in_code, strip_front_matter
from kg.readers.markup import markdown_field
from kg.readers.pairs import QUESTION as PAIR_QUESTION
from kg.readers.problems import CheckFailed, LostLines
from kg.readers.textio import humanise

# A list item: `-`, `*`, `+`, `•`, `1.` or `1)`; one indented more than the item above it is
# under that item.
_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+\u2022]|\d{1,3}[.)])[ \t]+(?P<text>\S.*)$")
# The term's end: a bold term closes before its separator ("**Antigen**: …", "**Antigen** — …");
# RemNote writes `>>`, `<>` and `;;`, note takers arrows.
# An en dash between two words without spaces joins them ("Hawk–Dove", "Michaelis–Menten", "1914–1918").
_SEPARATOR = re.compile(r"\s*(?:::|;;)\s*|:\s+|\s+(?:[-\u2013\u2014=]|>>|<>|->|=>|\u2192)\s+|\s*\u2014\s*(?=\S)"
                        r"|(?:\s+\u2013\s*|(?<!\w)\u2013\s*|\u2013\s+)(?=\S)")
# RemNote's own marks split a rem where RemNote splits it, whatever separator its term holds
# ("Chicken (Hawk – Dove) >> ...", "Note: the set >> ...").
_REM_SEPARATOR = re.compile(r"\s+(?:>>|<>|::|;;)\s+")
_BOLD_TERM = re.compile(r"^(\*\*|__)(?P<term>[^*_\n]+?)\1\s*(?:(?:::|:|[-\u2013\u2014=]|>>|->|=>|\u2192)\s*)?(?P<rest>.*)$")
# Tags that only mark a block as a flashcard (Roam's #flashcard, RemNote's, Anki sync plugins'):
# no tag of the card's subject.
_MARKER_TAGS = frozenset({"card", "cards", "flashcard", "flashcards", "anki", "srs", "review"})
# The longest term a glossary item has: a longer head is a sentence, not a term.
MAX_TERM_WORDS = 12
_PAIR_MARKS = frozenset({"q", "a", "question", "answer", "front", "back"})
# RemNote's flashcard marks: a card of its own, not a line of its parent's answer.
_CARD_MARK = re.compile(r"(?:^|\s)(?:>>>?|<>|::|;;)(?:\s|$)")
# RemNote's cloze, `{{mitochondrion}}` (an Anki-style `{{c1::…}}` is left as it is).
_REM_CLOZE = re.compile(r"\{\{(?!c\d+::)([^{}\n]+?)\}\}")
# RemNote's multi-line card (`Stages of mitosis >>>`, its items under it the answer): the mark ends the question.
_TRAILING_MARK = re.compile(r"\s+(?:>>>?|<>|::|;;)\s*$")


class _Item:
    def __init__(self, line: int, indent: int, text: str, section: str | None):
        self.line, self.last, self.indent, self.text, self.section = line, line, indent, text, section
        self.under: list[str] = []  # the indented lines below it
        self.numbers: list[int] = []  # their line numbers


def iter_lists(path: Path, lines: list[tuple[int, str]]) -> Iterator[Card | DeckError]:
    """Cards of a Markdown list deck; problems for items and text that are no card."""
    if any(CARD_TAG.search(text) for _, text in lines):
        # A Logseq page marks its cards with #card; its other blocks are notes, not outline cards.
        yield DeckError(path, "a Logseq page (#card blocks), not a list of cards")
        return
    lines, tags = strip_front_matter(lines)
    # RemNote's clozes (`{{mitochondrion}}`) make cards in a RemNote outline only: elsewhere `{{…}}`
    # is as often a template's placeholder (`{{date}}`).
    yield from _read_items(path, lines, tags, clozes=any(_CARD_MARK.search(text) for _, text in lines))


def _read_items(path: Path, lines: list[tuple[int, str]], tags, title: str | None = None,
                section: str | None = None, *, clozes: bool = False) -> Iterator[Card | DeckError]:
    """Cards of the list items in `lines`; a parent rem's items are read again by this, under it."""
    code = in_code(lines)
    item: _Item | None = None
    stray: list[int] = []
    any_item = False
    for (n, text), fenced in zip(lines, code):
        found = _ITEM.match(text) if not fenced and not HR.match(text) else None
        indent = _width(found.group("indent")) if found else 0
        if found and (item is None or indent <= item.indent):
            if item is not None:
                yield from _close(path, item, title, tags, clozes)
            yield from _report(path, stray)
            stray, any_item = [], True
            item = _Item(n, indent, found.group("text").strip(), section)
            continue
        if item is not None and (found or fenced or not text.strip() or _width(text) > item.indent) \
                and not HEADING.match(text):
            item.under.append(text)
            item.numbers.append(n)
            if text.strip():
                item.last = n
            continue
        if not text.strip():
            continue
        if not fenced and (heading := HEADING.match(text)):
            if item is not None:
                yield from _close(path, item, title, tags, clozes)
                item = None
            yield from _report(path, stray)
            stray = []
            if title is None and section is None and not any_item:
                title = heading.group(2).strip()
            else:
                section = heading.group(2).strip()
            continue
        if not fenced and HR.match(text):
            continue
        if item is not None:
            yield from _close(path, item, title, tags, clozes)
            item = None
        stray.append(n)
    if item is not None:
        yield from _close(path, item, title, tags, clozes)
    yield from _report(path, stray)


def _width(text: str) -> int:
    """How far a line is indented (a tab counts four)."""
    return len(text) - len(text.lstrip(" \t")) + 3 * text[: len(text) - len(text.lstrip(" \t"))].count("\t")


def _report(path: Path, stray: list[int]) -> Iterator[DeckError]:
    if stray:
        yield LostLines(path, "text outside any list item ignored", line=stray[0], last=stray[-1])


def _split(text: str) -> tuple[str, str]:
    """(term, definition) of a glossary item; ("", "") when it has no separator, or when its "term"
    is a pair's mark (`- **Q:** What is TCP?`: a question of `kg.readers.pairs`, not a term 'Q')."""
    bold = _BOLD_TERM.match(text)
    if bold and bold.group("rest").strip():
        if bold.group("term").strip().rstrip(":").strip().casefold() in _PAIR_MARKS:
            return "", ""
        return f"**{bold.group('term').strip()}**", bold.group("rest").strip()
    found = _REM_SEPARATOR.search(text) or _SEPARATOR.search(text)
    if found is None or found.start() == 0:
        return "", ""
    term, definition = text[:found.start()].strip(), text[found.end():].strip()
    if len(term.split()) > MAX_TERM_WORDS or not definition or term.casefold() in _PAIR_MARKS:
        return "", ""
    return term, definition


def _dedent(lines: list[str]) -> str:
    body = [line for line in lines]
    while body and not body[-1].strip():
        body.pop()
    while body and not body[0].strip():
        body.pop(0)
    indents = [len(line) - len(line.lstrip()) for line in body if line.strip()]
    cut = min(indents) if indents else 0
    return "\n".join(line[cut:] for line in body)


def _parent_rem(item: _Item, clozes: bool = False) -> bool:
    """Whether an item is no card itself but holds RemNote cards: none of its marks, one under it
    (a cloze too, in a RemNote outline)."""
    if _CARD_MARK.search(item.text) or (clozes and _REM_CLOZE.search(item.text)):
        return False
    code = in_code(list(zip(item.numbers, item.under)))
    return any(not fenced and (found := _ITEM.match(text)) and (
        _CARD_MARK.search(found.group("text")) or (clozes and _REM_CLOZE.search(found.group("text"))))
        for text, fenced in zip(item.under, code))


def _close(path: Path, item: _Item, title: str | None, tags, clozes: bool = False) -> Iterator[Card | DeckError]:
    if _parent_rem(item, clozes):
        name, _ = _trailing_tags(item.text)
        name = markdown_field(name.strip())[0] or name.strip()
        section = f"{item.section}::{name}" if item.section else name
        yield from _read_items(path, list(zip(item.numbers, item.under)), tags, title, section, clozes=clozes)
        return
    under = _dedent(item.under)
    if (one := _ITEM.match(under)) and "\n" not in under:
        under = one.group("text")  # a single item under the question is the answer itself
    text, item_tags = _trailing_tags(item.text)
    item_tags = [t for t in item_tags if t.lower() not in _MARKER_TAGS]
    if under:
        text = _TRAILING_MARK.sub("", text)
        term, definition = _split(text)
        question_source = term or text
        answer_source = f"{definition}\n\n{under}" if term else under
    else:
        question_source, answer_source = _split(text)
        if not question_source and clozes and _REM_CLOZE.search(text):
            # A RemNote cloze card: the rem's text, its `{{…}}` the gaps (one card, as RemNote joins them).
            question_source = answer_source = _REM_CLOZE.sub(r"{{c1::\1}}", text)
    question, question_html = markdown_field(question_source.strip())
    answer, answer_html = markdown_field(answer_source.strip())
    if not question or not answer:
        yield LostLines(path, "list item without an answer (no `term: definition`, nothing indented "
                              "under it) ignored", line=item.line, last=item.last)
        return
    if PAIR_QUESTION.match(item.text):  # `- **Q:** What is TCP?` over `  **A:** ...`: the file pairs by marks
        yield CheckFailed(path, "list item is a question marked Q:; the file may pair by marks (see `kg inspect`)",
                          line=item.line)
    deck = title or humanise(path.stem)
    if item.section:
        deck = f"{deck}::{item.section}"
    yield Card(
        id=source_card_id(None, deck, question),
        deck=deck,
        question=question,
        answer=answer,
        tags=tuple(dict.fromkeys([*tags, *item_tags])),
        source=f"{path}:{item.line}",
        question_html=question_html,
        answer_html=answer_html,
    )
