"""The verb of a clause that the tagger read as a noun, and what the misread rules know of a clause.

An "-s" word the tagger calls a plural noun is its clause's verb after a singular subject with no
tensed verb before it ("the pump moves sodium out", "when the cargo shifts weight"), or joined to a
verb before it ("inhibits COX and lowers fever"); one no noun has as its plural is the verb after
any noun ("Kneading aligns gluten"). The other rules for misread verbs (`kg.nlp.misreads`,
`kg.nlp.questions`, `kg.nlp.lists`) use what is here of a clause: the words after which a new one
starts, the tags of its verb, where an object starts, a verb's base form.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.nlp.lexicon import is_lemma, lemmas, third_person_verb

_NOUNISH = frozenset({"NOUN", "PROPN"})
# What may open a noun phrase that is the object of a verb just before it.
_OBJECT_START = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM", "PRON"})
FINITE = frozenset({"VB", "VBP", "VBZ", "VBD", "MD"})
_TENSED = frozenset({"VBZ", "VBP", "VBD", "MD"})
# Words that open a clause of its own, whose tensed verb is not the sentence's main one; "and"
# only right before its verb ("seals food and heats it"), elsewhere it joins nouns.
_CLAUSE_OPENERS = frozenset("that which who whom what while when because if ; :".split())
# A comma and one of these after a clause opens the next one: "the hippocampus shrinks early, so memory goes first".
_AFTER_COMMA_OPENERS = frozenset("so and but yet".split())
_VERB_JOINERS = frozenset("and or but , ;".split())
# Words after which a new clause, with a subject and verb of its own, starts.
CLAUSE_BOUNDARIES = _CLAUSE_OPENERS | frozenset("but because although whereas . ! ?".split())


# Pronouns opening a relative clause as its subject: "letters that rise", "cells which divide".
_RELATIVE_PRONOUNS = frozenset({"that", "which", "who"})


def predicate_verb(tok: Token) -> bool:
    """A "-s" word the tagger calls a plural noun that is the sentence's verb: after its
    singular subject with no tensed verb before it ("the pump moves sodium out",
    "sous-vide cooking seals food", also in a clause after "when" or "because" whose sentence has
    its own verb before: "is unstable when the cargo shifts weight"), or joined by "and" or a comma
    to a verb before it ("inhibits COX and lowers fever", "confirms judges, ratifies treaties").
    "Model weights file is stored" keeps its noun: the verb comes after; so does "lowercase letters
    that rise": the verb after the relative pronoun is the clause's own."""
    doc = tok.doc
    word = tok.lower_
    if tok.i == 0 or not tok.text.isalpha() or not tok.text.islower() or not word.endswith("s") \
            or third_person_verb(word) is None:
        return False  # ("Barlow Twins", "Slimmable Networks": capitalized, a name's word)
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is not None and nxt.lower_ in _RELATIVE_PRONOUNS and nxt.i + 1 < len(doc) \
            and doc[nxt.i + 1].tag_ in ("VBP", "VBZ", "VBD", "MD") and doc[tok.i - 1].is_alpha:
        return False  # "lowercase letters that rise above": the noun a relative clause describes
    participle = nxt is not None and nxt.tag_ in ("VBD", "VBN") and nxt.i + 1 < len(doc) and doc[nxt.i + 1].pos_ in _NOUNISH
    if nxt is None or nxt.is_punct or not (nxt.pos_ in _OBJECT_START or nxt.text[:1].isupper()
                                           or participle or opens_object(nxt) or _manner_adverb(nxt)):
        # A clause opened by "while", "when", "because" needs a verb: with none before it and a
        # preposition, an adverb or the clause's end after it, the "-s" word is that verb ("while
        # the vertical velocity changes at g", "when the price rises, ...", also at the text's end),
        # unless the checks below find the clause's verb elsewhere.
        if not _verb_of_subordinate_clause(tok, nxt):
            return False
    after = doc[nxt.i + 1] if nxt is not None and nxt.i + 1 < len(doc) else None
    if nxt is not None and nxt.text.islower() and is_lemma(nxt.lower_, "verb") and not nxt.lower_.endswith("s") \
            and after is not None and after.pos_ in ("DET", "NUM", "PRON"):
        return False  # "two regression heads output the pointmaps": the plural is the subject
    sent = tok.sent
    if not (sent[-1].text in (".", "!", ";") or len(sent) >= 6):
        return False  # a short front ("Kidney stones treatment") is a noun phrase, not a clause
    # The clause the word is in: a tensed verb of the sentence before "when", "but" or a full stop
    # the sentence splitter missed belongs to another clause ("Revenue is recognised when earned,
    # not when cash changes hands").
    opened = [t.i for t in doc[sent.start : tok.i] if t.lower_ in CLAUSE_BOUNDARIES]
    clause_start = opened[-1] + 1 if opened else sent.start
    before = doc[clause_start : tok.i]
    prev = doc[tok.i - 1]
    if prev.lower_ in ("and", "or", ","):
        # "inhibits COX and lowers fever", "registers domains, answers DNS queries and routes traffic"
        return any(t.tag_ == "VBZ" or (t.lower_ not in ("and", "or", ",") and predicate_verb(t)) for t in before)
    # (The subject's head may be an adjective the tagger misread: "a hypothetical imperative commands".)
    subject_head = prev.pos_ in _NOUNISH or (prev.pos_ == "ADJ" and tok.i >= 2 and doc[tok.i - 2].pos_ in ("DET", "ADJ"))
    if not subject_head or not prev.whitespace_ or prev.tag_ in ("NNS", "NNPS"):
        return False
    if any(t.tag_ in _TENSED or _could_be_verb(t) for t in before):
        return False  # the clause has its verb ("which in turn results/NNS in more cache hits")
    for t in doc[tok.i + 1 : sent.end]:
        if t.tag_ in _TENSED and doc[t.i - 1].pos_ != "DET" \
                and not (t.i == tok.i + 1 and t.i + 1 < len(doc) and doc[t.i + 1].pos_ in _NOUNISH):
            # (a participle right before a noun is its adjective: "returns canned/VBD answers";
            # a word after a determiner is a noun: "names each commit/VBP")
            return doc[t.i - 1].lower_ in _VERB_JOINERS or any(
                u.lower_ in _CLAUSE_OPENERS or u.text == "," and doc[u.i + 1].lower_ in _AFTER_COMMA_OPENERS
                for u in doc[tok.i + 1 : t.i])
    return True


