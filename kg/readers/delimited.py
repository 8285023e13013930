"""Delimited text decks as Anki and Quizlet export them: CSV / TSV, streamed record by record.

The separator is an Anki `#separator:` header line if there is one, else the candidate (tab, comma,
semicolon, pipe) that splits a sample of the file into the most consistent number of fields (at least
two). A first row naming its columns (question/answer, front/back, term/definition, text, guid, tags,
deck, ...) is a header. Columns:

- question: `question`/`front`/`term`/`text`/..., else the first column;
- answer: `answer`/`back`/`definition`/..., else the second column; an `explanation`/`extra`/`notes`
  column is appended to the answer after a blank line; without a header every further non-empty
  column (other than Anki's declared guid/deck/tags/notetype columns) is appended too, so nothing is lost;
- `guid` gives the card id, `tags` (space-separated, or comma-separated under a header row) the tags, `deck` the deck;
- Anki's headers: `#tags column:` and the other `column:` headers say which column is which; without a
  tags column, the one Anki's importer takes is the tags: the column labelled `Tags` in `#columns:`,
  else the column after the fields of the note type `#notetype:` names;
- with a header, other named columns (`paper_title`, `paper_url`, ...) are metadata and not read.

Fields are Anki HTML unless `#html:false` says otherwise: turned into clean text (the raw field is kept
in question_html / answer_html when it held markup). A record whose field count differs from the
header's is reported and skipped, except a record only short of a header row's last columns, or
long only by empty fields, read as Anki's importer reads it, and two-column files as Quizlet exports
them, unquoted (in a comma file the commas past the first belong to the definition, in a tab file a
line without a tab goes on the definition above it); so is an unterminated quoted field, after
which reading resumes on the line after the record that opened it. A field that opens with a quoted
phrase and goes on after it (`"Carpe diem" means?`), which the csv module refuses, is read as
written, as Anki's importer reads it.
"""

from __future__ import annotations

import csv
import io
import re
from itertools import chain, islice
from pathlib import Path
from typing import Iterator

from kg.cards import Card, source_card_id
from kg.errors import DeckError
from kg.readers.anki.notes import OCCLUSION as _OCCLUSION, field_roles
from kg.readers.anki.stock import STOCK_FIELDS
from kg.readers.columns import (ANSWER_COLUMNS, DECK_COLUMNS, EXTRA_COLUMNS, KNOWN_COLUMNS, QUESTION_COLUMNS,
                                TAG_COLUMNS)
from kg.readers.html import field_text, has_cloze, join_answer, looks_like_html
from kg.readers.problems import LostLines
from kg.readers.textio import MAX_LINE_CHARS, LineReader, humanise, open_text

CANDIDATE_SEPARATORS = ("\t", ",", ";", "|")
_NAMED_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " ", "colon": ":"}
_IMAGE_ONLY = re.compile(r"<img\b[^>]*>|\s|&nbsp;", re.IGNORECASE)
_ANKI_HEADER = re.compile(r"^#\s*([A-Za-z][A-Za-z ]*?)\s*:(.*)$")
# The first line spreadsheets write (and Excel reads) to name a CSV's separator: `sep=;`.
_EXCEL_SEPARATOR = re.compile(r'^"?sep=([^\r\n"])"?\s*$', re.IGNORECASE)
# Headers that tell Anki how to merge an import with notes it has: nothing to read for kg.
_IGNORED_HEADERS = frozenset({"if matches", "match scope"})
_ANKI_KEYS = frozenset({"separator", "html", "tags", "columns", "deck", "notetype", "note type", "guid column",
                        "notetype column", "note type column", "deck column", "tags column", "if matches",
                        "match scope"})
# The header line Anki's own text exports open with (`#separator:tab`, then `#html:true`, ...),
# written without a space after `#`: a file that opens with one is Anki's text format.
_ANKI_OPENING = re.compile(r"^#(separator|html|notetype|deck|columns|tags|(?:guid|notetype|deck|tags) column):",
                           re.IGNORECASE)
