"""Find the terms a card names: noun phrases cut down to the words that carry the concept.

A term is a run of adjective/noun "word units" ending in a noun, where a unit is one token or
several glued by hyphens ("training-serving", "GPT-3"). Runs break at anything else (determiners,
possessive 's, numbers, verbs, punctuation, line breaks), then lose grading modifiers at the front
("several", "key") and classifier heads at the end ("practices"). Besides the whole term, a term
also mentions a name inside it that names itself ("Route 53 records" names "route 53", "a vanilla
VLM" names "vlm"; an acronym or one name before a noun, "IP address", "Kuiper belt", is only the
term's first word) and, when it is long, its modifier compound ("data drift monitoring" names "data
drift").
"""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

import re

from kg.nlp.generic import zipf
from kg.nlp.lexicon import is_lemma, lemmas, only_adjective, only_verb, third_person_verb
from kg.nlp.misreads import blocked_tokens
from kg.nlp.names import date_tokens, is_date_key, is_formula, name_spans, roman_one
from kg.nlp.normalize import normalize_key, singular
from kg.nlp.stoplists import (
    COMPOUND_STOP_NOUNS, GENERIC_MODIFIERS, GENERIC_NOUNS, INSTRUCTION_WORDS, KIND_MODIFIERS, LIGHT_HEADS, REFERENCE_NOUNS, UNITS,
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
        if numbers_a_name(doc, start) or roman_one(doc, start):
            return _NOUN
        if last.like_url or last.like_email or not is_wordlike(last.text) or _in_markup(doc, start) \
                or _LOWER_LETTER_DOT.fullmatch(last.text):
            return None  # ("k → h. Latin": a letter closing a sentence, no initial)
        if start > 0 and doc[start - 1].tag_ in ("TO", "MD"):
            return None  # "to facilitate", "can track": a verb the tagger took for a noun
        if last.pos_ in _NOUNISH:
            return None if last.lower_ in STOP_WORDS and not _inside_name(doc, start) \
                and not _compound_stop_noun(doc, start) else _NOUN
        if _nominal_gerund(doc, start):
            return _NOUN
        if last.tag_ == "VBG" and _gerund_modifier(doc, start) and start > 0 and not doc[start - 1].is_punct:
            # "exploding gradients"; but "Model Decay: Addressing model drift" opens a clause.
            return _MOD
        if last.pos_ == "ADJ" and last.tag_ not in ("JJR", "JJS"):
            # A word only ever a verb that the tagger calls an adjective, right after a plural
            # subject, is the verb: "These challenges necessitate robust testing frameworks" (but
            # "improves write performance").
            prev = doc[start - 1] if start > 0 else None
            verb = last.text.islower() and only_verb(last.lower_) and prev is not None \
                and (prev.tag_ in ("NNS", "NNPS") or prev.lower_ in ("they", "we", "you", "i")
                     or (prev.lower_.endswith("s") and start >= 2 and doc[start - 2].pos_ == "DET"))
            return None if verb else _MOD
        if last.tag_ == "VBN" and _participle_names_kind(doc, start):
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


def _gerund_modifier(doc: Doc, i: int) -> bool:
    """A gerund the parser hangs on the noun right after it, as an adjective ("exploding
    gradients") or as the first part of a compound ("the gating network", "a routing table")."""
    tok = doc[i]
    return tok.dep_ == "amod" or (tok.dep_ == "compound" and tok.head.i == i + 1 and tok.head.pos_ in _NOUNISH)


# A word rarer than this in general English ("scikit") is a coinage, not a word of the sentence.
RARE_ZIPF = 2.0


def _nominal_gerund(doc: Doc, i: int) -> bool:
    """A gerund closing a noun compound at the end of a list item: "model serving", "data
    versioning" in "datasets, pipelines, and model serving." (the tagger reads a verb)."""
    tok = doc[i]
    after = doc[i + 1] if i + 1 < len(doc) else None
    return (
        tok.tag_ == "VBG" and i > 0 and doc[i - 1].pos_ == "NOUN" and bool(doc[i - 1].whitespace_)
        and (after is None or after.is_punct or after.pos_ == "CCONJ")
        and not any(c.dep_ in ("dobj", "prep", "advmod", "aux") for c in tok.children)
    )


_PARTICLES = frozenset("out off up down back in over away".split())
_WH_OPENERS = frozenset("what why how when which".split())


def particle_gerund(doc: Doc, i: int) -> bool:
    """A gerund with its particle used as a noun, the name of a technique: "What is hardening
    off?", "Pinching out the tip encourages...", "between scaling out and scaling up", "Rolling
    back a release restores..." (not the progressive "the plant is hardening off")."""
    tok = doc[i]
    if tok.tag_ != "VBG" or i + 1 >= len(doc) or tok.whitespace_ != " ":
        return False
    particle = doc[i + 1]
    if particle.lower_ not in _PARTICLES or not (particle.tag_ == "RP" or particle.tag_ == "RB" and particle.lower_ in ("back", "away")):
        return False
    after = doc[i + 2] if i + 2 < len(doc) else None
    if after is not None and (after.pos_ in _NOUNISH or after.pos_ == "ADJ"):
        return False  # a verb before its object: "fanning out tweets", "applying back pressure"
    prev = doc[i - 1] if i > 0 else None
    sent = tok.sent
    if i == sent.start or prev is not None and (prev.is_punct and prev.text in ":;-\u2013" or "\n" in prev.whitespace_):
        # Opening its sentence, as the subject of a verb after it.
        return any(t.tag_ in ("VBZ", "VBP", "VBD", "MD") for t in doc[i + 2 : sent.end])
    if prev.lemma_ == "be" and i >= 2 and doc[i - 2].lower_ in _WH_OPENERS and doc[i - 2].i == sent.start:
        return True  # "What is hardening off?", "Why is warming up important?"
    if prev.lower_ in ("between", "vs", "vs.", "versus") or prev.pos_ == "CCONJ" and i >= 3 \
            and doc[i - 2].tag_ in ("RP", "RB") and doc[i - 3].tag_ == "VBG":
        return True  # "between scaling out and scaling up"
    return False


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
        # counts a unit or is glued to one: not "Read 1 MB", "86M params".
        and (i + 1 == len(doc) or not tok.whitespace_ and doc[i + 1].is_punct
             or bool(tok.whitespace_) and doc[i + 1].lower_ not in UNITS)
    )