# ("what" opens a clause that is a noun: "Requests are what the scheduler reserves on a node")
_SUBORDINATORS = frozenset("while when whenever because if unless although whereas what".split())


def _verb_of_subordinate_clause(tok: Token, nxt: Token | None) -> bool:
    """`tok`, an "-s" word followed by `nxt` (None at the text's end), is the verb of a clause
    opened by a subordinator right before its subject, the clause having no other verb."""
    doc = tok.doc
    if not (nxt is None or nxt.pos_ in ("ADP", "ADV") or nxt.text in (",", ".", ";", ":", ")", "?", "!")):
        return False
    j = tok.i - 1
    while j >= 0 and tok.i - j <= 8 and doc[j].lower_ not in _SUBORDINATORS \
            and (doc[j].pos_ in _NOUNISH | {"ADJ", "DET", "NUM", "PRON"} or doc[j].tag_ == "POS"):
        j -= 1  # back over the clause's subject: "the vertical velocity"
    if j < 0 or doc[j].lower_ not in _SUBORDINATORS or j == tok.i - 1:
        return False
    prev, first = doc[tok.i - 1], doc[j + 1]
    # (the subject opens with a determiner or a name: "when operationalizing models," is a gerund's object)
    return prev.pos_ in _NOUNISH and prev.tag_ not in ("NNS", "NNPS") and bool(prev.whitespace_) \
        and (first.pos_ in ("DET", "PRON") or first.tag_ in ("NNP", "NNPS"))


def _manner_adverb(tok: Token) -> bool:
    """An adverb that says how or when, the way a verb is followed ("commands unconditionally",
    "only if"); "also", "not" and the like follow a noun as often."""
    return tok.pos_ == "ADV" and tok.text.islower() and (tok.lower_.endswith("ly") or tok.lower_ in ("only", "always", "never"))


def _could_be_verb(tok: Token) -> bool:
    """An "-s" word the tagger calls a plural noun, after a singular noun or a relative pronoun: it
    may be the verb of its clause ("turn results in", "that stores")."""
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    return (tok.tag_ == "NNS" and tok.text.islower() and third_person_verb(tok.lower_) is not None
            and prev is not None and (prev.tag_ in ("NN", "NNP", "WDT") or prev.lower_ == "who"))


def verb_after_noun(tok: Token) -> bool:
    """An "-s" word no noun has as its plural, in lower case right after a noun: the noun's verb,
    whatever follows ("Vertex AI Model Monitoring detects:", "performance metrics detects concept
    drift", "Kneading aligns gluten", "the leaving group departs,"), or a noun the tagger read as an
    adjective, when words follow ("the sample average/JJ converges to", not "vents and cold/JJ
    seeps."). No term ends in a word that is only ever a verb."""
    if tok.i == 0 or not only_verb_s(tok):
        return False
    doc, prev = tok.doc, tok.doc[tok.i - 1]
    followed = tok.i + 1 < len(doc) and doc[tok.i + 1].is_alpha
    nounish = prev.pos_ in _NOUNISH or prev.tag_ == "VBG" or prev.pos_ == "ADJ" and is_lemma(prev.lower_, "noun") and followed
    return nounish and bool(prev.whitespace_)


def verb_before_how(tok: Token) -> bool:
    """A lower-case "-s" word a verb can have, right after a noun and before "how" or "whether": the
    noun's verb ("Symbolic interactionism studies how people create meaning", "the test
    determines whether"), though a noun has the word as its plural too. (Not "why": "the reasons
    why" is a noun's.)"""
    doc, i = tok.doc, tok.i
    if i == 0 or i + 1 >= len(doc) or not tok.text.isalpha() or not tok.text.islower() \
            or not tok.lower_.endswith("s") or third_person_verb(tok.lower_) is None:
        return False
    prev = doc[i - 1]
    return prev.pos_ in _NOUNISH and bool(prev.whitespace_) and doc[i + 1].lower_ in ("how", "whether")


