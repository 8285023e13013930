"""kg's spaCy pipeline components; results go on Doc extensions as plain lists.

- `kg_acronym_pairs` (after the parser) makes "CI/CD", "TCP/IP", "A/B" one proper-noun token;
  merging before tagging would leave the tagger a token shape it has never seen.
- `kg_terms` sets `doc._.kg_mentions`: [concept key, first token, end token] per mention, whole
  terms before their sub-terms; curation "add" terms are matched on LOWER. The author's marks
  (`doc._.kg_marks`, [start char, end char, strength] set before the pipeline runs, see
  kg.nlp.marks) add the terms they name; `doc._.kg_marked` lists the [first token, end token]
  of every mention the author marked.
- `kg_acronyms` sets `doc._.kg_acronyms` ([short key, long key]) and points mentions of a
  defined short form at its long form.
- `kg_relations` sets `doc._.kg_relations` ([subject, verb, object] concept keys).

Values are lists of plain values so docs survive `nlp.pipe(n_process=...)`, which ships them
between processes with msgpack.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kg.nlp.acronyms import find_definitions
from kg.nlp.keys import acceptable
from kg.nlp.lexicon import only_adjective
from kg.nlp.marks import CLOZE, CODE, STRONG
from kg.nlp.misreads import blocked_tokens
from kg.nlp.names import judge_code, work_title
from kg.nlp.normalize import normalize_key
from kg.nlp.relations import find_relations
from kg.nlp.stoplists import GENERIC_MODIFIERS
from kg.nlp.marked import acceptable_marked, judge_marked
from kg.nlp.terms import MAX_UNITS, find_terms

# COMPONENTS_VERSION (kg.nlp.fingerprint) is bumped when a component's output changes for the
# same text: it keys the extraction cache.

for _name in ("kg_mentions", "kg_acronyms", "kg_relations", "kg_marks", "kg_marked"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def _is_acronym_side(text: str) -> bool:
    return 0 < len(text) <= 5 and text.isalnum() and (text.isupper() or text.isdigit())


@Language.component("kg_acronym_pairs")
def merge_acronym_pairs(doc: Doc) -> Doc:
    """Merge "CI / CD" (written without spaces) back into the one token "CI/CD"."""
    if "/" not in doc.text:
        return doc
    spans = []
    for tok in doc[1:-1]:
        left, right = doc[tok.i - 1], doc[tok.i + 1]
        if (
            tok.text == "/"
            and not left.whitespace_
            and not tok.whitespace_
            and _is_acronym_side(left.text)
            and _is_acronym_side(right.text)
            and not (spans and spans[-1][1] > tok.i - 1)
        ):
            spans.append((tok.i - 1, tok.i + 2))
    if spans:
        with doc.retokenize() as retokenizer:
            for start, end in spans:
                retokenizer.merge(doc[start:end], attrs={"POS": "PROPN", "TAG": "NNP"})
    return doc


# "KeyError", "HashMap": a class a line of code names.
_CLASS_NAME = re.compile(r"^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+$")


class TermFinder:
    """Mentions of terms found from the parse, plus the curation's "add" terms."""

    def __init__(self, nlp: Language, name: str, add_terms: list[str], max_units: int):
        self.vocab = nlp.vocab
        self.tokenizer = nlp.tokenizer
        self.name = name
        self.max_units = max_units
        self.add_terms: list[str] = []
        self.matcher: PhraseMatcher | None = None
        self.set_add_terms(add_terms)

    def set_add_terms(self, terms: list[str]) -> None:
        """Terms to find even where the parse misses them (curation "add")."""
        terms = sorted({t.strip() for t in terms if t.strip()})
        if terms == self.add_terms:
            return
        self.add_terms = terms
        self.matcher = None
        if terms:
            self.matcher = PhraseMatcher(self.vocab, attr="LOWER")
            written = set(terms) | {normalize_key(t) for t in terms}
            self.matcher.add("kg_add", [self.tokenizer(t) for t in sorted(written)])

    def __call__(self, doc: Doc) -> Doc:
        mentions = [[key, start, end] for key, start, end in find_terms(doc, max_units=self.max_units)]
        if self.matcher is not None:
            seen = {(s, e) for _, s, e in mentions}
            for _, start, end in self.matcher(doc):
                key = normalize_key(doc[start:end].text)
                if (start, end) not in seen and key:
                    mentions.insert(0, [key, start, end])
        marked = self._marked(doc, mentions)
        # "Innate vs adaptive immunity": a marked lone adjective that opens a longer mention
        # (kg.nlp.terms' shared heads: "innate immunity") is that mention's modifier, no term.
        starts = {m[1] for m in mentions if m[2] - m[1] > 1}
        mentions[:] = [m for m in mentions if not (m[2] - m[1] == 1 and m[1] in starts and only_adjective(m[0]))]
        # "Law of independent assortment", "Circle of fifths": the lone noun opening a marked
        # "of"-name is that name's head, no concept of its own ("law", "circle").
        mentions[:] = [m for m in mentions if not _heads_marked_of_name(doc, m, marked)]
        doc._.kg_mentions = mentions
        doc._.kg_marked = sorted([s, e] for s, e in marked)
        return doc

    def _marked(self, doc: Doc, mentions: list) -> set[tuple[int, int]]:
        """Add the terms the author's strong marks name to `mentions`; the spans of all marked
        mentions (a weak mark only flags a term found anyway)."""
        marked: set[tuple[int, int]] = set()
        at = {(m[1], m[2]): m for m in mentions}
        blocked = blocked_tokens(doc) if doc._.kg_marks else set()
        for start_char, end_char, strength, *front in doc._.kg_marks or []:
            span = doc.char_span(start_char, end_char, alignment_mode="expand")
            if span is None or not len(span):
                continue
            exact = at.get((span.start, span.end))
            if strength != STRONG:
                if (title := work_title(doc, span.start, span.end)) is not None:
                    # A work's title in italics is one name, not the terms inside it.
                    key, start, end = title
                    mentions[:] = [m for m in mentions if not start <= m[1] < m[2] <= end]
                    mentions.insert(0, [key, start, end])
                    at = {(m[1], m[2]): m for m in mentions}
                    marked.add((start, end))
                elif exact is not None and acceptable_marked(exact[0]):
                    marked.add((span.start, span.end))
                continue
            if front and front[0] == CODE:
                # Code must cover whole tokens: a "/" inside "/characters" names nothing.
                whole = doc.char_span(start_char, end_char) is not None
                judged = judge_code(doc, span.start, span.end) if whole else None
                if whole and judged is None:
                    # An expression or a line of code is not prose: "a + b" names no "+ b"; a
                    # class it names stays ("except KeyError:").
                    mentions[:] = [m for m in mentions if m[2] <= span.start or m[1] >= span.end
                                   or (m[2] - m[1] == 1 and _CLASS_NAME.match(doc[m[1]].text))]
                    at = {(m[1], m[2]): m for m in mentions}
                    continue
                if judged is not None:
                    # The code is one name: "git bisect", not "git" and "bisect"; the rest of a
                    # command line names nothing ("python -m venv .venv" is "python").
                    mentions[:] = [m for m in mentions if m[2] <= span.start or m[1] >= span.end
                                   or (m[1], m[2]) == (judged[1], judged[2])]
                    at = {(m[1], m[2]): m for m in mentions}
            else:
                judged = judge_marked(doc, span.start, span.end, lenient=bool(front and front[0]), blocked=blocked,
                                      cloze=bool(front) and front[0] == CLOZE)
            if judged is None:
                continue  # a bold "No" marks nothing, not even a term found there
            key, start, end = judged
            if (start, end) not in at:
                mention = [key, start, end]
                mentions.insert(0, mention)
                at[start, end] = mention
            marked.add((start, end))
        return marked


