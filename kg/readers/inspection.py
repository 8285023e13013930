"""How kg reads a deck file, without building: the layout chosen and why, counts, first cards, problems.

`inspect_files(paths)` is what `kg inspect` shows; each file gives an `Inspection` whose `to_dict()`
is the `--json` form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from kg.cards import Card, FileAccount
from kg.readers.layouts import Detection, layout_named


@dataclass
class Inspection:
    """One file as kg reads it."""

    account: FileAccount
    detection: Detection | None
    first_cards: list[Card] = field(default_factory=list)
    problems: list = field(default_factory=list)  # DeckErrors, in file order

    def to_dict(self) -> dict:
        detection = self.detection.to_dict() if self.detection else None
        return {
            **self.account.to_dict(),
            "detection": detection,
            "first_cards": [_card_dict(card) for card in self.first_cards],
            "problem_list": [{"line": p.line, "reason": p.reason, "message": str(p)} for p in self.problems],
        }


def _card_dict(card: Card) -> dict:
    return {
        "id": card.id, "deck": card.deck, "question": card.question, "answer": card.answer,
        "tags": list(card.tags), "source": card.source, "guid": card.guid, "note_type": card.note_type,
        "fields": [list(pair) for pair in card.fields],
        "question_html": card.question_html, "answer_html": card.answer_html,
    }


def inspect_files(paths: Iterable[str | Path], *, format: str | None = None, first: int = 3) -> list[Inspection]:
    """Read each file (folders: each deck file in them) as `kg build` would, and say how it went."""
    from kg.readers import _Collector, deck_files

    if format is not None:
        layout_named(format)
    inspections = []
    for given in paths:
        given = Path(given)
        unlisted: list = []
        for path in deck_files(given, problems=unlisted) if given.is_dir() else [given]:
            collector = _Collector(format, score=True)
            collector.add_file(path)
            result = collector.result
            account = result.files[0] if result.files else FileAccount(str(path))
            inspections.append(Inspection(
                account=account,
                detection=collector.detections.get(str(path)),
                first_cards=result.cards[:max(0, first)],
                problems=result.problems,
            ))
        for problem in unlisted:  # a folder it could not list, a link to no file
            inspections.append(Inspection(account=FileAccount(problem.path, problems=1, skipped=1,
                                                              reasons={problem.reason: 1}),
                                          detection=None, problems=[problem]))
    return inspections
