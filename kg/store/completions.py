"""Completions of busy prefixes, ranked once at load time.

A prefix of a few letters starts hundreds of thousands of concept names at a million cards ("m"
starts 600,000): completing it from its rows reads them all for the ten it shows. At load time
every prefix starting more than `COMPLETION_ROWS` names gets its best `COMPLETIONS_KEPT`
concepts, ranked as `kg.search.SearchIndex.suggest` ranks them (whole names first, then the
concepts on most cards, then the shortest name; ties by id), so its completion reads those and
answers the same (`kg.store.sql_search`).
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Mapping

#: Names a prefix may start before its completions are kept.
COMPLETION_ROWS = 1000
#: Concepts kept per busy prefix: the most a completion asks for (kg.web's `limit` is at most 50).
COMPLETIONS_KEPT = 50
_LAST = chr(0x10FFFF)
# A prefix longer than this is completed from its rows (the walk goes a character deeper per level).
_DEEPEST = 200


def completion_rows(prefixes: list[tuple[str, str, bool]], cards: Mapping[str, int], *,
                    rows: int = COMPLETION_ROWS, kept: int = COMPLETIONS_KEPT):
    """(prefix, pos, concept) of the best `kept` concepts of every prefix starting more than
    `rows` of the names in `prefixes` ((name, concept, whole name?) sorted by name)."""
    names = [p[0] for p in prefixes]
    found: list[tuple[str, int, str]] = []

    def ranked(best: dict) -> list:
        return heapq.nsmallest(kept, ((rank, c) for c, rank in best.items()))

    def walk(lo: int, hi: int, depth: int) -> list:
        """The best `kept` (rank, concept) of the names lo..hi, which share their first `depth`
        characters; records the prefix when it is busy."""
        best: dict[str, tuple] = {}

        def add(rank, concept):
            if concept not in best or rank < best[concept]:
                best[concept] = rank

        if hi - lo <= rows or depth >= _DEEPEST:
            for name, concept, whole in prefixes[lo:hi]:
                add((not whole, -cards.get(concept, 0), len(name)), concept)
            return ranked(best)
        i = lo
        while i < hi and len(names[i]) == depth:  # the prefix itself is a name
            name, concept, whole = prefixes[i]
            add((not whole, -cards.get(concept, 0), len(name)), concept)
            i += 1
        while i < hi:
            j = bisect.bisect_left(names, names[i][:depth + 1] + _LAST, i, hi)
            # A concept's best name in the whole range is its best in one part: the parts' own
            # best `kept` hold every concept of the whole range's best `kept`.
            for rank, concept in walk(i, j, depth + 1):
                add(rank, concept)
            i = j
        top = ranked(best)
        # Fewer concepts than a completion may ask for: it reads the rows (and may add near names).
        if depth and len(best) >= kept:
            prefix = names[lo][:depth]
            found.extend((prefix, pos, concept) for pos, (_, concept) in enumerate(top))
        return top

    if names:
        walk(0, len(names), 0)
    return found
