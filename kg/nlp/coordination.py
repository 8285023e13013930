"""Modifiers that share one head: "operating, investing and financing activities".

A term is a run of words, and a comma or "and" breaks it, so of a list of modifiers before one
head only the last keeps the head ("financing activities"). The parser hangs the first modifier on
the head and the others on the first as its conjuncts; each of them names a kind of the head
("operating activities", "the left and right ventricles", "red and white blood cells").
"""

from __future__ import annotations

from spacy.tokens import Doc

from kg.nlp.stoplists import GENERIC_MODIFIERS, KIND_MODIFIERS

_NOUNISH = frozenset({"NOUN", "PROPN"})


def shared_heads(doc: Doc, blocked: set[int]) -> list[tuple[int, int, int]]:
    """(modifier, first token of the shared words, token after the head) for each modifier of a
    list but its last: the shared words are those after the last modifier, up to the head ("blood
    cells" of "red and white blood cells")."""
    found = []
    for tok in doc:
        head = tok.head
        if tok.dep_ not in ("amod", "compound", "nmod") or head.pos_ not in _NOUNISH or head.i <= tok.i:
            continue
        conjuncts = [c for c in tok.conjuncts if tok.i < c.i < head.i]
        listed = [tok] + conjuncts
        # Adjectives or "-ing" words: coordinated nouns are things of their own ("bandwidth and
        # latency", "inventory and prepaid expenses"), and names of peoples often so too ("British
        # and French troops").
        if not conjuncts or not all(_kind_word(t) for t in listed):
            continue
        if any(t.lower_ in GENERIC_MODIFIERS and t.lower_ not in KIND_MODIFIERS for t in listed) \
                or not _opens_noun_phrase(doc, tok.i):
            continue  # qualities piled up, not kinds told apart: "ensures scalable and efficient operations"
        last = max(c.i for c in conjuncts)
        inside = {c.i for c in conjuncts}
        tail = doc[last + 1 : head.i + 1]
        if any(t.i not in inside and t.text != "," and t.pos_ != "CCONJ" for t in doc[tok.i + 1 : last]) \
                or any(t.pos_ not in ("NOUN", "PROPN", "ADJ") or t.i in blocked for t in tail) \
                or not doc[last].whitespace_:
            continue  # not a plain list of words before one head ("short- and long-term")
        found += [(t.i, last + 1, head.i + 1) for t in listed if t.i != last and t.i not in blocked]
    return found


def _opens_noun_phrase(doc: Doc, i: int) -> bool:
    """The word opens its line, sentence or label ("Operating, investing and financing activities.")
    or follows a determiner ("the upper and lower bounds"); after a verb ("ensures reliable and
    scalable operations") adjectives in a row are more often qualities than kinds."""
    if i == 0 or doc[i].is_sent_start:
        return True
    before = doc[i - 1]
    return ((before.is_punct and before.text != ",") or "\n" in before.whitespace_
            or before.tag_ in ("DT", "PDT", "PRP$") or before.dep_ == "preconj")


def _kind_word(tok) -> bool:
    """An adjective or an "-ing" word in lower case (or opening its sentence), which can name a kind."""
    return (tok.pos_ == "ADJ" or tok.lower_.endswith("ing")) and (tok.text.islower() or tok.is_sent_start)
