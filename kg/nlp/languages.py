"""Which stretches of a card's text are written in another language than English.

A language deck's answers quote examples ("<i>Quiero que vengas</i>", "Ich fahre zum Bahnhof"),
which the English pipeline reads as English noun phrases ("vengas", "zum Bahnhof"): none of them
is a concept of the card. A word belongs to another language when `wordfreq` (which ships its
word lists for the languages below and needs no network) finds it far more common there than in
English ("quiero": Spanish 5.8, English 2.4), or is written in another script than Latin (Korean,
Greek, Arabic: wordfreq reads Korean only with MeCab); to English when it is common in English and
not more common elsewhere ("the", "want"); names and rare words belong to neither. A stretch of text
between punctuation is foreign when most of its words are.

One foreign term in an English sentence ("the Weimar Republic", "mf (mezzo forte) means moderately
loud") is no quotation: a card counts as quoting another language only when one stretch of it has
QUOTE_WORDS foreign words ("Soy de México", "Da capo al fine") or is a foreign sentence of its own
("Estoy hablando.": a capital, then a full stop). Japanese and Chinese, written without spaces,
are told by length (`is_cjk_sentence`). The English meaning a vocabulary card's answer opens with
is read here too (`meanings`). Nothing here imports spaCy at import time.
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.nlp.generic import OTHER_LANGUAGES, OTHER_WORDLIST, zipf

FOREIGN, ENGLISH, NEITHER = 1, -1, 0
# A word is foreign when another language uses it this much more (in Zipf units, log10: 1.5 is
# about 30 times as often) and commonly there ("de" 7.8 in Spanish against 5.2; "mezzo" 5.4
# against 2.6); "café" (4.8 against 3.8) or "paella" (3.2 against 2.6) are English loanwords.
FOREIGN_MARGIN = 1.5
FOREIGN_ZIPF = 3.5
# An English word: common in English (one in a million words) and no more common elsewhere.
ENGLISH_ZIPF = 3.0
ENGLISH_MARGIN = 0.5
# A card quotes another language when one stretch holds this many foreign words.
QUOTE_WORDS = 3

# Where a stretch ends: sentence and clause punctuation, brackets, quotes, dashes, slashes, lines.
_BREAK = re.compile(r"[.!?¿¡;:,()\[\]{}\"“”„«»‹›—–/|\n\t]|\s-\s|\s=\s|→")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@lru_cache(maxsize=65536)
def word_language(word: str, languages: tuple[str, ...] = OTHER_LANGUAGES) -> int:
    """FOREIGN (to one of `languages`), ENGLISH or NEITHER for one word (any case)."""
    from wordfreq import zipf_frequency

    w = word.lower()
    if len(w) < 2:
        return NEITHER
    if not any("a" <= c <= "z" or "\u00c0" <= c <= "\u024f" for c in w):
        return FOREIGN  # another script (Korean, Greek, Arabic, Hindi…): never an English word
    english = zipf(w)
    other = max(zipf_frequency(w, lang, wordlist=OTHER_WORDLIST) for lang in languages)
    if other >= FOREIGN_ZIPF and other - english >= FOREIGN_MARGIN:
        return FOREIGN
    if english >= ENGLISH_ZIPF and other - english <= ENGLISH_MARGIN:
        return ENGLISH
    return NEITHER


def foreign_stretches(text: str, breaks: tuple[int, ...] = ()) -> list[tuple[int, int, int]]:
    """(start, end, foreign words) of every stretch of `text` written in another language: at
    least two foreign words, and twice as many as English ones; a stretch that is a sentence of
    its own counts as QUOTE_WORDS. `breaks` are further offsets where a stretch ends (the edges
    of an italic example)."""
    cuts = {0, len(text), *(b for b in breaks if 0 < b < len(text))}
    for m in _BREAK.finditer(text):
        cuts.update(m.span())
    cuts = sorted(cuts)
    out = []
    for start, end in zip(cuts, cuts[1:]):
        found = list(_WORD.finditer(text, start, end))
        words = [word_language(m.group()) for m in found]
        for k in _name_words(found):
            words[k] = NEITHER
        foreign, english = words.count(FOREIGN), words.count(ENGLISH)
        if foreign >= 2 and foreign >= 2 * english:
            out.append((start, end, max(foreign, QUOTE_WORDS) if _sentence(text, start, end) else foreign))
    return out


# Lower-case words inside people's names ("Karl von Frisch", "Vincent van Gogh", "Leonardo da Vinci").
_NAME_PARTICLES = frozenset("von van de da di du del der den la le".split())


def _name_words(found: list) -> list[int]:
    """Where a person's name with a particle stands among a stretch's words ("decoded by Karl von
    Frisch"): its words are names, of no language. The first word of the stretch is no name's first
    word ("Soy de México" is a sentence), nor a word after one of another language ("die Tasche der
    Frau": German writes its nouns capitalized)."""
    out = []
    for k in range(2, len(found) - 1):
        first, particle, last = found[k - 1], found[k], found[k + 1]
        if particle.group() in _NAME_PARTICLES and word_language(found[k - 2].group()) != FOREIGN and first.group()[:1].isupper() and last.group()[:1].isupper() \
                and first.end() + 1 == particle.start() and particle.end() + 1 == last.start():
            out += [k - 1, k, k + 1]
    return out


def _sentence(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a sentence of its own: after the end of another, a colon or a
    line break, a capital first (or a letter of a script without case), a full stop (or ! ?)
    after it; not a title in a sentence ("he wrote Mein Kampf.")."""
    inner, before = text[start:end].strip(), text[:start].rstrip(" \t")
    opens = bool(inner) and (inner[0].isupper() or (inner[0].isalpha() and not inner[0].islower()))
    return (opens and text[end:end + 1] in (".", "!", "?")
            and (not before or before[-1] in ".!?:;\n"))


# Japanese and Chinese write no spaces, so the English tokenizer reads a whole example sentence
# ("学校は八時に始まります") as one word. A term or a grammar pattern is short ("食べる", "てもいいですか"):
# a run of that many characters or more is a sentence.
CJK_SENTENCE_CHARS = 9
# Kana, CJK ideographs (and their iteration mark 々), Hangul syllables.
_CJK_LETTERS = "\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_CJK_TEXT = re.compile(f"[{_CJK_LETTERS}、。「」！？ー・～]+")
_CJK_CHAR = re.compile(f"[{_CJK_LETTERS}]")


def has_cjk(text: str) -> bool:
    """Whether a text holds any Japanese, Chinese or Korean character."""
    return _CJK_CHAR.search(text) is not None


def is_cjk(text: str) -> bool:
    """Whether a mention is written in Japanese, Chinese or Korean script only."""
    return _CJK_TEXT.fullmatch(text.replace(" ", "")) is not None


def is_cjk_sentence(text: str, after: str = "") -> bool:
    """Whether a mention is a Japanese, Chinese or Korean sentence rather than a term: long, or
    ended by a full stop of those scripts (`after`, the text that follows it: "我是学生。")."""
    return is_cjk(text) and (len(text) >= CJK_SENTENCE_CHARS or after.lstrip()[:1] in ("。", "！", "？"))


# Pinyin's tone marks (nǐ hǎo, xièxie) and the macrons of romanized Japanese (Tōkyō): on a card in
# Chinese or Japanese, a word written with them is the reading of the characters, not a concept.
_READING_MARKS = frozenset("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙ")


def is_reading(text: str) -> bool:
    """Whether a Latin-script mention carries pinyin tone marks or romaji macrons."""
    return any(c in _READING_MARKS for c in text) and not any(ord(c) > 0x2FF and c not in _READING_MARKS
                                                              for c in text.replace(" ", ""))


def quotes_another_language(stretches: list[tuple[int, int, int]]) -> bool:
    """Whether a card's foreign stretches include a quotation (QUOTE_WORDS foreign words)."""
    return any(n >= QUOTE_WORDS for _, _, n in stretches)


# A vocabulary card: a term of another language on the front ("il biglietto", "食べる", "Piacere!"),
# its English meaning opening the back ("ticket – Un biglietto…", "to eat", "hi / bye"). The
# meaning is what the card teaches as much as the word: "to eat" links 食べる to "essen".
MEANING_WORDS = 4
_INFINITIVE = re.compile(r"to\s+(?:be\s+(?=\S+\s*$))?", re.IGNORECASE)
_NOT_A_MEANING_START = frozenset("with for of by from into onto on at in as".split())
_REMARK = re.compile(r"\([^()\n]{0,40}\)")
_MEANING_END = re.compile(r"\s[-\u2013\u2014]\s|[(\[.!?:\n]")
_ALTERNATIVES = re.compile(r"\s*[/;,]\s*")
_MEANING_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")


def meaning_key(surface: str) -> str:
    """The concept key of a meaning as written ("the (train) station" -> "station")."""
    from kg.nlp.normalize import normalize_key

    return normalize_key(_REMARK.sub(" ", surface))


def is_foreign_front(question: str) -> bool:
    """Whether a card's question is a short term or phrase of another language, not English."""
    words = question.split()
    if not 0 < len(words) <= 5 or "\n" in question.strip():
        return False
    if has_cjk(question):
        return not any(word_language(m.group()) == ENGLISH for m in _WORD.finditer(question))
    kinds = [word_language(m.group()) for m in _WORD.finditer(question)]
    return FOREIGN in kinds and ENGLISH not in kinds


def meanings(answer: str) -> list[tuple[int, int]]:
    """The (start, end) of each English meaning opening a vocabulary card's answer: "hi / bye
    (informal)" -> "hi", "bye"; "to have breakfast – Di solito…" -> "have breakfast" (a verb's "to"
    left out); none when the answer does not open with a short English phrase."""
    from spacy.lang.en.stop_words import STOP_WORDS

    lead = answer.lstrip()
    offset = len(answer) - len(lead)
    # "the (train) station": a remark in brackets is blanked, keeping every offset.
    lead = _REMARK.sub(lambda m: " " * len(m.group()), lead)
    end = _MEANING_END.search(lead)
    head = lead[: end.start()] if end else lead
    out = []
    cursor = 0
    for part in _ALTERNATIVES.split(head):
        at = head.find(part, cursor)
        cursor = at + len(part)
        words = part.split()
        # "to eat" -> "eat", "to be hungry" -> "hungry": a verb's infinitive marker names nothing.
        infinitive = _INFINITIVE.match(part) if len(words) > 1 else None
        if infinitive and infinitive.end() < len(part):
            at += infinitive.end()
            part = part[infinitive.end():]
            words = part.split()
        if words and words[0].lower() in _NOT_A_MEANING_START:
            continue  # "with the plain form": how the word is used, not what it means
        if not 0 < len(words) <= MEANING_WORDS or not all(_MEANING_WORD.fullmatch(w.strip("'’")) for w in words):
            continue
        if all(w.lower() in STOP_WORDS for w in words):
            continue  # "so", "well", "then": a filler's meaning names no concept
        kinds = [word_language(w) for w in words]
        if FOREIGN in kinds or ENGLISH not in kinds:
            continue
        part = part.rstrip()
        out.append((offset + at, offset + at + len(part)))
    return out
