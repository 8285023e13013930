"""Markdown tables: a glossary kept as a GitHub-flavoured pipe table in a note, a row per card.

A table is a header row and its delimiter row (`|---|:---:|`, outer pipes optional, as many cells
as the header), then body rows down to a blank line or another block (heading, quote, list, fence,
rule); a line without a pipe inside a table is a row, as GitHub renders it. The header is never a
card. Each body row is one card: the first column is the question, the second the answer, and each
further cell a line of the answer labelled with its header ("Example: morphine"); empty cells are
skipped, cells beyond the header's kept unlabelled. A table whose first header cell is empty
(`|   | SQL | NoSQL |`) sets rows against columns: every cell of the answer is labelled. Only when the first header names an answer
(`Definition | Term`, in the column names `kg.readers.delimited` knows) and another names a
question is that other column the question; a `Tags` column tags the card.

Cells are Markdown: `**bold**`, `*italic*`, `` `code` ``, links and `<br>` line breaks are kept as
HTML like the other Markdown layouts keep them (`kg.readers.markup`); `\\|` is a pipe, and a pipe
inside a code span splits nothing when splitting there would make the row wider than the header.

The first heading names the deck when it comes before any table and no later heading is of its
level or above (`# Pharmacology terms`); otherwise the file name does. Headings below it open
sub-decks, nested by level (`Pharmacology::Receptors`). Front matter `tags` tag every card. Text
outside the tables is reported, a row without a question or an answer is reported, and a heading
that asks a question above a table is a sign the file is a heading-per-question deck.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Iterator

from kg.cards import COLUMN_CLASS, Card, source_card_id
from kg.errors import DeckError
from kg.readers.columns import ANSWER_COLUMNS, QUESTION_COLUMNS, TAG_COLUMNS
from kg.readers.markdown import HEADING, HR, in_code, strip_front_matter
from kg.readers.markup import markdown_field, markdown_to_html
from kg.readers.mdtext import markdown_to_text
from kg.readers.problems import CheckFailed, LostLines
from kg.readers.textio import humanise

_DELIMITER_CELL = re.compile(r"^:?-+:?$")
# Blocks that end a table (and are never its header): heading, quote, fence, list item.
_BLOCK_START = re.compile(r"^\s{0,3}(?:#{1,6}(?:\s|$)|>|`{3,}|~{3,}|[-*+]\s|\d{1,9}[.)]\s)")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def iter_tables(path: Path, lines: list[tuple[int, str]]) -> Iterator[Card | DeckError]:
    """Cards of a note's Markdown tables, a row per card; problems for text outside them and rows
    without a question or an answer."""
    lines, file_tags = strip_front_matter(lines)
    code = in_code(lines)
    title_at = _title_index(lines, code)
    root = markdown_to_text(HEADING.match(lines[title_at][1]).group(2)).strip() if title_at is not None else ""
    root = root or humanise(path.stem)
    sections: list[tuple[int, str, int]] = []  # open headings below the title: (level, text, line)
    prose: list[int] = []  # the current run of lines outside any table
    i = 0
    while i < len(lines):
        n, text = lines[i]
        heading = HEADING.match(text) if not code[i] else None
        if code[i] or not (heading or not text.strip() or HR.match(text) or _starts_table(lines, code, i)):
            prose.append(n)
            i += 1
            continue
        if prose:
            yield LostLines(path, "text outside any table ignored", line=prose[0], last=prose[-1])
            prose = []
        if heading:
            if i != title_at:
                level = len(heading.group(1))
                sections = [s for s in sections if s[0] < level]
                sections.append((level, markdown_to_text(heading.group(2)).strip(), n))
        elif text.strip() and not HR.match(text):
            deck = "::".join([root, *(name for _, name, _ in sections if name)])
            asking = sections[-1] if sections else None
            if asking and asking[1].endswith("?"):
                yield CheckFailed(path, "heading above the table asks a question; it may be a card whose "
                                        "answer is the table (see `kg inspect`)", line=asking[2])
            i = yield from _table(path, lines, code, i, deck, file_tags)
            continue
        i += 1
    if prose:
        yield LostLines(path, "text outside any table ignored", line=prose[0], last=prose[-1])


def _title_index(lines, code) -> int | None:
    """The index of the heading that names the deck: the first one, before any table, if no later
    heading is of its level or above."""
    headings = [(i, len(m.group(1))) for i, ((_, text), fenced) in enumerate(zip(lines, code))
                if not fenced and (m := HEADING.match(text))]
    if not headings:
        return None
    first, level = headings[0]
    if any(depth <= level for _, depth in headings[1:]):
        return None
    if any(_starts_table(lines, code, i) for i in range(first)):
        return None
    return first


def _starts_table(lines, code, i: int) -> bool:
    """Whether line `i` is a table's header row: a row with a pipe, then a delimiter row as wide."""
    if i + 1 >= len(lines) or code[i] or code[i + 1]:
        return False
    header, delimiter = lines[i][1], lines[i + 1][1]
    if "|" not in header or "|" not in delimiter or _BLOCK_START.match(header):
        return False
    cells = split_row(delimiter)
    return all(_DELIMITER_CELL.match(cell) for cell in cells) and len(cells) == len(split_row(header))


