"""Anki field HTML turned into clean plain text.

Block elements become line breaks, list items get a `- ` bullet, images, scripts, styles, a
template's buttons and ruby readings are dropped, entities are decoded and whitespace is
normalised. MathJax (`\\(..\\)`, `\\[..\\]`) is left as text; Anki cloze deletions
`{{c1::answer::hint}}` are unwrapped to `answer`, and so is the `[...]` gap of a card Anki
rendered (its `data-cloze`).
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from kg.readers.furigana import without_readings

_BLOCK = frozenset(
    "address article aside blockquote br dd details div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section summary table tbody thead tfoot tr ul".split()
)
# Content no reader of the card reads as its words: code, the controls a card template draws (image
# occlusion's "Toggle Masks" button in Anki's "Cards in Plain Text" export), and a ruby's reading
# (`<ruby>食<rt>た</rt></ruby>べる` is the word 食べる, as for Anki's furigana, kg.readers.furigana).
_DROP_CONTENT = frozenset({"script", "style", "head", "title", "template", "button", "canvas", "rt", "rp"})
_CELL = frozenset({"td", "th"})
# An innermost cloze: its text holds no other cloze's opening, so `{{c1::Paris {{c2::is}} big}}`
# unwraps from the inside out instead of closing c1 at c2's braces.
_CLOZE = re.compile(r"\{\{c\d+::((?:(?!\{\{c\d+::).)*?)(?:::[^{}]*?)?\}\}", re.DOTALL)
_LOOKS_HTML = re.compile(r"<[a-zA-Z!/]|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
# Anki keeps a media file's own name in the field, spaces and all (`<img src="screen shot 1.png">`,
# escaped only to show the card): a quoted value runs to its closing quote.
_IMG_SRC = re.compile(r"""<img\b[^>]*?(?<![\w-])src\s*=\s*(?:"([^"]*)"|'([^']*)'|([^"'\s>]+))""", re.IGNORECASE)
_UNUSUAL_SPACE = re.compile(r"[\t\n\r\f\v\u00a0\u2007\u202f]|  ")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2007\u202f]+")
_BLANKS = re.compile(r"\n{3,}")
# A block boundary: several in a row (</div><div>) make one line break, unlike <br>, which is one each.
_BREAK = "\x00"
_KEPT_SPACE = "\ue010"
_BREAKS = re.compile(r"[ \t]*\x00[\x00 \t]*")


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropping = 0
        self._pre = 0
        self._hidden = 0  # depth inside a rendered cloze's `[...]` span
        self._lists: list[int | None] = []  # open lists, innermost last: next number, or None (bullets)

    def handle_starttag(self, tag, attrs):
        if self._hidden:
            self._hidden += tag == "span"
            return
        if tag == "span" and (hidden := dict(attrs).get("data-cloze")) is not None:
            # A cloze as Anki renders a card ("Cards in Plain Text"): the text it hides behind
            # `[...]` is in `data-cloze`, and the card's words are that text.
            self.parts.append(html_to_text(hidden))
            self._hidden = 1
            return
        if tag == "pre":
            self._pre += 1
        if tag in _DROP_CONTENT:
            self._dropping += 1
        elif tag == "li":
            # A numbered list keeps its numbers: "the second step" means what the card numbered.
            number = self._lists[-1] if self._lists else None
            self.parts.append(_BREAK + (f"{number}. " if number is not None else "- "))
            if number is not None:
                self._lists[-1] = number + 1
        elif tag in ("ol", "ul"):
            start = dict(attrs).get("start") or "1"
            self._lists.append((int(start) if start.strip().isdigit() else 1) if tag == "ol" else None)
            self.parts.append(_BREAK)
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append(_BREAK)
        elif tag in _CELL:
            self.parts.append(" | ")

    def handle_startendtag(self, tag, attrs):
        if self._hidden:
            return
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK:
            self.parts.append(_BREAK)

    def handle_endtag(self, tag):
        if self._hidden:
            self._hidden -= tag == "span"
            return
        if tag == "pre":
            self._pre = max(0, self._pre - 1)
        if tag in ("ol", "ul") and self._lists:
            self._lists.pop()
        if tag in _DROP_CONTENT:
            self._dropping = max(0, self._dropping - 1)
        elif tag in _BLOCK and tag != "br":
            self.parts.append(_BREAK)

    def handle_data(self, data):
        if not self._dropping and not self._hidden:
            data = data.replace(_BREAK, "\ufffd")
            if self._pre:  # code keeps its indentation through the space normalisation
                data = data.replace("\t", "    ").replace(" ", _KEPT_SPACE)
            self.parts.append(data)


