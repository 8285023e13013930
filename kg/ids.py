"""Node ids: how decks, cards and concepts are named in the graph.

`deck:<slug>`, `card:<card id>` and `concept:<slug>` (ARCHITECTURE.md). Below both kg.graph and
kg.hierarchy, which name concepts the same way; kg.graph re-exports these.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["card_node", "concept_id", "deck_node", "slug"]

# Any run of characters that are neither letters nor digits (of any script).
_NON_SLUG = re.compile(r"[\W_]+")


@lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """Lower-case letters and digits, everything else folded to single `-`. A Latin letter loses
    its accent ("pretérito" -> "preterito"); the letters of other scripts stay as they are, so that
    "して" and "что" are concepts of their own, not all one "x".

    >>> slug("CI/CD pipelines"), slug("Pretérito perfecto"), slug("は vs が")
    ('ci-cd-pipelines', 'preterito-perfecto', 'は-vs-が')
    """
    folded = "".join(_fold(ch) for ch in unicodedata.normalize("NFC", text))
    return _NON_SLUG.sub("-", folded.lower()).strip("-") or "x"


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    """A character as ASCII when it is a Latin letter with marks or a compatibility form ("é",
    "ﬁ", "²"); else itself. Kana are left whole: "が" is not "か" with a mark dropped."""
    if ch.isascii():
        return ch
    ascii_form = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii")
    return ascii_form if ascii_form and ascii_form.isalnum() else ch


def concept_id(key: str) -> str:
    """Node id of the concept with normalized key `key`.

    >>> concept_id("training-serving skew")
    'concept:training-serving-skew'
    """
    return f"concept:{slug(key)}"


def card_node(card_id: str) -> str:
    return f"card:{card_id}"


def deck_node(deck: str) -> str:
    return f"deck:{slug(deck)}"