# What Anki's "Cards in Plain Text" export writes for a card it cannot render (a blank front, a
# template naming a field the note type lacks): its error message, linked to its manual's page
# on template errors in any language, in English words when the export drops the HTML.
_ANKI_RENDER_ERROR = re.compile(r"<a href=['\"]https?://docs\.ankiweb\.net/templates/errors\.html\b", re.IGNORECASE)
_ANKI_BLANK_FRONT = re.compile(r"^The front of this card is blank\.(?:\s+More information)?$")
SAMPLE_LINES = 200
_MAX_RESUMES = 1000

# Fields may hold up to one line's worth; the csv module's own limit would otherwise stop at 128 KiB.
if csv.field_size_limit() < MAX_LINE_CHARS:
    csv.field_size_limit(MAX_LINE_CHARS)


def iter_delimited(path: str | Path, codec: str = "utf-8", *, text: str | None = None) -> Iterator[Card | DeckError]:
    """Cards of a CSV/TSV deck, one record at a time (memory stays bounded on long files); `text`
    is the file's content when the caller has already read it."""
    path = Path(path)
    resume = _Resume(0)
    for _ in range(_MAX_RESUMES):
        after, resume = resume, None
        for item in _read(path, codec, after, text):
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


def _read(path: Path, codec: str, resume: _Resume, text: str | None = None):
    with (io.StringIO(text, newline="") if text is not None else open_text(path, codec)) as stream:
        lines = LineReader(stream, path, skip_long=True)
        for _ in range(resume.line):
            if next(lines, None) is None:
                return
        lines.problems.clear()
        meta, first = _anki_header(lines) if resume.line == 0 else (resume.meta, None)
        if resume.line == 0:
            yield from meta["problems"]
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
        self.last = ""

    def __iter__(self):
        return self

    def __next__(self):
        line = next(self._it)
        self.lineno += 1
        self.last = line
        return line


def _anki_header(lines: LineReader) -> tuple[dict, str | None]:
    """Anki's `#key:value` lines at the top of a file (after a first `tags:` line, Anki's older
    header of tags for every note, or Excel's `sep=;`), and the first line after them.

    Read as people write them by hand too: any case, spaces around the key and the colon, a
    separator by name (`Tab`, `Semicolon`, ...) or as the character itself. A `#` line that is no
    header Anki knows is reported (in `meta["problems"]`), never dropped silently.
    """
    meta: dict = {"problems": []}
    pending = None
    for line in lines:
        if lines.lineno == 1 and (excel := _EXCEL_SEPARATOR.match(line.lstrip("\ufeff").rstrip("\r\n"))):
            meta["separator"] = excel.group(1)  # Excel's own separator line: no record
            continue
        if lines.lineno == 1 and line.lstrip("\ufeff").startswith("tags:"):
            # The older header Anki's importer still reads on a file's first line: tags for every note.
            meta["tags"], meta["anki"] = line.lstrip("\ufeff")[len("tags:"):].split(), True
            continue
        match = _ANKI_HEADER.match(line.rstrip("\r\n"))
        if not match:
            pending = line
            break
        key, raw = " ".join(match.group(1).lower().split()), match.group(2).strip("\r\n")
        value = raw.strip()
        meta["anki"] = True  # Anki quotes a field that holds a line break
        if key == "separator":
            meta["separator"] = _separator(raw)
        elif key == "html":
            meta["html"] = value.lower() in ("true", "yes", "1", "on")
        elif key in ("deck", "notetype", "note type"):
            meta[key.replace(" ", "")] = value
        elif key == "tags":
            meta["tags"] = value.split()
        elif key == "columns":
            meta["columns"] = raw
        elif key.endswith(" column") and value.isdigit() and int(value) > 0:
            meta[key.replace("note type", "notetype")] = int(value) - 1
        elif key not in _IGNORED_HEADERS:
            meta["problems"].append(LostLines(lines._path, f"unknown header #{match.group(1).strip()}: ignored",
                                              line=lines.lineno))
    return meta, pending


def _separator(raw: str) -> str:
    """A `#separator:` value: a name Anki knows, an escape (`\\t`), or the character itself."""
    value = raw.strip()
    if value.lower() in _NAMED_SEPARATORS:
        return _NAMED_SEPARATORS[value.lower()]
    if value in ("\\t", "\\\\t"):
        return "\t"
    if not value:
        return "\t" if "\t" in raw else (" " if raw else ",")
    return value[:1]


