"""Logseq flashcards: a `- question #card` block whose child blocks are the answer.

A page is an outline of `- ` blocks indented by tabs or spaces. A block tagged `#card` (or
`#[[card]]`, or referring to the page `[[card]]`) is one card: its text (with its continuation
lines) is the question, its children, indented below it, the answer. `{{cloze …}}` is Logseq's
cloze: the text stays, the HTML keeps the mark. Block properties (`id:: …`,
`card-next-schedule:: …`) and page properties (`title:: …`, which names the deck, else the page's
file name; a namespace is a level, `Biology/Cells` or `Biology___Cells.md` -> `Biology::Cells`;
`tags:: …`, tags of every card) are metadata, and so are a task's `SCHEDULED:` / `DEADLINE:` dates
and drawers (`:LOGBOOK:` … `:END:`). Tags after a card's text (`#chemistry`, `#[[organic chemistry]]`)
are its tags; a task marker (`TODO`, `LATER`, ...) and priority (`[#A]`) before it are not its
question. Blocks without `#card` are reported.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote
from typing import Iterator

from kg.cards import Card, source_card_id
from kg.errors import DeckError
from kg.readers.markup import markdown_field
from kg.readers.problems import LostLines
from kg.readers.textio import humanise

_BULLET = re.compile(r"^([ \t]*)-(?:\s+|$)(.*)$")
_PROPERTY = re.compile(r"^\s*[\w\-]+::(?:\s.*)?$")
# `#card`, `#[[card]]` or a plain `[[card]]`: every reference to the page "card" makes a card in Logseq.
CARD_TAG = re.compile(r"(?<!\S)(?:#card|#?\[\[card\]\])(?!\S)", re.IGNORECASE)
_LOGSEQ_CLOZE = re.compile(r"\{\{cloze\s+(.*?)\}\}", re.DOTALL)
# Tags after a block's text (`... #chemistry #[[organic chemistry]]`) tag the card; one inside the
# sentence is a link and keeps its word.
_TAG = re.compile(r"#(?:\[\[([^\]\n]+)\]\]|([\w/\-]+))\Z")
# A task block (`TODO [#A] What is ...? #card`): the marker and priority are Logseq's, not the question's.
_TASK = re.compile(r"^(?:(?:TODO|DOING|DONE|LATER|NOW|WAITING|WAIT|CANCELED|CANCELLED|IN-PROGRESS)\s+)?"
                   r"(?:\[#[A-C]\]\s+)?")
_PAGE_TAGS = re.compile(r"^\s*tags::\s*(.+)$", re.IGNORECASE)
# What Logseq writes under a task block: its dates, and drawers (`:LOGBOOK:` of clocked time, when a
# task was NOW or DOING) up to their `:END:`. The block's bookkeeping, not words of its question.
_PLANNING = re.compile(r"^\s*(?:SCHEDULED|DEADLINE):\s*<[^>\n]*>\s*$")
_DRAWER = re.compile(r"^\s*:([A-Za-z][\w\-]*):\s*$")


def _depth(indent: str) -> int:
    return len(indent.replace("\t", "    "))


def iter_logseq(path: Path, lines: list[tuple[int, str]]) -> Iterator[Card | DeckError]:
    """Cards of a Logseq page; problems for blocks that are no card."""
    deck = page_deck(path)
    page_tags: list[str] = []
    blocks: list[dict] = []  # each: depth, first line, last line, text lines
    drawer = False  # inside a block's `:LOGBOOK:` ... `:END:`
    for n, text in lines:
        bullet = _BULLET.match(text)
        if blocks and (drawer or _PLANNING.match(text) or _DRAWER.match(text)) and not bullet:
            opened = _DRAWER.match(text)
            drawer = not (opened and opened.group(1).upper() == "END") if opened else drawer
            blocks[-1]["last"] = n
        elif bullet:
            drawer = False
            blocks.append({"depth": _depth(bullet.group(1)), "line": n, "last": n, "text": [bullet.group(2)]})
        elif not text.strip():
            continue
        elif _PROPERTY.match(text):
            if not blocks and (title := re.match(r"^\s*title::\s*(.+)$", text)):
                deck = _namespaced(title.group(1)) or deck
            elif not blocks and (listed := _PAGE_TAGS.match(text)):
                page_tags = [t.strip().strip("[]#").strip() for t in listed.group(1).split(",") if t.strip()]
            if blocks:
                blocks[-1]["last"] = n
        elif blocks:
            blocks[-1]["text"].append(text.strip())
            blocks[-1]["last"] = n
        else:
            yield LostLines(path, "text outside any block ignored", line=n)
    i = 0
    while i < len(blocks):
        block = blocks[i]
        end = i + 1
        while end < len(blocks) and blocks[end]["depth"] > block["depth"]:
            end += 1
        children = blocks[i + 1:end]
        if CARD_TAG.search(" ".join(block["text"])):
            yield _card(path, deck, block, children, page_tags)
            i = end
            continue
        if not any(CARD_TAG.search(" ".join(child["text"])) for child in children):
            last = children[-1]["last"] if children else block["last"]
            yield LostLines(path, "block without #card ignored", line=block["line"], last=last)
            i = end
        else:
            yield LostLines(path, "block without #card ignored", line=block["line"], last=block["last"])
            i += 1  # its children hold cards of their own


def page_deck(path: Path) -> str:
    """The deck a page's file names: its namespaces are the deck's levels. Logseq writes the page
    `Biology/Cells` as `Biology___Cells.md` (older graphs: `Biology%2FCells.md`), and escapes other
    characters of a page name the same way (`What%3F.md`).

    >>> page_deck(Path("pages/Biology___Cells.md")), page_deck(Path("Biology%2FGenes.md"))
    ('Biology::Cells', 'Biology::Genes')
    """
    return _namespaced(unquote(path.stem).replace("___", "/"), humanise) or humanise(path.stem)


def _namespaced(name: str, word=str.strip) -> str:
    """A Logseq page name as a deck: its namespaces (`Biology/Cells`) are the deck's levels."""
    return "::".join(word(part.strip()) for part in name.split("/") if part.strip())


