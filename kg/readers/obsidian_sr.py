"""The Obsidian Spaced Repetition plugin's cards, as its users write them in their notes.

- `Question::Answer` on one line (a list item too), `Question:::Answer` (a reversed card: still one card);
- a multi-line card: question lines, a line holding only `?` (or `??`, reversed), answer lines,
  ended by a blank line;
- a cloze: a paragraph with `==highlighted==` parts (the card's text is the paragraph, the
  highlights kept as `<mark>` in the HTML), or, in a Markdown note, with numbered curly clozes as
  the plugin's Anki-like cloze pattern writes them (`{{1::Portuguese::language}}`, `{{c1::…}}`);
  the `::` inside `{{…}}` never splits a line into a `Question::Answer` card;
- the deck: a `#flashcards/deck/sub` tag (`deck::sub`): on a card's own line it is that card's; on
  a line of its own or in a heading it is the deck of the cards after it, up to the next such tag;
  the cards before the first take the front matter's tag, else that first one; a bare `#flashcards`
  keeps the file's name;
- `<!--SR:!2024-01-01,3,250-->` scheduling comments are stripped, and so are Obsidian's `%%comments%%`
  (hidden wherever the note is shown) and the `%%` of a card written inside one.

The separators and deck tags are those the user set in the plugin in the note's vault, when there
is one (`kg.readers.obsidian_vault`); the plugin's defaults are the ones written above. A vault
that makes its folders the decks puts every card of a note in a folder in that folder's deck.

Headings and deck tags are the note's structure; any other text that is no card is reported.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from pathlib import Path
from typing import Iterator

from kg.cards import Card, source_card_id
from kg.errors import DeckError
from kg.readers.markdown import HEADING, in_code, strip_front_matter
from kg.readers.markup import markdown_field
from kg.readers.mdtext import HIGHLIGHT
from kg.readers.obsidian_vault import CardRules, card_rules
from kg.readers.problems import LostLines
from kg.readers.separated import THEMATIC_BREAK as _THEMATIC_BREAK
from kg.readers.textio import humanise

_SCHEDULE = re.compile(r"\s*<!--\s*SR:.*?-->", re.IGNORECASE)
_TAG_ONLY = re.compile(r"^\s*(?:#[\w/\-]+\s*)+$")
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_COMMENT = re.compile(r"%%.*?%%", re.DOTALL)  # Obsidian's comment, hidden in the note's reading view
# `- term::definition`, `1. term::definition`, `- [ ] term::definition`: the list item is the card.
_LIST_MARK = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?")
# A numbered curly cloze: the plugin's Anki-like pattern `{{[123::]answer[::hint]}}` with its sequence
# (a number, or its ask/hide/show letters), or Anki's own `{{c1::…}}`. Unnumbered `{{…}}` is too
# often template syntax (`{{date}}`, `{{ config }}`) to make a card.
_CURLY = re.compile(r"\{\{\s*(?:c?(\d+)|[ahs]+)::([^{}\n]+?)\}\}")
_BRACES = re.compile(r"\{\{[^{}\n]*\}\}")
_NOTE_SUFFIXES = frozenset({".md", ".markdown"})


def iter_sr(path: Path, lines: list[tuple[int, str]]) -> Iterator[Card | DeckError]:
    """Cards of a note written for the Spaced Repetition plugin; problems for text in no card."""
    rules = card_rules(path)
    lines, front_tags = strip_front_matter(lines)
    note_deck = next((_deck(rules, f"#{t}") for t in front_tags if _deck(rules, f"#{t}") is not None), None)
    changes = []
    own = humanise(path.stem)  # the deck of a bare `#flashcards`
    code = in_code(lines)
    # The plugin reads a fenced code block as text of the card around it: no `::` or `?` in it makes a card.
    fenced_lines = frozenset(n for (n, _), fenced in zip(lines, code) if fenced)
    for (n, text), fenced in zip(lines, code):
        # A deck tag on a line of its own or in a heading (`# Acids #flashcards/chemistry`).
        if not fenced and (_TAG_ONLY.match(text) or HEADING.match(text)) and (found := _deck(rules, text)) is not None:
            changes.append((n, found or own))
    note_deck = note_deck or (changes[0][1] if changes else None) or own
    decks = _NoteDecks(rules.folder_deck, []) if rules.folder_deck else _NoteDecks(note_deck, changes)
    tags = [t for t in front_tags if not rules.deck_tag.fullmatch(f"#{t}")]
    for block in _blocks(lines, rules):
        yield from _block_cards(path, rules, block, decks, tags, fenced_lines)


class _NoteDecks:
    """The deck of each card of a note, as the plugin has it: a deck tag on a line of its own or in
    a heading names the deck of the cards after it, up to the next one; a card before the first
    takes the note's deck (its front matter's tag, else that first tag, else the file's name)."""

    def __init__(self, note_deck: str, changes: list[tuple[int, str]]):
        self._note_deck = note_deck
        self._lines = [n for n, _ in changes]
        self._decks = [deck for _, deck in changes]

    def at(self, line: int) -> str:
        i = bisect_right(self._lines, line) - 1
        return self._decks[i] if i >= 0 else self._note_deck