def sniff_separator(sample: list[str]) -> str:
    """The candidate separator giving the most consistent field count (>= 2) over the sample."""
    text = "".join(sample)
    best, best_score = ",", None
    leading = _leading(sample)
    for separator in CANDIDATE_SEPARATORS:
        if separator not in text:
            continue
        try:
            parsed = [row for row in csv.reader(sample, delimiter=separator) if row]
        except csv.Error:
            continue
        counts = [len(row) for row in parsed]
        if len(counts) > 1:
            counts = counts[:-1] if len(sample) >= SAMPLE_LINES else counts  # last record may be cut
        rows = len(counts)
        counts = [count for count in counts if count > 1]  # a line without it is a stray, not a record
        if not counts:
            continue
        modal = max(set(counts), key=counts.count)
        if modal < 2:
            continue
        # Equally consistent (`What is X?; It is Y, or Z`): the one that ends questions before it wins,
        # then the one that comes first in more lines (`perro; dog, hound`).
        asking = sum(row[0].rstrip().endswith("?") for row in parsed)
        score = (counts.count(modal) / rows, asking, leading[separator], -CANDIDATE_SEPARATORS.index(separator))
        if best_score is None or score > best_score:
            best, best_score = separator, score
    return best


def _leading(sample: list[str]) -> dict:
    """How many lines each candidate separator is the first of the candidates in."""
    counts = dict.fromkeys(CANDIDATE_SEPARATORS, 0)
    for line in sample:
        found = [(line.find(s), s) for s in CANDIDATE_SEPARATORS if s in line]
        if found:
            counts[min(found)[1]] += 1
    return counts


def _records(path, reader, counted: _Counted, lines: LineReader, meta: dict, resume: _Resume):
    deck_default = meta.get("deck") or humanise(path.stem)
    html = meta.get("html", True)
    columns, width = resume.columns, resume.width
    held = None  # the last record, (row, line), kept until the next shows it has no more lines
    while True:
        start = counted.lineno + 1
        try:
            row = next(reader)
        except StopIteration:
            yield from _drain(lines)
            if held:
                yield _card(path, held[0], columns, deck_default, html, held[1], meta)
            return
        except csv.Error as error:
            reason = str(error)
            row = _quoted_phrase(path, reason, counted, start, meta["separator"])
            if row is None:
                yield from _drain(lines)
                if held:
                    yield _card(path, held[0], columns, deck_default, html, held[1], meta)
                    held = None
                if "unexpected end of data" in reason or "EOF" in reason:
                    yield DeckError(path, "unterminated quoted field; record skipped", line=start)
                    yield _Resume(start, columns, width, meta)
                    return
                yield DeckError(path, f"malformed record skipped ({reason})", line=start)
                continue
        yield from _drain(lines)
        if not any(field.strip() for field in row):
            continue
        if row[0].startswith("\ufeff"):
            row[0] = row[0].lstrip("\ufeff")  # the BOM of a file joined onto the end of another
        if columns is None:
            columns = _header_columns(row)
            if columns is not None:
                width = len(row)
                continue
            columns = _positional_columns(meta)
        elif columns.get("names") and [f.strip().casefold() for f in row] == [n.casefold() for n in columns["names"]]:
            continue  # the header again: files joined one after another (`cat a.csv b.csv`)
        if width is None and len(row) > 1:
            width = len(row)  # a one-field row first (a stray line) does not set the width
        if width == 2 and len(row) > 2 and meta["separator"] == "," and not columns.get("names") \
                and not columns.get("notes") and not _declared(meta):
            # Quizlet's comma export never quotes: the commas past the first are the definition's own.
            row = [row[0], ",".join(row[1:])]
        if held and len(row) == 1 and width == 2 and meta["separator"] == "\t" \
                and not meta.get("anki") and not columns.get("notes"):
            # Quizlet's export (a tab between term and definition) writes a definition's line breaks
            # as they are, unquoted: a line without a tab under a record goes on its definition.
            # (Not after a comma: prose has commas, and its lines would be glued together.)
            held[0][-1] += "\n" + row[0]
            continue
        if width is not None and len(row) != width and not columns.get("notes"):
            if not _fits(row, width, columns):
                yield DeckError(path, f"{len(row)} fields where {width} were expected; record skipped", line=start)
                continue
            row = (row + [""] * width)[:width]
        if held:
            yield _card(path, held[0], columns, deck_default, html, held[1], meta)
        held = (row, start)


