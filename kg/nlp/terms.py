"""Find the terms a card names: noun phrases cut down to the words that carry the concept.

A term is a run of adjective/noun "word units" ending in a noun, where a unit is one token or
several glued by hyphens ("training-serving", "GPT-3"). Runs break at anything else (determiners,
possessive 's, numbers, verbs, punctuation, line breaks), then lose grading modifiers at the front
("several", "key") and classifier heads at the end ("practices"). Besides the whole term, a term
also mentions a name inside it that names itself ("Route 53 records" names "route 53", "a vanilla
VLM" names "vlm"; an acronym or one name before a noun, "IP address", "Kuiper belt", is only the
term's first word) and, when it is long, its modifier compound ("data drift monitoring" names "data
drift").

The rules for the parts of a term live beside it: gerunds (`kg.nlp.gerunds`), numbers that name
(`kg.nlp.numbers`), modifiers that name a kind or only grade (`kg.nlp.modifiers`), which keys may
name a concept (`kg.nlp.keys`) and the words the tagger misreads (`kg.nlp.misreads`).
"""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

import re

from kg.nlp.generic import zipf
from kg.nlp.gerunds import gerund_modifier, nominal_gerund, particle_gerund
from kg.nlp.keys import acceptable, instructs
from kg.nlp.lexicon import gerund_verb, is_lemma, lemmas, only_adjective, only_verb, third_person_verb
from kg.nlp.misreads import blocked_tokens
from kg.nlp.modifiers import classifies, graded, names_a_kind, participle_names_kind
from kg.nlp.names import date_tokens, is_date_key, is_formula, name_spans
from kg.nlp.normalize import normalize_key, singular
from kg.nlp.numbers import digit_led_name, number_word_opens_name, numbers_a_name, roman_one
from kg.nlp.stoplists import (
    COMPOUND_STOP_NOUNS, GENERIC_MODIFIERS, GENERIC_NOUNS, INSTRUCTION_WORDS, KIND_MODIFIERS, LIGHT_HEADS, UNITS,
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


def is_wordlike(text: str) -> bool:
    """Letters, and none of the characters of math ($k$, \\(N\\)), markup ([image]) or code (f(x));
    a chemical formula ("Na+/K+", "CO2") is a word."""
    return is_formula(text) or (
        any(c.isalpha() for c in text)
        and _MARKUP_CHARS.isdisjoint(text)
        and not _NOT_A_WORD.search(text)
    )


_LOWER_LETTER_DOT = re.compile(r"[a-z]\.")
# "p-value", "t-test", "k-means", "f-number": a letter glued by a hyphen to a general noun names a
# kind of it (unlike "O-O", "N·m" or "C=O group", which are notation).
_LETTER_KIND = re.compile(r"^[A-Za-z]-[a-z]{3,}s?$")
# "tRNA", "mRNAs", "siRNA", "cDNA", "iOS": an acronym behind a lower-case prefix, a noun whatever the
# small model tags it ("Each tRNA/: carries", "a tRNA/JJ read").
_LOWER_LED_ACRONYM = re.compile(r"[a-z]{1,3}[A-Z]{2,}s?")


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
            and (doc[end + 1].pos_ in _GLUED_MODIFIERS
                 or doc[end + 1].is_alpha and doc[end + 1].text.isupper())  # "ii-V-I": "I" read as a pronoun
        ):
            end += 2
        if end == i + 1 and particle_gerund(doc, i):
            end = i + 2  # "hardening off", "scaling out": one unit, a noun
        blocked_unit = any(j in blocked for j in range(i, end))
        role = None if blocked_unit else _NOUN if end == i + 2 and particle_gerund(doc, i) else _role(doc, i, end)
        if role == _MOD and end == i + 1 and _adjective_heading_subject(doc, i, blocked):
            role = _NOUN
        units.append((i, end, role))
        i = end
    return units


def _adjective_heading_subject(doc: Doc, i: int, blocked: set[int]) -> bool:
    """A word the tagger read as an adjective that heads its subject, right before the verb: "the
    categorical imperative commands unconditionally" (a noun the lexicon knows, after a
    determiner or adjective)."""
    tok = doc[i]
    if tok.pos_ != "ADJ" or not tok.text.islower() or not is_lemma(tok.lower_, "noun") or i == 0 or i + 1 >= len(doc):
        return False
    nxt = doc[i + 1]
    verb = nxt.tag_ in ("VBZ", "VBD", "MD") or (i + 1 in blocked and third_person_verb(nxt.lower_) is not None)
    return verb and doc[i - 1].pos_ in ("DET", "ADJ")


