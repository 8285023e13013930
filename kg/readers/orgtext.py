"""Org-mode markup turned into Markdown, so an Org card's text and HTML come from `markdown_field`.

`*bold*` becomes `**bold**`, `/italic/` and `_underline_` `*italic*`, `=verbatim=` and `~code~`
inline code, `+strike+` its words; `[[target][description]]` a Markdown link (its description
alone when the target is no web address), `[[target]]` the target; `#+BEGIN_SRC lang` ...
`#+END_SRC` a fenced block (examples, verses and exports too), `#+BEGIN_QUOTE` a quote;
`- term :: description` a list item `- term: description`; an Org table's `|---+---|` rule the
Markdown one. Math (`\\(..\\)`, `\\[..\\]`, `$..$`) is kept verbatim as elsewhere. Clozes become
Anki's `{{cN::text::hint}}`: org-fc's `{{text}{hint}@N}` always, org-drill's `[text||hint]` when
asked (only drill cards use brackets so). Keyword lines (`#+NAME:`), comments (`# ...`) and
footnote references are dropped. A list ends at a line indented no deeper than its bullets, as in
Org (Markdown would make the line part of the last item). The common indentation goes (Org indents bodies under their
heading; Markdown would read four spaces as code).
"""

from __future__ import annotations

import itertools
import re

from kg.readers.mdtext import MATH

BLOCK_BEGIN = re.compile(r"^\s*#\+begin_(\w+)(?:\s+(\S+))?.*$", re.IGNORECASE)
BLOCK_END = re.compile(r"^\s*#\+end_(\w+)\s*$", re.IGNORECASE)
KEYWORD = re.compile(r"^\s*#\+\w+(?:\[[^\]]*\])?:")
COMMENT = re.compile(r"^\s*#(?:\s|$)")
_FC_CLOZE = re.compile(r"\{\{(.+?)\}(?:\{(.*?)\})?@(\d+)\}")
# org-drill's cloze: `[text]` or `[text||hint]`, never a link (`[[`), a checkbox (`[ ]`, `[X]`,
# `[-]`), a statistics cookie (`[1/3]`, `[50%]`), a footnote (`[fn:1]`) or a date (`[2024-01-01 Mon]`).
_DRILL_CLOZE = re.compile(r"(?<![\w\[\\])\[(?![\[\s])(?!fn:)(?![Xx -]\])(?!\d+/\d+\]|\d+%\])(?!\d{4}-\d\d-\d\d)"
                          r"([^\[\]\n]+?)(?:\|\|([^\[\]\n]*))?\](?!\])")
_LINK = re.compile(r"\[\[([^\[\]\n]+)\](?:\[([^\[\]\n]+)\])?\]")
_WEB = re.compile(r"^(?:https?|ftp|mailto):", re.IGNORECASE)
_FOOTNOTE = re.compile(r"\[fn:[^\]\n]*\]")
_INLINE_SRC = re.compile(r"\bsrc_[\w+-]+(?:\[[^\]\n]*\])?\{([^{}\n]*)\}")
_MACRO = re.compile(r"\{\{\{[^}\n]*\}\}\}")
_PLACEHOLDER = re.compile("\ue002(\\d+)\ue003")
# Org emphasis: the marker follows a line start, space or opening punctuation, the text neither
# starts nor ends with a space, and the closing marker is followed by an end, space or punctuation.
_PRE = r"(?:(?<=^)|(?<=[\s\-('\"{:*]))"
_POST = r"(?=[\s\-.,;:!?')}\[\"\\*]|$)"
# (Bounded, so a line of thousands of unmatched markers takes linear time.)
_EMPHASIS = {marker: re.compile(_PRE + re.escape(marker) + r"(?=\S)([^\n]{0,300}?\S)" + re.escape(marker) + _POST)
             for marker in "=~*/_+"}
_DESCRIPTION_ITEM = re.compile(r"^(\s*(?:[-+]|\d+[.)])\s+(?:\[[ Xx-]\]\s+)?)(.*?\S)\s+::(?:\s+|$)")
_TABLE_RULE = re.compile(r"^(\s*)\|[-+]+\|?\s*$")
_STAR_ITEM = re.compile(r"^(\s+)\*(\s+)")  # an indented `*` item is a list item in Org too
_LIST_ITEM = re.compile(r"^(\s*)(?:[-+]|\d+[.)])\s")


def _fc_clozes(text: str, count=None) -> str:
    """org-fc's `{{text}@0}` / `{{text}{hint}@1}` as Anki clozes (`@0` is `c1`)."""
    return _FC_CLOZE.sub(lambda m: _cloze(int(m.group(3)) + 1, m.group(1), m.group(2)), text)


