"""Run the pipeline over cards and turn the docs' kg extensions into CardExtraction records."""

from __future__ import annotations

import gc
import math
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from kg.cards import Card
from kg.errors import ModelError
from kg.extraction import Acronym, CardExtraction, Mention, Relation
from kg.nlp.generic import is_foreign_general_word, is_general_word
from kg.nlp.languages import (
    foreign_stretches,
    has_cjk,
    is_cjk_sentence,
    is_foreign_front,
    is_reading,
    meaning_key,
    meanings,
    quotes_another_language,
)
from kg.nlp.marks import STRONG, card_marks
from kg.processes import die_with_parent

FIELDS = ("question", "answer")
# Cards per task sent to a worker process: large enough that the per-task overhead vanishes,
# small enough that both workers stay busy to the end and progress moves.
CHUNK_CARDS = 250
# Cards per nlp.pipe call: a group that raises is read again card by card (see _extract_here).
GROUP_CARDS = 256


def extract(
    cards: Iterable[Card],
    *,
    nlp: Language | None = None,
    curation=None,
    batch_size: int = 256,
    n_process: int = 1,
) -> Iterator[CardExtraction]:
    """What each card mentions, in card order; both fields of every card go through one nlp.pipe.

    With `n_process` > 1 the cards are split among forked worker processes that share the
    loaded model and send back only the (small) extractions; the result is the same.
    """
    if nlp is None:
        from kg.nlp.pipeline import load_model

        nlp = load_model()
    if "kg_terms" in nlp.pipe_names:
        nlp.get_pipe("kg_terms").set_add_terms(list(curation.add_terms) if curation is not None else [])
    cards = list(cards)
    if n_process > 1 and len(cards) > 1 and "fork" in multiprocessing.get_all_start_methods():
        yield from _extract_forked(cards, nlp, batch_size, n_process)
    else:
        yield from _extract_here(cards, nlp, batch_size)


def _extract_here(cards: list[Card], nlp: Language, batch_size: int) -> Iterator[CardExtraction]:
    # One card the pipeline cannot read (a component of the user's model, or a rule of ours,
    # raising on its text) must not cost the deck: the cards go through spaCy a group at a time,
    # and a group that raises is read again card by card, the failing card kept without concepts.
    for first in range(0, len(cards), GROUP_CARDS):
        group = cards[first : first + GROUP_CARDS]
        try:
            found = list(_extract_group(group, nlp, batch_size))
        except MemoryError:
            raise
        except Exception:
            found = [_extract_alone(card, nlp, batch_size) for card in group]
        yield from found


def _extract_group(cards: list[Card], nlp: Language, batch_size: int) -> Iterator[CardExtraction]:
    texts = ((_marked_doc(nlp, card, marks, f), (i, f))
             for i, card in enumerate(cards) for marks in (card_marks(card),) for f in FIELDS)
    current: dict[str, Doc] = {}
    for doc, (i, field) in nlp.pipe(texts, as_tuples=True, batch_size=batch_size):
        current[field] = doc
        if field == FIELDS[-1]:
            yield card_extraction(cards[i].id, current)
            current = {}


def _extract_alone(card: Card, nlp: Language, batch_size: int) -> CardExtraction:
    try:
        return next(_extract_group([card], nlp, batch_size))
    except MemoryError:
        raise
    except Exception as exc:
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())
        return CardExtraction(card.id, failed=reason if len(reason) <= 200 else reason[:199] + "…")


def _marked_doc(nlp: Language, card: Card, marks: dict, field: str) -> Doc:
    """The field's text as a Doc carrying the author's marks, for kg_terms to read."""
    doc = nlp.make_doc(getattr(card, field))
    doc._.kg_marks = [list(m) for m in marks[field]]
    return doc


# The pipeline the forked workers inherit; set only while the workers are being started.
_WORKER_NLP: tuple[Language, int] | None = None


