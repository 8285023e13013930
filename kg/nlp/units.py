"""Word units and their roles: the pieces `kg.nlp.terms` cuts a term from.

A unit is one token or several glued by hyphens ("training-serving", "GPT-3", "state-of-the-art");
its role says whether it can head a term (NOUN), modify one (MOD) or breaks the run (None). The
role is mostly the tagger's part of speech, corrected where the small model misreads a word:
markup, measurements and code are no words; a title-case verb inside a name ("Gradient
Boosting"), an adjective heading its subject ("the categorical imperative commands"), a
capitalized stop word inside a name ("Segment Anything") and a stop-list noun naming a kind
("side effects") are words of the term.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from kg.nlp.generic import zipf
from kg.nlp.gerunds import gerund_modifier, nominal_gerund, particle_gerund
from kg.nlp.lexicon import gerund_verb, is_lemma, lemmas, only_verb, third_person_verb
from kg.nlp.modifiers import participle_names_kind
from kg.nlp.names import is_formula
from kg.nlp.numbers import digit_led_name, name_read_as_number, number_word_opens_name, numbers_a_name, roman_one
from kg.nlp.stoplists import COMPOUND_STOP_NOUNS

HYPHENS = frozenset({"-", "\u2010", "\u2011", "\u2013"})

NOUNISH = frozenset({"NOUN", "PROPN"})

_GLUED_MODIFIERS = frozenset({"VERB", "ADJ", "ADV", "ADP", "DET", "NUM", "NOUN", "PROPN", "CCONJ", "PART"})

NOUN, MOD = "N", "A"

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

# "tRNA", "mRNAs", "siRNA", "cDNA", "iOS": an acronym behind a lower-case prefix, a noun whatever the
# small model tags it ("Each tRNA/: carries", "a tRNA/JJ read").
# "s.18", "s.11(2)", "ss.22-23": a statute's section as law notes cite it, a name (of one letter before
# its number, and no word: kg.nlp.terms names it all the same).
STATUTE_SECTION = re.compile(r"ss?\.[0-9]+[A-Z]?(?:\([0-9]+\)?)?")
_LOWER_LED_ACRONYM = re.compile(r"[a-z]{1,3}[A-Z]{2,}s?")


def _in_markup(doc: Doc, i: int) -> bool:
    """Inside a placeholder such as "[image]" or "$n$": glued to a bracket or dollar sign."""
    before = doc[i - 1] if i > 0 else None
    return before is not None and not before.whitespace_ and before.text[-1:] in "[$\\"


def word_units(doc: Doc, blocked: set[int]) -> list[tuple[int, int, str | None]]:
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
        if end == i + 1 and _slash_pair(doc, i):
            end = i + 3  # "the idea/expression dichotomy", "a cost/benefit analysis": one unit
        if end == i + 1 and particle_gerund(doc, i):
            end = i + 2  # "hardening off", "scaling out": one unit, a noun
        blocked_unit = any(j in blocked for j in range(i, end))
        role = None if blocked_unit else NOUN if end == i + 2 and particle_gerund(doc, i) else _role(doc, i, end)
        if role == MOD and end == i + 1 and _adjective_heading_subject(doc, i, blocked):
            role = NOUN
        units.append((i, end, role))
        i = end
    return units


def _slash_pair(doc: Doc, i: int) -> bool:
    """Two lower-case nouns glued by a slash, before the noun they modify: one modifier ("client/server
    model", "input/output devices"); apart, the first was lost ("server model")."""
    if i + 3 >= len(doc) or doc[i + 1].text != "/" or doc[i].whitespace_ or doc[i + 1].whitespace_:
        return False
    first, second, head = doc[i], doc[i + 2], doc[i + 3]
    return all(t.tag_ in ("NN", "NNS") and t.is_alpha and t.text.islower() and len(t.text) > 2 for t in (first, second)) \
        and bool(second.whitespace_) and head.tag_ in ("NN", "NNS")


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
            return MOD
        if numbers_a_name(doc, start) or roman_one(doc, start) or digit_led_name(last.text) \
                or _LOWER_LED_ACRONYM.fullmatch(last.text) or last.pos_ == "NUM" and name_read_as_number(last.text) \
                or STATUTE_SECTION.fullmatch(last.text):
            return NOUN
        if last.like_url or last.like_email or not is_wordlike(last.text) or _in_markup(doc, start) \
                or _LOWER_LETTER_DOT.fullmatch(last.text) or _reference_label(doc, start):
            return None  # ("k → h. Latin": a letter closing a sentence, no initial)
        if start > 0 and doc[start - 1].tag_ in ("TO", "MD") and not _subject_after_modal(doc, start):
            return None  # "to facilitate", "can track": a verb the tagger took for a noun
        if last.pos_ == "NOUN" and _adjective_closing_clause(doc, start):
            return MOD  # "When is an object detection anchor redundant?": no "anchor redundant"
        if last.pos_ in NOUNISH:
            return None if last.lower_ in STOP_WORDS and not _inside_name(doc, start) \
                and not compound_stop_noun(doc, start) and not names_its_noun_capitalized(doc, start) \
                and not capital_stop_word(doc, start) else NOUN  # ("the US": kg.nlp.terms names it alone)
        if nominal_gerund(doc, start) or _noun_read_as_interjection(doc, start):
            return NOUN
        if last.tag_ == "VBG" and gerund_modifier(doc, start) and (
                start > 0 and not doc[start - 1].is_punct or _names_its_noun(doc, start)):
            # "exploding gradients"; but "Model Decay: Addressing model drift" opens a clause.
            return MOD
        if last.pos_ == "ADJ" and last.tag_ == "JJ" and last.text.isalpha() and last.text.islower() \
                and len(last.text) > 2 and is_lemma(last.lower_, "noun") \
                and not is_lemma(last.lower_, "adj") and not is_lemma(last.lower_, "verb") \
                and not (start > 0 and doc[start - 1].pos_ == "PROPN"):
            # A word only ever a noun that the small model calls an adjective: "makes albumin/JJ"
            # (after a name it is more often a word quoted from another language: "Latin pater").
            return NOUN
        if last.pos_ == "ADJ" and last.tag_ not in ("JJR", "JJS"):
            # A word only ever a verb that the tagger calls an adjective, right after a plural
            # subject, is the verb: "These challenges necessitate robust testing frameworks" (but
            # "improves write performance").
            prev = doc[start - 1] if start > 0 else None
            verb = last.text.islower() and only_verb(last.lower_) and prev is not None \
                and (prev.tag_ in ("NNS", "NNPS") or prev.lower_ in ("they", "we", "you", "i")
                     or (prev.lower_.endswith("s") and start >= 2 and doc[start - 2].pos_ == "DET"))
            return None if verb else MOD
        if last.tag_ == "VBN" and participle_names_kind(doc, start):
            return MOD
        if last.tag_ == "VB" and _base_verb_after_be(doc, start):
            return MOD
        return _verb_in_a_name(doc, start)
    if not is_wordlike(doc[start:end].text):
        return None
    if last.pos_ in NOUNISH or last.pos_ == "NUM":
        return NOUN
    if all(title_word(t.text) for t in doc[start:end] if t.is_alpha) and (end == len(doc) or doc[end].pos_ not in NOUNISH):
        return NOUN  # a name glued from capitalized words, ending its phrase: "Proto-Indo-European"
    if last.pos_ == "VERB" and not doc[start].is_sent_start and zipf(doc[start].lower_) < RARE_ZIPF:
        return NOUN  # "scikit-learn": a name coined from a rare word, whatever its last part
    return MOD


def _base_verb_after_be(doc: Doc, i: int) -> bool:
    """A word the tagger calls a verb's base form, after the "is" / "are" of a question and before a
    noun: no verb follows "is" so, it is the noun's modifier ("What is escape velocity?"; a note's
    "the fix is use caching" is left as it is)."""
    if not 0 < i < len(doc) - 1 or doc[i - 1].lower_ not in ("is", "are", "was", "were"):
        return False
    asks = doc[i - 1].is_sent_start or i >= 2 and doc[i - 2].lower_ in ("what", "which", "who", "why", "how", "where", "when")
    return asks and doc[i + 1].tag_ in ("NN", "NNS") and doc[i].text.islower()


# The labels of a place in a book or paper, abbreviated: "Curtis ch. 2", "Fig. 3", "pp. 45-50".
_REFERENCE_LABELS = frozenset("ch chap fig figs vol pp eq eqs sec para".split())


def _reference_label(doc: Doc, i: int) -> bool:
    """A reference's abbreviated label, its full stop and a number after it: no word of a term (the
    source is named, "Curtis", not "Curtis ch")."""
    word = doc[i].lower_
    after = i + 1
    if word.endswith("."):
        word = word[:-1]
    elif after < len(doc) and doc[after].text == ".":
        after += 1
    else:
        return False
    return word in _REFERENCE_LABELS and after < len(doc) and doc[after].like_num


def capital_stop_word(doc: Doc, i: int) -> bool:
    """A function word written in capitals, in a sentence that is not, and tagged a proper noun: an
    acronym ("the US", "(US)"), not the pronoun or the word ("ask us", "do NOT"). Before a capital it
    is a word of a name ("US GAAP") or of a phrase in capitals ("MY LEGS mnemonic")."""
    token = doc[i]
    return token.tag_ == "NNP" and len(token.text) >= 2 and token.text.isupper() and token.text.isalpha() \
        and token.lower_ in STOP_WORDS and any(t.is_lower for t in token.sent) \
        and not (i + 1 < len(doc) and doc[i + 1].text[:1].isupper())


# The interjections a card writes in its sentences ("Yes, and ...", "Server hello"): no word of a term.
_INTERJECTIONS = frozenset("hello hi hey oh ah aha ok okay yes yeah no nope wow please thanks bye goodbye oops hmm alas".split())


def _noun_read_as_interjection(doc: Doc, i: int) -> bool:
    """A lower-case word inside a sentence that the tagger, not knowing it, calls an interjection,
    and the lexicon knows as no adverb or verb: a noun ("pyroclastic layers (tephra, ash)", "e.g.
    sunflower, marigold")."""
    tok = doc[i]
    word = tok.lower_
    return tok.tag_ == "UH" and tok.text.isalpha() and tok.text.islower() and len(word) > 2 \
        and not tok.is_sent_start and word not in _INTERJECTIONS and word not in STOP_WORDS \
        and not is_lemma(word, "adv") and not is_lemma(word, "verb")  # ("Object Store like/UH S3")


def _adjective_closing_clause(doc: Doc, i: int) -> bool:
    """A lower-case word the lexicon knows only as an adjective, that the tagger read as a noun,
    closing its clause after a word the lexicon knows as a noun: the predicate of "When is a
    language model overconfident?", which the small model reads as one compound; no noun follows
    for it to name a kind of."""
    tok = doc[i]
    before = doc[i - 1] if i > 0 else None
    if not tok.text.isalpha() or not tok.text.islower() or before is None or before.pos_ not in NOUNISH \
            or not (is_lemma(before.lower_, "noun") or lemmas(before.lower_, "noun")):
        return False  # ("the anisotropic/NN gaussian": after an adjective the tagger also misread)
    closes = i + 1 == len(doc) or doc[i + 1].is_punct and doc[i + 1].text not in HYPHENS
    word = tok.lower_
    return closes and is_lemma(word, "adj") and not is_lemma(word, "noun") and not is_lemma(word, "verb")


def _subject_after_modal(doc: Doc, i: int) -> bool:
    """A noun between the modal opening a question and the question's verb is its subject: "Can
    intoxication be a defence?", "Should antibiotics be used?" (not "Can track lineage")."""
    modal, verb = doc[i - 1], doc[i + 1] if i + 1 < len(doc) else None
    return modal.tag_ == "MD" and modal.is_sent_start and modal.text.istitle() and doc[i].pos_ in NOUNISH \
        and verb is not None and verb.tag_ == "VB"


def _names_its_noun(doc: Doc, i: int) -> bool:
    """A lower-case gerund after a comma or a colon that the parser hangs on the noun right after
    it, with no object of its own, and that the lexicon knows as a noun too: "scurvy: bleeding
    gums, poor wound healing", ", flying buttresses", "and clotting factors". Not a list item's or
    line's opening verb ("Addressing model drift:", "Joining data is slow", "- Validating models")."""
    tok = doc[i]
    head = tok.head
    return tok.text.islower() and head.i == i + 1 and head.pos_ in NOUNISH \
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
        return t.pos_ in NOUNISH and t.is_alpha and t.text[:1].isupper()

    if after is not None and tok.whitespace_ and titled_noun(after):
        return MOD
    if titled_noun(before) and before.whitespace_ and not before.is_sent_start:
        return NOUN
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


def names_its_noun_capitalized(doc: Doc, i: int) -> bool:
    """A capitalized stop word mid-sentence, tagged a name, that the parser hangs on the lower-case
    noun right after it: a name's first word ("e.g. Down syndrome", named after Langdon Down)."""
    tok = doc[i]
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    before = doc[i - 1] if i > 0 else None
    return (nxt is not None and before is not None and tok.tag_ == "NNP" and tok.text.istitle()
            and tok.dep_ == "compound" and tok.head.i == i + 1 and nxt.pos_ == "NOUN" and nxt.text.islower()
            and not tok.is_sent_start and not before.is_punct and "\n" not in before.text + before.whitespace_)


def compound_stop_noun(doc: Doc, i: int) -> bool:
    """A stop-list noun right before the noun it names a kind of ("side effects", "call stack")."""
    tok = doc[i]
    nxt = doc[i + 1] if i + 1 < len(doc) else None
    return (tok.lower_ in COMPOUND_STOP_NOUNS and tok.tag_ in ("NN", "NNP") and nxt is not None
            and bool(tok.whitespace_) and nxt.pos_ in NOUNISH and nxt.is_alpha)


def title_word(text: str) -> bool:
    return text[:1].isupper() and any(c.islower() for c in text[1:]) and not any(c.isupper() for c in text[1:]) \
        and not any(c.isdigit() for c in text)
