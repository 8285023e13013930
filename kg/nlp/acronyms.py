"""Acronyms defined in the text, after Schwartz & Hearst (2003).

"Continuous Integration (CI)" and "XRAI (Explanation with Ranked Area Integrals)" both define an
acronym: the letters of the short form appear, in order, in the long form, the first one starting
its first word. The long form becomes the concept; the short form is an alias of it.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

MAX_PAREN_TOKENS = 12
_WORD = re.compile(r"[^\W_]+")
_LITTLE_WORDS = frozenset("of and for the in on to with a an by from at or".split())
SHORT_MIN, SHORT_MAX = 2, 10

Definition = tuple[str, str, int, int, int, int]  # short text, long text, short span, long span


def is_short_form(text: str) -> bool:
    """Looks like an acronym: short, one word, at least two capitals ("CI", "MoE", "NeRF")."""
    return (
        SHORT_MIN <= len(text) <= SHORT_MAX
        and " " not in text
        and text[0].isalnum()
        and text[-1].isalnum()
        and all(c.isalnum() or c in "-/&+" for c in text)
        and any(c.isalpha() for c in text)
        and sum(c.isupper() for c in text) >= 2
    )


def initials_long_form(short: str, long: str) -> int | None:
    """Char offset in `long` where the nearest run of words spelling `short` starts, or None.

    Every word of the long form starts with the next letter of the short form; a word may give
    more letters from inside it ("DataBase" in RDBMS, "ViT" from "Vision Transformer"), and little
    words ("of", "and") may give none. This finds "Proximal Policy Optimization" for PPO where the
    letter-by-letter search of Schwartz & Hearst stops at "Policy oPtimization".

    >>> text = "the Proximal Policy Optimization"
    >>> text[initials_long_form("PPO", text):]
    'Proximal Policy Optimization'
    """
    letters = [c.lower() for c in short if c.isalnum()]
    words = [(m.start(), m.group().lower()) for m in _WORD.finditer(long)]
    for first in range(len(words) - 1, -1, -1):
        if _spells(letters, [w for _, w in words[first:]]):
            return words[first][0]
    return None


def _spells(letters: list[str], words: list[str]) -> bool:
    """Whether `words`, in order and all of them, spell `letters` (see initials_long_form)."""
    if not words:
        return not letters
    word, rest = words[0], words[1:]
    if word in _LITTLE_WORDS and _spells(letters, rest):
        return True
    if not letters or word[0] != letters[0]:
        return False
    # The word gives its initial and then possibly more letters found, in order, inside it.
    taken, pos = 1, 1
    options = [1]
    while taken < len(letters):
        pos = word.find(letters[taken], pos)
        if pos < 0:
            break
        taken, pos = taken + 1, pos + 1
        options.append(taken)
    return any(_spells(letters[n:], rest) for n in reversed(options))


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


def _spelled_plausibly(short: str, long: str) -> bool:
    """Whether Schwartz-Hearst's letters for `short` in `long` read as a definition: every
    capital of `short` from the start of a word (or a hump of a camel-cased word, "JavaScript"),
    or every word of `long` giving a letter ("TensorFlow Extended (TFX)": its X stands inside).

    The letter-by-letter search takes letters from anywhere: "a pretrained decoder-only LLM
    (PaLM)" spelled PaLM from "pretrained", "LLM" and the M inside it, skipping "decoder-only",
    though the parenthesis names the model described, not its expansion.
    """
    def starts_word(i: int) -> bool:
        return i == 0 or not long[i - 1].isalnum() or (long[i].isupper() and long[i - 1].islower())

    def search(capitals_start: bool) -> list[int] | None:
        picked, pos = [], len(long) - 1
        for c in reversed(short):
            if not c.isalnum():
                continue
            while pos >= 0 and (long[pos].lower() != c.lower() or (capitals_start and c.isupper() and not starts_word(pos))):
                pos -= 1
            if pos < 0:
                return None
            picked.append(pos)
            pos -= 1
        return picked

    if search(capitals_start=True) is not None:
        return True
    picked = search(capitals_start=False) or []
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", long)
             if m.group().lower() not in _LITTLE_WORDS]
    return all(any(start <= p < end for p in picked) for start, end in words)


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
    offset = None
    if len(window):
        offset = initials_long_form(short, window.text)
        if offset is None:
            offset = best_long_form(short, window.text)
            if offset is not None and not _spelled_plausibly(short, window.text[offset:]):
                offset = None
    if offset is None:
        return []
    long = doc.char_span(window.start_char + offset, window.end_char, alignment_mode="expand")
    if long is None or len(long.text) <= len(short) \
            or len(long.text.split()) < 2 and not camel_humps_spell(short, long.text):
        return []
    if long.text.split()[0] in _LITTLE_WORDS:
        # Letters picked from the words before a conjunction or a preposition spell nothing:
        # "key encrypts and decrypts (AES)" defines no AES (a name opening with one is written
        # capitalized: "The Onion Router (TOR)").
        return []
    return [(short, long.text, inner.start, inner.end, long.start, long.end)]


def camel_humps_spell(short: str, word: str) -> bool:
    """One camel-cased word whose capitals are the short form, letter for letter: the long form
    of "PersistentVolumeClaim (PVC)", "HorizontalPodAutoscaler (HPA)" (a word of one capital or
    of capitals only is none: "Kubernetes (K8s)", "NASA")."""
    capitals = [c for c in word if c.isupper()]
    return word.isalpha() and len(capitals) >= 2 and not word.isupper() \
        and "".join(capitals) == "".join(c for c in short if c.isalnum())


def _long_in_parens(doc: Doc, short_i: int, inner) -> list[Definition]:
    short = doc[short_i].text
    offset = best_long_form(short, inner.text, first_letter_starts_word=False)
    if offset != 0 or len(inner.text.split()) > min(len(short) + 5, 2 * len(short)):
        return []
    return [(short, inner.text, short_i, short_i + 1, inner.start, inner.end)]
