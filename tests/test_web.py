"""The web explorer through Flask's test client: every page, its JSON twin, errors, safety."""

from __future__ import annotations

import re
from io import BytesIO

import networkx as nx
import pytest
from lxml import html as lxml_html

from kg.build import build
from kg.views import PALETTE, notebook_html, to_pyvis, view_data
from kg.web import create_app

DECKS = ["drift-deck", "hostile-deck"]
CURATION = "hostile-curation.toml"
HOSTILE_DECK = "{{ config }} {% if 1 %}Jinja{% endif %} </title><script>window.__pwned=1</script>"
# Anki guids from the hostile CSV: URL syntax and traversal inside an id.
ODD_CARD_IDS = ["a/../b?x#y%2F", "..%2f..%2fetc%2fpasswd"]
HTML_PAGES = [
    "/",
    "/?top=5",
    "/concept/drift",
    "/concept/drift?depth=3",
    "/search?q=drift",
    "/search",
    "/path",
    "/path?from=concept+drift&to=feature+store",
    "/export/",
    "/export/?concept=drift&depth=2",
]
# A URL in src/href/action that leaves the app: scheme-relative or absolute http(s).
EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, data_dir, nlp):
    folder = tmp_path_factory.mktemp("web-ws")
    report = build([data_dir / "web" / d for d in DECKS], workspace=folder, nlp=nlp,
                   curation=data_dir / "web" / CURATION)
    assert not report.problems, report.problems
    return folder


@pytest.fixture(scope="module")
def client(workspace):
    app = create_app({"KG_WORKSPACE": str(workspace), "TESTING": True})
    return app.test_client()


@pytest.fixture(scope="module")
def hostile_card(client):
    cards = client.get("/api/search?q=pwned+script+drift&limit=50").get_json()["cards"]
    hostile = [c for c in cards if c["question"].startswith("What does <script>")]
    assert hostile, "the hostile deck's cards should be searchable"
    return hostile[0]["id"].removeprefix("card:")


