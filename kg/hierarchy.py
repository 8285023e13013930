"""is_a and part_of links read from the structure of the terms themselves.

English compounds put the kind last: "concept drift" and "data drift" are kinds of "drift", so a
multi-word key whose trailing words form another concept key is_a that concept. The split must
fall between a modifier and its head: not inside a hyphenated word ("semi-structured data" is
not "structured data"), not after a function word ("layer by layer", "in-memory cache"), and not
through a compound the deck knows ("natural language instruction" is an instruction). A key that
starts with a proper name which is itself a concept ("Vertex AI Feature Store") is part_of it,
and the members of an acronym pair ("CI" and "CD" of "CI/CD") are parts of the pair, never kinds
of it. Curation's parents / part_of are added on top, with the same rule for acronym pairs.
Names that are code or paths ("POST /items", "Suit(Enum") get no term links.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator

import re

import networkx as nx

from kg.ids import concept_id

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
# A compound across a split must be this common (and twice the head's cards) to be the modifier.
CROSSING_MIN_CARDS = 3
# A modifier never ends with these, nor does a compound start with a preposition.
FUNCTION_WORDS = frozenset(
    """
    a an the of in on at by for from to with without into onto over under per via vs and or
    nor but as than between across within through about after before
    """.split()
)
# A name of words: letters, digits, spaces, hyphens, apostrophes, dots, "+", "&"; a slash only
# inside an acronym pair ("CI/CD", "TCP/IP").
_WORDY = re.compile(r"[^\W_][\w .'&+-]*(?:(?<=[^\W_])/[^\W_][\w .'&+-]*)*")
_PAIR = re.compile(r"([a-z0-9]+)/([a-z0-9]+)")


def hierarchy_edges(
    G: nx.MultiDiGraph,
    *,
    curation=None,
    resolve: Callable[[str], str | None] | None = None,
    children: Collection[str] | None = None,
) -> Iterator[tuple[str, str, str, str]]:
    """Yield `(child, parent, kind, origin)` for the is_a / part_of links among G's concepts.

    `kind` is "is_a" or "part_of", `origin` "term" (from the words) or "curation". `resolve` maps
    a curation key to its concept key (merges, acronyms); by default keys are used as they are.
    With `children`, only the links of those child nodes (an update re-reads the few concepts
    whose words or neighbours changed).
    """
    by_key = {d["key"]: n for n, d in G.nodes(data=True) if d.get("kind") == "concept"}
    seen: set[tuple[str, str, str]] = set()

    def emit(child, parent, kind, origin):
        if child != parent and (child, parent, kind) not in seen:
            seen.add((child, parent, kind))
            return True
        return False

    cards = {key: G.nodes[node].get("cards", 0) for key, node in by_key.items()}
    wordy = {key for key, node in by_key.items() if _WORDY.fullmatch(G.nodes[node].get("label", key))}
    for key, node in by_key.items():
        if children is not None and node not in children:
            continue
        words = key.split()
        if len(words) < 2 or key not in wordy:
            continue
        head = _head(words, by_key, wordy, _glued(G.nodes[node].get("label", ""), words), cards)
        if head is not None and emit(node, by_key[head], "is_a", "term"):
            yield node, by_key[head], "is_a", "term"
        whole = _proper_prefix(G, node, words, by_key)
        if whole is not None and emit(node, by_key[whole], "part_of", "term"):
            yield node, by_key[whole], "part_of", "term"

    resolve = resolve or (lambda k: k)
    members_of = _pair_members(by_key, resolve)
    for pair, members in members_of.items():
        for member in members:
            if children is not None and member not in children:
                continue
            if emit(member, pair, "part_of", "term"):
                yield member, pair, "part_of", "term"

    if curation is None:
        return
    for kind, table in (("is_a", getattr(curation, "parents", {})), ("part_of", getattr(curation, "part_of", {}))):
        for child_key, parent_keys in table.items():
            child = resolve(child_key)
            if child is None or concept_id(child) not in G:
                continue
            if children is not None and concept_id(child) not in children:
                continue
            for parent_key in parent_keys:
                parent = resolve(parent_key)
                if parent is None or concept_id(parent) not in G:
                    continue
                u, v = concept_id(child), concept_id(parent)
                # "continuous integration" is part of "CI/CD", whatever the curation says.
                link = "part_of" if u in members_of.get(v, ()) else kind
                if emit(u, v, link, "curation"):
                    yield u, v, link, "curation"


def _pair_members(by_key: dict[str, str], resolve) -> dict[str, set[str]]:
    """Acronym pair node -> the nodes of its members ("ci/cd" -> continuous integration, CD)."""
    found: dict[str, set[str]] = {}
    for key, node in by_key.items():
        match = _PAIR.fullmatch(key)
        if match is None:
            continue
        for part in match.groups():
            member = resolve(part)
            if member is not None and member in by_key and by_key[member] != node:
                found.setdefault(node, set()).add(by_key[member])
    return found


def _glued(label: str, words: list[str]) -> set[int]:
    """Positions i where words[i-1] and words[i] are one hyphenated modifier in the label
    ("semi-structured data": 1). A hyphenated last word is its own head ("auto-scaling")."""
    tokens = label.lower().split()
    glued, i = set(), 0
    for t, token in enumerate(tokens):
        parts = [p for p in re.split(r"[-/]", token) if p]
        i += 1
        for _ in parts[1:]:
            if t < len(tokens) - 1:
                glued.add(i)
            i += 1
    return glued if i == len(words) else set()  # unaligned (folded differently): no evidence


def _head(words: list[str], by_key: dict[str, str], wordy: set[str], glued: set[int],
          cards: dict[str, int]) -> str | None:
    """The longest trailing concept that is a real head of the compound `words`, if any."""
    if words[0] in FUNCTION_WORDS and 1 not in glued:  # "in memory cache"; "in-memory cache" is fine
        return None
    for start in range(1, len(words)):
        suffix = " ".join(words[start:])
        if suffix not in by_key or suffix not in wordy or len(suffix) < MIN_HEAD_LENGTH \
                or suffix in GENERIC_HEADS:
            continue
        if start in glued or words[start - 1] in FUNCTION_WORDS:
            continue
        # A compound across the split that the deck uses more than the head ("natural language"
        # + "instruction", not "language instruction") is the modifier.
        if any(cards.get(" ".join(words[i:j]), 0) >= max(CROSSING_MIN_CARDS, 2 * cards[suffix])
               for i in range(start) for j in range(start + 1, len(words))):
            continue
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
