"""The raw flashcard text layout: a title line, then each card as a question line and its answer lines.

Which lines are questions follows the shape of such decks, not any one deck:

- a question is one line that ends in `?` or starts with an instruction verb ("Define", "Explain",
  "Compare and contrast", ...), in bold or not (`**What is TCP?**`, the marks no words of it; a
  thematic break `---` after an answer ends it); it is never a list item (`1)`, `2.`, `-`, `*`,
  `•`, `a)`), never ends in `:` and never directly follows a line ending in `:` (that line opens a list or a
  sub-heading such as "Level 0:", so what follows belongs to the answer);
- a line like an instruction (no `?`) right after a line that starts with a verb or is a list item
  is a sibling in a list ("Assess feasibility." then "Define use cases.", or "3) Train." then
  "Define actions."), so it stays in the answer;
- a question always has an answer: a would-be question followed by another question, or by the end
  of the file, is an answer line;
- a blank line ends a list, so the line after it may be a question again.

Lines before the first question are reported, not dropped silently; so is an answer line that starts
with a question marker (`Q:`), is a lone `?` (Obsidian's card split) or a `Term::Definition` card,
the sign of a pairing this layout cannot see.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from kg.cards import Card, card_id
from kg.errors import DeckError
from kg.readers.markup import has_markup, markdown_to_html
from kg.readers.problems import CheckFailed
from kg.readers.textio import humanise

# Verbs that open an exam-style instruction, i.e. a question without a question mark.
INSTRUCTION_VERBS = frozenset(
    """analyse analyze assess calculate characterise characterize classify compare contrast define
    demonstrate derive describe design differentiate discuss distinguish elaborate enumerate
    estimate evaluate examine explain give identify illustrate interpret justify list mention name
    outline prove recall recount relate show sketch state suggest summarise summarize trace""".split()
)
# Imperative verbs common in answer lists ("Assess feasibility.", "Train the model."): a line starting
# with one of these is a list sibling, so an instruction-like line right after it is not a question.
_LIST_VERBS = INSTRUCTION_VERBS | frozenset(
    """add adjust apply automate avoid build check choose clean collect configure consider create
    deploy document enable ensure establish explore fix gather implement improve install integrate
    iterate keep label load log maintain make measure merge migrate monitor move optimise optimize
    perform plan prepare provide publish reduce register remove repeat replace retrain review revisit
    run scale schedule select serve set split start stop store test track train tune update use
    validate verify version write""".split()
)
_QUESTION_WORDS = frozenset(
    "what why how when where which who whom whose is are was were do does did can could should would "
    "will shall may might must has have had".split()
)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•‣◦▪+]\s|\(?\d{1,3}[.)]\s|\(?[a-zA-Z][.)]\s|\(?[ivxIVX]{1,4}[.)]\s)")
_WORD = re.compile(r"[A-Za-z]+")
_BOLD_LINE = re.compile(r"^(\*\*|__)(?!\s)((?:(?!\1).)+?)\1$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")  # a Markdown thematic break between cards
_SR_SEPARATOR = re.compile(r"^\s*\?\??\s*$")
_SR_INLINE = re.compile(r"^\s*(?:[-*+]\s+)?(?P<term>[^:`\n]*?\S)\s*(?P<mark>:{2,3})\s*(?P<definition>\S.*)$")


def _is_sr_card(line: str) -> bool:
    """A `term::definition` line (Obsidian Spaced Repetition), told from code such as `std::vector`:
    the term has a space, or the definition starts a sentence (capital or digit), or it is `:::`."""
    match = _SR_INLINE.match(line)
    if not match:
        return False
    definition = match.group("definition")
    return (" " in match.group("term") or definition[0].isupper() or definition[0].isdigit()
            or match.group("mark") == ":::")
_MARKED_QUESTION = re.compile(r"^\s*(?:\d+[.)]?\s*)?(?:Q|Question)\s*\d*\s*:", re.IGNORECASE)
# The marks of the layouts that pair by marks (callouts, Q:, `Q::A`, Logseq's #card): a question or
# title of this layout that carries one is a sign the file is written in that other layout.
_FOREIGN_MARK = re.compile(
    r"^\s*>\s*\[!\w+\]|^\s*(?:\d+[.)]?\s*)?Q\s*\d*\s*:|^\s*#{1,6}\s|\S\s*:{2,3}\s*\S|(?<!\S)#card\b", re.IGNORECASE
)


def _first_word(line: str) -> str:
    match = _WORD.match(line.strip())
    return match.group(0).lower() if match else ""


def _is_list_item(line: str) -> bool:
    return bool(_LIST_ITEM.match(line))


def _unbolded(line: str) -> str:
    """A line wholly in bold (`**What is TCP?**`, `__Define latency__`), as notes set their
    questions apart, without its marks; any other line as it is."""
    text = line.strip()
    match = _BOLD_LINE.match(text)
    return match.group(2).strip() if match else text


def _asks(line: str) -> bool:
    """A line that could be a question on its own: asks something or gives an instruction."""
    text = _unbolded(line)
    if not text or _is_list_item(text) or text.endswith(":") or not _WORD.search(text):
        return False
    if text.endswith("?"):
        return True
    return _first_word(text) in INSTRUCTION_VERBS and len(text.split()) >= 2


def _starts_with_verb(line: str) -> bool:
    return _first_word(line) in _LIST_VERBS


def classify(lines: list[str]) -> list[bool]:
    """For each line (after the title), whether it starts a card."""
    n = len(lines)
    is_question = [False] * n
    after_blank = True
    previous = ""  # the last non-blank line seen
    previous_was_question = False
    for i, line in enumerate(lines):
        text = line.strip()
        if not text:
            after_blank = True
            continue
        candidate = _asks(text) and not previous_was_question
        if candidate and not after_blank and previous:
            if previous.endswith(":"):
                candidate = False  # first item of a list or of a sub-heading
            elif not text.endswith("?") and (_starts_with_verb(previous) or _is_list_item(previous)):
                candidate = False  # a sibling in a list of instructions
        if candidate:
            following = next((lines[j].strip() for j in range(i + 1, n) if lines[j].strip()), None)
            if following is None or (not text.endswith("?") and following.endswith("?") and _asks(following)):
                candidate = False  # a question needs an answer below it
        is_question[i] = candidate
        previous_was_question = candidate
        previous = text
        after_blank = False
    return is_question


def iter_text(path: Path, lines: list[tuple[int, str]]) -> Iterator[Card | DeckError]:
    """Cards of a raw-layout text deck; DeckErrors for what could not be placed."""
    content = [(n, line.rstrip()) for n, line in lines]
    while content and not content[0][1].strip():
        content.pop(0)
    if not content:
        return
    title_line = content[0][1].strip()
    if _FOREIGN_MARK.search(title_line) and not title_line.startswith("#"):
        yield CheckFailed(path, "title carries the marks of another layout; see `kg inspect`", line=content[0][0])
    if title_line.endswith("?") and len(content) > 1:
        deck = humanise(path.stem)  # no title: the file starts with its first question
    else:
        deck = title_line.lstrip("#").strip() or humanise(path.stem)
        content = content[1:]
    flags = classify([line for _, line in content])
    yield from _cards(path, deck, content, flags)


def _cards(path: Path, deck: str, content, flags) -> Iterator[Card | DeckError]:
    question: tuple[int, str] | None = None
    answer: list[str] = []
    for (lineno, line), starts in zip(content, flags):
        if not starts and question is not None and _MARKED_QUESTION.match(line):
            # A `Q:` line inside an answer: the file pairs by marks, and this layout is misreading it.
            yield CheckFailed(path, "answer line holds a question marker; a question may be merged into it",
                              line=lineno)
        elif not starts and question is not None and _is_sr_card(line):
            yield CheckFailed(path, "answer line is a `term::definition` card of its own; see `kg inspect`",
                              line=lineno)
        elif not starts and question is not None and _SR_SEPARATOR.match(line):
            # A lone `?` splits an Obsidian Spaced Repetition card: that layout, not this one, pairs the file.
            yield CheckFailed(path, "answer holds a `?` line that splits a Spaced Repetition card; "
                                    "see `kg inspect`", line=lineno)
        if starts:
            if _FOREIGN_MARK.search(line):
                yield CheckFailed(path, "question carries the marks of another layout (Q:, a callout, a "
                                        "heading, ::); see `kg inspect`", line=lineno)
            if question is not None:
                yield _card(path, deck, question, answer)
            question, answer = (lineno, _unbolded(line)), []
        elif question is None:
            if line.strip():
                yield DeckError(path, "text before the first question ignored", line=lineno)
        else:
            answer.append(line)
    if question is not None:
        yield _card(path, deck, question, answer)


def _card(path: Path, deck: str, question: tuple[int, str], answer: list[str]) -> Card | DeckError:
    lineno, text = question
    while answer and (not answer[-1].strip() or _RULE.match(answer[-1])):
        answer = answer[:-1]  # the rule that ends a card is no line of its answer
    body = "\n".join(answer).strip("\n")
    body = re.sub(r"\n{3,}", "\n\n", body)
    if not body.strip():
        return DeckError(path, "question without an answer", line=lineno)
    body = body.strip()
    return Card(
        id=card_id(deck, text),
        deck=deck,
        question=text,
        answer=body,
        source=f"{path}:{lineno}",
        # Lists and emphasis the author typed stay visible as HTML; the text is kept as written.
        question_html=markdown_to_html(text) if has_markup(text) else None,
        answer_html=markdown_to_html(body) if has_markup(body) else None,
    )
