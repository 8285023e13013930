"""Which text layout a deck file is written in, found by reading the whole file every way.

Every candidate layout reads the file (up to `SAMPLE_LINES` lines / `SAMPLE_CHARS` characters;
beyond that, the start of it) and is scored on how consistently it explains it: the share of
non-blank lines it turns into cards, less a penalty for failed self-checks and a small cost for
the layouts that guess (raw text) rather than follow marks. The best score wins; on a tie, the
layout with the more specific marks. The suffix alone never decides (it adds a hundredth: a `.csv`
is delimited if that explains it as well as anything); one first line does: a .txt, .csv or .tsv
that opens with the header Anki's text exports write (`#separator:tab`) is Anki's text format, read
as delimited as Anki's importer reads it, whatever another layout makes of its fields (`tag::sub`
tags are no `Question::Answer` cards). A layout that could not beat the best score so far even by
explaining every line is not scored (`kg inspect` scores them all). A format named by the caller
(`--format NAME`) is read as it is.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from kg.cards import Card
from kg.errors import DeckError, KGError
from kg.readers.delimited import anki_opening, declares_columns, iter_delimited
from kg.readers.inka import iter_inka
from kg.readers.lists import iter_lists
from kg.readers.logseq import iter_logseq
from kg.readers.markdown import iter_callouts, iter_details, iter_headings, setext_as_atx
from kg.readers.obsidian_sr import iter_sr
from kg.readers.obsidian_to_anki import iter_obsidian_to_anki
from kg.readers.org import iter_org
from kg.readers.pairs import iter_qa
from kg.readers.problems import CheckFailed, lost_span
from kg.readers.quizlet import iter_quizlet
from kg.readers.separated import iter_separated
from kg.readers.tables import iter_tables
from kg.readers.text import iter_text
from kg.readers.textio import iter_lines, open_text, read_lines

SAMPLE_LINES = 10000
SAMPLE_CHARS = 512 << 10  # bounded memory: a long file is scored on its start
CHECK_PENALTY = 0.5  # a failed self-check on every card halves the score
# Columns nothing declares (no header, no tab, not a .csv): prose has commas too, so it takes a few
# rows of the same width, and other layouts win a tie.
UNDECLARED_MIN_RECORDS = 3
UNDECLARED_COST = 0.02
SUFFIX_BONUS = 0.01


_MARKDOWN = frozenset({".md", ".markdown"})
_ANKI_TEXT = frozenset({".txt", ".csv", ".tsv", ".text"})  # what Anki's File > Import takes as text


@dataclass(frozen=True)
class Layout:
    """A way of writing cards in a text file; `read(path, lines)` gives its cards and problems."""

    name: str
    title: str
    read: Callable[[Path, list], Iterator] | None  # None: streams the file itself (delimited)
    cost: float = 0.0  # how much of a guess the layout is
    suffixes: frozenset = frozenset()


# Most specific marks first: on a tie the earlier layout wins.
LAYOUTS = (
    Layout("callouts", "Obsidian callouts", iter_callouts, suffixes=_MARKDOWN),
    Layout("details", "HTML <details> sections: a <summary> asks, or labels the answer to the heading above",
           iter_details, suffixes=_MARKDOWN),
    Layout("logseq", "Logseq #card blocks", iter_logseq, suffixes=_MARKDOWN),
    Layout("obsidian-to-anki", "Obsidian_to_Anki START/END notes", iter_obsidian_to_anki, suffixes=_MARKDOWN),
    Layout("tables", "Markdown tables, a row per card", iter_tables, suffixes=_MARKDOWN),
    Layout("org", "Org-mode flashcards: org-drill, org-fc, anki-editor", iter_org, suffixes=frozenset({".org"})),
    Layout("qa", "Q:/A: pairs, numbered or not", iter_qa),
    Layout("separated", "cards between separator lines, sides split by `%` or `?` (ankdown, Markdown Flashcards)",
           iter_separated, suffixes=_MARKDOWN),
    Layout("obsidian-sr", "Obsidian Spaced Repetition cards", iter_sr, suffixes=_MARKDOWN),
    Layout("inka", "inka notes: numbered questions, `>` answers, in `---` sections", iter_inka, suffixes=_MARKDOWN),
    Layout("lists", "Markdown list, a glossary item or an outline item per card", iter_lists, suffixes=_MARKDOWN),
    Layout("quizlet", "Quizlet export with custom separators", iter_quizlet),
    Layout("delimited", "CSV / TSV / separated lines, Anki's text export", None,
           suffixes=frozenset({".csv", ".tsv"})),
    Layout("headings", "Markdown, a heading per question", iter_headings, cost=0.01, suffixes=_MARKDOWN),
    Layout("raw", "plain text, question lines and answer lines", iter_text, cost=0.15,
           suffixes=frozenset({".txt", ".text", ""})),
)
BY_NAME = {layout.name: layout for layout in LAYOUTS}
LAYOUT_NAMES = tuple(BY_NAME)


class UnknownFormat(KGError):
    """A format name that is no layout kg knows."""


def layout_named(name: str) -> Layout:
    """The layout called `name`; raises UnknownFormat with the names kg knows."""
    try:
        return BY_NAME[name.strip().lower()]
    except KeyError:
        raise UnknownFormat(f"unknown format {name!r}; one of: {', '.join(LAYOUT_NAMES)}") from None


@dataclass
class Score:
    """How well one layout explains a file."""

    layout: str
    score: float
    cards: int
    lines: int  # non-blank lines scored
    explained: int  # of them, lines that went into cards
    checks: int  # failed self-checks


@dataclass
class Detection:
    """The layout chosen for a file, and why."""

    layout: str
    forced: bool = False
    scores: list[Score] = field(default_factory=list)
    lines_scored: int = 0
    whole_file: bool = True
    reason: str = ""  # said instead of the scores when nothing was scored (an Anki package)
    declared_by: str = ""  # the file's own line that chose the layout (`#separator:tab`), "" if none

    def why(self) -> str:
        if self.reason:
            return f"{self.layout}: {self.reason}"
        if self.forced:
            return f"{self.layout}: named by --format"
        if self.layout is None:
            return "no layout finds a card in it"
        if not self.scores:
            return f"{self.layout}: nothing to score"
        best = next(s for s in self.scores if s.layout == self.layout)
        scope = "the whole file" if self.whole_file else f"the first {self.lines_scored} lines"
        title = BY_NAME[self.layout].title if self.layout in BY_NAME else self.layout
        declared = f"; its first line {self.declared_by!r} declares Anki's text format" if self.declared_by else ""
        return (f"{self.layout} ({title}): explains {best.explained} of {best.lines} non-blank lines of {scope} "
                f"as {best.cards} cards (score {best.score:.2f}){declared}")

    def to_dict(self) -> dict:
        return {**asdict(self), "why": self.why()}


def read_text_deck(path: Path, codec: str, *, format: str | None = None,
                   score: bool = False) -> Iterator[Card | DeckError | Detection]:
    """The Detection, then every card and problem of a text deck in the chosen (or named) layout.

    A named format is not scored unless `score` asks for the scores all the same (`kg inspect`,
    which also scores the layouts that could not have won).
    """
    sample, cut_lines, whole, text = _sample(path, codec)
    markdown = path.suffix.lower() in _MARKDOWN
    if markdown:  # a title underlined by `===` is the `# Title` every Markdown layout reads as the deck
        sample = setext_as_atx(sample, titles_only=True)
    if format is not None:
        detection = detect(path, codec, sample, whole, every=True, text=text) if score else Detection(
            None, lines_scored=len(sample), whole_file=whole)
        detection.layout, detection.forced = layout_named(format).name, True
    else:
        detection = detect(path, codec, sample, whole, every=score, text=text)
    yield detection
    if detection.layout is None:
        if any(text.strip() for _, text in sample):
            yield DeckError(path, "no cards found (no layout explains it: no Q:/A: pairs, columns, question "
                                  "headings, callouts or flashcard marks)")
        return
    layout = BY_NAME[detection.layout]
    kept_layout, kept = getattr(detection, "_kept", (None, None))
    if layout.read is not None:
        if whole:
            yield from cut_lines
        else:
            lines: list[tuple[int, str]] = []
            yield from read_lines(path, codec, lines)
            if markdown:
                lines = setext_as_atx(lines, titles_only=True)
    if kept_layout == layout.name:  # the whole file was read this way while scoring
        yield from kept
    elif layout.read is None:
        yield from iter_delimited(path, codec, text=text)
    else:
        yield from layout.read(path, sample if whole else lines)


def detect(path: Path, codec: str, sample: list[tuple[int, str]], whole: bool, *,
           every: bool = False, text: str | None = None) -> Detection:
    """Score the layouts on the sample; the best (ties to the more specific) is chosen.

    The layouts the suffix favours are scored first, and a layout that could not beat the best
    score so far even by explaining every line is not scored at all, unless `every` asks.
    """
    nonblank = {n for n, text in sample if text.strip()}
    end = sample[-1][0] if sample else 0
    suffix = path.suffix.lower()
    # Only in files Anki's importer reads: a Markdown note may open with a `#tags:` line of its own.
    declared = anki_opening([text for _, text in sample[:50]]) if suffix in _ANKI_TEXT else None
    delimited = LAYOUT_NAMES.index("delimited")
    order = sorted(range(len(LAYOUTS)), key=lambda i: (not (declared and i == delimited),
                                                       suffix not in LAYOUTS[i].suffixes, i))
    scores: dict[int, Score] = {}
    best, kept = None, None
    for i in order:
        pinned = declared and best == delimited
        if not every and best is not None and (pinned or not _could_beat(i, best, scores[best].score, suffix)):
            continue
        scores[i], items = _score(LAYOUTS[i], path, codec, sample, nonblank, end, suffix, keep=whole, text=text)
        if pinned:
            continue  # scored for `kg inspect`, but the file's own header has chosen
        # A file that opens with Anki's header is delimited even when no card of it fits in the
        # lines scored (a first note holding a picture inlined as megabytes of base64).
        chosen = scores[i].cards or (declared and i == delimited)
        if chosen and (best is None or (scores[i].score, -i) > (scores[best].score, -best)):
            best, kept = i, items
    ranked = [scores[i] for i in sorted(scores)]
    for score in ranked:
        score.score = round(score.score, 4)
    detection = Detection(LAYOUTS[best].name if best is not None else None, scores=ranked,
                          lines_scored=len(sample), whole_file=whole,
                          declared_by=declared if declared and best == delimited else "")
    detection._kept = (detection.layout, kept) if kept is not None else (None, None)
    return detection


def _could_beat(i: int, best: int, best_score: float, suffix: str) -> bool:
    layout = LAYOUTS[i]
    ceiling = 1.0 - layout.cost + (SUFFIX_BONUS if suffix in layout.suffixes else 0.0)
    return ceiling > best_score + 1e-9 or (abs(ceiling - best_score) <= 1e-9 and i < best)


def _score(layout: Layout, path, codec, sample, nonblank, end, suffix, *, keep: bool = False,
           text: str | None = None):
    """The layout's Score, and (with `keep`) every item it read, to be handed out if it wins."""
    cards = checks = 0
    lost: set[int] = set()
    kept: list | None = [] if keep else None
    items = iter_delimited(path, codec, text=text) if layout.read is None else layout.read(path, sample)
    try:
        for item in items:
            line = _line(item)
            if not _within(line, end):
                kept = None
                break
            if kept is not None:
                kept.append(item)
            if isinstance(item, Card):
                cards += 1
            elif isinstance(item, CheckFailed):
                checks += 1
            else:
                lost.update(lost_span(item))
    finally:
        close = getattr(items, "close", None)
        if close:
            close()
    lines = len(nonblank)
    explained = lines - len(lost & nonblank) if cards else 0
    value = 0.0
    cost = layout.cost
    if layout.read is None and suffix not in layout.suffixes and not declares_columns([t for _, t in sample]):
        cost += UNDECLARED_COST
        if cards < UNDECLARED_MIN_RECORDS:
            cards = explained = 0
    if cards and lines:
        value = explained / lines - CHECK_PENALTY * min(1.0, checks / cards) - cost
        value += SUFFIX_BONUS if suffix in layout.suffixes else 0.0
    return Score(layout.name, value, cards, lines, explained, checks), kept