def _quoted_phrase(path: Path, reason: str, counted: _Counted, start: int, separator: str) -> list[str] | None:
    """The fields of a one-line record whose field opens with a quoted phrase and goes on after it
    (`"To be or not to be" is from which play?<tab>Hamlet`, as people type a TSV), which the csv
    module refuses: split as Anki's importer splits it (the quotes hide separators), the quotes kept
    as written. Only in files that are delimited by their tabs or their suffix, where such a line
    is a record and not prose; None for any other malformed record."""
    if "expected after" not in reason or counted.lineno != start:
        return None
    if separator != "\t" and path.suffix.lower() not in (".csv", ".tsv"):
        return None
    line = counted.last.rstrip("\r\n")
    fields, at = [], 0
    while True:
        end = at
        if line.startswith('"', at):  # the quoted part: separators in it are its own
            end = at + 1
            while (end := line.find('"', end)) >= 0 and line.startswith('""', end):
                end += 2
            end = len(line) if end < 0 else end + 1
        cut = line.find(separator, end)
        field = line[at:] if cut < 0 else line[at:cut]
        if len(field) > 1 and field[0] == field[-1] == '"' and end == at + len(field):
            field = field[1:-1].replace('""', '"')  # a field quoted whole, as csv writes it
        fields.append(field)
        if cut < 0:
            return fields
        at = cut + 1


def _tags(raw: str, columns: dict) -> list[str]:
    """A row's tags: split at spaces as Anki writes them, or at commas in a column a header row
    names, as a spreadsheet's multi-select (Notion's) joins them: 'Cell biology, Genetics'."""
    if columns.get("names") and "," in raw:
        return [tag.strip() for tag in raw.split(",") if tag.strip()]
    return raw.split()


def _fits(row: list[str], width: int, columns: dict) -> bool:
    """Whether a row of another field count than the file's is still read as Anki's importer reads
    it: short, under a header row naming the columns (its missing last columns are empty: an
    optional `Example` left out), or long only by empty fields (a spreadsheet's trailing commas).
    A long row with words past the last column may hold an unquoted separator: it is not guessed at."""
    if len(row) < width:
        return bool(columns.get("names"))
    return not any(field.strip() for field in row[width:])


def _declared(meta: dict) -> bool:
    """Whether Anki headers declare the columns (then a row's field count is the file's word)."""
    return any(key in meta for key in ("columns", "notetype", "guid column", "tags column", "deck column",
                                       "notetype column"))


def _drain(lines: LineReader):
    yield from lines.problems
    lines.problems.clear()


def _header_columns(row: list[str]) -> dict | None:
    names = [field.strip().casefold().lstrip("#").strip() for field in row]
    if sum(name in KNOWN_COLUMNS for name in names) < 2:
        return None
    columns: dict = {"extra": [], "meta_only": True, "names": [field.strip() for field in row]}
    for role, choices in (("question", QUESTION_COLUMNS), ("answer", ANSWER_COLUMNS)):
        found = next((names.index(c) for c in choices if c in names), None)
        columns[role] = found
    for index, name in enumerate(names):
        if name in EXTRA_COLUMNS:
            columns["extra"].append(index)
        elif name in ("guid", "id") and "guid" not in columns:
            columns["guid"] = index
        elif name in TAG_COLUMNS:
            columns["tags"] = index
        elif name in DECK_COLUMNS:
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
    """Columns by position: Anki's declared guid/notetype/deck/tags columns, the rest are fields."""
    columns: dict = {"extra": [], "meta_only": False}
    for key, role in (("guid column", "guid"), ("tags column", "tags"), ("deck column", "deck"),
                      ("notetype column", "notetype")):
        if key in meta:
            columns[role] = meta[key]
    declared = {columns.get(k) for k in ("guid", "tags", "deck", "notetype")}
    content = (i for i in range(len(declared) + 2) if i not in declared)
    columns["question"], columns["answer"] = next(content), next(content)
    # Anki's notes export (or a hand-written file naming a note type or its columns): every field
    # of the note is kept by name, the first is the question and the rest the answer.
    columns["notes"] = any(k in meta for k in ("notetype column", "notetype", "columns"))
    labels = _split_labels(meta.get("columns", ""), meta.get("separator", ","))
    columns["labels"] = labels
    if "tags column" not in meta and "notetype column" not in meta:
        # Anki's importer takes the column after one note type's fields as the tags (`#columns:Front|Back|Tags`,
        # or a third column under `#notetype:Basic`): a label naming the tags, else that position.
        named = next((i for i, label in enumerate(labels) if label.casefold() in TAG_COLUMNS and i not in declared), None)
        fields = STOCK_FIELDS.get(str(meta.get("notetype", "")).strip().casefold())
        if named is not None:
            columns["tags"] = named
        elif fields and not labels:
            free = [i for i in range(len(declared) + len(fields) + 1) if i not in declared]
            columns["tags_after_fields"] = free[len(fields)]
    return columns


