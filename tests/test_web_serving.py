"""Serving a big workspace: timing headers, the loading page, pages kept per build and no longer."""

from __future__ import annotations

import shutil

import pytest
from lxml import html as lxml_html

from kg.build import build
from kg.web import create_app
from kg.web.graph import EXTENSION

NEW_QUESTION = "Which quorbish gauge watches concept drift?"
NEW_ANSWER = "The quorbish gauge watches concept drift in streaming features."


@pytest.fixture()
def deck(tmp_path, data_dir):
    folder = tmp_path / "deck"
    shutil.copytree(data_dir / "web" / "drift-deck", folder)
    return folder


@pytest.fixture()
def workspace(tmp_path, deck, nlp):
    folder = tmp_path / "ws"
    build([deck], workspace=folder, nlp=nlp)
    return folder


def test_every_response_says_how_long_the_server_took(workspace):
    client = create_app({"KG_WORKSPACE": str(workspace), "TESTING": True}).test_client()
    for url in ("/", "/api/overview", "/concept/drift", "/api/search?q=drift", "/concept/no-such-thing"):
        timing = client.get(url).headers["Server-Timing"]
        name, _, duration = timing.partition(";dur=")
        assert name == "app" and float(duration) >= 0


def test_a_page_asked_while_the_first_load_runs_says_loading_and_reloads(workspace):
    app = create_app({"KG_WORKSPACE": str(workspace), "TESTING": True, "KG_PRELOAD": False})
    client = app.test_client()
    slot = app.extensions[EXTENSION]
    # Holding the load lock is exactly the state of a first load that takes long (a big deck).
    with slot.lock:
        page = client.get("/")
        assert page.status_code == 200 and page.headers["Refresh"]
        assert page.headers["Cache-Control"] == "no-store"
        doc = lxml_html.fromstring(page.data)
        assert "Loading" in doc.findtext(".//h1")
        assert doc.xpath("//meta[@http-equiv='refresh']")
    # Once the load is done the same address is the overview.
    page = client.get("/")
    assert b"Loading the workspace" not in page.data
    assert "most important" in lxml_html.fromstring(page.data).text_content()
    assert client.get("/api/overview").get_json()["concepts"]


def test_json_twins_wait_for_the_first_load_instead_of_saying_loading(workspace):
    client = create_app({"KG_WORKSPACE": str(workspace), "TESTING": True}).test_client()
    data = client.get("/api/concept/drift").get_json()
    assert data["id"] == "concept:drift" and data["card_list"]


def test_a_rebuild_is_served_at_once_not_the_pages_kept_from_the_build_before(workspace, deck, nlp):
    client = create_app({"KG_WORKSPACE": str(workspace), "TESTING": True}).test_client()
    before_html = client.get("/concept/concept-drift").data.decode()
    before = client.get("/api/concept/concept-drift").get_json()
    # Asked twice: the second answer is the kept one, and the same.
    assert client.get("/concept/concept-drift").data.decode() == before_html
    assert NEW_QUESTION not in before_html

    with open(deck / "monitoring.txt", "a", encoding="utf-8") as f:
        f.write(f"{NEW_QUESTION}\n{NEW_ANSWER}\n")
    build([deck], workspace=workspace, nlp=nlp)

    after_html = client.get("/concept/concept-drift").data.decode()
    after = client.get("/api/concept/concept-drift").get_json()
    assert NEW_QUESTION in after_html
    assert NEW_QUESTION in [c["question"] for c in after["card_list"]]
    assert after["card_total"] == before["card_total"] + 1
    found = client.get("/api/search?q=quorbish").get_json()
    assert NEW_QUESTION in [c["question"] for c in found["cards"]]


def test_overview_json_names_only_the_communities_it_draws(workspace):
    client = create_app({"KG_WORKSPACE": str(workspace), "TESTING": True}).test_client()
    data = client.get("/api/overview?top=5").get_json()
    drawn = {n.get("community") for n in data["graph"]["nodes"]}
    assert {c["id"] for c in data["communities"]} == drawn - {None}
    assert data["total_communities"] == len(client.get("/api/communities").get_json()["communities"])


def test_separated_labels_do_not_overlap_and_the_drawing_is_the_same_every_time():
    from kg.views import CLEARANCE, SEPARATE_TOLERANCE, separate

    # Twelve labelled dots piled on three spots, as a tight spring layout leaves them.
    positions = {f"n{i}": (float(i % 3), 0.0) for i in range(12)}
    boxes = {n: (40.0, 10.0, 8.0) for n in positions}
    moved = separate(positions, boxes)
    assert moved == separate(positions, boxes)
    for a in moved:
        for b in moved:
            if a < b:
                dx = abs(moved[a][0] - moved[b][0])
                dy = abs(moved[a][1] - moved[b][1])
                need_x, need_y = 80.0 + CLEARANCE, 20.0 + CLEARANCE
                assert dx >= need_x - SEPARATE_TOLERANCE - 1e-9 or dy >= need_y - SEPARATE_TOLERANCE - 1e-9
