"""Which modifiers before a term's head belong to the term and which only grade it.

A modifier names a kind when it classifies ("current assets", "standard errors") or stands,
without an article, before a process noun ("consistent hashing", "deep learning", "distributed
computing"); it only grades when it counts, compares or points ("several", "additional", "first")
or an adverb grades it ("the most abundant", "very dark"). `kg.nlp.terms` asks before it cuts a
general modifier (`kg.nlp.stoplists.GENERIC_MODIFIERS`) from the front of a term; `kg.nlp.marked`
cuts the GRADERS from the front of a marked span.
"""

from __future__ import annotations

from spacy.tokens import Doc

from kg.nlp.lexicon import is_lemma, lemmas
from kg.nlp.stoplists import KIND_MODIFIERS

_NOUNISH = frozenset({"NOUN", "PROPN"})


def graded(doc: Doc, run: list) -> bool:
    """A run's first adjective graded by the adverb before it, which does not classify the noun:
    "the most abundant white blood cell" (or "Most abundant white blood cell" opening a line) is
    a white blood cell, "very dark" no kind of background, "a little mustard" some mustard, "with
    little work" not much of it.
    ("most Protestant churches" and "more servers" count them; "so" also joins clauses.)"""
    i = run[0][0]
    if i == 0:
        return False
    prev = doc[i - 1]
    if prev.lower_ in ("very", "too"):
        return True
    if doc[i].lower_ == "little" and len(run) > 1 and doc[i].text.islower() \
            and (prev.lower_ == "a" or prev.tag_ not in ("DT", "PDT", "PRP$", "POS")):
        # "a little mustard", "with little work", "little parental care": a quantity, no kind of
        # what follows ("the little finger" is one)
        return True
    if prev.lower_ not in ("most", "least"):
        return False
    opens = i < 2 or doc[i - 2].is_punct or prev.is_sent_start or "\n" in doc[i - 2].whitespace_
    return (i >= 2 and doc[i - 2].pos_ in ("DET", "PRON")) or (opens and doc[run[-1][1] - 1].tag_ in ("NN", "NNP"))


def participle_names_kind(doc: Doc, i: int) -> bool:
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


def names_a_kind(doc: Doc, run: list) -> bool:
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


def classifies(doc: Doc, run: list) -> bool:
    """A modifier that names a kind of the noun after it ("current assets", "standard errors").
    A word that also points ("current") points after an article ("the current image") and
    classifies without one."""
    word = doc[run[0][0]].lower_
    if len(run) < 2 or word not in KIND_MODIFIERS:
        return False
    start = run[0][0]
    if word in _TRUTH and (len(run) > 2 or run[-1][1] - run[-1][0] > 1
                           or start > 0 and doc[start - 1].lower_ in ("a", "an")):
        # "the true null hypothesis", "true flowering plants": a term already, graded; "rejecting
        # a true null": one instance said to be true
        return False
    return word not in _POINTERS or start == 0 or doc[start - 1].tag_ not in ("DT", "PDT", "PRP$", "POS")


# Words that only count or compare, cut from the front of a marked span ("additional layers");
# other modifiers the author marked belong to the term ("hard negative mining").
GRADERS = frozenset("several various many more most much additional other such certain different multiple "
                     "same own entire whole few some each every all any".split())
# "true north", "true anomaly", "false positive": a kind of the one noun after them; before a term
# ("a true null hypothesis") they only grade it.
_TRUTH = frozenset({"true", "false"})
# Words that place or order rather than describe ("first", "current", "above"): never a kind.
_POINTERS = frozenset("first second third last next previous following above below current initial final "
                      "new latest early late given respective corresponding same own key main".split())
