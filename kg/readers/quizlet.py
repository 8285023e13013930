"""Quizlet exports with custom separators: `term<SEP>definition` records split by a row separator.

Quizlet's export lets the user pick the text between term and definition (tab, comma, or any
custom text: the usual ` - `, ` = `, ... are tried, then any run of punctuation most records hold,
such as ` ~ ` or `//`) and between rows (new line, semicolon, or custom, often a blank line so
that definitions may span lines). The pair of separators is found by trying the usual ones and
keeping the pair that splits the most records into exactly a term and a definition. Tab- or
comma-separated lines one per row are delimited text (`kg.readers.delimited`), not this layout.
A record without the term separator is reported (with rows split by new lines, a line without it
right under a record is the rest of that record's definition, as Quizlet writes a definition's
line breaks); one written as a Markdown table row (`| a | b |`)
is flagged, as the sign of a table (`kg.readers.tables`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from kg.cards import Card, source_card_id
from kg.errors import DeckError
from kg.readers.markup import markdown_field
from kg.readers.problems import CheckFailed, LostLines
from kg.readers.textio import humanise

# Quizlet's tab and comma, and the custom ones people pick (` >> ` is also RemNote's).
TERM_SEPARATORS = ("\t", " - ", " – ", " — ", " = ", " : ", ": ", " | ", " -> ", " => ", " >> ", ",", "|")
ROW_SEPARATORS = ("\n\n", "\n", ";", "||", "|", "~")
# One record per line split by a single tab or comma is delimited text, read with its quoting rules.
_DELIMITED = {("\t", "\n"), (",", "\n")}
MIN_CONSISTENCY = 0.5
# A made-up term separator: punctuation between spaces (` ~ `), or a mark two or three times (`~~`, `>>>`).
_CUSTOM_TERM = re.compile(r"(?<=\S) +[^\w\s]{1,3} +(?=\S)|(?<=\w)([^\w\s])\1{1,2}(?=\w)")
_CUSTOM_SAMPLE = 300
MIN_DISTINCT = 0.5


def separators(text: str) -> tuple[str, str, float] | None:
    """(term separator, row separator, share of records split in two) of the best pair, or None."""
    best = None
    for row in ROW_SEPARATORS:
        if row not in text and row != "\n":
            continue
        records = [r.strip() for r in _split_rows(text, row)]
        records = [r for r in records if r]
        if not records or (row == "\n\n" and not any("\n" in r for r in records)):
            continue  # blank lines between one-line rows: rows split by new lines, as below
        for term in TERM_SEPARATORS + _custom_terms(records):
            if (term, row) in _DELIMITED or term == row or term in row:
                continue
            terms, messy = [], 0
            for record in records:
                parts = record.split(term, 2)
                if len(parts) == 2 and parts[0].strip() and parts[1].strip():
                    terms.append(re.sub(r"\d+", "#", parts[0].strip().lower()))
                    # Equally good pairs: the one that leaves no term across lines and no row mark behind wins.
                    messy += "\n" in parts[0].strip() or parts[1].rstrip()[-1:] in (";", "|", "~")
            paired = len(terms)
            if paired > 2 and len(set(terms)) <= MIN_DISTINCT * paired:
                continue  # the same few words before every separator are labels (`Q:`, `3 A:`), not terms
            key = (paired / len(records), paired, -messy)
            if paired and (best is None or key > best[0]):
                best = (key, term, row)
    if best is None or best[0][0] < MIN_CONSISTENCY:
        return None
    return best[1], best[2], best[0][0]


def _custom_terms(records: list[str]) -> tuple[str, ...]:
    """Term separators the user made up (` ~ `, ` // `, `>>>`): runs of punctuation, spaced or
    doubled, that half the records (of the first few hundred) hold; tried after the usual ones."""
    sample = records[:_CUSTOM_SAMPLE]
    counts: dict[str, int] = {}
    for record in sample:
        for found in {m.group(0) for m in _CUSTOM_TERM.finditer(record.split("\n", 1)[0])}:
            if found not in TERM_SEPARATORS:
                counts[found] = counts.get(found, 0) + 1
    return tuple(sorted((t for t, n in counts.items() if n >= MIN_CONSISTENCY * len(sample)),
                        key=lambda t: -counts[t]))


def _split_rows(text: str, row: str) -> list[str]:
    if row == "\n\n":
        return re.split(r"\n[ \t]*\n+", text)
    return text.split(row)


def _records(text: str, row: str, term: str, first: int) -> list[tuple[int, int, str]]:
    """(first line, last line, text) of each record. With rows split by new lines, a line without
    the term separator right under a record is the rest of its definition: Quizlet writes a
    definition's own line breaks as they are."""
    records: list[tuple[int, int, str]] = []
    offset = 0
    for record in _split_rows(text, row):
        start = text.find(record, offset) if record else offset
        offset = start + len(record)
        body = record.strip()
        if not body:
            continue
        lead = len(record) - len(record.lstrip())
        line = first + text.count("\n", 0, start + lead)
        last = line + body.count("\n")
        if (row == "\n" and records and term not in body and term in records[-1][2] and records[-1][1] == line - 1
                and "|" not in term and not body.startswith("|")):  # (a table's rows are no definition's lines)
            records[-1] = (records[-1][0], last, f"{records[-1][2]}\n{body}")
            continue
        records.append((line, last, body))
    return records


def iter_quizlet(path: Path, lines: list[tuple[int, str]]) -> Iterator[Card | DeckError]:
    """Cards of a Quizlet export with custom separators; problems for records that do not split."""
    if not lines:
        return
    first = lines[0][0]
    text = "\n".join(line for _, line in lines)
    found = separators(text)
    if found is None:
        yield DeckError(path, "no cards found (no consistent term and row separators)")
        return
    term, row, _ = found
    deck = humanise(path.stem)
    for line, last, body in _records(text, row, term, first):
        if "\n" in row and "\n" in body and all(term in part for part in body.split("\n")):
            yield CheckFailed(path, f"every line of this record holds the term separator ({term!r}); "
                                    "its rows may be split by new lines", line=line)
        if len(body) > 1 and body[0] == "|" == body[-1] and "\n" not in body:
            yield CheckFailed(path, "record is a row of a Markdown table (`| … |`); see `kg inspect`", line=line)
        question_source, sep, answer_source = body.partition(term)
        if sep and "\n" in question_source.strip():
            yield CheckFailed(path, "term spans several lines; the separators may be misread", line=line)
        question, question_html = markdown_field(question_source.strip())
        answer, answer_html = markdown_field(answer_source.strip())
        if not sep or not question or not answer:
            yield LostLines(path, f"record without a term and a definition ({term!r}) ignored", line=line, last=last)
            continue
        yield Card(
            id=source_card_id(None, deck, question),
            deck=deck,
            question=question,
            answer=answer,
            source=f"{path}:{line}",
            question_html=question_html,
            answer_html=answer_html,
        )
