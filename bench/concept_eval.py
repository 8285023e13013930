"""Score concept extraction against judged cards: `python bench/concept_eval.py`.

The judged set, tests/data/nlp/gold_concepts.json, names for about 30 cards (drawn with a fixed
seed from the bundled deck and the three real decks in ../shared/decks) the concepts a person
studying the card would name; bench/judged/gold_concepts.json does the same for every card of the
small decks in bench/judged/decks, written in domains kg was never tuned on (networking, cell
biology, a Spanish course, AWS operations) and judged before extraction was changed for them, and
four held-out decks written and judged later, before anyone tuned on them (pharmacology, Europe
1914-1945, Git and software engineering, music theory), and four held-out language decks (French,
German, Italian, Japanese for English speakers) judged before extraction was changed for languages,
and three more held-out decks written and judged later the same day (financial accounting,
econometrics, geology) before the extraction rules tuned on their findings were written, and three
written and judged that evening (astronomy as an Anki package, contract law in Org, cardiac
physiology for Obsidian_to_Anki) before kg's extraction was run on them, and three written and
judged on 2 Dec 2026 (ecology as Anki's plain-text notes export, Python programming as an Obsidian
note of a heading per question, nutrition as a spreadsheet CSV with clozes) before kg's extraction
was ever run on them, and three written and judged on 2 Dec 2026 (microeconomics as a real Anki
package written by Anki's own library, art history as a Quizlet tab export, Linux shell as Obsidian
Spaced Repetition inline and multi-line cards) before kg's extraction or search was ever run on them,
and three more written and judged on 2 Dec 2026 (organic chemistry as a real Anki package with "type
in the answer" and "optional reversed card" notes and MathJax, ethics as a Mochi export, aviation
weather as an Obsidian note written for inka) before kg's extraction or search was ever run on them,
and three more written and judged on 2 Dec 2026 (immunology as a CrowdAnki export with a custom note
type, world religions as an Org file for anki-editor, photography as a Logseq graph of pages and a
journal) before kg's extraction or search was ever run on them, and three more written and judged on
2 Dec 2026 (chess as a Quizlet export with custom separators, classical mechanics as an ankdown
Markdown file, linguistics as a tab-separated file with Anki's #columns: header and a tags column)
before kg's extraction or search was ever run on them, and three more written and judged on 2 Dec 2026
(epidemiology as a real Anki package of Basic and Cloze notes, electrical circuits as an Obsidian
Spaced Repetition note with LaTeX, horticulture as a spreadsheet's CSV export with a byte order mark
and CRLF rows) before kg's extraction or search was ever run on them, and three more written and judged
on 2 Dec 2026 (cybersecurity as Anki's own "Notes in Plain Text" export with guid, note type and deck
columns, human anatomy as Markdown pipe tables with a Location/Example column, culinary science as a
plain text file of Q:/A: pairs) before kg's extraction or search was ever run on them, and three more written and
judged on 2 Dec 2026 (macroeconomics as a real Anki package of Basic, reversed and Cloze notes with hierarchical
tags, marine biology as a Markdown file of a heading per question, music history as a spreadsheet's
semicolon-separated export with no header row) before kg's extraction or search was ever run on them, and three more
written and judged on 2 Dec 2026 (genetics as a real Anki package of Basic, reversed and Cloze notes written by Anki's own
library, ancient Rome as an Org file for org-fc, relational databases as an Obsidian note of question and answer callouts)
before kg's extraction or search was ever run on them, and three more written and judged on 2 Dec 2026 (statistics as a real
Anki package with a note type of the author's own of four fields, first aid as Anki's own "Cards in Plain Text" export,
sociology as an Obsidian note for the Obsidian_to_Anki plugin) before kg's extraction or search was ever run on them, and three
more written and judged on 2 Dec 2026 (neuroscience as a real Anki package with a note type of a hint field, an HTML table and
a picture, Kubernetes as a Markdown outline of toggle-list items, criminal law as a plain text file of question lines and
answer lines) before kg's extraction or search was ever run on them, and three more written and judged on 3 Dec 2026
(volcanology as a whole Anki collection exported as a .colpkg with a note type of the author's own, typography as a Markdown
file for Markdown Flashcards with `?` side marks, game theory as a RemNote outline exported as Markdown) before kg's extraction
or search was ever run on them, and three more written and judged on 3 Dec 2026 (orbital mechanics as a real Anki package
with a note type of the author's own whose sort field is not its first, ornithology as an Obsidian vault folder with the
Spaced Repetition plugin's own settings, copyright law as a GitHub-style Markdown question list of `<details>` sections)
before kg's extraction or search was ever run on them, and three more written and judged on 3 Dec 2026 (maritime navigation
as an Anki package in the legacy format with a note type of the author's own, beekeeping as a Notion database's CSV export,
Rust programming as a chatbot's Markdown of Front:/Back: cards) before kg's extraction was ever run on them.
Only card ids are stored; the text is read from the decks at run time. Per card, a required concept
counts as found when any of its written forms ("SSD|Single-Shot Detector") has the key of an
extracted concept; an extracted concept is correct when it is required or listed as acceptable.
The whole of each deck is extracted, so that the names its authors marked on any card are found
on the judged cards as a build finds them (kg.deckterms). Prints micro precision / recall / F1 per deck, over the seeded sample ("all"), over the unseen
decks ("unseen"), over the held-out ones alone ("held-out"), over the held-out language decks
("languages held-out"), over the three written second ("held-out, second") and over the three
written third ("held-out, third"), over the three written fourth ("held-out, fourth"), over the
three written fifth ("held-out, fifth"), over the three written sixth ("held-out, sixth"), over the
three written seventh ("held-out, seventh"), over the three written eighth ("held-out, eighth"), over
the three written ninth ("held-out, ninth"), over the three written tenth ("held-out, tenth"), over the
three written eleventh ("held-out, eleventh"), over the three written twelfth ("held-out, twelfth"), over the
three written thirteenth ("held-out, thirteenth"), over the three written fourteenth ("held-out, fourteenth"), over the
three written fifteenth ("held-out, fifteenth"), over the three written sixteenth ("held-out, sixteenth") and over the
three written last ("held-out, seventeenth").
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "nlp" / "gold_concepts.json"
JUDGED = ROOT / "bench" / "judged"
SHARED_DECKS = Path(os.environ.get("KG_SHARED_DIR") or ROOT.parent / "shared") / "decks"
# Deck folders the judged cards come from, and where each one lives.
DECKS = {
    "cards": ROOT / "cards",
    "mlrf-md": SHARED_DECKS / "mlrf-md",
    "mlrf-csv": SHARED_DECKS / "mlrf-csv",
    "system-design-primer-apkg": SHARED_DECKS / "system-design-primer-apkg",
}
# Decks written to be judged, every card of them (never tuned on before they were judged).
UNSEEN = {p.name: p for p in sorted((JUDGED / "decks").iterdir()) if p.is_dir()}
# The unseen decks written and judged on 2026-12-01, after the others had been tuned on: nothing in
# kg was changed while looking at them before their first figures (bench/README.md, issue 11).
HELDOUT = ("pharmacology", "europe-1914-1945", "git-engineering", "music-theory")
# Language decks written and judged on 2026-12-01 before extraction was changed for languages (that
# change is tuned on `spanish` alone): their first figures are the "before" of bench/README.md.
LANGUAGE_HELDOUT = ("french-b1", "german-b1", "italian-phrases", "japanese-n5")
# Written and judged on 2026-12-01 about 11:00 UTC, before kg's extraction was run on them: their
# first figures are the "before" of the extraction rules written after them (bench/README.md).
HELDOUT_SECOND = ("accounting", "econometrics", "geology")
# Written and judged on 2026-12-01 about 20:45 UTC in layouts no judged deck used (an Anki package
# written by Anki's own library, an Org file, an Obsidian_to_Anki note), before kg's extraction was
# run on them: their first figures are the "before" of the third round's rules (bench/README.md).
HELDOUT_THIRD = ("astronomy", "contract-law", "cardiology")
# Written and judged on 2026-12-02 about 01:30 UTC in layouts no judged deck used in this form (Anki's
# notes export with hierarchical tags and a quoted field, an Obsidian note with front matter and a
# heading per question with fenced code, a spreadsheet CSV with multi-line quoted fields and clozes),
# committed before kg's extraction was ever run on them (only the reader, for the card ids): their
# first figures are the "before" of any fourth round of rules.
HELDOUT_FOURTH = ("ecology", "python-programming", "nutrition")
# Written and judged on 2026-12-02 (2 Dec 2026) in layouts no judged deck used (a second Anki package
# written by Anki's own library, with sub-decks, tags, HTML bold and lists; a Quizlet export of term TAB
# definition lines with no header; an Obsidian Spaced Repetition note of `Question::Answer` lines and
# multi-line `?` cards with inline code), committed before kg's extraction or search was ever run on
# them (only the reader, for the card ids): their first figures are the "before" of any fifth round.
HELDOUT_FIFTH = ("microeconomics", "art-history", "linux-shell")
# Written and judged on 2026-12-02 (2 Dec 2026) in layouts no judged deck used in this form (a third Anki
# package written by Anki's own library, with "Basic (type in the answer)" and "Basic (optional reversed
# card)" notes, HTML sub/superscripts and MathJax with mhchem; a Mochi export, data.json in Transit JSON
# with nested decks, a template with fields, Mochi clozes and #tags in the text; an Obsidian note written
# for inka, `---` sections with Deck:/Tags: lines, numbered questions, `>` answers, <!--ID:--> comments and
# inka's short clozes), committed before kg's extraction or search was ever run on them (only the reader,
# for the card ids): their first figures are the "before" of any sixth round.
HELDOUT_SIXTH = ("organic-chemistry", "ethics", "aviation-weather")
# Written and judged on 2026-12-02 (2 Dec 2026) in layouts no judged deck used in this form (a CrowdAnki
# export, deck.json with child decks, Basic and Cloze notes and a custom "Immune cell" note type of five
# fields, written from a collection made by Anki's own library; an Org file for anki-editor, :ANKI_DECK: on
# outline headings, :ANKI_NOTE_TYPE: notes with `*** Front`/`*** Back` and `*** Text`/`*** Back Extra` field
# headings, one note with its heading as its front; a Logseq graph, namespaced pages and a journal page of
# tab-indented #card blocks with child blocks, {{cloze}} cards and Logseq's card-* review properties),
# committed before kg's extraction or search was ever run on them (only the reader, for the card ids): their
# first figures are the "before" of any seventh round.
HELDOUT_SEVENTH = ("immunology", "world-religions", "photography")
# Written and judged on 2026-12-02 (2 Dec 2026) in layouts no judged deck used in this form (a Quizlet export
# with custom separators, ` -- ` between term and definition and a blank line between rows, definitions over
# several lines with plain lists; an ankdown Markdown file, sides split by `%` lines and cards by `---`, a
# third side of comma-separated tags on most cards, Markdown emphasis and lists, `$...$` and `$$...$$` LaTeX;
# a tab-separated file for Anki's importer with #separator, #html, #deck, a `#columns:` header naming Front,
# Back and Tags and #tags column, HTML emphasis, an ordered list and IPA), committed before kg's extraction
# or search was ever run on them (only the reader, for the card ids): their first figures are the "before"
# of any eighth round.
HELDOUT_EIGHTH = ("chess", "mechanics", "linguistics")
# Written and judged on 2026-12-02 (2 Dec 2026) in layouts no judged deck used in this form (a fourth Anki package
# written by Anki's own library, Basic and Cloze notes in sub-decks with HTML bold, italics, <br> and a <ul> list and
# formulas written in words and symbols; an Obsidian Spaced Repetition note with a #flashcards/ deck tag, headings,
# inline `Question::Answer` and reversed `Question:::Answer` cards, multi-line `?` cards, <!--SR:--> scheduling
# comments and `$...$` LaTeX; a spreadsheet's CSV export with a UTF-8 byte order mark, CRLF row ends and line breaks
# inside quoted cells, a Question,Answer,Tags header and semicolon lists), committed before kg's extraction or search
# was ever run on them (only the reader, for the card ids): their first figures are the "before" of any ninth round.
HELDOUT_NINTH = ("epidemiology", "electrical-circuits", "horticulture")
# Written and judged on 2026-12-02 (2 Dec 2026) in layouts no judged deck used in this form (Anki's own "Notes in Plain
# Text" export written by Anki's library, with #guid column, #notetype column, #deck column and #tags column headers,
# Basic and Cloze notes in sub-decks, HTML bold, italics, <br>, <code>, <div>, a <ul> and an <ol> list; Markdown pipe
# tables as Notion or Obsidian export them, a heading per section, Term | Definition | Location/Example columns, inline
# bold, <br> inside cells and empty cells; a plain text file of Q:/A: pairs under a title line, answers over several
# lines and numbered steps), committed before kg's extraction or search was ever run on them (only the reader, for the
# card ids): their first figures are the "before" of any tenth round.
HELDOUT_TENTH = ("cybersecurity", "human-anatomy", "culinary-science")
# Written and judged on 2026-12-02 (2 Dec 2026) in layouts no judged deck used in this form (a fifth Anki package written
# by Anki's own library, Basic, "Basic (and reversed card)" and Cloze notes in sub-decks with `::` hierarchical tags, HTML
# bold, italics, <br>, a <ul> and an <ol> list and <sub>/<sup> in formulas; a Markdown file of a `##` heading per question
# under a `# Marine biology` title, answers below with bullet lists and bold; a spreadsheet's semicolon-separated export
# with no header row, fields quoted where they hold a semicolon, a doubled quote or a line break), committed before kg's
# extraction or search was ever run on them (only the reader, for the card ids): their first figures are the "before"
# of any eleventh round.
HELDOUT_ELEVENTH = ("macroeconomics", "marine-biology", "music-history")
# Written and judged on 2026-12-02 (2 Dec 2026) in layouts no judged deck used in this form (a sixth Anki package written
# by Anki's own library, Basic, "Basic (and reversed card)" and Cloze notes in sub-decks with `::` hierarchical tags, HTML
# bold, italics, underline, <br>, a <div>, a <ul> and an <ol> list, &nbsp; and <sup>; an Org file for org-fc, `:fc:`
# headings under outline headings with :PROPERTIES: and :REVIEW_DATA: drawers, `*** Back` subheadings and org-fc clozes
# `{{text}@0}`; an Obsidian note of `> [!question]` / `> [!answer]-` callouts with `> [!example]-` callouts, `<!-- guid: -->`
# comments and `---` between cards), committed before kg's extraction or search was ever run on them (only the reader,
# for the card ids): their first figures are the "before" of any twelfth round.
HELDOUT_TWELFTH = ("genetics", "ancient-rome", "relational-databases")
# Written and judged on 2026-12-02 (2 Dec 2026) in layouts no judged deck used in this form (a seventh Anki package written
# by Anki's own library, with a note type of the author's own, "Stats term", of four fields (Term, Definition, Formula,
# Example) beside Basic and Cloze notes in sub-decks, HTML bold, italics, <br>, an <ol> list, &lt; and &nbsp;, formulas in
# Unicode symbols; Anki's own "Cards in Plain Text" export written by Anki's library, `#separator:tab` and `#html:true` and
# a line per card, so a reversed note is two cards and a cloze note of three gaps three lines with Anki's rendered `[...]`
# spans; an Obsidian note for the Obsidian_to_Anki plugin, front matter, TARGET DECK and FILE TAGS, START/END Basic and Cloze
# blocks with <!--ID:--> comments, one-line STARTI notes and prose between them), committed before kg's extraction or search
# was ever run on them (only the reader, for the card ids): their first figures are the "before" of any thirteenth round.
HELDOUT_THIRTEENTH = ("statistics", "first-aid", "sociology")
# Written and judged on 2026-12-02 (2 Dec 2026) in layouts no judged deck used in this form (an eighth Anki package written
# by Anki's own library and exported with its media, with a note type of the author's own, "Basic with hint" (Front, Back,
# Hint behind Anki's {{hint:Hint}}), beside Basic, "Basic (and reversed card)" and Cloze notes in sub-decks with `::` tags,
# HTML bold, italics, <br>, a <ul> list, an HTML <table>, an <img src> picture, &nbsp; and &gt;, ions in Unicode
# superscripts; a Markdown outline as Notion exports a toggle list, read by kg's lists layout: front matter tags, `##`
# sections, `- Question #tag` items with indented answer items, `**Term**: definition` and `Term — definition` glossary
# items, inline code; a plain text file in kg's raw layout, a title line, question lines ending in `?` or opening with an
# instruction verb and answer lines with `1)` and `-` lists), committed before kg's extraction or search was ever run on
# them (only the reader, for the card ids): their first figures are the "before" of any fourteenth round.
HELDOUT_FOURTEENTH = ("neuroscience", "kubernetes", "criminal-law")
# Written and judged on 2026-12-03 (3 Dec 2026) in layouts no judged deck used in this form (a whole Anki collection exported
# by Anki's own library as a collection package, .colpkg, with a note type of the author's own, "Volcano term" (Prompt,
# Explanation, Example), beside Basic, "Basic (and reversed card)" and Cloze notes in sub-decks with `::` tags, HTML bold,
# italics, <br>, a <ul> list, &nbsp;, &lt; and &gt;, Unicode subscripts and Hawaiian names with macrons and ʻokina; a Markdown
# file for Markdown Flashcards, a `#` title, `##` sections between rules, cards between `___` rules with their sides split by
# a `?` line, Markdown bold, italics and inline code; a RemNote outline exported as Markdown, parent rems as sections, cards
# marked ` :: `, ` >> `, ` <> `, ` ;; ` and multi-line `>>>` cards answered by their child rems), committed before kg's
# extraction or search was ever run on them (only the reader, for the card ids): their first figures are the "before" of any
# fifteenth round.
HELDOUT_FIFTEENTH = ("volcanology", "typography", "game-theory")
# Written and judged on 2026-12-03 (3 Dec 2026) in layouts no judged deck used in this form (a ninth Anki package written by
# Anki's own library, with a note type of the author's own, "Orbit card" (Topic, Question, Answer, Source), whose sort field is
# its second field and whose card asks the Question, beside Basic, "Basic (and reversed card)" and Cloze notes in sub-decks with
# `::` tags, HTML bold, italics, <br>, an <ol> list, <sub>, &nbsp; and &lt;, symbols in Unicode (Δv, μ, Ω, √); an Obsidian vault
# folder with the Spaced Repetition plugin's own settings (a `#birds` deck tag, folders as decks), five notes in nested folders
# with front matter, headings, a wikilink, inline `::` and `:::` cards, multi-line `?` cards with lists and a `==highlight==`
# cloze; a GitHub-style Markdown question list of `<details><summary>` sections under `##` sections, some answering a `###`
# question heading under a summary labelled "Answer"), committed before kg's extraction or search was ever run on them (only
# the reader, for the card ids): their first figures are the "before" of any sixteenth round.
HELDOUT_SIXTEENTH = ("orbital-mechanics", "ornithology", "copyright-law")
# Written and judged on 2026-12-03 (3 Dec 2026) in layouts no judged deck used in this form (a tenth Anki package written by
# Anki's own library, exported with "Support older Anki versions" (`legacy=True`: a schema 11 `collection.anki21` beside the
# `collection.anki2` stub and a media list), with a note type of the author's own, "COLREG rule" (Rule, Situation, Action,
# Memory aid), whose front shows the Rule in small type over the Situation, beside "Basic (optional reversed card)", "Basic
# (type in the answer)" and Cloze notes in sub-decks, space-separated tags, HTML bold, italics, underline, <br>, a <ul> list,
# &nbsp;, &lt; and &gt;, bearings in degrees and arrows; a Notion database exported as CSV, a byte order mark, CRLF rows, a
# Question, Answer, Topic, Tags, Created header, multi-select tags joined by ", " and Notion's id in the file name; a chatbot's
# Markdown answer, an intro line, `##` sections of `**Card N**` blocks with `Front:` / `Back:` lines, a `Back:` over a list,
# inline code and a closing line), committed before kg's extraction was ever run on them (only the reader, for the card ids):
# their first figures are the "before" of any seventeenth round.
HELDOUT_SEVENTEENTH = ("maritime-navigation", "beekeeping", "rust-programming")
# How the judged cards were drawn (kept so the draw can be repeated, never re-chosen by hand).
SEED, PER_DECK = 20240607, 8


def card_key(folder: str, card) -> str:
    """`<deck folder>/<file>::<card guid or id>`, the key of a card in the gold file (the guid:
    the judged set predates ids made from digests of the guid)."""
    path = card.source.split("#note=")[0]
    if "#note=" not in card.source:
        path = path.rsplit(":", 1)[0]
    return f"{folder}/{Path(path).name}::{card.guid or card.id}"


def draw(cards: list, folder: str) -> list:
    """The cards of one deck folder the gold set judges: a seeded sample, never a hand pick
    (every card of a deck written to be judged)."""
    if folder in UNSEEN:
        return sorted(cards, key=lambda c: (c.source, c.id))
    ordered = sorted(cards, key=lambda c: (c.source, c.guid or c.id))
    return random.Random(f"{SEED}:{'bundled' if folder == 'cards' else folder}").sample(
        ordered, min(PER_DECK, len(ordered))
    )


def score_card(predicted: set[str], required: list[str], acceptable: list[str]) -> tuple[int, int, int, int]:
    """(correct predictions, predictions, required found, required) for one card."""
    from kg.nlp import normalize_key

    groups = [{normalize_key(form) for form in entry.split("|")} for entry in required]
    ok = set().union(*groups, {normalize_key(a) for a in acceptable}) if groups else set()
    correct = sum(1 for p in predicted if p in ok)
    found = sum(1 for g in groups if g & predicted)
    return correct, len(predicted), found, len(groups)


def evaluate(*, nlp=None, gold_path: Path = GOLD) -> dict:
    """Per deck folder and overall: precision, recall, F1 and the per-card misses and extras."""
    from kg.curation import Curation
    from kg.deckterms import DeckTerms
    from kg.nlp import extract, load_model
    from kg.readers import read_decks

    nlp = nlp or load_model()
    gold = json.loads(gold_path.read_text(encoding="utf-8"))["cards"]
    if gold_path == GOLD:
        gold.update(json.loads((JUDGED / "gold_concepts.json").read_text(encoding="utf-8"))["cards"])
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    details = []
    for folder, path in {**DECKS, **UNSEEN}.items():
        if not path.is_dir():
            continue
        deck = read_decks([path]).cards
        picked = {id(c) for c in draw(deck, folder) if card_key(folder, c) in gold}
        curation = Curation.load(path / "concepts.toml")
        # The whole deck is read: the names its authors marked on any card are found on the
        # judged ones as a build finds them (kg.deckterms).
        extracted = list(extract(deck, nlp=nlp, curation=curation))
        terms = DeckTerms.of(extracted)
        for card, ex in zip(deck, extracted):
            if id(card) not in picked:
                continue
            mentions = ex.mentions + terms.found(card, ex)
            predicted = {k for k in (curation.canonical(m.concept) for m in mentions) if k}
            judged = gold[card_key(folder, card)]
            counts = score_card(predicted, judged["concepts"], judged["acceptable"])
            # "all" stays the seeded sample of the decks kg was built on; "unseen" sums the others.
            rows = [totals[folder], totals["unseen" if folder in UNSEEN else "all"]]
            rows += [totals["held-out"]] if folder in HELDOUT else []
            rows += [totals["languages held-out"]] if folder in LANGUAGE_HELDOUT else []
            rows += [totals["held-out, second"]] if folder in HELDOUT_SECOND else []
            rows += [totals["held-out, third"]] if folder in HELDOUT_THIRD else []
            rows += [totals["held-out, fourth"]] if folder in HELDOUT_FOURTH else []
            rows += [totals["held-out, fifth"]] if folder in HELDOUT_FIFTH else []
            rows += [totals["held-out, sixth"]] if folder in HELDOUT_SIXTH else []
            rows += [totals["held-out, seventh"]] if folder in HELDOUT_SEVENTH else []
            rows += [totals["held-out, eighth"]] if folder in HELDOUT_EIGHTH else []
            rows += [totals["held-out, ninth"]] if folder in HELDOUT_NINTH else []
            rows += [totals["held-out, tenth"]] if folder in HELDOUT_TENTH else []
            rows += [totals["held-out, eleventh"]] if folder in HELDOUT_ELEVENTH else []
            rows += [totals["held-out, twelfth"]] if folder in HELDOUT_TWELFTH else []
            rows += [totals["held-out, thirteenth"]] if folder in HELDOUT_THIRTEENTH else []
            rows += [totals["held-out, fourteenth"]] if folder in HELDOUT_FOURTEENTH else []
            rows += [totals["held-out, fifteenth"]] if folder in HELDOUT_FIFTEENTH else []
            rows += [totals["held-out, sixteenth"]] if folder in HELDOUT_SIXTEENTH else []
            rows += [totals["held-out, seventeenth"]] if folder in HELDOUT_SEVENTEENTH else []
            for row in rows:
                for i, n in enumerate(counts):
                    row[i] += n
            details.append(_detail(card_key(folder, card), predicted, judged))
    return {"decks": {k: _prf(v) for k, v in totals.items()}, "cards": details}


def _detail(key: str, predicted: set[str], judged: dict) -> dict:
    from kg.nlp import normalize_key

    groups = [{normalize_key(f) for f in e.split("|")} for e in judged["concepts"]]
    ok = set().union(*groups, {normalize_key(a) for a in judged["acceptable"]})
    return {
        "card": key,
        "missed": [e for e, g in zip(judged["concepts"], groups) if not g & predicted],
        "wrong": sorted(predicted - ok),
    }


def _prf(counts: list[int]) -> dict:
    correct, predicted, found, required = counts
    p = correct / predicted if predicted else 0.0
    r = found / required if required else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
            "predicted": predicted, "required": required}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", action="store_true", help="also list each card's misses and wrong concepts")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    result = evaluate()
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"{'deck':<28}{'P':>7}{'R':>7}{'F1':>7}{'pred':>7}{'gold':>7}")
    decks = result["decks"]
    summaries = ("all", "unseen", "held-out", "languages held-out", "held-out, second", "held-out, third",
                 "held-out, fourth", "held-out, fifth", "held-out, sixth", "held-out, seventh",
                 "held-out, eighth", "held-out, ninth", "held-out, tenth", "held-out, eleventh",
                 "held-out, twelfth", "held-out, thirteenth", "held-out, fourteenth",
                 "held-out, fifteenth", "held-out, sixteenth", "held-out, seventeenth")
    for deck, row in sorted(decks.items(), key=lambda kv: kv[0] in summaries):
        print(f"{deck:<28}{row['precision']:>7.3f}{row['recall']:>7.3f}{row['f1']:>7.3f}"
              f"{row['predicted']:>7}{row['required']:>7}")
    if args.cards:
        for d in result["cards"]:
            print(f"\n{d['card']}\n  missed: {', '.join(d['missed'])}\n  wrong:  {', '.join(d['wrong'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
