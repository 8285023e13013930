"""Words and stems: how card text, concept names and queries are cut into words and meet.

Text is read as runs of lower-case letters and digits; a light suffix stemmer (`stem`) folds
inflections and a few derivations, so "containers" and "containerization" meet on "contain".
`acronym_keys` says which letters an acronym-like name ("NAT", "MoE") stands for.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TOKEN = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    """a an the and or of to in on for with by from at as is are was were be been being it its
    this that these those what which who whom how why when where do does did can could should
    would will may might must i you we they he she my your our their me us them about into over
    than then so such not no yes vs via between explain describe define compare contrast list
    outline give name""".split()
)
# Longest first: the first suffix that leaves a stem of MIN_STEM letters is removed.
_SUFFIXES = (
    "izations", "isations", "ization", "isation", "abilities", "ibilities", "ability", "ibility",
    "ations", "ation", "ments", "ment", "ings", "ing", "ities", "ity", "izes", "ized", "izer",
    "ize", "ises", "ised", "able", "ible", "ness", "ers", "er", "ies", "ed",
)
_VOWELS = set("aeiou")
MIN_STEM = 3


def stem(word: str) -> str:
    """A light suffix stemmer: inflections and derivations of a word meet on one stem.

    >>> [stem(w) for w in ("containers", "containerization", "retraining", "retrain")]
    ['contain', 'contain', 'retrain', 'retrain']
    >>> stem("explainability") == stem("explainable")
    True
    """
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            word = word[: -len(suffix)]
            break
    else:
        if word.endswith("es") and word[:-2].endswith(("s", "x", "z", "ch", "sh")):
            word = word[:-2]  # classes, boxes
        elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > MIN_STEM:
            word = word[:-1]
        elif word.endswith("y") and len(word) > MIN_STEM and word[-2] not in _VOWELS:
            word = word[:-1]  # dependency ~ dependencies
    if word.endswith("e") and len(word) > MIN_STEM + 1:
        word = word[:-1]  # feature ~ featur(es)
    # "containerization" -> "container" -> "contain": the agent noun meets its verb.
    if word.endswith("er") and len(word) - 2 > MIN_STEM:
        word = word[:-2]
    return word


# A deck has tens of thousands of distinct words and millions of tokens: stem each word once.
_stem_once = lru_cache(maxsize=1 << 18)(stem)


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _stems(text: str, *, keep_stopwords: bool = False) -> list[str]:
    return [_stem_once(w) for w in _words(text) if keep_stopwords or w not in STOPWORDS]


def acronym_keys(name: str) -> list[str]:
    """The letters an acronym-like name stands for, lowercased: "NAT" and "NATs" -> ["nat"],
    "MoE" -> ["moe", "me"], "ViT" -> ["vit", "vt"]. A word in capitals for at least half its
    letters, 2 to 6 letters long; "DevOps" or "Kubeflow" are names, not acronyms."""
    word = name.strip()
    if word.endswith("s") and word[:-1].isupper():
        word = word[:-1]
    if not (2 <= len(word) <= 6 and word.isalpha() and word.isascii()):
        return []
    capitals = "".join(ch for ch in word if ch.isupper())
    if 2 * len(capitals) < len(word) or len(capitals) < 2:
        return []
    return list(dict.fromkeys([word.lower(), capitals.lower()]))
