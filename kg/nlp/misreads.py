"""Tokens that must not be part of a term although the tagger calls them nouns.

- Verbs read as nouns. The small tagger takes title case and list markers for names, so
  "1) Tracks multiple versions", "Track Lineage:" and "Facilitates model deployment" come out as
  noun phrases (`kg.nlp.lists`); so does the verb closing a question ("How does Elastic Depth
  work?"; more in `kg.nlp.questions`) or following a subject ("autoencoders sample from q"; "the
  pump moves sodium", `kg.nlp.clauses`). The lemma tables (`kg.nlp.lexicon`) tell which of those
  words can be verbs at all; position and the neighbours decide.
- Light-verb idioms: "keep track of", "take advantage of", "play a role", "in terms of".
- Lines of source code pasted into a card ("def park(self, vehicle):").

`blocked_tokens` gathers them all.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from kg.nlp.clauses import (FINITE, predicate_verb, verb_after_code, verb_after_noun, verb_before_how,
                             verb_before_its_pair, verb_closing_its_pair, verb_form)
from kg.nlp.languages import ENGLISH, word_language
from kg.nlp.lexicon import is_lemma, lemmas, only_verb, third_person_verb
from kg.nlp.lists import clause_starts, list_marker, opens_with_verb, siblings_are_verbs, verb_series
from kg.nlp.marks import STRUCTURE
from kg.nlp.numbers import roman_one
from kg.nlp.questions import QUESTION_AUX, SUBJECT_REACH, closes_do_question, closes_passive_question, question_verbs
from kg.nlp.stoplists import CODE_KEYWORDS, SHORTHAND

_NOUNISH = frozenset({"NOUN", "PROPN"})
_COMPLEMENT_START = frozenset({"DET", "ADJ", "ADP", "ADV", "PRON", "PART", "NUM"})
# Verbs that take a bare infinitive after them ("How does X help reduce Y?", "let users pick"):
# a base-form verb right after one of these does not make it part of its subject.
_BARE_INFINITIVE_TAKERS = frozenset({"help", "let", "make"})
# noun -> words that make it part of an idiom when they govern it from just before
# ("keep track of"; "play a key role"); the noun then names nothing.
IDIOMS = {
    "track": {"keep", "lose", "on"},
    "advantage": {"take"},
    "use": {"make"},
    "care": {"take"},
    "place": {"take", "in"},
    "account": {"into", "on"},
    "sense": {"make"},
    "attention": {"pay"},
    "role": {"play"},
    "part": {"play", "take"},
    "effect": {"take", "in"},
    "note": {"take"},
    "look": {"take", "have"},
    "term": {"in"},
    "order": {"in"},
    "top": {"on"},
    "behalf": {"on"},
    "favor": {"in"},
    "favour": {"in"},
    "spite": {"in"},
    "regard": {"with", "in"},
    "respect": {"with"},
    "addition": {"in"},
    "lieu": {"in"},
    "case": {"in"},
    "fact": {"in"},
    "practice": {"in"},
    "turn": {"in"},
    "way": {"by"},
    "means": {"by"},
}
_CODE_LINE = re.compile(
    r"""^\s*(?:
        (?:def|class)\s+\w+\s*[(:]                 # definitions
      | (?:return|yield|raise|import|pass|del|assert|lambda)\b(?!\s*[:,.])
      | from\s+[\w.]+\s+import\b
      | (?:elif|else|try|except|finally)\b[^:\n]*:\s*$
      | for\s+\w+(?:\s*,\s*\w+)*\s+in\s+.*:\s*$
      | (?:if|while|with)\s.*[()=].*:\s*$
      | [@%$]{1,2}\w
      | [\w.]*[_.][\w.]*(?:\[[^\]]*\])?\s*[-+*/]?=[^=]   # self.x = ..., spots_taken = ...
      | .*\bself\.\w
    )""",
    re.VERBOSE,
)
# A line opening with TeX math, "$...$" or "$$...$$" closed on the line.
_OPENING_MATH = re.compile(r"^\s*\${1,2}[^$\n]*?[^\\\s]\${1,2}(?!\w)")
# Lines shaped like code that a card may as well write as a formula or a sentence: "LARGE = 2" but
# also "BMI = weight (kg) / height (m)²", "x += 1" but also "`is` checks identity, `==` equality".
_CONSTANT = re.compile(r"^\s*[A-Z][A-Z0-9_]*\s*=\s*(?=\S)")
_CODE_LIKE = re.compile(r"^\s*(?:[A-Z][A-Z0-9_]*\s*=\s*\S|.*(?:==|!=|\+=|\bnull\b.*;|;\s*$|[{}]\s*$))")
# What a constant's value holds in code and not in a formula: a string, an identifier, brackets.
_CODE_VALUE = re.compile(r"\"|'[^']*'|_|[\[\]{};]")
# Operators of written mathematics, never of code.
_MATH = re.compile("[\u00d7\u00f7\u2212\u00b7\u00b2\u00b3\u221a\u2248\u2264\u2265\u2211\u2260]")
_PLAIN_WORD = re.compile(r"(?<![\w.])[A-Za-z][a-z]+(?![\w.(])")
# Words of a sentence a line must hold (outside inline code and comments) to be read as one.
PROSE_WORDS = 4


# What the readers write for a field holding only media (kg.readers.html): a file's name, no words.
_MEDIA_PLACEHOLDER = re.compile(r"\[(?:image|sound): [^\]\n]*\]")
_SHORTHAND_SPLIT = re.compile(r"(?<![\w/])b/c(?![\w/])")  # "b/c", which spaCy splits in three


def _multiplies(tok: Token) -> bool:
    """ "times" between two quantities is the operator, not a noun: "money times velocity equals
    prices times output", "mass times acceleration" ("three times faster" counts)."""
    doc = tok.doc
    before, after = doc[tok.i - 1], doc[tok.i + 1]
    return before.pos_ in ("NOUN", "PROPN", "NUM", "SYM") and not before.like_num \
        and after.pos_ in ("NOUN", "PROPN", "NUM", "DET", "ADJ") and bool(before.whitespace_)


