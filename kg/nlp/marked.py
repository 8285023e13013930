"""The concept an author-marked span names: a bold phrase, a cloze, a list label, the subject of a
definition question or a term card's front (kg.nlp.marks finds them), judged against the parsed
card.

A mark is strong evidence, not proof: the span is cut at an opening parenthesis, loses articles,
punctuation and grading words at its ends, and must then be a noun phrase ("Once-for-all
Network", "hard negative mining"), not a clause, a verb, an adjective or a function word ("No",
"avoid", "does Batch Normalization"). A person's full name owning the term ("Peter Singer's
drowning child argument") and a common noun before a name ("the enzyme Rubisco") are cut off.
"""

from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from kg.nlp.gerunds import particle_gerund
from kg.nlp.keys import LATIN_ABBREVIATIONS, acceptable, instructs, noun_word
from kg.nlp.languages import is_cjk
from kg.nlp.lexicon import is_lemma, lemmas, only_adjective
from kg.nlp.modifiers import GRADERS
from kg.nlp.names import eponym_end, is_date_key
from kg.nlp.normalize import normalize_key
from kg.nlp.numbers import number_word_opens_name, numbers_a_name
from kg.nlp.stoplists import GENERIC_MODIFIERS, GENERIC_NOUNS, INSTRUCTION_WORDS, UNITS
from kg.nlp.termnames import common_noun, is_proper, person_or_place
from kg.nlp.terms import MAX_UNITS
from kg.nlp.units import HYPHENS, Span3, is_wordlike

__all__ = ["acceptable_marked", "judge_marked"]


# Tags of a finite verb: a marked span holding one is a clause ("does Batch Normalization").
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
_TRIM = frozenset({"DET", "PUNCT", "SYM", "CCONJ", "ADP", "PART", "PRON", "SCONJ", "SPACE"})


