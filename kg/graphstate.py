"""What a graph was counted from: the tallies a build keeps beside the graph.

A graph is mostly sums over cards (who names what, how it is written, which pairs meet, who
states what). Kept, those sums let the next build take away what changed cards said before and
add what they say now (kg.update) instead of counting every card again. Stored as JSON in the
workspace's `state` table, never pickled.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

__all__ = ["GraphState", "STATE_VERSION", "TALLY_SEP"]

# Bumped whenever what is kept changes meaning; a workspace with another version is rebuilt whole.
STATE_VERSION = "2"
TALLY_SEP = "\x1f"


@dataclass
class GraphState:
    # short key -> long key -> cards defining the acronym
    acronyms: dict[str, dict[str, int]]
    # card id -> concept nodes it names, in card order
    card_concepts: dict[str, list[str]]
    # concept node -> "extracted key\x1fsurface\x1fcontext" -> mentions (joined: JSON keys are strings)
    tallies: dict[str, dict[str, int]]
    # word -> [mid-sentence lower-case mentions, capitalised ones]
    word_case: dict[str, list[int]]
    # (subject node, object node) -> (verb counts, cards in order); ends need not be concepts
    relations: dict[tuple[str, str], tuple[Counter, list[str]]]
    # kept co-occurring pair (u < v) -> (shared cards, npmi, weight)
    co_occurs: dict[tuple[str, str], tuple[int, float, float]]
    # (child, parent, kind) -> origin
    hierarchy: dict[tuple[str, str, str], str]
    # concepts touched by updates since communities were last counted
    drift: int = 0

    def dumps(self) -> dict[str, str]:
        """{name: JSON text}, one row of the `state` table each."""
        def dump(value) -> str:
            return json.dumps(value, separators=(",", ":"))

        return {
            "version": STATE_VERSION,
            "acronyms": dump(self.acronyms),
            "card_concepts": dump(list(self.card_concepts.items())),
            "tallies": dump(self.tallies),
            "word_case": dump(self.word_case),
            "relations": dump([[u, v, verbs, cids] for (u, v), (verbs, cids) in self.relations.items()]),
            "co_occurs": dump([[u, v, *stats] for (u, v), stats in self.co_occurs.items()]),
            "hierarchy": dump([[*edge, origin] for edge, origin in self.hierarchy.items()]),
            "drift": str(self.drift),
        }

    @classmethod
    def loads(cls, rows: dict[str, str]) -> "GraphState | None":
        """The state stored as `rows`, or None when there is none of this version."""
        if rows.get("version") != STATE_VERSION:
            return None
        load = json.loads
        return cls(
            acronyms=load(rows["acronyms"]),
            card_concepts=dict(load(rows["card_concepts"])),
            tallies=load(rows["tallies"]),
            word_case=load(rows["word_case"]),
            relations={(u, v): (Counter(verbs), cids) for u, v, verbs, cids in load(rows["relations"])},
            co_occurs={(u, v): (s, npmi, w) for u, v, s, npmi, w in load(rows["co_occurs"])},
            hierarchy={(child, parent, kind): origin for child, parent, kind, origin in load(rows["hierarchy"])},
            drift=int(rows.get("drift", "0")),
        )
