"""Tokens that must not be part of a term although the tagger calls them nouns.

- Verbs read as nouns. The small tagger takes title case and list markers for names, so
  "1) Tracks multiple versions", "Track Lineage:" and "Facilitates model deployment" come out as
  noun phrases; so does the verb closing a question ("How does Elastic Depth work?") or following
  a plural subject ("autoencoders sample from q"). The lemma tables (`kg.nlp.lexicon`) tell
  which of those words can be verbs at all; position and the neighbours decide.
- Light-verb idioms: "keep track of", "take advantage of", "play a role", "in terms of".
- Lines of source code pasted into a card ("def park(self, vehicle):").
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from kg.nlp.languages import ENGLISH, word_language
from kg.nlp.lexicon import gerund_verb, is_lemma, lemmas, only_verb, tables, third_person_verb
from kg.nlp.marks import STRUCTURE
from kg.nlp.names import roman_one
from kg.nlp.stoplists import CODE_KEYWORDS, SHORTHAND

_NOUNISH = frozenset({"NOUN", "PROPN"})
# What may open a noun phrase that is the object of a verb just before it.
_OBJECT_START = frozenset({"DET", "ADJ", "NOUN", "PROPN", "NUM", "PRON"})
# Auxiliaries after which a question's subject comes, then its verb: "How does X work?"
SIBLINGS = 2  # list items looked at on each side of an ambiguous one
_COMPLEMENT_START = frozenset({"DET", "ADJ", "ADP", "ADV", "PRON", "PART", "NUM"})
_FINITE = frozenset({"VB", "VBP", "VBZ", "VBD", "MD"})
_QUESTION_AUX = frozenset("do does did can could will would should may might must shall".split())
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
    markers = {i: m for i in starts if (m := _list_marker(doc, i)) is not None}
    for tok in doc:
        if tok.i in blocked or tok.pos_ not in _NOUNISH | {"ADJ"}:
            continue
        if tok.i in starts and _opens_with_verb(tok, lambda: _siblings_are_verbs(doc, tok.i, markers)):
            blocked.add(tok.i)
        elif tok.pos_ == "ADJ" and tok.lower_.endswith("s") and _predicate_verb(tok):
            blocked.add(tok.i)  # "A router forwards/JJ packets": no adjective is an "-s" verb form
        elif tok.pos_ in _NOUNISH and (_closes_with_verb(tok) or _in_idiom(tok) or _predicate_verb(tok)
                                       or _closes_do_question(tok) or _closes_passive_question(tok)
                                       or _bare_infinitive(tok)
                                       or _verb_after_noun(tok)):
            blocked.add(tok.i)
        elif tok.pos_ == "NOUN" and _adverb(tok.lower_):
            # "stir counter clockwise": an adverb the tagger took for a noun, with the adverb
            # compounded onto it; a term cannot end in either.
            blocked.add(tok.i)
            j = tok.i - 1
            while j >= 0 and doc[j].dep_ == "compound" and doc[j].head.i == tok.i and is_lemma(doc[j].lower_, "adv"):
                blocked.add(j)
                j -= 1
    blocked |= _verb_series(doc)
    blocked |= _question_verbs(doc)
    return blocked


_PRONOUN_SUBJECTS = frozenset("you we i they one he she it".split())
_FINITE_OR_AUX = frozenset({"VBZ", "VBP", "VBD", "MD"})


def _question_verbs(doc: Doc) -> set[int]:
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
            if a.lower_ in _QUESTION_AUX and a.pos_ == "AUX" and b.lower_ in _PRONOUN_SUBJECTS \
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


_JOINS = frozenset({",", "and", "or"})
SUBJECT_REACH = 24  # tokens looked back for a question's auxiliary before its verb


def _verb_series(doc: Doc) -> set[int]:
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
        if doc[tok.i - 1].lower_ in _JOINS and _only_verb_s(tok) and first.text.islower() \
                and first.lower_.endswith("s") and third_person_verb(first.lower_) is not None \
                and not _verb_before(first):
            out.update((first.i, tok.i))
    return out


def _verb_before(tok: Token) -> bool:
    """A tensed verb in `tok`'s clause before it."""
    doc, sent = tok.doc, tok.sent
    opened = [t.i for t in doc[sent.start : tok.i] if t.lower_ in _CLAUSE_BOUNDARIES]
    start = opened[-1] + 1 if opened else sent.start
    return any(t.tag_ in _TENSED or (t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBG", "VBN"))
               for t in doc[start : tok.i])


def _only_verb_s(tok: Token) -> bool:
    """A lower-case "-s" word that is a verb's and no noun's: "detects", "thickens", "departs"."""
    word = tok.lower_
    return (tok.text.isalpha() and tok.text.islower() and word.endswith("s") and third_person_verb(word) is not None
            and not is_lemma(word, "noun") and not lemmas(word, "noun"))


def _adverb(word: str) -> bool:
    """An adverb the lexicon never knows as a noun or a verb ("clockwise", "abroad")."""
    return word.isalpha() and is_lemma(word, "adv") and not is_lemma(word, "noun") and not lemmas(word, "noun") \
        and not is_lemma(word, "verb")  # ("multiply-adds")


_TENSED = frozenset({"VBZ", "VBP", "VBD", "MD"})
# Words that open a clause of its own, whose tensed verb is not the sentence's main one; "and"
# only right before its verb ("seals food and heats it"), elsewhere it joins nouns.
_CLAUSE_OPENERS = frozenset("that which who whom while when because if ; :".split())
_VERB_JOINERS = frozenset("and or but , ;".split())
# Words after which a new clause, with a subject and verb of its own, starts.
_CLAUSE_BOUNDARIES = _CLAUSE_OPENERS | frozenset("but because although whereas . ! ?".split())


def _predicate_verb(tok: Token) -> bool:
    """A "-s" word the tagger calls a plural noun that is the sentence's verb: after its
    singular subject with no tensed verb before it ("the pump moves sodium out",
    "sous-vide cooking seals food", also in a clause after "when" or "because" whose sentence has
    its own verb before: "is unstable when the cargo shifts weight"), or joined by "and" or a comma
    to a verb before it ("inhibits COX and lowers fever", "confirms judges, ratifies treaties"). "Model weights file is stored" keeps its noun: the verb comes after."""
    doc = tok.doc
    word = tok.lower_
    if tok.i == 0 or not tok.text.isalpha() or not tok.text.islower() or not word.endswith("s") \
            or third_person_verb(word) is None:
        return False  # ("Barlow Twins", "Slimmable Networks": capitalized, a name's word)
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    participle = nxt is not None and nxt.tag_ in ("VBD", "VBN") and nxt.i + 1 < len(doc) and doc[nxt.i + 1].pos_ in _NOUNISH
    if nxt is None or nxt.is_punct or not (nxt.pos_ in _OBJECT_START or nxt.text[:1].isupper()
                                           or participle or _opens_object(nxt) or _manner_adverb(nxt)):
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
    opened = [t.i for t in doc[sent.start : tok.i] if t.lower_ in _CLAUSE_BOUNDARIES]
    clause_start = opened[-1] + 1 if opened else sent.start
    before = doc[clause_start : tok.i]
    prev = doc[tok.i - 1]
    if prev.lower_ in ("and", "or", ","):
        # "inhibits COX and lowers fever", "registers domains, answers DNS queries and routes traffic"
        return any(t.tag_ == "VBZ" or (t.lower_ not in ("and", "or", ",") and _predicate_verb(t)) for t in before)
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
            return doc[t.i - 1].lower_ in _VERB_JOINERS or any(u.lower_ in _CLAUSE_OPENERS for u in doc[tok.i + 1 : t.i])
    return True


_SUBORDINATORS = frozenset("while when whenever because if unless although whereas".split())


def _verb_of_subordinate_clause(tok: Token, nxt: Token | None) -> bool:
    """`tok`, an "-s" word followed by `nxt` (None at the text's end), is the verb of a clause
    opened by a subordinator right before its subject, the clause having no other verb."""
    doc = tok.doc
    if not (nxt is None or nxt.pos_ in ("ADP", "ADV") or nxt.text in (",", ".", ";", ":", ")", "?", "!")):
        return False
    j = tok.i - 1
    while j >= 0 and tok.i - j <= 8 and (doc[j].pos_ in _NOUNISH | {"ADJ", "DET", "NUM", "PRON"} or doc[j].tag_ == "POS"):
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


def _list_marker(doc: Doc, i: int) -> str | None:
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


def _opens_with_verb(tok: Token, list_verbs) -> bool:
    """A clause-initial word that is a verb in use: "Facilitates model deployment", "Evaluate X";
    after a label's colon also in lower case, an "-s" form ("Stateful: tracks connections")."""
    word = tok.lower_
    after_label = tok.i > 0 and tok.doc[tok.i - 1].text == ":" and third_person_verb(word) is not None \
        and tok.i + 1 < len(tok.doc) and not is_lemma(tok.doc[tok.i + 1].lower_, "verb")  # ("plants take up")
    if not tok.text[:1].isupper() and not after_label:
        return False
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    takes_object = nxt is not None and _opens_object(nxt)
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


def _opens_object(tok: Token) -> bool:
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


def _verb_after_phrase(tok: Token) -> bool:
    doc = tok.doc
    j = tok.i + 2  # past the word that opens the object, whatever the tagger made of it
    while j < len(doc) and doc[j].pos_ in _NOUNISH | {"ADJ", "DET", "NUM"}:
        j += 1
    return j < len(doc) and doc[j].tag_ in _FINITE


def _siblings_are_verbs(doc: Doc, i: int, markers: dict[int, str]) -> bool:
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


def _closes_with_verb(tok: Token) -> bool:
    """The last noun of a phrase that is really its verb: "How does X work in", "autoencoders sample"."""
    doc = tok.doc
    word = tok.lower_
    if not tok.text.isalpha() or tok.i == 0:
        return False
    base = is_lemma(word, "verb") and _verb_form(word)
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
    if nxt is not None and nxt.tag_ in _FINITE and not (
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
    if j < 0 or doc[j].lower_ not in _QUESTION_AUX:
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


_WH_WORDS = frozenset("how why what which when where who whom whose".split())
# What may follow a question's verb that ends its subject: the end of the clause, an object's
# determiner or pronoun, "to", or a preposition other than "of" (a noun is often followed by "of",
# a verb seldom: "the transfer function of a filter").
_CLAUSE_END = frozenset("? . ! , ; : )".split())


def _closes_do_question(tok: Token) -> bool:
    """The verb of a question with "do" or a modal that the tagger took for the last noun of its
    subject, when no other word of the clause is a verb: "How does Batch Normalization work?",
    "Which issues does mip-NeRF 360 address?", "What schedule does Token Merging use to merge
    tokens?", "How does mip-NeRF 360 reparameterize the gaussians?". A do-question needs a verb
    after its subject; a lower-case word that can be one, ending the clause or followed by an
    object's first word, is it. A capitalized word the tagger calls a verb ("Batch") is a name's."""
    doc = tok.doc
    word = tok.lower_
    if tok.i < 2 or not tok.text.isalpha() or not tok.text.islower() or not _verb_form(word):
        return False
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    if nxt is not None and not (nxt.text in _CLAUSE_END or nxt.pos_ in ("DET", "PRON") or nxt.tag_ == "TO"
                                or (nxt.pos_ == "ADP" and nxt.lower_ != "of")):
        return False
    sent = tok.sent
    for j in range(tok.i - 1, max(sent.start, tok.i - SUBJECT_REACH) - 1, -1):
        t = doc[j]
        if t.lower_ in _QUESTION_AUX and t.pos_ == "AUX":
            break
        if t.text in _CLAUSE_END or t.lower_ in _CLAUSE_BOUNDARIES:
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


def _closes_passive_question(tok: Token) -> bool:
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


def _verb_after_noun(tok: Token) -> bool:
    """An "-s" word no noun has as its plural, in lower case right after a noun: the noun's verb,
    whatever follows ("Vertex AI Model Monitoring detects:", "performance metrics detects concept
    drift", "Kneading aligns gluten", "the leaving group departs,"). No term ends in a word that is
    only ever a verb."""
    if tok.i == 0 or not _only_verb_s(tok):
        return False
    prev = tok.doc[tok.i - 1]
    return (prev.pos_ in _NOUNISH or prev.tag_ == "VBG") and bool(prev.whitespace_)


def _bare_infinitive(tok: Token) -> bool:
    """A verb right after "help" used as a verb, read as a noun: "helping debug production issues",
    "helps reduce latency"."""
    doc = tok.doc
    if tok.i == 0 or not tok.text.islower() or not _verb_form(tok.lower_) or not is_lemma(tok.lower_, "verb"):
        return False
    prev = doc[tok.i - 1]
    return prev.lemma_.lower() == "help" and prev.pos_ == "VERB" and bool(prev.whitespace_)


def _verb_form(word: str) -> bool:
    """A verb's base form: known to the lexicon, or coined with a verb suffix ("reparameterize")."""
    if is_lemma(word, "verb"):
        return not word.endswith("s") or word.endswith(("ss", "us"))  # "process", "focus"
    return len(word) >= 6 and word.endswith(("ize", "ise", "ify")) and not is_lemma(word, "noun")


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
    return tok.text.islower() and _verb_form(tok.lower_) and is_lemma(tok.lower_, "verb")


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
