"""What one card names, held compactly: a big build keeps one of these a card.

A card's counts, {concept node: (count, in_question, in_answer, marked)}, are read by every
later step of a build (pairs, termhood, evidence, the `mentions` rows) but never changed once
counted. As a dict of four-item lists they cost over a kilobyte a card; as a tuple of nodes
and one packed number a node, about a quarter of that.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator, Mapping

__all__ = ["CardCounts"]

_FLAGS = 2  # in_question, in_answer: the low bits
_COUNT_SHIFT = 32  # marked sits between the flags and the count


class CardCounts(Mapping):
    """{node: (count, in_question, in_answer, marked)} of one card, read-only, in the order
    the card names them.

    >>> found = CardCounts({"concept:drift": [2, True, False, 1], "concept:data": [1, False, True, 0]})
    >>> dict(found)
    {'concept:drift': (2, True, False, 1), 'concept:data': (1, False, True, 0)}
    >>> list(found), len(found), "concept:data" in found
    (['concept:drift', 'concept:data'], 2, True)
    """

    __slots__ = ("_nodes", "_packed")

    def __init__(self, found: Mapping[str, list | tuple]):
        self._nodes = tuple(found)
        self._packed = struct.pack(f"<{len(self._nodes)}Q", *(
            count << _COUNT_SHIFT | marked << _FLAGS | in_question << 1 | in_answer
            for count, in_question, in_answer, marked in found.values()))

    def __len__(self) -> int:
        return len(self._nodes)

    def __iter__(self) -> Iterator[str]:
        return iter(self._nodes)

    def __contains__(self, node) -> bool:
        return node in self._nodes

    def __getitem__(self, node: str) -> tuple[int, bool, bool, int]:
        try:
            i = self._nodes.index(node)
        except ValueError:
            raise KeyError(node) from None
        return _unpacked(struct.unpack_from("<Q", self._packed, 8 * i)[0])

    def items(self) -> list[tuple[str, tuple[int, bool, bool, int]]]:
        return list(zip(self._nodes, self.values()))

    def values(self) -> list[tuple[int, bool, bool, int]]:
        return [_unpacked(p) for p in struct.unpack(f"<{len(self._nodes)}Q", self._packed)]

    def __repr__(self) -> str:
        return f"CardCounts({dict(self.items())!r})"


def _unpacked(packed: int) -> tuple[int, bool, bool, int]:
    return (packed >> _COUNT_SHIFT, bool(packed & 2), bool(packed & 1),
            (packed & ((1 << _COUNT_SHIFT) - 1)) >> _FLAGS)