def _drill_clozes(text: str, count) -> str:
    """org-drill's `[text]` / `[text||hint]` as Anki clozes, numbered in order."""
    return _DRILL_CLOZE.sub(lambda m: _cloze(next(count), m.group(1), m.group(2)), text)


_CLOZES = {"drill": _drill_clozes, "fc": _fc_clozes}


def _cloze(number: int, text: str, hint: str | None) -> str:
    return f"{{{{c{number}::{text}{'::' + hint if hint else ''}}}}}"


def org_to_markdown(lines: list[str], clozes: str | None = None) -> str:
    """Markdown of an Org fragment's lines (blocks, lists, tables and inline markup); `clozes`
    ("drill" or "fc") turns that tool's clozes outside code into Anki's."""
    out: list[str] = []
    count = itertools.count(1)
    block: str | None = None
    bullet: int | None = None  # the indentation of the open list's bullets
    for line in _dedent(lines):
        if block is not None:
            if (end := BLOCK_END.match(line)) and end.group(1).lower() == block:
                out.append("```" if block != "quote" else "")
                block = None
            elif block == "quote":
                out.append("> " + inline(line.strip()))
            else:
                out.append(re.sub(r"^(\s*),(?=\*|#\+)", r"\1", line))  # Org's escape of `*` and `#+`
            continue
        if begin := BLOCK_BEGIN.match(line):
            block = begin.group(1).lower()
            if block != "quote":
                language = begin.group(2) if block == "src" and begin.group(2) else ""
                out.append("```" + language)
            continue
        if KEYWORD.match(line) or COMMENT.match(line):
            continue
        if rule := _TABLE_RULE.match(line):
            columns = max(out[-1].count("|") - 1, 1) if out and out[-1].lstrip().startswith("|") else 1
            out.append(rule.group(1) + "|" + "---|" * columns)
            continue
        line = _STAR_ITEM.sub(r"\1-\2", line)
        if item := _LIST_ITEM.match(line):
            bullet = len(item.group(1)) if bullet is None else min(bullet, len(item.group(1)))
        elif bullet is not None and line.strip() and len(line) - len(line.lstrip()) <= bullet:
            # Org ends a list at a line indented no deeper than its bullets; Markdown would carry the
            # line on as the last item's ("4. reliance on foederati\nTraditional end: ...").
            if out and out[-1].strip():
                out.append("")
            bullet = None
        line = _DESCRIPTION_ITEM.sub(lambda m: f"{m.group(1)}{m.group(2)}: ", line)
        if clozes:
            line = _CLOZES[clozes](line, count)
        out.append(inline(line))
    if block is not None and block != "quote":
        out.append("```")  # an unclosed block still holds its text
    return "\n".join(out).strip("\n")


def inline(text: str) -> str:
    """Org's inline markup of one line as Markdown."""
    kept: list[str] = []

    def keep(value: str) -> str:
        kept.append(value)
        return f"\ue002{len(kept) - 1}\ue003"

    text = _FOOTNOTE.sub("", _MACRO.sub("", text))
    text = MATH.sub(lambda m: keep(m.group(0)), text)
    text = _INLINE_SRC.sub(lambda m: keep(_code(m.group(1))), text)
    for marker in "=~":  # verbatim first: its contents are literal
        text = _EMPHASIS[marker].sub(lambda m: keep(_code(m.group(1))), text)
    text = _LINK.sub(lambda m: keep(_link(m.group(1), m.group(2))), text)
    text = _emphasis(text)
    while _PLACEHOLDER.search(text):
        text = _PLACEHOLDER.sub(lambda m: kept[int(m.group(1))], text)
    return text


def _emphasis(text: str) -> str:
    text = _EMPHASIS["*"].sub(r"**\1**", text)
    for marker in "/_":
        text = _EMPHASIS[marker].sub(r"*\1*", text)
    return _EMPHASIS["+"].sub(r"\1", text)


def _code(value: str) -> str:
    ticks = "``" if "`" in value else "`"
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{ticks}{pad}{value}{pad}{ticks}"


def _link(target: str, description: str | None) -> str:
    if _WEB.match(target):
        return f"[{_emphasis(description)}]({target.replace(' ', '%20')})" if description else f"<{target}>"
    if description:
        return _emphasis(description)
    return re.sub(r"^(?:file|id|roam|attachment|info|help|elisp|shell):", "", target)


def org_to_text(text: str) -> str:
    """A heading title's words without its markup (for deck names)."""
    from kg.readers.mdtext import markdown_to_text  # one parse of a short title

    return markdown_to_text(inline(text)).replace("\n", " ").strip()


def _dedent(lines: list[str]) -> list[str]:
    lines = [line.expandtabs(8).rstrip() for line in lines]
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return [line[cut:] for line in lines]
