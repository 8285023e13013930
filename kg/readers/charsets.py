"""Which legacy code page a text deck that is not UTF-8 was saved in, when it is not Windows' Latin one.

Excel for Mac's "CSV (Macintosh)" saves in Mac Roman, lines ended by a carriage return alone: such a
file is read in Mac Roman when that puts more accented letters in words ('café', not 'cafŽ').
A spreadsheet saves CSV in the code page of the user's Windows: Shift-JIS (cp932) in Japan, GBK in
China, Big5 in Taiwan, EUC-KR in Korea, cp1251 in Russia, cp1253 in Greece. Read as cp1252, such a file
gives every word as mojibake ('кошка' -> 'êîøêà'). The cp1252 reading stays when it looks like Latin
text (accented letters inside words of ASCII letters). Otherwise the code pages are tried, each
kept only when it decodes the whole file into its own script as people write it: Japanese with kana,
Korean in Hangul, an alphabet (Cyrillic in cp1251 or KOI8-R, Greek, Hebrew, Arabic) in letters
making words its languages have (wordfreq's lists); Chinese (GBK or Big5, or Japanese without
kana), which any double-byte file decodes into, last, in the order charset_normalizer ranks them.
The file's first MiB decides.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

_WORD = re.compile(r"[^\W\d_]{2,}")
_ACCENTED_INSIDE = re.compile(r"(?<=[a-z])[^\W\d_]")
_SAMPLE = 1 << 16  # what charset_normalizer ranks
_HEAD = 1 << 20  # what decides
MIN_SCRIPT_SHARE = 0.9  # of a decoding's non-Latin letters, how many must be its script's
MIN_KANA_SHARE = 0.1  # Japanese running text has kana; a kanji-only list is read as Chinese is
# Alphabets' code pages, and the languages (in wordfreq's word lists) whose words tell a right reading.
_ALPHABETS = (("cp1251", "Cyrillic", ("ru", "uk", "bg")), ("koi8_r", "Cyrillic", ("ru", "uk", "bg")),
              ("cp1253", "Greek", ("el",)), ("cp1255", "Hebrew", ("he",)), ("cp1256", "Arabic", ("ar", "fa", "ur")))
MIN_KNOWN_WORDS = 0.5  # of the words an alphabet's reading gives, how many its languages must know
_MAX_WORDS = 200
_HAN = ("gb18030", "big5", "cp932")
_SCRIPT_OF = {"gb18030": "Chinese", "big5": "Chinese", "cp932": "Japanese"}


def legacy_codec(path: str | Path, latin: str) -> tuple[str, str] | None:
    """(codec, script) of a non-UTF-8 file saved in a non-Latin code page, or None to keep `latin`
    (the cp1252 or latin-1 reading kg falls back to).

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as f:
    ...     _ = f.write("кошка,cat\\nсобака,dog\\n".encode("cp1251"))
    >>> legacy_codec(f.name, "cp1252")
    ('cp1251', 'Cyrillic')
    >>> os.unlink(f.name)
    """
    with open(path, "rb") as f:
        data = f.read(_HEAD + 1)
    if len(data) > _HEAD:  # whole lines only, so no character is cut in two
        data = data[:data.rfind(b"\n", 0, _HEAD) + 1] or data[:_HEAD]
    if b"\r" in data and b"\n" not in data:  # classic Mac line endings: Excel for Mac's "CSV (Macintosh)"
        mac = data.decode("mac_roman")
        if _looks_latin(mac) and _inside_words(mac) > _inside_words(data.decode(latin, errors="replace")):
            return "mac_roman", "Mac Roman, as Excel for Mac's 'CSV (Macintosh)' saves it"
    if _looks_latin(data.decode(latin, errors="replace")):
        return None
    if (text := _decoded(data, "cp932")) and _share(text, "Japanese") >= MIN_SCRIPT_SHARE \
            and _share(text, "kana") >= MIN_KANA_SHARE:
        return "cp932", "Japanese"
    if (text := _decoded(data, "cp949")) and _share(text, "Korean") >= MIN_SCRIPT_SHARE:
        return "cp949", "Korean"
    alphabets = []
    for codec, script, languages in _ALPHABETS:
        text = _decoded(data, codec)
        if text and _share(text, script) >= MIN_SCRIPT_SHARE and _letters(text) >= MIN_SCRIPT_SHARE:
            alphabets.append((_known_words(text, languages), codec, script))
    if alphabets and max(alphabets)[0] >= MIN_KNOWN_WORDS:
        return max(alphabets)[1:]
    for codec in _ranked_han(data):
        if (text := _decoded(data, codec)) and _share(text, _SCRIPT_OF[codec]) >= MIN_SCRIPT_SHARE:
            return codec, _SCRIPT_OF[codec]
    return None


def _decoded(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _looks_latin(text: str) -> bool:
    """Accented letters inside words of ASCII letters ('Café', 'Straße'), no C1 control characters:
    a Latin language read right. Mojibake makes whole words of them ('êîøêà')."""
    if any("\x80" <= c <= "\x9f" for c in text):
        return False
    foreign = [w for w in _WORD.findall(text) if not w.isascii()]
    if not foreign:
        return True
    whole = sum(all(ord(c) > 127 for c in w) for w in foreign)
    return whole < len(foreign) / 2


def _inside_words(text: str) -> int:
    """How many lower-case accented letters follow a lower-case ASCII letter ('crème', 'café'): a
    Latin language read in its own code page has many; the same bytes in another, few ('cafŽ')."""
    return sum(1 for c in _ACCENTED_INSIDE.findall(text) if c.islower() and not c.isascii())


def _share(text: str, script: str) -> float:
    """The share of the text's non-ASCII letters that are `script`'s. Latin ones (a pinyin 'ā', a
    French word in a Russian deck) count neither way, but against Korean: its code page holds 'Æ' and
    'Ħ' where GBK's pinyin falls, and Korean decks write no such letters."""
    letters = [c for c in text if ord(c) > 127 and c.isalpha()
               and (script == "Korean" or not unicodedata.name(c, "").startswith("LATIN"))]
    if not letters:
        return 0.0
    return sum(_in_script(unicodedata.name(c, ""), script) for c in letters) / len(letters)


