"""The fields a card's answer was made of, by name: what a card page shows as labelled parts.

A note of the author's own type ("Term, Definition, Formula, Example"; a vocabulary note of
"Word, Meaning, Reading, Example") gives kg one answer, its answer fields one after another
(kg.readers.anki.notes), which reads as one run-on paragraph. The card keeps every field
(`Card.fields`), so the answer is split back into them here: the fields whose values, in some
order, join into the answer exactly as the reader joined them.
"""

from __future__ import annotations

from kg.cards import Card

#: How the readers join an answer's fields: HTML a line apart, text a blank line apart.
_HTML_JOIN, _TEXT_JOIN = "\n", "\n\n"


def answer_fields(card: Card) -> list[tuple[str, str]]:
    """(field name, value as written) of each field the answer was made of, in the answer's order,
    when there are two or more; else [] (the answer is one field, or was not made of the fields,
    as a table row's answer with its column labels).

    >>> card = Card(id="c", deck="d", question="Mean", answer="The average.\\n\\nΣx / n",
    ...             fields=(("Term", "Mean"), ("Definition", "The average."), ("Formula", "Σx / n")))
    >>> answer_fields(card)
    [('Definition', 'The average.'), ('Formula', 'Σx / n')]
    >>> answer_fields(Card(id="c", deck="d", question="Q", answer="A", fields=(("Front", "Q"), ("Back", "A"))))
    []
    """
    if len(card.fields) < 3:
        return []
    from kg.readers.html import field_text

    if card.answer_html:
        target, join = card.answer_html, _HTML_JOIN
        values = [(name, raw, raw) for name, raw in card.fields]
    else:
        target, join = card.answer, _TEXT_JOIN
        values = [(name, raw, field_text(raw)) for name, raw in card.fields]
    # Longest first: a field whose value starts another's ("2", "2 kg") is not taken for it.
    values = sorted((v for v in values if v[2].strip()), key=lambda v: -len(v[2]))
    found: list[tuple[str, str]] = []
    used: set[str] = set()
    pos = 0
    while pos < len(target):
        for name, raw, value in values:
            end = pos + len(value)
            if name not in used and target.startswith(value, pos) and (
                    end == len(target) or target.startswith(join, end)):
                found.append((name, raw))
                used.add(name)
                pos = end + (len(join) if end < len(target) else 0)
                break
        else:
            return []  # not the fields joined: the reader made this answer some other way
    return found if len(found) >= 2 else []
