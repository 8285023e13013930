"""Emacs Org-mode flashcards, in the three ways Org users write them, mixed in one file if need be:

- org-drill: a heading tagged `:drill:`; its body (down to the first subheading) is the question,
  the heading itself when the body is empty; its subheadings (`** Answer`) the answer. Without an
  answer heading, a body that neither asks nor hides a cloze is the answer to the heading (the way
  many notes keep cards). A
  `twosided` / `multisided` card asks its first side and answers with the others. `[text]` /
  `[text||hint]` in the body are clozes; a cloze card with no answer heading is its own answer.
- org-fc: a heading tagged `:fc:`; the heading (and its body) is the front, the `** Back`
  subheading the back (other subheadings follow it). A `cloze` / `text` card asks its body, with
  `{{text}@0}` / `{{text}{hint}@1}` deletions, and is its own answer.
- anki-editor: a heading whose drawer has `:ANKI_NOTE_TYPE:`; its subheadings are the note's
  fields (`** Front`, `** Back`, `** Text`), kept in `Card.fields`; the question is the front /
  text field, else the first. A note without field headings: the heading is its front, its body
  its back. `:ANKI_DECK:` (inherited, or `#+ANKI_DECK:`) names its deck; `:ANKI_TAGS:` tags it.

`#+TITLE:` names the deck (else the file name), the outline headings above a card its sub-decks
(`Title::Parent::Child`). Tags are the card's heading tags, its ancestors' and `#+FILETAGS:`
(`drill` and `fc` are markers, not tags). `:ID:` (org-drill, org-fc) or `:ANKI_NOTE_ID:` is the
card's guid. Metadata is skipped knowingly: drawers (`:PROPERTIES:`, `:LOGBOOK:`, org-fc's
`:REVIEW_DATA:` table), planning lines (`SCHEDULED:`), keywords (`#+...:`), comments. Org markup
becomes Markdown (`kg.readers.orgtext`) and so HTML marks. Every other line is reported, as the
Markdown layouts report text outside any card: an outline heading's own text and a heading with
no card below it as `Outline` (notes, not cards: reported, yet no sign the file is not Org, so an
Org notes file with a few cards still reads as Org), a card without a question or an answer as
`LostLines`. An outline heading that names the deck of a card below it is accounted for by it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from kg.cards import Card, source_card_id
from kg.errors import DeckError
from kg.readers.markup import markdown_field, markdown_to_html
from kg.readers.orgtext import BLOCK_BEGIN, BLOCK_END, COMMENT, KEYWORD, org_to_markdown, org_to_text
from kg.readers.problems import LostLines, Outline
from kg.readers.textio import humanise

_HEADLINE = re.compile(r"^(\*+)(?:[ \t]+(.*?))?[ \t]*$")
_TAGS = re.compile(r"[ \t]+(:(?:[\w@#%]+:)+)$")
_PRIORITY = re.compile(r"^\[#[A-Za-z0-9]\][ \t]*")
_COOKIE = re.compile(r"[ \t]*\[\d*(?:/\d*|%)\]")
_PLANNING = re.compile(r"^\s*(?:(?:SCHEDULED|DEADLINE|CLOSED):\s*[<\[][^>\]\n]*[>\]]\s*)+$")
_DRAWER = re.compile(r"^\s*:([\w-]+):\s*$")
_DRAWER_END = re.compile(r"^\s*:END:\s*$", re.IGNORECASE)
_PROPERTY = re.compile(r"^\s*:([^:\s]+):(?:\s+(.*?))?\s*$")
_FILE_KEYWORD = re.compile(r"^\s*#\+(\w+):\s*(.*?)\s*$")
_TODO = frozenset("TODO DONE NEXT WAITING WAIT HOLD CANCELLED CANCELED STARTED SOMEDAY".split())
_MARKERS = frozenset({"drill", "fc"})
_FRONT_FIELDS = ("front", "text", "question", "word", "term")
_BACK_TITLES = frozenset({"back"})


@dataclass
class _Heading:
    line: int
    level: int
    title: str
    tags: list[str]
    lines: list[tuple[int, str]] = field(default_factory=list)  # its own section, metadata out
    properties: dict[str, str] = field(default_factory=dict)
    last: int = 0  # the last line of its own section
    parent: "_Heading | None" = None
    kind: str | None = None  # "drill", "fc", "anki" or None (outline)
    owner: "_Heading | None" = None  # the card it belongs to (itself for a card)

    @property
    def body(self) -> list[str]:
        return [text for _, text in self.lines]


# A drill cloze in the body: `[text]` with letters inside (not a checkbox `[ ]`, a date or `[1/3]`).
_DRILL_CLOZE_HINT = re.compile(r"\[[^\]\[\n]*[A-Za-z][^\]\[\n]*\](?!\()")


def iter_org(path: Path, lines: list[tuple[int, str]]) -> Iterator[Card | DeckError]:
    """Cards of an Org file (org-drill, org-fc, anki-editor); problems for lines no card holds."""
    keywords: dict[str, str] = {}
    todo = set(_TODO)
    for _, text in lines:  # keywords first: `#+TODO:` says which words open a heading
        if (found := _FILE_KEYWORD.match(text)) and found.group(1).upper() not in keywords:
            keywords[found.group(1).upper()] = found.group(2)
        if found and found.group(1).upper() in ("TODO", "SEQ_TODO", "TYP_TODO"):
            todo.update(w.split("(")[0] for w in found.group(2).split() if w != "|")
    preamble, headings = _outline(lines, todo)
    if not any(h.kind for h in headings):
        if any(text.strip() for _, text in lines):
            yield DeckError(path, "no cards found (no heading tagged :drill: or :fc:, no :ANKI_NOTE_TYPE: property)")
        return
    title = org_to_text(keywords["TITLE"]) if keywords.get("TITLE") else ""
    deck = title or humanise(path.stem)
    file_tags = _tag_list(keywords.get("FILETAGS", ""))
    items: list[tuple[int, Card | DeckError]] = []
    if prose := _prose(preamble):
        items.append((prose[0], Outline(path, "text before the first heading ignored (notes, not cards)",
                                        line=prose[0], last=prose[1])))
    below = _with_cards_below(headings)
    named: set[int] = set()  # the outline headings some card's deck is named after
    for i, h in enumerate(headings):
        if h.kind:
            # From the next heading on, stopping at the card's end (islice would walk from the start).
            after = (headings[j] for j in range(i + 1, len(headings)))
            items.append((h.line, _card(path, h, after, deck, file_tags, keywords.get("ANKI_DECK"), named)))
    for h in headings:
        if h.kind or h.owner is not None:
            continue
        prose = _prose(h.lines)
        if id(h) not in named:
            why = "with no card below it" if id(h) not in below else "that names no card's deck"
            items.append((h.line, Outline(path, f"outline heading {why} ignored",
                                          line=h.line, last=prose[1] if prose else h.line)))
        elif prose:
            items.append((prose[0], Outline(path, "text outside any card ignored (notes in the outline)",
                                            line=prose[0], last=prose[1])))
    for _, item in sorted(items, key=lambda pair: pair[0]):
        yield item


def _with_cards_below(headings: list[_Heading]) -> set[int]:
    """Ids of the outline headings with a card somewhere below them."""
    found: set[int] = set()
    for h in headings:
        if h.kind:
            ancestor = h.parent
            while ancestor is not None:
                found.add(id(ancestor))
                ancestor = ancestor.parent
    return found


def _outline(lines, todo) -> tuple[list[tuple[int, str]], list[_Heading]]:
    """The lines before the first heading, and every heading with its own section, drawers out."""
    preamble: list[tuple[int, str]] = []
    headings: list[_Heading] = []
    section = preamble
    block = None
    closes = _block_ends(lines)
    raw: list[list[tuple[int, str]]] = []
    open_headings: list[_Heading] = []  # the current heading and its ancestors
    for i, (n, text) in enumerate(lines):
        if block is None and (match := _HEADLINE.match(text)):
            heading = _heading(n, len(match.group(1)), match.group(2) or "", todo)
            while open_headings and open_headings[-1].level >= heading.level:
                open_headings.pop()
            heading.parent = open_headings[-1] if open_headings else None
            open_headings.append(heading)
            headings.append(heading)
            raw.append([])
            section = raw[-1]
            continue
        if block is None and (begin := BLOCK_BEGIN.match(text)) and _closed(closes, begin.group(1), i):
            block = begin.group(1).lower()
        elif block is not None and (end := BLOCK_END.match(text)) and end.group(1).lower() == block:
            block = None
        section.append((n, text))
    preamble_kept, _ = _strip_metadata(preamble)
    for heading, own in zip(headings, raw):
        heading.lines, heading.properties = _strip_metadata(own)
        heading.last = own[-1][0] if own else heading.line
        heading.kind = _kind(heading)
    for heading in headings:
        heading.owner = heading if heading.kind else (heading.parent.owner if heading.parent else None)
    return preamble_kept, headings


def _block_ends(lines: list[tuple[int, str]]) -> dict[str, list[int]]:
    """Where each kind of block (`#+END_SRC`, ...) ends, by position in `lines`."""
    ends: dict[str, list[int]] = {}
    for i, (_, text) in enumerate(lines):
        if end := BLOCK_END.match(text):
            ends.setdefault(end.group(1).lower(), []).append(i)
    return ends


def _closed(ends: dict[str, list[int]], name: str, at: int) -> bool:
    """Whether a block opened at `at` ends: an unclosed `#+BEGIN_...` is text, as Org reads it."""
    found = ends.get(name.lower(), [])
    return bisect_right(found, at) < len(found)


def _heading(n: int, level: int, text: str, todo) -> _Heading:
    tags: list[str] = []
    if found := _TAGS.search(" " + text):
        tags = [t for t in found.group(1).split(":") if t]
        text = text[: len(text) - len(found.group(1))]
    words = text.split(None, 1)
    if words and words[0] in todo:
        text = words[1] if len(words) > 1 else ""
    text = _COOKIE.sub("", _PRIORITY.sub("", text.strip())).strip()
    return _Heading(line=n, level=level, title=text, tags=tags)


def _kind(heading: _Heading) -> str | None:
    if "ANKI_NOTE_TYPE" in heading.properties:
        return "anki"
    tags = {t.lower() for t in heading.tags}
    return "fc" if "fc" in tags else "drill" if "drill" in tags else None


def _strip_metadata(section: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], dict[str, str]]:
    """A section's lines without its drawers, planning lines, keywords and comments; its properties."""
    kept: list[tuple[int, str]] = []
    properties: dict[str, str] = {}
    ends = [j for j, (_, text) in enumerate(section) if _DRAWER_END.match(text)]
    closes = _block_ends(section)
    i = 0
    block = None
    while i < len(section):
        n, text = section[i]
        if block is None and (begin := BLOCK_BEGIN.match(text)) and _closed(closes, begin.group(1), i):
            block = begin.group(1).lower()
        elif block is not None:
            if (end := BLOCK_END.match(text)) and end.group(1).lower() == block:
                block = None
        elif (drawer := _DRAWER.match(text)) and drawer.group(1).upper() != "END":
            at = bisect_right(ends, i)
            close = ends[at] if at < len(ends) else None
            if close is not None:  # an unclosed `:NAME:` line is text, as Org reads it
                if drawer.group(1).upper() == "PROPERTIES":
                    for _, item in section[i + 1:close]:
                        if (prop := _PROPERTY.match(item)) and prop.group(1).upper() not in properties:
                            properties[prop.group(1).upper().rstrip("+")] = prop.group(2) or ""
                i = close + 1
                continue
        elif _PLANNING.match(text) or KEYWORD.match(text) or COMMENT.match(text):
            i += 1
            continue
        kept.append((n, text))
        i += 1
    return kept, properties


