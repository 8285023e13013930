"""`kg serve --workers 2`: two processes answer on one port, each swaps in a rebuilt workspace,
and none outlives the parent, whether it is stopped or killed.

The real server runs as a subprocess on 127.0.0.1; nothing here leaves the loopback interface.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

from kg.build import build

HOST = "127.0.0.1"
START_TIMEOUT = 60
REQUEST_TIMEOUT = 30
WORKER_HEADER = "X-KG-Worker"
BUILD_HEADER = "X-KG-Build"
NEW_QUESTION = "What is a zorblax quantizer?"
NEW_ANSWER = "A zorblax quantizer maps drift statistics onto a small codebook before alerting."


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def get(base: str, path: str):
    # A fresh connection each time, so the kernel may hand it to either worker.
    with urllib.request.urlopen(base + path, timeout=REQUEST_TIMEOUT) as response:
        return response.status, response.headers, response.read()


def wait_until(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def children(pid: int) -> set[int]:
    found = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as fh:
            found.update(int(p) for p in fh.read().split())
    return found


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.fixture()
def workspace(tmp_path, data_dir, nlp):
    deck = tmp_path / "deck"
    deck.mkdir()
    shutil.copy(data_dir / "web" / "drift-deck" / "monitoring.txt", deck / "monitoring.txt")
    folder = tmp_path / "ws"
    build([deck], workspace=folder, nlp=nlp)
    return deck, folder


def start(folder, tmp_path):
    port = free_port()
    log = open(tmp_path / "serve.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "-w", str(folder), "--host", HOST, "--port", str(port),
         "--workers", "2"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://{HOST}:{port}"

    def ready():
        assert process.poll() is None, (tmp_path / "serve.log").read_text()
        try:
            return get(base, "/api/overview?top=5")[0] == 200
        except OSError:
            return False

    wait_until(ready, timeout=START_TIMEOUT, what="the server to answer")
    return process, base, log


def workers_seen(base: str, path: str, *, rounds: int = 40) -> dict[str, set[str]]:
    """{worker: build tags it answered with} over `rounds` concurrent requests of `path`."""

    def one(_):
        status, headers, _ = get(base, path)
        assert status == 200
        return headers[WORKER_HEADER], headers[BUILD_HEADER]

    seen: dict[str, set[str]] = {}
    with ThreadPoolExecutor(8) as pool:
        for worker, tag in pool.map(one, range(rounds)):
            seen.setdefault(worker, set()).add(tag)
    return seen


def test_two_workers_answer_swap_in_a_rebuild_and_stop_with_the_parent(workspace, tmp_path, nlp):
    deck, folder = workspace
    process, base, log = start(folder, tmp_path)
    try:
        workers = children(process.pid)
        assert len(workers) == 1, "one forked worker besides the parent"
        seen = wait_until(lambda: (s := workers_seen(base, "/concept/drift")) and len(s) == 2 and s,
                          timeout=START_TIMEOUT, what="both workers to answer")
        old = set().union(*seen.values())
        assert len(old) == 1

        with open(deck / "monitoring.txt", "a", encoding="utf-8") as fh:
            fh.write(f"\nQ: {NEW_QUESTION}\nA: {NEW_ANSWER}\n")
        build([deck], workspace=folder, nlp=nlp)

        def both_swapped():
            s = workers_seen(base, "/api/search?q=zorblax")
            return len(s) == 2 and all(tags - old for tags in s.values())

        # A worker answers from the build it had while it loads the new one, then from the new.
        wait_until(both_swapped, timeout=START_TIMEOUT, what="both workers to serve the rebuild")
        # And the new build's pages, not the ones kept from the build before, from both.
        answers = {}
        for _ in range(40):
            _, headers, body = get(base, "/api/search?q=zorblax")
            answers.setdefault(headers[WORKER_HEADER], []).append(NEW_QUESTION.encode() in body)
        assert all(all(found) for found in answers.values()), answers
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
        log.close()
    assert process.returncode == 0, (tmp_path / "serve.log").read_text()
    wait_until(lambda: not any(alive(p) for p in workers), timeout=10, what="the workers to stop")


def test_workers_die_when_the_parent_is_killed(workspace, tmp_path):
    _, folder = workspace
    process, base, log = start(folder, tmp_path)
    try:
        workers = children(process.pid)
        assert workers and all(alive(p) for p in workers)
    finally:
        process.kill()
        process.wait(timeout=10)
        log.close()
    wait_until(lambda: not any(alive(p) for p in workers), timeout=10, what="the orphaned workers to die")
