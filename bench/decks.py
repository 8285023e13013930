"""Benchmark decks of any size, recombined from the sentences of real decks.

The sentences come, at run time, from the bundled deck (`cards/`) and the real decks in
`../shared/decks`; nothing of them is stored in the repository. Each generated card

* takes its question from one real card and its answer from that card's own sentences, with
  about a third of them swapped for sentences of random cards of any deck (so topics mix the
  way they do in a real collection, without every card being a random salad);
* has some of its noun-like words (words the sources use after an article or preposition)
  replaced by words drawn from a growing vocabulary. The draw is a Chinese-restaurant process:
  an existing word is picked in proportion to how often it was used so far (common terms stay
  common), and a new word -- a blend of two source words, "gradient" + "pipeline" -> "gradline"
  -- is coined with probability COIN_RATE / sqrt(words drawn so far). The vocabulary therefore
  grows like the square root of the deck's size (Heaps' law), so the concept count keeps
  growing with the deck, as in real collections, instead of saturating at the sources' few
  thousand concepts.

Cards are written as Anki-style TSV files (question <tab> answer, no header) of DECK_CARDS
cards each, so a large collection is many decks. The same size and seed always give the same
files. Run `python bench/decks.py 20000 /tmp/decks` to write one; `manifest.json` says how it was
made.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import os
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Bumped whenever the same size and seed would give different cards.
GENERATOR_VERSION = "1"
DECK_CARDS = 500
SEED = 8194
SWAP_SENTENCE = 0.35  # share of answer sentences taken from another card
SWAP_WORD = 0.15  # share of noun-like words replaced from the growing vocabulary
COIN_RATE = 3.0  # words coined after n draws: about 2 * COIN_RATE * sqrt(n)
MAX_ANSWER_SENTENCES = 10
MIN_SENTENCE_CHARS = 12
MAX_SENTENCE_CHARS = 400
MAX_QUESTION_CHARS = 300

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCES = (ROOT / "cards", Path(os.environ.get("KG_SHARED_DIR") or ROOT.parent / "shared") / "decks")

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[A-Z0-9])|\n+")
_WORD = re.compile(r"[A-Za-z][a-z]{3,}")
# Articles and prepositions: the word after them is most often a noun or an adjective.
_NOUN_CUE = frozenset(
    "a an the of for in on with by from its their each every any some many several such".split()
)
_PREV_WORD = re.compile(r"([A-Za-z]+)\W+$")


@dataclass
class Sources:
    """The sentences of the source decks, ready for recombination."""

    questions: list[str]  # each source card's question
    answers: list[list[str]]  # the same card's answer, split into sentences
    nouns: list[str]  # noun-like words, one entry per use (so frequent ones are drawn often)
    decks: list[str]  # the source paths that gave cards
    cards: int = 0


@dataclass
class Vocabulary:
    """The growing vocabulary of replacement words (see the module docstring)."""

    rng: random.Random
    uses: list[str]
    known: set[str] = field(default_factory=set)
    draws: int = 0
    coined: int = 0

    def __post_init__(self):
        self.known = {w.lower() for w in self.uses}

    def draw(self) -> str:
        self.draws += 1
        if self.rng.random() < min(1.0, COIN_RATE / math.sqrt(self.draws)):
            word = self._coin()
        else:
            word = self.rng.choice(self.uses)
        self.uses.append(word)
        return word

    def _coin(self) -> str:
        for _ in range(20):
            a, b = self.rng.choice(self.uses), self.rng.choice(self.uses)
            word = (a[: max(2, len(a) // 2 + 1)] + b[len(b) // 2 :]).lower()
            if word not in self.known:
                break
        self.known.add(word)
        self.coined += 1
        return word


def split_sentences(text: str) -> list[str]:
    """The sentences (and list lines) of a card side, trimmed; fragments too short or long dropped."""
    found = []
    for part in _SENTENCE_END.split(text):
        part = " ".join(part.split())
        if MIN_SENTENCE_CHARS <= len(part) <= MAX_SENTENCE_CHARS and len(part.split()) >= 3:
            found.append(part)
    return found


def load_sources(paths=DEFAULT_SOURCES) -> Sources:
    """Read the source decks with kg's own readers and cut them into sentences."""
    from kg.readers import read_decks

    used = [Path(p) for p in paths if Path(p).exists()]
    if not used:
        raise SystemExit(f"no source decks found in {', '.join(map(str, paths))}")
    cards = read_decks(used).cards
    questions, answers, nouns = [], [], []
    seen = set()
    for card in cards:
        q = " ".join(card.question.split())
        sentences = split_sentences(card.answer)
        # The same card often comes in two formats (the MLRF CSV and Markdown decks).
        if not q or len(q) > MAX_QUESTION_CHARS or not sentences or q.lower() in seen:
            continue
        seen.add(q.lower())
        questions.append(q)
        answers.append(sentences)
        for text in (q, *sentences):
            nouns.extend(_noun_like(text))
    if not questions or not answers:
        raise SystemExit(f"the source decks in {', '.join(map(str, used))} have no usable cards")
    return Sources(questions, answers, nouns, [str(p) for p in used], cards=len(cards))


