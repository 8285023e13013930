"""How the CLI shows what became of each deck file (`kg build`'s account, `kg inspect`), with rich.

Presentation only: the figures come from `kg.cards.FileAccount` and `kg.readers.inspection`.
"""

from __future__ import annotations

import sys

from rich.console import Console
from rich.markup import escape
from rich.table import Table

SHOWN_REASONS = 2
SHOWN_PROBLEMS = 10


def _console() -> Console:
    # Not a terminal (a pipe, a test): no colours and no wrapping at 80 columns.
    return Console(file=sys.stdout, width=None if sys.stdout.isatty() else 160, highlight=False)


def _why(reasons: dict) -> str:
    shown = [f"{count}× {reason}" for reason, count in list(reasons.items())[:SHOWN_REASONS]]
    if len(reasons) > SHOWN_REASONS:
        shown.append(f"… {len(reasons) - SHOWN_REASONS} more kinds")
    return "; ".join(shown)


def print_accounts(files) -> None:
    """One row per deck file: its layout, the cards read, what was skipped, the problems and why."""
    if not files:
        return
    table = Table(title="per file", title_justify="left", box=None, pad_edge=False)
    for name, justify in (("file", "left"), ("layout", "left"), ("cards", "right"), ("skipped", "right"),
                          ("problems", "right"), ("why", "left")):
        table.add_column(name, justify=justify, overflow="fold", no_wrap=name == "file")
    for account in files:
        table.add_row(account.path, account.layout or "-", str(account.cards), str(account.skipped),
                      str(account.problems), _why(account.reasons))
    _console().print(table)


def print_inspections(inspections) -> None:
    """What `kg inspect` shows for each file: layout and why, the scores, the first cards, problems."""
    console = _console()
    for inspection in inspections:
        account, detection = inspection.account, inspection.detection
        console.rule(account.path, align="left")
        console.print(f"layout: {detection.why() if detection else account.layout or 'none'}")
        console.print(f"cards: {account.cards}   skipped: {account.skipped}   problems: {account.problems}")
        if detection and detection.scores:
            table = Table(box=None, pad_edge=False)
            for name in ("layout", "score", "cards", "explained lines", "failed checks"):
                table.add_column(name, justify="left" if name == "layout" else "right")
            for score in sorted(detection.scores, key=lambda s: -s.score):
                mark = "→ " if score.layout == detection.layout else "  "
                table.add_row(mark + score.layout, f"{score.score:.2f}", str(score.cards),
                              f"{score.explained}/{score.lines}", str(score.checks))
            console.print(table)
        room = max(40, console.width - len("  Q: "))  # one line each, never wrapped mid-word
        for card in inspection.first_cards:
            console.print(f"[bold]{escape(card.source)}[/bold] {escape('[' + card.deck + ']')}")
            if card.note_type or card.fields:
                # Which of the note's fields became the question and the answer (Anki notes, Anki's text export).
                console.print("  " + _short(f"note type: {card.note_type or '-'}; fields: {_roles(card)}", room + 3),
                              markup=False)
            console.print(f"  Q: {_short(card.question, room)}", markup=False)
            console.print(f"  A: {_short(card.answer, room)}", markup=False)
        for problem in inspection.problems[:SHOWN_PROBLEMS]:
            console.print(str(problem), markup=False)
        if len(inspection.problems) > SHOWN_PROBLEMS:
            console.print(f"… {len(inspection.problems) - SHOWN_PROBLEMS} more problems (--json lists all)")


def _roles(card) -> str:
    """The note's fields, the question's marked (Q) and those in the answer (A): `Front (Q), Back (A), Add Reverse`."""
    from kg.readers.anki import field_roles
    from kg.readers.html import field_text, has_cloze

    kind = "cloze" if any(has_cloze(value) for _, value in card.fields) else "normal"
    asks = next((name for name, value in card.fields if field_text(value) == card.question), "")
    question, _ = field_roles(kind, tuple(card.fields), asks)
    answer = card.answer.split("\n\n")

    def mark(name: str, value: str) -> str:
        if name == question:
            return " (Q)"
        text = field_text(value)
        return " (A)" if text and text in answer else ""

    return ", ".join(f"{name}{mark(name, value)}" for name, value in card.fields) or "-"


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
