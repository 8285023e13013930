"""Acronyms defined in the text, after Schwartz & Hearst (2003).

"Continuous Integration (CI)" and "XRAI (Explanation with Ranked Area Integrals)" both define an
acronym: the letters of the short form appear, in order, in the long form, the first one starting
its first word. The long form becomes the concept; the short form is an alias of it.
"""

from __future__ import annotations

from spacy.tokens import Doc

MAX_PAREN_TOKENS = 12
SHORT_MIN, SHORT_MAX = 2, 10

Definition = tuple[str, str, int, int, int, int]  # short text, long text, short span, long span


def is_short_form(text: str) -> bool:
    """Looks like an acronym: short, one word, at least two capitals ("CI", "MoE", "NeRF")."""
    return (
        SHORT_MIN <= len(text) <= SHORT_MAX
        and " " not in text
        and text[0].isalnum()
        and any(c.isalpha() for c in text)
        and sum(c.isupper() for c in text) >= 2
    )


def best_long_form(short: str, long: str, *, first_letter_starts_word: bool = True) -> int | None:
    """Char offset in `long` where the long form of `short` starts, or None (Schwartz-Hearst).

    With `first_letter_starts_word=False` the first letter may sit inside the first word, as in
    "XRAI (eXplanation with Ranked Area Integrals)".
    """
    strict = first_letter_starts_word
    s, pos = len(short) - 1, len(long) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while pos >= 0 and (long[pos].lower() != c or (strict and s == 0 and pos > 0 and long[pos - 1].isalnum())):
            pos -= 1
        if pos < 0:
            return None
        pos -= 1
        s -= 1
    return long.rfind(" ", 0, pos + 1) + 1


def find_definitions(doc: Doc) -> list[Definition]:
    """Every acronym definition in the doc: (short, long, short start/end, long start/end tokens)."""
    found = []
    for open_ in (t for t in doc if t.text == "("):
        close = next(
            (t.i for t in doc[open_.i + 1 : open_.i + 1 + MAX_PAREN_TOKENS] if t.text[0] in ")(\n"), None
        )
        # The tokenizer may keep the closing parenthesis with what follows it, as in "):".
        if close is None or doc[close].text[0] != ")" or close == open_.i + 1:
            continue
        inner = doc[open_.i + 1 : close]
        if is_short_form(inner.text):
            found.extend(_short_in_parens(doc, open_.i, inner))
        elif open_.i > 0 and is_short_form(doc[open_.i - 1].text) and len(inner) > 1:
            found.extend(_long_in_parens(doc, open_.i - 1, inner))
    return found


def _short_in_parens(doc: Doc, open_i: int, inner) -> list[Definition]:
    short = inner.text
    max_words = min(len(short) + 5, 2 * len(short))
    start = open_i
    sent_start = doc[open_i].sent.start if doc.has_annotation("SENT_START") else 0
    words = 0
    while start > sent_start and words < max_words and doc[start - 1].text not in ".:;()\n":
        start -= 1
        words += not doc[start].is_punct
    window = doc[start:open_i]
    offset = best_long_form(short, window.text) if len(window) else None
    if offset is None:
        return []
    long = doc.char_span(window.start_char + offset, window.end_char, alignment_mode="expand")
    if long is None or len(long.text.split()) < 2 or len(long.text) <= len(short):
        return []
    return [(short, long.text, inner.start, inner.end, long.start, long.end)]


def _long_in_parens(doc: Doc, short_i: int, inner) -> list[Definition]:
    short = doc[short_i].text
    offset = best_long_form(short, inner.text, first_letter_starts_word=False)
    if offset != 0 or len(inner.text.split()) > min(len(short) + 5, 2 * len(short)):
        return []
    return [(short, inner.text, short_i, short_i + 1, inner.start, inner.end)]
