"""Question / answer pairs: `Q:` / `A:` lines, numbered `12 Q:` / `12 A:` pairs as SuperMemo writes
them, `Question:` / `Answer:`, in plain text or Markdown; the answer may share the question's line
(`Q: What is the capital of Peru? A: Lima`).

A question runs from its marker to the answer marker, the answer to the next question marker; both
may span lines and blank lines. A heading before the first question names the deck (so does a
lone first line of plain text); a heading between cards opens a section, giving the deck
`Deck::Section`. Front matter tags apply to every card.

The reader checks itself and reports what does not fit, with its line: a question without an
answer, an answer without a question, an answer whose number is not its question's, and an answer
line holding a question marker (a question merged into the answer before it).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from kg.cards import Card, source_card_id
from kg.errors import DeckError
from kg.readers.markdown import GUID_COMMENT, HEADING, HR, in_code, strip_front_matter
from kg.readers.markup import markdown_field
from kg.readers.problems import CheckFailed, LostLines
from kg.readers.textio import humanise

# `Q:`, `Q.`, `**Q:**`, `**Q**:`, `Question:`, `12 Q:`, `12. Q:`, `Q12:`; the answer markers alike.
# The `**` after the colon closes a bold marker only: `A: **revert** makes…` keeps its own bold.
_MARKER = (r"^\s{{0,3}}(?:(?P<n1>\d+)[.)]?\s*)?(?P<ob>\*\*)?(?:{word})\s*(?P<n2>\d+)?\s*(?P<cb>\*\*)?\s*[:.]\s*"
           r"(?(cb)|(?(ob)(?:\*\*)?))\s?(?P<text>.*)$")
QUESTION = re.compile(_MARKER.format(word="Q|Question"), re.IGNORECASE)
ANSWER = re.compile(_MARKER.format(word="A|Answer"), re.IGNORECASE)
# An answer on the question's own line ("Q: What is the capital of Peru? A: Lima"): a capital `A:` or
# `Answer:` after a space, numbered or not.
_INLINE_ANSWER = re.compile(r"\s(?:(?P<n1>\d+)[.)]?\s*)?(?:\*\*)?(?:A|Answer)\s*(?P<n2>\d+)?\s*(?:\*\*)?:(?:\*\*)?\s+")
# A question marker inside a line: what a merged question leaves in the answer before it.
_INNER_QUESTION = re.compile(r"(?:^|\s)(?:\d+[.)]?\s*)?Q\s*\d*\s*:\s|(?:^|\s)\d+[.)]?\s*Question\s*:\s")


class _Pair:
    def __init__(self, line: int, number: str | None, text: str):
        self.line, self.number = line, number
        self.question = [text]
        self.answer: list[str] | None = None
        self.answer_line = None
        self.last = line
        self.guid = None
        self.deck = None


def _number(match: re.Match) -> str | None:
    return match.group("n1") or match.group("n2")


def iter_qa(path: Path, lines: list[tuple[int, str]], deck: str | None = None) -> Iterator[Card | DeckError]:
    """Cards of a Q:/A: deck; problems for every line that fits no pair."""
    lines, tags = strip_front_matter(lines)
    code = in_code(lines)
    title = deck
    section = None
    pair: _Pair | None = None
    orphan: tuple[int, int] | None = None  # an answer without a question, and its lines
    before: list[int] = []  # text lines before the first question
    for (n, text), fenced in zip(lines, code):
        q = QUESTION.match(text) if not fenced else None
        a = ANSWER.match(text) if not fenced else None
        if q:
            yield from _flush_orphan(path, orphan)
            orphan = None
            if pair is not None:
                yield from _close(path, pair, title, section, tags)
            elif before:
                title, before = yield from _title_from(path, before, lines, title)
            pair = _Pair(n, _number(q), q.group("text"))
            pair.deck = section
            if inline := _INLINE_ANSWER.search(q.group("text")):
                pair.question = [q.group("text")[:inline.start()]]
                pair.answer, pair.answer_line = [q.group("text")[inline.end():]], n
                if pair.number and _number(inline) and pair.number != _number(inline):
                    yield CheckFailed(path, f"answer {_number(inline)} follows question {pair.number}; "
                                            "the pairing may be off", line=n)
            continue
        if a:
            if pair is not None and pair.answer is None:
                pair.answer, pair.answer_line, pair.last = [a.group("text")], n, n
                if pair.number and _number(a) and pair.number != _number(a):
                    yield CheckFailed(path, f"answer {_number(a)} follows question {pair.number}; "
                                            "the pairing may be off", line=n)
                yield from _merged(path, a.group("text"), n)
                continue
            yield from _flush_orphan(path, orphan)
            if pair is not None:
                yield from _close(path, pair, title, section, tags)
                pair = None
            orphan = (n, n)
            continue
        if not fenced and (heading := HEADING.match(text)):
            if pair is None and orphan is None and title is None and not before:
                title = heading.group(2).strip()
                continue
            if pair is not None:
                yield from _close(path, pair, title, section, tags)
                pair = None
            yield from _flush_orphan(path, orphan)
            orphan = None
            if before:
                title, before = yield from _title_from(path, before, lines, title)
            section = heading.group(2).strip()
            continue
        if not fenced and pair is not None and (guid := GUID_COMMENT.match(text)):
            pair.guid = pair.guid or guid.group(1)
            pair.last = n
            continue
        if not fenced and HR.match(text):
            continue
        if orphan is not None:
            if text.strip():
                orphan = (orphan[0], n)
            continue
        if pair is None:
            if text.strip():
                before.append(n)
            continue
        (pair.answer if pair.answer is not None else pair.question).append(text)
        if text.strip():
            pair.last = n
            if pair.answer is not None and not fenced:
                yield from _merged(path, text, n)
    if pair is not None:
        yield from _close(path, pair, title, section, tags)
    yield from _flush_orphan(path, orphan)
    if before:
        yield from _title_from(path, before, lines, title, final=True)


def _merged(path, text: str, n: int) -> Iterator[DeckError]:
    if _INNER_QUESTION.search(" " + text):
        yield CheckFailed(path, "answer holds a question marker; a question may be merged into it", line=n)


def _title_from(path, before: list[int], lines, title, final=False):
    """Text outside any pair: a lone first line is the deck's title, the rest is reported."""
    first_line = next((n for n, text in lines if text.strip()), None)
    if title is None and before == [first_line] and not final:
        text = dict(lines)[before[0]].strip()
        return text.lstrip("#").strip() or None, []
    if before:
        where = "before the first question" if before[0] == first_line else "outside any card"
        yield LostLines(path, f"text {where} ignored", line=before[0], last=before[-1])
    return title, []


def _flush_orphan(path, orphan):
    if orphan is not None:
        yield LostLines(path, "answer without a question ignored", line=orphan[0], last=orphan[1])


def _close(path: Path, pair: _Pair, title, section, tags) -> Iterator[Card | DeckError]:
    if pair.answer is None:
        yield LostLines(path, "question without an answer ignored", line=pair.line, last=pair.last)
        return
    question, question_html = markdown_field("\n".join(pair.question).strip())
    answer, answer_html = markdown_field("\n".join(pair.answer).strip())
    if not question:
        yield LostLines(path, "answer without a question ignored", line=pair.line, last=pair.last)
        return
    if not answer:
        yield LostLines(path, "question without an answer ignored", line=pair.line, last=pair.last)
        return
    deck = title or humanise(path.stem)
    if pair.deck:
        deck = f"{deck}::{pair.deck}"
    guid = (pair.guid or "").strip()
    yield Card(
        id=source_card_id(guid, deck, question),
        guid=guid or None,
        deck=deck,
        question=question,
        answer=answer,
        tags=tuple(dict.fromkeys(tags)),
        source=f"{path}:{pair.line}",
        question_html=question_html,
        answer_html=answer_html,
    )