def _within(line: int | None, end: int) -> bool:
    """Whether an item at `line` lies inside the scored lines (items without a line always do)."""
    return line is None or line <= end


def _line(item) -> int | None:
    if isinstance(item, DeckError):
        return item.line
    if isinstance(item, Card):
        number = item.source.rpartition(":")[2]
        return int(number) if number.isdigit() else None
    return None


def _sample(path: Path, codec: str) -> tuple[list[tuple[int, str]], list[DeckError], bool, str | None]:
    """The file's first lines (all of it when small), the problems met reading them, whether that
    is the whole file, and the whole file's text when it was read at once."""
    if path.stat().st_size <= SAMPLE_CHARS:  # no line can be over the limit: read it at once
        with open_text(path, codec) as stream:
            text = stream.read()
        parts = (text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text).split("\n")
        if parts and parts[-1] == "":
            parts.pop()
        if len(parts) <= SAMPLE_LINES:
            return list(enumerate(parts, 1)), [], True, text
    lines: list[tuple[int, str]] = []
    problems: list[DeckError] = []
    chars = 0
    with open_text(path, codec) as stream:
        for item in iter_lines(stream, path):
            if isinstance(item, DeckError):
                problems.append(item)
                continue
            if len(lines) >= SAMPLE_LINES or chars > SAMPLE_CHARS:
                return lines, problems, False, None
            lines.append(item)
            chars += len(item[1])
    return lines, problems, True, None
