"""A card as its author wrote it: the source's HTML sanitised, formulas as MathML, concepts linked.

Card HTML comes from decks written by anyone, so it is treated as hostile: `nh3` keeps only the
tags and attributes listed here (no script, no event handler, no style, no frame), and images
only

* `data:` images of a raster type (the CSP allows `img-src data:`), or
* a plain file name the deck's own folder (or the Anki package it came from) holds
  (`media_url` turns it into a URL of this server, see `kg.web.explore.card_media`);

a card's own links keep their text but lose their target (except mail): they would leave the
explorer or point at pages it does not have.

an image from another host, or one the deck does not hold, is never requested: it becomes a note
naming its alt text.

Formulas (`\\( … \\)`, `\\[ … \\]`, `$$ … $$`, `$ … $`) become MathML on the server with
`latex2mathml`; browsers draw MathML themselves, so no script and no web font is needed. The
MathML goes through the sanitiser too (latex2mathml copies `\\text{…}` verbatim).

Concepts are linked in text only, never inside a link, code or a formula.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from html.parser import HTMLParser
from typing import Callable

import nh3
from markupsafe import Markup, escape

from kg.readers.furigana import as_ruby
from kg.web.filters import link_terms

MATHML_TAGS = frozenset({
    "math", "semantics", "annotation", "mrow", "mi", "mo", "mn", "ms", "mtext", "mspace",
    "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover",
    "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose", "merror", "mfenced",
})
HTML_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "div",
    "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strike",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul",
    "var", "wbr", "ruby", "rt", "rp",
})
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "math": {"display"},
    "mo": {"stretchy", "fence", "separator", "lspace", "rspace", "form"},
    "mstyle": {"displaystyle", "scriptlevel"},
    "mspace": {"width"},
    "mtd": {"columnspan", "rowspan"},
    "mfrac": {"linethickness"},
}
#: The contents of these go with them, not just the tags.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template", "noscript",
                                  "title", "svg", "textarea", "select"})
LINK_SCHEMES = frozenset({"mailto"})
DATA_IMAGE = re.compile(r"data:image/(?:png|gif|jpeg|webp);base64,[A-Za-z0-9+/=\s]+\Z", re.IGNORECASE)
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
#: Text is never linked or typeset inside these.
NO_LINKS = frozenset({"a", "code", "pre", "kbd", "samp", "math"})
# Display formulas first, so `$$…$$` is not read as two empty `$…$`. An inline `$…$` must not
# start or end with a space ("costs $5 and $6" is money, not maths) and stays on one line.
FORMULA = re.compile(
    r"\\\[(?P<block>.+?)\\\]|\$\$(?P<dblock>.+?)\$\$|\\\((?P<inline>.+?)\\\)"
    r"|(?<![\\$\w])\$(?P<dollar>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?![\w$])",
    re.DOTALL,
)
MAX_FORMULA = 2000


def render_card_html(source: str, *, is_html: bool, links: dict[str, str],
                     media_url: Callable[[str], str | None]) -> Markup:
    """`source` (card HTML, or plain text when `is_html` is false) as safe HTML for a page."""
    if not is_html:
        source = "".join(f"<p>{escape(line)}</p>" for line in source.splitlines() if line.strip())
    source = as_ruby(source)  # Anki's furigana (食[た]べる) shown above its kanji, as Anki does
    clean = nh3.clean(source, tags=set(HTML_TAGS), clean_content_tags=set(DROPPED_WITH_CONTENT),
                      attributes={k: set(v) for k, v in ATTRIBUTES.items() if k in HTML_TAGS},
                      url_schemes=set(LINK_SCHEMES) | {"data", "http", "https"}, attribute_filter=_Targets(media_url),
                      link_rel="noopener noreferrer nofollow")
    rewritten = _Rewriter(links).feed_all(clean)
    # Once more with MathML allowed: the formulas were made here, but their text came from the card.
    final = nh3.clean(rewritten, tags=set(HTML_TAGS | MATHML_TAGS), clean_content_tags=set(DROPPED_WITH_CONTENT),
                      attributes={**{k: set(v) for k, v in ATTRIBUTES.items()}, "a": {"href", "title", "class"},
                                  "span": {"class"}},
                      url_schemes=set(LINK_SCHEMES) | {"data"}, attribute_filter=_Targets(None),
                      link_rel="noopener noreferrer nofollow")
    return Markup(final)


class _Targets:
    """nh3's attribute filter: which link and image targets stay. With `media_url`, a file name
    becomes its URL on this server; without (the second pass), only URLs made so are kept."""

    def __init__(self, media_url: Callable[[str], str | None] | None):
        self.media_url = media_url

    def __call__(self, element: str, attribute: str, value: str) -> str | None:
        if attribute == "href":
            target = value.strip()
            if self.media_url is None:  # the second pass: only the concept links made here
                return target if target.startswith("/") and not target.startswith("//") else None
            # A card's own links would leave the explorer (or point at pages it does not have):
            # their text stays, the target only for mail.
            return target if target.lower().startswith("mailto:") else None
        if element == "img" and attribute == "src":
            target = value.strip()
            if DATA_IMAGE.match(target):
                return target
            if self.media_url is None:
                return target if MEDIA_MARK in target and target.startswith("/") and "//" not in target else None
            if target.startswith(("/", "\\")) or SCHEME.match(target):
                return REMOTE  # another host (or a path of this server the card has no say in)
            return self.media_url(html.unescape(target)) or MISSING
        return value


#: What an image source becomes when it is not served: the rewriter names the image instead.
REMOTE, MISSING = "#kg-remote-image", "#kg-missing-image"
NOT_SHOWN = {REMOTE: "not loaded, it is on another host", MISSING: "not in the deck's media"}
#: Every media URL this server makes holds this (see `kg.web.explore.card_media`).
MEDIA_MARK = "/card-media/"


class _Rewriter(HTMLParser):
    """Rewrites sanitised HTML: formulas to MathML and concept names to links, in text only;
    an image left without a source (it was on another host) becomes a visible note."""

    def __init__(self, links: dict[str, str]):
        super().__init__(convert_charrefs=True)
        self.links = links
        self.out: list[str] = []
        self.open: list[str] = []
        self.text: list[str] = []

    def feed_all(self, markup: str) -> str:
        self.feed(markup)
        self.close()
        self._flush()
        return "".join(self.out)

    def handle_starttag(self, tag, attrs):
        self._flush()
        attrs = dict(attrs)
        if tag == "img" and not attrs.get("src"):
            attrs["src"] = MISSING
        if tag == "img" and attrs.get("src") in NOT_SHOWN:
            alt = attrs.get("alt") or "image"
            self.out.append(str(Markup('<span class="img-blocked">[%s: %s]</span>') % (alt, NOT_SHOWN[attrs["src"]])))
            return
        self.out.append(self._tag(tag, attrs))
        if tag not in ("br", "img", "hr", "wbr", "col"):
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_endtag(self, tag):
        self._flush()
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.text.append(data)

    @staticmethod
    def _tag(tag: str, attrs: dict) -> str:
        parts = "".join(f' {name}="{escape(value)}"' for name, value in attrs.items() if value is not None)
        return f"<{tag}{parts}>"

    def _flush(self) -> None:
        if not self.text:
            return
        text, self.text = "".join(self.text), []
        if any(tag in NO_LINKS for tag in self.open):
            self.out.append(str(escape(text)))
            return
        pos = 0
        for match in FORMULA.finditer(text):
            self.out.append(str(link_terms(text[pos:match.start()], self.links)))
            self.out.append(_mathml(match))
            pos = match.end()
        self.out.append(str(link_terms(text[pos:], self.links)))


def text_with_formulas(text: str, terms=()) -> Markup:
    """Plain card text for a list: escaped, `terms` marked, formulas drawn as MathML."""
    from kg.web.filters import highlight

    text = str(text or "")
    out, pos = [], 0
    for match in FORMULA.finditer(text):
        out.append(highlight(text[pos:match.start()], terms))
        out.append(Markup(nh3.clean(_mathml(match), tags=set(MATHML_TAGS), attributes={
            k: set(v) for k, v in ATTRIBUTES.items() if k in MATHML_TAGS}, clean_content_tags=set(DROPPED_WITH_CONTENT))))
        pos = match.end()
    out.append(highlight(text[pos:], terms))
    return Markup("").join(out)


def answer_excerpt(text: str, terms=()) -> Markup:
    """A card's answer in a list: an excerpt on one line around the first of `terms` (marked),
    formulas never cut and drawn as MathML."""
    from kg.web.filters import excerpt

    return text_with_formulas(excerpt(text, terms, whole=_formula_spans), terms)


def _formula_spans(line: str) -> list[tuple[int, int]]:
    return [m.span() for m in FORMULA.finditer(line)]


def _mathml(match: re.Match) -> str:
    """The MathML of one formula, or the formula as written if it cannot be read."""
    from latex2mathml.converter import convert

    latex = next(v for v in match.groupdict().values() if v is not None)
    display = "block" if match.group("block") is not None or match.group("dblock") is not None else "inline"
    if len(latex) > MAX_FORMULA:
        return str(escape(match.group(0)))
    try:
        return convert(latex.strip(), display=display)
    except Exception:  # latex2mathml raises many kinds for LaTeX it does not know
        return str(Markup('<span class="formula-raw">%s</span>') % match.group(0))


#: Image files a deck folder may serve to its cards (no SVG: it can carry script).
MEDIA_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp"})
#: Where, beside a deck file, its images are looked for: Anki's text exports sit next to
#: `collection.media`; hand-made decks keep a `media/` folder or the images themselves.
MEDIA_FOLDERS = (".", "media", "collection.media")
SAFE_NAME = re.compile(r"[^/\\\x00-\x1f]{1,200}\Z")


def source_file(source: str) -> Path | None:
    """The deck file a card's `source` names (`path:line` or `path#note=…`)."""
    path = source.split("#note=", 1)[0]
    head, sep, tail = path.rpartition(":")
    if sep and tail.isdigit():
        path = head
    return Path(path) if path else None


