"""Mochi exports (`.mochi`): data.json written by Transit's own writer (as Mochi's app writes it,
keys and keywords cached), data.edn as the Obsidian exporter writes it, images from the zip."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile

from transit.transit_types import Keyword as K
from transit.writer import Writer

from kg.readers import read_decks, read_file
from kg.readers.mochi import read_media

PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def _transit(value) -> str:
    out = io.StringIO()
    Writer(out, "json").write(value)
    return out.getvalue()


def _mochi(path, member: str, data: str, media: dict | None = None):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, data)
        for name, content in (media or {}).items():
            archive.writestr(name, content)
    return path


def _card(**fields):
    return {K(k.replace("_", "-").replace("-q", "?")): v for k, v in fields.items()}


def test_a_mochi_export_gives_every_card_with_its_deck_path_tags_cloze_and_template_fields(tmp_path):
    data = {
        K("version"): 2,
        K("templates"): [{K("id"): "tpl1", K("name"): "Vocab", K("content"): "<< Word >>\n---\n<< Meaning >>",
                          K("fields"): {"f1": {K("id"): "f1", K("name"): "Word", K("pos"): "a"},
                                        "f2": {K("id"): "f2", K("name"): "Meaning", K("pos"): "b"}}}],
        K("decks"): [
            {K("id"): "bio", K("name"): "Biology", K("cards"): [
                _card(id="c1", content="What does **ATP** store?\n\n---\n\nEnergy, in its phosphate bonds. #energy",
                      tags=frozenset(["cells"])),
                _card(id="c2", content="The {{mitochondrion}} makes most of a cell's ATP."),
                _card(id="c3", content="A card the learner threw away\n---\nGone", trashed_q=True),
            ]},
            {K("id"): "gen", K("name"): "Genetics", K("parent-id"): "bio", K("cards"): [
                _card(id="c4", content="What is an **allele**?\n---\nOne form of a gene.\n\n![diagram](@media/allele.png)"),
                _card(id="c5", content="", template_id="tpl1",
                      fields={"f1": {K("id"): "f1", K("value"): "Genotype"},
                              "f2": {K("id"): "f2", K("value"): "The alleles an organism carries."}}),
            ]},
        ],
    }
    deck = _mochi(tmp_path / "biology.mochi", "data.json", _transit(data), {"allele.png": PNG})
    result = read_file(deck)
    assert result.files[0].layout == "mochi"
    cards = {c.guid: c for c in result.cards}
    assert {g: (c.deck, c.question, c.answer, c.tags) for g, c in cards.items()} == {
        "c1": ("Biology", "What does ATP store?", "Energy, in its phosphate bonds. #energy", ("cells", "energy")),
        "c2": ("Biology", "The mitochondrion makes most of a cell's ATP.",
               "The mitochondrion makes most of a cell's ATP.", ()),
        "c4": ("Biology::Genetics", "What is an allele?", "One form of a gene.", ()),
        "c5": ("Biology::Genetics", "Genotype", "The alleles an organism carries.", ()),
    }
    assert "{{c1::mitochondrion}}" in cards["c2"].question_html
    # The trashed card is named, not lost in silence.
    assert [p.reason for p in result.problems] == ["card c3 of deck 'Biology' is in Mochi's trash; skipped"]
    # The card's image is the zip's member, served by name.
    assert 'src="allele.png"' in cards["c4"].answer_html
    assert read_media(deck, "allele.png", max_bytes=1 << 20) == PNG
    assert read_media(deck, "data.json", max_bytes=1 << 20) is None


def test_transit_keys_cached_by_the_writer_are_read_on_every_card(tmp_path):
    cards = [_card(id=f"c{i}", content=f"Question {i}?\n---\nAnswer {i}.", name=f"Card {i}") for i in range(60)]
    text = _transit({K("version"): 2, K("decks"): [{K("id"): "d", K("name"): "Many", K("cards"): cards}]})
    assert text.count('"~:content"') == 1 and '"^' in text  # later cards name their keys by cache code
    result = read_file(_mochi(tmp_path / "many.mochi", "data.json", text))
    assert [c.question for c in result.cards] == [f"Question {i}?" for i in range(60)] and not result.problems


OBSIDIAN_EDN = ('{:decks [{:name "Chemistry",:cards ({:name "Isotope",:content "Isotope\\n---\\nAtoms of one '
                'element with different numbers of neutrons."}{:name "pH",:content "pH\\n---\\nMinus the log of '
                'the hydrogen ion concentration."})}], :version 2}')


def test_an_edn_export_as_the_obsidian_exporter_writes_it_reads_and_a_broken_one_names_its_line(tmp_path):
    good = _mochi(tmp_path / "chem.mochi", "data.edn", OBSIDIAN_EDN)
    broken = _mochi(tmp_path / "broken.mochi", "data.edn", '{:decks [{:name "X"\n :cards (}]}')
    text = tmp_path / "ok.txt"
    text.write_text("Q: What is a mole?\nA: 6.022e23 particles.\n", encoding="utf-8")
    result = read_decks([good, broken, text])
    assert [(c.deck, c.question) for c in result.cards] == [
        ("Chemistry", "Isotope"), ("Chemistry", "pH"), ("Ok", "What is a mole?")]
    (problem,) = result.problems
    assert str(problem) == f"{broken}: data.edn, line 2: not EDN data (unexpected '}}')"


def test_a_zip_without_mochi_data_is_one_line_and_not_a_crash(tmp_path):
    deck = _mochi(tmp_path / "odd.mochi", "notes.txt", "hello")
    result = read_file(deck)
    assert not result.cards and [p.reason for p in result.problems] == [
        "not a Mochi export (no data.json or data.edn in it)"]


def test_a_cards_tag_set_reads_in_the_same_order_in_every_process(tmp_path):
    # Mochi writes tags as a set (transit "~#set"); a Python set's order follows the process's
    # string hashing, so a card's tags came out in a different order from run to run.
    deck = _mochi(tmp_path / "ethics.mochi", "data.json", _transit({
        K("decks"): [{K("id"): "d1", K("name"): "Ethics", K("cards"): [
            _card(id="c1", content="What is virtue ethics?\n---\nEthics of character.",
                  tags=frozenset({"normative", "thinkers", "aristotle", "virtue"}))]}]}))
    script = f"from kg.readers import read_file; print(read_file({str(deck)!r}).cards[0].tags)"
    seen = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout
            for seed in range(6)}
    assert seen == {"('aristotle', 'normative', 'thinkers', 'virtue')\n"}, seen