def _trailing_tags(text: str) -> tuple[str, list[str]]:
    """(text without the tags after it, those tags in order), peeled off from the end one at a time
    (a regex searched over the line would take quadratic time on a line of thousands of tags)."""
    rest, tags = text.rstrip(), []
    while rest:
        start = rest.rfind("#[[") if rest.endswith("]]") else max(rest.rfind(" "), rest.rfind("\t"), rest.rfind("\n")) + 1
        if start < 0 or (start > 0 and not rest[start - 1].isspace()) or start == 0:
            break  # not a tag, or the whole text: a block of only tags still asks something
        found = _TAG.match(rest, start)
        if not found:
            break
        tags.append(found.group(1) or found.group(2))
        rest = rest[:start].rstrip()
    return rest, tags[::-1]


def _card(path: Path, deck: str, block: dict, children: list[dict], page_tags=()) -> Card | DeckError:
    question_source = _TASK.sub("", CARD_TAG.sub("", "\n".join(block["text"])).strip(), count=1)
    tags = list(page_tags)
    question_source, trailing = _trailing_tags(question_source)
    tags += trailing
    if len(children) == 1:
        answer_source = "\n".join(children[0]["text"])
    else:
        base = min((c["depth"] for c in children), default=0)
        answer_source = "\n".join(
            " " * (child["depth"] - base) + "- " + "\n".join(child["text"]) for child in children
        )
    question, question_html = markdown_field(_LOGSEQ_CLOZE.sub(r"{{c1::\1}}", question_source))
    answer, answer_html = markdown_field(_LOGSEQ_CLOZE.sub(r"{{c1::\1}}", answer_source))
    last = children[-1]["last"] if children else block["last"]
    if not question:
        return LostLines(path, "card without a question ignored", line=block["line"], last=last)
    if not answer:
        if _LOGSEQ_CLOZE.search(question_source):
            answer, answer_html = question, question_html  # a cloze block is its own answer
        else:
            return LostLines(path, "#card block without an answer ignored", line=block["line"], last=last)
    return Card(
        id=source_card_id(None, deck, question),
        deck=deck,
        question=question,
        answer=answer,
        tags=tuple(dict.fromkeys(t for t in tags if t)),
        source=f"{path}:{block['line']}",
        question_html=question_html,
        answer_html=answer_html,
    )