def _extract_forked(cards: list[Card], nlp: Language, batch_size: int, n_process: int):
    """spaCy's own n_process tokenizes in the parent and ships every Doc both ways, which makes
    the parent the bottleneck; forked workers that run the whole pipeline and return plain
    data scale with the cores instead."""
    global _WORKER_NLP
    chunk = max(1, min(CHUNK_CARDS, math.ceil(len(cards) / (4 * n_process))))
    chunks = [cards[i : i + chunk] for i in range(0, len(cards), chunk)]
    executor = ProcessPoolExecutor(
        min(n_process, len(chunks)), mp_context=multiprocessing.get_context("fork"),
        initializer=die_with_parent, initargs=(os.getpid(),),
    )
    _WORKER_NLP = (nlp, batch_size)
    # Objects alive now are shared copy-on-write with the workers; keeping the collector off
    # them stops it from touching (and so copying) every page of the model in each worker.
    gc.freeze()
    try:
        # With fork, every worker is started by the first submit, inside this block.
        parts = executor.map(_worker_extract, chunks)
    finally:
        gc.unfreeze()
        _WORKER_NLP = None
    finished = False
    try:
        for part in parts:
            for card_id, data in part:
                yield CardExtraction.from_dict(card_id, data)
        finished = True
    except BrokenProcessPool:
        raise ModelError(
            "a spaCy worker process died (out of memory?); build again with one process (-j 1)"
        ) from None
    finally:
        # Done: the workers are idle and exit at once. Abandoned: they finish the chunk at
        # hand and exit; no worker outlives the build process either way (see kg.processes).
        executor.shutdown(wait=finished, cancel_futures=True)


def _worker_extract(cards: list[Card]) -> list[tuple[str, dict]]:
    nlp, batch_size = _WORKER_NLP
    return [(e.card_id, e.to_dict()) for e in _extract_here(cards, nlp, batch_size)]


def _without_passing_words(mentions: list[Mention], docs: dict[str, Doc]) -> list[Mention]:
    """The mentions less the one-word terms of general English ("file", "service", "policy")
    that the card only uses in passing (in the singular): a general word stays a concept of the card when the
    author marked it, the question names it, or the card's text uses the word more than once
    (alone or inside other terms: "teacher" on a card about the "teacher-student" setup)."""
    general: dict[str, list[Mention]] = {}
    foreign: dict[str, list[Mention]] = {}
    for m in mentions:
        if _general_word(docs[m.field], m):
            general.setdefault(m.concept, []).append(m)
        elif is_foreign_general_word(m.concept) and m.surface.islower():
            foreign.setdefault(m.concept, []).append(m)
    # A common word of another language ("quiero" in an example sentence) is a concept only
    # where the author marks it ("ser vs estar").
    dropped = {key for key, ms in foreign.items() if not any(m.marked for m in ms)}
    mentions = [m for m in mentions if m.concept not in dropped]
    if not general:
        return mentions
    text = " ".join(doc.text for doc in docs.values()).lower()
    passing = {key for key, ms in general.items()
               if not any(m.marked or m.field == "question" for m in ms)
               and len(re.findall(rf"\b{re.escape(key)}(?:e?s)?\b", text)) < 2}
    return [m for m in mentions if m.concept not in passing]


def _meanings(docs: dict[str, Doc], seen: set) -> list[Mention]:
    """The English meanings a vocabulary card's answer opens with ("il biglietto" / "ticket – …"),
    as marked mentions: the card teaches them (kg.nlp.languages.meanings)."""
    if "question" not in docs or "answer" not in docs or not is_foreign_front(docs["question"].text):
        return []
    answer = docs["answer"].text
    found = []
    for start, end in meanings(answer):
        key = meaning_key(answer[start:end])
        mention = Mention(key, answer[start:end], "answer", start, end, True)
        if key and not any(m.concept == key and m.field == "answer" for m in seen):
            found.append(mention)
    return found


