"""Verbs that open a line, a list item or a sentence, and verbs listed in a series.

The tagger takes title case and list markers for names, so "1) Tracks multiple versions", "Track
Lineage:" and "Facilitates model deployment" come out as noun phrases. A word that can only be a
verb, an "-s" form taking an object, or an ambiguous base form ("Track") among list items that open
with verbs is the verb of its line. A series of single words holding a word only ever a verb is a
series of verbs ("Train, evaluate, and iterate on models"). `kg.nlp.misreads.blocked_tokens`
blocks them.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from kg.nlp.clauses import FINITE, only_verb_s, opens_object, verb_before
from kg.nlp.lexicon import gerund_verb, is_lemma, lemmas, only_verb, third_person_verb

_NOUNISH = frozenset({"NOUN", "PROPN"})
SIBLINGS = 2  # list items looked at on each side of an ambiguous one
_JOINS = frozenset({",", "and", "or"})


def clause_starts(doc: Doc) -> set[int]:
    """First word of every sentence and every line, after list markers ("1)", "-", "(a)")."""
    starts = set()
    expect = True
    for tok in doc:
        if tok.is_sent_start or "\n" in tok.text or (tok.i > 0 and "\n" in doc[tok.i - 1].whitespace_):
            expect = True
        if tok.text in (":", ";"):
            expect = True  # "Automation: Enables pipeline triggers"
            continue
        if "\n" in tok.text or tok.is_space:
            continue
        if expect:
            if tok.is_punct or tok.like_num or tok.tag_ == "LS" or (len(tok.text) == 1 and not tok.is_alpha):
                continue
            if len(tok.text) == 1 and tok.i + 1 < len(doc) and doc[tok.i + 1].text in ").":
                continue  # "a)" / "b." list markers
            starts.add(tok.i)
            expect = False
    return starts


def list_marker(doc: Doc, i: int) -> str | None:
    """The kind of marker before the first word of a line ("number", "bullet", "" for none),
    or None when the word does not start its line."""
    kind = ""
    j = i - 1
    while j >= 0 and "\n" not in doc[j].text and "\n" not in doc[j].whitespace_:
        tok = doc[j]
        if tok.like_num or tok.tag_ == "LS" or (len(tok) == 1 and tok.is_alpha):
            kind = "number"
        elif tok.text in ("-", "*", "\u2022", "\u2013", "+", ">"):
            kind = kind or "bullet"
        elif tok.is_alpha:
            return None
        j -= 1
    return kind


def opens_with_verb(tok: Token, list_verbs) -> bool:
    """A clause-initial word that is a verb in use: "Facilitates model deployment", "Evaluate X";
    after a label's colon also in lower case, an "-s" form ("Stateful: tracks connections")."""
    word = tok.lower_
    after_label = tok.i > 0 and tok.doc[tok.i - 1].text == ":" and third_person_verb(word) is not None \
        and tok.i + 1 < len(tok.doc) and not is_lemma(tok.doc[tok.i + 1].lower_, "verb")  # ("plants take up")
    if not tok.text[:1].isupper() and not after_label:
        return False
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    takes_object = nxt is not None and opens_object(nxt)
    if only_verb(word) and nxt is not None and not nxt.is_punct:
        return True
    stem = third_person_verb(word)
    if stem is not None:
        if only_verb(stem):
            return nxt is not None and not nxt.is_punct
        # A plural noun seldom modifies the noun after it, so "Tracks multiple versions" is a verb,
        # unless a verb follows the phrase ("Graphs databases offer ...": the plural was its subject).
        return takes_object and not is_lemma(stem, "adj") and not _verb_after_phrase(tok)
    stem = gerund_verb(word)
    if stem is not None and tok.pos_ in _NOUNISH:
        return takes_object and only_verb(stem)
    # Ambiguous base form ("Track", "Link"): a verb when the other items of its list start with verbs.
    # The tagger may call the object a verb too ("Link artifacts/VBZ to"), so any word will do.
    return (
        is_lemma(word, "verb")
        and nxt is not None
        and nxt.is_alpha
        and nxt.pos_ not in ("ADP", "CCONJ", "PART", "AUX")
        and list_verbs()
    )


