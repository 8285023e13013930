"""Numbers in terms: the ones that are part of a name or a kind, and Roman numerals.

A short number names with the capitalized noun before it ("Route 53", "Level 2") or numbers a kind
between two common nouns ("type 2 diabetes"), unless it points into a document ("Figure 3") or
counts a unit ("Read 1 MB"). A number written with capitals after it is a name ("1NF", "2PL", "2FA"),
not a number or a size ("16GB"); so is a capitalized number word opening a title-case name ("Five
Good Emperors"), and a word of letters with a capital inside that the tagger reads as a number
("ClusterIP"). "I" after the noun it numbers is the Roman numeral ("World War I"), not the pronoun;
a Roman numeral alone ("ii", "vii") names nothing.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from kg.nlp.normalize import singular
from kg.nlp.stoplists import REFERENCE_NOUNS, UNITS

_NOUNISH = frozenset({"NOUN", "PROPN"})


def numbers_a_name(doc: Doc, i: int) -> bool:
    """A short number that names with the capitalized noun before it ("Level 2", "Base 62"),
    unless that noun points into a document ("Figure 3", "Step 2")."""
    tok, prev = doc[i], doc[i - 1] if i > 0 else None
    if _numbers_a_kind(doc, i):
        return True
    return (
        prev is not None
        and tok.text.isdigit()
        and len(tok.text) <= 4
        and prev.pos_ in _NOUNISH
        and prev.text[:1].isupper()
        and prev.text.isalpha()
        and bool(prev.whitespace_)
        and singular(prev.lower_) not in REFERENCE_NOUNS
        and prev.lower_ not in STOP_WORDS
        # The number is the name's tail ("Route 53", "Route 53 records", "Route 53."), unless it
        # counts a unit or is glued to one: not "Read 1 MB", "86M params", "Queen 16 days".
        and (i + 1 == len(doc) or not tok.whitespace_ and doc[i + 1].is_punct
             or bool(tok.whitespace_) and doc[i + 1].lower_ not in UNITS
             and singular(doc[i + 1].lower_) not in TIME_UNITS)
    )


# Spans of time a number counts ("16 days", "2 years"): no unit symbols, so not in UNITS, whose
# words name nothing anywhere; after a number they still count, not name.
TIME_UNITS = frozenset("second minute hour day week month year decade century".split())


# "1NF", "3NF", "2PL", "2FA": a number and two to four capitals glued, read as a number by the tagger.
_DIGIT_LED_NAME = re.compile(r"^\d{1,2}([A-Z]{2,4})s?$")
_CLOCK_AND_ERA = frozenset({"am", "pm", "ad", "bc", "ce", "bce"})


def digit_led_name(text: str) -> bool:
    """A number glued to the capitals of a name: "1NF", "2PL", "2FA"; not a size ("16GB", "5MB")
    or a time ("5PM")."""
    m = _DIGIT_LED_NAME.match(text)
    return bool(m) and m.group(1).lower() not in UNITS and m.group(1).lower() not in _CLOCK_AND_ERA


_NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty "
                          "hundred thousand".split())


def name_read_as_number(text: str) -> bool:
    """A capitalized word of letters with a capital after its first letter, which the tagger read as
    a number: a name, "ClusterIP" opening a numbered list item ("1. ClusterIP — internal only"),
    "MongoDB architecture"; not a Roman numeral ("II", "XIV"), a number word ("One") or a formula's
    symbol ("dN/dt")."""
    return text.isalpha() and len(text) > 2 and text[0].isupper() and any(c.isupper() for c in text[1:]) \
        and not ROMAN_NUMERAL.match(text.lower()) and text.lower() not in _NUMBER_WORDS


def number_word_opens_name(doc: Doc, i: int) -> bool:
    """A capitalized number word opening a name written in title case: "Five Good Emperors", "The
    Four Noble Truths", "Five Pillars of Islam" (not inside a longer title: "Train One Network")."""
    tok = doc[i]
    if tok.lower_ not in _NUMBER_WORDS or not tok.text.istitle() or not tok.whitespace_ or i + 1 >= len(doc):
        return False
    nxt, before = doc[i + 1], doc[i - 1] if i > 0 else None
    return nxt.is_alpha and nxt.text.istitle() and nxt.tag_ in ("NNP", "NNPS") \
        and (before is None or not before.text.istitle() or before.lower_ == "the")


def _numbers_a_kind(doc: Doc, i: int) -> bool:
    """A one- or two-digit number between a common noun and the noun it numbers a kind of: "type 2
    diabetes", "phase 3 trials", "layer 7 load balancing" (not "step 2 results", "has 2 children",
    "Read 1 MB", "worker 21 days")."""
    tok = doc[i]
    if i == 0 or i + 1 >= len(doc) or not tok.text.isdigit() or len(tok.text) > 2:
        return False
    prev, nxt = doc[i - 1], doc[i + 1]
    return (prev.tag_ == "NN" and prev.is_alpha and prev.text.islower() and prev.whitespace_ == " "
            and prev.lower_ not in STOP_WORDS and singular(prev.lower_) not in REFERENCE_NOUNS
            and tok.whitespace_ == " " and nxt.tag_ in ("NN", "NNS") and nxt.is_alpha and nxt.text.islower()
            and nxt.lower_ not in UNITS and singular(nxt.lower_) not in UNITS | TIME_UNITS)


def roman_one(doc: Doc, i: int) -> bool:
    """"I" as the Roman numeral one, which the tagger reads as the pronoun: right after the noun it
    numbers ("type I error", "World War I.", "Elizabeth I of England", "phase I trials"), when no
    verb follows, or after two capitalized nouns ("When did World War I end?"); not the "I" of
    "After the war I moved" or "In Paris I ate"."""
    tok, prev = doc[i], doc[i - 1] if i > 0 else None
    if tok.text != "I" or prev is None or prev.pos_ not in _NOUNISH or not prev.is_alpha \
            or prev.whitespace_ != " " or prev.lower_ in STOP_WORDS:
        return False
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    if nxt is None or nxt.pos_ not in ("VERB", "AUX", "ADV", "PART", "PRON"):
        return True
    before = doc[i - 2] if i > 1 else None
    return prev.text[:1].isupper() and before is not None and before.pos_ in _NOUNISH \
        and before.text[:1].isupper() and before.whitespace_ == " "


# A Roman numeral numbers the noun before it ("angiotensin II", "type II supernova", "factor VII")
# and names nothing alone.
ROMAN_NUMERAL = re.compile(r"^(?=[ivx]{2,}$)x{0,3}(?:ix|iv|v?i{0,3})$")
