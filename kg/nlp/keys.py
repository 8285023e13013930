"""Which normalized keys (`kg.nlp.normalize`) may name a concept, and which words instruct.

A key names a concept when it is more than junk, a date, a bare general word ("data", "several")
or a Roman numeral alone ("ii"); general nouns compounded make a term of their own ("word order")
unless the head is empty ("data thing"). A flashcard's instruction ("List the stages", "Explain")
opens no key, though "list", "name" and "state" may lead a name ("list comprehension").
"""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from kg.nlp.lexicon import is_lemma, only_adjective
from kg.nlp.names import is_date_key
from kg.nlp.numbers import ROMAN_NUMERAL
from kg.nlp.stoplists import COMPOUND_STOP_NOUNS, GENERIC_MODIFIERS, GENERIC_NOUNS, INSTRUCTION_WORDS, UNITS


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


# Abbreviations that stand between a sentence's terms ("e.g. matching pennies", "vs. Gato"), with
# their full stop or without it ("vs" alone is also a word of a card's question: "depuis vs il y a").
LATIN_ABBREVIATIONS = frozenset({"e.g", "i.e", "etc", "e.g.", "i.e.", "etc.", "vs.", "cf.", "viz."})


def _is_generic_word(word: str) -> bool:
    return word in GENERIC_NOUNS or word in STOP_WORDS or word in GENERIC_MODIFIERS or word in UNITS or len(word) < 2


def acceptable(key: str) -> bool:
    """Whether a normalized key names something worth a node (not junk, not a bare generic)."""
    words = key.split()
    if not words or not any(c.isalpha() for c in key) or is_date_key(key):
        return False
    if (words[0] in INSTRUCTION_WORDS and (len(words) == 1 or not noun_word(words[0]))) \
            or any(w in LATIN_ABBREVIATIONS for w in words):
        return False  # (a noun leading a name stays: "list comprehension", "name server", "state machine")
    if len(words) == 1:
        return not _is_generic_word(words[0]) and sum(c.isalpha() for c in words[0]) >= 2 \
            and not ROMAN_NUMERAL.match(words[0])
    if all(sum(c.isalpha() for c in w) <= 1 for w in words) and any(len(w) == 1 and w.isalpha() for w in words):
        return False  # the symbols of a formula, a lone letter among them: "σ²/n", "H0 d" (not "C3-C5")
    if len(words) == 2 and (words[1].isdigit() or words[1] == "i"):
        # "level 2", "stage i": set apart by its number (a key's last "i" is the numeral, kg.nlp.numbers.roman_one)
        return words[0] not in STOP_WORDS and words[0] not in UNITS
    if not all((_is_generic_word(w) and w not in COMPOUND_STOP_NOUNS) or not any(c.isalpha() for c in w)
               for w in words[:-1]) or not _empty_head(words[-1]):
        return True
    # General nouns compounded make a term of their own ("word order", "word class", "control
    # group"), unless a word is a function word, a grader or a unit, or the head is empty ("data thing").
    return len(words) == 2 and all(w in GENERIC_NOUNS and w not in STOP_WORDS and w not in GENERIC_MODIFIERS
                                   and w not in UNITS and not only_adjective(w) for w in words) \
        and words[-1] not in _EMPTY_HEADS


def _empty_head(word: str) -> bool:
    """A head that names nothing: a general noun, a function word, a unit. A grading word the
    lexicon knows as a noun is a noun at the head ("primary key", "major key"), unlike a
    participle ("time remaining")."""
    if not _is_generic_word(word):
        return False
    return word not in GENERIC_MODIFIERS or not is_lemma(word, "noun") or word in GENERIC_NOUNS or word in STOP_WORDS


# Heads that name nothing after a general noun: "data thing", "design way", "cost part".
_EMPTY_HEADS = frozenset("thing way lot kind sort part bit couple number amount end fact case example instance "
                         "item aspect area issue matter point stuff reason result info portion section".split())


def lone_adjective(doc: Doc, i: int, key: str) -> bool:
    """An adjective alone ("continuous", "relational") is a fragment of a term, never a term;
    one capitalized mid-sentence is a name's ("a Gaussian", "Bayesian")."""
    if not only_adjective(key):
        return False
    tok = doc[i]
    opens = i == 0 or tok.is_sent_start or doc[i - 1].is_punct or "\n" in doc[i - 1].text + doc[i - 1].whitespace_
    return not tok.text[:1].isupper() or opens
