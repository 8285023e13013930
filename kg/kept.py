"""What an update leaves in memory for the next update of the same workspace (`kg serve --watch`).

A build reads back what the workspace was counted from: every stored card, the counting state
(kg.graphstate) and the concepts' summaries, half of a small update's time at 5,000 cards. A
process that updates the same workspace again and again (kg.watch) already holds all three right
after its last update; `KeptUpdate` carries them over, valid only while the workspace file is the
one that update wrote (same stamp). The state is changed in place by the next update, so it is
handed over once and forgotten: an update that fails leaves nothing half changed behind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from kg.cards import Card


@dataclass
class KeptUpdate:
    stamp: tuple | None = None
    cards: list[Card] | None = None
    state: object = None  # kg.graphstate.GraphState
    concepts: dict[str, tuple] | None = None

    def cards_for(self, previous) -> list[Card] | None:
        """The cards `previous` (an open Workspace) was built from, if this is still its update."""
        return self.cards if self._valid(previous) else None

    def take(self, previous) -> tuple[object, dict[str, tuple]] | None:
        """(state, concept summaries) of `previous`, handed over once; None if not kept."""
        if not self._valid(previous):
            self.clear()
            return None
        state, concepts = self.state, self.concepts
        self.clear()
        # Tallies not used yet are still read lazily, now from the file open for this build.
        state.read_tallies = lambda nodes: {n: json.loads(text) for n, text in previous._tallies(nodes).items()}
        return state, concepts

    def keep(self, stamp: tuple | None, cards: list[Card], patch, concepts: dict[str, tuple]) -> None:
        """Remember the update that wrote the workspace now stamped `stamp`."""
        from kg.update import SUMMARY_FIELDS

        concepts = dict(concepts)
        for node, attrs in patch.nodes.items():
            if attrs is None:
                concepts.pop(node, None)
            elif attrs.get("kind") == "concept":
                concepts[node] = tuple(attrs.get(name) for name in SUMMARY_FIELDS)
        self.stamp, self.cards, self.state, self.concepts = stamp, list(cards), patch.state, concepts

    def clear(self) -> None:
        self.stamp = self.cards = self.state = self.concepts = None

    def _valid(self, previous) -> bool:
        return self.state is not None and previous is not None and previous.stamp == self.stamp
