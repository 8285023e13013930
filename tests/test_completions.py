"""Completions kept for busy prefixes (kg.store.completions) are the in-memory suggestions."""

from __future__ import annotations

from collections import defaultdict

from kg.search import search_index
from kg.search.words import _words
from kg.store.completions import completion_rows


def test_kept_completions_of_busy_prefixes_are_the_in_memory_suggestions(bundled_graph):
    index = search_index(bundled_graph)
    prefixes = [(name, node, index._is_whole_name(node, name)) for name, node in index.prefixes]
    cards = {n: c["cards"] for n, c in index.concepts.items()}
    # Busy here: a prefix starting more than 5 names, 3 concepts kept (1,000 and 50 in a store).
    kept = defaultdict(list)
    for prefix, pos, concept in completion_rows(prefixes, cards, rows=5, kept=3):
        assert pos == len(kept[prefix])
        kept[prefix].append(concept)
    typed = [p for p in kept if " ".join(_words(p)) == p]
    assert len(typed) > 20 and any(len(p) == 1 for p in typed) and any(len(p) > 5 for p in typed)
    for prefix in typed:
        assert sum(name.startswith(prefix) for name, _, _ in prefixes) > 5
        assert [c["id"] for c in index.suggest(prefix, limit=3)] == kept[prefix], prefix
    # Every prefix starting more than 5 names of at least 3 concepts is kept.
    for name, _, _ in prefixes:
        for end in range(1, len(name) + 1):
            prefix = name[:end]
            starting = [c for n, c, _ in prefixes if n.startswith(prefix)]
            if len(starting) > 5 and len(set(starting)) >= 3:
                assert prefix in kept, prefix