def _numbers_a_kind(doc: Doc, i: int) -> bool:
    """A one- or two-digit number between a common noun and the noun it numbers a kind of: "type 2
    diabetes", "phase 3 trials", "group 1 elements", "stage 4 cancer" (not "step 2 results", "top
    10 results", "Read 1 MB")."""
    tok = doc[i]
    if i == 0 or i + 1 >= len(doc) or not tok.text.isdigit() or len(tok.text) > 2:
        return False
    prev, nxt = doc[i - 1], doc[i + 1]
    return (prev.tag_ == "NN" and prev.is_alpha and prev.text.islower() and prev.whitespace_ == " "
            and prev.lower_ not in STOP_WORDS and singular(prev.lower_) not in REFERENCE_NOUNS
            and tok.whitespace_ == " " and nxt.tag_ in ("NN", "NNS") and nxt.is_alpha and nxt.text.islower()
            and nxt.lower_ not in UNITS and singular(nxt.lower_) not in UNITS)


# A Roman numeral numbers the noun before it ("angiotensin II", "type II supernova", "factor VII")
# and names nothing alone.
_ROMAN = re.compile(r"^(?=[ivx]{2,}$)x{0,3}(?:ix|iv|v?i{0,3})$")


# Instruction words that are as often the first noun of a name ("list comprehension", "name
# server", "state machine"); the others ("explain", "outline", "compare") open instructions.
_NAMING_INSTRUCTIONS = frozenset({"list", "name", "state"})


def noun_word(word: str) -> bool:
    """An instruction word that may lead a name ("list", "state", "name"; not "explain")."""
    return word in _NAMING_INSTRUCTIONS


def instructs(tok) -> bool:
    """A word of a flashcard's instruction ("List the stages", "Outline use cases", "Explain"),
    not a noun of a name ("a list comprehension", "the name server", "List comprehensions are
    fast": a sentence with a verb after the phrase)."""
    word = tok.lower_
    if word not in INSTRUCTION_WORDS:
        return False
    if word not in _NAMING_INSTRUCTIONS or tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
        return True
    doc = tok.doc
    before = doc[tok.i - 1] if tok.i > 0 else None
    opens = before is None or tok.is_sent_start or before.is_punct or "\n" in before.whitespace_ \
        or before.tag_ == "LS" or before.like_num
    if not opens:
        return False
    j = tok.i + 1
    while j < len(doc) and doc[j].pos_ in ("NOUN", "PROPN", "ADJ", "NUM") and "\n" not in doc[j - 1].whitespace_:
        j += 1
    return not (j < len(doc) and doc[j].pos_ in ("VERB", "AUX") and doc[j].tag_ not in ("VBG", "VBN"))


