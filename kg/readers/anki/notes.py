"""One Anki note to one card, whatever its note type, and which fields ask and answer.

With the note type's card templates at hand (a package, a collection, a CrowdAnki deck), the card
is what Anki shows (`kg.readers.anki.templates`): of the first template whose front shows the note
anything, the fields the front shows ask, in its order (a `{{^Alt}}`/`{{#Alt}}` choice made per
note; a `{{hint:F}}` last; a `{{type:F}}` box is no text), and the fields the back adds to the front
answer, in the back's order; a field only the front shows, or the back never shows, is no word of the
answer. A field no template mentions at all is kept at the end of the answer (the author's, as Image
Occlusion's `Comments`) unless it holds only images or an id (`ID (hidden)`, `B-001`). Occlusion
shapes carry no text, and an occlusion's image answers beside a header that asks.

Without templates (a text export, a deleted note type) fields are told apart by name and by the note
type's kind: `Front`/`Back` (and `Question`/`Answer`, ...) on normal note types, `Text`/`Back Extra`
on cloze ones, `Header` on image occlusion; a note type whose names say nothing gives its first field
as the question and the rest as the answer. Fields that are switches (`Add Reverse`) carry no text.
A cloze note (any number of deletions) is one card: its text with the gaps filled, answered by its
extra fields, or by the same text when it has none; a cloze note type of the user's own whose cards
show several fields as clozes (`{{cloze:Text}}{{cloze:Text2}}`: each card the fields holding its
number) asks with all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.cards import Card, source_card_id
from kg.errors import DeckError
from kg.readers.html import field_text, has_cloze, join_answer, looks_like_html
from kg.readers.anki.stock import OCCLUSION_HEADERS, REVERSE_SWITCHES
from kg.readers.anki.templates import card_sides
from kg.readers.textio import humanise, one_line

_QUESTION_NAMES = {
    "normal": ("front", "question", "q", "term", "word", "prompt", "expression"),
    "cloze": ("text", "cloze", "header", *sorted(OCCLUSION_HEADERS)),
}
_ANSWER_NAMES = ("back", "answer", "a", "back extra", "extra", "definition", "meaning")
_SWITCHES = REVERSE_SWITCHES
# A field reference in a template, not a section (`{{#F}}`, `{{/F}}`, `{{^F}}`) or comment (`{{!`).
_TEMPLATE_FIELD = re.compile(r"\{\{(?![#/^!])\s*([^{}]+?)\s*\}\}")
_IMAGES_ONLY = re.compile(r"(?:\[image: [^\]\n]*\]\s*)+")
_ID_LIKE = re.compile(r"[\w\-.:#]+")
_TEMPLATE_SECTION = re.compile(r"\{\{[#^]\s*([^{}]+?)\s*\}\}")
#: A field holding only image occlusion shapes: no text of the card.
OCCLUSION = re.compile(r"^\s*(?:\{\{c\d+::image-occlusion:[^}]*\}\}\s*)+$")


@dataclass(frozen=True)
class NoteType:
    """What kg needs of a note type: its name, kind ("normal" or "cloze") and field names in order."""

    name: str
    kind: str = "normal"
    fields: tuple[str, ...] = ()
    asks: str = ""  # the field the first card template shows first (`{{Spanish}}`), "" if unknown
    switches: frozenset = frozenset()  # fields the templates only test (`{{#Add Reverse}}`), never show
    unshown: frozenset = frozenset()  # fields no template mentions (Image Occlusion Enhanced's `ID (hidden)`)
    clozes: tuple = ()  # fields the first card template's front shows as clozes (`{{cloze:Text}}`), in order
    templates: tuple = ()  # each card template's (front, back) format, in order; () when unknown


def note_type_of(name: str, kind: str, fields: tuple[str, ...], templates: list[tuple[str, str]]) -> NoteType:
    """A NoteType from its name, kind, field names and card templates' (front, back) formats, with
    the field its first template asks and the fields its templates only test."""
    asks = asked_field(templates[0][0], fields) if templates else ""
    formats = [text for pair in templates for text in pair]
    clozes = cloze_fields(templates[0][0], fields) if templates and kind == "cloze" else ()
    return NoteType(name, kind, fields, asks, switch_fields(formats, fields), unshown_fields(formats, fields),
                    clozes, tuple(tuple(pair) for pair in templates))


def cloze_fields(question_format: str, names) -> tuple[str, ...]:
    """The fields a cloze card template's front shows as clozes, in the template's order.

    >>> cloze_fields("{{cloze:Text}}<hr>{{cloze:Text2}}{{Hint}}", ["Text", "Back Extra", "Text2", "Hint"])
    ('Text', 'Text2')
    """
    known = {name.casefold(): name for name in names}
    found = []
    for reference in _TEMPLATE_FIELD.findall(str(question_format or "")):
        *filters, name = reference.split(":")
        name = known.get(name.strip().casefold())
        if name and "cloze" in (f.strip().casefold() for f in filters) and name not in found:
            found.append(name)
    return tuple(found)


def note_fields(note_type: NoteType | None, raw: str) -> tuple[tuple[str, str], ...]:
    """Every field of a note as (name, original HTML), in the note type's order."""
    values = str(raw or "").split("\x1f")
    names = list(note_type.fields if note_type else ())
    names += [f"Field {i + 1}" for i in range(len(names), len(values))]
    return tuple(zip(names, values + [""] * (len(names) - len(values))))