def verb_before_its_pair(tok: Token) -> bool:
    """A lower-case "-s" word a verb can have, right after a singular noun and before "and" / "or"
    and a verb the tagger read as one: the first verb of the pair ("the highest bidder wins and
    pays the second-highest bid"), though a noun has the word as its plural too; not after the
    clause's own verb. (Plurals joined before their verb stay nouns: "Apple pies and tarts are baked".)"""
    doc, i = tok.doc, tok.i
    if i == 0 or i + 2 >= len(doc) or not tok.text.isalpha() or not tok.text.islower() \
            or not tok.lower_.endswith("s") or third_person_verb(tok.lower_) is None:
        return False
    prev, joint, other = doc[i - 1], doc[i + 1], doc[i + 2]
    if not (prev.tag_ == "NN" and prev.whitespace_ and joint.lower_ in ("and", "or") and other.tag_ == "VBZ"):
        return False
    if i + 3 >= len(doc) or not doc[i + 3].is_alpha:
        return False  # a verb takes words after it: "two categories: database queries and objects:" is a list
    # After its clause's verb the word is that verb's object, sharing its subject with the next
    # one: "LoRA freezes the model weights and injects ...".
    j = i - 1
    while j >= 0 and not doc[j].is_sent_start and doc[j].text not in (":", ";", ","):
        if doc[j].tag_ in FINITE:
            return False
        j -= 1
    return not (j >= 0 and doc[j].tag_ in FINITE)


def verb_closing_its_pair(tok: Token) -> bool:
    """A lower-case "-s" word right after "and" / "or" that follows a verb, closing its clause: the
    second verb of the pair ("the responder accepts or rejects,", "the cell grows and divides."),
    though a noun has the word as its plural too ("sells cars and trucks." joins two plurals)."""
    doc, i = tok.doc, tok.i
    if i < 2 or not tok.text.isalpha() or not tok.text.islower() or not tok.lower_.endswith("s") \
            or third_person_verb(tok.lower_) is None:
        return False
    closes = i + 1 == len(doc) or doc[i + 1].is_punct and doc[i + 1].text not in ("-", "/")
    return closes and doc[i - 1].lower_ in ("and", "or") and doc[i - 2].tag_ == "VBZ"


def verb_after_code(tok: Token) -> bool:
    """A lower-case "-s" word a verb can have, right after a closing code span and before its
    object: the span is its subject ("`WHERE` filters rows", "`git rebase` rewrites history",
    "`ls` lists files"), though a noun has the word as its plural too."""
    doc, i = tok.doc, tok.i
    if i == 0 or i + 1 >= len(doc) or not tok.text.isalpha() or not tok.text.islower() \
            or third_person_verb(tok.lower_) is None:
        return False
    tick, nxt = doc[i - 1], doc[i + 1]
    # (an opening backtick is glued to its code; a closing one is followed by a space)
    # (its object may be tagged a verb itself: "filters/NNS rows/VBZ")
    return tick.text == "`" and tick.whitespace_ == " " and bool(tok.whitespace_) and nxt.is_alpha \
        and nxt.pos_ not in ("AUX", "ADP", "CCONJ", "SCONJ", "PART") and nxt.tag_ not in ("VBD", "VBN", "MD")


def only_verb_s(tok: Token) -> bool:
    """A lower-case "-s" word that is a verb's and no noun's: "detects", "thickens", "departs"."""
    word = tok.lower_
    return (tok.text.isalpha() and tok.text.islower() and word.endswith("s") and third_person_verb(word) is not None
            and not is_lemma(word, "noun") and not lemmas(word, "noun"))


def verb_before(tok: Token) -> bool:
    """A tensed verb in `tok`'s clause before it."""
    doc, sent = tok.doc, tok.sent
    opened = [t.i for t in doc[sent.start : tok.i] if t.lower_ in CLAUSE_BOUNDARIES]
    start = opened[-1] + 1 if opened else sent.start
    return any(t.tag_ in _TENSED or (t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBG", "VBN"))
               for t in doc[start : tok.i])


def opens_object(tok: Token) -> bool:
    """Whether a noun phrase starts here, allowing for the tagger's verbs in it: "feature/VBP
    versions", "trained/VBN models" (but "trained on" is a participle, not an object)."""
    if tok.is_punct:
        return False
    if tok.pos_ in _OBJECT_START:
        return True
    if tok.tag_ in ("VBN", "VBG"):
        after = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
        return after is not None and after.pos_ in _NOUNISH
    return tok.pos_ == "VERB" and is_lemma(tok.lower_, "noun")


def verb_form(word: str) -> bool:
    """A verb's base form: known to the lexicon, or coined with a verb suffix ("reparameterize")."""
    if is_lemma(word, "verb"):
        return not word.endswith("s") or word.endswith(("ss", "us"))  # "process", "focus"
    return len(word) >= 6 and word.endswith(("ize", "ise", "ify")) and not is_lemma(word, "noun")