def _role(doc: Doc, start: int, end: int) -> str | None:
    last = doc[end - 1]
    if end - start == 1:
        if number_word_opens_name(doc, start):
            return _MOD
        if numbers_a_name(doc, start) or roman_one(doc, start) or digit_led_name(last.text) \
                or _LOWER_LED_ACRONYM.fullmatch(last.text):
            return _NOUN
        if last.like_url or last.like_email or not is_wordlike(last.text) or _in_markup(doc, start) \
                or _LOWER_LETTER_DOT.fullmatch(last.text):
            return None  # ("k → h. Latin": a letter closing a sentence, no initial)
        if start > 0 and doc[start - 1].tag_ in ("TO", "MD"):
            return None  # "to facilitate", "can track": a verb the tagger took for a noun
        if last.pos_ in _NOUNISH:
            return None if last.lower_ in STOP_WORDS and not _inside_name(doc, start) \
                and not _compound_stop_noun(doc, start) and not _names_its_noun_capitalized(doc, start) else _NOUN
        if nominal_gerund(doc, start):
            return _NOUN
        if last.tag_ == "VBG" and gerund_modifier(doc, start) and (
                start > 0 and not doc[start - 1].is_punct or _names_its_noun(doc, start)):
            # "exploding gradients"; but "Model Decay: Addressing model drift" opens a clause.
            return _MOD
        if last.pos_ == "ADJ" and last.tag_ == "JJ" and last.text.isalpha() and last.text.islower() \
                and len(last.text) > 2 and is_lemma(last.lower_, "noun") \
                and not is_lemma(last.lower_, "adj") and not is_lemma(last.lower_, "verb") \
                and not (start > 0 and doc[start - 1].pos_ == "PROPN"):
            # A word only ever a noun that the small model calls an adjective: "makes albumin/JJ"
            # (after a name it is more often a word quoted from another language: "Latin pater").
            return _NOUN
        if last.pos_ == "ADJ" and last.tag_ not in ("JJR", "JJS"):
            # A word only ever a verb that the tagger calls an adjective, right after a plural
            # subject, is the verb: "These challenges necessitate robust testing frameworks" (but
            # "improves write performance").
            prev = doc[start - 1] if start > 0 else None
            verb = last.text.islower() and only_verb(last.lower_) and prev is not None \
                and (prev.tag_ in ("NNS", "NNPS") or prev.lower_ in ("they", "we", "you", "i")
                     or (prev.lower_.endswith("s") and start >= 2 and doc[start - 2].pos_ == "DET"))
            return None if verb else _MOD
        if last.tag_ == "VBN" and participle_names_kind(doc, start):
            return _MOD
        return _verb_in_a_name(doc, start)
    if not is_wordlike(doc[start:end].text):
        return None
    if last.pos_ in _NOUNISH or last.pos_ == "NUM":
        return _NOUN
    if all(_title_word(t.text) for t in doc[start:end] if t.is_alpha) and (end == len(doc) or doc[end].pos_ not in _NOUNISH):
        return _NOUN  # a name glued from capitalized words, ending its phrase: "Proto-Indo-European"
    if last.pos_ == "VERB" and not doc[start].is_sent_start and zipf(doc[start].lower_) < RARE_ZIPF:
        return _NOUN  # "scikit-learn": a name coined from a rare word, whatever its last part
    return _MOD


def _names_its_noun(doc: Doc, i: int) -> bool:
    """A lower-case gerund after a comma or a colon that the parser hangs on the noun right after
    it, with no object of its own, and that the lexicon knows as a noun too: "scurvy: bleeding
    gums, poor wound healing", ", flying buttresses", "and clotting factors". Not a list item's or
    line's opening verb ("Addressing model drift:", "Joining data is slow", "- Validating models")."""
    tok = doc[i]
    head = tok.head
    return tok.text.islower() and head.i == i + 1 and head.pos_ in _NOUNISH \
        and not any(c.dep_ == "dobj" for c in tok.children) and gerund_verb(tok.lower_) is None