def _compound_stop_noun(doc: Doc, i: int) -> bool:
    """A stop-list noun right before the noun it names a kind of ("side effects", "call stack")."""
    tok = doc[i]
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    return (tok.lower_ in COMPOUND_STOP_NOUNS and tok.tag_ in ("NN", "NNP") and nxt is not None
            and bool(tok.whitespace_) and nxt.pos_ in _NOUNISH and nxt.is_alpha)


def _is_generic_word(word: str) -> bool:
    return word in GENERIC_NOUNS or word in STOP_WORDS or word in GENERIC_MODIFIERS or word in UNITS or len(word) < 2


def acceptable(key: str) -> bool:
    """Whether a normalized key names something worth a node (not junk, not a bare generic)."""
    words = key.split()
    if not words or not any(c.isalpha() for c in key) or is_date_key(key):
        return False
    if (words[0] in INSTRUCTION_WORDS and (len(words) == 1 or not noun_word(words[0]))) \
            or any(w in ("e.g", "i.e", "etc") for w in words):
        return False  # (a noun leading a name stays: "list comprehension", "name server", "state machine")
    if len(words) == 1:
        return not _is_generic_word(words[0]) and sum(c.isalpha() for c in words[0]) >= 2 \
            and not _ROMAN.match(words[0])
    if len(words) == 2 and (words[1].isdigit() or words[1] == "i"):
        # "level 2", "stage i": set apart by its number (a key's last "i" is the numeral, kg.nlp.names.roman_one)
        return words[0] not in STOP_WORDS and words[0] not in UNITS
    # A modifier word at the head is a noun there ("primary key", "alternating current", "false
    # positive"): only a general noun, a function word or a unit leaves the head empty.
    head = words[-1]
    if not all((_is_generic_word(w) and w not in COMPOUND_STOP_NOUNS) or not any(c.isalpha() for c in w)
               for w in words[:-1]) or not (_is_generic_word(head) and (head not in GENERIC_MODIFIERS or not is_lemma(head, "noun")
                                                                         or head in GENERIC_NOUNS or head in STOP_WORDS)):
        return True
    # General nouns compounded make a term of their own ("word order", "word class", "control
    # group"), unless a word is a function word, a grader or a unit, or the head is empty ("data thing").
    return len(words) == 2 and all(w in GENERIC_NOUNS and w not in STOP_WORDS and w not in GENERIC_MODIFIERS
                                   and w not in UNITS and not only_adjective(w) for w in words) \
        and words[-1] not in _EMPTY_HEADS