def _split_labels(raw: str, separator: str) -> list[str]:
    if not raw:
        return []
    try:
        return [label.strip() for label in next(csv.reader([raw], delimiter=separator))]
    except (csv.Error, StopIteration):
        return []


# Field names of the note types every Anki collection starts with (in Anki's main languages), for
# files that name only the type.
STANDARD_FIELDS = STOCK_FIELDS


def _get(row: list[str], index) -> str:
    return row[index] if index is not None and index < len(row) else ""


def _note_fields(row: list[str], columns: dict, note_type: str) -> list[tuple[str, str]]:
    """(name, raw value) of every field of an Anki note row, named by the labels or the note type."""
    declared = {columns.get(k) for k in ("guid", "tags", "deck", "notetype")}
    indexes = [i for i in range(len(row)) if i not in declared]
    names = STANDARD_FIELDS.get(note_type.strip().casefold())
    known = len(names) if names else 1
    while len(indexes) > known and not row[indexes[-1]].strip():
        indexes.pop()  # Anki pads every row to the widest note type's width
    labels = columns.get("labels") or []
    fields = []
    for position, index in enumerate(indexes):
        if labels and index < len(labels) and labels[index] and not names:
            name = labels[index]
        elif names and position < len(names):
            name = names[position]
        else:
            name = f"Field {position + 1}"
        fields.append((name, row[index].strip()))
    return fields


def _note_sides(fields: list[tuple[str, str]], note_type: str) -> tuple[str, str, list[str], str]:
    """(question, answer, further answers, the question field's name when it is empty) of a note
    row, its fields told apart as in a package (`kg.readers.anki.notes.field_roles`): a switch
    (`Add Reverse`) or occlusion shapes carry no text, an occlusion without a header asks with its image."""
    kind = "cloze" if "cloze" in note_type.lower() or "occlusion" in note_type.lower() \
        or any(has_cloze(value) for _, value in fields) else "normal"
    question_name, answer_names = field_roles(kind, tuple(fields))
    values = dict(fields)
    raw_question = values.get(question_name, "") if question_name else ""
    answers = [values[name] for name in answer_names if values[name].strip()]
    empty = (question_name or "question") if not raw_question.strip() else ""
    if not raw_question.strip() and answers:
        raw_question, answers = answers[0], answers[1:]
    return raw_question, (answers[0] if answers else ""), answers[1:], empty


