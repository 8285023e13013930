"""Markdown to plain text, for card questions and answers written in Markdown.

Parsed with markdown-it (CommonMark plus tables). Emphasis, links and headings lose their markup,
images and Obsidian embeds (`![[file.png]]`) are dropped (a fragment that is only images reads
`[image: file.png]`), wikilinks keep their label, inline HTML is
reduced to its text, list markers and numbers are kept as written (`1)`, `2.`, `-`), and a blank
line between blocks in the source stays a blank line. Math (`$..$`, `$$..$$`, `\\(..\\)`, `\\[..\\]`)
is kept verbatim, `==highlights==` lose their marks, and inline code keeps its backticks so literal text such as `<img>` reads as code.
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt

from kg.readers.html import html_to_text, image_placeholder, normalise_space

_MD = MarkdownIt("commonmark").enable("table")
MATH = re.compile(
    r"\$\$.+?\$\$"
    r"|\\\(.+?\\\)"
    r"|\\\[.+?\\\]"
    r"|(?<![\\$\w])\$(?=[^\s$])(?:[^$\n]|\n(?![ \t]*\n))+?(?<=[^\s\\])\$(?![\d$])",
    re.DOTALL,
)
# Obsidian's `==highlight==` (also the Spaced Repetition plugin's cloze): the text stays, the marks go.
HIGHLIGHT = re.compile(r"(?<![=\w])==(?=[^\s=])(.+?)(?<=[^\s=])==(?![=\w])")
EMBED = re.compile(r"!\[\[([^\]|\n]*)[^\]\n]*\]\]")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]+)")
WIKILINK = re.compile(r"\[\[([^\[\]|\n]*)(?:\|([^\[\]\n]*))?\]\]")  # no "[" inside: linear on "[[[[…"
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")


def markdown_to_text(source: str, *, soft_break: str = "\n") -> str:
    """Plain text of a Markdown fragment. `soft_break` is what a line break inside a paragraph
    becomes: a line of its own where the note app shows one (Obsidian, Anki), a space where the
    author only wrapped the text (Org)."""
    kept: list[str] = []

    def protect(match: re.Match) -> str:
        kept.append(html.unescape(match.group(0)))  # decks converted from Anki keep &amp; in math
        return f"\ue000{len(kept) - 1}\ue001"

    images = [m.group(1) for m in EMBED.finditer(source)] + [m.group(1) for m in _IMAGE.finditer(source)]
    source = EMBED.sub("", source)
    source = MATH.sub(protect, source)
    source = HIGHLIGHT.sub(r"\1", source)
    source = WIKILINK.sub(lambda m: m.group(2) or m.group(1), source)
    text = _render(_MD.parse(source), soft_break)
    text = _PLACEHOLDER.sub(lambda m: kept[int(m.group(1))], text)
    return text or image_placeholder(images)


def _render(tokens, soft_break: str = "\n") -> str:
    blocks: list[tuple[int, int, str]] = []  # (first line, end line, text) of each leaf block
    lists: list[dict] = []  # open lists, innermost last
    pending_marker = ""
    item_map = (0, 0)
    row: list[str] | None = None
    open_maps: list = []
    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append({"ordered": kind == "ordered_list_open"})
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            number = token.info if lists and lists[-1]["ordered"] else ""
            pending_marker = f"{number}{token.markup} "
            item_map = token.map or (0, 0)
        elif kind == "list_item_close" and pending_marker:
            # An empty item ("0." alone on a line) is still written text.
            text, pending_marker = _with_marker("", pending_marker, len(lists))
            blocks.append((item_map[0], item_map[1], text.rstrip()))
        elif kind in ("paragraph_open", "heading_open"):
            open_maps.append(token.map)
        elif kind == "tr_open":
            row = []
            open_maps.append(token.map)
        elif kind == "tr_close":
            start, end = open_maps.pop() or (0, 0)
            blocks.append((start, end, " | ".join(cell for cell in row or [] if cell)))
            row = None
        elif kind == "inline":
            text = _inline(token.children or [], soft_break)
            if row is not None:
                row.append(text.replace("\n", " "))
                continue
            start, end = (open_maps.pop() if open_maps else None) or token.map or (0, 0)
            text, pending_marker = _with_marker(text, pending_marker, len(lists))
            blocks.append((start, end, text))
        elif kind in ("fence", "code_block", "html_block"):
            start, end = token.map or (0, 0)
            body = token.content.rstrip("\n") if kind != "html_block" else html_to_text(token.content)
            body, pending_marker = _with_marker(body, pending_marker, len(lists))
            blocks.append((start, end, body))
        elif kind == "hr":
            start, end = token.map or (0, 0)
            blocks.append((start, end, "---"))
    return _join(blocks)


def _with_marker(text: str, marker: str, depth: int) -> tuple[str, str]:
    indent = "  " * max(0, depth - 1)
    if marker:
        return f"{indent}{marker}{text}", ""
    return (f"{indent}{text}" if depth else text), ""


def _join(blocks) -> str:
    out: list[str] = []
    previous_end = None
    for start, end, text in blocks:
        if not text.strip():
            continue
        if previous_end is not None:
            out.append("\n\n" if start > previous_end else "\n")
        out.append(text)
        previous_end = end
    return "".join(out).strip()


def _inline(children, soft_break: str = "\n") -> str:
    parts: list[str] = []
    for child in children:
        kind = child.type
        if kind == "text":
            parts.append(child.content.replace("**", "").replace("__", ""))  # unmatched emphasis
        elif kind == "code_inline":
            parts.append(f"`{child.content}`")
        elif kind == "softbreak":
            parts.append(soft_break)
        elif kind == "hardbreak":
            parts.append("\n")
        elif kind == "html_inline":
            if re.match(r"<br\b", child.content, re.IGNORECASE):
                parts.append("\n")
        elif kind == "image":
            continue
    text = "".join(parts)
    return "\n".join(normalise_space(line) for line in text.split("\n"))
