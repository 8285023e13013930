"""Run the pipeline over cards and turn the docs' kg extensions into CardExtraction records."""

from __future__ import annotations

from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from kg.cards import Card
from kg.extraction import Acronym, CardExtraction, Mention, Relation

FIELDS = ("question", "answer")


def extract(
    cards: Iterable[Card],
    *,
    nlp: Language | None = None,
    curation=None,
    batch_size: int = 256,
    n_process: int = 1,
) -> Iterator[CardExtraction]:
    """What each card mentions, in card order; both fields of every card go through one nlp.pipe."""
    if nlp is None:
        from kg.nlp.pipeline import load_model

        nlp = load_model()
    if "kg_terms" in nlp.pipe_names:
        nlp.get_pipe("kg_terms").set_add_terms(list(curation.add_terms) if curation is not None else [])
    cards = list(cards)
    texts = ((getattr(card, f), (i, f)) for i, card in enumerate(cards) for f in FIELDS)
    docs = nlp.pipe(texts, as_tuples=True, batch_size=batch_size, n_process=n_process)
    current: dict[str, Doc] = {}
    for doc, (i, field) in docs:
        current[field] = doc
        if field == FIELDS[-1]:
            yield card_extraction(cards[i].id, current)
            current = {}


def card_extraction(card_id: str, docs: dict[str, Doc]) -> CardExtraction:
    """One card's extraction from its parsed fields; acronyms defined in one field apply to both."""
    pairs: dict[str, str] = {}
    for doc in docs.values():
        for short, long in doc._.kg_acronyms or []:
            pairs.setdefault(short, long)
    mentions: list[Mention] = []
    seen = set()
    for field, doc in docs.items():
        for key, start, end in doc._.kg_mentions or []:
            span = doc[start:end]
            mention = Mention(pairs.get(key, key), span.text, field, span.start_char, span.end_char)
            if mention not in seen:
                seen.add(mention)
                mentions.append(mention)
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
