"""A card whose answer is several fields of the author's own note type shows them under their names.

The package is written by Anki's own library (bench/judged/anki_package.py) with a vocabulary note
type of five fields, in a domain no other test uses.
"""

from __future__ import annotations

import importlib.util

import pytest
from lxml import html as lxml_html

from kg.build import build
from kg.cardfields import answer_fields
from kg.readers import read_decks
from kg.web import create_app

VOCAB = "Portuguese word"
NOTE_TYPES = {
    VOCAB: (["Word", "Meaning", "Gender", "Example", "Notes"],
            "{{Word}}",
            "{{FrontSide}}<hr id=answer>{{Meaning}}<br>{{Gender}}<br>{{Example}}<br>{{Notes}}"),
}
NOTES = [
    ("pt-01", "Portuguese::Nouns", VOCAB,
     ["a saudade", "a longing for something absent", "feminine",
      "<i>Tenho saudade de casa.</i> (I miss home.)",
      "Often called untranslatable; <script>alert(1)</script><b>fado</b> songs are full of it."], ["pt"]),
    ("pt-02", "Portuguese::Nouns", VOCAB,
     ["o cafuné", "running your fingers through someone's hair", "masculine", "Ela fez cafuné no filho.", ""],
     ["pt"]),
    ("pt-03", "Portuguese::Verbs", "Basic", ["desenrascar", "to improvise a way out of a tight spot"], ["pt"]),
]


@pytest.fixture(scope="module")
def package(tmp_path_factory, root):
    spec = importlib.util.spec_from_file_location("anki_package", root / "bench" / "judged" / "anki_package.py")
    writer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(writer)
    folder = tmp_path_factory.mktemp("vocab")
    writer.write_package(NOTES, folder / "portuguese.apkg", NOTE_TYPES)
    return folder


@pytest.fixture(scope="module")
def client(package, tmp_path_factory, nlp):
    ws = tmp_path_factory.mktemp("vocab-ws")
    build([package], workspace=ws, nlp=nlp)
    return create_app({"KG_WORKSPACE": str(ws), "TESTING": True, "KG_PRELOAD": False}).test_client()


def _cards(package):
    result = read_decks([package])
    return {c.guid: c for c in result.cards}


def test_the_answer_splits_back_into_the_fields_it_was_made_of(package):
    cards = _cards(package)
    assert [name for name, _ in answer_fields(cards["pt-01"])] == ["Meaning", "Gender", "Example", "Notes"]
    # An empty field is no part of the answer; a Basic note's one answer field is no list.
    assert [name for name, _ in answer_fields(cards["pt-02"])] == ["Meaning", "Gender", "Example"]
    assert answer_fields(cards["pt-03"]) == []


def test_card_page_and_its_json_twin_show_each_field_under_its_name(client):
    found = client.get("/api/search?q=saudade").get_json()["cards"]
    url = next(c["url"] for c in found if c["question"] == "a saudade")
    data = client.get("/api" + url).get_json()
    assert [f["name"] for f in data["answer_fields"]] == ["Meaning", "Gender", "Example", "Notes"]
    page = lxml_html.fromstring(client.get(url).data)
    assert page.xpath("//dl[contains(@class, 'answer-fields')]/dt/text()") == ["Meaning", "Gender", "Example",
                                                                               "Notes"]
    notes = page.xpath("//dl[contains(@class, 'answer-fields')]/dd")[3]
    assert notes.xpath("string(.//b)") == "fado", "the author's bold is kept"
    assert not page.xpath("//script[contains(., 'alert')]"), "a field's HTML is sanitised as the card's is"
    assert "alert(1)" not in client.get(url).get_data(as_text=True)


def test_a_basic_card_keeps_its_one_answer(client):
    found = client.get("/api/search?q=desenrascar").get_json()["cards"]
    url = next(c["url"] for c in found if c["question"] == "desenrascar")
    data = client.get("/api" + url).get_json()
    assert data["answer_fields"] == []
    page = lxml_html.fromstring(client.get(url).data)
    assert page.xpath("//div[contains(@class, 'answer')]//text()")
    assert not page.xpath("//dl[contains(@class, 'answer-fields')]")


def test_graphml_export_writes_the_fields_as_name_and_value(client):
    from lxml import etree

    data = client.get("/export/graphml").data
    root = etree.fromstring(data)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    key = root.xpath("//g:key[@attr.name='answer_fields' and @for='node']/@id", namespaces=ns)
    assert key, "the fields are an attribute of card nodes"
    values = root.xpath(f"//g:node/g:data[@key='{key[0]}']/text()", namespaces=ns)
    assert any(v.startswith("Meaning: a longing for something absent|Gender: feminine|") for v in values)
