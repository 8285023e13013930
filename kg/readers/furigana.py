"""Anki's furigana: `食[た]べる`, `日本語[にほんご]を 勉強[べんきょう]する`.

Japanese decks write a word's reading in brackets after its kanji; Anki's `{{furigana:…}}`
filter shows it above them and eats the space that marks where the word starts. The card's text is
the word as written (食べる, 勉強する): the reading would split it in two for extraction and
search. The page shows it as `<ruby>`, as Anki does. Only a reading in kana after kanji or kana is
one: `x[i]`, `[1]` and `[sound:…]` are left alone.
"""

from __future__ import annotations

import re

# The base runs back to a space or a tag (Anki's rule), at most MAX_BASE characters (so a long run
# of text before a bracket costs linear time); the reading is kana (or a long-vowel mark).
_CJK = "\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
MAX_BASE = 24
FURIGANA = re.compile(rf" ?([^\s>\[\]<]{{0,{MAX_BASE}}}?[{_CJK}])\[([\u3040-\u30ff\u30fc\u30fb]{{1,{MAX_BASE * 3}}})\]")


def has_furigana(text: str) -> bool:
    return "[" in text and FURIGANA.search(text) is not None


def without_readings(text: str) -> str:
    """The text as written, each reading dropped: "毎日[まいにち]、 食[た]べます" -> "毎日、食べます"."""
    return FURIGANA.sub(r"\1", text) if "[" in text else text


def as_ruby(html: str) -> str:
    """The readings as `<ruby>` over their kanji, for a page (the caller sanitizes the result)."""
    return FURIGANA.sub(r"<ruby>\1<rt>\2</rt></ruby>", html) if "[" in html else html
