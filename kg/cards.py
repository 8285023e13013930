"""A card: the unit every reader produces and every other part of kg consumes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

_SPACE = re.compile(r"\s+")
# The class of a card's HTML span that a reader wrote as structure, not as the card's words (a
# table's column label, "Location:"): shown as written, passed over by extraction (kg.nlp.marks).
COLUMN_CLASS = "kg-column"


def card_id(deck: str, question: str) -> str:
    """Stable id for a card whose source has no guid: derived from its deck and question.

    >>> card_id("MLOps", "What is drift?") == card_id("MLOps", "What  is drift? ")
    True
    """
    key = f"{deck.strip().lower()}\x1f{_SPACE.sub(' ', question).strip().lower()}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def guid_card_id(guid: str) -> str:
    """Stable id for a card whose source gives a guid (Anki's, a CSV guid column, a Markdown comment).

    Anki guids use characters no export format or URL accepts as they are (`lf?p;f]vAe`), so the
    id is a digest of the guid, of the same shape as `card_id`; the guid itself stays on the card.

    >>> guid_card_id("lf?p;f]vAe") == guid_card_id(" lf?p;f]vAe ")
    True
    """
    return hashlib.sha1(f"guid\x1f{guid.strip()}".encode("utf-8")).hexdigest()[:16]


def source_card_id(guid: str | None, deck: str, question: str) -> str:
    """The one id scheme: from the guid when the source has one, else from deck and question."""
    return guid_card_id(guid) if guid and guid.strip() else card_id(deck, question)


@dataclass(frozen=True)
class Card:
    """One flashcard.

    `question` and `answer` are clean plain text; `question_html` / `answer_html` keep the
    source's original HTML where it had any (None otherwise). `source` says where the card came
    from: `path:line` for text formats, `path#note=ID` for Anki packages.

    `guid` is the source's own id (Anki's note guid, a guid column or comment), kept as it is;
    `id` is always a token every export and URL accepts (`source_card_id`). `note_type` and
    `fields` keep an Anki note whole: the note type's name and every field as (name, original
    HTML), in the note type's order, so a note can be matched and written back unchanged.
    """

    id: str
    deck: str
    question: str
    answer: str
    tags: tuple[str, ...] = ()
    source: str = ""
    question_html: str | None = None
    answer_html: str | None = None
    guid: str | None = None
    note_type: str | None = None
    fields: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        """Question and answer as one text, the form hashed for the extraction cache."""
        return f"{self.question}\n\n{self.answer}"

    def text_hash(self) -> str:
        return hashlib.sha1(self.text.encode("utf-8")).hexdigest()


@dataclass
class FileAccount:
    """What became of one deck file: its layout, the cards read, and the problems by reason."""

    path: str
    layout: str | None = None  # "qa", "delimited", "anki", ...; None when nothing could be read
    cards: int = 0
    problems: int = 0
    skipped: int = 0  # of the problems, those that left text out of every card (the rest are warnings)
    reasons: dict = field(default_factory=dict)  # problem reason -> how many times

    def to_dict(self) -> dict:
        return {"path": self.path, "layout": self.layout, "cards": self.cards, "problems": self.problems,
                "skipped": self.skipped, "reasons": dict(self.reasons)}


@dataclass
class ReadResult:
    """What reading decks gives: every good card, one DeckError per problem met on the way, and
    a FileAccount per file read."""

    cards: list[Card] = field(default_factory=list)
    problems: list = field(default_factory=list)  # list[kg.errors.DeckError]
    files: list[FileAccount] = field(default_factory=list)

    def extend(self, other: "ReadResult") -> None:
        self.cards.extend(other.cards)
        self.problems.extend(other.problems)
        self.files.extend(other.files)
