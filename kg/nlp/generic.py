"""How generic a concept's name is, measured instead of listed.

A word that is frequent in general English ("file", "service", "pattern", "traffic") names no
particular concept of a deck: it is generic. The measure is the word's Zipf frequency in
`wordfreq` (log10 of occurrences per billion words: "the" 7.7, "file" 4.8, "subnet" 2.4), which
ships its data and needs no network. Only one-word names are judged: a name of several words
("default route", "file system") is specific by being several.

Extraction drops a one-word term as general as GENERAL_ZIPF that a card only uses in passing; one
the author marked stays unless it is as common as MARKED_GENERAL_ZIPF. The analyses use the graded
`generality`, together with how the deck spreads the word (kg.analysis._broad). A general word
that stays a concept ("address", "traffic", "host": less common than GENERAL_ZIPF, or defined by
the deck) keeps its cards but ranks by `ranked_cards` and weighs `specificity` in importance, so
it never heads the ranking or becomes a hub. So does a word of everyday English the deck only says in
passing (kg.termhood: never asked about, marked, repeated on a card or divided into kinds),
however rare in general English it is.
"""

from __future__ import annotations

from functools import lru_cache

# Zipf frequency from which a one-word term used in passing is general language: about that of
# "table", "weight" or "network"; "service" (5.5), "policy" (5.2) and "training" (5.2) are above,
# "pattern" (4.6), "protein" (4.5) and "cache" (3.6) below. Chosen on the judged sets
# (bench/concept_eval.py): lower, and the words the judges count as concepts of a card
# ("tables" of a database card) go too.
GENERAL_ZIPF = 5.1
# An author-marked word is only refused when it is as common as "service" or "right" ...
MARKED_GENERAL_ZIPF = 5.3
# ... and a word at most this common is never generic at all, one as common as BROAD_ZIPF
# ("pattern", "command", "route") fully generic as a name.
SPECIFIC_ZIPF = 3.3
BROAD_ZIPF = 4.6
# A word from this frequency (one in a million words, the usual line between low- and
# high-frequency words) is a word of everyday English: said only in passing, it names no concept
# of the deck. Below it ("hyperparameter", "subnet") the word itself is technical.
COMMON_ZIPF = 3.0


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """The Zipf frequency of a lower-case English word (0.0 when wordfreq does not know it)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en")


# Other languages a deck may teach or quote; a word common in one of them (Zipf FOREIGN_ZIPF) and
# rare in English ("quiero", "estoy", "como") is that language's general word. Their "small" word
# lists (words from Zipf 3, all these questions need) take 41 MB; the six first's large ones 215 MB.
OTHER_LANGUAGES = ("es", "fr", "de", "it", "pt", "nl", "ru", "pl", "sv", "tr")
OTHER_WORDLIST = "small"
# The first six: the languages whose words English plural rules could mangle ("dass"), 15 MB of
# lists; a serving process normalizing a query needs no more.
PLURAL_LANGUAGES = OTHER_LANGUAGES[:6]
FOREIGN_ZIPF = 5.5
RARE_IN_ENGLISH_ZIPF = 3.5


@lru_cache(maxsize=65536)
def is_foreign_general_word(word: str) -> bool:
    """Whether a lower-case word is a common word of another language and rare in English."""
    from wordfreq import zipf_frequency

    if not word.isalpha() or zipf(word) >= RARE_IN_ENGLISH_ZIPF:
        return False
    return any(zipf_frequency(word, lang, wordlist=OTHER_WORDLIST) >= FOREIGN_ZIPF for lang in OTHER_LANGUAGES)


def is_general_word(key: str, *, marked: bool = False) -> bool:
    """Whether a concept key is one word of general English (as common as GENERAL_ZIPF, or
    MARKED_GENERAL_ZIPF for a word the author marked)."""
    words = key.split()
    if len(words) != 1 or not words[0].isalpha():
        return False
    return zipf(words[0]) >= (MARKED_GENERAL_ZIPF if marked else GENERAL_ZIPF)


def generality(key: str) -> float:
    """How generic a concept key is as a name, in [0, 1]: 0 for a name of several words or a rare
    word, rising with the word's frequency to 1 at BROAD_ZIPF.

    >>> generality("subnet mask"), generality("subnet"), generality("file")
    (0.0, 0.0, 1.0)
    """
    words = key.split()
    if len(words) != 1 or not any(c.isalpha() for c in words[0]):
        return 0.0
    z = zipf(words[0].replace("-", ""))
    return round(min(1.0, max(0.0, (z - SPECIFIC_ZIPF) / (BROAD_ZIPF - SPECIFIC_ZIPF))), 3)


# Importance keeps this share of a fully general concept's weight: it is still reachable, never a hub.
SPECIFICITY_FLOOR = 0.1


def specificity(key: str, label: str = "", passing: bool = False) -> float:
    """1 - `generality`: what share of its cards a concept counts for as a name. A label written
    as a name ("IP", "CloudWatch": capitals after the first letter) is specific however common
    its lower-case word is; a word of everyday English the deck says only in `passing`
    (kg.termhood) counts for nothing.

    >>> specificity("iteration"), specificity("iteration", passing=True), specificity("subnet", passing=True)
    (0.931, 0.0, 1.0)
    """
    if any(c.isupper() for c in label[1:]):
        return 1.0
    if passing and is_passing_word(key, label):
        return 0.0
    return round(1.0 - generality(key), 3)


def is_passing_word(key: str, label: str = "") -> bool:
    """Whether a concept said only in passing names nothing of the deck: one word of everyday
    English (from COMMON_ZIPF), written as one (a label in lower case: "Lambda" written
    capitalised mid-sentence is a name)."""
    words = key.split()
    if len(words) != 1 or label[:1].isupper():
        return False
    word = words[0].replace("-", "")
    return word.isalpha() and zipf(word) >= COMMON_ZIPF


def ranked_cards(key: str, cards: int, label: str = "", passing: bool = False) -> float:
    """The cards a concept counts for when concepts are ranked by how many cards name them: all of
    them for a specific name, none for a word of general English ("address" on four cards of a
    networking deck is said about "IP address", "MAC address" and the rest) or one the deck
    says only in passing.

    >>> ranked_cards("ip address", 4), ranked_cards("address", 4)
    (4.0, 0.0)
    """
    return round(cards * specificity(key, label, passing), 3)


def rank_order(d: dict) -> tuple:
    """Sort key of a concept's attributes (`key`, `label`, `cards`, `passing`) in the ranking of
    concepts by cards: ranked cards, then cards, then label."""
    key = d.get("key") or d.get("label", "")
    return (-ranked_cards(key, d.get("cards", 0), d.get("label", ""), bool(d.get("passing"))),
            -d.get("cards", 0), d.get("label", ""))