def judge_marked(doc: Doc, start: int, end: int, *, lenient: bool = False,
                 blocked: set[int] | None = None, cloze: bool = False) -> Span3 | None:
    """The concept an author-marked span names, or None when it names none.

    A mark is strong evidence but still judged: it is cut at an opening parenthesis, loses
    articles and punctuation at its ends, and must then be a noun phrase ("Once-for-all
    Network", "hard negative mining", "masking"), not a clause, a verb, an adjective or a
    function word ("No", "avoid", "dilated", "does Batch Normalization"), nor open with a verb
    (`blocked`, kg.nlp.misreads: "Track Lineage" labels the act of tracking lineage). `lenient`
    judges a term front or a cloze, where a lone verb or foreign word is what is studied ("gustar");
    a `cloze` of a few words asks for exactly them, a preposition inside included ("defence in depth").
    """
    if blocked and start in blocked and not lenient:
        return None
    for i in range(start, end):
        if doc[i].text in ("(", "[") and i > start:
            end = i
            break
    if any(_measure(doc, i) for i in range(start, end)):
        return None  # "117G FLOPS 304M Params", "4.2M parameters": a measurement
    while start < end and ((doc[start].pos_ in _TRIM and not _name_token(doc[start]))
                           or instructs(doc[start])
                           or doc[start].lower_ in GRADERS
                           or doc[start].lower_ in LATIN_ABBREVIATIONS  # "- e.g. matching pennies: ..."
                           or (doc[start].like_num and not _hyphen_glued(doc, start)
                               and not number_word_opens_name(doc, start))  # "Five Good Emperors"
                           or _enumerator(doc, start)):
        start += 1
    while end > start and doc[end - 1].pos_ in ("PUNCT", "SYM", "SPACE", "DET", "ADP", "CCONJ") \
            and not _name_token(doc[end - 1]) and not (end - 2 >= start and particle_gerund(doc, end - 2)):
        end -= 1  # (a gerund keeps its particle: "hardening off")
    start = _after_full_name_owner(doc, start, end)
    start = _name_after_its_noun(doc, start, end)
    if start >= end or len(doc[start:end].text.split()) > MAX_UNITS:
        return None
    span = doc[start:end]
    key = normalize_key(span.text)
    words = key.split()
    if not words or not key[0].isalnum() or not is_wordlike(key.replace("/", "")) \
            or (words[0] in INSTRUCTION_WORDS and (len(words) == 1 or not noun_word(words[0]))):
        return None
    if any(t.is_punct and t.text not in _NAME_PUNCT for t in span[1:-1]):
        return None  # "Operator, supervisor, director": a list, not a name
    if any(tok.is_sent_start and tok.i > start for tok in span) or "\n" in span.text:
        return None
    if any(t.pos_ == "DET" and t.lower_ in ("a", "an", "the") for t in span[1:]):
        return None  # "Using the reparameterization trick": a phrase around a term
    # (A cloze of a few words asks for exactly them: "{{c1::Defence in depth}}" and
    # "{{c1::infrastructure as code}}" are names with a preposition inside; a term front,
    # "Subjonctif after conjunctions", is a topic about two things.)
    if any(t.lower_ in ("vs", "vs.", "versus") or (t.pos_ == "ADP" and t.lower_ != "of" and t.whitespace_
                                                   and not (cloze and len(span) <= 4))
           for t in span[1:-1]):
        return None  # "limited memory in cache", "SQL vs NoSQL": a phrase about two things
    if any(t.like_num and not numbers_a_name(doc, t.i) for t in span if t.text.isdigit()):
        return None  # "query 50 bytes": a quantity
    if any(t.pos_ == "CCONJ" and t.whitespace_ and doc[t.i - 1].whitespace_ for t in span):
        return None  # "scaled and shifted": two things, or a clause
    if lenient and end - start == 1 and doc[start].tag_ in ("VBN", "VBD") and doc[start].text.islower() \
            and start > 0 and doc[start - 1].lemma_ in ("be", "have"):
        return None  # "had been {{performed}}", "is [posted]": a verb of the sentence hidden, no term
    if lenient:
        ok = len(words) > 1 or (words[0] not in STOP_WORDS and (len(words[0]) > 1 or _cjk_word(words[0])))
        return (key, start, end) if ok and acceptable_marked(key) else None
    if any(t.tag_ in _FINITE for t in span):
        return None
    head = span[-1]
    if head.pos_ not in ("NOUN", "PROPN", "NUM", "X") and head.tag_ != "VBG" and not is_proper(doc, end - 1, end) \
            and not (head.pos_ in ("ADV", "SYM", "PUNCT") and _a_noun(head.lower_)) and not _cjk_word(head.text):
        return None  # ("multiplier" read as an adverb is still the noun the author marked)
    if any(t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBG", "VBN") and not _cjk_word(t.text) for t in span):
        return None
    if head.pos_ == "NUM" and not numbers_a_name(doc, end - 1) and len(span) == 1:
        return None
    if len(words) == 1 and (only_adjective(key) or not acceptable_marked(key)):
        return None
    if len(words) > 1 and not acceptable_marked(key):
        return None
    return key, start, end


def _name_after_its_noun(doc: Doc, start: int, end: int) -> int:
    """Where a marked term starts once a common noun set before a name is cut: "the enzyme
    Rubisco" asks about Rubisco (see `_apposition`)."""
    if end - start < 2 or not doc[start].text.islower():
        return start
    k = next((i for i in range(start, end) if not doc[i].text.islower()), None)
    if k is None or not all(common_noun(doc[i].text) for i in range(start, k)) \
            or not all(person_or_place(doc, i, i + 1) for i in range(k, end)):
        return start
    return k


_POSSESSIVE_MARKS = frozenset({"'s", "\u2019s", "'", "\u2019"})


def _after_full_name_owner(doc: Doc, start: int, end: int) -> int:
    """Where a marked term starts once a person's full name owning it is cut: "Peter Singer's
    drowning child argument" marks the argument, and the name is a name of its own. One name
    ("Hume's guillotine", "Maslow's hierarchy") and an eponym ("Isaac Newton's second law") stay."""
    for p in range(start + 2, end - 1):
        if doc[p].lower_ not in _POSSESSIVE_MARKS or doc[p - 1].whitespace_:
            continue
        owner = doc[start:p]
        if not all(t.text[:1].isupper() and t.pos_ == "PROPN" for t in owner):
            return start
        if doc[p + 1].text[:1].islower() and eponym_end(doc, p + 1) is None:
            return p + 1
        return start
    return start


_NAME_PUNCT = frozenset({"-", "/", "'", ".", "&", "+", "\u2010", "\u2011", "\u2013"})
_QUANTITY = re.compile(r"^\d+(?:[.,]\d+)?[kmgtb%]?$", re.IGNORECASE)


def _measure(doc: Doc, i: int) -> bool:
    """A number glued to a unit or a magnitude: "117G", "4.2M", "70.6%", "86M"."""
    tok = doc[i]
    if tok.text[:1].isdigit() and _QUANTITY.match(tok.text) and not tok.text.isdigit():
        return True
    return tok.like_num and not tok.whitespace_ and i + 1 < len(doc) and doc[i + 1].text[:1].isalpha() \
        and doc[i + 1].text.upper() in ("K", "M", "G", "T", "B", "MB", "GB", "M PARAMS")


def _hyphen_glued(doc: Doc, i: int) -> bool:
    """A word glued by a hyphen to the next: "first" of "first-pass", "Five" of "Five-Year"."""
    return i + 2 < len(doc) and doc[i + 1].text in HYPHENS and not doc[i].whitespace_ \
        and not doc[i + 1].whitespace_


def _a_noun(word: str) -> bool:
    """Whether the lexicon knows `word` as a noun or the plural of one."""
    return is_lemma(word, "noun") or bool(lemmas(word, "noun"))


def _name_token(tok) -> bool:
    """A token the tagger took for a symbol but written as a name: "DUSt3R", "ViT-H"; or a word in
    Chinese or Japanese script, whose tag the English tagger only guesses ("学生" as a preposition)."""
    return (any(c.isalpha() for c in tok.text) and any(c.isupper() for c in tok.text[1:])) or _cjk_word(tok.text)


def _cjk_word(text: str) -> bool:
    return bool(text) and is_cjk(text)


def _enumerator(doc: Doc, i: int) -> bool:
    """"(2)", "3)", "a)": the number of a list item, not part of its label."""
    return doc[i].text.strip("()").isdigit() and i + 1 < len(doc) and doc[i + 1].text in (")", ".")


def acceptable_marked(key: str) -> bool:
    """A one-word key the author marked is a concept unless it is a function word, an instruction,
    a unit, or general language (`kg.nlp.generic`): a marked "Note" or "input" teaches nothing."""
    from kg.nlp.generic import is_general_word

    words = key.split()
    if is_date_key(key):
        return False
    if len(words) > 1:
        # Marked, general words make a term together: "Version Control", "Model Decay".
        return acceptable(key) or (
            (words[0] not in INSTRUCTION_WORDS or noun_word(words[0])) and words[0] not in STOP_WORDS
            and not all(w in STOP_WORDS or w in GENERIC_MODIFIERS for w in words)
        )
    return (
        (sum(c.isalpha() for c in key) >= 2 or _cjk_word(key))  # は, が, 枚: a word of one character
        and key not in STOP_WORDS and key not in INSTRUCTION_WORDS and key not in UNITS
        and key not in GENERIC_MODIFIERS and key not in GENERIC_NOUNS and not is_general_word(key, marked=True)
    )
