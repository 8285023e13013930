"""Delimited text decks as Anki and Quizlet export them: CSV / TSV, streamed record by record.

The separator is an Anki `#separator:` header line if there is one, else the candidate (tab, comma,
semicolon, pipe) that splits a sample of the file into the most consistent number of fields (at least
two). A first row naming its columns (question/answer, front/back, term/definition, text, guid, tags,
deck, ...) is a header. Columns:

- question: `question`/`front`/`term`/`text`/..., else the first column;
- answer: `answer`/`back`/`definition`/..., else the second column; an `explanation`/`extra`/`notes`
  column is appended to the answer after a blank line; without a header every further non-empty
  column (other than Anki's declared guid/deck/tags/notetype columns) is appended too, so nothing is lost;
- `guid` gives the card id, `tags` (space-separated) the tags, `deck` the deck;
- with a header, other named columns (`paper_title`, `paper_url`, ...) are metadata and not read.

Fields are Anki HTML unless `#html:false` says otherwise: turned into clean text (the raw field is kept
in question_html / answer_html when it held markup). A record whose field count differs from the
header's is reported and skipped; so is an unterminated quoted field, after which reading resumes on
the line after the record that opened it.
"""

from __future__ import annotations

import csv
import re
from itertools import chain, islice
from pathlib import Path
from typing import Iterator

from kg.cards import Card, source_card_id
from kg.errors import DeckError
from kg.readers.html import field_text, has_cloze, looks_like_html
from kg.readers.textio import MAX_LINE_CHARS, LineReader, humanise, open_text

CANDIDATE_SEPARATORS = ("\t", ",", ";", "|")
_NAMED_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " ", "colon": ":"}
_QUESTION_COLUMNS = ("question", "front", "term", "text", "prompt", "q", "word", "recto")
_ANSWER_COLUMNS = ("answer", "back", "definition", "a", "meaning", "verso", "response")
_EXTRA_COLUMNS = ("explanation", "extra", "notes", "note", "back extra", "remarks")
_META_COLUMNS = ("guid", "id", "tags", "tag", "deck", "notetype", "note type", "note_type")
_KNOWN = set(_QUESTION_COLUMNS + _ANSWER_COLUMNS + _EXTRA_COLUMNS + _META_COLUMNS)
_ANKI_HEADER = re.compile(r"^#([A-Za-z][\w ]*):(.*)$")
SAMPLE_LINES = 200
_MAX_RESUMES = 1000

# Fields may hold up to one line's worth; the csv module's own limit would otherwise stop at 128 KiB.
if csv.field_size_limit() < MAX_LINE_CHARS:
    csv.field_size_limit(MAX_LINE_CHARS)


def iter_delimited(path: str | Path, codec: str = "utf-8") -> Iterator[Card | DeckError]:
    """Cards of a CSV/TSV deck, one record at a time (memory stays bounded on long files)."""
    path = Path(path)
    resume = _Resume(0)
    for _ in range(_MAX_RESUMES):
        after, resume = resume, None
        for item in _read(path, codec, after):
            if isinstance(item, _Resume):
                resume = item
            else:
                yield item
        if resume is None:
            return
    yield DeckError(path, f"gave up after {_MAX_RESUMES} unterminated quoted fields")


class _Resume:
    """Where to restart after an unterminated quote swallowed the rest, and the columns known so far."""

    def __init__(self, line: int, columns=None, width=None, meta=None):
        self.line, self.columns, self.width, self.meta = line, columns, width, meta or {}


def _read(path: Path, codec: str, resume: _Resume):
    with open_text(path, codec) as stream:
        lines = LineReader(stream, path, skip_long=True)
        for _ in range(resume.line):
            if next(lines, None) is None:
                return
        lines.problems.clear()
        meta, first = _anki_header(lines) if resume.line == 0 else (resume.meta, None)
        header_end = lines.lineno - (first is not None)
        rest = chain([first] if first is not None else [], lines)
        sample = list(islice(rest, SAMPLE_LINES))
        meta.setdefault("separator", sniff_separator(sample))
        counted = _Counted(chain(sample, rest), header_end)
        reader = csv.reader(counted, delimiter=meta["separator"], strict=True)
        yield from _records(path, reader, counted, lines, meta, resume)


class _Counted:
    """Line iterator that knows the number of the last line it handed to the csv reader."""

    def __init__(self, iterator, lineno):
        self._it = iterator
        self.lineno = lineno

    def __iter__(self):
        return self

    def __next__(self):
        line = next(self._it)
        self.lineno += 1
        return line


def _anki_header(lines: LineReader) -> tuple[dict, str | None]:
    """Anki's `#key:value` lines at the top of an export, and the first line after them."""
    meta: dict = {}
    pending = None
    for line in lines:
        match = _ANKI_HEADER.match(line.rstrip("\r\n"))
        if not match:
            pending = line
            break
        key, value = match.group(1).strip().lower(), match.group(2).strip()
        if key == "separator":
            meta["separator"] = _NAMED_SEPARATORS.get(value.lower(), value[:1] or ",")
        elif key == "html":
            meta["html"] = value.lower() == "true"
        elif key in ("deck", "notetype", "tags"):
            meta[key] = value
        elif key.endswith(" column") and value.isdigit():
            meta[key] = int(value) - 1
    return meta, pending


