"""Find the terms a card names: noun phrases cut down to the words that carry the concept.

A term is a run of adjective/noun "word units" ending in a noun, where a unit is one token or
several glued by hyphens ("training-serving", "GPT-3"). Runs break at anything else (determiners,
possessive 's, numbers, verbs, punctuation, line breaks), then lose grading modifiers at the front
("several", "key") and classifier heads at the end ("practices"). Besides the whole term, a term
also mentions its leading proper name or acronym ("CI/CD pipelines" names "ci/cd") and, when it is
long, its modifier compound ("data drift monitoring" names "data drift").
"""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

import re

from kg.nlp.lexicon import only_adjective
from kg.nlp.misreads import blocked_tokens
from kg.nlp.normalize import normalize_key, singular
from kg.nlp.stoplists import (
    GENERIC_MODIFIERS, GENERIC_NOUNS, INSTRUCTION_WORDS, LIGHT_HEADS, REFERENCE_NOUNS, UNITS,
)

MAX_UNITS = 5
HYPHENS = frozenset({"-", "\u2010", "\u2011", "\u2013"})
_NOUNISH = frozenset({"NOUN", "PROPN"})
_GLUED_MODIFIERS = frozenset({"VERB", "ADJ", "ADV", "ADP", "DET", "NUM", "NOUN", "PROPN", "CCONJ", "PART"})
_NOUN, _MOD = "N", "A"

Span3 = tuple[str, int, int]  # (concept key, first token, token after the last)


_MARKUP_CHARS = frozenset("$\\^_{}=[]<>|@#*~`()")
# "10x", "80x", "longer.1", "users+": measurements, footnote marks and code, not words.
_NOT_A_WORD = re.compile(r"^\d+(?:\.\d+)?x$|\.\d|[a-z]\+")


def _is_wordlike(text: str) -> bool:
    """Letters, and none of the characters of math ($k$, \\(N\\)), markup ([image]) or code (f(x))."""
    return (
        any(c.isalpha() for c in text)
        and _MARKUP_CHARS.isdisjoint(text)
        and not _NOT_A_WORD.search(text)
    )


def _in_markup(doc: Doc, i: int) -> bool:
    """Inside a placeholder such as "[image]" or "$n$": glued to a bracket or dollar sign."""
    before = doc[i - 1] if i > 0 else None
    return before is not None and not before.whitespace_ and before.text[-1:] in "[$\\"


def _units(doc: Doc, blocked: set[int]) -> list[tuple[int, int, str | None]]:
    """Split the doc into word units (start, end, role); role None means "breaks a term"."""
    units = []
    n = len(doc)
    i = 0
    while i < n:
        end = i + 1
        # Glue "training-serving", "GPT-3", "state-of-the-art": hyphens with no space around them.
        while (
            end + 1 < n
            and doc[end].text in HYPHENS
            and not doc[end - 1].whitespace_
            and not doc[end].whitespace_
            and doc[end + 1].pos_ in _GLUED_MODIFIERS
        ):
            end += 2
        blocked_unit = any(j in blocked for j in range(i, end))
        units.append((i, end, None if blocked_unit else _role(doc, i, end)))
        i = end
    return units


def _role(doc: Doc, start: int, end: int) -> str | None:
    last = doc[end - 1]
    if end - start == 1:
        if _numbers_a_name(doc, start):
            return _NOUN
        if last.like_url or last.like_email or not _is_wordlike(last.text) or _in_markup(doc, start):
            return None
        if start > 0 and doc[start - 1].tag_ in ("TO", "MD"):
            return None  # "to facilitate", "can track": a verb the tagger took for a noun
        if last.pos_ in _NOUNISH:
            return None if last.lower_ in STOP_WORDS and not _inside_name(doc, start) else _NOUN
        if last.tag_ == "VBG" and last.dep_ == "amod" and start > 0 and not doc[start - 1].is_punct:
            # "exploding gradients"; but "Model Decay: Addressing model drift" opens a clause.
            return _MOD
        if last.pos_ == "ADJ" and last.tag_ not in ("JJR", "JJS"):
            return _MOD
        return None
    if not _is_wordlike(doc[start:end].text):
        return None
    if last.pos_ in _NOUNISH or last.pos_ == "NUM":
        return _NOUN
    return _MOD


def _inside_name(doc: Doc, i: int) -> bool:
    """A capitalized stop word inside a title-case name: "Segment Anything", "Attention Is All"."""
    tok = doc[i]
    return (
        i > 0
        and tok.tag_ in ("NNP", "NNPS")
        and tok.text[:1].isupper()
        and not tok.is_sent_start
        and doc[i - 1].tag_ in ("NNP", "NNPS")
        and doc[i - 1].text[:1].isupper()
        and bool(doc[i - 1].whitespace_)
    )


def _numbers_a_name(doc: Doc, i: int) -> bool:
    """A short number that names with the capitalized noun before it ("Level 2", "Base 62"),
    unless that noun points into a document ("Figure 3", "Step 2")."""
    tok, prev = doc[i], doc[i - 1] if i > 0 else None
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
        # The name ends at the number: not "Read 1 MB", "86M params".
        and (i + 1 == len(doc) or (bool(tok.whitespace_) and doc[i + 1].pos_ not in _NOUNISH))
    )