def _verb_in_a_name(doc: Doc, i: int) -> str | None:
    """A title-case word the tagger reads as a verb inside a run of title-case words, away from
    the start of its sentence or line, is a word of a name: its modifier before a title-case noun
    ("How does Batch Normalization work?", "Token Merging"), its head after one ("Gradient
    Boosting")."""
    tok = doc[i]
    if tok.pos_ != "VERB" or not tok.text.istitle() or not tok.is_alpha or i == 0 or tok.is_sent_start:
        return None
    before, after = doc[i - 1], doc[i + 1] if i + 1 < len(doc) else None
    if "\n" in before.text or "\n" in before.whitespace_ or before.is_punct or before.tag_ == "LS":
        return None  # a line or list item may open with a verb ("1) Track Lineage")

    def titled_noun(t) -> bool:
        return t.pos_ in _NOUNISH and t.is_alpha and t.text[:1].isupper()

    if after is not None and tok.whitespace_ and titled_noun(after):
        return _MOD
    if titled_noun(before) and before.whitespace_ and not before.is_sent_start:
        return _NOUN
    return None


# A word rarer than this in general English ("scikit") is a coinage, not a word of the sentence.
RARE_ZIPF = 2.0


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


def _names_its_noun_capitalized(doc: Doc, i: int) -> bool:
    """A capitalized stop word mid-sentence, tagged a name, that the parser hangs on the lower-case
    noun right after it: a name's first word ("e.g. Down syndrome", named after Langdon Down)."""
    tok = doc[i]
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    before = doc[i - 1] if i > 0 else None
    return (nxt is not None and before is not None and tok.tag_ == "NNP" and tok.text.istitle()
            and tok.dep_ == "compound" and tok.head.i == i + 1 and nxt.pos_ == "NOUN" and nxt.text.islower()
            and not tok.is_sent_start and not before.is_punct and "\n" not in before.text + before.whitespace_)


def _compound_stop_noun(doc: Doc, i: int) -> bool:
    """A stop-list noun right before the noun it names a kind of ("side effects", "call stack")."""
    tok = doc[i]
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    return (tok.lower_ in COMPOUND_STOP_NOUNS and tok.tag_ in ("NN", "NNP") and nxt is not None
            and bool(tok.whitespace_) and nxt.pos_ in _NOUNISH and nxt.is_alpha)


def is_proper(doc: Doc, start: int, end: int) -> bool:
    """A unit written as a name: tagged proper, or cased inside the word ("MLOps", "CI/CD")."""
    text = doc[start:end].text
    if text.isdigit():
        return start > 0 and numbers_a_name(doc, start)  # the number of "Route 53"
    if text == "I":
        return roman_one(doc, start)  # the numeral of "World War I" (the pronoun is no unit)
    return (doc[end - 1].tag_ in ("NNP", "NNPS") or any(c.isupper() for c in text[1:])
            or (text[:1].isupper() and any(c.isdigit() for c in text)))  # "S3", "EC2"


def _is_acronym(text: str) -> bool:
    # (an initial is no acronym: "G. E. Moore" names no "E. Moore")
    return len(text) >= 2 and text.isupper() and any(c.isalpha() for c in text) and not _INITIAL.fullmatch(text)


_INITIAL = re.compile(r"[A-Z]\.")


def find_terms(doc: Doc, *, max_units: int = MAX_UNITS) -> list[Span3]:
    """Every term mention in the doc: whole terms first, then the sub-terms they name."""
    found: list[Span3] = []
    subs: list[Span3] = []
    run: list[tuple[int, int, str]] = []
    dates = date_tokens(doc)  # "June 1914" dates a term, it is none
    blocked = blocked_tokens(doc)
    for unit in _units(doc, blocked | dates) + [(len(doc), len(doc), None)]:
        start, _end, role = unit
        breaks = role is None or (run and (doc[start].is_sent_start or doc[start - 1].whitespace_ == ""))
        if breaks and run:
            _emit(doc, run, max_units, found, subs)
            run = []
        if role is not None:
            run.append(unit)
    return _whole_names(found + subs + _shared_heads(doc, found, blocked), name_spans(doc, dates | blocked))


# A pair that names one thing, not two kinds of its noun ("black and white photography").
_FIXED_PAIRS = frozenset({("black", "white")})


