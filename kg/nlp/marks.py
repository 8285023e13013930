"""What the author of a card marked as its terms, as character spans of the card's plain text.

Flashcard authors mark the concepts a card teaches: bold (`<b>`, `<strong>`), cloze deletions
(`{{c1::…}}`), highlights (`<mark>`, `==…==`), the label of a list item ("2) Version Control:
keeping track of …", "- S3 Standard — frequent access"), the subject of a definition question
("What is a subnet mask?") and the front of a short term/definition card ("ser vs estar"). Those
are *strong* marks: extraction takes them as concept candidates (still judged: a bold "No" is
none). Italics and headings also mark terms, but as often a phrase or a question: they are
*weak* marks, which only flag a term extraction finds anyway.

Inline code (`<code>`, Markdown backticks) is an author mark of technical decks: a strong mark
judged as code (`CODE`), where "git bisect", "--soft" or ".gitignore" is the name studied whole.

Marks come from the raw HTML the readers keep (`question_html` / `answer_html`) and from the
plain text (list labels, `**bold**` left in text). Nothing here imports spaCy.
"""

from __future__ import annotations

import hashlib
import html
import re
from html.parser import HTMLParser

from kg.cards import COLUMN_CLASS
from kg.nlp.stoplists import GENERIC_NOUNS, LIGHT_HEADS

STRONG, WEAK = 1, 0
# A reader's structure (a table's column label, kg.cards.COLUMN_CLASS): no words of the card, so
# no term may contain them, and no other mark stands on them.
STRUCTURE = -1
# (start char, end char, strength, kind) in the field's plain text: strength STRONG, WEAK or
# STRUCTURE; kind 0, FRONT (the term side of a term/definition card, judged leniently: "gustar" is
# the term studied), CODE or CLOZE.
Mark = tuple[int, int, int, int]
FRONT = 1
CODE = 2  # inline code: a name taken whole (kg.nlp.names.judge_code)
CLOZE = 3  # a cloze: judged leniently like FRONT, and asks for exactly its words ("defence in depth")

# A marked span longer than this many words is a sentence put in bold, not a term.
MAX_MARK_WORDS = 6
# A question of at most this many words, with no question mark, is the term side of a card.
MAX_FRONT_WORDS = 5

