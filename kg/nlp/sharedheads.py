"""Two adjectives sharing one noun: "innate and adaptive immunity" names "innate immunity" too.

`kg.nlp.terms` finds the term after the conjunction ("adaptive immunity"); this gives the first
adjective its share of the noun, when both words are adjectives of the same noun and the pair is
not one fixed thing ("black and white photography").
"""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from kg.nlp.keys import acceptable, lone_adjective
from kg.nlp.lexicon import is_lemma
from kg.nlp.normalize import normalize_key
from kg.nlp.stoplists import GENERIC_MODIFIERS, KIND_MODIFIERS
from kg.nlp.units import HYPHENS, NOUNISH, Span3

# A pair that names one thing, not two kinds of its noun ("black and white photography").
_FIXED_PAIRS = frozenset({("black", "white")})


def shared_heads(doc: Doc, found: list[Span3], blocked: set[int]) -> list[Span3]:
    """The first half of a pair of adjectives sharing one noun: "innate and adaptive immunity"
    names "innate immunity" (as the span from "innate" to the noun) beside "adaptive immunity";
    so do "the inductive and capacitive reactances", "qualitative and quantitative research",
    "Nominal vs real GDP". The first word opens its phrase and modifies the same noun ("blood
    pressure and heart rate" shares nothing)."""
    out = []
    for key, s, e in found:
        if e - s < 2 or s < 2 or doc[s - 1].lower_ not in ("and", "or", "vs", "vs.", "versus"):
            continue
        w, first = doc[s - 2], doc[s]
        before = doc[s - 3] if s > 2 else None
        # (the tagger often reads the first of two adjectives as a noun: "innate/NN and adaptive/JJ")
        # Two adjectives only: two nouns joined are most often two things ("latency and size
        # limits", "password and key"), seldom two kinds of the noun after them.
        # A front "Innate vs adaptive immunity" has no sentence to parse: there the lexicon decides.
        versus = doc[s - 1].lower_ != "and" and doc[s - 1].lower_ != "or"
        adjectives = first.pos_ == "ADJ" and (w.pos_ == "ADJ" or (w.pos_ == "NOUN" or versus) and is_lemma(w.lower_, "adj"))
        # (a people's name is no kind: "French and Belgian troops" are two armies)
        if w.i in blocked or not w.is_alpha or not adjectives or not w.whitespace_ \
                or w.text[:1].isupper() and not w.is_sent_start \
                or doc[s + 1 : e].text.lower() in ("one", "ones") \
                or w.lower_ in STOP_WORDS or w.lower_ in GENERIC_MODIFIERS and w.lower_ not in KIND_MODIFIERS \
                or (w.lower_, first.lower_) in _FIXED_PAIRS \
                or before is not None and (before.pos_ in ("ADJ", "NOUN", "PROPN") and "\n" not in before.whitespace_
                                           or not before.whitespace_ and before.text in HYPHENS):
            continue
        # Its noun is the term's, or one after it the term left out ("research methods").
        head = w.head.i
        if not (versus or s <= head < e or head >= e and all(t.pos_ in NOUNISH for t in doc[e : head + 1])
                or first.dep_ == "conj" and first.head.i == w.i):
            continue
        # The term's first word may be glued by hyphens ("non-clustered"): all of it gives way.
        rest = s + 1
        while rest + 1 < e and doc[rest].text in HYPHENS and not doc[rest - 1].whitespace_ and not doc[rest].whitespace_:
            rest += 2
        # A list before the pair shares the noun too: "literary, dramatic, musical and artistic works".
        for item in [w] + _listed_before(doc, w.i, blocked):
            shared = normalize_key(f"{item.text} {doc[rest:e].text}")
            if shared != key and len(shared.split()) <= 3 and acceptable(shared) and not lone_adjective(doc, item.i, shared):
                out.append((shared, item.i, e))
    return out


def _listed_before(doc: Doc, i: int, blocked: set[int]) -> list:
    """The adjectives listed with commas before the one at i ("literary, dramatic, musical and")."""
    items = []
    while i >= 2 and doc[i - 1].text == "," and not doc[i - 2].whitespace_:
        word = doc[i - 2]
        if word.i in blocked or not word.is_alpha or not word.text.islower() or word.lower_ in STOP_WORDS \
                or word.lower_ in GENERIC_MODIFIERS and word.lower_ not in KIND_MODIFIERS \
                or not (word.pos_ == "ADJ" or word.pos_ == "NOUN" and is_lemma(word.lower_, "adj")):
            break
        items.append(word)
        i = word.i
    return items
