"""The verb of a question that the tagger read as a noun.

A question with "do" or a modal needs a verb after its subject: a lower-case word that can be one,
ending the clause or before an object, is it ("How does mip-NeRF 360 address ...?", "Which issues
does X address?"). So is the participle ending a passive question ("Why is a sourdough starter
fed?"), the word after "do you" or "can we" ("How do you temper chocolate?") and the word opening a
"why" question with no other verb ("Why rest meat?"). `kg.nlp.misreads.blocked_tokens` blocks them.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from kg.nlp.clauses import CLAUSE_BOUNDARIES, verb_form
from kg.nlp.lexicon import is_lemma, lemmas, tables, third_person_verb

_NOUNISH = frozenset({"NOUN", "PROPN"})
# Auxiliaries after which a question's subject comes, then its verb: "How does X work?"
QUESTION_AUX = frozenset("do does did can could will would should may might must shall".split())
SUBJECT_REACH = 24  # tokens looked back for a question's auxiliary before its verb
_PRONOUN_SUBJECTS = frozenset("you we i they one he she it".split())
_FINITE_OR_AUX = frozenset({"VBZ", "VBP", "VBD", "MD"})


def question_verbs(doc: Doc) -> set[int]:
    """The verb of a learner's question that the tagger took for a noun: the word after "do you",
    "can we", "should I" ("How do you temper chocolate?"), and the word opening "Why rest meat?",
    "Why whisk egg whites?" (a "why" question with no other verb), when the lexicon knows it as a
    verb and a noun phrase follows."""
    out: set[int] = set()
    for sent in doc.sents:
        words = [t for t in sent if not t.is_space]
        if len(words) < 3 or words[-1].text != "?":
            continue
        for a, b, c in zip(words, words[1:], words[2:]):
            if a.lower_ in QUESTION_AUX and a.pos_ == "AUX" and b.lower_ in _PRONOUN_SUBJECTS \
                    and c.pos_ in _NOUNISH | {"ADJ"} and c.text.islower() and is_lemma(c.lower_, "verb") \
                    and c.i + 1 < len(doc) and doc[c.i + 1].pos_ in _NOUNISH | {"DET", "ADJ", "PRON"}:
                out.add(c.i)
        first, verb = words[0], words[1]
        if first.lower_ == "why" and verb.text.islower() and verb.pos_ in _NOUNISH | {"ADJ"} \
                and is_lemma(verb.lower_, "verb") and verb.lower_ == verb.lemma_ \
                and words[2].pos_ in _NOUNISH | {"DET", "ADJ"} \
                and not any(t.tag_ in _FINITE_OR_AUX or t.pos_ == "AUX" for t in words[2:]) \
                and third_person_verb(words[-2].lower_) is None:  # "Why blood pressure matters?"
            out.add(verb.i)
    return out


_WH_WORDS = frozenset("how why what which when where who whom whose".split())
# What may follow a question's verb that ends its subject: the end of the clause, an object's
# determiner or pronoun, "to", or a preposition other than "of" (a noun is often followed by "of",
# a verb seldom: "the transfer function of a filter").
_CLAUSE_END = frozenset("? . ! , ; : )".split())


def closes_do_question(tok: Token) -> bool:
    """The verb of a question with "do" or a modal that the tagger took for the last noun of its
    subject, when no other word of the clause is a verb: "How does Batch Normalization work?",
    "Which issues does mip-NeRF 360 address?", "What schedule does Token Merging use to merge
    tokens?", "How does mip-NeRF 360 reparameterize the gaussians?". A do-question needs a verb
    after its subject; a lower-case word that can be one, ending the clause or followed by an
    object's first word, is it. A capitalized word the tagger calls a verb ("Batch") is a name's."""
    doc = tok.doc
    word = tok.lower_
    if tok.i < 2 or not tok.text.isalpha() or not tok.text.islower() or not verb_form(word):
        return False
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is not None and not (nxt.text in _CLAUSE_END or nxt.pos_ in ("DET", "PRON") or nxt.tag_ == "TO"
                                or (nxt.pos_ == "ADP" and nxt.lower_ != "of")):
        return False
    sent = tok.sent
    for j in range(tok.i - 1, max(sent.start, tok.i - SUBJECT_REACH) - 1, -1):
        t = doc[j]
        if t.lower_ in QUESTION_AUX and t.pos_ == "AUX":
            break
        if t.text in _CLAUSE_END or t.lower_ in CLAUSE_BOUNDARIES:
            return False
        if t.text.islower() and t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBG", "VBN"):
            return False  # the clause has its verb
    else:
        return False
    opener = doc[sent.start]
    if j != sent.start and opener.lower_ not in _WH_WORDS:
        return False  # not a question: "Models can process ..."
    return any(t.pos_ in _NOUNISH or t.like_num for t in doc[j + 1 : tok.i])


_BE = frozenset("is are was were".split())


def closes_passive_question(tok: Token) -> bool:
    """The participle ending a passive question, read as the last noun of its subject: "Why is a
    sourdough starter fed?", "How are the samples stained?". Only a word that is a verb's past form
    and no noun ("bed" is one, though "be" + "d" reads as a past form), or an irregular one."""
    doc = tok.doc
    word = tok.lower_
    if tok.i < 3 or not tok.text.isalpha() or not tok.text.islower():
        return False
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is not None and nxt.text != "?":
        return False
    irregular = [v for v in tables()["exc"].get("verb", {}).get(word, ()) if v != word]
    if not irregular and not (word.endswith("ed") and lemmas(word, "verb") - {word} and not is_lemma(word, "noun")):
        return False
    if doc[tok.i - 1].pos_ not in _NOUNISH:
        return False
    sent = tok.sent
    opener = 1 if doc[sent.start].lower_ in _WH_WORDS else 0
    be = doc[sent.start + opener] if sent.start + opener < tok.i else None
    if be is None or be.lower_ not in _BE:
        return False
    return not any(t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBG", "VBN") for t in doc[be.i + 1 : tok.i])
