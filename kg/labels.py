"""How a concept is named: its label and aliases, read from how the deck writes it.

The label is the form the deck writes most: "MLOps" over "Machine Learning Operations" when the
acronym is what people use, the spelled-out form otherwise. A capital letter counts only where
it is the term's own, not the sentence's or a heading's, so "Scalability" opening a list item
reads "scalability" while "Kubeflow" keeps its capital.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

__all__ = ["INITIAL", "PLAIN", "TITLE", "SurfaceCounts", "case_vote", "clean_form", "mention_context"]

# Where a mention stands decides what its capital letter says: at the start of a sentence, a
# line or a list item ("1) Scalability:", "- Monitoring: ...") it is the sentence's capital;
# right after a capitalised word ("the Web Server") it is a heading's or a name's; only
# elsewhere ("tools like Feature Store") is it the term's own.
INITIAL, TITLE, PLAIN = "initial", "title", "plain"
_LOOK_BACK = 40
_INLINE_MARK = re.compile(r"\d{1,3}\)|\(\d{1,3}\)|\(?[a-z]\)")
_LIST_MARK = re.compile(r"[-*•–+>]|#{1,6}|\d{1,3}[.)]|[A-Za-z][.)]|\(\d{1,3}\)")


def mention_context(text: str, start: int) -> str:
    """INITIAL, TITLE or PLAIN: what stands before the mention starting at `start` in `text`.

    >>> [mention_context(t, t.index("Scal")) for t in ("1) Scalability: x", "and Scalability", "Web Scalability")]
    ['initial', 'plain', 'title']
    """
    before = text[max(0, start - _LOOK_BACK):start]
    stripped = before.rstrip()
    if not stripped or "\n" in before[len(stripped):] or stripped[-1] in ".!?:;\"'“‘([{":
        return INITIAL
    newline = stripped.rfind("\n")
    if newline >= 0 or start <= _LOOK_BACK:  # the line starts inside the window: a list item?
        if _LIST_MARK.fullmatch(stripped[newline + 1:].strip()):
            return INITIAL
    word = stripped.rsplit(None, 1)[-1]
    if _INLINE_MARK.fullmatch(word):  # "you would 1) Benchmark, 2) Profile"
        return INITIAL
    word = word.strip("\"'()[],")
    return TITLE if word[:1].isupper() else PLAIN


def _is_titled(word: str) -> bool:
    """Capitalised like a sentence start ("Scalability"), not an acronym or a CamelCase name."""
    return word[:1].isupper() and word[1:] == word[1:].lower()


def _abbreviates(short: str, key: str) -> bool:
    """Whether `short` can stand for `key`: no more capitals than words ("MLOps" for "machine
    learning operations" yes; "PPO" for "policy optimization" no, extraction lost a word)."""
    words = len(re.split(r"[\s/-]+", key.strip()))
    return sum(ch.isupper() for ch in short) <= words


def clean_form(surface: str) -> str:
    surface = surface.strip(" \t\n\"'“”‘’,;:!?")
    # "MoE." at the end of a sentence; keep "U.S." and "Node.js".
    return surface[:-1] if surface.endswith(".") and surface.count(".") == 1 else surface


def case_vote(form: str, context: str) -> tuple[str, int] | None:
    """(first word, 1 if capitalised else 0) when a mention says how the deck cases a word:
    only mid-sentence, where a capital is the word's own."""
    if context != PLAIN or not form:
        return None
    first = form.split(None, 1)[0]
    return first.lower(), int(first[:1].isupper())


def _by_count(counts: Counter) -> list[str]:
    # Most written first; equals by the form itself, so the order never depends on which card
    # was read first (an updated workspace names things as a fresh build does).
    return sorted(counts, key=lambda f: (-counts[f], f))


class SurfaceCounts:
    """How a deck writes each concept: its spelled-out forms with where they stood, its acronym
    forms, its merged names; and, deck-wide, how each first word is cased mid-sentence."""

    def __init__(self):
        self.forms: dict[str, Counter] = defaultdict(Counter)  # node -> (form, context) -> n
        self.shorts: dict[str, Counter] = defaultdict(Counter)
        self.merged: dict[str, Counter] = defaultdict(Counter)
        self.word_case: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # word -> [lower, capitalised]

    def add(self, node: str, surface: str, context: str, n: int = 1) -> None:
        """`n` mentions of `node` written `surface`, standing in `context` (see mention_context)."""
        form = clean_form(surface)
        self.forms[node][(form, context)] += n
        vote = case_vote(form, context)
        if vote is not None:
            self.word_case[vote[0]][vote[1]] += n

    def add_short(self, node: str, surface: str, n: int = 1) -> None:
        self.shorts[node][clean_form(surface)] += n

    def add_alias(self, node: str, surface: str, n: int = 1) -> None:
        self.merged[node][clean_form(surface)] += n

    def names(self, node: str, key: str, curated: Iterable[str] = ()) -> dict:
        """`{"label", "aliases"}` of one concept; every name but the label is an alias."""
        long = self._long_label(node, key)
        shorts = self.shorts.get(node, Counter())
        n_long = sum(self.forms[node].values()) if node in self.forms else 0
        aliases: list[str] = []
        # Prefer the singular, upper-case spelling among equals: "CDN" over "CDNs", "cdn".
        short = max(shorts, key=lambda f: (shorts[f], sum(ch.isupper() for ch in f), -len(f), f)) if shorts else ""
        if short and (long is None or (sum(shorts.values()) > n_long and _abbreviates(short, key))):
            label = short
            if long:
                aliases.append(long)
        else:
            # A concept the deck only writes in another form ("HTTP APIs", folded into
            # "hypertext transfer protocol api" because the deck defines HTTP) is labelled as
            # written, not by its key.
            merged = self.merged.get(node)
            label = long or next((f for f in _by_count(merged or Counter()) if f), key)
        # Other spellings of the spelled-out form ("feature stores") are not aliases.
        own = {f.lower() for f, _ in self.forms.get(node, ())} | {key}
        seen = {label.lower()} | {a.lower() for a in aliases}
        others = _by_count(shorts) + _by_count(self.merged.get(node, Counter())) + list(curated)
        for form in others:
            low = form.lower()
            if not form or low in seen or low in own or any(low == s + "s" or s == low + "s" for s in seen):
                continue
            seen.add(low)
            aliases.append(form)
        return {"label": label, "aliases": aliases}

    def _long_label(self, node: str, key: str) -> str | None:
        forms = self.forms.get(node)
        if not forms:
            return None
        totals: Counter = Counter()
        for (form, _), n in forms.items():
            totals[form.lower()] += n
        best_lower = max(totals, key=lambda low: (low == key, totals[low], low))
        # Case is voted over every inflection written mid-sentence ("Load Balancer" against
        # "load balancer" and "load balancers"); a tie reads lower case.
        capitalised = lower = 0
        for (form, context), n in forms.items():
            if context == PLAIN:
                if any(_is_titled(w) for w in form.split()):
                    capitalised += n
                elif form == form.lower():
                    lower += n
        anywhere: Counter = Counter()
        for (form, context), n in forms.items():
            if form.lower() == best_lower:
                anywhere[form, context == PLAIN] += n
        if capitalised > lower:
            titled = [(n, plain, f) for (f, plain), n in anywhere.items() if any(_is_titled(w) for w in f.split())]
            if titled:
                return max(titled)[2]
        if capitalised or lower:
            best = max(anywhere, key=lambda fp: (fp[1], anywhere[fp], -sum(ch.isupper() for ch in fp[0]), fp[0]))[0]
            return " ".join(w[:1].lower() + w[1:] if _is_titled(w) else w for w in best.split(" "))
        best = max(anywhere, key=lambda fp: (anywhere[fp], fp[0]))[0]
        return " ".join(self._true_case(word) for word in best.split(" "))

    def _true_case(self, word: str) -> str:
        """A word seen only where a capital is expected keeps it only if the deck capitalises
        it mid-sentence more often than not ("Kubeflow" yes, "Scalability" no)."""
        if not _is_titled(word):
            return word  # lower case already, or an acronym / inner capitals ("AI", "MLOps")
        lower, capitalised = self.word_case.get(word.lower(), (0, 0))
        return word if capitalised > lower else word[:1].lower() + word[1:]