def sniff_separator(sample: list[str]) -> str:
    """The candidate separator giving the most consistent field count (>= 2) over the sample."""
    text = "".join(sample)
    best, best_score = ",", None
    for separator in CANDIDATE_SEPARATORS:
        if separator not in text:
            continue
        try:
            counts = [len(row) for row in csv.reader(sample, delimiter=separator) if row]
        except csv.Error:
            continue
        if len(counts) > 1:
            counts = counts[:-1] if len(sample) >= SAMPLE_LINES else counts  # last record may be cut
        if not counts:
            continue
        modal = max(set(counts), key=counts.count)
        if modal < 2:
            continue
        score = (counts.count(modal) / len(counts), -CANDIDATE_SEPARATORS.index(separator))
        if best_score is None or score > best_score:
            best, best_score = separator, score
    return best


def _records(path, reader, counted: _Counted, lines: LineReader, meta: dict, resume: _Resume):
    deck_default = meta.get("deck") or humanise(path.stem)
    html = meta.get("html", True)
    columns, width = resume.columns, resume.width
    while True:
        start = counted.lineno + 1
        try:
            row = next(reader)
        except StopIteration:
            yield from _drain(lines)
            return
        except csv.Error as error:
            yield from _drain(lines)
            reason = str(error)
            if "unexpected end of data" in reason or "EOF" in reason:
                yield DeckError(path, "unterminated quoted field; record skipped", line=start)
                yield _Resume(start, columns, width, meta)
                return
            yield DeckError(path, f"malformed record skipped ({reason})", line=start)
            continue
        yield from _drain(lines)
        if not any(field.strip() for field in row):
            continue
        if columns is None:
            columns = _header_columns(row)
            if columns is not None:
                width = len(row)
                continue
            columns = _positional_columns(meta)
        if width is None:
            width = len(row)
        if len(row) != width:
            yield DeckError(path, f"{len(row)} fields where {width} were expected; record skipped", line=start)
            continue
        yield _card(path, row, columns, deck_default, html, start)


def _drain(lines: LineReader):
    yield from lines.problems
    lines.problems.clear()


def _header_columns(row: list[str]) -> dict | None:
    names = [field.strip().lower().lstrip("#").strip() for field in row]
    if sum(name in _KNOWN for name in names) < 2:
        return None
    columns: dict = {"extra": [], "meta_only": True}
    for role, choices in (("question", _QUESTION_COLUMNS), ("answer", _ANSWER_COLUMNS)):
        found = next((names.index(c) for c in choices if c in names), None)
        columns[role] = found
    for index, name in enumerate(names):
        if name in _EXTRA_COLUMNS:
            columns["extra"].append(index)
        elif name in ("guid", "id") and "guid" not in columns:
            columns["guid"] = index
        elif name in ("tags", "tag"):
            columns["tags"] = index
        elif name == "deck":
            columns["deck"] = index
    if columns["question"] is None:
        columns["question"] = next(i for i in range(len(names)) if i not in columns.values())
    if columns["answer"] is None:
        rest = [i for i in range(len(names)) if i != columns["question"] and i not in _roles(columns)]
        columns["answer"] = rest[0] if rest else None
    return columns


def _roles(columns: dict) -> set:
    taken = {columns.get(k) for k in ("guid", "tags", "deck")}
    return taken | set(columns["extra"])


def _positional_columns(meta: dict) -> dict:
    columns: dict = {"extra": [], "meta_only": False}
    for key, role in (("guid column", "guid"), ("tags column", "tags"), ("deck column", "deck"),
                      ("notetype column", "notetype")):
        if key in meta:
            columns[role] = meta[key]
    declared = {columns.get(k) for k in ("guid", "tags", "deck", "notetype")}
    content = (i for i in range(len(declared) + 2) if i not in declared)
    columns["question"], columns["answer"] = next(content), next(content)
    return columns


def _get(row: list[str], index) -> str:
    return row[index] if index is not None and index < len(row) else ""


def _card(path, row, columns, deck_default, html, line) -> Card | DeckError:
    raw_question = _get(row, columns["question"])
    raw_answer = _get(row, columns["answer"])
    raw_extras = [_get(row, i) for i in columns["extra"]]
    if not columns["meta_only"]:
        special = {columns.get(k) for k in ("question", "answer", "guid", "tags", "deck", "notetype")}
        raw_extras += [field for i, field in enumerate(row) if i not in special]
    question = field_text(raw_question, html=html)
    parts = [field_text(raw_answer, html=html)] + [field_text(x, html=html) for x in raw_extras]
    answer = "\n\n".join(p for p in parts if p)
    if not answer and has_cloze(raw_question):
        answer = question  # a cloze note: the text with its gaps filled is the answer
    if not question:
        return DeckError(path, "record without a question skipped", line=line)
    if not answer:
        return DeckError(path, "record without an answer skipped", line=line)
    deck = field_text(_get(row, columns.get("deck")), html=False).replace("\x1f", "::") or deck_default
    guid = _get(row, columns.get("guid")).strip()
    tags = tuple(dict.fromkeys(_get(row, columns.get("tags")).split()))
    answer_raw = "\n".join(x for x in [raw_answer, *raw_extras] if x)
    # Cloze deletions are the author's marks: the raw field keeps them even without any HTML.
    markup = html and (looks_like_html(raw_question) or looks_like_html(answer_raw) or has_cloze(raw_question))
    return Card(
        id=source_card_id(guid, deck, question),
        guid=guid or None,
        deck=deck,
        question=question,
        answer=answer,
        tags=tags,
        source=f"{path}:{line}",
        question_html=raw_question if markup else None,
        answer_html=answer_raw if markup else None,
    )
