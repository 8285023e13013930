"""Names inside a term: which units are written as names, and what a name in a term names.

A unit is a name when it is tagged proper or cased inside ("MLOps", "CI/CD", "S3"). A name inside
a longer term names itself when it is more than the first word of a fixed compound ("Route 53
records" names "route 53"; "IP address" and "Kuiper belt" name nothing else). A capital letter
before a noun names a kind ("B cells"), a lower-case one is a variable ("k bytes"); a capital
initial may open a person's name ("R Adams Cowley"); a name set beside a common noun is a concept
of its own ("the painter Claude Monet"); a title-case run mid-sentence is a name ("the Great
Depression"). The names `kg.nlp.names` keeps whole ("Treaty of Versailles") replace the terms
that cut them apart.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from kg.nlp.keys import acceptable
from kg.nlp.lexicon import is_lemma, lemmas
from kg.nlp.numbers import numbers_a_name, roman_one
from kg.nlp.units import HYPHENS, NOUN, Span3, title_word


def is_proper(doc: Doc, start: int, end: int) -> bool:
    """A unit written as a name: tagged proper, or cased inside the word ("MLOps", "CI/CD")."""
    text = doc[start:end].text
    if text.isdigit():
        return start > 0 and numbers_a_name(doc, start)  # the number of "Route 53"
    if text == "I":
        return roman_one(doc, start)  # the numeral of "World War I" (the pronoun is no unit)
    return (doc[end - 1].tag_ in ("NNP", "NNPS") or any(c.isupper() for c in text[1:])
            or (text[:1].isupper() and any(c.isdigit() for c in text)))  # "S3", "EC2"


def is_acronym(text: str) -> bool:
    # (an initial is no acronym: "G. E. Moore" names no "E. Moore")
    return len(text) >= 2 and text.isupper() and any(c.isalpha() for c in text) and not _INITIAL.fullmatch(text)


_INITIAL = re.compile(r"[A-Z]\.")


def whole_names(terms: list[Span3], names: list[Span3]) -> list[Span3]:
    """The terms with each name kept whole: "Treaty of Versailles" instead of "treaty" and
    "versailles" inside it."""
    if not names:
        return terms
    # A term that shares a word with a name and is not the name is cut from it ("Vienna redrew").
    kept = [t for t in terms if not any(t[1] < e and s < t[2] and (t[1], t[2]) != (s, e) for _, s, e in names)]
    spans = {(s, e) for _, s, e in kept}
    return [n for n in names if (n[1], n[2]) not in spans and acceptable(n[0])] + kept


def letter_name(doc: Doc, run: list) -> bool:
    """A capital letter naming a kind with the noun after it: "B cells", "T wave", "S phase",
    "X chromosome" (a lower-case letter is a variable: "k bytes")."""
    first = doc[run[0][0] : run[0][1]].text
    before = doc[run[0][0] - 1] if run[0][0] > 0 else None
    # "10 B cache" (a unit), "class A/B/C boundaries" (a series of letters), "N predictions" and
    # "top K results" (N and K count things in every field), "stacks of D layers" (a count after
    # a word that counts or measures)
    counted = before is not None and (before.like_num or before.text in ("/", "-") or before.lower_ in _COUNTING) \
        or first in ("N", "K")
    return first.isupper() and len(run) == 2 and doc[run[1][0]].text.islower() and not counted


_COUNTING = frozenset("of with top first last into over per".split())


def initial_opens_name(doc: Doc, run: list) -> bool:
    """A capital letter, written without its full stop, opening a person's name of two more words
    in title case: "R Adams Cowley", "J Robert Oppenheimer" (not "A Type I error", "I", or a letter
    after a capitalized word: "Vitamin D Deficiency")."""
    first = doc[run[0][0] : run[0][1]].text
    before = doc[run[0][0] - 1] if run[0][0] > 0 else None
    return len(first) == 1 and first.isupper() and first not in ("A", "I") and len(run) >= 3 \
        and (before is None or not before.text[:1].isupper()) \
        and all(run[k][1] - run[k][0] == 1 and doc[run[k][0]].tag_ == "NNP" and title_word(doc[run[k][0]].text)
                for k in range(1, len(run)))


def apposition(doc: Doc, run: list) -> int | None:
    """Where a name written after the common noun it is set beside starts: "caliph Abu Bakr", "his
    charioteer Krishna", "the painter Claude Monet". Both are concepts, the whole is none. Letters,
    acronyms and numbers after a noun are the term's own ("vitamin C", "MHC class I", "Route 53")."""
    if len(run) < 2 or not doc[run[0][0]].text.islower():
        return None
    k = next((j for j, (s, e, _) in enumerate(run) if not doc[s:e].text.islower()), None)
    if k is None or k == 0:
        return None
    # The words before are English common nouns ("der Bahnhof", "de Kooning", "multivariate
    # Gaussian" and "digoxin immune Fab" are single terms).
    if not all(role == NOUN and common_noun(doc[s:e].text) for s, e, role in run[:k]):
        return None
    return k if all(person_or_place(doc, s, e) for s, e, _ in run[k:]) else None