def media_file(source: str, name: str) -> Path | bytes | None:
    """The image called `name` that a card's deck holds, if there is one: a file beside the deck
    file (Path), or a member of the Anki package it came from (bytes)."""
    deck = source_file(source)
    if deck is None or not SAFE_NAME.match(name) or name in (".", "..") \
            or Path(name).suffix.lower() not in MEDIA_SUFFIXES:
        return None
    if deck.suffix.lower() in PACKAGES:
        return _package_media(deck, name)
    if deck.suffix.lower() == ".mochi":
        from kg.readers.mochi import read_media as read_mochi_media

        return read_mochi_media(deck, name, max_bytes=MAX_MEDIA_BYTES)
    for folder in MEDIA_FOLDERS:
        base = (deck.parent / folder).resolve()
        candidate = (base / name).resolve()
        if candidate.parent == base and candidate.is_file():
            return candidate
    return None


#: Anki packages: their `media` member names the numbered members (JSON before 2.1.50, a zstd
#: protobuf since; `kg.readers.anki.read_media` reads both).
PACKAGES = frozenset({".apkg", ".colpkg"})
#: A packaged image bigger than this is not served (nor read into memory).
MAX_MEDIA_BYTES = 20 * 1024 * 1024


def _package_media(package: Path, name: str) -> bytes | None:
    from kg.readers.anki import read_media

    return read_media(package, name, max_bytes=MAX_MEDIA_BYTES)