def _is_generic_word(word: str) -> bool:
    return word in GENERIC_NOUNS or word in STOP_WORDS or word in GENERIC_MODIFIERS or word in UNITS or len(word) < 2


def acceptable(key: str) -> bool:
    """Whether a normalized key names something worth a node (not junk, not a bare generic)."""
    words = key.split()
    if not words or not any(c.isalpha() for c in key):
        return False
    if words[0] in INSTRUCTION_WORDS or any(w in ("e.g", "i.e", "etc") for w in words):
        return False
    if len(words) == 1:
        return not _is_generic_word(words[0]) and sum(c.isalpha() for c in words[0]) >= 2
    if len(words) == 2 and words[1].isdigit():
        return words[0] not in STOP_WORDS and words[0] not in UNITS  # "level 2", set apart by its number
    return not all(_is_generic_word(w) or not any(c.isalpha() for c in w) for w in words)


def _is_proper(doc: Doc, start: int, end: int) -> bool:
    """A unit written as a name: tagged proper, or cased inside the word ("MLOps", "CI/CD")."""
    text = doc[start:end].text
    return doc[end - 1].tag_ in ("NNP", "NNPS") or any(c.isupper() for c in text[1:])


def _is_acronym(text: str) -> bool:
    return len(text) >= 2 and text.isupper() and any(c.isalpha() for c in text)


def find_terms(doc: Doc, *, max_units: int = MAX_UNITS) -> list[Span3]:
    """Every term mention in the doc: whole terms first, then the sub-terms they name."""
    found: list[Span3] = []
    subs: list[Span3] = []
    run: list[tuple[int, int, str]] = []
    for unit in _units(doc, blocked_tokens(doc)) + [(len(doc), len(doc), None)]:
        start, _end, role = unit
        breaks = role is None or (run and (doc[start].is_sent_start or doc[start - 1].whitespace_ == ""))
        if breaks and run:
            _emit(doc, run, max_units, found, subs)
            run = []
        if role is not None:
            run.append(unit)
    return found + subs


def _unit_key(doc: Doc, unit) -> str:
    return normalize_key(doc[unit[0] : unit[1]].text)


def _emit(doc: Doc, run: list, max_units: int, found: list, subs: list) -> None:
    while run and run[-1][2] != _NOUN:
        run = run[:-1]
    while run and (
        (w := doc[run[0][0] : run[0][1]].text.lower()) in GENERIC_MODIFIERS
        or w in INSTRUCTION_WORDS
        or w in STOP_WORDS
        or w in UNITS  # "10 MB cache"
        or (len(w) == 1 and w.isalpha() and len(run) > 1)  # a variable: "D layers", "k bytes"
    ):
        run = run[1:]
    while len(run) > 1 and singular(_unit_key(doc, run[-1])) in LIGHT_HEADS:
        run = run[:-1]
        # What is left must have been a noun modifier ("MLOps" in "MLOps practices"), not an
        # adjective the tagger called a noun ("iterative" in "six iterative stages").
        if doc[run[-1][1] - 1].dep_ != "compound":
            return
    if not run or len(run) > max_units:
        return
    key = normalize_key(doc[run[0][0] : run[-1][1]].text)
    if not acceptable(key) or (len(run) == 1 and _lone_adjective(doc, run[0][0], key)):
        return
    found.append((key, run[0][0], run[-1][1]))
    if len(run) == 1:
        return
    flags = [_is_proper(doc, s, e) for s, e, _ in run]
    if any(flags) and not all(flags) and doc[run[-1][1] - 1].pos_ != "NUM":
        # A name inside a longer term: "CI/CD pipelines" and "end-to-end MLOps workflows" name it too.
        first = flags.index(True)
        last = first
        while last + 1 < len(run) and flags[last + 1]:
            last += 1
        if not any(flags[last + 1 :]):
            _add_sub(doc, run[first : last + 1], subs)
    proper = sum(flags)
    if len(run) >= 3:
        # "<brand> <ACRONYM> <product>": "Vertex AI Feature Store" names "vertex ai" and "feature store".
        caps = [k for k, (s, e, _) in enumerate(run[:-2]) if _is_acronym(doc[s:e].text)]
        if caps:
            _add_sub(doc, run[: caps[0] + 1], subs)
            _add_sub(doc, run[caps[0] + 1 :], subs)
    if len(run) >= 3 and run[-2][2] == _NOUN and proper == 0:
        _add_sub(doc, run[:-1], subs)


def _lone_adjective(doc: Doc, i: int, key: str) -> bool:
    """An adjective alone ("continuous", "relational") is a fragment of a term, never a term;
    one capitalized mid-sentence is a name's ("a Gaussian", "Bayesian")."""
    if not only_adjective(key):
        return False
    tok = doc[i]
    opens = i == 0 or tok.is_sent_start or doc[i - 1].is_punct or "\n" in doc[i - 1].text + doc[i - 1].whitespace_
    return not tok.text[:1].isupper() or opens


def _add_sub(doc: Doc, units: list, subs: list) -> None:
    key = normalize_key(doc[units[0][0] : units[-1][1]].text)
    if len(units) == 1 and only_adjective(key):
        return  # "Continuous" of "Continuous training" names nothing alone
    if acceptable(key) and all(key != k or start != units[0][0] for k, start, _ in subs):
        subs.append((key, units[0][0], units[-1][1]))
