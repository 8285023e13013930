"""The collection explorer in real headless Chromium: scope pickers, the map, cards as written."""

from __future__ import annotations

import threading
from urllib.parse import parse_qs, urlsplit

import pytest

from kg.build import build
from kg.web import create_app

pytestmark = pytest.mark.browser

DECKS = ["rich-deck", "drift-deck", "hostile-deck"]
READY = "#graph[data-ready=true]"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory, data_dir, nlp):
    from waitress.server import create_server

    workspace = tmp_path_factory.mktemp("browser-explorer-ws")
    build([data_dir / "web" / d for d in DECKS], workspace=workspace, nlp=nlp,
          curation=data_dir / "web" / "hostile-curation.toml")
    server = create_server(create_app({"KG_WORKSPACE": str(workspace)}), host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


@pytest.fixture
def page(browser, base_url):
    """A page that records every request to another host, every dialog and every script error."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.foreign, page.dialogs, page.errors = [], [], []
    page.on("request", lambda r: None if r.url.startswith((base_url, "data:")) else page.foreign.append(r.url))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    assert page.foreign == [], f"requests to other hosts: {page.foreign}"
    assert page.dialogs == [] and page.errors == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    context.close()


def _json(page, base_url, path):
    return page.request.get(base_url + path).json()


def test_choosing_a_deck_on_the_overview_narrows_every_number_and_node(page, base_url):
    page.goto(base_url + "/")
    page.wait_for_selector(READY)
    everything = int(page.locator(".lede .total-cards").inner_text())
    with page.expect_navigation():
        page.select_option("#scope-deck", "Rich::Optimisation")
    page.wait_for_selector(READY)
    assert parse_qs(urlsplit(page.url).query)["deck"] == ["Rich::Optimisation"]
    assert int(page.locator(".lede .total-cards").inner_text()) == 2 < everything
    scoped = _json(page, base_url, "/api/overview?deck=Rich::Optimisation")
    assert int(page.locator(".lede .total-concepts").inner_text()) == scoped["total_concepts"]
    drawn = set(page.evaluate("window.kgNetwork.body.data.nodes.getIds()"))
    assert drawn == {n["id"] for n in scoped["graph"]["nodes"]}
    # Each drawn concept is named on the scope's cards, and counted on them only.
    assert all(c["cards"] <= 2 for c in scoped["concepts"])
    links = page.locator("main a[href^='/concept/'], main a[href^='/community/']").evaluate_all(
        "as => as.map(a => a.getAttribute('href'))")
    assert links and all(parse_qs(urlsplit(h).query).get("deck") == ["Rich::Optimisation"] for h in links)
    # Clicking a node keeps the scope too.
    node = next(iter(sorted(drawn)))
    page.locator("#graph").scroll_into_view_if_needed()
    pos = page.evaluate("""(id) => { const n = window.kgNetwork; const p = n.canvasToDOM(n.getPosition(id));
        const r = document.querySelector('#graph canvas').getBoundingClientRect();
        return {x: r.left + p.x, y: r.top + p.y}; }""", node)
    page.mouse.click(pos["x"], pos["y"])
    page.wait_for_url("**/concept/**")
    assert parse_qs(urlsplit(page.url).query)["deck"] == ["Rich::Optimisation"]


def test_a_community_page_opens_from_the_map(page, base_url):
    page.goto(base_url + "/?view=map")
    page.wait_for_selector(READY)
    nodes = page.evaluate("window.kgNetwork.body.data.nodes.get().map(n => [n.id, n.size])")
    assert nodes and all(n.startswith("community:") for n, _ in nodes)
    biggest = max(nodes, key=lambda n: n[1])[0]
    page.locator("#graph").scroll_into_view_if_needed()
    pos = page.evaluate("""(id) => { const n = window.kgNetwork; const p = n.canvasToDOM(n.getPosition(id));
        const r = document.querySelector('#graph canvas').getBoundingClientRect();
        return {x: r.left + p.x, y: r.top + p.y}; }""", biggest)
    page.mouse.click(pos["x"], pos["y"])
    page.wait_for_url("**/community/" + biggest.partition(":")[2])
    page.wait_for_selector(READY)
    assert page.locator("h1").inner_text().strip()
    assert page.locator("ol.cards li").count() >= 1
    assert page.evaluate("window.kgNetwork.body.data.nodes.length") >= 1


def test_a_rich_card_shows_its_list_bold_text_image_and_formula(page, base_url):
    found = _json(page, base_url, "/api/search?q=gradient+descent+step")["cards"]
    url = next(c["url"] for c in found if c["question"].startswith("What does gradient descent do"))
    page.goto(base_url + url)
    answer = page.locator(".answer")
    assert answer.locator("ul > li").count() == 3 and answer.locator("ul > li").first.is_visible()
    bold = answer.locator("b").first
    assert bold.is_visible() and int(bold.evaluate("b => getComputedStyle(b).fontWeight")) >= 600
    image = answer.locator("img")
    image.wait_for()
    assert image.evaluate("i => i.complete && i.naturalWidth") == 120
    formula = answer.locator("math")
    assert formula.count() == 1 and formula.is_visible()
    # Parsed as MathML (not an unknown HTML tag) and laid out by the browser as a formula.
    assert formula.evaluate("m => m.namespaceURI") == "http://www.w3.org/1998/Math/MathML"
    assert formula.bounding_box()["width"] > 40
    assert "θ" in formula.text_content()
    assert "remote chart" in answer.inner_text()
    assert answer.locator("a.concept-link").count() >= 2


def test_hostile_cards_run_no_script_when_shown_as_written(page, base_url):
    found = _json(page, base_url, "/api/search?q=feature+store+link+concept+drift+iframe+svg&limit=100")["cards"]
    hostile = [c["url"] for c in found if c["deck"].startswith("{{")]
    assert len(hostile) >= 2
    for url in hostile:
        assert page.goto(base_url + url).ok
        page.wait_for_selector(READY)
        page.locator(".card-html").first.hover()
        # Click everything the card brought (not the concept links kg added): no handler fires.
        page.locator(".card-html *").evaluate_all(
            "els => els.filter(e => !e.closest('a.concept-link')).forEach(e => e.dispatchEvent(new MouseEvent('click')))")
        assert page.locator(".card-html :is(iframe, script, svg, object, style, [onclick], [onerror], [style])").count() == 0


def test_big_views_name_more_concepts_as_you_zoom_and_a_hovered_nodes_neighbours(page, base_url):
    page.goto(base_url + "/?view=concepts&top=100")
    page.wait_for_selector(READY)
    assert page.evaluate("window.kgDrawnLabels.total") > 30
    first = page.evaluate("window.kgDrawnLabels.boxes().length")
    assert first >= 1
    page.evaluate("() => { const n = window.kgNetwork; n.moveTo({scale: n.getScale() * 4}); n.redraw(); }")
    page.wait_for_timeout(200)
    assert page.evaluate("window.kgDrawnLabels.boxes().length") > first
    page.evaluate("() => { window.kgNetwork.fit(); window.kgNetwork.redraw(); }")
    hub, neighbours = page.evaluate("""() => { const n = window.kgNetwork;
        const best = n.body.data.nodes.getIds().map(id => [id, n.getConnectedNodes(id).length])
          .sort((a, b) => b[1] - a[1])[0]; return best; }""")
    page.locator("#graph").scroll_into_view_if_needed()
    pos = page.evaluate("""(id) => { const n = window.kgNetwork; const p = n.canvasToDOM(n.getPosition(id));
        const r = document.querySelector('#graph canvas').getBoundingClientRect();
        return {x: r.left + p.x, y: r.top + p.y}; }""", hub)
    page.mouse.move(pos["x"], pos["y"])
    page.wait_for_timeout(300)
    assert page.evaluate("window.kgDrawnLabels.boxes().length") >= neighbours + 1
