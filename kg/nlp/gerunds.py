"""Gerunds in terms: an "-ing" word the tagger reads as a verb that is a noun or a noun's modifier.

A gerund modifies the noun after it ("exploding gradients", "the gating network"), closes a noun
compound at the end of a list item ("model serving"), or with its particle names a technique
("hardening off", "scaling out"); `kg.nlp.terms` keeps it in the term.
"""

from __future__ import annotations

from spacy.tokens import Doc

_NOUNISH = frozenset({"NOUN", "PROPN"})


def gerund_modifier(doc: Doc, i: int) -> bool:
    """A gerund the parser hangs on the noun right after it, as an adjective ("exploding
    gradients") or as the first part of a compound ("the gating network", "a routing table")."""
    tok = doc[i]
    return tok.dep_ == "amod" or (tok.dep_ == "compound" and tok.head.i == i + 1 and tok.head.pos_ in _NOUNISH)


def nominal_gerund(doc: Doc, i: int) -> bool:
    """A gerund closing a noun compound at the end of a list item: "model serving", "data
    versioning" in "datasets, pipelines, and model serving." (the tagger reads a verb). Not after a
    plural, whose participle it is: "keeps identical pod replicas running;"."""
    tok = doc[i]
    after = doc[i + 1] if i + 1 < len(doc) else None
    prev = doc[i - 1] if i > 0 else None
    return (
        tok.tag_ == "VBG" and prev is not None and prev.pos_ == "NOUN" and bool(prev.whitespace_)
        and not (prev.tag_ == "NNS" and prev.lower_.endswith("s"))
        and (after is None or after.is_punct or after.pos_ == "CCONJ")
        and not any(c.dep_ in ("dobj", "prep", "advmod", "aux") for c in tok.children)
    )


_PARTICLES = frozenset("out off up down back in over away".split())
_WH_OPENERS = frozenset("what why how when which".split())


def particle_gerund(doc: Doc, i: int) -> bool:
    """A gerund with its particle used as a noun, the name of a technique: "What is hardening
    off?", "Pinching out the tip encourages...", "between scaling out and scaling up", "Rolling
    back a release restores..." (not the progressive "the plant is hardening off")."""
    tok = doc[i]
    if tok.tag_ != "VBG" or i + 1 >= len(doc) or tok.whitespace_ != " ":
        return False
    particle = doc[i + 1]
    if particle.lower_ not in _PARTICLES or not (particle.tag_ == "RP" or particle.tag_ == "RB" and particle.lower_ in ("back", "away")):
        return False
    after = doc[i + 2] if i + 2 < len(doc) else None
    if after is not None and (after.pos_ in _NOUNISH or after.pos_ == "ADJ"):
        return False  # a verb before its object: "fanning out tweets", "applying back pressure"
    prev = doc[i - 1] if i > 0 else None
    sent = tok.sent
    if i == sent.start or prev is not None and (prev.is_punct and prev.text in ":;-\u2013" or "\n" in prev.whitespace_):
        # Opening its sentence, as the subject of a verb after it.
        return any(t.tag_ in ("VBZ", "VBP", "VBD", "MD") for t in doc[i + 2 : sent.end])
    if prev.lemma_ == "be" and i >= 2 and doc[i - 2].lower_ in _WH_OPENERS and doc[i - 2].i == sent.start:
        return True  # "What is hardening off?", "Why is warming up important?"
    if prev.lower_ in ("between", "vs", "vs.", "versus") or prev.pos_ == "CCONJ" and i >= 3 \
            and doc[i - 2].tag_ in ("RP", "RB") and doc[i - 3].tag_ == "VBG":
        return True  # "between scaling out and scaling up"
    return False