def _table(path, lines, code, start: int, deck: str, file_tags: list[str]):
    """Yield the cards and problems of the table whose header is at `start`; return the index after it."""
    names = [markdown_to_text(_cell_source(cell)).strip() for cell in split_row(lines[start][1])]
    question, answers, tags_at = _columns(names)
    i = start + 2
    while i < len(lines) and not code[i]:
        n, text = lines[i]
        if not text.strip() or _BLOCK_START.match(text) or HR.match(text):
            break
        item = _card(path, n, split_row(text, width=len(names)), names, question, answers, tags_at, deck, file_tags)
        if item is not None:
            yield item
        i += 1
    return i


def _columns(names: list[str]) -> tuple[int, list[int], int | None]:
    """(question column, answer columns in order, tags column or None) of a header."""
    folded = [name.casefold() for name in names]
    tags_at = next((j for j, name in enumerate(folded) if j and name in TAG_COLUMNS), None)
    question = 0
    if folded[0] in ANSWER_COLUMNS:
        question = next((j for j, name in enumerate(folded) if j and name in QUESTION_COLUMNS), 0)
    answers = [j for j in range(len(names)) if j not in (question, tags_at)]
    return question, answers, tags_at


def _card(path, line, cells, names, question_at, answers, tags_at, deck, file_tags) -> Card | DeckError | None:
    width = max(len(cells), len(names))
    cells = cells + [""] * (width - len(cells))
    columns = answers + list(range(len(names), width))  # cells beyond the header's stay, unlabelled
    question, question_html = markdown_field(_cell_source(cells[question_at]))
    parts = []  # (label, text, html or None, source) of each answer cell with text
    matrix = not names[question_at]  # `|   | SQL | NoSQL |`: rows against columns, every cell labelled
    for position, j in enumerate(columns):
        source = _cell_source(cells[j])
        text, marked = markdown_field(source)
        if text:
            label = names[j] if (position or matrix) and j < len(names) else ""
            parts.append((label, text, marked, source))
    if not question and not parts:
        return None  # an empty row holds nothing to lose
    if not question:
        return LostLines(path, "table row without a question (its first cell is empty) ignored", line=line)
    if not parts:
        return LostLines(path, "table row without an answer ignored", line=line)
    answer = "\n".join(f"{label}: {text}" if label else text for label, text, _, _ in parts)
    answer_html = None
    # A column's label is the table's structure, not the card's words: it goes into HTML that
    # says so (kg.nlp.marks.COLUMN_CLASS), so extraction passes it over ("Location/Example:" on
    # every row named 'location example'). A row-against-column table's labels name the things
    # compared ("SQL", "NoSQL") and stay words of the card.
    if any(marked for _, _, marked, _ in parts) or not matrix and any(label for label, _, _, _ in parts):
        answer_html = "\n".join(_labelled(label, marked or markdown_to_html(source), column=not matrix)
                                for label, _, marked, source in parts)
    tags = cells[tags_at].replace(",", " ").split() if tags_at is not None else []
    return Card(
        id=source_card_id(None, deck, question),
        deck=deck,
        question=question,
        answer=answer,
        tags=tuple(dict.fromkeys([*(t.lstrip("#") for t in tags), *file_tags])),
        source=f"{path}:{line}",
        question_html=question_html,
        answer_html=answer_html,
        fields=tuple((names[j] if j < len(names) else f"Field {j + 1}", cells[j]) for j in range(width)),
    )


def _labelled(label: str, rendered: str, *, column: bool = True) -> str:
    """A cell's HTML with its column's label in front (a label is no author mark; a `column`
    label is marked as the table's structure)."""
    if not label:
        return rendered
    shown = f'<span class="{COLUMN_CLASS}">{html.escape(label)}</span>' if column else html.escape(label)
    if rendered.startswith("<p>"):
        return f"<p>{shown}: {rendered[3:]}"
    return f"<p>{shown}:</p>\n{rendered}"


def _cell_source(cell: str) -> str:
    """A cell as Markdown of its own: `\\|` is a pipe, `<br>` a line break."""
    cell = cell.replace("\\|", "|")
    return "  \n".join(part.strip() for part in _BREAK.split(cell)).strip()


def split_row(line: str, *, width: int | None = None) -> list[str]:
    """The cells of a table row, outer pipes dropped and `\\|` kept whole. GitHub splits at every
    other pipe; when that gives more than `width` cells, pipes inside code spans (`` `a | b` ``) and
    wikilinks (`[[a|b]]`) split nothing, as long as the row keeps `width` cells."""
    cells = _split(line, code_spans=False)
    if width is not None and len(cells) > width:
        protected = _split(line, code_spans=True)
        if width <= len(protected) < len(cells):
            return protected
    return cells


def _split(line: str, *, code_spans: bool) -> list[str]:
    """Cells split at every pipe not escaped (nor, with `code_spans`, inside a code span or a wikilink)."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells, start, i = [], 0, 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == "`" and code_spans:
            run = len(text[i:]) - len(text[i:].lstrip("`"))
            close = re.compile(f"(?<!`){'`' * run}(?!`)").search(text, i + run)
            i = close.end() if close else i + run
            continue
        if char == "[" and code_spans and text.startswith("[[", i) and (close := text.find("]]", i + 2)) != -1:
            i = close + 2  # an Obsidian wikilink's alias, `[[Agonist|agonists]]`
            continue
        if char == "|":
            cells.append(text[start:i])
            start = i + 1
        i += 1
    cells.append(text[start:])
    return [cell.strip() for cell in cells]