def _card(path, row, columns, deck_default, html, line, meta=None) -> Card | DeckError:
    meta = meta or {}
    if columns.get("tags_after_fields") is not None and columns["tags_after_fields"] < len(row):
        columns = {**columns, "tags": columns["tags_after_fields"]}
    note_type = meta.get("notetype") or None
    if columns.get("notetype") is not None:
        note_type = field_text(_get(row, columns["notetype"]), html=False) or note_type
    fields: list[tuple[str, str]] = []
    empty_field = ""
    if columns.get("notes"):
        fields = _note_fields(row, columns, note_type or "")
        raw_question, raw_answer, raw_extras, empty_field = _note_sides(fields, note_type or "")
    else:
        raw_question = _get(row, columns["question"])
        raw_answer = _get(row, columns["answer"])
        raw_extras = [_get(row, i) for i in columns["extra"]]
        if not columns["meta_only"]:
            special = {columns.get(k) for k in ("question", "answer", "guid", "tags", "deck", "notetype")}
            raw_extras += [field for i, field in enumerate(row) if i not in special]
        names = columns.get("names")
        if names:  # a header row names the columns: every one is kept, `paper_url` and all
            declared = {columns.get(k) for k in ("guid", "tags", "deck", "notetype")}
            fields = [(names[i] if i < len(names) else f"Field {i + 1}", value.strip())
                      for i, value in enumerate(row) if i not in declared]
        if _OCCLUSION.match(raw_question):  # Anki's image occlusion note without its note type named
            rest = [v for v in (raw_answer, *raw_extras) if v.strip() and not _OCCLUSION.match(v)]
            # Its header asks (the image answers), as when the package is read; no header, the image asks.
            worded = [v for v in rest if _IMAGE_ONLY.sub("", v).strip()]
            order = worded[:1] + [v for v in rest if v not in worded[:1]]
            raw_question, raw_answer, raw_extras = (order + ["", ""])[0], (order + ["", ""])[1], order[2:]
    question = field_text(raw_question, html=html)
    if _ANKI_RENDER_ERROR.search(raw_question) or _ANKI_BLANK_FRONT.match(question):
        error = re.sub(r"\s+More information$", "", question.split("\n")[0].strip())
        return LostLines(path, f"a card Anki could not render ({error!r}); skipped", line=line)
    parts = [field_text(raw_answer, html=html)] + [field_text(x, html=html) for x in raw_extras]
    answer = join_answer(parts)
    if not answer and has_cloze(raw_question):
        answer = question  # a cloze note: the text with its gaps filled is the answer
    if not question or (empty_field and not answer):
        # As a package's note is named: by what the user left blank, even when its back moved up to ask.
        said = f" (its {empty_field} field is empty)" if empty_field and empty_field != "question" else ""
        return LostLines(path, f"record without a question skipped{said}", line=line)
    if not answer:
        return LostLines(path, "record without an answer skipped", line=line)
    deck = field_text(_get(row, columns.get("deck")), html=False).replace("\x1f", "::") or deck_default
    guid = _get(row, columns.get("guid")).strip()
    tags = tuple(dict.fromkeys([*_tags(_get(row, columns.get("tags")), columns), *meta.get("tags", ())]))
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
        note_type=note_type,
        fields=tuple(fields),
    )


def anki_opening(lines: list[str]) -> str | None:
    """The first non-blank line when it is a header as Anki's text exports open with (`#separator:tab`),
    else None. Anki's importer reads such a file as delimited whatever its fields hold
    (`tag::sub` tags, `Q?` lines), so kg reads it so too.

    >>> anki_opening(["#separator:tab", "#html:false", "cat\t猫\tneko::tag"])
    '#separator:tab'
    >>> anki_opening(["# Separator: a Markdown heading"]) is None
    True
    """
    first = next((line for line in lines if line.strip()), "")
    return first.strip() if _ANKI_OPENING.match(first.lstrip("\ufeff")) else None


def declares_columns(lines: list[str]) -> bool:
    """Whether a file says it is delimited: an Anki `#` header, a tab between fields in (nearly) every
    row, questions ending right before the separator in most rows, or a first row naming its
    columns. Prose has commas; it has none of these."""
    rows = [line for line in lines if line.strip()]
    if not rows:
        return False
    if _ANKI_HEADER.match(rows[0]) and _ANKI_HEADER.match(rows[0]).group(1).strip().lower() in _ANKI_KEYS:
        return True
    if _EXCEL_SEPARATOR.match(rows[0].lstrip("\ufeff").rstrip("\r\n")):
        return True
    if sum("\t" in row for row in rows) >= 0.9 * len(rows):
        return True
    separator = sniff_separator(rows[:SAMPLE_LINES])
    if sum(row.split(separator, 1)[0].rstrip().endswith("?") for row in rows if separator in row) >= len(rows) / 2:
        return True  # questions, then the separator: `What is X?; X is ...`
    try:
        first = next(csv.reader([rows[0]], delimiter=separator))
    except (csv.Error, StopIteration):
        return False
    return _header_columns(first) is not None
