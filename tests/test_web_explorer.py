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
    assert "example.com" not in data["answer_html"]
    assert "remote chart: not loaded, it is on another host" in data["answer_html"]
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


def _scope_of(url: str) -> dict:
    from urllib.parse import parse_qs, urlsplit

    return {k: v for k, v in parse_qs(urlsplit(url).query).items() if k in ("deck", "tag")}


def test_a_parent_deck_scope_holds_its_subdecks_and_recounts_everything(client):
    whole = client.get("/api/overview?view=concepts").get_json()
    rich = client.get("/api/overview?view=concepts&deck=Rich").get_json()
    sub = client.get("/api/overview?view=concepts&deck=Rich::Optimisation").get_json()
    assert (rich["total_cards"], sub["total_cards"]) == (5, 2)
    assert whole["total_cards"] > rich["total_cards"]
    assert rich["scope"] == {"decks": ["Rich"], "tags": []}
    assert sub["total_concepts"] < rich["total_concepts"] < whole["total_concepts"]
    # Counts are the scope's own: no concept is on more cards than the scope has.
    assert all(c["cards"] <= 2 for c in sub["concepts"])
    assert "concept:gradient-descent" in {c["id"] for c in sub["concepts"]}
    assert "concept:concept-drift" not in {c["id"] for c in rich["concepts"]}
    # Every link and node keeps the scope, so the view can be shared.
    assert all(_scope_of(n["url"]) == {"deck": ["Rich::Optimisation"]} for n in sub["graph"]["nodes"])


def test_tags_narrow_a_deck_scope_and_several_decks_widen_it(client):
    assert client.get("/api/overview?tag=math").get_json()["total_cards"] == 3
    assert client.get("/api/overview?deck=Rich&tag=optimisation").get_json()["total_cards"] == 2
    both = client.get("/api/overview?deck=Rich::Functions&deck=Rich::Optimisation").get_json()
    assert both["total_cards"] == 4 and both["scope"]["decks"] == ["Rich::Functions", "Rich::Optimisation"]


def test_search_concept_and_card_pages_answer_within_the_scope(client):
    found = client.get("/api/search?q=loss+function&deck=Rich::Functions").get_json()
    assert found["cards"] and all(c["deck"] == "Rich::Functions" for c in found["cards"])
    concept = client.get("/api/concept/softmax?deck=Rich::Functions").get_json()
    assert concept["cards"] == 1
    # Card lists draw the formulas of questions too.
    listed = lxml_html.fromstring(client.get("/search?q=derivative&deck=Rich::Functions").data)
    assert listed.xpath("//ol[@class='cards']//a[@class='card-q']//math//msup")
    assert client.get("/api/concept/concept-drift?deck=Rich").status_code == 404
    page = client.get("/concept/softmax?deck=Rich::Functions").get_data(as_text=True)
    doc = lxml_html.fromstring(page)
    inner = [h for h in doc.xpath("//main//a/@href") if h.startswith(("/concept/", "/card/", "/community/"))]
    assert inner and all(_scope_of(h) == {"deck": ["Rich::Functions"]} for h in inner)


def test_card_lists_draw_answer_formulas_and_read_list_items_on_one_line(client):
    page = lxml_html.fromstring(client.get("/concept/loss-function").data)
    answers = {a.xpath("string(../a[@class='card-q'])"): a for a in page.xpath("//li[@class='card-item']/p[@class='card-a']")}
    descent = next(a for q, a in answers.items() if q.startswith("What does gradient descent do"))
    text = descent.text_content()
    # The author's list reads as items, not as a run of words.
    assert "compute the gradient of the loss function · take a step of size learning_rate · repeat" in text
    # The update rule is drawn, not shown as LaTeX source.
    assert descent.xpath(".//math//mi[text()='θ']") and "\\theta" not in text
    assert descent.xpath(".//mark"), "the concept is marked in the excerpt"


@pytest.mark.parametrize("url", ["/api/overview?deck=Nope", "/?tag=nope", "/api/search?q=x&deck=" + "x" * 300])
def test_an_unknown_or_malformed_scope_is_400(client, url):
    assert client.get(url).status_code == 400


def test_export_of_a_scope_holds_only_its_cards(client):
    import networkx as nx
    from io import BytesIO

    G = nx.read_graphml(BytesIO(client.get("/export/graphml?deck=Rich::Optimisation").data))
    assert sorted(d["deck"] for _, d in G.nodes(data=True) if d.get("kind") == "card") == ["Rich::Optimisation"] * 2


def test_the_map_shows_communities_that_open_their_own_page(client):
    data = client.get("/api/overview?view=map").get_json()
    nodes = data["graph"]["nodes"]
    assert nodes and all(n["kind"] == "community" and n["url"].startswith("/community/") for n in nodes)
    biggest = max(nodes, key=lambda n: n["size"])
    community = client.get("/api" + biggest["url"]).get_json()
    assert community["id"] == biggest["community"] and community["concepts"] and community["card_list"]
    assert len(community["graph"]["nodes"]) <= 120
    member_ids = {c["id"] for c in community["concepts"]}
    for neighbour in community["neighbours"]:
        assert neighbour["url"] == f"/community/{neighbour['id']}"
        for bridge in neighbour["bridges"]:
            assert bridge["from"]["id"] in member_ids and bridge["to"]["id"] not in member_ids
    assert client.get("/community/99999").status_code == 404
    page = lxml_html.fromstring(client.get(biggest["url"]).data)
    assert page.xpath("//h1") and page.xpath("//ol[@class='cards']/li")


