"""Words of the deck derived from a query word, or that it derives from: "volcano" and "volcanic",
"instrument" and "instrumental", "economy" and "economic", "statistics" and "statistical",
"buddhist" and "buddhism".

The search stemmer (`kg.search.stem`) folds inflections and a few suffixes that keep a word's
meaning (-ation, -ity, -ment); a noun and the adjective made from it keep their own stems, and
folding them always would join "general" with "generation". A query asks one word at a time, so
here a derived form found in the deck is offered as a second, weaker reading of the query word:
the two share a stem of at least `MIN_SHARED` letters, one adds an adjective or noun suffix to it,
the other at most a final vowel or plural ending ("volcan-o" / "volcan-ic").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

__all__ = ["MIN_SHARED", "relatives"]

MIN_SHARED = 6
# What the plain word may have after the shared stem: nothing, a final vowel, a plural.
_ENDINGS = frozenset({"", "e", "o", "a", "y", "s", "es", "os", "oes", "as", "ys", "ies"})
# What the derived word adds: adjective and abstract-noun suffixes.
_SUFFIXES = frozenset({
    "al", "ic", "ical", "ous", "ive", "ism", "ist", "ary", "ory", "ial", "ian", "ics", "ally", "ically",
})


def relatives(word: str, words_starting: Callable[[str], Iterable[str]]) -> list[str]:
    """The words `words_starting(prefix)` knows that derive from `word` or that it derives
    from, sorted; `word` is lower case."""
    if not word.isalpha() or len(word) < MIN_SHARED:
        return []
    found = set()
    for other in words_starting(word[:MIN_SHARED]):
        if other == word or not other.isalpha():
            continue
        shared = MIN_SHARED
        while shared < min(len(word), len(other)) and word[shared] == other[shared]:
            shared += 1
        for cut in range(MIN_SHARED, shared + 1):
            rest, tail = word[cut:], other[cut:]
            if (rest in _ENDINGS and tail in _SUFFIXES) or (rest in _SUFFIXES and tail in _ENDINGS):
                found.add(other)
                break
        if _siblings(word, other):
            found.add(other)
    return sorted(found)


# A doctrine and its follower are made from one stem with two suffixes, neither word the plain
# stem: "buddhist" / "buddhism", "marxist" / "marxism", "darwinian" / "darwinism".
_SIBLING_SUFFIXES = ("ist", "ists", "ism", "isms", "ian", "ians")


def _siblings(word: str, other: str) -> bool:
    def base(w: str) -> str | None:
        return next((w[: -len(x)] for x in _SIBLING_SUFFIXES if w.endswith(x) and len(w) - len(x) >= 4), None)

    a, b = base(word), base(other)
    return a is not None and a == b and word.rstrip("s")[-3:] != other.rstrip("s")[-3:]