def _repeated_noun_idioms(doc: Doc) -> set[int]:
    """A noun repeated around "by" or "for" is a manner, not a thing: "add oil drop by drop",
    "step by step", "word for word" (around "to" it is often two things: "connects bone to bone")."""
    out: set[int] = set()
    for tok in doc[1:-1]:
        a, b = doc[tok.i - 1], doc[tok.i + 1]
        if tok.lower_ in ("by", "for") and a.is_alpha and a.lower_ == b.lower_ \
                and a.whitespace_ and tok.whitespace_:
            out.update((a.i, b.i))
    return out


def blocked_tokens(doc: Doc) -> set[int]:
    """Indices of tokens no term may contain."""
    blocked = _code_tokens(doc)
    for start, end, strength, *_ in doc._.kg_marks or ():
        if strength == STRUCTURE:  # a reader's structure: a table's column label (kg.nlp.marks)
            span = doc.char_span(start, end, alignment_mode="expand")
            blocked.update(range(span.start, span.end) if span is not None else ())
    blocked.update(t.i for t in doc if t.text in SHORTHAND)
    for match in (*_MEDIA_PLACEHOLDER.finditer(doc.text), *_SHORTHAND_SPLIT.finditer(doc.text)):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        blocked.update(range(span.start, span.end) if span is not None else ())
    starts = clause_starts(doc)
    markers = {i: m for i in starts if (m := list_marker(doc, i)) is not None}
    for tok in doc:
        if tok.i in blocked or tok.pos_ not in _NOUNISH | {"ADJ"}:
            continue
        if tok.i in starts and opens_with_verb(tok, lambda: siblings_are_verbs(doc, tok.i, markers)):
            blocked.add(tok.i)
        elif tok.pos_ == "ADJ" and tok.lower_.endswith("s") and predicate_verb(tok):
            blocked.add(tok.i)  # "A router forwards/JJ packets": no adjective is an "-s" verb form
        elif tok.pos_ in _NOUNISH and (_closes_with_verb(tok) or _in_idiom(tok) or predicate_verb(tok)
                                       or closes_do_question(tok) or closes_passive_question(tok)
                                       or _bare_infinitive(tok)
                                       or verb_after_noun(tok) or verb_after_code(tok) or verb_before_how(tok)
                                       or verb_before_its_pair(tok) or verb_closing_its_pair(tok)
                                       or _verb_before_object_pronoun(tok)):
            blocked.add(tok.i)
        elif tok.pos_ == "NOUN" and _adverb(tok.lower_) and not _hyphen_glued_after(doc, tok.i):
            # "stir counter clockwise": an adverb the tagger took for a noun, with the adverb
            # compounded onto it; a term cannot end in either.
            blocked.add(tok.i)
            j = tok.i - 1
            while j >= 0 and doc[j].dep_ == "compound" and doc[j].head.i == tok.i and is_lemma(doc[j].lower_, "adv"):
                blocked.add(j)
                j -= 1
    blocked |= _repeated_noun_idioms(doc)
    blocked.update(t.i for t in doc[1:-1] if t.text == "times" and _multiplies(t))
    blocked |= verb_series(doc)
    blocked |= question_verbs(doc)
    return blocked