_STRONG_TAGS = frozenset({"b", "strong", "mark", "code"})
_WEAK_TAGS = frozenset({"i", "em", "u", "h1", "h2", "h3", "h4", "h5", "h6", "dt"})
# An innermost cloze (its text opens no other), so nested clozes unwrap from the inside out as
# kg.readers.html reads them: `{{c1::Paris {{c2::is}} big}}` marks both.
_CLOZE = re.compile(r"\{\{c\d+::((?:(?!\{\{c\d+::).)*?)(?:::[^{}]*?)?\}\}", re.DOTALL)
#: Nesting levels unwrapped; Anki's editor nests a few at most.
_CLOZE_DEPTH = 8
_CLOZE_TAG = "kgcloze"
_STRUCTURE_TAG = "kgstructure"
_TEXT_MARKS = re.compile(r"\*\*([^*\n]{1,80}?)\*\*|==([^=\n]{1,80}?)==")
_BACKTICKS = re.compile(r"(?<!`)`([^`\n]{1,60})`(?!`)")
# "2) Version Control: keeping track", "- **S3 Standard** — frequent", "Level 0:" alone on a line.
_LABEL = re.compile(
    r"^[ \t]*(?:\(?\d{1,2}[.)]|[-*\u2022+])[ \t]+(?P<label>[^:\n\u2014\u2013]{1,60}?)[ \t]*"
    r"(?::|\u2014|\u2013|[ \t]-[ \t])(?:[ \t]+\S|[ \t]*$)",
    re.MULTILINE,
)
_ITEM = re.compile(r"^[ \t]*(?:\(?\d{1,2}[.)]|[-*\u2022+])[ \t]+(?P<label>[^\n]{1,60}?)[ \t]*$", re.MULTILINE)
# "Level 0:" alone on a line, or "Batch Predictions: process large datasets" opening one.
_HEAD_LABEL = re.compile(r"^(?P<label>[A-Z][^:\n]{0,40}?):(?:[ \t]*$|[ \t]+(?=\S))", re.MULTILINE)
_DEFINED = re.compile(
    r"^\s*(?:what\s+(?:is|are)|define|who\s+(?:is|are))\s+(?:an?\s+|the\s+)?(?P<term>[^?\n]{1,60}?)\s*[?.]?\s*$",
    re.IGNORECASE,
)
_DEFINED_OPENING = re.compile(r"^\s*(?:what\s+(?:is|are)|define|who\s+(?:is|are))\s+(?:an?\s+|the\s+)?", re.IGNORECASE)
# Where a short front holds two things: "ser vs estar", "TCP / UDP", and a topic after a spaced
# dash ("Liver - main functions", "Photosynthesis – light reactions" name no "liver main function").
_VERSUS = re.compile(r"\s+(?:vs\.?|versus)\s+|\s*/\s+|\s+/\s*|\s+[-\u2013\u2014]\s+", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
# Words that make a question's subject a relation between things rather than one term.
_RELATION_WORDS = frozenset("of in at for to on with by from between into about".split())


class _MarkCollector(HTMLParser):
    """The text inside each mark tag of an HTML field, as (text, strength) in document order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, list[str]]] = []
        self.found: list[tuple[str, int, int]] = []

    def handle_starttag(self, tag, attrs):
        if tag in _STRONG_TAGS or tag in _WEAK_TAGS or tag == _CLOZE_TAG:
            self.open.append((tag, []))
        elif tag == "span" and (dict(attrs).get("class") or "").split() == [COLUMN_CLASS]:
            self.open.append((_STRUCTURE_TAG, []))
        elif tag == "br":
            self.handle_data(" ")

    def handle_endtag(self, tag):
        if tag == "span":
            tag = _STRUCTURE_TAG  # (the only span opened)
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                name, parts = self.open.pop(i)
                if name == _STRUCTURE_TAG:
                    self.found.append(("".join(parts), STRUCTURE, 0))
                    break
                strength = WEAK if name in _WEAK_TAGS else STRONG
                # Bold inside an italic example ("<i>Ayer <b>comí</b> paella</i>") points at a
                # form in the example, not at a term.
                if strength == STRONG and name != _CLOZE_TAG and any(t in ("i", "em") for t, _ in self.open):
                    break
                front = CLOZE if name == _CLOZE_TAG else CODE if name == "code" else 0
                self.found.append(("".join(parts), strength, front))
                break

    def handle_data(self, data):
        for _, parts in self.open:
            parts.append(data)


def html_marks(raw: str | None) -> list[tuple[str, int, int]]:
    """(marked text, strength, kind) of a raw HTML field: bold, strong, highlight, code, cloze
    (strong; a cloze, CLOZE, asks for exactly its words and is judged like a term front); italics,
    underline, headings (weak); a table's column label (STRUCTURE)."""
    if not raw:
        return []
    source = raw
    for _ in range(_CLOZE_DEPTH):
        if "{{" not in source:
            break
        source, found = _CLOZE.subn(lambda m: f"<{_CLOZE_TAG}>{m[1]}</{_CLOZE_TAG}>", source)
        if not found:
            break
    if "<" not in source:
        return []
    collector = _MarkCollector()
    try:
        collector.feed(source)
        collector.close()
    except Exception:  # noqa: BLE001 - a broken field has no marks, it still has text
        return []
    out = []
    for text, strength, front in collector.found:
        text = _SPACE.sub(" ", html.unescape(text).replace("\xa0", " ")).strip()
        if text and len(text.split()) <= MAX_MARK_WORDS:
            out.append((text, strength, front))
    return out


def locate(text: str, marked: list[tuple[str, int, int]]) -> list[Mark]:
    """Where each marked text stands in the plain `text`: the next place after the previous one,
    else anywhere (a mark repeated in the text is found once per mark)."""
    out: list[Mark] = []
    cursor = 0
    for words, strength, front in marked:
        pattern = re.compile(r"\s+".join(re.escape(w) for w in words.split()))
        m = pattern.search(text, cursor) or pattern.search(text)
        if m is None:
            continue
        out.append((m.start(), m.end(), strength, front))
        cursor = m.end()
    return out


def text_marks(text: str, *, question: bool = False, answered: bool = True) -> list[Mark]:
    """Marks visible in the plain text: list-item labels, `**bold**` / `==highlight==` left in the
    text and, for a question, the term a definition question asks for or a short term front."""
    out: list[Mark] = []
    for m in _TEXT_MARKS.finditer(text):
        group = 1 if m.group(1) is not None else 2
        out.append((m.start(group), m.end(group), STRONG, 0))
    for m in _BACKTICKS.finditer(text):
        out.append((m.start(1), m.end(1), STRONG, CODE))
    for pattern in (_LABEL, _ITEM, _HEAD_LABEL):
        for m in pattern.finditer(text):
            label = m.group("label").strip("* ")
            if label and len(label.split()) <= MAX_MARK_WORDS - 2 and not label.endswith((".", "?", "!")):
                start = m.start("label") + m.group("label").index(label)
                out.append((start, start + len(label), STRONG, 0))
    if question and answered:
        out.extend(_front_marks(text))
    return out


def _front_marks(question: str) -> list[Mark]:
    """The term of a definition question ("What is a VLAN?") or of a short front ("por vs para")."""
    stripped = question.strip()
    if _RELATION_WORDS.intersection(stripped.lower().split()) and not _of_name(stripped):
        return []  # "What is the purpose of a subnet mask?" defines no "purpose of a subnet mask"
    m = _DEFINED.match(stripped)
    if m:
        term = m.group("term")
        start = question.index(stripped) + m.start("term")
        return _split_versus(question, start, start + len(term), 0)
    if "\n" in stripped or "?" in stripped or not 0 < len(stripped.split()) <= MAX_FRONT_WORDS:
        return []
    start = question.index(stripped)
    return _split_versus(question, start, start + len(stripped.rstrip(".:")), FRONT)


def _of_name(question: str) -> bool:
    """A question about one thing named with "of" ("Circle of fifths", "What is the law of
    superposition?"): its one relation word is "of", the word before it no generic noun ("purpose",
    "types"), and after it a word in lower case that is no article ("the role of a router")."""
    written = re.findall(r"[\w'-]+", _DEFINED_OPENING.sub("", question))
    words = [w.lower() for w in written]
    relations = [i for i, w in enumerate(words) if w in _RELATION_WORDS]
    if len(relations) != 1 or words[relations[0]] != "of" or not 0 < relations[0] < len(words) - 1:
        return False
    before, after = words[relations[0] - 1], words[relations[0] + 1]
    generic = GENERIC_NOUNS | LIGHT_HEADS
    # A name after "of" asks for a fact about it ("the capital of France"), not for a term.
    return (before not in generic and before.rstrip("s") not in generic and before[:-2] not in generic
            and written[relations[0] + 1].islower()
            and after not in ("a", "an", "the", "this", "that", "its", "their", "each", "every"))


def _split_versus(text: str, start: int, end: int, front: int) -> list[Mark]:
    """"ser vs estar" marks "ser" and "estar"; anything else is one mark. What follows a spaced
    dash is a topic of the thing before it ("Liver - main functions"): a weak mark, which only
    flags a term extraction finds anyway."""
    out, cursor, strength, kind = [], start, STRONG, front
    for sep in _VERSUS.finditer(text, start, end):
        out.append((cursor, sep.start(), strength, kind))
        cursor = sep.end()
        if sep.group().strip() in ("-", "\u2013", "\u2014"):
            strength, kind = WEAK, 0
    out.append((cursor, end, strength, kind))
    return [m for m in out if m[1] > m[0]]


def card_marks(card) -> dict[str, list[Mark]]:
    """{"question": marks, "answer": marks} of a card, sorted and without repeats."""
    answered = bool(card.answer.strip()) and card.answer.strip() != card.question.strip()
    found = {
        "question": locate(card.question, html_marks(card.question_html))
        + text_marks(card.question, question=True, answered=answered),
        "answer": locate(card.answer, html_marks(card.answer_html)) + text_marks(card.answer),
    }
    for field, marks in found.items():
        structure = [m for m in marks if m[2] == STRUCTURE]
        if structure:  # ("Location:" opening a line is no head label the author wrote)
            found[field] = structure + [m for m in marks if m[2] != STRUCTURE
                                        and not any(m[0] < e and s < m[1] for s, e, _, _ in structure)]
    return {field: sorted(set(marks)) for field, marks in found.items()}


def marks_signature(card) -> str:
    """A short digest of a card's marks ("" when it has none): part of the extraction cache key,
    since the same plain text marked differently extracts differently."""
    marks = card_marks(card)
    if not marks["question"] and not marks["answer"]:
        return ""
    flat = ";".join(f"{f}:{'-'.join(map(str, m))}" for f in ("question", "answer") for m in marks[f])
    return hashlib.sha1(flat.encode("utf-8")).hexdigest()[:12]
