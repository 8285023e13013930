"""The explorer in real headless Chromium: offline, clickable, searchable, and inert to hostile cards."""

from __future__ import annotations

import threading
from io import BytesIO
from pathlib import Path

import networkx as nx
import pytest

from kg.build import build
from kg.web import create_app

pytestmark = pytest.mark.browser

DECKS = ["drift-deck", "hostile-deck"]
DRIFT_KINDS = {"concept drift", "data drift", "prediction drift", "model drift"}
READY = "#graph[data-ready=true]"
HOSTILE_DECK = "{{ config }} {% if 1 %}Jinja{% endif %} </title><script>window.__pwned=1</script>"
ODD_CARD_IDS = ["a/../b?x#y%2F", "..%2f..%2fetc%2fpasswd"]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory, data_dir, nlp):
    from waitress.server import create_server

    workspace = tmp_path_factory.mktemp("browser-ws")
    build([data_dir / "web" / d for d in DECKS], workspace=workspace, nlp=nlp,
          curation=data_dir / "web" / "hostile-curation.toml")
    server = create_server(create_app({"KG_WORKSPACE": str(workspace)}),
                           host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()


class Watched:
    """A page with everything that would betray an unsafe or online page recorded."""

    def __init__(self, page, base_url):
        self.page = page
        self.foreign: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: None if r.url.startswith(base_url) or r.url.startswith("data:")
                else self.foreign.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def assert_clean(self):
        assert self.foreign == [], f"requests to other hosts: {self.foreign}"
        assert self.dialogs == [], f"a script ran: {self.dialogs}"
        assert self.errors == [], self.errors
        assert self.page.evaluate("typeof window.__pwned") == "undefined"


@pytest.fixture
def watched(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    w = Watched(page, base_url)
    yield w
    context.close()


def node_screen_position(page, node_id):
    # The graph may start below the fold (the scope bar sits above every page).
    page.locator("#graph").scroll_into_view_if_needed()
    return page.evaluate(
        """(id) => { const n = window.kgNetwork; const p = n.canvasToDOM(n.getPosition(id));
                     const r = document.querySelector('#graph canvas').getBoundingClientRect();
                     return {x: r.left + p.x, y: r.top + p.y}; }""",
        node_id,
    )


@pytest.mark.parametrize("path", ["/", "/concept/drift?depth=2", "/search?q=drift",
                                  "/path?from=concept+drift&to=model+drift", "/export/"])
def test_pages_load_without_touching_another_host(watched, base_url, path):
    watched.page.goto(base_url + path)
    if watched.page.locator("#graph").count():
        watched.page.wait_for_selector(READY)
        assert watched.page.evaluate("window.kgNetwork.body.data.nodes.length") > 0
    watched.assert_clean()


def test_clicking_a_concept_node_opens_its_drill_down(watched, base_url):
    page = watched.page
    page.goto(base_url + "/concept/drift")
    page.wait_for_selector(READY)
    pos = node_screen_position(page, "concept:concept-drift")
    page.mouse.click(pos["x"], pos["y"])
    page.wait_for_url("**/concept/concept-drift")
    assert page.locator("h1").inner_text().strip().lower() == "concept drift"
    assert page.locator("ol.cards li").count() >= 1
    watched.assert_clean()


def test_search_box_leads_to_the_drift_page_with_every_kind(watched, base_url):
    page = watched.page
    page.goto(base_url + "/")
    page.fill("#site-q", "drift")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=drift")
    page.locator(".concept-results a", has_text="drift").first.click()
    page.wait_for_url("**/concept/drift")
    kinds = {t.strip().lower() for t in page.locator("p.kinds a").all_inner_texts()}
    assert DRIFT_KINDS <= kinds
    questions = page.locator("ol.cards a.card-q").all_inner_texts()
    for q in ["What is concept drift?", "What is data drift and how is it detected?",
              "How does prediction drift differ from data drift?", "What causes model drift?",
              "Why is drift monitoring part of MLOps?"]:
        assert q in questions
    watched.assert_clean()


def test_autocomplete_suggests_concepts(watched, base_url):
    page = watched.page
    page.goto(base_url + "/")
    page.locator("#site-q").press_sequentially("featu", delay=30)
    page.wait_for_selector("#site-q-list option", state="attached")
    values = page.eval_on_selector_all("#site-q-list option", "os => os.map(o => o.value)")
    assert any("feature store" in v.lower() for v in values)


def test_path_page_shows_hops_with_cards(watched, base_url):
    page = watched.page
    page.goto(base_url + "/path")
    page.fill("input[name=from]", "concept drift")
    page.fill("input[name=to]", "model drift")
    page.click("form.path-form button")
    page.wait_for_selector("ol.hops li")
    assert page.locator("ol.hops .evidence a").count() >= 1
    watched.assert_clean()


def test_graphml_download_parses(watched, base_url):
    page = watched.page
    page.goto(base_url + "/export/")
    with page.expect_download() as info:
        page.click("text=Download GRAPHML")
    G = nx.read_graphml(BytesIO(Path(info.value.path()).read_bytes()))
    assert "concept:drift" in G and G.number_of_edges() > 0


def test_hostile_deck_runs_no_script_anywhere(watched, base_url):
    page = watched.page
    page.goto(base_url + "/search?q=pwned+drift")
    card_links = page.locator("ol.cards a.card-q")
    # Only the cards whose text is an attack: each is a full page with a graph to draw.
    hostile = card_links.evaluate_all(
        "as => as.filter(a => /[<{]/.test(a.textContent)).map(a => a.getAttribute('href'))")
    assert hostile
    texts = card_links.all_inner_texts()
    assert any("<script>window.__pwned=1</script>" in t for t in texts)
    for url in hostile + ["/concept/drift?depth=2", "/concept/feature-store", "/"]:
        assert page.goto(base_url + url).ok, url
        body = page.locator("main").inner_text()
        assert "49" not in body.replace("2049", "")
        if page.locator("#graph").count():
            page.wait_for_selector(READY)
            # Hover the first nodes: tooltips must stay text.
            assert all(n == 0 for n in hover_every_node(page, limit=12)), url
    page.goto(base_url + "/search?q=pwned+drift")
    page.locator("ol.cards a.card-q", has_text="What does <script>").first.click()
    page.wait_for_url("**/card/**")
    assert "{{7*7}}" in page.locator("main").inner_text()
    watched.assert_clean()


def hover_every_node(page, limit=40):
    """Hover nodes one by one, waiting for each tooltip; returns the tooltips' element counts."""
    counts = []
    for node in page.evaluate("window.kgNetwork.body.data.nodes.getIds()")[:limit]:
        pos = node_screen_position(page, node)
        page.mouse.move(pos["x"], pos["y"])
        tip = page.locator("div.vis-tooltip")
        try:
            tip.wait_for(state="visible", timeout=500)
        except Exception:
            continue  # node hidden under another one: nothing to hover
        counts.append(tip.first.locator("script, img, svg, a, b, iframe, object, style").count())
        page.mouse.move(0, 0)
    return counts


def odd_card_urls(base_url):
    """The pages of the hostile CSV's cards (their guids are URL syntax; ids are digests)."""
    import json
    from urllib.request import urlopen

    with urlopen(base_url + "/api/search?q=feature+store+link+concept+drift+iframe&limit=100") as r:
        cards = json.load(r)["cards"]
    found = []
    for card in cards:
        with urlopen(base_url + "/api" + card["url"]) as r:
            if "anki-html.csv" in json.load(r)["source"]:
                found.append(card["url"])
    assert len(found) == len(ODD_CARD_IDS)
    return found


def test_hostile_names_aliases_and_odd_ids_are_inert_in_chromium(watched, base_url):
    """Deck names, tags, aliases in the embedded JSON, Anki HTML and URL-like card ids."""
    from urllib.parse import urlencode

    page = watched.page
    odd = odd_card_urls(base_url)
    for url in odd:
        response = page.goto(base_url + url)
        assert response.ok, url
        main = page.locator("main").inner_text()
        assert "{{ config }} {% if 1 %}Jinja{% endif %}" in main
        assert page.title().endswith("· kg")
        assert page.locator("main a[href^='javascript:'], main a[href^='data:'], main iframe").count() == 0
    crumbs = []
    for url in odd:
        page.goto(base_url + url)
        crumbs.append(page.locator(".crumbs").inner_text())
    assert any("<img_src=x_onerror=alert(1)>" in c for c in crumbs)

    page.goto(base_url + "/?" + urlencode({"deck": HOSTILE_DECK}))
    page.wait_for_selector(READY)
    assert HOSTILE_DECK in page.locator(".scope-bar .scope-chip").inner_text()
    assert HOSTILE_DECK in page.locator("h1").inner_text()

    page.goto(base_url + "/concept/drift")
    page.wait_for_selector(READY)
    assert "</script><script>window.__pwned=1</script>" in page.locator(".lede").inner_text()
    assert all(n == 0 for n in hover_every_node(page))
    page.goto(base_url + "/search?q=right-to-left+override")
    assert "\u202egpj.exe" in page.locator("main").inner_text()
    watched.assert_clean()


def test_content_security_policy_blocks_inline_script_in_the_browser(watched, base_url):
    page = watched.page
    page.goto(base_url + "/")
    # Script written into the page after load, as an injection would be: the CSP refuses it.
    directive = page.evaluate("""() => new Promise(resolve => {
        document.addEventListener('securitypolicyviolation', e => resolve(e.effectiveDirective),
                                  {once: true});
        const s = document.createElement('script');
        s.textContent = 'window.__pwned = 1';
        document.body.appendChild(s); })""")
    assert directive.startswith("script-src")
    watched.assert_clean()


def test_keyboard_reaches_the_cards_without_the_canvas(watched, base_url):
    page = watched.page
    page.goto(base_url + "/concept/drift")
    page.wait_for_selector(READY)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Skip to content"
    page.locator(".jump a[href='#cards']").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**#cards")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('#cards') !== null")
    assert focused, "Tab after 'skip to cards' should land on a card link"
    # The graph's list twin: a skip link lands on the related concepts list.
    skip = page.locator("a.skip-graph")
    skip.focus()
    assert skip.is_visible()
    watched.assert_clean()