@pytest.mark.parametrize("url", HTML_PAGES)
def test_every_page_renders_html_with_the_search_box_and_nav(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.data[:500]
    assert response.mimetype == "text/html"
    doc = lxml_html.fromstring(response.data)
    assert doc.xpath("//form[@role='search']//input[@name='q']")
    nav = [a.text_content() for a in doc.xpath("//nav//a")]
    assert nav == ["Overview", "Search", "Path", "Export"]


@pytest.mark.parametrize("url", HTML_PAGES + ["/concept/nothing-like-this", "/?top=abc"])
def test_no_page_refers_to_another_host(client, url):
    body = client.get(url).get_data(as_text=True)
    assert not EXTERNAL.search(body), EXTERNAL.search(body).group(0)


def test_every_response_carries_the_security_headers(client):
    for url in ["/", "/api/overview", "/concept/nothing-like-this", "/static/graph.js",
                "/vendor/vis-network.min.js"]:
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_hold_no_inline_script_only_json_data(client):
    doc = lxml_html.fromstring(client.get("/concept/drift").data)
    for script in doc.xpath("//script"):
        assert script.get("src") or script.get("type") == "application/json"
    assert not doc.xpath("//@*[starts-with(name(), 'on')]")
    assert not doc.xpath("//@style")


def test_vis_network_is_served_from_the_pyvis_package(client):
    js = client.get("/vendor/vis-network.min.js")
    assert js.status_code == 200 and b"vis-network" in js.data[:2000]
    assert client.get("/vendor/vis-network.css").status_code == 200
    assert client.get("/vendor/template.html").status_code == 404
    assert client.get("/vendor/..%2Fnetwork.py").status_code == 404


def test_overview_json_lists_top_concepts_with_communities_and_gaps(client):
    data = client.get("/api/overview?top=10").get_json()
    assert data["top"] == 10
    assert 0 < len(data["concepts"]) <= 10
    importances = [c["importance"] for c in data["concepts"]]
    assert importances == sorted(importances, reverse=True)
    assert {"id", "label", "cards", "community", "url"} <= set(data["concepts"][0])
    assert data["communities"] and all("label" in c for c in data["communities"])
    assert isinstance(data["gaps"], list)
    assert {"nodes", "edges", "options"} <= set(data["graph"])
    assert data["graph"]["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["graph"]["nodes"])


def test_overview_filters_by_deck(client):
    all_decks = client.get("/api/overview").get_json()
    deck = "Model monitoring in production"
    assert deck in all_decks["decks"]
    one = client.get("/api/overview", query_string={"deck": deck}).get_json()
    assert one["deck"] == deck
    assert {c["id"] for c in one["concepts"]} <= {c["id"] for c in all_decks["concepts"]} | {
        c["id"] for c in one["concepts"]}
    assert client.get("/api/overview?deck=no+such+deck").status_code == 400


def test_concept_json_has_cards_neighbours_and_kinds(client):
    data = client.get("/api/concept/drift").get_json()
    assert data["id"] == "concept:drift"
    kinds = {c["label"].lower() for c in data["children"]}
    assert {"concept drift", "data drift", "prediction drift", "model drift"} <= kinds
    questions = [c["question"] for c in data["card_list"]]
    assert "What is concept drift?" in questions and "What causes model drift?" in questions
    assert data["neighbours"] and all("evidence" in n for n in data["neighbours"])
    assert data["graph"]["nodes"]


def test_concept_page_lists_every_card_and_marks_the_concept(client):
    data = client.get("/api/concept/drift").get_json()
    doc = lxml_html.fromstring(client.get("/concept/drift").data)
    listed = [a.text_content() for a in doc.xpath("//ol[@class='cards']//a[@class='card-q']")]
    assert sorted(listed) == sorted(c["question"] for c in data["card_list"])
    assert any("drift" in m.text_content().lower() for m in doc.xpath("//mark"))
    kinds = {a.text_content().lower() for a in doc.xpath("//p[@class='kinds']/a")}
    assert "concept drift" in kinds


def test_card_page_links_its_concepts(client):
    card = client.get("/api/concept/concept-drift").get_json()["card_list"][0]
    url = card["url"]
    data = client.get("/api" + url).get_json()
    assert data["question"] == card["question"]
    assert any(c["id"] == "concept:concept-drift" for c in data["concepts"])
    assert isinstance(data["related"], list)
    doc = lxml_html.fromstring(client.get(url).data)
    assert "/concept/concept-drift" in doc.xpath("//a[@class='concept-link']/@href")


def test_search_json_follows_the_contract(client):
    data = client.get("/api/search?q=drift").get_json()
    assert {"id", "label", "aliases", "cards"} <= set(data["concepts"][0])
    assert {"id", "question", "answer", "deck", "score"} <= set(data["cards"][0])
    assert data["concepts"][0]["id"] == "concept:drift"
    assert data["concepts_by_word"] is False


def test_search_page_shows_each_card_s_answer_around_the_query_s_words(client):
    # The card is found by its answer ("detects ... Training-Serving Skew"): the list shows that
    # part of the answer with the words marked, and names the concepts the query's words name.
    doc = lxml_html.fromstring(client.get("/search?q=how+to+detect+skew").data)
    answers = doc.xpath("//ol[@class='cards']/li/p[@class='card-a']")
    assert answers, "no answer excerpt in the result list"
    marked = {m.text_content().lower() for a in answers for m in a.xpath(".//mark")}
    assert "training-serving skew" in marked and any(m.startswith("detect") for m in marked), marked
    assert "named by its words" in doc.xpath("string(//section[@aria-label='Concepts'])")
    assert "/concept/training-serving-skew" in doc.xpath("//section[@aria-label='Concepts']//a/@href")


def test_search_tolerates_typos_and_suggests_as_you_type(client):
    assert client.get("/api/search?q=drfit").get_json()["concepts"][0]["id"] == "concept:drift"
    suggestions = client.get("/api/suggest?q=featu").get_json()["suggestions"]
    assert any(s["id"] == "concept:feature-store" for s in suggestions)
    assert client.get("/api/suggest?q=").get_json()["suggestions"] == []


def test_path_json_explains_each_hop_with_cards(client):
    data = client.get("/api/path", query_string={"from": "concept drift", "to": "model drift"}).get_json()
    assert data["connected"]
    assert data["hops"][0]["from"] == "concept:concept-drift"
    assert data["hops"][-1]["to"] == "concept:model-drift"
    assert all(hop["cards"] for hop in data["hops"])
    assert client.get("/api/path").status_code == 400


def test_communities_and_gaps_have_json_twins(client):
    communities = client.get("/api/communities").get_json()["communities"]
    assert communities and {"id", "label", "concepts", "size", "colour"} <= set(communities[0])
    assert isinstance(client.get("/api/gaps?limit=3").get_json()["gaps"], list)


@pytest.mark.parametrize("fmt,reader", [
    ("graphml", nx.read_graphml),
    ("gexf", nx.read_gexf),
])
def test_export_downloads_the_whole_graph_or_the_view(client, fmt, reader):
    whole = client.get(f"/export/{fmt}")
    assert whole.status_code == 200
    assert whole.headers["Content-Disposition"].startswith("attachment;")
    G = reader(BytesIO(whole.data))
    assert "concept:drift" in G
    part = client.get(f"/export/{fmt}?concept=drift&depth=1")
    assert "kg-drift-depth1" in part.headers["Content-Disposition"]
    H = reader(BytesIO(part.data))
    assert "concept:drift" in H and H.number_of_nodes() < G.number_of_nodes()


def test_export_json_is_json(client):
    response = client.get("/export/json")
    assert response.mimetype == "application/json"
    assert response.get_json()


@pytest.mark.parametrize("url", [
    "/concept/nothing-like-this",
    "/concept/Not_A_Slug",
    "/card/0000000000000000",
    "/card/..%2F..%2Fetc%2Fpasswd",
    "/export/pdf",
    "/no/such/page",
])
def test_unknown_things_are_a_friendly_404_page(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert b"Back to the overview" in response.data


@pytest.mark.parametrize("url", ["/api/concept/nothing-like-this", "/api/card/0000000000000000"])
def test_unknown_ids_under_api_are_json_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.get_json()["status"] == 404


@pytest.mark.parametrize("url", [
    "/?top=abc", "/?top=0", "/?top=-5", "/concept/drift?depth=9", "/concept/drift?depth=0",
    "/api/concept/drift?depth=x", "/api/overview?top=99999999", "/export/graphml?depth=2",
    "/export/graphml?concept=drift&depth=7", "/search?q=" + "x" * 500, "/api/gaps?limit=0",
])
def test_bad_parameters_are_400(client, url):
    response = client.get(url)
    assert response.status_code == 400
    if url.startswith("/api/"):
        assert response.get_json()["status"] == 400


def test_missing_workspace_is_explained(tmp_path):
    client = create_app({"KG_WORKSPACE": str(tmp_path / "none"), "TESTING": True}).test_client()
    page = client.get("/")
    assert page.status_code == 503 and b"kg build" in page.data
    assert client.get("/api/overview").get_json()["status"] == 503


def test_hostile_card_text_is_escaped_on_every_page(client, hostile_card):
    pages = [f"/card/{hostile_card}", "/concept/drift", "/search?q=pwned+drift", "/",
             "/concept/feature-store"]
    for url in pages:
        body = client.get(url).get_data(as_text=True)
        assert "<script>window.__pwned" not in body, url
        assert "<img src=x" not in body and "<svg onload" not in body, url
        assert 'href="javascript:' not in body, url
    card_page = client.get(f"/card/{hostile_card}").get_data(as_text=True)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in card_page
    assert "{{7*7}}" in card_page


def test_graph_data_is_json_that_cannot_close_its_script_element(client, hostile_card):
    body = client.get(f"/card/{hostile_card}").get_data(as_text=True)
    data = body.split('id="graph-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data
    assert "\\u003cscript\\u003e" in data


def test_stylesheet_has_every_community_colour(client):
    css = client.get("/static/kg.css").get_data(as_text=True)
    for i, colour in enumerate(PALETTE):
        assert f".c{i} {{ background: {colour}; }}" in css


def test_notebook_html_is_offline_and_escaped():
    G = nx.Graph()
    G.add_node("concept:a", kind="concept", label="</script><script>alert(1)</script>",
               importance=0.5, community=0, cards=1)
    G.add_node("concept:b", kind="concept", label="b", importance=0.2, community=1, cards=1)
    G.add_edge("concept:a", "concept:b", kinds=["co_occurs"], weight=0.4, shared=1)
    page = notebook_html(G)
    assert "</script><script>alert(1)" not in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "vis-network" in page and "new vis.Network" in page
    data = view_data(to_pyvis(G))
    assert {n["id"] for n in data["nodes"]} == {"concept:a", "concept:b"}
    assert data["nodes"][0]["title"].startswith("</script>")  # plain text; the page escapes it
    assert G.number_of_nodes() == 2 and "x" not in G.nodes["concept:a"]


def test_every_html_page_has_a_json_twin(client):
    """Each HTML view `bp.name` has `bp.api_name` under /api/, and both answer."""
    app = client.application
    endpoints = {rule.endpoint: rule for rule in app.url_map.iter_rules()}
    not_pages = {"static", "assets.vendor", "export.download", "explore.card_media"}
    pages = [e for e in endpoints if e not in not_pages and not e.split(".")[-1].startswith("api_")]
    assert {"explore.overview", "explore.concept", "explore.card", "search.search", "path.path",
            "export.index"} <= set(pages)
    for endpoint in pages:
        blueprint, _, view = endpoint.rpartition(".")
        twin = f"{blueprint}.api_{view}"
        assert twin in endpoints, f"{endpoints[endpoint].rule} has no JSON twin"
        assert endpoints[twin].rule.startswith("/api/")
        assert set(endpoints[endpoint].arguments) == set(endpoints[twin].arguments)


@pytest.mark.parametrize("page,twin", [
    ("/export/?concept=drift", "/api/export?concept=drift"),
    ("/path?from=concept+drift&to=model+drift", "/api/path?from=concept+drift&to=model+drift"),
])
def test_json_twins_answer_what_the_page_shows(client, page, twin):
    assert client.get(page).mimetype == "text/html"
    data = client.get(twin).get_json()
    assert data and "error" not in data


@pytest.fixture(scope="module")
def odd_card_ids(workspace):
    """The card ids of the hostile CSV's cards whose guids are URL syntax (ids are digests)."""
    from kg.workspace import Workspace

    with Workspace.open(workspace) as ws:
        G = ws.graph()
    by_guid = {d.get("guid"): n.removeprefix("card:") for n, d in G.nodes(data=True) if d.get("kind") == "card"}
    return [by_guid[guid] for guid in ODD_CARD_IDS]


def test_card_ids_with_url_syntax_have_pages(client, odd_card_ids):
    from urllib.parse import quote

    for card_id in odd_card_ids:
        node = "card:" + card_id
        hit = [c for c in client.get("/api/search?q=feature+store+link+concept+drift+iframe&limit=100")
               .get_json()["cards"] if c["id"] == node]
        assert hit, card_id
        assert hit[0]["url"] == "/card/" + quote(card_id, safe="")
        page = client.get(hit[0]["url"])
        assert page.status_code == 200, card_id
        assert client.get("/api" + hit[0]["url"]).get_json()["id"] == node


@pytest.mark.parametrize("url", [
    "/vendor/..%2f..%2fetc/passwd", "/vendor/..%2F..%2Fkg%2Fcli.py", "/export/../../x",
    "/export/..%2f..%2fx", "/card/..%2f", "/card/..%2F..%2F..%2Fetc%2Fpasswd",
    "/static/..%2f..%2fkg%2fcli.py", "/concept/..%2f..%2fetc%2fpasswd",
])
def test_path_traversal_reads_no_file(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"root:" not in response.data and b"import" not in response.data


def test_hostile_deck_names_tags_and_aliases_are_escaped(client, odd_card_ids):
    from urllib.parse import quote, urlencode

    pages = ["/", "/?" + urlencode({"deck": HOSTILE_DECK}), "/concept/drift",
             "/concept/feature-store", "/search?q=feature+store+link",
             *("/card/" + quote(c, safe="") for c in odd_card_ids)]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_data(as_text=True)
        for raw in ["<script>window.__pwned", "<img", "<iframe", "<svg", "<object", "<style>",
                    'href="javascript:', 'href="data:']:
            assert raw not in body, (url, raw)
        doc = lxml_html.fromstring(response.data)
        assert not doc.xpath("//*[@onerror or @onload or @onclick or @onmouseover or @onbegin]"), url
        assert not doc.xpath("//script[not(@src) and not(@type='application/json')]"), url
        assert len(doc.xpath("//title")) == 1, url
        if 'id="graph-data">' in body:
            embedded = body.split('id="graph-data">', 1)[1].split("</script>", 1)[0]
            assert "<" not in embedded and ">" not in embedded, url
    card = client.get("/card/" + quote(odd_card_ids[0], safe="")).get_data(as_text=True)
    assert "{{ config }}" in card and "{% if 1 %}" in card   # literal, never rendered
    assert "&lt;img_src=x_onerror=alert(1)&gt;" in card       # the tag, as text
    overview = client.get("/").get_data(as_text=True)
    assert "{{ config }} {% if 1 %}Jinja{% endif %} &lt;/title&gt;&lt;script&gt;" in overview
    concept = client.get("/api/concept/drift").get_json()
    assert "</script><script>window.__pwned=1</script>" in concept["aliases"]


def test_unicode_direction_tricks_stay_as_text(client):
    body = client.get("/search?q=right-to-left+override").get_data(as_text=True)
    assert "\u202egpj.exe\u202c" in body


def test_a_concept_in_another_script_has_its_page_and_json_twin(nlp, tmp_path):
    from urllib.parse import quote

    from kg.build import build

    deck = tmp_path / "ru.txt"
    deck.write_text("What does the word книга mean?\ta book; the word библиотека means library\n"
                    "What is a библиотека?\ta library, where every книга is kept\n", encoding="utf-8")
    build([deck], workspace=tmp_path / "ws", nlp=nlp)
    client = create_app({"KG_WORKSPACE": str(tmp_path / "ws"), "TESTING": True}).test_client()
    page = client.get("/concept/" + quote("книга"))
    assert page.status_code == 200 and "книга" in page.get_data(as_text=True)
    twin = client.get("/api/concept/" + quote("книга"))
    assert twin.status_code == 200 and twin.get_json()["label"] == "книга"
    assert client.get("/concept/" + quote("КНИГА")).status_code == 404  # ids are lower case


def test_a_path_hop_walked_against_its_verb_reads_the_right_way_round(bundled_workspace):
    # The deck says MLOps tracks data versions; a path from data versions to MLOps walks that
    # link backwards, and must not say that data versions track MLOps.
    client = create_app({"KG_WORKSPACE": str(bundled_workspace), "TESTING": True}).test_client()
    data = client.get("/api/path", query_string={"from": "data versions", "to": "MLOps"}).get_json()
    hop, = data["hops"]
    assert hop["verb"] == "track" and hop["reverse"]
    edge, = data["graph"]["edges"]
    assert (edge["from"], edge["to"]) == ("concept:mlops", "concept:data-version")
    page = client.get("/path", query_string={"from": "data versions", "to": "MLOps"}).get_data(as_text=True)
    assert 'title="MLOps track data versions">← track</span>' in page


def test_a_related_concept_says_which_way_its_link_points(bundled_workspace):
    # On the page of 'data versions', MLOps is listed as tracking this concept, not the reverse.
    client = create_app({"KG_WORKSPACE": str(bundled_workspace), "TESTING": True}).test_client()
    detail = client.get("/api/concept/data-version").get_json()
    mlops = next(n for n in detail["neighbours"] if n["id"] == "concept:mlops")
    assert {"kind": "related", "verb": "track", "out": False} in mlops["links"]
    page = client.get("/concept/data-version").get_data(as_text=True)
    assert 'title="MLOps track data versions">it “track” this</span>' in page
    page = client.get("/concept/mlops").get_data(as_text=True)
    assert 'title="MLOps track data versions">this “track” it</span>' in page