@Language.factory(
    "kg_terms",
    default_config={"add_terms": [], "max_units": MAX_UNITS},
    requires=["token.pos", "token.tag", "token.dep", "token.sent_start"],
    assigns=["doc._.kg_mentions"],
)
def make_term_finder(nlp: Language, name: str, add_terms: list[str], max_units: int) -> TermFinder:
    return TermFinder(nlp, name, add_terms, max_units)


@Language.component("kg_acronyms", requires=["doc._.kg_mentions"], assigns=["doc._.kg_acronyms"])
def link_acronyms(doc: Doc) -> Doc:
    """Record "Continuous Integration (CI)" and make every "CI" mention the long form's."""
    mentions = doc._.kg_mentions or []
    pairs: dict[str, str] = {}
    for short, long, s_start, s_end, l_start, l_end in find_definitions(doc):
        short_key, long_key = normalize_key(short), normalize_key(long)
        if not short_key or not acceptable(long_key) or short_key == long_key:
            continue
        pairs.setdefault(short_key, long_key)
        # The long form is one name: a term cut from it by dropping the adjectives before it goes
        # ("single nucleotide polymorphism (SNP)" names no "nucleotide polymorphism").
        mentions[:] = [m for m in mentions if not _cut_from(doc, m, l_start, l_end)]
        spans = {(m[1], m[2]) for m in mentions}
        if (l_start, l_end) not in spans:
            mentions.append([long_key, l_start, l_end])
        if (s_start, s_end) not in spans:
            mentions.append([long_key, s_start, s_end])
    if pairs:
        for m in mentions:
            m[0] = pairs.get(m[0], m[0])
    doc._.kg_mentions = mentions
    doc._.kg_acronyms = [[s, l] for s, l in pairs.items()]
    return doc


def _heads_marked_of_name(doc: Doc, mention: list, marked: set[tuple[int, int]]) -> bool:
    _, start, end = mention
    return end - start == 1 and end < len(doc) and doc[end].lower_ == "of" \
        and any(s == start and e > end + 1 for s, e in marked)


def _cut_from(doc: Doc, mention: list, start: int, end: int) -> bool:
    """The mention is the end of the span `start`..`end` without the grading words opening it
    ("single", "best": kg.nlp.terms cuts them from a term; a kind such as "augmented" stays)."""
    return mention[2] == end and start < mention[1] \
        and all(t.lower_ in GENERIC_MODIFIERS for t in doc[start : mention[1]])


@Language.component("kg_relations", requires=["doc._.kg_mentions", "token.dep"], assigns=["doc._.kg_relations"])
def find_concept_relations(doc: Doc) -> Doc:
    """Subject-verb-object triples whose both ends are concepts mentioned in the doc."""
    concept_at: dict[int, str] = {}
    # Longest mention wins a token, so "Vertex AI Feature Store" beats its sub-term "vertex ai".
    for key, start, end in sorted(doc._.kg_mentions or [], key=lambda m: m[1] - m[2]):
        for i in range(start, end):
            concept_at.setdefault(i, key)
    doc._.kg_relations = [list(t) for t in find_relations(doc, concept_at)]
    return doc