def _shared_heads(doc: Doc, found: list[Span3], blocked: set[int]) -> list[Span3]:
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
        if not (versus or s <= head < e or head >= e and all(t.pos_ in _NOUNISH for t in doc[e : head + 1])
                or first.dep_ == "conj" and first.head.i == w.i):
            continue
        # The term's first word may be glued by hyphens ("non-clustered"): all of it gives way.
        rest = s + 1
        while rest + 1 < e and doc[rest].text in HYPHENS and not doc[rest - 1].whitespace_ and not doc[rest].whitespace_:
            rest += 2
        shared = normalize_key(f"{w.text} {doc[rest:e].text}")
        if shared != key and len(shared.split()) <= 3 and acceptable(shared) and not _lone_adjective(doc, w.i, shared):
            out.append((shared, w.i, e))
    return out


def _whole_names(terms: list[Span3], names: list[Span3]) -> list[Span3]:
    """The terms with each name kept whole: "Treaty of Versailles" instead of "treaty" and
    "versailles" inside it."""
    if not names:
        return terms
    # A term that shares a word with a name and is not the name is cut from it ("Vienna redrew").
    kept = [t for t in terms if not any(t[1] < e and s < t[2] and (t[1], t[2]) != (s, e) for _, s, e in names)]
    spans = {(s, e) for _, s, e in kept}
    return [n for n in names if (n[1], n[2]) not in spans and acceptable(n[0])] + kept


def _unit_key(doc: Doc, unit) -> str:
    return normalize_key(doc[unit[0] : unit[1]].text)