def _hyphen_glued_after(doc: Doc, i: int) -> bool:
    """The last part of a word glued by a hyphen ("write-ahead log", "look-ahead buffer"): the
    whole word is the modifier of the noun after it, whatever its last part is alone ("stir
    counter-clockwise" stays an adverb)."""
    return i >= 2 and i + 1 < len(doc) and doc[i - 1].text in ("-", "\u2010", "\u2011") and not doc[i - 1].whitespace_ \
        and not doc[i - 2].whitespace_ and doc[i - 2].is_alpha and doc[i].whitespace_ == " " \
        and doc[i + 1].pos_ in _NOUNISH and doc[i + 1].head.i != i


def _adverb(word: str) -> bool:
    """An adverb the lexicon never knows as a noun or a verb ("clockwise", "abroad")."""
    return word.isalpha() and is_lemma(word, "adv") and not is_lemma(word, "noun") and not lemmas(word, "noun") \
        and not is_lemma(word, "verb")  # ("multiply-adds")


def _closes_with_verb(tok: Token) -> bool:
    """The last noun of a phrase that is really its verb: "How does X work in", "autoencoders sample"."""
    doc = tok.doc
    word = tok.lower_
    if not tok.text.isalpha() or tok.i == 0:
        return False
    base = is_lemma(word, "verb") and verb_form(word)
    if not base and third_person_verb(word) is None:
        return False
    prev = doc[tok.i - 1]
    if prev.text == ")" and prev.whitespace_:
        # "What did Carlill v Carbolic Smoke Ball Co (1893) decide?": the subject ends before the
        # parenthesis its date or gloss stands in.
        opening = next((t.i for t in reversed(doc[: prev.i]) if t.text == "("), None)
        if opening is not None and opening > 0 and opening >= prev.i - 6:
            prev = doc[opening - 1]
    if prev.pos_ not in _NOUNISH or not (prev.whitespace_ or prev.i < tok.i - 1):
        return False
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is not None and roman_one(doc, nxt.i):
        return False  # "When did World War I end?": a numeral follows a name's noun, not its verb
    if nxt is not None and nxt.tag_ in FINITE and not (
            word in _BARE_INFINITIVE_TAKERS and nxt.tag_ in ("VB", "VBP") and nxt.text.islower()):
        return False  # "Does data drift affect ...": the verb comes after
    if (
        prev.tag_ in ("NNS", "NNPS", "NNP")
        and prev.lower_.endswith("s")
        and lemmas(prev.lower_, "noun") - {prev.lower_}
        and nxt is not None
        and (nxt.pos_ in _COMPLEMENT_START or nxt.tag_ in ("VBN", "VBG") or (not base and not nxt.is_alpha))
    ):
        # A plural noun then a verb with its complement: "autoencoders sample from",
        # "contexts group related artifacts"; "operations team." stays a term.
        return True
    if base and tok.text.islower() and only_verb(word) and prev.tag_ in ("NNS", "NNPS") and prev.lower_.endswith("s"):
        return True  # a word that is only ever a verb, after a plural: "decomposers recycle nutrients"
    if base and tok.text.islower() and only_verb(word) and nxt is not None and nxt.pos_ in ("ADP", "DET", "PRON") \
            and nxt.lower_ != "of":
        return True  # ... or before its object or preposition: "on a crop sensor multiply by the crop factor"
    if not base:
        return False
    j = prev.i
    # (A subject is a few words; the walk stops at SUBJECT_REACH so a long field of nouns with no
    # full stop, a pasted keyword list, is read in time linear in its length.)
    while j >= 0 and prev.i - j < SUBJECT_REACH and (
            doc[j].pos_ in _NOUNISH | {"ADJ", "DET", "NUM"} or doc[j].tag_ in ("POS", "HYPH")
            or _joins_a_name(doc, j) or _modifying_participle(doc, j)) and not doc[j].is_sent_start:
        j -= 1  # across "Hooke's law", "Hertzsprung–Russell diagram", "Hadley v Baxendale", "printing press"
    # "How does Git name commits?": after a name, a lower-case verb form is the verb, and the
    # noun after it its object.
    if j < 0 or doc[j].lower_ not in QUESTION_AUX:
        return False
    if nxt is not None and nxt.lower_ == "of" and is_lemma(word, "noun"):
        return False  # a noun's "of": "How does the transfer function of a filter work?" ("consist of" stays)
    if nxt is None or nxt.pos_ not in _NOUNISH:
        return True
    k = tok.i + 1
    while k < len(doc) and doc[k].pos_ in _NOUNISH | {"ADJ", "NUM"}:
        k += 1
    last = doc[k - 1]
    if _base_verb(last):
        return False  # "the Hertzsprung-Russell diagram plot?": the phrase's last word is the verb
    # Else one word before the object is: the first right after a name ("Git name commits"),
    # or the last that can be a verb ("the curator label specimens", "the data store handle writes").
    candidates = [t for t in doc[j + 1 : k - 1] if t.pos_ in _NOUNISH and _base_verb(t)]
    after_name = [t for t in candidates if doc[t.i - 1].tag_ in ("NNP", "NNPS") and doc[t.i - 1].text[:1].isupper()]
    return bool(candidates) and (after_name or candidates[-1:])[0].i == tok.i