def _deck(rules: CardRules, text: str) -> str | None:
    """The deck a `#flashcards/...` tag names ("" for a bare `#flashcards`), None without one."""
    match = rules.deck_tag.search(text)
    if not match:
        return None
    return "::".join(part for part in match.group(1).split("/") if part)


def _blocks(lines, rules: CardRules) -> Iterator[list[tuple[int, str]]]:
    """Paragraphs: runs of non-blank lines (a fenced code block stays whole); headings stand alone.
    With an end marker set in the vault (`+++`), a multi-line card runs past blank lines (a table in
    its answer) to the marker's line, which ends it and is no words of it."""
    block: list[tuple[int, str]] = []
    to_marker = False  # inside a multi-line card that ends at the marker
    for (n, text), fenced in zip(lines, in_code(lines)):
        text = _SCHEDULE.sub("", text)
        if rules.end_marker and not fenced and text.strip() == rules.end_marker:
            if block:
                yield block
            block, to_marker = [], False
        elif to_marker:
            block.append((n, text))
        elif not fenced and not text.strip():
            if block:
                yield block
            block = []
        elif not fenced and (HEADING.match(text) or (
                _THEMATIC_BREAK.match(text) and not (rules.multiline and rules.multiline.match(text)))):
            if block:  # a heading or a horizontal rule is the note's structure: it ends a card
                yield block
            block = []
        else:
            block.append((n, text))
            to_marker = bool(rules.end_marker and rules.multiline and not fenced and rules.multiline.match(text))
    if block:
        yield block


def _block_cards(path, rules: CardRules, block, decks: _NoteDecks, tags,
                 fenced: frozenset = frozenset()) -> Iterator[Card | DeckError]:
    if all(_TAG_ONLY.match(text) for _, text in block):
        return  # the note's tags, deck tags among them
    split = None
    if rules.multiline:
        split = next((i for i, (n, text) in enumerate(block) if n not in fenced and rules.multiline.match(text)), None)
    if split is not None and split > 0:
        head = block[:split]
        # `Term::Definition` lines above a multi-line card are cards of their own, as the plugin reads
        # them: the question is the lines after the last of them.
        inline = [i for i, (n, text) in enumerate(head) if n not in fenced and _inline(rules, text)]
        if inline and inline[-1] + 1 < len(head):
            yield from _block_cards(path, rules, head[:inline[-1] + 1], decks, tags, fenced)
            head = head[inline[-1] + 1:]
        yield _card(path, rules, head[0][0], head, block[split + 1:], decks, tags)
        return
    rest: list[tuple[int, str]] = []
    for n, text in block:
        if _TAG_ONLY.match(text) and n not in fenced:
            yield from _rest(path, rules, rest, decks, tags)
            rest = []
            continue  # the note's tags
        inline = _inline(rules, text) if n not in fenced else None
        if inline:
            yield from _rest(path, rules, rest, decks, tags)
            rest = []
            cut = inline.start(2)
            question = _LIST_MARK.sub("", rules.inline_mark.sub("", text[:cut]), count=1)
            yield _card(path, rules, n, [(n, question)], [(n, text[cut:])], decks, tags)
        else:
            rest.append((n, text))
    yield from _rest(path, rules, rest, decks, tags)