def _emit(doc: Doc, run: list, max_units: int, found: list, subs: list) -> None:
    for start, end, _ in run:
        if _name_before_participle(doc, start, end):
            _add_sub(doc, [(start, start + 1, _NOUN)], subs)  # "Jupyter" of "Jupyter-based"
    while run and run[-1][2] != _NOUN:
        run = run[:-1]
    if run and _pro_form_after(doc, run[-1][1]):
        return
    title = _title_case(doc, run)
    # ("Exact Value" in a table's header is graded, not named: a generic head of two words)
    keep_first = title and not (len(run) == 2 and singular(_unit_key(doc, run[-1])) in GENERIC_NOUNS)
    while run and (
        ((w := doc[run[0][0] : run[0][1]].text.lower()) in GENERIC_MODIFIERS and not names_a_kind(doc, run)
         and not keep_first and not classifies(doc, run))
        or (w in INSTRUCTION_WORDS and (run[0][1] - run[0][0] > 1 or instructs(doc[run[0][0]])))
        or (w in STOP_WORDS and not title and not number_word_opens_name(doc, run[0][0])  # "the Twelve Tables"
            and not (w in COMPOUND_STOP_NOUNS and _compound_stop_noun(doc, run[0][0]))  # "side effects"
            and not _names_its_noun_capitalized(doc, run[0][0]))  # "Down syndrome"
        or (w in UNITS and not _letter_name(doc, run))  # "10 MB cache" (but "B cells")
        or (run[0][2] == _MOD and graded(doc, run))  # "the most abundant"
        or (len(w) == 1 and w.isalpha() and len(run) > 1 and not _letter_name(doc, run)  # a variable: "k bytes"
            and not _initial_opens_name(doc, run))
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
    split = _apposition(doc, run)
    if split:  # "the first caliph Abu Bakr": the caliph, and Abu Bakr
        _emit(doc, run[:split], max_units, found, subs)
        _emit(doc, run[split:], max_units, found, subs)
        return
    text = doc[run[0][0] : run[-1][1]].text
    key = normalize_key(text)
    if not (acceptable(key) or title and len(run) > 1 and not is_date_key(key) or _LETTER_KIND.match(text)) \
            or (len(run) == 1 and _lone_adjective(doc, run[0][0], key)):
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
        if not any(flags[last + 1 :]) and (last == len(run) - 1 or _names_itself(doc, run[first : last + 1])):
            _add_sub(doc, run[first : last + 1], subs)
    proper = sum(flags)
    if len(run) >= 3:
        # "<brand> <ACRONYM> <product>": "Vertex AI Feature Store" names "vertex ai" and "feature store".
        caps = [k for k, (s, e, _) in enumerate(run[:-2]) if _is_acronym(doc[s:e].text)]
        if caps:
            _add_sub(doc, run[: caps[0] + 1], subs)
            _add_sub(doc, run[caps[0] + 1 :], subs)
    # "layer 7 load balancing" names "load balancing" too: the words after a number ("Layer 4",
    # "type 2") are a term of their own, and the number's noun with part of them ("layer 7 load") none.
    numbered = [k for k, (s, e, _) in enumerate(run[:-2]) if doc[s:e].text.isdigit()]
    if numbered:
        _add_sub(doc, run[numbered[-1] + 1 :], subs)
    letter_before_head = len(doc[run[-2][0] : run[-2][1]].text) == 1  # "helper T cells" names no "helper T"
    if len(run) >= 3 and run[-2][2] == _NOUN and proper == 0 and not letter_before_head and not numbered \
            and _modifier_compound(doc, run):
        _add_sub(doc, run[:-1], subs)


def _pro_form_after(doc: Doc, end: int) -> bool:
    """The words end before the "one" they describe: "the Pont du Gard is a famous surviving one"
    (the tagger reads "surviving" as a noun); the phrase's head is the pronoun, and it names nothing."""
    return end < len(doc) and doc[end].lower_ == "one" and doc[end - 1].head.i == end and doc[end - 1].whitespace_ == " "


def _letter_name(doc: Doc, run: list) -> bool:
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


def _initial_opens_name(doc: Doc, run: list) -> bool:
    """A capital letter, written without its full stop, opening a person's name of two more words
    in title case: "R Adams Cowley", "J Robert Oppenheimer" (not "A Type I error", "I", or a letter
    after a capitalized word: "Vitamin D Deficiency")."""
    first = doc[run[0][0] : run[0][1]].text
    before = doc[run[0][0] - 1] if run[0][0] > 0 else None
    return len(first) == 1 and first.isupper() and first not in ("A", "I") and len(run) >= 3 \
        and (before is None or not before.text[:1].isupper()) \
        and all(run[k][1] - run[k][0] == 1 and doc[run[k][0]].tag_ == "NNP" and _title_word(doc[run[k][0]].text)
                for k in range(1, len(run)))


def _title_word(text: str) -> bool:
    return text[:1].isupper() and any(c.islower() for c in text[1:]) and not any(c.isupper() for c in text[1:]) \
        and not any(c.isdigit() for c in text)


def _apposition(doc: Doc, run: list) -> int | None:
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
    if not all(role == _NOUN and common_noun(doc[s:e].text) for s, e, role in run[:k]):
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
    return (end - start == 1 and len(text) >= 3 and _title_word(text) and doc[start].tag_ in ("NNP", "NNPS")
            and not text.lower().endswith(("ian", "ean")))


def _names_itself(doc: Doc, units: list) -> bool:
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


def _modifier_compound(doc: Doc, run: list) -> bool:
    """The words before a term's head are a compound of their own that modifies it ("data drift" in
    "data drift monitoring"), not modifiers of the head one by one ("opening net book value",
    "separate broadcast domain"): the parser hangs every earlier word inside them."""
    start, end = run[0][0], run[-2][1]
    return doc[run[0][1] - 1].dep_ == "compound" or all(start <= doc[i].head.i < end for i in range(start, end - 1))


def _title_case(doc: Doc, run: list) -> bool:
    """A run written as a name in title case, mid-sentence: "the Great Depression", "the
    Single Responsibility Principle", "Stalin's Five-Year Plans". Every word is capitalized and
    tagged a name, and the first is not capitalized only because it opens a sentence."""
    if len(run) < 2:
        return False
    first = doc[run[0][0]]
    if first.is_sent_start or first.i == 0 or doc[first.i - 1].is_punct or "\n" in doc[first.i - 1].whitespace_:
        return False
    return all(doc[s].text[:1].isupper() and doc[e - 1].tag_ in ("NNP", "NNPS") for s, e, _ in run)


def _name_before_participle(doc: Doc, start: int, end: int) -> bool:
    """A name glued to a participle or adjective by a hyphen ("Jupyter-based", "Kafka-compatible",
    "GPU-accelerated") names a concept of its own."""
    return (end - start == 3 and doc[start + 1].text in HYPHENS and doc[start].tag_ in ("NNP", "NNPS")
            and doc[start].text[:1].isupper() and doc[end - 1].tag_ in ("VBN", "JJ") and doc[end - 1].text.islower())


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
