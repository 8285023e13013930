"""Markdown decks, in three layouts (`Q:` / `A:` pairs are `kg.readers.pairs`):

- Obsidian callouts: `> [!question]`, then `> [!answer]-`, optional further callouts such as
  `> [!explanation]-` (appended to the answer after a blank line), then `<!-- guid: ... -->`;
- a heading per question: `## What is X?` (or `What is X?` underlined by `---`, a setext heading),
  the answer being everything below it down to the next heading of the same or a higher level
  (deeper headings are part of the answer);
- HTML's folded sections, as question lists on GitHub write them: `<details><summary>What is X?
  </summary> answer </details>`, or a summary that only labels the answer (`<summary>Answer
  </summary>`) under a heading that asks, with the text between them (a snippet, the options), or
  under a numbered item or a paragraph that asks (`1. What is X?`, `**What is X?**`).

Front matter (`---` YAML `---`) is not a card; its `tags` apply to every card of the file. The
deck name is the first `# ` heading that is not a question, else the file name humanised. In all
three layouts a heading above the questions that asks nothing opens a section (and ends a callout card):
its cards go to the sub-deck `Deck::Section` (nested by level, as tables and Q:/A: pairs make them),
and a `# ` heading is the deck's name unless another `# ` heading holding cards follows it. Text that
belongs to no card is reported, never dropped silently. Markup (bold, lists, code, highlights)
is kept as HTML in `question_html` / `answer_html` (`kg.readers.markup`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from kg.cards import Card, source_card_id
from kg.errors import DeckError
from kg.readers.markup import markdown_field, markdown_to_html
from kg.readers.mdtext import markdown_to_text
from kg.readers.problems import CheckFailed, LostLines
from kg.readers.text import INSTRUCTION_VERBS
from kg.readers.textio import humanise

_CALLOUT = re.compile(r"^\s{0,3}>\s*\[!([A-Za-z][\w-]*)\][+-]?\s*(.*)$")
_BARE_CALLOUT = re.compile(r"^\s{0,3}\[!([A-Za-z][\w-]*)\][+-]?\s*")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
HR = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
# A setext heading's underline, and the lines it cannot underline (a list item, a quote, a table row,
# a tag or HTML line: `---` under them is a rule or another layout's mark).
_SETEXT = re.compile(r"^\s{0,3}(=+|-{2,})\s*$")
_NOT_SETEXT_TEXT = re.compile(r"^\s*(?:[-*+>|<]|\d{1,9}[.)]\s|#\w|\s{4})")
GUID_COMMENT = re.compile(r"^\s*<!--\s*guid\s*:\s*(.*?)\s*-->\s*$", re.IGNORECASE)
_TAGS_COMMENT = re.compile(r"^\s*<!--\s*tags\s*:\s*(.*?)\s*-->\s*$", re.IGNORECASE)
# A table's delimiter row (`|---|:---:|`): under a heading that asks nothing, the table's rows are
# more likely cards of their own (`kg.readers.tables`) than one answer.
_TABLE_DELIMITER = re.compile(r"^\s{0,3}\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
# The flashcards plugin's marks (`## What is ARP? #card`, `#card-reverse`, `#card/spaced`, or
# `#card` alone on the line under the heading): they make the heading a card, no words of it.
_CARD_MARKS = re.compile(r"(?:^|\s+)#(?:card|flashcards?)(?:[-/][\w-]+)?(?=\s|$)", re.IGNORECASE)
_DETAILS_OPEN = re.compile(r"<details\b[^>]*>", re.IGNORECASE)
# A list item holding a folded section (`- <details><summary>…`): its marker is no words of the card.
_ITEM_MARK = re.compile(r"^(?:[-*+]|\d{1,9}[.)])\s+(?=<details\b)", re.IGNORECASE)
_DETAILS_CLOSE = re.compile(r"</details\s*>", re.IGNORECASE)
_SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)</summary\s*>", re.IGNORECASE | re.DOTALL)
# A summary that names what the section hides rather than asking: the question is the heading above.
_ANSWER_LABEL = re.compile(r"^(?:(?:(?:show|see|reveal|click(?: here)? to (?:see|show|reveal|expand)(?: the)?)\s+)?"
                           r"(?:answers?|solutions?|explanation|details)\b|(?:click(?: here)? to )?(?:expand|show|reveal)"
                           r"|spoilers?|more)\W*$", re.IGNORECASE)
# A numbered list item (`1. What is a closure?`): in a question list, what a folded 'Answer' answers.
_NUMBERED = re.compile(r"^\s{0,3}\d{1,9}[.)]\s+\S")
_BLOCK_TAG_ONLY = re.compile(r"^\s*(?:</?(?:p|div|br|b|strong|blockquote)\s*/?>\s*)+$", re.IGNORECASE)
# What opens an answer under a question heading as a label, no words of it: `**Answer:**`, `A:`.
_ANSWER_MARK = re.compile(r"^(\s{0,3})(?:\*\*|__)?(?:A|Answer)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(?=\S)")
_QUESTION_CALLOUTS = frozenset({"question", "faq", "help", "q"})
_ANSWER_CALLOUTS = frozenset({"answer", "a", "solution", "success", "check", "done"})


@dataclass
class _Draft:
    line: int
    question: list[str] = field(default_factory=list)
    answer: list[str] = field(default_factory=list)
    extra: list[list[str]] = field(default_factory=list)
    guid: str | None = None
    tags: list[str] = field(default_factory=list)
    has_answer: bool = False
    section: tuple[str, ...] = ()  # the headings above it that open sections, outermost first


def iter_callouts(path: Path, lines: list[tuple[int, str]]) -> Iterator[Card | DeckError]:
    """Cards of a deck of Obsidian callouts; DeckErrors for unbalanced or stray parts."""
    return _iter(path, lines, _callout_cards, sections=True)


def iter_headings(path: Path, lines: list[tuple[int, str]]) -> Iterator[Card | DeckError]:
    """Cards of a deck with a heading per question; DeckErrors for text outside any card."""
    body, _ = strip_front_matter(lines)
    return _iter(path, lines[:len(lines) - len(body)] + setext_as_atx(body), _heading_cards, sections=True)


def setext_as_atx(lines: list[tuple[int, str]], *, titles_only: bool = False) -> list[tuple[int, str]]:
    """Setext headings written as ATX ones: a line of text alone after a blank line (or the file's
    start), underlined by `===` (level 1) or `---` (level 2; not with `titles_only`, as a `---`
    under a line is a card's separator in other layouts), is that heading; its underline becomes
    a blank line. Only such one-line paragraphs: a rule after a longer paragraph stays a rule."""
    out = list(lines)
    code = in_code(lines)
    for i in range(1, len(lines)):
        underline = _SETEXT.match(lines[i][1])
        n, text = lines[i - 1]
        if (underline and not code[i] and not code[i - 1] and text.strip()
                and (i == 1 or not lines[i - 2][1].strip())  # (under a heading: an answer over a rule)
                and not (HEADING.match(text) or HR.match(text) or _NOT_SETEXT_TEXT.match(text))):
            level = "#" if underline.group(1).startswith("=") else "##"
            if titles_only and level != "#":
                continue
            out[i - 1] = (n, f"{level} {text.strip()}")
            out[i] = (lines[i][0], "")
    return out


def _iter(path: Path, lines, parse, *, sections: bool = False) -> Iterator[Card | DeckError]:
    """`parse`'s cards, named by the file's title; `sections`: `parse` takes the title's index and
    reads the headings that open sections."""
    lines, file_tags = strip_front_matter(lines)
    code = in_code(lines)
    deck, title_at = _title(lines, code, path, alone=sections)
    for item in parse(path, lines, code, title_at) if sections else parse(path, lines, code):
        if isinstance(item, DeckError):
            yield item
            continue
        if parse is _heading_cards and _titles_a_table(item):
            yield CheckFailed(path, "heading asks nothing and its answer is a table; its rows may be cards "
                                    "(`--format tables`)", line=item.line)
        if parse is _heading_cards and _holds_questions(item):
            yield CheckFailed(path, "heading's answer holds [!question] callouts; it may be a section of "
                                    "callout cards (`--format callouts`)", line=item.line)
        yield _card(path, deck, item, file_tags)


def _holds_questions(draft: _Draft) -> bool:
    """Whether a heading's answer holds a question callout (outside code): cards of their own."""
    code = in_code([(0, text) for text in draft.answer])
    return any(not fenced and (match := _CALLOUT.match(text)) and match.group(1).lower() in _QUESTION_CALLOUTS
               for text, fenced in zip(draft.answer, code))


def _titles_a_table(draft: _Draft) -> bool:
    """Whether a heading that is neither a question nor an instruction has a table in its answer."""
    answer = draft.answer
    rows = [k for k in range(1, len(answer))
            if "|" in answer[k] and "|" in answer[k - 1] and _TABLE_DELIMITER.match(answer[k])]
    if not rows:
        return False
    code = in_code([(0, text) for text in answer])
    title = markdown_to_text(" ".join(draft.question)).strip()
    asks = title.endswith("?") or title.split(" ", 1)[0].lower() in INSTRUCTION_VERBS
    return not asks and any(not code[k] for k in rows)


def _title(lines, code, path: Path, *, alone: bool = False) -> tuple[str, int | None]:
    """The deck's name and the index of the heading that gives it (None: the file's name). With
    `alone`, a `# ` heading followed by another that holds cards (a deeper heading, a `<details>` or
    a question callout under it) is the first of the file's sections, no title; a closing
    `# References` holding none leaves it the title."""
    h1 = [i for i, ((_, text), fenced) in enumerate(zip(lines, code))
          if not fenced and (match := HEADING.match(text)) and len(match.group(1)) == 1]
    if h1 and not (alone and any(_holds_cards(lines, code, start, end)
                                 for start, end in zip(h1[1:], [*h1[2:], len(lines)]))):
        title = markdown_to_text(HEADING.match(lines[h1[0]][1]).group(2)).strip()
        if title and not title.endswith("?"):
            return title, h1[0]
    return humanise(path.stem), None


def _holds_cards(lines, code, start: int, end: int) -> bool:
    """Whether lines[start + 1:end] (under a `# ` heading) hold a card's mark: a deeper heading, a
    `<details>` section or a question callout."""
    for (_, text), fenced in zip(lines[start + 1:end], code[start + 1:end]):
        callout = _CALLOUT.match(text) if not fenced else None
        if not fenced and (HEADING.match(text) or _DETAILS_OPEN.match(_ITEM_MARK.sub("", text.strip()))
                           or (callout and callout.group(1).lower() in _QUESTION_CALLOUTS)):
            return True
    return False


def _open_section(sections: list, depth: int, title: str, line: int) -> list:
    """The sections open after a heading of this depth: those above it, then it unless it asks."""
    name = markdown_to_text(title).strip()
    return [s for s in sections if s[0] < depth] + ([(depth, name, line)] if name and not name.endswith("?") else [])


def strip_front_matter(lines):
    if not lines or lines[0][1].strip() != "---":
        return lines, []
    for i in range(1, len(lines)):
        if lines[i][1].strip() in ("---", "..."):
            return lines[i + 1 :], _front_matter_tags([t for _, t in lines[1:i]])
    return lines, []  # no closing fence: it was a horizontal rule, not front matter


def _front_matter_tags(yaml_lines: list[str]) -> list[str]:
    tags: list[str] = []
    in_tags = False
    for line in yaml_lines:
        match = re.match(r"^tags\s*:\s*(.*)$", line)
        if match:
            value = match.group(1).strip()
            in_tags = not value
            tags.extend(t for t in re.split(r"[\s,\[\]\"']+", value) if t)
        elif in_tags and re.match(r"^\s*-\s+", line):
            tags.append(line.split("-", 1)[1].strip().strip("\"'"))
        elif line.strip():
            in_tags = False
    return tags


def in_code(lines) -> list[bool]:
    flags, fence = [], None
    for _, text in lines:
        match = _FENCE.match(text)
        if fence is None:
            if match:
                fence = match.group(1)[0]
            flags.append(fence is not None)
        else:
            flags.append(True)
            if match and match.group(1)[0] == fence:
                fence = None
    return flags


def _callout_cards(path, lines, code, title_at=None):
    draft: _Draft | None = None
    target: list[str] | None = None  # where the quoted lines of the open callout go
    closed = True  # the current card's section ended (---, a heading), stray text is outside any card
    orphan: list | None = None  # a callout outside any card: [kind, first line, last line]
    sections: list[tuple[int, str, int]] = []  # the headings above, each a sub-deck
    for i, ((n, text), fenced) in enumerate(zip(lines, code)):
        quoted = bool(_QUOTE.match(text)) and not fenced
        callout = _CALLOUT.match(text) if not fenced else None
        if orphan is not None and quoted and not callout:
            orphan[2] = n  # its quoted lines go with it, reported once
            continue
        if orphan is not None:
            yield LostLines(path, f"[!{orphan[0]}] callout outside any card ignored", line=orphan[1], last=orphan[2])
            orphan = None
        if callout:
            kind, title = callout.group(1).lower(), callout.group(2)
            if kind in _QUESTION_CALLOUTS:
                if draft:
                    yield draft
                draft, closed = _Draft(line=n, section=tuple(name for _, name, _ in sections)), False
                target = draft.question
            elif draft is None or closed:
                orphan, target = [kind, n, n], None
                continue
            elif kind in _ANSWER_CALLOUTS:
                if draft.has_answer:
                    draft.extra.append([])
                    target = draft.extra[-1]
                else:
                    target, draft.has_answer = draft.answer, True
            else:
                draft.extra.append([])
                target = draft.extra[-1]
            if title.strip():
                target.append(title)
            continue
        if quoted and target is not None:
            target.append(_QUOTE.sub("", text, count=1))
            continue
        target = None
        guid = GUID_COMMENT.match(text) if not fenced else None
        if guid:
            if draft and not draft.guid:
                draft.guid = guid.group(1)
            else:
                yield DeckError(path, "guid comment outside any card ignored", line=n)
            continue
        if not fenced and HR.match(text):
            closed = True
            continue
        if not text.strip():
            continue
        heading = HEADING.match(text) if not fenced else None
        if heading:  # a title, or a section's heading: it ends the card above, no words of it
            closed = True
            if i != title_at:
                sections = _open_section(sections, len(heading.group(1)), heading.group(2), n)
            continue
        if draft is None or closed:
            yield DeckError(path, "text outside any card ignored", line=n)
            continue
        # Loose text after a card's callouts still belongs to that card's answer.
        draft.extra.append([_BARE_CALLOUT.sub("", text)])
    if orphan is not None:
        yield LostLines(path, f"[!{orphan[0]}] callout outside any card ignored", line=orphan[1], last=orphan[2])
    if draft:
        yield draft


def _heading_cards(path, lines, code, title_at=None):
    headings = [
        (i, len(m.group(1)), _CARD_MARKS.sub("", m.group(2)).strip() or m.group(2))
        for i, ((n, text), fenced) in enumerate(zip(lines, code))
        if not fenced and (m := HEADING.match(text))
    ]
    level = _question_level(headings)
    if level is None:
        if any(text.strip() for _, text in lines):
            yield DeckError(path, "no cards found (no question headings, callouts or Q:/A: lines)")
        return
    draft: _Draft | None = None
    sections: list[tuple[int, str, int]] = []  # (depth, name, line) of the headings above the questions
    heading_at = {i: (depth, title) for i, depth, title in headings}
    for i, ((n, text), fenced) in enumerate(zip(lines, code)):
        if i in heading_at:
            depth, title = heading_at[i]
            if depth == level:
                if draft:
                    yield draft
                draft = _Draft(line=n, question=[title], has_answer=True,
                               section=tuple(name for _, name, _ in sections))
                continue
            if depth < level:
                if draft:
                    yield draft
                draft = None
                if i != title_at:
                    sections = _open_section(sections, depth, title, n)
                continue
        guid = GUID_COMMENT.match(text) if not fenced else None
        if draft is None:
            if text.strip() and not guid and not HR.match(text):
                yield DeckError(path, "text outside any card ignored", line=n)
        elif guid:
            draft.guid = draft.guid or guid.group(1)
        elif (tags := _TAGS_COMMENT.match(text)) and not fenced:
            draft.tags.extend(tags.group(1).replace(",", " ").split())
        elif not fenced and text.strip() and not _CARD_MARKS.sub("", text).strip():
            continue  # `#card` under the heading
        elif not (not fenced and HR.match(text)):
            if not fenced and not any(line.strip() for line in draft.answer):
                text = _ANSWER_MARK.sub("", text, count=1)  # `**Answer:** ...` under the heading: a label
            draft.answer.append(text)
    if draft:
        yield draft


def iter_details(path: Path, lines: list[tuple[int, str]]) -> Iterator[Card | DeckError]:
    """Cards of a deck of `<details>` sections; DeckErrors for text outside any card."""
    return _iter(path, lines, _details_cards, sections=True)


def _details_cards(path, lines, code, title_at=None):
    heading: _Draft | None = None  # the heading that asks, with the lines under it, until a section answers it
    section: list[tuple[int, str]] | None = None  # the lines of an open <details>
    depth = 0
    # The headings above: each opens a section (`Deck::Section`) unless a section answers it.
    sections: list[tuple[int, str, int]] = []
    loose: list[tuple[int, str]] = []  # text under no heading since the last section
    fenced_at = {n for (n, _), fenced in zip(lines, code) if fenced}
    for i, ((n, text), fenced) in enumerate(zip(lines, code)):
        if section is None and not fenced and _DETAILS_OPEN.match(_ITEM_MARK.sub("", text.strip())):
            section, depth = [], 0
        if section is not None:
            section.append((n, text))
            if not fenced:
                depth += len(_DETAILS_OPEN.findall(text)) - len(_DETAILS_CLOSE.findall(text))
            if depth <= 0:
                asker, taken = _asker(heading, loose, fenced_at)
                draft = _details_card(section, asker)
                if isinstance(draft, str):
                    yield from _outside(path, loose)
                    loose = []
                    yield LostLines(path, draft, line=section[0][0], last=section[-1][0])
                else:
                    if asker is not None and draft.line == asker.line:  # a label answered it
                        yield from _outside(path, taken)
                        if asker is heading:
                            heading = None  # it asked: no section
                            sections = [s for s in sections if s[2] != draft.line]
                        elif heading is not None:
                            heading.answer = []
                        else:
                            loose = []
                    yield from _outside(path, loose)
                    loose = []
                    draft.section = tuple(name for _, name, _ in sections)
                    yield draft
                section = None
            continue
        match = HEADING.match(text) if not fenced else None
        if match and i == title_at:
            continue  # the file's title (it names the deck), no question
        elif match:
            yield from _outside(path, loose)
            loose = []
            yield from _unanswered(path, heading)
            heading = _Draft(line=n, question=[match.group(2)])
            sections = _open_section(sections, len(match.group(1)), match.group(2), n)
        elif heading is not None:
            heading.answer.append((n, text))
        else:
            loose.append((n, text))
    yield from _outside(path, loose)
    if section is not None:
        yield LostLines(path, "<details> section never closed; ignored", line=section[0][0], last=section[-1][0])
    yield from _unanswered(path, heading)


def _asker(heading: _Draft | None, loose: list, fenced_at: set) -> tuple[_Draft | None, list]:
    """What a section labelled 'Answer' would answer, and the text before it that would then be in
    no card: a heading that asks, with the text under it; else the last numbered item over the
    section (`1. What is a closure?`) or a last paragraph that asks (`**What is TCP?**`), the
    heading above them naming a section; else the heading with its text."""
    if heading is not None and _asks(heading.question[0]):
        return heading, []
    under = heading.answer if heading is not None else loose
    items = [k for k, (n, text) in enumerate(under) if n not in fenced_at and _NUMBERED.match(text)
             and (k == 0 or not under[k - 1][1].strip())]
    written = [k for k, (_, text) in enumerate(under) if text.strip()]
    start = items[-1] if items else None
    if start is None and written:
        start = written[-1]
        while start > 0 and under[start - 1][1].strip():
            start -= 1
        if under[start][0] in fenced_at or not _asks(" ".join(text for _, text in under[start:])):
            start = None
    if start is None:
        return heading, []
    return _Draft(line=under[start][0], question=[text for _, text in under[start:]]), under[:start]


def _asks(text: str) -> bool:
    words = markdown_to_text(text).strip()
    return words.endswith("?") or words.split(" ", 1)[0].lower() in INSTRUCTION_VERBS


def _outside(path, lines) -> Iterator[DeckError]:
    for n, text in lines:
        if text.strip() and not HR.match(text):
            yield LostLines(path, "text outside any card ignored", line=n)


def _unanswered(path, heading: _Draft | None) -> Iterator[DeckError]:
    """The text under a heading that no `<details>` section answered (the heading itself is structure)."""
    written = [n for n, text in (heading.answer if heading else []) if text.strip() and not HR.match(text)]
    if written:
        yield LostLines(path, "text outside any card ignored", line=written[0], last=written[-1])


def _details_card(section, heading: _Draft | None) -> _Draft | str:
    """The card of one `<details>` section: its summary asks, or labels the answer to the heading
    above; else why it is none."""
    whole = "\n".join(text for _, text in section)
    summary = _SUMMARY.search(whole)
    if summary is None:
        return "<details> section without a <summary> ignored"
    body = whole[summary.end():]
    closing = list(_DETAILS_CLOSE.finditer(body))
    body = body[:closing[-1].start()] if closing else body
    body_lines = [line for line in body.split("\n") if not _BLOCK_TAG_ONLY.match(line)]
    title = markdown_to_text(re.sub(r"<[^>]+>", " ", summary.group(1))).strip()
    if _ANSWER_LABEL.match(title):
        if heading is None:
            return f"<details> section labelled {title!r} under no heading that asks; ignored"
        asked = [text for _, text in heading.answer]
        return _Draft(line=heading.line, question=[*heading.question, *asked], answer=body_lines, has_answer=True)
    return _Draft(line=section[0][0], question=[title], answer=body_lines, has_answer=True)


def _question_level(headings) -> int | None:
    """The heading level that holds questions: the level with most question-like headings."""
    levels = sorted({depth for _, depth, _ in headings})
    if not levels:
        return None
    h1 = [h for h in headings if h[1] == 1]
    if len(levels) > 1 and len(h1) == 1 and h1[0] == headings[0]:
        levels.remove(1)  # a single leading H1 is the deck title

    def score(depth):
        titles = [t for _, d, t in headings if d == depth]
        asking = sum(t.rstrip().endswith("?") for t in titles)
        return (asking, len(titles) > 1, -depth)

    best = max(levels, key=score)
    if best == 1 and len(levels) == 1 and len(h1) == 1 and len(headings) == 1:
        return None  # a title alone
    return best


def _card(path: Path, deck: str, draft: _Draft, file_tags: list[str]) -> Card | DeckError:
    question, question_html = markdown_field("\n".join(draft.question))
    sources = ["\n".join(part).strip() for part in [draft.answer, *draft.extra]]
    parts = [markdown_field(source) for source in sources if source]
    answer = "\n\n".join(text for text, _ in parts if text)
    answer_html = None
    if any(html for _, html in parts):
        answer_html = "\n".join(html or markdown_to_html(source) for (_, html), source in zip(parts, [s for s in sources if s]))
    if not question:
        return DeckError(path, "card without a question ignored", line=draft.line)
    if not draft.has_answer or not answer:
        return DeckError(path, "question without an answer ignored", line=draft.line)
    guid = (draft.guid or "").strip()
    deck = "::".join([deck, *draft.section])
    return Card(
        id=source_card_id(guid, deck, question),
        guid=guid or None,
        deck=deck,
        question=question,
        answer=answer,
        tags=tuple(dict.fromkeys(file_tags + draft.tags)),
        source=f"{path}:{draft.line}",
        question_html=question_html,
        answer_html=answer_html,
    )