def _in_script(name: str, script: str) -> bool:
    if script == "kana":
        return ("HIRAGANA" in name or "KATAKANA" in name) and "HALFWIDTH" not in name
    if script == "Japanese":  # half-width katakana alone is how other bytes mis-decode
        return _in_script(name, "kana") or "CJK" in name
    if script == "Chinese":
        return "CJK" in name
    if script == "Korean":
        return "HANGUL" in name
    return name.startswith(script.upper())


def _letters(text: str) -> float:
    """The share of the non-ASCII characters that are letters (or the punctuation an alphabet's
    text uses): a wrong code page gives box drawing and symbols."""
    chars = [c for c in text if ord(c) > 127 and not c.isspace() and unicodedata.category(c)[0] != "P"
             and c != "№"]
    return sum(c.isalpha() for c in chars) / len(chars) if chars else 0.0


def _known_words(text: str, languages) -> float:
    """The share of the text's non-ASCII words that one of `languages` knows (wordfreq): 'кошка'
    read right is Russian; the same bytes in cp1253, 'κξψκΰ', are no Greek."""
    from wordfreq import zipf_frequency

    words = [w for w in _WORD.findall(text) if not any("LATIN" in unicodedata.name(c, "") for c in w)][:_MAX_WORDS]
    if not words:
        return 0.0
    return sum(any(zipf_frequency(w, lang) > 0 for lang in languages) for w in words) / len(words)


def _ranked_han(data: bytes) -> list[str]:
    """GBK, Big5 and Shift-JIS, in the order charset_normalizer ranks them for this file."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:
        return list(_HAN)
    aliases = {"gb18030": "gb18030", "gbk": "gb18030", "gb2312": "gb18030", "big5": "big5",
               "big5hkscs": "big5", "cp932": "cp932", "shift_jis": "cp932"}
    ranked = [aliases[m.encoding] for m in from_bytes(data[:_SAMPLE]) if m.encoding in aliases]
    return list(dict.fromkeys(ranked + list(_HAN)))