# Heads that name nothing after a general noun: "data thing", "design way", "cost part".
_EMPTY_HEADS = frozenset("thing way lot kind sort part bit couple number amount end fact case example instance "
                         "item aspect area issue matter point stuff reason result info portion section".split())


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
    """The first half of a pair of modifiers sharing one noun: "innate and adaptive immunity"
    names "innate immunity" (as the span from "innate" to the noun) beside "adaptive immunity";
    so do "the inductive and capacitive reactances", "qualitative and quantitative research". The first word
    opens its phrase and modifies the same noun ("blood pressure and heart rate" shares nothing)."""
    out = []
    for key, s, e in found:
        if e - s < 2 or s < 2 or doc[s - 1].lower_ not in ("and", "or"):
            continue
        w, first = doc[s - 2], doc[s]
        before = doc[s - 3] if s > 2 else None
        # (the tagger often reads the first of two adjectives as a noun: "innate/NN and adaptive/JJ")
        # Two adjectives only: two nouns joined are most often two things ("latency and size
        # limits", "password and key"), seldom two kinds of the noun after them.
        adjectives = first.pos_ == "ADJ" and (w.pos_ == "ADJ" or w.pos_ == "NOUN" and is_lemma(w.lower_, "adj"))
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
        if not (s <= head < e or head >= e and all(t.pos_ in _NOUNISH for t in doc[e : head + 1])
                or first.dep_ == "conj" and first.head.i == w.i):
            continue
        shared = normalize_key(f"{w.text} {doc[s + 1 : e].text}")
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
    title = _title_case(doc, run)
    # ("Exact Value" in a table's header is graded, not named: a generic head of two words)
    keep_first = title and not (len(run) == 2 and singular(_unit_key(doc, run[-1])) in GENERIC_NOUNS)
    while run and (
        ((w := doc[run[0][0] : run[0][1]].text.lower()) in GENERIC_MODIFIERS and not _names_a_kind(doc, run)
         and not keep_first and not _classifies(doc, run))
        or (w in INSTRUCTION_WORDS and (run[0][1] - run[0][0] > 1 or instructs(doc[run[0][0]])))
        or (w in STOP_WORDS and not title  # but "the Twelve Tables"
            and not (w in COMPOUND_STOP_NOUNS and _compound_stop_noun(doc, run[0][0])))  # "side effects"
        or (w in UNITS and not _letter_name(doc, run))  # "10 MB cache" (but "B cells")
        or (run[0][2] == _MOD and _graded(doc, run))  # "the most abundant"
        or (len(w) == 1 and w.isalpha() and len(run) > 1 and not _letter_name(doc, run))  # a variable: "k bytes"
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
    key = normalize_key(doc[run[0][0] : run[-1][1]].text)
    if not (acceptable(key) or title and len(run) > 1 and not is_date_key(key)) \
            or (len(run) == 1 and _lone_adjective(doc, run[0][0], key)):
        return
    found.append((key, run[0][0], run[-1][1]))
    if len(run) == 1:
        return
    flags = [is_proper(doc, s, e) for s, e, _ in run]
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


def _graded(doc: Doc, run: list) -> bool:
    """A run's first adjective graded by the adverb before it, which does not classify the noun:
    "the most abundant white blood cell" (or "Most abundant white blood cell" opening a line) is
    a white blood cell, "very dark" no kind of background. ("most Protestant churches" and "more
    servers" count them; "so" also joins clauses.)"""
    i = run[0][0]
    if i == 0:
        return False
    prev = doc[i - 1]
    if prev.lower_ in ("very", "too"):
        return True
    if prev.lower_ not in ("most", "least"):
        return False
    opens = i < 2 or doc[i - 2].is_punct or prev.is_sent_start or "\n" in doc[i - 2].whitespace_
    return (i >= 2 and doc[i - 2].pos_ in ("DET", "PRON")) or (opens and doc[run[-1][1] - 1].tag_ in ("NN", "NNP"))
_COUNTING = frozenset("of with top first last into over per".split())


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


def _participle_names_kind(doc: Doc, i: int) -> bool:
    """A past participle right before a process noun, said without an article, names a kind of
    the process ("distributed computing", "federated learning"); before a thing ("the proposed
    method", "trained models", "predicted bounding boxes") it describes one instance and is no
    part of the term."""
    if i + 1 >= len(doc) or (i > 0 and doc[i - 1].tag_ in ("DT", "PDT", "PRP$")):
        return False
    if i + 2 < len(doc) and doc[i + 2].pos_ in _NOUNISH:
        return False  # the process noun modifies a thing: "predicted bounding boxes"
    head = doc[i + 1]
    word = head.lower_
    return (head.tag_ == "NN" and bool(doc[i].whitespace_) and word.endswith("ing")
            and bool(lemmas(word, "verb") or is_lemma(word[:-3], "verb")))


def _names_a_kind(doc: Doc, run: list) -> bool:
    """A quality adjective right before a process noun, said without an article ("consistent
    hashing", "deep learning"), names a kind of the process and stays with it; before a thing
    ("consistent results", "key differences") or one instance ("another popular encoding") it
    only grades and is cut. Words that count or point ("several", "additional", "first") never
    name a kind."""
    if len(run) != 2 or run[-1][1] - run[-1][0] != 1:
        return False
    mod, head = doc[run[0][0]], doc[run[-1][0]]
    if mod.i > 0 and doc[mod.i - 1].tag_ in ("DT", "PDT", "PRP$"):
        return False  # "another popular encoding": one instance, graded
    word = head.lower_
    return (mod.lower_ not in GRADERS and mod.lower_ not in _POINTERS and head.tag_ == "NN"
            and word.endswith("ing") and bool(lemmas(word, "verb") or is_lemma(word[:-3], "verb")))


def _classifies(doc: Doc, run: list) -> bool:
    """A modifier that names a kind of the noun after it ("current assets", "standard errors").
    A word that also points ("current") points after an article ("the current image") and
    classifies without one."""
    word = doc[run[0][0]].lower_
    if len(run) < 2 or word not in KIND_MODIFIERS:
        return False
    start = run[0][0]
    return word not in _POINTERS or start == 0 or doc[start - 1].tag_ not in ("DT", "PDT", "PRP$", "POS")


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


# Words that only count or compare, cut from the front of a marked span ("additional layers");
# other modifiers the author marked belong to the term ("hard negative mining").
GRADERS = frozenset("several various many more most much additional other such certain different multiple "
                     "same own entire whole few some each every all any".split())
# Words that place or order rather than describe ("first", "current", "above"): never a kind.
_POINTERS = frozenset("first second third last next previous following above below current initial final "
                      "new latest early late given respective corresponding same own key main".split())
