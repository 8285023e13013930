"""A card: the unit every reader produces and every other part of kg consumes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

_SPACE = re.compile(r"\s+")


def card_id(deck: str, question: str) -> str:
    """Stable id for a card whose source has no guid: derived from its deck and question.

    >>> card_id("MLOps", "What is drift?") == card_id("MLOps", "What  is drift? ")
    True
    """
    key = f"{deck.strip().lower()}\x1f{_SPACE.sub(' ', question).strip().lower()}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Card:
    """One flashcard.

    `question` and `answer` are clean plain text; `question_html` / `answer_html` keep the
    source's original HTML where it had any (None otherwise). `source` says where the card came
    from: `path:line` for text formats, `path#note=ID` for Anki packages.
    """

    id: str
    deck: str
    question: str
    answer: str
    tags: tuple[str, ...] = ()
    source: str = ""
    question_html: str | None = None
    answer_html: str | None = None

    @property
    def text(self) -> str:
        """Question and answer as one text, the form hashed for the extraction cache."""
        return f"{self.question}\n\n{self.answer}"

    def text_hash(self) -> str:
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()


@dataclass
class ReadResult:
    """What reading decks gives: every good card, and one DeckError per problem met on the way."""

    cards: list[Card] = field(default_factory=list)
    problems: list = field(default_factory=list)  # list[kg.errors.DeckError]

    def extend(self, other: "ReadResult") -> None:
        self.cards.extend(other.cards)
        self.problems.extend(other.problems)
