"""What a graph was counted from: the tallies a build keeps beside the graph.

A graph is mostly sums over cards (who names what, how it is written, which pairs meet, who
states what). Kept, those sums let the next build take away what changed cards said before and
add what they say now (kg.update) instead of counting every card again. Stored as JSON, never
pickled: small parts as one row each of the workspace's `state` table, the per-card and
per-concept parts as rows of `state_cards` and `state_tallies`, so an update rewrites only the
rows of what it touched.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

__all__ = ["GraphState", "STATE_VERSION", "TALLY_SEP"]

# Bumped whenever what is kept changes meaning; a workspace with another version is rebuilt whole.
STATE_VERSION = "8"  # 5: concepts carry term_cards and passing (kg.termhood); 6: deck_terms (kg.deckterms);
# 7: a compound led by an everyday word is not expanded as an acronym (kg.graph.KeyResolver); 8: a
# concept written only in its acronym-led form is labelled as written (kg.labels): a graph named the
# old way is built again
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
    # kept co-occurring pair (u < v) -> (shared cards, npmi, weight), in pair order: after a build
    # a kg.cooccurrence.KeptLinks (read from arrays), after an update or a load a dict
    co_occurs: Mapping[tuple[str, str], tuple[int, float, float]]
    # (child, parent, kind) -> origin
    hierarchy: dict[tuple[str, str, str], str]
    # concepts touched by updates since communities were last counted
    drift: int = 0
    # marked name of two or more words -> cards marking it (kg.deckterms): found on every card
    deck_terms: dict[str, int] = field(default_factory=dict)
    # every pair of concepts that meet on a card: codes u * n + v over the sorted `pair_nodes`,
    # and the cards each meets on (binary arrays: a 20k-card deck has over a million pairs)
    pair_nodes: list[str] = field(default_factory=list)
    pair_codes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    pair_counts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # cards and concepts whose rows an update changed (None: all, as after a full build)
    dirty_cards: set[str] | None = field(default=None, compare=False)
    dirty_tallies: set[str] | None = field(default=None, compare=False)
    # reads the stored tallies of some concepts (all with None): an update reads only the few
    # it changes, where decoding every concept's would cost a quarter of a second
    read_tallies: Callable[[set[str] | None], dict] | None = field(default=None, compare=False, repr=False)
    _complete: bool = field(default=True, compare=False, repr=False)
    _absent: set[str] = field(default_factory=set, compare=False, repr=False)

    def need_tallies(self, nodes: set[str] | None) -> None:
        """Make sure the tallies of `nodes` (of every concept with None) are in `tallies`."""
        if self._complete or self.read_tallies is None:
            return
        if nodes is None:
            self.tallies.update((n, t) for n, t in self.read_tallies(None).items() if n not in self.tallies)
            self._complete = True
        else:
            wanted = {n for n in nodes if n not in self.tallies and n not in self._absent}
            found = self.read_tallies(wanted)
            self.tallies.update(found)
            self._absent |= wanted - found.keys()

    def dumps(self) -> dict[str, str | bytes]:
        """{name: JSON text or array bytes}, one row of the `state` table each."""
        return {
            "version": STATE_VERSION,
            "acronyms": _dump(self.acronyms),
            "word_case": _dump(self.word_case),
            "relations": _dump([[u, v, verbs, cids] for (u, v), (verbs, cids) in self.relations.items()]),
            "co_occurs": _dump([[u, v, *stats] for (u, v), stats in self.co_occurs.items()]),
            "hierarchy": _dump([[*edge, origin] for edge, origin in self.hierarchy.items()]),
            "drift": str(self.drift),
            "deck_terms": _dump(self.deck_terms),
            "pair_nodes": _dump(self.pair_nodes),
            "pair_codes": np.asarray(self.pair_codes, dtype="<i8").tobytes(),
            "pair_counts": np.asarray(self.pair_counts, dtype="<i8").tobytes(),
        }

    def card_rows(self) -> tuple[list[tuple[str, str]], list[str]]:
        """(rows to write, card ids to delete) of the `state_cards` table."""
        return _rows(self.card_concepts, self.dirty_cards)

    def tally_rows(self) -> tuple[list[tuple[str, str]], list[str]]:
        """(rows to write, concept nodes to delete) of the `state_tallies` table."""
        return _rows(self.tallies, self.dirty_tallies)

    @classmethod
    def loads(cls, rows: dict[str, str], cards, read_tallies) -> "GraphState | None":
        """The state stored as `rows` with the (id, JSON) rows of `cards`, or None when there is
        none of this version; `read_tallies(nodes)` gives {node: JSON text} of stored tallies."""
        if rows.get("version") != STATE_VERSION:
            return None
        load = json.loads
        state = cls(
            acronyms=load(rows["acronyms"]),
            card_concepts={cid: load(data) for cid, data in cards},
            tallies={},
            word_case=load(rows["word_case"]),
            relations={(u, v): (Counter(verbs), cids) for u, v, verbs, cids in load(rows["relations"])},
            co_occurs={(u, v): (s, npmi, w) for u, v, s, npmi, w in load(rows["co_occurs"])},
            hierarchy={(child, parent, kind): origin for child, parent, kind, origin in load(rows["hierarchy"])},
            drift=int(rows.get("drift", "0")),
            deck_terms=load(rows["deck_terms"]),
            pair_nodes=load(rows["pair_nodes"]),
            # Copied: an update changes them in place.
            pair_codes=np.frombuffer(rows["pair_codes"], dtype="<i8").astype(np.int64),
            pair_counts=np.frombuffer(rows["pair_counts"], dtype="<i8").astype(np.int64),
        )
        state.read_tallies = lambda nodes: {n: load(text) for n, text in read_tallies(nodes).items()}
        state._complete = False
        return state


def _dump(value) -> str:
    return json.dumps(value, separators=(",", ":"))


def _rows(table: dict, dirty: set[str] | None) -> tuple[list[tuple[str, str]], list[str]]:
    keys = table.keys() if dirty is None else dirty
    return [(k, _dump(table[k])) for k in keys if k in table], [k for k in keys if k not in table]
