"""Terms an author marked on some card, found on every card of the deck that says them.

A deck defines a term once ("What is a linked list?", a bold "time series", a cloze) and then
uses it on many cards. Read one at a time, those other cards often lose it: the parse cuts a
participle from its front ("a doubly linked list" reads as "list"), or drops a name made only of
general English words ("unit test", "control group", "interest rate"), which is right for "end
result" and wrong for a term the deck teaches. The deck tells them apart: a name its author marked
on one card is a term wherever the deck writes it.

Only names of two words or more travel: one word is too often plain English on other cards (a
bold "list" in a Python deck is the type; "a list of steps" elsewhere is not). Names that open with
a grading word ("key benefits", "main challenges") stay where they were marked.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache

from kg.cards import Card
from kg.extraction import CardExtraction, Mention
from kg.nlp.languages import FOREIGN, word_language
from kg.nlp.lexicon import is_lemma, lemmas
from kg.nlp.normalize import normalize_key
from kg.nlp.stoplists import GENERIC_MODIFIERS, INSTRUCTION_WORDS, KIND_MODIFIERS

__all__ = ["DeckTerms", "count_marked", "marked_terms", "travels"]

MIN_WORDS, MAX_WORDS = 2, 5
_WORD = re.compile(r"\w[\w'\u2019]*")
# What may stand between two words of one name: spaces, hyphens, a slash ("CI/CD pipeline").
_GAP = re.compile(r"[ \t\u00a0\-\u2010\u2011\u2013/]{1,3}")
_GRADERS = GENERIC_MODIFIERS - KIND_MODIFIERS
_FIELDS = ("question", "answer")


def travels(key: str) -> bool:
    """Whether a marked key is a name to look for on the deck's other cards."""
    words = key.split()
    # English words ending in a noun: a phrase of another language marked on a language card
    # ("il est", "plus que parfait") is said in example sentences elsewhere, not named.
    return (MIN_WORDS <= len(words) <= MAX_WORDS and words[0] not in _GRADERS
            and words[0] not in INSTRUCTION_WORDS and all(any(c.isalpha() for c in w) for w in words)
            and (is_lemma(words[-1], "noun") or bool(lemmas(words[-1], "noun")))
            and all(_english(w) for w in words))


def marked_terms(ext: CardExtraction) -> set[str]:
    """The names of two or more words that one card's author marked."""
    return {m.concept for m in ext.mentions if m.marked and travels(m.concept)}


def _english(word: str) -> bool:
    """Not a word of another language (kg.nlp.languages): "il", "est" of a French deck's "il est"."""
    return word_language(word) != FOREIGN


@lru_cache(maxsize=1 << 17)
def _last_word(token: str) -> str:
    """The key of one written word ("Lists" -> "list"), cached: a deck repeats its words."""
    key = normalize_key(token)
    return key.rsplit(" ", 1)[-1] if key else ""


class DeckTerms:
    """The marked names of a deck (`counts`: key -> cards marking it), found on any card."""

    def __init__(self, counts: Mapping[str, int]):
        self.keys = frozenset(k for k, n in counts.items() if n > 0)
        self._by_last: dict[str, dict[str, int]] = {}  # last word -> {key: its words}
        # The first word of each name, as a stem any written form of it contains ("linked" of
        # "linked lists" and "Linked-List"): a cheap test before the words are read.
        self._firsts = sorted({k.split()[0][:4] for k in self.keys})
        for key in sorted(self.keys):
            words = key.split()
            self._by_last.setdefault(words[-1], {})[key] = len(words)

    @classmethod
    def of(cls, extractions: Iterable[CardExtraction]) -> "DeckTerms":
        return cls(count_marked(extractions))

    def __bool__(self) -> bool:
        return bool(self.keys)

    def said_on(self, card: Card) -> bool:
        """Whether `card` says any of the names (whether or not its extraction has it)."""
        text = f"{card.question}\n{card.answer}".lower()
        if not any(first in text for first in self._firsts):
            return False  # most cards: one scan of the text per name, in C
        return bool(self.found(card, CardExtraction(card.id)))

    def found(self, card: Card, ext: CardExtraction) -> list[Mention]:
        """Mentions of the deck's marked names on `card` that its own extraction lacks."""
        if not self.keys:
            return []
        have = {m.concept for m in ext.mentions}
        # A name inside a longer one the card names is not looked for there: "network address"
        # inside "network address translation".
        spans = {field: [(m.start, m.end) for m in ext.mentions if m.field == field] for field in _FIELDS}
        out: list[Mention] = []
        for field in _FIELDS:
            text = getattr(card, field)
            words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
            for i, (_, end) in enumerate(words):
                candidates = self._by_last.get(_last_word(text[words[i][0]:end]))
                if not candidates:
                    continue
                # Each start is read once, however many names end with this word ("cell" ends
                # hundreds of names in a biology deck): at most MAX_WORDS keys per word.
                longest = max(candidates.values())
                matched = set()
                j = i
                while j >= 0 and i - j < longest:
                    if j < i and not _GAP.fullmatch(text[words[j][1]:words[j + 1][0]]):
                        break
                    key = normalize_key(text[words[j][0]:end])
                    if key in candidates and key not in have and key not in matched:
                        matched.add(key)
                        start = words[j][0]
                        if not any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans[field]):
                            out.append(Mention(key, text[start:end], field, start, end))
                    j -= 1
        return out


def count_marked(extractions: Iterable[CardExtraction], counts: Counter | None = None, sign: int = 1) -> Counter:
    """Cards marking each travelling name, added to (or with sign=-1 taken from) `counts`."""
    counts = Counter() if counts is None else counts
    for ext in extractions:
        # Sorted: a set's order changes from one process to the next, and the counts' order
        # is kept in the workspace (two builds of the same decks write the same file).
        for key in sorted(marked_terms(ext)):
            counts[key] += sign
            if counts[key] <= 0:
                del counts[key]
    return counts
