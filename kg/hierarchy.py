"""is_a and part_of links read from the structure of the terms themselves.

English compounds put the kind last: "concept drift" and "data drift" are kinds of "drift", so a
multi-word key whose trailing words form another concept key is_a that concept. A key that
starts with a proper name which is itself a concept ("Vertex AI Feature Store") is part_of it.
Curation's parents / part_of are added on top.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import networkx as nx

__all__ = ["hierarchy_edges", "GENERIC_HEADS"]

# Heads too vague to be a useful parent: "model type" is not usefully "a type".
GENERIC_HEADS = frozenset(
    """
    thing things way ways type types kind kinds sort form part parts level levels step steps
    aspect aspects factor factors issue issues set number lot area areas use uses case cases
    example examples term terms time times point points fact result results order value
    element elements item items detail details need needs purpose role stage stages
    option options
    """.split()
)
# A suffix this short is not a word (stray letters from tokenization).
MIN_HEAD_LENGTH = 2


def hierarchy_edges(
    G: nx.MultiDiGraph,
    *,
    curation=None,
    resolve: Callable[[str], str | None] | None = None,
) -> Iterator[tuple[str, str, str, str]]:
    """Yield `(child, parent, kind, origin)` for the is_a / part_of links among G's concepts.

    `kind` is "is_a" or "part_of", `origin` "term" (from the words) or "curation". `resolve` maps
    a curation key to its concept key (merges, acronyms); by default keys are used as they are.
    """
    from kg.graph import concept_id

    by_key = {d["key"]: n for n, d in G.nodes(data=True) if d.get("kind") == "concept"}
    seen: set[tuple[str, str, str]] = set()

    def emit(child, parent, kind, origin):
        if child != parent and (child, parent, kind) not in seen:
            seen.add((child, parent, kind))
            return True
        return False

    for key, node in by_key.items():
        words = key.split()
        if len(words) < 2:
            continue
        head = _longest_suffix(words, by_key)
        if head is not None and emit(node, by_key[head], "is_a", "term"):
            yield node, by_key[head], "is_a", "term"
        whole = _proper_prefix(G, node, words, by_key)
        if whole is not None and emit(node, by_key[whole], "part_of", "term"):
            yield node, by_key[whole], "part_of", "term"

    if curation is None:
        return
    resolve = resolve or (lambda k: k)
    for kind, table in (("is_a", getattr(curation, "parents", {})), ("part_of", getattr(curation, "part_of", {}))):
        for child_key, parent_keys in table.items():
            child = resolve(child_key)
            if child is None or concept_id(child) not in G:
                continue
            for parent_key in parent_keys:
                parent = resolve(parent_key)
                if parent is None or concept_id(parent) not in G:
                    continue
                if emit(concept_id(child), concept_id(parent), kind, "curation"):
                    yield concept_id(child), concept_id(parent), kind, "curation"


def _longest_suffix(words: list[str], by_key: dict[str, str]) -> str | None:
    for start in range(1, len(words)):
        suffix = " ".join(words[start:])
        if suffix in by_key and len(suffix) >= MIN_HEAD_LENGTH and suffix not in GENERIC_HEADS:
            return suffix
    return None


def _proper_prefix(G, node: str, words: list[str], by_key: dict[str, str]) -> str | None:
    label = G.nodes[node].get("label", "")
    for end in range(len(words) - 1, 0, -1):
        prefix = " ".join(words[:end])
        if prefix not in by_key:
            continue
        whole_label = G.nodes[by_key[prefix]].get("label", "")
        # A named part of a named thing: "Vertex AI" + "Feature Store", both written as names.
        # "MLOps pipeline" (a lower-case rest) is a kind of pipeline, not a part of MLOps.
        if label.startswith(whole_label) and _is_proper_name(whole_label):
            # The longest named prefix decides; a shorter one ("Vertex" of "Vertex AI ...")
            # would name the wrong whole.
            return prefix if _is_proper_name(label[len(whole_label):]) else None
    return None


def _is_proper_name(label: str) -> bool:
    """Has a capitalised word that is not just an acronym ("Vertex", "TensorBoard"; not "ML")."""
    return any(w[:1].isupper() and any(ch.islower() for ch in w[1:]) for w in label.split())