def _without_quotations(mentions: list[Mention], docs: dict[str, Doc]) -> list[Mention]:
    """The mentions less those inside the answer's quotations of another language ("Quiero que
    vengas", kg.nlp.languages), on a card that quotes one; the answer's Japanese or Chinese
    sentences ("学校は八時に始まります"); and on a card in those scripts, pinyin (a reading). The
    question keeps its words: a language card's front is what it teaches ("el gerundio"); so does
    what the author marked strongly ("<b>hay</b>"), which names the form the card teaches."""
    # The few characters after a mention tell whether a full stop of those scripts ends it.
    answer = docs["answer"].text if "answer" in docs else ""  # Doc.text joins every token: once, not per mention
    mentions = [m for m in mentions
                if not (m.field == "answer" and is_cjk_sentence(m.surface, answer[m.end:m.end + 4]))]
    if any(has_cjk(doc.text) for doc in docs.values()):  # a card in Chinese or Japanese: pinyin is a reading
        mentions = [m for m in mentions if not is_reading(m.surface)]
    stretches = {}
    for field, doc in docs.items():
        marks = doc._.kg_marks or []
        edges = tuple(edge for mark in marks for edge in mark[:2])
        stretches[field] = foreign_stretches(doc.text, edges)
    if not quotes_another_language([s for found in stretches.values() for s in found]):
        return mentions
    strong = [(m[0], m[1]) for m in docs["answer"]._.kg_marks or [] if m[2] == STRONG] if "answer" in docs else []

    def quoted(m: Mention) -> bool:
        return (m.field == "answer"
                and any(s <= m.start and m.end <= e for s, e, _ in stretches["answer"])
                and not any(s <= m.start and m.end <= e for s, e in strong))

    return [m for m in mentions if not quoted(m)]


def _general_word(doc: Doc, mention: Mention) -> bool:
    """A one-word term of general English written as a common noun; names ("Kubernetes", "DNA",
    "Google" mid-sentence) are not general words."""
    if not is_general_word(mention.concept):
        return False
    span = doc.char_span(mention.start, mention.end)
    if span is None or len(span) != 1:
        return False
    tok, start = span[0], span.start
    if tok.tag_ == "NNS":
        return False  # "reads", "tables": things the card counts, not a word used in passing
    written_as_name = any(c.isupper() for c in tok.text[1:]) or (
        tok.text[:1].isupper() and not tok.is_sent_start and tok.tag_ in ("NNP", "NNPS")
        and start > 0 and doc[start - 1].text not in ("\n", "-", ":", ")"))
    return not written_as_name


def card_extraction(card_id: str, docs: dict[str, Doc]) -> CardExtraction:
    """One card's extraction from its parsed fields; acronyms defined in one field apply to both."""
    pairs: dict[str, str] = {}
    for doc in docs.values():
        for short, long in doc._.kg_acronyms or []:
            pairs.setdefault(short, long)
    mentions: list[Mention] = []
    seen = set()
    for field, doc in docs.items():
        marked = {(s, e) for s, e in doc._.kg_marked or []}
        for key, start, end in doc._.kg_mentions or []:
            span = doc[start:end]
            surface, end_char = span.text, span.end_char
            if surface[len(key):len(key) + 1] == "(" and surface.lower().startswith(key):
                # A function called in code ("copy.deepcopy(x)", one token) is named without its call.
                surface, end_char = surface[:len(key)], span.start_char + len(key)
            mention = Mention(pairs.get(key, key), surface, field, span.start_char, end_char,
                              (start, end) in marked)
            if mention not in seen:
                seen.add(mention)
                mentions.append(mention)
    mentions = _without_passing_words(_without_quotations(mentions + _meanings(docs, seen), docs), docs)
    mentions.sort(key=lambda m: (FIELDS.index(m.field), m.start, -m.end))
    relations: list[Relation] = []
    for doc in docs.values():
        for subj, verb, obj in doc._.kg_relations or []:
            rel = Relation(pairs.get(subj, subj), verb, pairs.get(obj, obj))
            if rel.subject != rel.object and rel not in relations:
                relations.append(rel)
    return CardExtraction(
        card_id=card_id,
        mentions=mentions,
        acronyms=[Acronym(s, l) for s, l in pairs.items()],
        relations=relations,
    )
