"""Live decks, save to visible: `kg serve --watch` on a generated collection, one card edited per
round, and the time from the save until

* `status`: `/api/status` says the watcher's update is the graph this server serves (what the
  open pages poll for),
* `search`: `/api/search` finds the edited card by the word the edit added,
* `notice`: (with `--browser`) the "1 card changed" notice shows in Chromium on an open page
  (live.js polls once a second, so this adds up to a second to `status`).

    python bench/watch.py 5000                  # decks and workspace in /tmp/kg-bench-watch
    python bench/watch.py 20000 --rounds 5 --browser
    python bench/watch.py 5000 --cpu            # CPU seconds of each step, in one process

Each edit appends a made-up word to one card's answer (a different card and file each round),
written in place as an editor saves. The watcher's own log line per update (`updated in`) is
the build part alone. The JSON result goes to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from serving import CHROMIUM, CHROMIUM_ARGS, HOST, free_port  # noqa: E402

POLL_SECONDS = 0.02
TIMEOUT = 60.0


def get_json(base: str, path: str):
    with urllib.request.urlopen(base + path, timeout=60) as response:
        return json.load(response)


def made_up_word(base: str, rng: random.Random) -> str:
    """A word no card has, nor anything a fuzzy search for it would find."""
    while True:
        word = "".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(4))
        if not found(base, word):
            return word


def found(base: str, word: str) -> bool:
    return bool(get_json(base, "/api/search?q=" + urllib.parse.quote(word))["cards"])


def wait(condition, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return time.monotonic()
        time.sleep(POLL_SECONDS)
    raise TimeoutError("no answer within %ss" % timeout)


def ensure_workspace(size: int, work: Path) -> tuple[Path, Path]:
    decks, ws = work / f"decks-{size}", work / f"ws-{size}"
    if not decks.is_dir():
        # The real decks beside the repository are sources too (KG_SHARED_DIR, as bench.py).
        subprocess.run([sys.executable, str(HERE / "decks.py"), str(size), str(decks)], check=True)
    subprocess.run([sys.executable, "-m", "kg", "build", str(decks), "-w", str(ws), "-q"], check=False)
    return decks, ws


def edit(deck: Path, row: int, word: str) -> None:
    """Append `word` to the answer of the `row`th card of a TSV deck, rewriting the file in place."""
    lines = deck.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[row] = lines[row].rstrip("\n") + f" The {word} gauge watches it.\n"
    with open(deck, "w", encoding="utf-8") as fh:
        fh.write("".join(lines))


def cpu_breakdown(decks: Path, ws: Path, rounds: int) -> dict:
    """CPU seconds (less sensitive to a busy machine than wall time) of the steps on the way from
    a save to a served page, run in this process: the watcher's update (model loaded, decks read,
    the last update's counts carried over), then what every serving process does with the new
    workspace: load the graph, build the search index."""
    from kg.search import search_index
    from kg.watch import DeckWatcher
    from kg.workspace import Workspace

    watcher = DeckWatcher([decks], workspace=ws)
    watcher.rebuild(None)
    files = sorted(decks.glob("*.tsv"))
    rng, steps = random.Random(), {"update": [], "load": [], "index": []}
    for n in range(rounds + 1):  # the first update reads the counts back: not kept
        deck = files[(n * 7 + 3) % len(files)]
        edit(deck, 5 + n, "".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(4)))
        cpu = time.process_time()
        watcher.rebuild([deck])
        update = time.process_time() - cpu
        cpu = time.process_time()
        with Workspace.open(ws) as opened:
            G = opened.graph()
        load = time.process_time() - cpu
        cpu = time.process_time()
        search_index(G)
        index = time.process_time() - cpu
        if n:
            for key, value in (("update", update), ("load", load), ("index", index)):
                steps[key].append(round(value, 3))
        del G
    return {key: {"median": statistics.median(v), "all": v} for key, v in steps.items()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("size", type=int)
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-watch"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--browser", action="store_true", help="also time the notice in Chromium")
    parser.add_argument("--cpu", action="store_true", help="only the CPU seconds of each step, in-process")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    decks, ws = ensure_workspace(args.size, args.work)
    if args.cpu:
        print(json.dumps({"size": args.size, "cpu_seconds": cpu_breakdown(decks, ws, args.rounds),
                          "load_average": os.getloadavg()}, indent=2))
        return 0
    files = sorted(decks.glob("*.tsv"))
    port = free_port()
    log_path = args.work / f"serve-{args.size}.log"
    log = open(log_path, "wb")
    started = time.monotonic()
    server = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--watch", str(decks), "-w", str(ws),
                               "--host", HOST, "--port", str(port), "--workers", str(args.workers)],
                              stdout=log, stderr=subprocess.STDOUT)
    base = f"http://{HOST}:{port}"
    result = {"size": args.size, "workers": args.workers, "rounds": []}
    browser = page = playwright = None
    rng = random.Random()
    try:
        def ready():
            try:
                s = get_json(base, "/api/status")
            except OSError:
                return False
            return s.get("state") == "ready" and s.get("latest")

        result["ready_seconds"] = round(wait(ready, timeout=600) - started, 2)
        if args.browser:
            from playwright.sync_api import sync_playwright

            playwright = sync_playwright().start()
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
        for n in range(args.rounds):
            before = get_json(base, "/api/status")["generation"]
            word = made_up_word(base, rng)
            if page is not None:
                page.goto(base + "/search?q=gauge")
                page.wait_for_timeout(1200)  # live.js has polled once: the page knows its build
            deck = files[(n * 7) % len(files)]
            edit(deck, 3 + n, word)
            saved, saved_wall = time.monotonic(), time.time()
            status_at = wait(lambda: (s := get_json(base, "/api/status"))["generation"] > before and s["latest"])
            search_at = wait(lambda: found(base, word))
            status = get_json(base, "/api/status")
            # When the watcher wrote its status: the update itself, debounce and reading included.
            row = {"written": round(status["updated_at"] - saved_wall, 3), "status": round(status_at - saved, 3),
                   "search": round(search_at - saved, 3), "changed": status["changed"]}
            if page is not None:
                page.locator("#live-notice").get_by_text("card changed").wait_for(timeout=TIMEOUT * 1000)
                row["notice"] = round(time.monotonic() - saved, 3)
            result["rounds"].append(row)
            print(json.dumps(row), file=sys.stderr)
            time.sleep(1.0)
    finally:
        if browser is not None:
            browser.close()
            playwright.stop()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    for key in ("written", "status", "search", "notice"):
        values = [r[key] for r in result["rounds"] if key in r]
        if values:
            result[key] = {"median": round(statistics.median(values), 3), "max": max(values)}
    updates = [line for line in log_path.read_text().splitlines() if "updated in" in line]
    result["watcher_updates"] = updates
    result["load_average"] = os.getloadavg()
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
