"""Subject-verb-object statements between concepts, read off the dependency parse.

"Feature Store reduces training-serving skew" gives ("feature store", "reduce", "training serving
skew"); the passive "skew is reduced by the feature store" gives the same; in "X helps alleviate Y"
the verb is the open complement ("alleviate"). A subject or object counts when it is a concept or
a noun phrase that contains one ("the use of feature stores").
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from kg.nlp.lexicon import is_lemma, tables

# Verbs too light to say anything on their own.
LIGHT_VERBS = frozenset({"be", "have", "do", "make", "get", "let"})
_SUBJECTS = frozenset({"nsubj"})
_PASSIVE_SUBJECTS = frozenset({"nsubjpass"})
_OBJECTS = frozenset({"dobj", "attr", "oprd"})
_SKIP_IN_PHRASE = frozenset({"relcl", "acl", "conj", "cc", "appos", "advcl"})

Triple = tuple[str, str, str]


def find_relations(doc: Doc, concept_at: dict[int, str]) -> list[Triple]:
    """Triples for every verb whose subject and object both resolve to concepts."""
    found: list[Triple] = []
    has_tables = bool(tables()["index"].get("verb"))
    for verb in doc:
        if verb.pos_ != "VERB":
            continue
        lemma = verb.lemma_.lower()
        if lemma in LIGHT_VERBS or (has_tables and not is_lemma(lemma, "verb")):
            continue  # "def", "architecte": a word the tagger took for a verb is no evidence
        subjects, objects, prep = _arguments(verb)
        label = f"{lemma} {prep}" if prep else lemma
        for subj in subjects:
            s = _concept(subj, concept_at)
            for obj in objects:
                o = _concept(obj, concept_at)
                if s and o and s != o and (s, label, o) not in found:
                    found.append((s, label, o))
    return found


def _arguments(verb: Token) -> tuple[list[Token], list[Token], str]:
    subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
    objects = [c for c in verb.children if c.dep_ in _OBJECTS]
    prep = ""
    for child in verb.children:
        if child.dep_ in _PASSIVE_SUBJECTS:
            objects.append(child)
        elif child.dep_ == "agent":
            subjects.extend(c for c in child.children if c.dep_ == "pobj")
    if not objects:
        # "X integrates with Y": the prepositional object, with the preposition kept in the verb.
        for child in verb.children:
            if child.dep_ == "prep":
                pobjs = [c for c in child.children if c.dep_ == "pobj"]
                if pobjs:
                    objects, prep = pobjs, child.lower_
                    break
    # "X helps alleviate Y" / "X reduces A and improves B": the subject comes from the governing verb.
    head = verb
    while not subjects and head.dep_ in ("xcomp", "conj") and head.head is not head:
        head = head.head
        subjects = [c for c in head.children if c.dep_ in _SUBJECTS]
    return _with_conjuncts(subjects), _with_conjuncts(objects), prep


def _with_conjuncts(tokens: list[Token]) -> list[Token]:
    out = []
    for tok in tokens:
        out.append(tok)
        out.extend(tok.conjuncts)
    return out


def _concept(tok: Token, concept_at: dict[int, str]) -> str | None:
    """The concept a phrase names: its own token's, else the first one inside the phrase."""
    if tok.i in concept_at:
        return concept_at[tok.i]
    stack = [c for c in tok.children if c.dep_ not in _SKIP_IN_PHRASE]
    for child in sorted(stack, key=lambda t: t.i):
        for t in child.subtree:
            if t.i in concept_at:
                return concept_at[t.i]
    return None