def _inline(rules: CardRules, text: str) -> re.Match | None:
    """The `Question::Answer` split of a line, `::` inside a code span or `{{…}}` not counting."""
    if rules.inline is None:
        return None
    for span in (_CODE_SPAN, _BRACES):
        text = span.sub(lambda m: "\x00" * len(m.group(0)), text)
    return rules.inline.match(text)


def _anki_clozes(text: str) -> str:
    """Numbered curly clozes as Anki writes them: `{{1::Portuguese::language}}` -> `{{c1::Portuguese::language}}`."""
    return _CURLY.sub(lambda m: f"{{{{c{m.group(1) or 1}::{m.group(2)}}}}}", text)


def _rest(path, rules: CardRules, rest, decks: _NoteDecks, tags) -> Iterator[Card | DeckError]:
    if not rest:
        return
    if any(HIGHLIGHT.search(text) for _, text in rest):
        yield _card(path, rules, rest[0][0], rest, None, decks, tags)
        return
    # Curly clozes make a card of the lines from the first to the last that holds one: a line
    # around them may be another layout's (`A: nucleus` under `Q: the {{c1::nucleus}} holds…`).
    # In a Markdown note only: an Anki text export's clozes are its own.
    clozed = [i for i, (_, text) in enumerate(rest) if _CURLY.search(text)]
    if not clozed or path.suffix.lower() not in _NOTE_SUFFIXES:
        yield from _unread(path, rest)
        return
    first, last = clozed[0], clozed[-1]
    yield from _unread(path, rest[:first])
    yield _card(path, rules, rest[first][0], rest[first:last + 1], None, decks, tags)
    yield from _unread(path, rest[last + 1:])


def _unread(path, lines) -> Iterator[DeckError]:
    if lines:
        yield LostLines(path, "text in no card ignored", line=lines[0][0], last=lines[-1][0])


def _uncommented(lines: list[tuple[int, str]]) -> str:
    """The text of a card's lines without Obsidian's `%%comments%%`, which no one sees when the card
    is shown, nor the `%%` of a card written inside a comment (`%%What is X?::Y%%`, to hide it from
    the note's reading view): code spans and fenced code keep theirs."""
    text = "\n".join(t for _, t in lines)
    if "%%" not in text:
        return text
    masked = "\n".join("\x00" * len(t) if fenced else _CODE_SPAN.sub(lambda m: "\x00" * len(m.group(0)), t)
                       for (_, t), fenced in zip(lines, in_code(lines)))
    cuts = [m.span() for m in _COMMENT.finditer(masked)]
    rest = _COMMENT.sub(lambda m: "\x00" * len(m.group(0)), masked)
    cuts += [m.span() for m in re.finditer("%%", rest)]  # a comment's mark whose other end is outside the card
    for start, end in sorted(cuts, reverse=True):
        text = text[:start] + text[end:]
    return text


def _card(path, rules: CardRules, line, question_lines, answer_lines, decks: _NoteDecks, tags) -> Card | DeckError:
    source = _uncommented(question_lines)
    deck = None if rules.folder_deck else _deck(rules, source)
    source = rules.deck_tag.sub("", source).strip()
    if answer_lines is None:
        source = _anki_clozes(source)
    question, question_html = markdown_field(source)
    if answer_lines is None:  # a cloze: the whole paragraph, its highlights the gaps
        answer, answer_html = question, question_html
    else:
        answer, answer_html = markdown_field(_uncommented(answer_lines).strip())
    last = (answer_lines or question_lines)[-1][0]
    if not question:
        return LostLines(path, "card without a question ignored", line=line, last=last)
    if not answer:
        return LostLines(path, "question without an answer ignored", line=line, last=last)
    deck = deck or decks.at(line)
    return Card(
        id=source_card_id(None, deck, question),
        deck=deck,
        question=question,
        answer=answer,
        tags=tuple(tags),
        source=f"{path}:{line}",
        question_html=question_html,
        answer_html=answer_html,
    )