# Pronouns only ever objects: a word right before one is its verb ("Lay them down", "Sit them up").
_OBJECT_PRONOUNS = frozenset({"them", "him", "us", "me"})


def _verb_before_object_pronoun(tok: Token) -> bool:
    """A word the lexicon knows as a verb right before an object pronoun, read as a noun: "Lay
    them down, raise their legs" (not "it" or "her", which may open a clause or own a noun: "the
    time it takes", "the day her owner left")."""
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return nxt is not None and nxt.text in _OBJECT_PRONOUNS and "\n" not in tok.whitespace_ \
        and (is_lemma(tok.lower_, "verb") or bool(lemmas(tok.lower_, "verb")))


def _bare_infinitive(tok: Token) -> bool:
    """A verb right after "help" used as a verb, read as a noun: "helping debug production issues",
    "helps reduce latency"."""
    doc = tok.doc
    if tok.i == 0 or not tok.text.islower() or not verb_form(tok.lower_) or not is_lemma(tok.lower_, "verb"):
        return False
    prev = doc[tok.i - 1]
    return prev.lemma_.lower() == "help" and prev.pos_ == "VERB" and bool(prev.whitespace_)


def _modifying_participle(doc: Doc, j: int) -> bool:
    """A participle right before a noun, modifying it: "the printing press", "Token Merging"."""
    return doc[j].tag_ in ("VBG", "VBN") and j + 1 < len(doc) and doc[j + 1].pos_ in _NOUNISH


def _joins_a_name(doc: Doc, j: int) -> bool:
    """A dash glued between two words ("Hertzsprung–Russell", tagged as punctuation) or a case's
    "v" between capitalized words ("Hadley v Baxendale"): inside one name."""
    if not 0 < j < len(doc) - 1 or not doc[j - 1].text[:1].isupper() or not doc[j + 1].text[:1].isupper():
        return False
    glued = not doc[j - 1].whitespace_ and not doc[j].whitespace_
    return (glued and doc[j].text in ("-", "\u2010", "\u2011", "\u2013")) or doc[j].text in ("v", "v.")


def _base_verb(tok: Token) -> bool:
    return tok.text.islower() and verb_form(tok.lower_) and is_lemma(tok.lower_, "verb")


def _in_idiom(tok: Token) -> bool:
    governors = IDIOMS.get(tok.lemma_.lower()) or IDIOMS.get(tok.lower_)
    if not governors:
        return False
    j = tok.i - 1
    # A verb governs across a determiner or adjective ("play a key role"); a preposition only
    # right before the noun ("in order to", not "in lexicographic order").
    while j >= 0 and tok.i - j <= 3 and tok.doc[j].pos_ in ("DET", "ADJ") and tok.doc[j - 1].pos_ != "ADP":
        j -= 1
    return j >= 0 and (tok.doc[j].lemma_.lower() in governors or tok.doc[j].lower_ in governors)


def _written_for_people(line: str) -> bool:
    """A code-like line that is a formula ("CO = HR \u00d7 SV") or holds a sentence ("GL = GI \u00d7
    grams of available carbohydrate", "`is` checks identity, `==` checks equality")."""
    if _MATH.search(line):
        return True
    text = re.sub(r"\s#\s.*$", "", re.sub(r"`[^`]*`", " ", line))  # not inline code, not a comment
    words = [w for w in _PLAIN_WORD.findall(text) if w.lower() not in CODE_KEYWORDS]
    english = sum(word_language(w) == ENGLISH for w in words)
    constant = _CONSTANT.match(text)
    if constant:
        # "ROE = net income / shareholders' equity": a name for words, not for a value.
        return english >= 2 and not _CODE_VALUE.search(text, constant.end())
    return english >= PROSE_WORDS


def _code_tokens(doc: Doc) -> set[int]:
    text = doc.text
    if not any(mark in text for mark in ("(", "=", ";", "{", "self.", "import ", "return ", "def ")):
        return set()
    blocked: set[int] = set()
    offset = 0
    for line in text.split("\n"):
        if _OPENING_MATH.match(line):
            # "$W = Fd\cos\theta$ - only the component of force...": TeX math, not a shell
            # variable ("$HOME"); the sentence after it is read, the formula is no word anyway.
            line_is_code = _CODE_LIKE.match(_OPENING_MATH.sub("", line)) and not _written_for_people(line)
        else:
            line_is_code = _CODE_LINE.match(line) or (_CODE_LIKE.match(line) and not _written_for_people(line))
        if line_is_code:
            span = doc.char_span(offset, offset + len(line), alignment_mode="expand")
            if span is not None:
                blocked.update(range(span.start, span.end))
        offset += len(line) + 1
    return blocked
