"""Which fields an Anki card shows, and on which side: Anki's card template syntax, read by kg.

A template shows a field with `{{Field}}`, through filters (`{{hint:F}}`, `{{type:F}}`,
`{{cloze:F}}`, `{{text:F}}`, `{{furigana:F}}`, chained `{{text:hint:F}}`), inside sections
shown when the note's field holds something (`{{#F}}...{{/F}}`) or nothing (`{{^F}}...{{/F}}`),
as Anki decides it (whitespace, `<br>` and `<div>` alone are nothing). `{{FrontSide}}` repeats the
front on the back. `{{Tags}}`, `{{Deck}}`, `{{Subdeck}}`, `{{Card}}`... are no fields of the note
(kg keeps the deck and tags apart), and what an HTML comment (`<!-- {{Back}} -->`) holds is not
shown. On the front a typing box (`{{type:F}}`) and speech (`{{tts en_US:F}}`) show no text of the
field, and a hint (`{{hint:F}}`) shows it on a click; on the back `{{type:F}}` shows the answer.
The template's own words (a label `Formula:`) are the same on every card and no words of one.
"""

from __future__ import annotations

import re

# `{{...}}` as Anki's parser takes it: no braces inside.
_TAG = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Anki's `field_is_empty`: only whitespace, `<br>` and `<div>` tags.
_EMPTY = re.compile(r"(?:\s|\u00a0|</?(?:br|div)\s*/?>)*", re.IGNORECASE)
_HIDDEN_ON_FRONT = frozenset({"hint", "type", "tts"})  # shows no text of the field until clicked, or none
_HIDDEN_ON_BACK = frozenset({"tts"})


def is_empty(value: str) -> bool:
    """True when Anki counts a field empty for `{{#F}}` / `{{^F}}`.

    >>> is_empty("<br>"), is_empty(" <div></div>"), is_empty("<img src=a.png>")
    (True, True, False)
    """
    return bool(_EMPTY.fullmatch(str(value or "")))


def references(template: str, values: dict[str, str]) -> list[tuple[str, frozenset]]:
    """(field name as in `values`, its filters) of each non-empty field a template shows for a note,
    in order, sections decided by the note's values.

    >>> values = {"Front": "unused", "Back": "RNA", "Alt": "What is RNA?", "Hint": "h"}
    >>> references("{{^Alt}}{{Front}}{{/Alt}}{{#Alt}}{{Alt}}{{/Alt}}{{#Hint}}{{hint:Hint}}{{/Hint}}", values)
    [('Alt', frozenset()), ('Hint', frozenset({'hint'}))]
    """
    known = {name.casefold(): name for name in values}
    found: list[tuple[str, frozenset]] = []
    sections: list[bool] = []  # the open sections, innermost last: whether each shows its content
    for match in _TAG.finditer(_HTML_COMMENT.sub("", str(template or ""))):
        tag = match.group(1)
        if tag[:1] in "#^":
            name = known.get(tag[1:].strip().casefold())
            present = name is not None and not is_empty(values[name])
            sections.append(present == (tag[0] == "#"))
            continue
        if tag[:1] == "/":
            if sections:
                sections.pop()
            continue
        if not all(sections):
            continue
        *filters, name = tag.split(":")
        name = known.get(name.strip().casefold())
        if name is not None and not is_empty(values[name]):
            found.append((name, frozenset(f.strip().split(" ")[0].casefold() for f in filters)))
    return found


def card_sides(templates, values: dict[str, str]) -> tuple[list[str], list[str]] | None:
    """(the fields the front shows, the fields the back adds to it) of a note's card, each once: of
    the first card template whose front shows this note anything (Anki makes no card of a blank
    front); None when no template does. A hint on the front, shown on a click, comes after the rest
    of the front; a field the front only types or speaks is not on it.

    >>> values = {"Topic": "Kepler", "Question": "Q?", "Answer": "A", "Source": "Curtis", "Hint": "h"}
    >>> card_sides([("{{hint:Hint}}{{Question}}", "{{FrontSide}}<hr id=answer>{{Answer}}<small>{{Source}}</small>")], values)
    (['Question', 'Hint'], ['Answer', 'Source'])
    """
    for question_format, answer_format in templates:
        front = references(question_format, values)
        asks = _names(name for name, filters in front if not filters & _HIDDEN_ON_FRONT)
        if asks:
            asks = _names([*asks, *(name for name, filters in front if filters == filters & {"hint", "text"})])
            back = _names(name for name, filters in references(answer_format, values) if not filters & _HIDDEN_ON_BACK)
            return asks, [name for name in back if name not in asks]
    return None


def _names(names) -> list[str]:
    return list(dict.fromkeys(names))
