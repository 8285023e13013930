"""The explorer for a collection, through Flask's test client: cards as written, scopes, the map."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from kg.build import build
from kg.web import create_app

DECKS = ["rich-deck", "drift-deck", "hostile-deck"]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, data_dir, nlp):
    folder = tmp_path_factory.mktemp("explorer-ws")
    build([data_dir / "web" / d for d in DECKS], workspace=folder, nlp=nlp,
          curation=data_dir / "web" / "hostile-curation.toml")
    return folder


@pytest.fixture(scope="module")
def client(workspace):
    app = create_app({"KG_WORKSPACE": str(workspace), "TESTING": True, "KG_PRELOAD": False})
    return app.test_client()


def _card_url(client, question_start: str) -> str:
    cards = client.get("/api/search?q=" + question_start.replace(" ", "+") + "&limit=50").get_json()["cards"]
    return next(c["url"] for c in cards if c["question"].startswith(question_start))


def test_card_json_keeps_the_authors_list_bold_formula_and_image(client):
    url = _card_url(client, "What does gradient descent do")
    data = client.get("/api" + url).get_json()
    doc = lxml_html.fragment_fromstring(data["answer_html"], create_parent="div")
    assert len(doc.xpath("//ul/li")) == 3
    assert doc.xpath("//b//text()")
    assert doc.xpath("//math//mi[text()='θ']"), "the formula is MathML"
    src = doc.xpath("//img/@src")
    assert src == [f"/card-media/{url.removeprefix('/card/')}/gradient-steps.png"]
    image = client.get(src[0])
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data[:4] == b"\x89PNG"
    # The remote image is never requested: named, not drawn.
    assert "example.com" not in data["answer_html"] and "remote chart" in data["answer_html"]
    assert "/concept/loss-function" in doc.xpath("//a[@class='concept-link']/@href")
    assert "gradient descent" in data["question_html"].lower() and "<b>" in data["question_html"]


def test_card_page_shows_tables_display_formulas_and_code(client):
    rate = client.get(_card_url(client, "How does the learning rate")).data
    doc = lxml_html.fromstring(rate)
    assert len(doc.xpath("//div[contains(@class,'answer')]//table//tr")) == 3
    assert doc.xpath("//div[contains(@class,'answer')]//math[@display='block']//mfrac")
    softmax = lxml_html.fromstring(client.get(_card_url(client, "What is the softmax")).data)
    assert softmax.xpath("//div[contains(@class,'answer')]//pre/code")
    assert softmax.xpath("//div[contains(@class,'answer')]//math[@display='inline']//msup")


@pytest.mark.parametrize("name", ["..%2Frich.csv", "rich.csv", "gradient-steps.svg", "%2Fetc%2Fpasswd"])
def test_card_media_serves_only_images_beside_the_deck(client, name):
    url = _card_url(client, "What does gradient descent do")
    assert client.get(url.replace("/card/", "/card-media/") + "/" + name).status_code == 404


def test_hostile_card_html_keeps_no_script_handler_or_foreign_target(client):
    cards = client.get("/api/search?q=feature+store+link+concept+drift+iframe&limit=100").get_json()["cards"]
    hostile = [c for c in cards if "<" in c["question"] or "feature store link" in c["question"]]
    assert hostile
    for card in hostile:
        data = client.get("/api" + card["url"]).get_json()
        for side in (data["question_html"], data["answer_html"]):
            doc = lxml_html.fragment_fromstring(side or "<p></p>", create_parent="div")
            assert not doc.xpath("//script|//iframe|//svg|//object|//style|//*[@style]")
            assert not [a for el in doc.iter() for a in el.attrib if a.startswith("on")]
            assert all(h.startswith("/concept/") for h in doc.xpath("//a/@href"))
            assert not doc.xpath("//img")
