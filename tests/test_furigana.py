"""Japanese and Chinese decks as Anki holds them: furigana readings (`食[た]べる`) kept out of the
card's text and concepts, shown above their kanji on the page; the answer's example sentences and
pinyin readings are no concepts, the words the cards teach are."""

from __future__ import annotations

import pytest

from kg.readers import read_file
from kg.readers.furigana import as_ruby, without_readings

NOTES = [
    ("食[た]べる", "to eat<br>毎日[まいにち]、りんごを 食[た]べます。"),
    ("学校[がっこう]", "school<br>学校[がっこう]は 八時[はちじ]に 始[はじ]まります。"),
    ("勉強[べんきょう]する", "to study<br>日本語[にほんご]を 勉強[べんきょう]しています。"),
    ("電車[でんしゃ]", "train<br>電車[でんしゃ]で 会社[かいしゃ]に 行[い]きます。[sound:densha.mp3]"),
]


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    """A Japanese vocabulary deck exported by Anki's own library."""
    from anki.collection import Collection, ExportAnkiPackageOptions

    folder = tmp_path_factory.mktemp("japanese")
    col = Collection(str(folder / "collection.anki2"))
    try:
        for front, back in NOTES:
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"], note["Back"] = front, back
            col.add_note(note, col.decks.id("Japanese::Core"))
        path = folder / "core.apkg"
        col.export_anki_package(out_path=str(path), limit=None,
                                options=ExportAnkiPackageOptions(legacy=False, with_media=False))
    finally:
        col.close()
    return path


@pytest.mark.parametrize("written, text", [
    ("毎日[まいにち]、りんごを 食[た]べます。", "毎日、りんごを食べます。"),
    ("to eat<br>日本語[にほんご]", "to eat<br>日本語"),
    ("array x[i] and a citation [1] and [sound:a.mp3]", "array x[i] and a citation [1] and [sound:a.mp3]"),
])
def test_readings_are_dropped_only_where_they_are_furigana(written, text):
    assert without_readings(written) == text


def test_readings_show_as_ruby():
    assert as_ruby(" 食[た]べる") == "<ruby>食<rt>た</rt></ruby>べる"


def test_an_anki_japanese_deck_reads_and_extracts_its_words(package, nlp, tmp_path):
    from kg.web import create_app

    from kg.build import build
    from kg.workspace import load_graph

    cards = read_file(package).cards
    assert [c.question for c in cards] == ["食べる", "学校", "勉強する", "電車"]
    assert cards[0].answer == "to eat\n毎日、りんごを食べます。"
    build([package], workspace=tmp_path / "ws", nlp=nlp)
    G = load_graph(tmp_path / "ws")
    keys = {d["key"] for _, d in G.nodes(data=True) if d.get("kind") == "concept"}
    assert {"食べる", "学校", "勉強する", "電車"} <= keys
    assert not {k for k in keys if len(k) >= 9 and not k.isascii()}, keys  # no example sentence
    client = create_app({"KG_WORKSPACE": str(tmp_path / "ws"), "TESTING": True}).test_client()
    card = next(n for n, d in G.nodes(data=True) if d.get("kind") == "card" and d["question"] == "食べる")
    page = client.get(f"/card/{card.split(':', 1)[1]}").get_data(as_text=True)
    assert "<ruby>食<rt>た</rt></ruby>べる" in page


def test_a_long_run_of_kanji_before_a_bracket_reads_in_linear_time():
    # Hostile input: Anki's own pattern would try every start of a 200,000-character run.
    text = "漢" * 200_000 + "[x"
    assert without_readings(text) == text


def test_a_chinese_vocabulary_deck_gives_its_words_not_their_pinyin_or_example_sentences(nlp, tmp_path):
    from kg.build import build
    from kg.workspace import load_graph

    deck = tmp_path / "hsk1.txt"
    deck.write_text("你好\tnǐ hǎo<br>hello\n谢谢\txièxie<br>thank you\n"
                    "学生\txuéshēng<br>student<br>我是学生。\n电脑\tdiànnǎo<br>computer<br>我的电脑很慢。\n",
                    encoding="utf-8")
    build([deck], workspace=tmp_path / "ws", nlp=nlp)
    keys = {d["key"] for _, d in load_graph(tmp_path / "ws").nodes(data=True) if d.get("kind") == "concept"}
    assert {"你好", "谢谢", "学生", "电脑"} <= keys
    assert not keys & {"nǐ hǎo", "xièxie", "xuéshēng", "diànnǎo", "我是学生", "我的电脑很慢"}, keys


def test_a_japanese_particle_or_counter_of_one_character_is_a_concept(nlp):
    from kg.cards import Card, card_id
    from kg.nlp import extract

    card = Card(id=card_id("ja", "は vs が"), deck="ja", question="は vs が",
                answer="は marks the topic; が marks the subject.")
    counter = Card(id=card_id("ja", "flat"), deck="ja", question="Counter for flat objects",
                   answer="枚 (まい): 紙が三枚あります。", answer_html="<b>枚</b> (まい): 紙が三枚あります。")
    particles, flat = extract([card, counter], nlp=nlp)
    assert {"は", "が"} <= {m.concept for m in particles.mentions}
    assert "枚" in {m.concept for m in flat.mentions}