def asked_field(question_format: str, names) -> str:
    """The first field a card template's front shows (`{{Spanish}}`, `{{cloze:Text}}`), "" if none.

    >>> asked_field("{{#Hint}}{{hint:Hint}}{{/Hint}}<b>{{text:Spanish}}</b>{{type:English}}", ["English", "Spanish", "Hint"])
    'Spanish'
    """
    known = {name.casefold(): name for name in names}
    for reference in _TEMPLATE_FIELD.findall(str(question_format or "")):
        *filters, name = reference.split(":")
        if "hint" in (f.strip().casefold() for f in filters):
            continue  # hidden until clicked: not what the card asks
        if name.strip().casefold() in known:
            return known[name.strip().casefold()]
    return ""


def switch_fields(formats, names) -> frozenset:
    """Fields the card templates (`formats`: every front and back) test in a section
    (`{{#Umgekehrte Richtung hinzufügen}}`) but never show: switches, in any language.

    >>> sorted(switch_fields(["{{Front}}", "{{#Add Reverse}}{{Back}}{{/Add Reverse}}"], ["Front", "Back", "Add Reverse"]))
    ['Add Reverse']
    """
    tested = set()
    for text in formats:
        tested.update(name.strip().casefold() for name in _TEMPLATE_SECTION.findall(str(text or "")))
    shown = _shown(formats)
    return frozenset(name for name in names if name.casefold() in tested - shown)


def unshown_fields(formats, names) -> frozenset:
    """Fields no card template mentions at all (none without templates to tell)."""
    shown = _shown(formats)
    tested = {name.strip().casefold() for text in formats for name in _TEMPLATE_SECTION.findall(str(text or ""))}
    if not shown:
        return frozenset()
    return frozenset(name for name in names if name.casefold() not in shown | tested)


def _shown(formats) -> set:
    return {reference.split(":")[-1].strip().casefold()
            for text in formats for reference in _TEMPLATE_FIELD.findall(str(text or ""))}


def bookkeeping(text: str) -> bool:
    """Text no one reads: only images (`[image: a-O.svg]`), or one id-like token with digits
    (`3f2a9c1e-oa-1`, `B-001`). A field no template shows that holds only this is left out of the answer.

    >>> bookkeeping("3f2a9c1e8b7d-oa-1"), bookkeeping("B-001"), bookkeeping("[image: x-O.svg]"), bookkeeping("Dry cough")
    (True, True, True, False)
    """
    return bool(_IMAGES_ONLY.fullmatch(text) or (_ID_LIKE.fullmatch(text) and any(c.isdigit() for c in text)))


def field_roles(kind: str, fields: tuple[tuple[str, str], ...], asks: str = "",
                switches=frozenset()) -> tuple[str | None, list[str]]:
    """(question field, answer fields in order) of a note of this kind, by the fields' names; when
    the names say nothing, or the card template `asks` a field named as an answer, the field it asks.

    >>> field_roles("normal", (("Front", "Q"), ("Back", "A"), ("Example", "E")))
    ('Front', ['Back', 'Example'])
    >>> field_roles("cloze", (("Text", "{{c1::x}}"), ("Back Extra", "")))
    ('Text', ['Back Extra'])
    >>> field_roles("normal", (("Front", "perro"), ("Back", "dog")), asks="Back")
    ('Back', ['Front'])
    """
    content = [name for name, value in fields
               if name.casefold() not in _SWITCHES and name not in switches and not OCCLUSION.match(value)]
    if not content:
        return None, []
    by_name = {name.casefold(): name for name in content}
    question = next((by_name[n] for n in _QUESTION_NAMES.get(kind, _QUESTION_NAMES["normal"]) if n in by_name), None)
    if question is None and kind == "cloze":
        question = next((name for name, value in fields if name in content and has_cloze(value)), None)
    if asks in content and (question is None or (kind == "normal" and asks.casefold() in _ANSWER_NAMES)):
        # A template that asks a field named as an answer (`{{Back}}`, `{{Meaning}}`) belongs to a
        # reversed note type ("Reverse only", a production card): Anki asks that field, not `Front`/`Word`.
        question = asks
    question = question or content[0]
    rest = [name for name in content if name != question]
    named = [by_name[n] for n in _ANSWER_NAMES if n in by_name and by_name[n] != question]
    return question, named + [name for name in rest if name not in named]


