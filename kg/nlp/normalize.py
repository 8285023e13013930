"""Concept keys: one normalized form per concept, computed from a bare string.

Extraction, curation and search all call `normalize_key`, so "Feature Stores", "the feature store"
and "feature-store" meet at one key ("feature store"). It never needs a parsed Doc: only the last
word (the head of an English noun phrase) is lemmatized, with the noun tables that ship inside the
spaCy model package when they are installed and a conservative plural rule when they are not.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kg.nlp.lexicon import tables

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u00a0": " ",
    }
)
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=s)'(?=\s|$)")
# An acronym pair such as "CI/CD", "I/O" or "TCP/IP" stays one word; other slashes and hyphens
# join words that are the same concept written apart ("training-serving skew").
_ACRONYM_SLASH = re.compile(r"(?<![\w/])([a-z0-9&]{1,5})/([a-z0-9&]{1,5})(?![\w/])")
_SLASH_PLACEHOLDER = "\x00"
_JOINERS = re.compile(r"[-_/\u00b7]+")
_EDGE_JUNK = re.compile(r"^[\s'\"()\[\]{}<>.,;:!?*#]+|[\s'\"()\[\]{}<>.,;:!?*#]+$")
_SPACES = re.compile(r"\s+")
# "GPUs", "APIs", "LLMs": an acronym with a plural s is the acronym ("CPUs" is not "cpus").
_ACRONYM_PLURAL = re.compile(r"\b([A-Z][A-Z0-9]*[A-Z0-9])s\b")
_HEAD_ENDING_PREPOSITIONS = frozenset("of for with in on".split())
_GLUED_MARK = "\x01"
_GLUED_PREPOSITION = re.compile(r"(?<=\w)-(of|for|with|in|on)\b(?=(?:-\w+)*\s+\w)")

LEADING_DETERMINERS = frozenset(
    "a an the this that these those its their our your his her my some any each every".split()
)
# Articles of the languages decks teach: "der Bahnhof", "el gerundio" and "het huis" are the
# concepts "bahnhof", "gerundio" and "huis" (the label keeps the article). Only an article written
# in lower case, before a word rare in English (Zipf below FOREIGN_NOUN_ZIPF): "Las Vegas", "La
# Niña", "Die Hard" and "die casting" keep theirs. Not "de" ("de novo", "de facto").
FOREIGN_ARTICLES = frozenset(
    "el la los las le les der die das den dem ein eine einen het een il gli lo una uno une un".split()
)
FOREIGN_NOUN_ZIPF = 4.0
# Nouns that end in -s in the singular, or are already plural in use, and that the noun tables
# would otherwise cut ("data" -> "datum" is right in Latin and wrong in a deck about data).
_KEEP_AS_WRITTEN = frozenset(
    "data metadata media news means series species physics mathematics analytics robotics "
    "economics kubernetes pandas keras redis jenkins ethics graphics logistics semantics "
    "genetics linguistics diabetes lens bias gas canvas atlas chaos ops".split()
)


def _noun_tables() -> tuple[dict, frozenset, list]:
    """(exceptions, known nouns, suffix rules) from the model package; empty when it is absent."""
    t = tables()
    return t["exc"].get("noun", {}), t["index"].get("noun", frozenset()), t["rules"].get("noun", [])


@lru_cache(maxsize=65536)
def singular(word: str, keep_foreign: bool = True) -> str:
    """The singular of a lower-case English noun, leaving non-plurals and names alone.

    >>> [singular(w) for w in ["stores", "analyses", "processes", "bias", "data", "mlops", "llms", "dass", "pass"]]
    ['store', 'analysis', 'process', 'bias', 'data', 'mlops', 'llm', 'dass', 'pass']
    """
    if len(word) <= 3 or not word.isalpha() or word in _KEEP_AS_WRITTEN or word.endswith("ops"):
        return word
    if word.endswith("ss"):
        return word  # never a plural: "pass" is no plural of "pa" ("pas" is a noun of its own)
    if keep_foreign and word.endswith("s") and _foreign(word):
        return word  # "dass", "Namens", "tres": English plural rules would make "das", "namen", "tre"
    exc, index, rules = _noun_tables()
    if word in exc:
        return exc[word][0]
    known = [word[: len(word) - len(old)] + new for old, new in rules if word.endswith(old)]
    for form in known:
        if form in index and form != word:
            return form
    if word in index or not word.endswith("s"):
        return word
    # Unknown word (a product name, a coinage): only regular plurals are undone.
    if word.endswith(("sses", "ches", "shes", "xes", "zes")):
        return word[:-2]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("es") and word[-3] not in "aeiousy":
        return word[:-1]  # "lifecycles", "pipelines": a silent e before the s
    if word.endswith(("ss", "us", "is", "es", "as", "os", "ys")):
        return word
    return word[:-1]


def _foreign(word: str) -> bool:
    from kg.nlp.generic import PLURAL_LANGUAGES
    from kg.nlp.languages import FOREIGN, word_language

    return word_language(word, PLURAL_LANGUAGES) == FOREIGN


def _rare_in_english(word: str) -> bool:
    from kg.nlp.generic import zipf

    return zipf(word) < FOREIGN_NOUN_ZIPF


@lru_cache(maxsize=65536)
def normalize_key(text: str) -> str:
    """The concept key of a term as written: lower case, no leading article or possessive,
    hyphens and slashes as spaces (except in acronym pairs like "ci/cd"), singular head.

    >>> normalize_key("the Vertex AI Feature Stores")
    'vertex ai feature store'
    >>> normalize_key("Training-Serving  Skew")
    'training serving skew'
    >>> normalize_key("CI/CD")
    'ci/cd'
    >>> normalize_key("once-for-all networks"), normalize_key("mixtures of experts")
    ('once for all network', 'mixture of experts')
    >>> normalize_key("Google Cloud\u2019s")
    'google cloud'
    >>> [normalize_key(w) for w in ["GPUs", "APIs", "LLMs", "ML lifecycles", "MLOps", "AWS"]]
    ['gpu', 'api', 'llm', 'ml lifecycle', 'mlops', 'aws']
    >>> [normalize_key(w) for w in ["der Bahnhof", "el gerundio", "La Niña", "die casting"]]
    ['bahnhof', 'gerundio', 'la niña', 'die casting']
    """
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE)
    written_lower = text.lstrip()[:1].islower()
    # A word with capitals inside ("NeRFs") is a name in the plural, never a word of another language.
    named = {w.lower() for w in text.split() if any(c.isupper() for c in w[1:])}
    text = _ACRONYM_PLURAL.sub(r"\1", text).lower()
    text = _POSSESSIVE.sub("", text)
    text = _ACRONYM_SLASH.sub(lambda m: f"{m[1]}{_SLASH_PLACEHOLDER}{m[2]}", text)
    # A preposition inside a hyphenated modifier ("once-for-all networks", "plug-in modules")
    # does not end the head; alone, the hyphenated word is its own phrase ("Mixture-of-Experts").
    text = _GLUED_PREPOSITION.sub(lambda m: f"-{_GLUED_MARK}{m[1]}", text)
    text = _JOINERS.sub(" ", text).replace(_SLASH_PLACEHOLDER, "/")
    text = _EDGE_JUNK.sub("", _SPACES.sub(" ", text))
    words = text.split(" ")
    while len(words) > 1 and words[0] in LEADING_DETERMINERS:
        words = words[1:]
    if len(words) > 1 and written_lower and words[0] in FOREIGN_ARTICLES and _rare_in_english(words[1]):
        words = words[1:]
    if not words or not words[0]:
        return ""
    # In "mixture of experts" the head is the word before the preposition, not the last one.
    head = next((i - 1 for i, w in enumerate(words) if w in _HEAD_ENDING_PREPOSITIONS and i > 0), -1)
    words[head] = singular(words[head], keep_foreign=not any(words[head] in w for w in named))
    return " ".join(words).replace(_GLUED_MARK, "")
