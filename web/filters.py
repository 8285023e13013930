"""Template filters that mark concepts in card text: the text is escaped first, then wrapped.

Card text never reaches a page unescaped: each piece between matches goes through
`markupsafe.escape`, and a match is inserted into a fixed `<mark>` or `<a>` with `%` formatting,
which escapes it too.
"""

from __future__ import annotations

import functools
import re
from typing import Callable, Iterable

from flask import Flask
from markupsafe import Markup, escape

EXCERPT_CHARS = 280
# A term also matches its plural ("feature store" in "feature stores").
_PLURAL = r"(?:e?s)?"


def _pattern(terms: Iterable[str]) -> re.Pattern | None:
    # A page marks the same terms in every card it lists: build the pattern once per set.
    return _compiled(tuple(terms))


@functools.lru_cache(maxsize=256)
def _compiled(terms: tuple[str, ...]) -> re.Pattern | None:
    words = sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True)
    if not words:
        return None
    body = "|".join(re.escape(w).replace(r"\ ", r"[\s\-]+") for w in words)
    return re.compile(rf"(?<![\w])(?:{body}){_PLURAL}(?![\w])", re.IGNORECASE)


def excerpt(text: str, terms: Iterable[str] = (), *, length: int = EXCERPT_CHARS,
            whole: Callable[[str], Iterable[tuple[int, int]]] | None = None) -> str:
    """About `length` characters of `text` on one line, centred on the first term found.

    The card's lines are joined (`one_line`), so a list reads "a · b" rather than "- a - b". No
    span `whole` finds in the joined line (formulas) is cut in two: a cut inside one moves to its
    edge.
    """
    text = one_line(text)
    if len(text) <= length:
        return text
    match = _first_of_longest(text, terms)
    start = max(0, match.start() - length // 3) if match else 0
    end = min(len(text), start + length)
    start = max(0, end - length)
    # Cut on word boundaries so no half words show.
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 20 else start
    if end < len(text):
        space = text.rfind(" ", end - 20, end)
        end = space if space > 0 else end
    for a, b in whole(text) if whole else ():
        if a < start < b:
            start = a
        if a < end < b:
            end = a if a > start else b
    return ("…" if start > 0 else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def _first_of_longest(text: str, terms: Iterable[str]) -> re.Match | None:
    # The whole query or concept name before one of its words: "model drift and concept drift"
    # shows "concept drift" for that query, not the first "drift".
    for term in sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True):
        match = _pattern((term,)).search(text)
        if match:
            return match
    return None


# A list item's marker at the start of a line: "- ", "* ", "• ", "1. ", "2) ".
_LIST_MARKER = re.compile(r"(?:[-*+•▪◦‣]|\d{1,3}[.)])\s+")


def one_line(text: str) -> str:
    """A card's text on one line: a line that goes on the sentence before (it starts in lower
    case and is no list item) is joined with a space, any other with " · ", list markers dropped."""
    out: list[str] = []
    for raw in str(text or "").splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        marker = _LIST_MARKER.match(line)
        if marker and marker.end() < len(line):
            line = line[marker.end():]
        elif out and line[0].islower():
            out[-1] += " " + line
            continue
        out.append(line)
    return " · ".join(out)


def highlight(text: str, terms: Iterable[str] = ()) -> Markup:
    """`text` escaped, with every occurrence of a term in <mark>."""
    text = str(text or "")
    pattern = _pattern(terms)
    if pattern is None:
        return escape(text)
    out, pos = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[pos : match.start()]))
        out.append(Markup("<mark>%s</mark>") % match.group(0))
        pos = match.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def link_terms(text: str, links: dict[str, str]) -> Markup:
    """`text` escaped, with every occurrence of a term linked to its URL (`{term: url}`)."""
    text = str(text or "")
    pattern = _pattern(links)
    if pattern is None:
        return escape(text)
    lowered = {re.sub(r"[\s\-]+", " ", t.strip().lower()): url for t, url in links.items()}
    out, pos = [], 0
    for match in pattern.finditer(text):
        found = re.sub(r"[\s\-]+", " ", match.group(0).lower())
        url = lowered.get(found) or lowered.get(re.sub(r"e?s$", "", found)) or lowered.get(found[:-1])
        out.append(escape(text[pos : match.start()]))
        if url:
            out.append(Markup('<a class="concept-link" href="%s">%s</a>') % (url, match.group(0)))
        else:
            out.append(escape(match.group(0)))
        pos = match.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def paragraphs(text: str) -> list[str]:
    """Card text split into its lines, blank ones dropped, for display as separate lines."""
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def init_app(app: Flask) -> None:
    from kg.web.cardhtml import answer_excerpt, text_with_formulas

    app.add_template_filter(text_with_formulas)
    app.add_template_filter(answer_excerpt)
    app.add_template_filter(excerpt)
    app.add_template_filter(highlight)
    app.add_template_filter(link_terms)
    app.add_template_filter(paragraphs)
