"""The author's markup of a text or Markdown card, kept as HTML beside the clean text.

Text layouts hold Markdown (`**bold**`, `==highlight==`, lists, code) and Anki clozes
(`{{c1::…}}`). The card's text is plain (`markdown_to_text`); when the source has such marks, the
card also keeps them as HTML (markdown-it, raw HTML escaped), so concept finding can read what the
author stressed and the card page can show it. Highlights become `<mark>`, clozes stay as written,
math stays verbatim.
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt

from kg.cards import Card, source_card_id
from kg.readers.html import has_cloze, join_answer, unwrap_cloze
from kg.readers.mdtext import EMBED, HIGHLIGHT, MATH, WIKILINK, markdown_to_text

_MD_HTML = MarkdownIt("commonmark", {"html": False}).enable("table")
# Marks worth keeping: emphasis, highlight, cloze, list items, code, links, tables.
_MARKUP = re.compile(
    r"\*\*|__|(?<![=\w])==\S|\{\{c\d+::|\*[^\s*][^*\n]*\*|(?:^|\n)\s*(?:[-*+]|\d{1,3}[.)])\s|`|\]\(|(?:^|\n)\s*\|.*\|",
)
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
_CODE = re.compile(r"(<code[^>]*>.*?</code>)", re.DOTALL)


def has_markup(source: str) -> bool:
    """True when a Markdown fragment carries marks worth keeping as HTML."""
    return bool(_MARKUP.search(source))


def markdown_to_html(source: str) -> str:
    """HTML of a Markdown fragment; raw HTML in the source is escaped, math kept verbatim, Obsidian
    embeds dropped and wikilinks reduced to their label, as in the text."""
    kept: list[str] = []

    def protect(match: re.Match) -> str:
        kept.append(match.group(0))
        return f"\ue000{len(kept) - 1}\ue001"

    source = EMBED.sub("", source)  # Obsidian embeds name files the card page cannot show
    source = MATH.sub(protect, source)
    source = WIKILINK.sub(lambda m: m.group(2) or m.group(1), source)
    rendered = _MD_HTML.render(source).strip()
    parts = _CODE.split(rendered)
    for i in range(0, len(parts), 2):  # highlights outside code only
        parts[i] = HIGHLIGHT.sub(r"<mark>\1</mark>", parts[i])
    rendered = "".join(parts)
    return _PLACEHOLDER.sub(lambda m: html.escape(kept[int(m.group(1))], quote=False), rendered)


def markdown_field(source: str, *, soft_break: str = "\n") -> tuple[str, str | None]:
    """(plain text, HTML or None) of a Markdown field: clozes unwrapped in the text, HTML only when
    the source has markup. `soft_break`: see `markdown_to_text`."""
    text = unwrap_cloze(markdown_to_text(source, soft_break=soft_break))
    return text, (markdown_to_html(source) if has_markup(source) else None)


def markdown_card(question: str, answers, *, deck: str, source: str, guid: str | None = None,
                  tags=(), cloze: bool | None = None, **extra) -> Card | None:
    """The card whose question and answer fields are Markdown (`answers`: the answer's fields,
    blank ones dropped), or None when it has neither an answer nor a cloze: the caller says why.

    Text and HTML as `markdown_field` gives them, the answer's fields a blank line apart (a cloze
    card with no answer is answered by its own text), the id from the guid or deck and question.
    `cloze` says whether it is a cloze card when the marks alone do not (a note type's kind);
    `extra` goes to the Card as it is (`note_type`, `fields`)."""
    text, question_html = markdown_field(question)
    parts = [markdown_field(part) for part in answers if part and part.strip()]
    answer = join_answer(part_text for part_text, _ in parts)
    if cloze is None:
        cloze = has_cloze(question)
    if not text or (not answer and not cloze):
        return None
    return Card(
        id=source_card_id(guid, deck, text),
        guid=guid,
        deck=deck,
        question=text,
        answer=answer or text,
        tags=tuple(dict.fromkeys(t for t in tags if t)),
        source=source,
        question_html=question_html,
        answer_html="<br><br>".join(part_html or part_text for part_text, part_html in parts) or None,
        **extra,
    )