def shown_roles(sides, fields: tuple[tuple[str, str], ...], unshown=frozenset()) -> tuple[list[str], list[str]]:
    """(question fields, answer fields) of a note from what its card shows (`card_sides`): the
    fields on the front ask, those the back adds answer, then any field no template mentions that
    holds more than an image or an id (the author's, as Image Occlusion's `Comments`). Occlusion
    shapes are no text; an occlusion's image, masked on the front and whole on the back, answers
    beside a header that asks.

    >>> shown_roles((["Hint", "Front"], ["Back"]), (("ID", "B-001"), ("Front", "Q"), ("Back", "A"), ("Hint", "h")), {"ID"})
    (['Hint', 'Front'], ['Back'])
    """
    html = dict(fields)
    asks, adds = ([name for name in side if not OCCLUSION.match(html[name])] for side in sides)
    if len(asks) < len(sides[0]):  # an image occlusion note
        images = [name for name in asks if _IMAGES_ONLY.fullmatch(field_text(html[name]))]
        if len(images) < len(asks):
            asks, adds = [name for name in asks if name not in images], adds + images
    kept = [name for name, value in fields if name in unshown and name not in asks + adds
            and not bookkeeping(field_text(value))]
    return asks, adds + kept


def note_card(path: Path, *, note_id, guid, note_type: NoteType | None, deck: str | None,
              tags, fields) -> Card | DeckError:
    """The card of one note, or a DeckError saying why the note gives none."""
    kind = note_type.kind if note_type else "normal"
    named = note_fields(note_type, fields)
    html = dict(named)
    unshown = note_type.unshown if note_type else frozenset()
    sides = card_sides(note_type.templates, html) if note_type and note_type.templates else None
    asked, answer_names = shown_roles(sides, named, unshown) if sides else ([], [])
    if asked:
        question_name = asked[0]
        raw_question = "\n".join(html[name] for name in asked)
    else:  # no templates to tell (a text export, a note type deleted): by the fields' names
        question_name, answer_names = field_roles(kind, named, note_type.asks if note_type else "",
                                                  note_type.switches if note_type else frozenset())
        raw_question = html.get(question_name, "") if question_name else ""
        clozes = note_type.clozes if note_type else ()
        if question_name in clozes and len(clozes) > 1:
            # Every field the card shows as clozes asks: the answer is what the template adds after them.
            asked = [name for name in clozes if html.get(name, "").strip()] or [question_name]
            raw_question = "\n".join(html[name] for name in asked)
            answer_names = [name for name in answer_names if name not in clozes]
    raw_answers = [html[name] for name in answer_names if html[name].strip()
                   and not (name in unshown and bookkeeping(field_text(html[name])))]
    question = field_text(raw_question)
    asked_empty = not question
    if not question and raw_answers:  # an empty question field (an occlusion without a header)
        raw_question, raw_answers = raw_answers[0], raw_answers[1:]
        question = field_text(raw_question)
    answer = join_answer(field_text(f) for f in raw_answers)
    if not answer and (kind == "cloze" or has_cloze(raw_question)):
        answer = question
    if not question or not answer:
        # Said as the user sees it in Anki: a blank front ("The front of this card is blank"), even
        # when its back was moved up to ask; else the question, to find the note by in the browser.
        if asked_empty:
            missing = f"no question (its {question_name} field is empty)" if question_name else "no question"
            return DeckError(path, f"note {note_id} has {missing}; skipped")
        return DeckError(path, f"note {note_id} ({one_line(question, 60)!r}) has no answer; skipped")
    deck = deck or humanise(path.stem)
    answer_html = "\n".join(raw_answers)
    # Cloze deletions are the author's marks: the raw field keeps them even without any HTML.
    markup = looks_like_html(raw_question) or looks_like_html(answer_html) or has_cloze(raw_question)
    guid = str(guid).strip() if guid is not None else ""
    return Card(
        id=source_card_id(guid, deck, question),
        guid=guid or None,
        deck=deck,
        question=question,
        answer=answer,
        tags=tuple(dict.fromkeys(str(tags or "").split())),
        source=f"{path}#note={note_id}",
        question_html=raw_question if markup else None,
        answer_html=answer_html if markup else None,
        note_type=note_type.name if note_type else None,
        fields=named,
    )