def _verb_after_phrase(tok: Token) -> bool:
    doc = tok.doc
    j = tok.i + 2  # past the word that opens the object, whatever the tagger made of it
    while j < len(doc) and doc[j].pos_ in _NOUNISH | {"ADJ", "DET", "NUM"}:
        j += 1
    return j < len(doc) and doc[j].tag_ in FINITE


def siblings_are_verbs(doc: Doc, i: int, markers: dict[int, str]) -> bool:
    """Whether the neighbouring items of the list a line opens (lines with the same kind of
    marker) start with verbs ("2) Organize ...", "3) Enable ..."), so that an ambiguous
    "1) Track Lineage:" among them reads as a verb too."""
    if i not in markers:
        return False
    # A short line ending in a colon heads the lines under it ("Deployment:"): no item of theirs.
    line_starts = sorted(j for j, m in markers.items() if m == markers[i] and (j == i or not _heading_line(doc, j)))
    k = line_starts.index(i)
    verbs = nouns = 0
    for j in line_starts[max(0, k - SIBLINGS) : k] + line_starts[k + 1 : k + 1 + SIBLINGS]:
        tok = doc[j]
        word = tok.lower_
        stem = third_person_verb(word)
        if (tok.pos_ == "VERB" and tok.tag_ in ("VB", "VBZ")) or only_verb(word) or (stem and only_verb(stem)):
            verbs += 1
        elif tok.pos_ in _NOUNISH and (is_lemma(word, "noun") or lemmas(word, "noun")) and not is_lemma(word, "verb"):
            nouns += 1
    return verbs >= 2 and nouns == 0


def _heading_line(doc: Doc, j: int) -> bool:
    """Whether the line that word `j` opens is a short label ending in a colon ("Deployment:")."""
    line = []
    for tok in doc[j:]:
        if "\n" in tok.text:
            break
        line.append(tok)
        if "\n" in tok.whitespace_ or len(line) > 5:
            break
    return 0 < len(line) <= 5 and line[-1].text == ":"


def verb_series(doc: Doc) -> set[int]:
    """Words of a series of single words joined by commas and "and"/"or" that holds a word only
    ever a verb: all its members that can be verbs are verbs ("Train, evaluate, and iterate on
    models"; "models, datasets and pipelines" holds none and stays nouns)."""
    out: set[int] = set()
    i = 0
    while i < len(doc):
        # A series: word (join+ word)*, each member one word between joins.
        members, j = [i], i + 1
        while j < len(doc) and doc[j].lower_ in _JOINS:
            k = j
            while k < len(doc) and doc[k].lower_ in _JOINS:
                k += 1
            if k >= len(doc) or not doc[k].is_alpha:
                break
            members.append(k)
            j = k + 1
        before = doc[members[0] - 1] if members[0] > 0 else None
        single = before is None or before.pos_ not in _NOUNISH | {"ADJ", "NUM"}  # not "log line, extract and …"
        if single and len(members) >= 3 and all(doc[m].is_alpha for m in members) \
                and any(doc[m].text.islower() and only_verb(doc[m].lower_) for m in members):
            out.update(m for m in members if is_lemma(doc[m].lower_, "verb") and doc[m].pos_ in _NOUNISH | {"ADJ"})
        i = members[-1] + 1 if len(members) > 1 else i + 1
    # Two "-s" words joined, one of them no noun's plural, in a clause with no verb before them:
    # both verbs ("Cloud lowers and thickens"; "freezes the model weights and injects" keeps its noun).
    for tok in doc[2:]:
        first = doc[tok.i - 2]
        if doc[tok.i - 1].lower_ in _JOINS and only_verb_s(tok) and first.text.islower() \
                and first.lower_.endswith("s") and third_person_verb(first.lower_) is not None \
                and not verb_before(first):
            out.update((first.i, tok.i))
    return out
