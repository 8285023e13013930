"""`kg serve` keeps answering while `kg build` rewrites its workspace, and survives a killed build.

The real server runs as a subprocess on 127.0.0.1; a bounded load (a thread pool of clients, a
fixed number of requests each) runs against it while a real `kg build` subprocess replaces the
workspace. Nothing here leaves the loopback interface.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from kg.build import build
from kg.workspace import Workspace, stamp

HOST = "127.0.0.1"
CLIENTS = 32
REQUESTS_PER_CLIENT = 60
REQUEST_TIMEOUT = 30
SERVER_START_TIMEOUT = 30
BUILD_TIMEOUT = 120
# A deck big enough that extracting it takes many seconds, so the kill lands mid-extraction.
BIG_DECK_CARDS = 2500
NEW_QUESTION = "What is a zorblax quantizer?"
NEW_ANSWER = "A zorblax quantizer maps drift statistics onto a small codebook before alerting."
BUILD_HEADER = "X-KG-Build"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def get(base: str, path: str) -> tuple[int, str, bytes]:
    """(status, build tag, body) of one GET; HTTP errors are answers too, not exceptions."""
    try:
        with urllib.request.urlopen(base + path, timeout=REQUEST_TIMEOUT) as response:
            return response.status, response.headers.get(BUILD_HEADER, ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get(BUILD_HEADER, ""), exc.read()


def wait_until(condition, *, timeout: float, what: str, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def kg_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "kg", *args]


@pytest.fixture(scope="module")
def deck(tmp_path_factory, data_dir) -> Path:
    folder = tmp_path_factory.mktemp("load-deck")
    shutil.copy(data_dir / "web" / "drift-deck" / "monitoring.txt", folder / "monitoring.txt")
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory, deck, nlp):
    workspace = tmp_path_factory.mktemp("load-ws")
    build([deck], workspace=workspace, nlp=nlp)
    port = free_port()
    log = open(workspace.parent / "serve.log", "wb")
    process = subprocess.Popen(
        kg_command("serve", "-w", str(workspace), "--host", HOST, "--port", str(port)),
        stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://{HOST}:{port}"

    def ready():
        assert process.poll() is None, (workspace.parent / "serve.log").read_text()
        try:
            return get(base, "/api/overview?top=5")[0] == 200
        except OSError:
            return False

    try:
        wait_until(ready, timeout=SERVER_START_TIMEOUT, what="the server to answer")
        yield {"base": base, "workspace": workspace, "process": process}
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def load_urls(base: str) -> list[str]:
    """A mix of pages, JSON twins, search and exports, the kind of traffic a browser makes."""
    data = json.loads(get(base, "/api/concept/drift")[2])
    card = data["card_list"][0]["id"].removeprefix("card:")
    return [
        "/", "/api/overview?top=20", "/concept/drift", "/api/concept/concept-drift?depth=2",
        f"/card/{urllib.parse.quote(card, safe='')}", "/search?q=drift", "/api/search?q=feature+store",
        "/api/suggest?q=mod", "/search?q=", "/path?from=concept+drift&to=model+drift",
        "/export/graphml?concept=drift", "/api/communities",
    ]


def run_load(base: str, urls: list[str], *, clients: int, requests: int):
    """Each client sends `requests` GETs round the URL list; returns (failures, builds seen)."""

    def client(n: int):
        failures, builds = [], set()
        for i in range(requests):
            url = urls[(n + i) % len(urls)]
            try:
                status, tag, _ = get(base, url)
            except OSError as exc:
                failures.append((url, repr(exc)))
                continue
            builds.add(tag)
            if status != 200:
                failures.append((url, status))
        return failures, builds

    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(client, range(clients)))
    failures = [f for fs, _ in results for f in fs]
    builds = set().union(*(b for _, b in results))
    return failures, builds


def test_server_keeps_answering_through_a_rebuild_and_then_serves_the_new_card(server, deck):
    base, workspace = server["base"], server["workspace"]
    urls = load_urls(base)
    before = get(base, "/api/overview?top=5")[1]
    assert before
    assert json.loads(get(base, "/api/search?q=zorblax")[2])["cards"] == []

    with open(deck / "monitoring.txt", "a", encoding="utf-8") as fh:
        fh.write(f"{NEW_QUESTION}\n{NEW_ANSWER}\n")
    rebuild = subprocess.Popen(kg_command("build", str(deck), "-w", str(workspace), "-q"),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        # Load in rounds until the build has finished, then one more: the server answers far
        # faster than a build runs, so one round alone could end before the swap.
        failures, builds = [], set()
        deadline = time.monotonic() + BUILD_TIMEOUT
        while True:
            finished = rebuild.poll() is not None
            round_failures, round_builds = run_load(base, urls, clients=CLIENTS,
                                                    requests=REQUESTS_PER_CLIENT)
            failures += round_failures
            builds |= round_builds
            if finished or time.monotonic() > deadline:
                break
        output, _ = rebuild.communicate(timeout=BUILD_TIMEOUT)
    finally:
        if rebuild.poll() is None:
            rebuild.kill()
            rebuild.wait()
    assert rebuild.returncode == 0, output.decode()
    assert failures == [], failures[:10]
    # The swap happened under load: some answers came from each build, none failed.
    assert before in builds and len(builds) == 2, builds

    # No restart: the next request notices the new build and serves the new card.
    found = json.loads(get(base, "/api/search?q=zorblax+quantizer")[2])
    assert NEW_QUESTION in [c["question"] for c in found["cards"]]
    status, after, _ = get(base, "/api/overview?top=5")
    assert status == 200 and after != before
    card = next(c for c in found["cards"] if c["question"] == NEW_QUESTION)
    status, _, body = get(base, "/card/" + urllib.parse.quote(card["id"].removeprefix("card:"), safe=""))
    assert status == 200 and b"zorblax" in body


def test_a_build_killed_halfway_leaves_the_served_workspace_whole(server, tmp_path):
    base, workspace = server["base"], server["workspace"]
    served = get(base, "/api/overview?top=5")
    assert served[0] == 200
    stamp_before = stamp(workspace)
    big = tmp_path / "big"
    big.mkdir()
    topics = ["drift", "feature store", "retraining", "latency", "embedding", "batch scoring"]
    with open(big / "generated.txt", "w", encoding="utf-8") as fh:
        fh.write("Generated deck\n")
        for i in range(BIG_DECK_CARDS):
            topic = topics[i % len(topics)]
            fh.write(f"What does signal {i} say about {topic} in pipeline {i % 97}?\n")
            fh.write(f"Signal {i} tracks {topic} for service {i % 31}; monitoring it early "
                     f"keeps the {topics[(i + 1) % len(topics)]} healthy.\n")

    # Its own session, so the kill reaches spaCy's worker processes as well.
    rebuild = subprocess.Popen(kg_command("build", str(big), "-w", str(workspace), "-q", "-j", "2"),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        # Worker processes appear once extraction has started: that is "halfway".
        children = Path(f"/proc/{rebuild.pid}/task/{rebuild.pid}/children")
        wait_until(lambda: rebuild.poll() is None and children.read_text().strip(),
                   timeout=BUILD_TIMEOUT, what="the build to start extracting")
        failures, _ = run_load(base, load_urls(base), clients=8, requests=10)
        os.killpg(rebuild.pid, signal.SIGKILL)
        rebuild.wait(timeout=10)
    finally:
        if rebuild.poll() is None:
            os.killpg(rebuild.pid, signal.SIGKILL)
            rebuild.wait()
    assert failures == []
    assert stamp(workspace) == stamp_before
    with Workspace.open(workspace) as ws:
        assert not any(c.deck == "Generated deck" for c in ws.cards())
    status, tag, body = get(base, "/api/overview?top=5")
    assert status == 200 and tag == served[1] and body == served[2]
    found = json.loads(get(base, "/api/search?q=signal+retraining")[2])["cards"]
    assert not any(c["question"].startswith("What does signal") for c in found)
