"""Live decks: `kg serve --watch` updates the graph when a deck is saved, keeps the last good
graph when a save cannot be read, and tells the open pages.

The real server runs as a subprocess on 127.0.0.1 with two workers and its watcher process;
nothing here runs `kg build` after it starts.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner
from lxml import html as lxml_html

from kg.build import build
from kg.cli import cli
from kg.watch import DeckWatcher, read_status
from kg.workspace import Workspace, load_graph, stamp

HOST = "127.0.0.1"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
START_TIMEOUT = 90
#: The issue's bound from a save to the card being found.
SEEN_WITHIN = 5.0
DECK = """# Monitoring

Q: What is concept drift?
A: Concept drift is a change in the relation between the features and the target over time.

Q: What does a feature store keep consistent?
A: A feature store keeps feature values consistent between training and serving.
"""
NEW_CARD = "\nQ: What is a zorblax quantizer?\nA: A zorblax quantizer maps drift statistics onto a small codebook.\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_until(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def get_json(base: str, path: str):
    with urllib.request.urlopen(base + path, timeout=30) as response:
        return json.load(response)


def get_text(base: str, path: str) -> str:
    with urllib.request.urlopen(base + path, timeout=30) as response:
        return response.read().decode("utf-8")


def found(base: str, query: str, question: str) -> bool:
    cards = get_json(base, "/api/search?q=" + urllib.parse.quote(query))["cards"]
    return question in [c["question"] for c in cards]


@pytest.fixture()
def served(tmp_path):
    """`kg serve --watch` on a Markdown deck, with no workspace before it: (deck file, base URL)."""
    deck = tmp_path / "deck"
    deck.mkdir()
    (deck / "monitoring.md").write_text(DECK, encoding="utf-8")
    port = free_port()
    log = open(tmp_path / "serve.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--watch", str(deck), "-w", str(tmp_path / "ws"),
         "--host", HOST, "--port", str(port), "--workers", "2"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://{HOST}:{port}"

    def ready():
        assert process.poll() is None, (tmp_path / "serve.log").read_text()
        try:
            status = get_json(base, "/api/status")
        except OSError:
            return False
        return status["live"] and status["state"] == "ready"

    try:
        # Ready once the watcher holds the model and has read the decks.
        wait_until(ready, timeout=START_TIMEOUT, what="the watcher to be ready")
        yield deck / "monitoring.md", base
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=15)
        log.close()
    assert process.returncode == 0, (tmp_path / "serve.log").read_text()


def append(path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(text)


def test_a_card_appended_to_a_watched_deck_is_found_within_seconds_without_a_build(served):
    deck, base = served
    assert not found(base, "zorblax", "What is a zorblax quantizer?")
    generation = get_json(base, "/api/status")["generation"]
    append(deck, NEW_CARD)
    saved = time.monotonic()
    wait_until(lambda: found(base, "zorblax", "What is a zorblax quantizer?"), timeout=SEEN_WITHIN,
               what="the new card in /api/search")
    assert time.monotonic() - saved < SEEN_WITHIN
    status = get_json(base, "/api/status")
    assert status["generation"] == generation + 1 and status["changed"] == 1
    assert status["problems"] == [] and status["latest"]
    # Every worker answers from the new graph: twenty fresh connections, all find it.
    assert all(found(base, "zorblax", "What is a zorblax quantizer?") for _ in range(20))


def test_a_broken_save_keeps_the_old_graph_and_the_status_and_page_name_the_problem(served):
    deck, base = served
    good = deck.read_bytes()
    deck.write_bytes(b"\x00\x9f\x92\x96 not a deck \xff\xfe" * 200)
    wait_until(lambda: get_json(base, "/api/status")["problems"], timeout=SEEN_WITHIN,
               what="the status to report the broken save")
    problems = get_json(base, "/api/status")["problems"]
    assert any(p.startswith(f"{deck}: ") and "binary" in p for p in problems), problems
    assert any("last good version (2 cards)" in p for p in problems), problems
    # The cards of the file's last good version are all still served.
    assert found(base, "concept drift", "What is concept drift?")
    assert found(base, "feature store", "What does a feature store keep consistent?")
    page = lxml_html.fromstring(get_text(base, "/status"))
    listed = [li.text_content() for li in page.xpath("//ul[@class='live-problems']/li")]
    assert any(str(deck) in item and "binary" in item for item in listed), listed

    # Half written: a question without its answer yet. Still the last good graph, a new problem.
    deck.write_bytes(good + b"\nQ: What is a half-saved card?\n")
    wait_until(lambda: any("without an answer" in p for p in get_json(base, "/api/status")["problems"]),
               timeout=SEEN_WITHIN, what="the half-written save reported")
    # Once the file reads cleanly again, its new cards come in and the problems go.
    deck.write_bytes(good + NEW_CARD.encode())
    wait_until(lambda: found(base, "zorblax", "What is a zorblax quantizer?"), timeout=SEEN_WITHIN,
               what="the repaired file's new card")
    assert get_json(base, "/api/status")["problems"] == []


def test_a_burst_of_saves_makes_one_rebuild(served):
    deck, base = served
    before = get_json(base, "/api/status")
    for n in range(5):
        append(deck, f"\nQ: What does burst card {n} say?\nA: Burst card {n} says the plinth gauge {n} works.\n")
    wait_until(lambda: get_json(base, "/api/status")["cards"] == 7, timeout=SEEN_WITHIN,
               what="the burst built")
    time.sleep(0.5)  # a second update would come within this
    after = get_json(base, "/api/status")
    assert after["generation"] == before["generation"] + 1
    assert after["history"][-1]["changed"] == 5


@pytest.mark.browser
def test_the_open_page_says_how_many_cards_changed_keeps_its_view_and_names_a_broken_file(served):
    from playwright.sync_api import sync_playwright

    deck, base = served
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(base + "/")
            page.wait_for_selector("#graph[data-ready=true]")
            # The reader zoomed in and picked a node.
            view = page.evaluate("""() => {
                const net = window.kgNetwork, id = net.body.data.nodes.getIds()[0];
                net.moveTo({scale: 2.5, position: {x: 40, y: -30}, animation: false});
                net.selectNodes([id]);
                return {id: id};
            }""")
            append(deck, NEW_CARD)
            notice = page.locator("#live-notice")
            notice.get_by_text("1 card changed").wait_for(timeout=SEEN_WITHIN * 1000)
            with page.expect_navigation():
                notice.get_by_role("button", name="refresh").click()
            page.wait_for_selector("#graph[data-ready=true]")
            page.wait_for_function("() => Math.abs(window.kgNetwork.getScale() - 2.5) < 0.01", timeout=5000)
            assert page.evaluate("() => window.kgNetwork.getSelectedNodes()") == [view["id"]]
            position = page.evaluate("() => window.kgNetwork.getViewPosition()")
            assert abs(position["x"] - 40) < 1 and abs(position["y"] + 30) < 1
            page.wait_for_timeout(1500)  # a poll or more: the reloaded page is the newest graph
            assert not page.locator("#live-notice").get_by_text("changed").is_visible()

            deck.write_bytes(b"\x00\x01 junk \xff" * 100)
            page.locator("#live-notice").get_by_text("binary").wait_for(timeout=SEEN_WITHIN * 1000)
            assert str(deck) in page.locator("#live-notice").inner_text()
            assert errors == []
        finally:
            browser.close()


def test_deck_watcher_keeps_a_files_last_good_cards_and_forgets_a_deleted_file(tmp_path, nlp):
    deck = tmp_path / "deck"
    deck.mkdir()
    (deck / "a.md").write_text(DECK, encoding="utf-8")
    (deck / "b.md").write_text("Q: What is a canary release?\nA: A canary release limits the blast radius.\n",
                               encoding="utf-8")
    watcher = DeckWatcher([deck], workspace=tmp_path / "ws", nlp=nlp)
    assert watcher.rebuild().cards == 3

    (deck / "a.md").write_text("", encoding="utf-8")  # an editor that truncates before it writes
    report = watcher.rebuild([deck / "a.md"])
    assert report.cards == 3
    assert any("no cards" in str(p) and "a.md" in str(p) for p in report.problems)
    with Workspace.open(tmp_path / "ws") as ws:
        assert len(list(ws.cards())) == 3
        assert any("last good version" in p for p in ws.problems)

    (deck / "b.md").unlink()
    report = watcher.rebuild([deck / "b.md"])
    assert report.cards == 2
    status = read_status(tmp_path / "ws")
    assert status["cards"] == 2 and status["history"][-1]["changed"] == 1


def test_serve_reads_deck_paths_only_with_watch(tmp_path):
    result = CliRunner().invoke(cli, ["serve", str(tmp_path), "-w", str(tmp_path / "ws")])
    assert result.exit_code == 2 and "--watch" in result.output


def _csv_rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


def _edit_answer(path, row, text):
    rows = _csv_rows(path)
    rows[row][2] = text
    _write_csv(path, rows)


WATCHED_EDITS = [  # (what, edit, cards changed)
    ("an answer edited", 1, lambda d: _edit_answer(
        d / "clip.csv", 1, "Contrastive pre-training with a symmetric cross entropy loss, like knowledge distillation.")),
    ("a card added to a deck in the middle", 1, lambda d: _write_csv(d / "clip.csv", _csv_rows(d / "clip.csv") + [[
        "watch~guid", "Why does the transformer use layer normalization?",
        "Layer normalization keeps the residual stream stable, unlike batch normalization.", "", "", "", ""]])),
    ("a card removed", 1, lambda d: _write_csv(
        d / "batchnorm.csv", [r for i, r in enumerate(_csv_rows(d / "batchnorm.csv")) if i != 1])),
    ("two decks edited", 2, lambda d: (
        _edit_answer(d / "barlow_twins.csv", 1, "The cross-correlation matrix is pushed towards the identity."),
        _edit_answer(d / "attention_is_all_you_need.csv", 2, "Multi-head attention attends to several subspaces."))),
]


def test_a_watchers_updates_in_a_row_each_equal_a_fresh_build(tmp_path, shared_dir, nlp, same_graph):
    # The watcher carries each update's counts over to the next instead of reading them back.
    decks = tmp_path / "decks"
    shutil.copytree(shared_dir / "decks" / "mlrf-csv", decks)
    workspace = tmp_path / "ws"
    watcher = DeckWatcher([decks], workspace=workspace, nlp=nlp)
    watcher.rebuild()
    for n, (what, changed, edit) in enumerate(WATCHED_EDITS):
        edit(decks)
        report = watcher.rebuild([decks / name for name in os.listdir(decks)])
        assert report.updated and watcher.status["history"][-1]["changed"] == changed, what
        assert watcher._kept.stamp == stamp(workspace), what  # the next update starts from memory
        fresh = tmp_path / f"fresh-{n}"
        build([decks], workspace=fresh, nlp=nlp)
        same_graph(load_graph(workspace), load_graph(fresh), communities=False)


def test_the_watcher_wants_deck_files_and_curation_not_its_workspace_hidden_files_or_others(tmp_path):
    # `kg serve --watch .` with the workspace in ./.kg: its own writes must not trigger updates.
    folder = tmp_path / "decks"
    folder.mkdir()
    single = tmp_path / "elsewhere" / "one.txt"
    watcher = DeckWatcher([folder, single], workspace=folder / ".kg")
    assert watcher.wanted(folder / "deck.md")
    assert watcher.wanted(folder / "sub" / "notes.csv")
    assert watcher.wanted(folder / "concepts.toml")
    assert watcher.wanted(single)
    assert not watcher.wanted(folder / ".kg" / "workspace.sqlite")
    assert not watcher.wanted(folder / ".kg" / "watch.json")
    assert not watcher.wanted(folder / ".git" / "deck.md")
    assert not watcher.wanted(folder / "picture.png")
    assert not watcher.wanted(tmp_path / "elsewhere" / "other.txt")
    folders, recursive = watcher.watch_targets()
    assert folders == sorted([folder.resolve(), single.parent.resolve()]) and recursive
