"""The two kinds of problem a text layout reports, so every non-blank line is accounted for.

`LostLines`: lines that went into no card (stray text, a question without an answer); `line` is the
first of them, `last` the last. `CheckFailed`: a pairing reader's self-check failed (numbers that
do not match, an answer holding a question marker): the lines went into a card, which may be wrong.
`Guessed`: a card read from a damaged record with a guess (an Anki note whose note type is gone).
`Outline`: lost lines a layout knows for the file's own notes around its cards (an Org file's
outline), reported like any lost lines yet explained.
Layout detection counts the first as lines a layout could not explain, the second as a penalty and
the third as explained (an Org notes file with a few cards is still Org).
"""

from __future__ import annotations

import re

from kg.errors import DeckError


class LostLines(DeckError):
    """Lines `line`..`last` of a text deck went into no card."""

    def __init__(self, path, message, *, line, last=None):
        super().__init__(path, message, line=line)
        self.last = last if last is not None else line


class Outline(LostLines):
    """Lines `line`..`last` are notes of the file's outline, not cards: in no card, but no misreading."""


class CheckFailed(DeckError):
    """A pairing reader's self-check failed at this line; the card was kept but may be wrong."""


class Renamed(DeckError):
    """A card whose id another card of the read already had, kept under a suffixed id: nothing skipped."""


class Guessed(DeckError):
    """A card read from a damaged record with a guess for what it lacks (a deleted note type or deck):
    kept, not skipped, but said, so the user can check it."""


def lost_span(problem: DeckError) -> range:
    """The line numbers a problem says were not read into any card (none for a check or a note)."""
    if isinstance(problem, (CheckFailed, Outline)) or problem.line is None:
        return range(0)
    return range(problem.line, getattr(problem, "last", problem.line) + 1)


# What makes one problem's message differ from another of its kind: the card it names.
_SPECIFICS = (
    (re.compile(r"#note=\d+"), ""),  # `deck.apkg#note=123` -> `deck.apkg`
    (re.compile(r"(\S):\d+(?=[;,)\s]|$)"), r"\1"),  # `deck.csv:12` -> `deck.csv`
    # `note 123 ('What is TCP?') has no answer` -> `a note has no answer`
    (re.compile(r"^note -?\d+ (?:\(.*\) (?=has ))?"), "a note "),
    (re.compile(r"^card id '[^']*' already used by (.+); kept as '[^']*'$"), r"card id already used by a card of \1; renamed"),
    (re.compile(r"^duplicate of the card at (.+); skipped$"), r"duplicate of a card of \1; skipped"),
)


def reason_kind(reason: str) -> str:
    """A problem's reason without the card it names, so a file's account counts problems by kind.

    >>> reason_kind("duplicate of the card at a/modern.apkg#note=1796; skipped")
    'duplicate of a card of a/modern.apkg; skipped'
    >>> reason_kind("note 1484864994371 ('What is TCP?') has no answer; skipped")
    'a note has no answer; skipped'
    """
    for pattern, replacement in _SPECIFICS:
        reason = pattern.sub(replacement, reason)
    return reason
