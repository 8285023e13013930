"""Whether a deck treats a concept as a term it teaches or as a word it says in passing.

Word frequency cannot tell "iteration" or "anomaly" (Zipf 3.4–3.5) from "router" or "enzyme"
(3.5–3.8): all are ordinary English words of middling frequency. The deck can. A flashcard
author asks about the terms a deck teaches, marks them (bold, cloze, a list label), repeats them
on the cards about them and divides them into kinds ("data drift", "concept drift" under
"drift") or parts. A word the deck does none of that with, on any of its cards, is said in
passing ("across iterations", "drift and anomalies"): it stays a concept of its cards, but
ranks like a word of general English (kg.nlp.generic.specificity).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

__all__ = ["is_term_mention", "passing_concepts", "structured_concepts", "term_cards"]


def is_term_mention(entry: tuple) -> bool:
    """Whether one card treats a concept as a term: it names it in the question, marks it, or
    names it more than once (`entry` is kg.graph.card_contribution's (count, in_question,
    in_answer, marked))."""
    count, in_question, _, marked = entry
    return bool(in_question or marked or count > 1)


def term_cards(card_mentions: Mapping[str, Mapping[str, list]]) -> Counter:
    """{concept: cards that treat it as a term} over {card: {concept: entry}}."""
    out: Counter = Counter()
    for found in card_mentions.values():
        out.update(node for node, entry in found.items() if is_term_mention(entry))
    return out


def structured_concepts(hierarchy: Iterable[tuple[str, str, str]]) -> set[str]:
    """Concepts the deck divides into kinds (an is_a child) or parts, or names as a part (part_of).
    Verb relations are no evidence: a word said in passing is as often a subject or an object
    ("beginners should count the mites", "a common trap")."""
    out: set[str] = set()
    for child, parent, kind in hierarchy:
        out.add(parent)
        if kind == "part_of":
            out.add(child)
    return out


def passing_concepts(concepts: Iterable[str], terms: Mapping[str, int], structured: set[str]) -> set[str]:
    """The concepts said only in passing: no card treats them as a term and the deck gives them
    no kinds or parts."""
    return {node for node in concepts if not terms.get(node) and node not in structured}