def _prose(lines: list[tuple[int, str]]) -> tuple[int, int] | None:
    """The first and last line of the text in a section, None when it has none."""
    numbers = [n for n, text in lines if text.strip()]
    return (numbers[0], numbers[-1]) if numbers else None


def _tag_list(value: str) -> list[str]:
    return [t for t in re.split(r"[\s:]+", value) if t]


def _parts(h: _Heading, after: Iterable[_Heading]) -> tuple[list[tuple[str, list[str]]], int]:
    """The card's sides or fields: (title, lines) of each child heading it owns, with the deeper
    headings it owns folded in as text; and the card's last line. `after`: the headings after it."""
    parts: list[tuple[str, list[str]]] = []
    last = h.last
    for other in after:
        if other.level <= h.level:
            break
        if other.owner is not h:
            continue  # a card of its own below this one
        last = max(last, other.last)
        if other.parent is h or not parts:
            parts.append((other.title, list(other.body)))
        else:
            parts[-1][1].extend(["", other.title, *other.body])
    for _, lines in parts:
        while lines and not lines[-1].strip():
            lines.pop()
    return parts, last


def _card(path: Path, h: _Heading, after: Iterable[_Heading], deck: str, file_tags: list[str],
          anki_deck: str | None, named: set[int]) -> Card | DeckError:
    parts, last = _parts(h, after)
    body = h.body
    has_body = any(t.strip() for t in body)
    fields: tuple = ()
    note_type = None
    if h.kind == "anki":
        field_parts = list(parts)
        if not field_parts:
            field_parts = [("Front", [h.title]), ("Back", body)] if has_body else [("Front", [h.title])]
        elif has_body:
            return LostLines(path, "Anki note with text before its first field heading ignored",
                             line=h.line, last=last)
        sources = [(name, org_to_markdown(lines)) for name, lines in field_parts]
        fields = tuple((name, markdown_to_html(source) if source else "") for name, source in sources)
        note_type = h.properties["ANKI_NOTE_TYPE"]
        front = next((i for i, (name, _) in enumerate(sources) if name.strip().lower() in _FRONT_FIELDS), 0)
        question_md = sources[front][1]
        answers = [source for i, (_, source) in enumerate(sources) if i != front and source]
    elif h.kind == "fc":
        kind = h.properties.get("FC_TYPE", "normal").lower()
        backs = sorted(parts, key=lambda p: p[0].strip().lower() not in _BACK_TITLES)
        answers = [org_to_markdown(lines or [title]) for title, lines in backs]
        if kind in ("cloze", "text") and has_body:
            question_md = org_to_markdown(body, clozes="fc")
        else:
            question_md = org_to_markdown([h.title] + ([""] + body if has_body else []), clozes="fc")
    else:
        kind = h.properties.get("DRILL_CARD_TYPE", "simple").lower()
        sides = [lines or [title] for title, lines in parts]
        question_lines = body if has_body else [h.title]
        asks = "\n".join(body).rstrip().endswith("?")
        if not sides and has_body and kind == "simple" and not asks and not _DRILL_CLOZE_HINT.search("\n".join(body)):
            # No answer heading, and a body that neither asks nor hides a cloze: written as heading-question,
            # body-answer, the way many notes keep cards (org-drill would show the body, nothing to reveal).
            question_lines, sides = [h.title], [body]
        if kind in ("twosided", "multisided") and len(sides) >= 2:
            question_lines = (body + [""] if has_body else []) + sides[0]
            sides = sides[1:]
        question_md = org_to_markdown(question_lines, clozes="drill")
        answers = [org_to_markdown(side) for side in sides]
    # Org wraps a paragraph at fill-column; the export joins the lines, and so does the card text
    # ("papal\nauthority" is one phrase).
    question, question_html = markdown_field(question_md, soft_break=" ")
    answer_md = "\n\n".join(a for a in answers if a.strip())
    answer, answer_html = markdown_field(answer_md, soft_break=" ") if answer_md else ("", None)
    if not answer and "{{c" in question_md:
        answer, answer_html = question, question_html  # a cloze card is its own answer
    what = {"drill": ":drill: card", "fc": ":fc: card", "anki": "Anki note"}[h.kind]
    if not question:
        return LostLines(path, f"{what} without a question ignored", line=h.line, last=last)
    if not answer:
        return LostLines(path, f"{what} without an answer ignored", line=h.line, last=last)
    guid = (h.properties.get("ANKI_NOTE_ID") or h.properties.get("ID") or "").strip()
    card_deck = _deck(h, deck, anki_deck, named)
    return Card(
        id=source_card_id(guid, card_deck, question),
        guid=guid or None,
        deck=card_deck,
        question=question,
        answer=answer,
        tags=_tags(h, file_tags),
        source=f"{path}:{h.line}",
        question_html=question_html,
        answer_html=answer_html,
        note_type=note_type,
        fields=fields,
    )


def _deck(h: _Heading, deck: str, anki_deck: str | None, named: set[int]) -> str:
    """The card's deck: its :ANKI_DECK: for an Anki note, else the title and the outline above it
    (whose headings go into `named`)."""
    if h.kind == "anki":
        node = h
        while node is not None:
            if node.properties.get("ANKI_DECK"):
                named.add(id(node))
                return node.properties["ANKI_DECK"].strip()
            node = node.parent
        if anki_deck:
            return anki_deck.strip()
    path = []
    node = h.parent
    while node is not None:
        if node.kind is None and (name := org_to_text(node.title)):
            path.append(name)
            named.add(id(node))
        node = node.parent
    return "::".join([deck, *reversed(path)])


def _tags(h: _Heading, file_tags: list[str]) -> tuple[str, ...]:
    tags = list(file_tags)
    chain = []
    node = h
    while node is not None:
        chain.append(node)
        node = node.parent
    for node in reversed(chain):
        tags += node.tags
    tags += h.properties.get("ANKI_TAGS", "").split()
    return tuple(dict.fromkeys(t for t in tags if t.lower() not in _MARKERS))
