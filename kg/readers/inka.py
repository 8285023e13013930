"""Markdown notes written for inka, which adds them to Anki, as its users keep them.

    ---

    Deck: Chemistry

    Tags: chem basics

    <!--ID:1612345678901-->
    1. What is an isotope?

    > Atoms of one element with different numbers of neutrons.

    2. The {{c1::mole}} counts 6.022 × 10²³ particles.

    ---

Cards live in sections between two `---` lines: `Deck:` and `Tags:` lines name the section's deck
and tags, each card is a numbered question (which may run over several lines) and its answer the
`>` lines after it; a question with clozes (`{{c1::…}}`, or inka's short `{…}`) needs no answer.
The `<!--ID:…-->` inka writes above a card once it is in Anki is kept as the guid. Text outside
the sections is the note around the cards: reported as the note's own text, not counted against
the layout, as an Obsidian note with cards is mostly prose.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from kg.cards import Card
from kg.errors import DeckError
from kg.readers.html import has_cloze
from kg.readers.markdown import HEADING, in_code
from kg.readers.markup import markdown_card
from kg.readers.problems import LostLines, Outline
from kg.readers.separated import front_matter_end
from kg.readers.textio import humanise

_RULE = re.compile(r"^\s{0,3}---\s*$")
_DECK = re.compile(r"^\s*Deck:\s*(\S.*?)\s*$")
_TAGS = re.compile(r"^\s*Tags:\s*(.*?)\s*$")
_ID = re.compile(r"^\s*<!--\s*ID:\s*(\d+)\s*-->\s*$")
_QUESTION = re.compile(r"^\s{0,3}\d{1,4}\.\s+(\S.*)$")
_ANSWER = re.compile(r"^\s{0,3}>\s?(.*)$")
# inka's own short cloze, `{answer}` or `{1::answer}` / `{c1::answer}`, as Anki's.
_SHORT_CLOZE = re.compile(r"(?<!\{)\{(?:c?(\d+)::)?([^{}\n]+)\}(?!\})")


def iter_inka(path: Path, lines: list[tuple[int, str]]) -> Iterator[Card | DeckError]:
    """Cards of a note written for inka; problems for text in a section that is no card."""
    lines = lines[front_matter_end(lines):]
    code = in_code(lines)
    default_deck = humanise(path.stem)
    inside = False
    section: list[tuple[int, str, bool]] = []
    outside: list[int] = []
    for (n, text), fenced in zip(lines, code):
        if not fenced and _RULE.match(text):
            if inside:
                yield from _section(path, section, default_deck)
            inside, section = not inside, []
            continue
        if inside:
            section.append((n, text, fenced))
        elif text.strip() and not (not fenced and HEADING.match(text)):  # a heading is the note's structure
            outside.append(n)
    if inside and section:  # the last section was never closed: inka reads no card of it
        numbered = [n for n, text, fenced in section if not fenced and _QUESTION.match(text)]
        if numbered:
            yield LostLines(path, "section without its closing `---`; its cards are not read",
                            line=section[0][0], last=section[-1][0])
        else:
            outside.extend(n for n, text, _f in section if text.strip())
    if outside:
        yield Outline(path, "text outside any `---` section ignored (notes, not cards)", line=outside[0], last=outside[-1])


def _section(path: Path, section, default_deck: str) -> Iterator[Card | DeckError]:
    deck, tags, guid = default_deck, [], None
    card: dict | None = None  # {"line", "question": [...], "answer": [...], "guid", "fenced": last line in code}
    stray: list[int] = []
    cards = []
    for n, text, fenced in section:
        if not text.strip():
            continue
        if not fenced and (found := _DECK.match(text)) and card is None:
            deck = found.group(1)
        elif not fenced and (found := _TAGS.match(text)) and card is None:
            tags = [t.lstrip("#") for t in found.group(1).split() if t]
        elif not fenced and (found := _ID.match(text)):
            guid = found.group(1)
        elif not fenced and (found := _QUESTION.match(text)):
            card = {"line": n, "question": [found.group(1)], "answer": [], "guid": guid, "fenced": False}
            cards.append(card)
            guid = None
        elif card is not None and not fenced and (found := _ANSWER.match(text)):
            card["answer"].append(found.group(1))
        elif card is not None and not card["answer"] and not fenced and not card["fenced"]:
            card["question"][-1] += " " + text.strip()  # the question wrapped onto the next line
        elif card is not None and not card["answer"]:
            card["question"].append(text)
            card["fenced"] = fenced
        elif card is not None:
            card["answer"].append(text)  # code or text after the answer's quote: still the answer
        else:
            stray.append(n)
    if stray:
        yield LostLines(path, "text in a section before its first numbered question ignored", line=stray[0], last=stray[-1])
    if not cards:
        return
    for card in cards:
        yield _card(path, card, deck, tags)


def _card(path: Path, card: dict, deck: str, tags: list[str]) -> Card | DeckError:
    source = "\n".join(card["question"]).strip()
    answer_source = "\n".join(card["answer"]).strip()
    if not answer_source and not has_cloze(source) and _SHORT_CLOZE.search(source):
        source = _SHORT_CLOZE.sub(lambda m: f"{{{{c{m.group(1) or 1}::{m.group(2)}}}}}", source)
    card_at = f"{path}:{card['line']}"
    made = markdown_card(source, [answer_source], deck=deck, source=card_at, guid=card["guid"], tags=tags)
    if made is None:
        return LostLines(path, f"card {source.splitlines()[0][:40]!r} has no answer (no `>` line); ignored",
                         line=card["line"])
    return made