def _noun_like(text: str) -> list[str]:
    """Words of `text` that follow an article or preposition: likely nouns, safe to swap."""
    from spacy.lang.en.stop_words import (
        STOP_WORDS,  # a word list only: no model is loaded
    )

    found = []
    for m in _WORD.finditer(text):
        prev = _PREV_WORD.search(text, 0, m.start())
        word = m.group()
        if prev and prev.group(1).lower() in _NOUN_CUE and word.lower() not in STOP_WORDS \
                and not word.endswith("ly"):
            found.append(word.lower())
    return found


class _Rewriter:
    def __init__(self, sources: Sources, rng: random.Random):
        self.rng = rng
        self.vocabulary = Vocabulary(rng, list(sources.nouns))
        self.swappable = set(sources.nouns)

    def __call__(self, text: str) -> str:
        def swap(m: re.Match) -> str:
            word = m.group()
            if word.lower() not in self.swappable or self.rng.random() >= SWAP_WORD:
                return word
            new = self.vocabulary.draw()
            return new.capitalize() if word[0].isupper() else new

        return _WORD.sub(swap, text)


def generate(size: int, out: str | Path, *, seed: int = SEED, sources: Sources | None = None) -> dict:
    """Write a deck collection of `size` cards into the folder `out`; return its manifest.

    The manifest (also written as `out/manifest.json`) records the sources, the seed and what
    the recombination produced, so a benchmark result says exactly which decks it measured.
    """
    sources = sources or load_sources()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("deck-*.tsv"):
        old.unlink()
    rng = random.Random(f"{seed}:{size}")
    rewrite = _Rewriter(sources, rng)
    files = []
    written = 0
    deck_no = 0
    while written < size:
        deck_no += 1
        n = min(DECK_CARDS, size - written)
        path = out / f"deck-{deck_no:04d}.tsv"
        rows = _deck_rows(n, sources, rng, rewrite)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, delimiter="\t", lineterminator="\n").writerows(rows)
        files.append(path.name)
        written += n
    manifest = {
        "generator": GENERATOR_VERSION,
        "seed": seed,
        "cards": size,
        "decks": len(files),
        "deck_cards": DECK_CARDS,
        "sources": sources.decks,
        "source_cards": sources.cards,
        "source_questions": len(sources.questions),
        "source_answer_sentences": sum(len(a) for a in sources.answers),
        "words_replaced": rewrite.vocabulary.draws,
        "words_coined": rewrite.vocabulary.coined,
        "characters": sum((out / f).stat().st_size for f in files),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def _deck_rows(n: int, sources: Sources, rng: random.Random, rewrite: _Rewriter) -> list[list[str]]:
    rows, seen = [], set()
    while len(rows) < n:
        anchor = rng.randrange(len(sources.answers))
        question = rewrite(sources.questions[anchor])
        key = " ".join(question.lower().split())
        # Two cards with one question in one deck would share an id; draw again instead.
        if key in seen:
            continue
        seen.add(key)
        own = sources.answers[anchor][:MAX_ANSWER_SENTENCES]
        answer = [
            rng.choice(rng.choice(sources.answers)) if rng.random() < SWAP_SENTENCE else s
            for s in own
        ]
        rows.append([question, " ".join(rewrite(s) for s in answer)])
    return rows


def edit_one_card(out: str | Path, *, seed: int = SEED) -> tuple[Path, str]:
    """Change the answer of one card in the middle of a generated collection, as a user would.

    Returns the edited file and its previous content, so the caller can put it back.
    """
    files = sorted(Path(out).glob("deck-*.tsv"))
    path = files[len(files) // 2]
    before = path.read_text(encoding="utf-8")
    rows = list(csv.reader(before.splitlines(), delimiter="\t"))
    row = rows[len(rows) // 2]
    row[1] = f"{row[1]} (Edited for the rebuild benchmark, seed {seed}.)"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter="\t", lineterminator="\n").writerows(rows)
    return path, before


def deck_digest(out: str | Path) -> str:
    """A short hash of a generated collection's files, to tell two collections apart."""
    h = hashlib.sha1()
    for path in sorted(Path(out).glob("deck-*.tsv")):
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("size", type=int, help="number of cards")
    parser.add_argument("out", type=Path, help="folder to write the decks into")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--source", action="append", type=Path,
                        help="source deck file or folder (default: cards/ and ../shared/decks)")
    args = parser.parse_args(argv)
    sources = load_sources(args.source or DEFAULT_SOURCES)
    manifest = generate(args.size, args.out, seed=args.seed, sources=sources)
    json.dump(manifest, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
