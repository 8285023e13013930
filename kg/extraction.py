"""What concept extraction finds in one card: plain data, shared by kg.nlp (which makes it)
and kg.graph / kg.workspace (which use it). Nothing here imports spaCy or NetworkX."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Mention:
    """One place a card names a concept.

    `concept` is the normalized concept key (lower case, lemmatized head, no leading article,
    hyphens and slashes folded to spaces except inside acronyms like "ci/cd"), e.g. "feature store".
    `surface` is the text exactly as written ("Feature Stores"); `field` is "question" or "answer";
    `start`/`end` are character offsets of `surface` in that field of the card; `marked` says
    the author marked it (bold, cloze, a list label, the term side of the card: kg.nlp.marks).
    """

    concept: str
    surface: str
    field: str
    start: int
    end: int
    marked: bool = False


@dataclass(frozen=True)
class Acronym:
    """"Continuous Integration (CI)": `short` ("ci") is an alias of `long` ("continuous integration")."""

    short: str
    long: str


@dataclass(frozen=True)
class Relation:
    """A sentence states `subject` --verb--> `object` between two concept keys ("reduce")."""

    subject: str
    verb: str
    object: str


@dataclass
class CardExtraction:
    """Everything extraction found in one card."""

    card_id: str
    mentions: list[Mention] = field(default_factory=list)
    acronyms: list[Acronym] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    # Why the pipeline could not read this card ("ValueError: ..."), when it could not: the card
    # is kept without concepts and the build names it in a problem.
    failed: str = ""

    def to_dict(self) -> dict:
        # Plain lists, field by field: dataclasses.asdict deep-copies and is the slow part.
        data = {
            "mentions": [[m.concept, m.surface, m.field, m.start, m.end, *((1,) if m.marked else ())]
                         for m in self.mentions],
            "acronyms": [[a.short, a.long] for a in self.acronyms],
            "relations": [[r.subject, r.verb, r.object] for r in self.relations],
        }
        if self.failed:
            data["failed"] = self.failed
        return data

    @classmethod
    def from_dict(cls, card_id: str, data: dict) -> "CardExtraction":
        return cls(
            card_id=card_id,
            mentions=[Mention(*m[:5], bool(m[5]) if len(m) > 5 else False) for m in data.get("mentions", [])],
            acronyms=[Acronym(*a) for a in data.get("acronyms", [])],
            relations=[Relation(*r) for r in data.get("relations", [])],
            failed=data.get("failed", ""),
        )

    def cache_text(self) -> str:
        """The extraction as the workspace's cache stores it (JSON of `to_dict()`)."""
        return json.dumps(self.to_dict(), separators=(",", ":"))


class EncodedExtraction(CardExtraction):
    """An extraction received as the cache's text (`text`) with its relations, its mentions and
    acronyms decoded on first use.

    What a Dask worker sends the build: a build writes the text to the cache as it is and reads
    only the relations, so 20,000 cards cost it one string each instead of thousands of objects.
    """

    def __init__(self, card_id: str, text: str, relations: list[Relation]):
        self.card_id, self.text, self.relations = card_id, text, relations
        # Set here, not decoded on first use: the dataclass default would answer "" for every card.
        # The build asks it of every card, and only a card the pipeline could not read has it.
        self.failed = json.loads(text).get("failed", "") if '"failed":' in text else ""

    def __getattr__(self, name: str):
        # Called only for attributes not yet set: the two decoded on first use.
        if name not in ("mentions", "acronyms"):
            raise AttributeError(name)
        decoded = CardExtraction.from_dict(self.card_id, json.loads(self.text))
        self.mentions, self.acronyms = decoded.mentions, decoded.acronyms
        return getattr(self, name)

    def cache_text(self) -> str:
        return self.text

    def __eq__(self, other) -> bool:  # equal to the CardExtraction it encodes
        if not isinstance(other, CardExtraction):
            return NotImplemented
        return (self.card_id, self.mentions, self.acronyms, self.relations, self.failed) == \
            (other.card_id, other.mentions, other.acronyms, other.relations, other.failed)

    __hash__ = None