def test_cli_commands_take_the_scope(workspace):
    import json

    from click.testing import CliRunner

    from kg.cli import cli

    runner = CliRunner()
    result = runner.invoke(cli, ["stats", "-w", str(workspace), "--deck", "Rich", "--tag", "math", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["nodes"]["card"] == 3
    result = runner.invoke(cli, ["concepts", "-w", str(workspace), "--deck", "Nope"])
    assert result.exit_code == 1 and "no deck 'Nope'" in result.output


def test_images_inside_an_anki_package_are_served_from_it(tmp_path, data_dir, nlp, make_apkg):
    png = (data_dir / "web" / "rich-deck" / "gradient-steps.png").read_bytes()
    deck = make_apkg(tmp_path / "pictures.apkg", [
        ("pkg-guid-1", ["What does a <b>learning rate schedule</b> look like?",
                        'It lowers the learning rate step by step: <img src="schedule.png"> <img src="missing.png">'],
         "", 1)], decks={1: "Pictures"}, media={"schedule.png": png, "notes.svg": b"<svg/>"})
    workspace = tmp_path / "ws"
    build([deck], workspace=workspace, nlp=nlp)
    client = create_app({"KG_WORKSPACE": str(workspace), "TESTING": True, "KG_PRELOAD": False}).test_client()
    url = _card_url(client, "What does a learning rate schedule")
    answer = lxml_html.fragment_fromstring(client.get("/api" + url).get_json()["answer_html"], create_parent="div")
    assert answer.xpath("//img/@src") == [url.replace("/card/", "/card-media/") + "/schedule.png"]
    image = client.get(answer.xpath("//img/@src")[0])
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data == png
    assert client.get(url.replace("/card/", "/card-media/") + "/notes.svg").status_code == 404
    assert "not in the deck's media" in lxml_html.tostring(answer, encoding="unicode")


@pytest.mark.parametrize("scale", [0.05, 0.2, 0.5, 1.0, 3.0])
def test_labels_shown_at_a_zoom_never_cover_each_other(scale):
    import random

    from kg.views import LABEL_CHAR_WIDTH, label_scales

    rng = random.Random(7)
    nodes = [f"n{i}" for i in range(400)]
    positions = {n: (rng.uniform(0, 3000), rng.uniform(0, 2000)) for n in nodes}
    looks = {n: {"size": rng.uniform(7, 30), "px": 11.0, "font": rng.uniform(13, 24),
                 "label": "concept " * rng.randint(1, 3)} for n in nodes}
    shown_from = label_scales(positions, looks, nodes)
    assert shown_from[nodes[0]] == 0.0  # the most important label is always drawn
    shown = [n for n in nodes if shown_from[n] <= scale]
    assert 0 < len(shown) < len(nodes) or scale >= 3.0

    def box(n):  # on screen, at this zoom: the font grows with it, but not below px pixels
        x, y = positions[n]
        px = max(looks[n]["font"] * scale, looks[n]["px"])
        w = len(looks[n]["label"]) * px * LABEL_CHAR_WIDTH
        cx, top = x * scale, (y + looks[n]["size"]) * scale
        return cx - w / 2, top, cx + w / 2, top + px * 1.3

    boxes = [box(n) for n in shown]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3])


def test_scoped_graphs_are_kept_per_scope_within_a_card_budget(workspace):
    from kg.analysis.scope import SCOPE_BUDGET, Scope, deck_names, scoped_graph
    from kg.workspace import load_graph

    G = load_graph(workspace)
    everything = Scope.of([d for d in deck_names(G) if "::" not in d])
    rich = Scope.of(["Rich"])
    assert scoped_graph(G, Scope()) is G
    assert scoped_graph(G, rich) is scoped_graph(G, rich)
    whole = scoped_graph(G, everything)
    assert whole is not G and whole.number_of_nodes() == G.number_of_nodes()
    # Two more near-copies of the whole graph pass the budget: the least recently used goes.
    assert SCOPE_BUDGET < 3
    scoped_graph(G, Scope.of([*everything.decks], ["math", "optimisation"]))
    scoped_graph(G, Scope.of([*everything.decks, "Rich::Functions"]))
    scoped_graph(G, Scope.of([*everything.decks, "Rich::Optimisation"]))
    assert scoped_graph(G, everything) is not whole


def test_a_page_refusing_a_scope_does_not_pass_it_on(client):
    page = client.get("/?deck=Nope")
    assert page.status_code == 400
    doc = lxml_html.fromstring(page.data)
    assert not [h for h in doc.xpath("//a/@href") if "Nope" in h]
    assert not doc.xpath("//input[@value='Nope']")


def test_tags_ignore_case_as_in_anki(client):
    assert client.get("/api/overview?tag=MATH").get_json()["total_cards"] == 3
