"""Nothing lost in silence: every non-blank line of a generated text deck, in any layout and with
stray lines mixed in, ends up in a card (or names its deck) or inside a reported problem's lines."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.errors import DeckError
from kg.readers import read_file

ACCOUNTING = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=7).filter(
    lambda w: w not in {"q", "a", "card", "flashcards", "is", "what"}
)
PHRASE = st.lists(WORD, min_size=1, max_size=5).map(" ".join)


def _card_lines(layout: str, i: int, question: str, answer: str) -> list[tuple[str, str]]:
    """(line, the words it carries) for one card written in `layout`."""
    q, a = f"What is {question}?", f"It {answer}."
    if layout == "qa":
        return [(f"Q: {q}", q), (f"A: {a}", a)]
    if layout == "numbered":
        return [(f"{i} Q: {q}", q), (f"{i} A: {a}", a)]
    if layout == "semicolon":
        return [(f"{q}; {a}", f"{q} {a}")]
    if layout == "tab":
        return [(f"{q}\t{a}", f"{q} {a}")]
    if layout == "sr-inline":
        return [(f"{q}::{a}", f"{q} {a}")]
    if layout == "sr-multiline":
        return [(q, q), ("?", ""), (a, a), ("", "")]
    if layout == "logseq":
        return [(f"- {q} #card", q), (f"  - {a}", a)]
    if layout == "callouts":
        return [("> [!question]", ""), (f"> {q}", q), ("", ""), ("> [!answer]-", ""), (f"> {a}", a), ("", ""),
                ("---", ""), ("", "")]
    if layout == "headings":
        return [(f"## {q}", q), (a, a), ("", "")]
    if layout == "tables":
        return [(f"| {q} | {a} |", f"{q} {a}")]
    if layout == "quizlet":
        return [(f"{question} - {answer}", f"{question} {answer}")]
    return [(q, q), (a, a)]  # raw


LAYOUTS = ["callouts", "qa", "numbered", "semicolon", "tab", "sr-inline", "sr-multiline", "logseq", "headings", "quizlet",
           "tables", "raw"]


@st.composite
def decks(draw):
    layout = draw(st.sampled_from(LAYOUTS))
    cards = draw(st.lists(st.tuples(PHRASE, PHRASE), min_size=1, max_size=8, unique_by=lambda c: c[0]))
    lines: list[tuple[str, str]] = []
    strays = draw(st.booleans())
    added: list[str] = []
    if layout == "raw":
        lines.append(("Generated deck", "Generated deck"))
    if layout == "tables":  # a header row and its delimiter row: no card, no words to account for
        lines.extend([("| Term | Definition |", ""), ("|------|------------|", "")])
    for i, (question, answer) in enumerate(cards, 1):
        if strays and draw(st.booleans()):
            stray = draw(PHRASE)
            added.append(stray)
            lines.append((stray, stray))  # a stray line: in a card or reported, never dropped
        lines.extend(_card_lines(layout, i, question, answer))
        if layout != "tables" and draw(st.booleans()):  # a blank line ends a table
            lines.append(("", ""))
    return layout, lines, draw(st.sampled_from([".txt", ".md"])), draw(st.sampled_from(["\n", "\r\n"])), draw(st.booleans()), len(cards), bool(added)


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z]+", text.lower()))


@ACCOUNTING
@given(deck=decks())
def test_every_non_blank_line_ends_in_a_card_or_a_reported_problem(deck):
    layout, lines, suffix, newline, bom, count, strayed = deck
    text = newline.join(line for line, _ in lines) + newline
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"deck{suffix}"
        path.write_bytes(("\ufeff" if bom else "").encode("utf-8") + text.encode("utf-8"))
        result = read_file(path)
    assert all(isinstance(p, DeckError) for p in result.problems)
    in_cards = " | ".join(_words(f"{c.deck} {c.question} {c.answer}") for c in result.cards)
    reported = {n for p in result.problems if p.line is not None
                for n in range(p.line, getattr(p, "last", p.line) + 1)}
    whole_file = any(p.line is None and p.reason.startswith("no cards found") for p in result.problems)
    for number, (line, words) in enumerate(lines, 1):
        if not line.strip() or not _words(words):
            continue
        assert _words(words) in in_cards or number in reported or whole_file, (
            f"line {number} {line!r} ({layout}) is in no card and no problem; "
            f"layout {result.files[0].layout}, problems {[str(p) for p in result.problems]}"
        )
    if not strayed:
        # No stray line (and no title): every card is found, with nothing to report.
        assert len(result.cards) == count and not result.problems, (layout, result.files, text)


@ACCOUNTING
@given(cards=st.lists(st.tuples(PHRASE, PHRASE), min_size=3, max_size=12, unique_by=lambda c: c[0]),
       flaw=st.sampled_from(["drop answer", "drop question", "renumber answer", "merge"]), data=st.data())
def test_numbered_pairs_that_are_off_are_always_reported(cards, flaw, data):
    lines = [line for i, (q, a) in enumerate(cards, 1) for line in (f"{i} Q: What is {q}?", f"{i} A: It {a}.")]
    at = data.draw(st.integers(min_value=1, max_value=len(cards) - 2))  # a pair inside the file
    question, answer = 2 * at, 2 * at + 1  # indexes of that pair's lines
    if flaw == "drop answer":
        del lines[answer]
    elif flaw == "drop question":
        del lines[question]
    elif flaw == "renumber answer":
        lines[answer] = lines[answer].replace(f"{at + 1} A:", f"{at + 7} A:", 1)
    else:  # the next question glued onto this answer's line, as a lost line break does
        lines[answer] += " " + lines.pop(answer + 1)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pairs.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = read_file(path)
    assert result.files[0].layout == "qa"
    assert result.problems, f"{flaw} at pair {at + 1} went unreported"
    assert all(p.line is not None and str(p).startswith(f"{path}:{p.line}: ") for p in result.problems)
    assert len(result.cards) == len(cards) - (flaw != "renumber answer")
