"""Find the terms a card names: noun phrases cut down to the words that carry the concept.

A term is a run of adjective/noun "word units" ending in a noun, where a unit is one token or
several glued by hyphens ("training-serving", "GPT-3"). Runs break at anything else (determiners,
possessive 's, numbers, verbs, punctuation, line breaks), then lose grading modifiers at the front
("several", "key") and classifier heads at the end ("practices"). Besides the whole term, a term
also mentions a name inside it that names itself ("Route 53 records" names "route 53", "a vanilla
VLM" names "vlm"; an acronym or one name before a noun, "IP address", "Kuiper belt", is only the
term's first word) and, when it is long, its modifier compound ("data drift monitoring" names "data
drift").

The rules for the parts of a term live beside it: word units and their roles (`kg.nlp.units`),
names inside a term (`kg.nlp.termnames`), adjectives sharing a noun (`kg.nlp.sharedheads`),
gerunds (`kg.nlp.gerunds`), numbers that name (`kg.nlp.numbers`), modifiers that name a kind or
only grade (`kg.nlp.modifiers`), which keys may name a concept (`kg.nlp.keys`) and the words the
tagger misreads (`kg.nlp.misreads`).
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from kg.nlp.keys import acceptable, instructs, lone_adjective
from kg.nlp.lexicon import only_adjective
from kg.nlp.misreads import blocked_tokens
from kg.nlp.modifiers import classifies, graded, names_a_kind
from kg.nlp.names import date_tokens, is_date_key, name_spans
from kg.nlp.normalize import normalize_key, singular
from kg.nlp.numbers import number_word_opens_name
from kg.nlp.sharedheads import shared_heads
from kg.nlp.stoplists import COMPOUND_STOP_NOUNS, GENERIC_MODIFIERS, GENERIC_NOUNS, INSTRUCTION_WORDS, LIGHT_HEADS, UNITS
from kg.nlp.termnames import (
    apposition, initial_opens_name, is_acronym, is_proper, letter_name, name_before_participle, names_itself,
    title_case, whole_names,
)
from kg.nlp.units import (
    MOD, NOUN, STATUTE_SECTION, Span3, capital_stop_word, compound_stop_noun, names_its_noun_capitalized, word_units,
)

MAX_UNITS = 5

# "p-value", "t-test", "k-means", "f-number": a letter glued by a hyphen to a general noun names a
# kind of it (unlike "O-O", "N·m" or "C=O group", which are notation).
_LETTER_KIND = re.compile(r"^[A-Za-z]-[a-z]{3,}s?$")
# "L1", "J2", "M2": a capital and a number of one or two digits name a point, a term, a measure
# (the one letter a key needs no more; a lower-case "e4" is a chess square, "x2" a factor).
_CODE_NAME = re.compile(r"^[A-Z][0-9]{1,2}$")
# "Region B", "Plan B", "haemophilia A": a capital letter after a noun names one of its kinds (not
# the unit "B", bytes, that the letter is in lower case; "I" is the numeral, kg.nlp.numbers).
_LETTERED_NAME = re.compile(r"^[A-Za-z]{3,} [A-HJ-Z]$")


def find_terms(doc: Doc, *, max_units: int = MAX_UNITS) -> list[Span3]:
    """Every term mention in the doc: whole terms first, then the sub-terms they name."""
    found: list[Span3] = []
    subs: list[Span3] = []
    run: list[tuple[int, int, str]] = []
    dates = date_tokens(doc)  # "June 1914" dates a term, it is none
    blocked = blocked_tokens(doc)
    for unit in word_units(doc, blocked | dates) + [(len(doc), len(doc), None)]:
        start, _end, role = unit
        breaks = role is None or (run and (doc[start].is_sent_start or doc[start - 1].whitespace_ == ""))
        section = role is not None and STATUTE_SECTION.fullmatch(doc[start:_end].text)
        if (breaks or section) and run:
            _emit(doc, run, max_units, found, subs)
            run = []
        if section:  # "s.20 OAPA 1861": the section, and the Act
            _emit(doc, [unit], max_units, found, subs)
        elif role is not None:
            run.append(unit)
    return whole_names(found + subs + shared_heads(doc, found, blocked), name_spans(doc, dates | blocked))


def _unit_key(doc: Doc, unit) -> str:
    return normalize_key(doc[unit[0] : unit[1]].text)


def _emit(doc: Doc, run: list, max_units: int, found: list, subs: list) -> None:
    for start, end, _ in run:
        if name_before_participle(doc, start, end):
            _add_sub(doc, [(start, start + 1, NOUN)], subs)  # "Jupyter" of "Jupyter-based"
    while run and run[-1][2] != NOUN:
        run = run[:-1]
    if len(run) > 1 and _symbol_of_noun(doc, run[-1]):
        run = run[:-1]  # "a discount factor δ close to 1": the letter is the factor's symbol
    if run and (_pro_form_after(doc, run[-1][1]) or _pro_form_head(doc, run)):
        return
    if run and run[0][1] - run[0][0] == 1 and capital_stop_word(doc, run[0][0]):
        # "In the US registration is needed", "Fair use (US)": the country, not "us"; it names itself alone
        subs.append((normalize_key(doc[run[0][0]].text), run[0][0], run[0][1]))
        run = run[1:]
    title = title_case(doc, run)
    # ("Exact Value" in a table's header is graded, not named: a generic head of two words)
    keep_first = title and not (len(run) == 2 and singular(_unit_key(doc, run[-1])) in GENERIC_NOUNS)
    while run and (
        ((w := doc[run[0][0] : run[0][1]].text.lower()) in GENERIC_MODIFIERS and not names_a_kind(doc, run)
         and not keep_first and not classifies(doc, run))
        or (w in INSTRUCTION_WORDS and (run[0][1] - run[0][0] > 1 or instructs(doc[run[0][0]])))
        or (w in STOP_WORDS and not title and not number_word_opens_name(doc, run[0][0])  # "the Twelve Tables"
            and not (w in COMPOUND_STOP_NOUNS and compound_stop_noun(doc, run[0][0]))  # "side effects"
            and not names_its_noun_capitalized(doc, run[0][0]))  # "Down syndrome"
        or (w in UNITS and not letter_name(doc, run))  # "10 MB cache" (but "B cells")
        or (run[0][2] == MOD and graded(doc, run))  # "the most abundant"
        or (len(w) == 1 and w.isalpha() and len(run) > 1 and not letter_name(doc, run)  # a variable: "k bytes"
            and not initial_opens_name(doc, run))
        or (len(run) > 1 and re.search(r"[-\u2010\u2011]like$", w) and doc[run[0][0]].text.islower())
        # (a likeness, "harpoon-like nematocysts"; "Toll-like receptors" are named after Toll)
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
    split = apposition(doc, run)
    if split:  # "the first caliph Abu Bakr": the caliph, and Abu Bakr
        _emit(doc, run[:split], max_units, found, subs)
        _emit(doc, run[split:], max_units, found, subs)
        return
    text = doc[run[0][0] : run[-1][1]].text
    key = normalize_key(text)
    if not (acceptable(key) or title and len(run) > 1 and not is_date_key(key) or _LETTER_KIND.match(text)
            or (_CODE_NAME.match(text) and not _in_formula(doc, run[0][0], run[-1][1]))
            or (_LETTERED_NAME.match(text) and not _in_formula(doc, run[0][0], run[-1][1]))
            or STATUTE_SECTION.fullmatch(text)
            or len(run) == 1 and _plural_of_modifier(doc, run[0], key)) \
            or (len(run) == 1 and lone_adjective(doc, run[0][0], key)):
        return
    found.append((key, run[0][0], run[-1][1]))
    if len(run) == 1:
        return
    flags = [is_proper(doc, s, e) or number_word_opens_name(doc, s) for s, e, _ in run]
    if any(flags) and not all(flags) and doc[run[-1][1] - 1].pos_ != "NUM":
        # A name inside a longer term: "CI/CD pipelines" and "end-to-end MLOps workflows" name it too.
        first = flags.index(True)
        last = first
        while last + 1 < len(run) and flags[last + 1]:
            last += 1
        if not any(flags[last + 1 :]) and (last == len(run) - 1 or names_itself(doc, run[first : last + 1])):
            _add_sub(doc, run[first : last + 1], subs)
    proper = sum(flags)
    if len(run) >= 3:
        # "<brand> <ACRONYM> <product>": "Vertex AI Feature Store" names "vertex ai" and "feature store".
        caps = [k for k, (s, e, _) in enumerate(run[:-2]) if is_acronym(doc[s:e].text)]
        if caps:
            _add_sub(doc, run[: caps[0] + 1], subs)
            _add_sub(doc, run[caps[0] + 1 :], subs)
    # "layer 7 load balancing" names "load balancing" too: the words after a number ("Layer 4",
    # "type 2") are a term of their own, and the number's noun with part of them ("layer 7 load") none.
    numbered = [k for k, (s, e, _) in enumerate(run[:-2]) if doc[s:e].text.isdigit()]
    if numbered:
        _add_sub(doc, run[numbered[-1] + 1 :], subs)
    letter_before_head = len(doc[run[-2][0] : run[-2][1]].text) == 1  # "helper T cells" names no "helper T"
    if len(run) >= 3 and run[-2][2] == NOUN and proper == 0 and not letter_before_head and not numbered \
            and _modifier_compound(doc, run):
        _add_sub(doc, run[:-1], subs)


def _symbol_of_noun(doc: Doc, unit) -> bool:
    """A lower-case Greek letter standing alone after a noun: the symbol a card gives the noun ("a
    discount factor δ", "probability β"), not a word of its name (glued, it is: "IFN-γ")."""
    start, end, _ = unit
    text = doc[start:end].text
    return end - start == 1 and len(text) == 1 and "\u03b1" <= text <= "\u03c9" and bool(doc[start - 1].whitespace_)


def _pro_form_after(doc: Doc, end: int) -> bool:
    """The words end before the "one" they describe: "the Pont du Gard is a famous surviving one"
    (the tagger reads "surviving" as a noun); the phrase's head is the pronoun, and it names nothing."""
    return end < len(doc) and doc[end].lower_ == "one" and doc[end - 1].head.i == end and doc[end - 1].whitespace_ == " "


def _plural_of_modifier(doc: Doc, unit, key: str) -> bool:
    """A plural noun whose singular is a grading word: "the primaries", "secondaries", "stellar cores"
    name things (a grader has no plural), unless a function word, a unit or a general noun ("others",
    "seconds", "basics")."""
    start, end, _ = unit
    token = doc[start]
    return end - start == 1 and token.tag_ == "NNS" and token.lower_ != key and key in GENERIC_MODIFIERS \
        and token.lower_ not in STOP_WORDS and key not in STOP_WORDS and key not in UNITS and key not in GENERIC_NOUNS \
        and token.lower_ not in GENERIC_NOUNS


def _in_formula(doc: Doc, start: int, end: int) -> bool:
    """The words stand beside an operator of a formula ("T2 ∝ a3", a square written without its
    superscript)."""
    return any(0 <= i < len(doc) and doc[i].text in _OPERATORS for i in (start - 1, end))


_OPERATORS = frozenset("∝ + − × ÷ · * ^".split())  # ("C1 = atlas", "H0 ≈ 70 km/s/Mpc" define a name)


def _pro_form_head(doc: Doc, run: list) -> bool:
    """The words close on a lower-case "one" / "ones" the tagger read as their noun: "the southern
    ones", "a woody one" stand for a noun said before; the phrase names nothing ("Formula One" is
    a name)."""
    start, end, _ = run[-1]
    return len(run) > 1 and end - start == 1 and doc[start].text in ("one", "ones")


def _modifier_compound(doc: Doc, run: list) -> bool:
    """The words before a term's head are a compound of their own that modifies it ("data drift" in
    "data drift monitoring"), not modifiers of the head one by one ("opening net book value",
    "separate broadcast domain"): the parser hangs every earlier word inside them."""
    start, end = run[0][0], run[-2][1]
    return doc[run[0][1] - 1].dep_ == "compound" or all(start <= doc[i].head.i < end for i in range(start, end - 1))


def _add_sub(doc: Doc, units: list, subs: list) -> None:
    key = normalize_key(doc[units[0][0] : units[-1][1]].text)
    if len(units) == 1 and only_adjective(key):
        return  # "Continuous" of "Continuous training" names nothing alone
    if acceptable(key) and all(key != k or start != units[0][0] for k, start, _ in subs):
        subs.append((key, units[0][0], units[-1][1]))