def looks_like_html(text: str) -> bool:
    """True when the text holds a tag or an entity, i.e. it needs html_to_text."""
    # Most fields of a big deck are plain: looking for the two characters first is far cheaper.
    return ("<" in text or "&" in text) and bool(_LOOKS_HTML.search(text))


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment; never raises on malformed markup."""
    parser = _TextCollector()
    parser.feed(html)
    parser.close()
    text = normalise_space(_BREAKS.sub("\n", "".join(parser.parts)))
    return text.replace(_KEPT_SPACE, " ")


def normalise_space(text: str) -> str:
    """Collapse runs of spaces inside lines, trim lines, keep at most one blank line in a row."""
    if not _UNUSUAL_SPACE.search(text):
        return text.strip()  # the common case, kept cheap for long decks
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def unwrap_cloze(text: str) -> str:
    """`{{c1::Paris::capital}} is in France` -> `Paris is in France`."""
    if "{{" not in text:
        return text
    previous = None
    while previous != text:  # nested clozes unwrap from the inside out
        previous, text = text, _CLOZE.sub(r"\1", text)
    return text


def has_cloze(text: str) -> bool:
    return "{{" in text and bool(_CLOZE.search(text))


def field_text(raw: str, *, html: bool = True) -> str:
    """Clean text of one Anki field: HTML (when the field has any) to text, clozes unwrapped.

    Images and Anki's `[sound:name]` tags are dropped (they are no words of the card), except in a
    field that holds nothing else: it reads `[image: name]` / `[sound: name]`, so an image-only
    answer or a listening card's question is still there. Furigana readings (`食[た]べる`) are
    dropped from the text (kg.readers.furigana).
    """
    sounds = _SOUND.findall(raw) if "[sound:" in raw else []
    if sounds:
        raw = _SOUND.sub(" ", raw)
    text = html_to_text(raw) if html and looks_like_html(raw) else normalise_space(raw)
    if not text and html:
        sources = [unescape("".join(value)) for value in _IMG_SRC.findall(raw)]
        text = image_placeholder(src for src in sources if src.strip())
    if not text and sounds:
        text = " ".join(f"[sound: {name.strip()}]" for name in sounds)
    return without_readings(unwrap_cloze(text))


_SOUND = re.compile(r"\[sound:([^\]\n]+)\]")
_SOUNDS_ONLY = re.compile(r"^(?:\[sound: [^\]\n]*\]\s*)+$")


def join_answer(parts) -> str:
    """The texts of an answer's fields, a blank line apart. A field that is only sounds
    (`[sound: a.mp3]`, a pronunciation) is left out when another field has text: a reader of the
    text cannot hear it, and its file name is no concept of the card."""
    parts = [part for part in parts if part]
    heard = [part for part in parts if not _SOUNDS_ONLY.match(part)]
    return "\n\n".join(heard or parts)


def image_placeholder(sources) -> str:
    """`[image: a.png] [image: b.png]` for the images of a field that has no text."""
    names = [re.split(r"[/\\]", src.strip().split("?")[0].rstrip("/"))[-1] or "?" for src in sources]
    return " ".join(f"[image: {name}]" for name in names)