def common_noun(word: str) -> bool:
    word = word.lower()
    return word not in _NAME_PARTICLES and (is_lemma(word, "noun") or bool(lemmas(word, "noun")))


# Lower-case words inside people's names: "de Kooning", "van Gogh", "ibn Sina".
_NAME_PARTICLES = frozenset("de da di du del della der den van von la le al el bin ibn ben".split())


def person_or_place(doc: Doc, start: int, end: int) -> bool:
    """A word of a name as people and places are written: capitalized, three letters at least,
    no capitals or digits inside ("Xa", "IgG", "Fab" name substances; "Gaussian", "Bayesian" are
    adjectives of names)."""
    text = doc[start:end].text
    return (end - start == 1 and len(text) >= 3 and title_word(text) and doc[start].tag_ in ("NNP", "NNPS")
            and not text.lower().endswith(("ian", "ean")))


def names_itself(doc: Doc, units: list) -> bool:
    """A name before a common noun that is a name of its own, not the first word of a fixed
    compound: several words ("Route 53 records", "AWS CloudFormation drift detection"), a
    number ("ImageNet-21k pre-training") or capitals inside a word ("ImageNet training images").
    An acronym or a single name before a noun ("IP address", "SA node", "Kuiper belt",
    "Chandrasekhar limit", "Golgi apparatus") is the first word of the term it makes and names
    nothing of the card alone."""
    if len(units) > 1:
        return True
    text = doc[units[0][0] : units[0][1]].text
    parts = [p for p in re.split(r"[-\u2010\u2011\u2013/]", text) if p]
    return any(c.isdigit() for c in text) or any(
        p[:1].isupper() and any(c.isupper() for c in p[1:]) and not p.isupper() for p in parts)


def title_case(doc: Doc, run: list) -> bool:
    """A run written as a name in title case, mid-sentence: "the Great Depression", "the
    Single Responsibility Principle", "Stalin's Five-Year Plans". Every word is capitalized and
    tagged a name, and the first is not capitalized only because it opens a sentence."""
    if len(run) < 2:
        return False
    first = doc[run[0][0]]
    if first.is_sent_start or first.i == 0 or doc[first.i - 1].is_punct or "\n" in doc[first.i - 1].whitespace_:
        return False
    return all(doc[s].text[:1].isupper() and doc[e - 1].tag_ in ("NNP", "NNPS") for s, e, _ in run)


def name_before_participle(doc: Doc, start: int, end: int) -> bool:
    """A name glued to a participle or adjective by a hyphen ("Jupyter-based", "Kafka-compatible",
    "GPU-accelerated") names a concept of its own."""
    return (end - start == 3 and doc[start + 1].text in HYPHENS and doc[start].tag_ in ("NNP", "NNPS")
            and doc[start].text[:1].isupper() and doc[end - 1].tag_ in ("VBN", "JJ") and doc[end - 1].text.islower())
