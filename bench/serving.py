"""Serving measurements: `kg serve` as a real process on loopback, a bounded load from a thread
pool, and the overview drawn by headless Chromium."""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from measure import MB, TreeSampler, _pss, _rss, descendants

HOST = "127.0.0.1"
READY_TIMEOUT = 120.0
POLL_SECONDS = 0.02
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
BROWSER_TIMEOUT_MS = 60_000
FREE_TEXT_QUERIES = ("how to monitor model training", "pipeline")
#: Rounds of the cold concept pass, each over `clients` concepts nobody has opened yet.
COLD_ROUNDS = 4

# Records, in page time (ms since navigation start), when the graph holder is marked ready and
# when vis-network reports `stabilized` (only fires when the page runs physics).
_PAGE_HOOK = """
window.__kgBench = {};
new MutationObserver(function (records) {
  records.forEach(function (r) {
    if (r.attributeName === "data-ready" && !window.__kgBench.ready) {
      window.__kgBench.ready = performance.now();
    }
  });
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-ready"]});
Object.defineProperty(window, "kgNetwork", {
  configurable: true,
  get: function () { return window.__kgNet; },
  set: function (net) {
    window.__kgNet = net;
    net.on("stabilized", function () {
      if (!window.__kgBench.stabilized) window.__kgBench.stabilized = performance.now();
    });
  },
});
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """`kg serve` on a free loopback port, with the time until its first 200 on `/`."""

    def __init__(self, workspace: Path, *, log: Path, threads: int = 8, workers: int | None = None):
        self.port = free_port()
        self.log = log
        self.cmd = [sys.executable, "-m", "kg", "serve", "--workspace", str(workspace),
                    "--host", HOST, "--port", str(self.port), "--threads", str(threads)]
        if workers is not None:
            self.cmd += ["--workers", str(workers)]

    def __enter__(self) -> "Server":
        self._out = open(self.log, "wb")
        started = time.perf_counter()
        self.proc = subprocess.Popen(self.cmd, stdout=self._out, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        self.sampler = TreeSampler(self.proc.pid).start()
        deadline = started + READY_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"kg serve exited {self.proc.returncode}:\n"
                                   + self.log.read_text(errors="replace")[-2000:])
            try:
                status, _, _ = get(self.port, "/", timeout=READY_TIMEOUT)
                if status == 200:
                    break
            except OSError:
                pass
            if time.perf_counter() > deadline:
                raise RuntimeError(f"kg serve gave no 200 on / within {READY_TIMEOUT:.0f}s")
            time.sleep(POLL_SECONDS)
        self.ready_seconds = time.perf_counter() - started
        self.rss_after_ready_mb = round(self.sampler.last_rss / MB, 1)
        return self

    def __exit__(self, *exc) -> None:
        self.sampler.stop()
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._out.close()

    def memory(self) -> dict:
        """The tree's memory (summed over its processes), and each process's now: with several
        workers RSS counts the pages they share once per process, PSS splits them."""
        pids = descendants(self.proc.pid)
        return {"rss_after_ready_mb": self.rss_after_ready_mb,
                "peak_rss_mb": round(self.sampler.peak_rss / MB, 1),
                "peak_pss_mb": round(self.sampler.peak_pss / MB, 1),
                "processes": len(pids),
                "per_process": [{"rss_mb": round(_rss(p) / MB, 1), "pss_mb": round(_pss(p) / MB, 1)}
                                for p in pids]}

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"


def get(port: int, path: str, *, timeout: float = 60, conn=None):
    """(status, body bytes, Server-Timing header) of GET `path`; reuses `conn` when given."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, body, resp.getheader("Server-Timing")
    finally:
        if own:
            conn.close()


def _json(port: int, path: str) -> dict:
    status, body, _ = get(port, path)
    if status != 200:
        raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
    return json.loads(body)


def scoped(path: str, scope: str) -> str:
    """`path` with the scope's query (`deck=…&tag=…`) added, if there is one."""
    return path if not scope else path + ("&" if "?" in path else "?") + scope


def endpoints(port: int, *, seed: int = 1, scope: str = "") -> tuple[dict[str, list[str]], dict]:
    """The URLs to load, by page family, and how many graph nodes each JSON twin sends; with
    `scope` (a query such as `deck=Deck+0001`), every URL asks for that scope."""
    rng = random.Random(seed)

    def look(path):  # every look-up is in the scope
        return _json(port, scoped(path, scope))

    overview = look("/api/overview?view=concepts")
    concepts = [c["id"].partition(":")[2] for c in overview.get("concepts", [])]
    if not concepts:
        raise RuntimeError("the overview lists no concepts: nothing to benchmark")
    # The most important concepts have the largest pages; add a few ordinary ones.
    picked = concepts[:3] + rng.sample(concepts[3:], min(3, max(0, len(concepts) - 3)))
    labels = [c["label"] for c in overview["concepts"][:3]]
    details = [look(f"/api/concept/{q(slug)}") for slug in picked]
    cards = [c["id"].partition(":")[2] for d in details for c in d.get("card_list", [])[:1]]
    queries = labels + list(FREE_TEXT_QUERIES)
    urls = {
        "overview": ["/"],
        "overview.json": ["/api/overview"],
        "concept": [f"/concept/{q(s)}" for s in picked],
        "concept.json": [f"/api/concept/{q(s)}" for s in picked],
        "search": [f"/search?q={q(t)}" for t in queries],
        "search.json": [f"/api/search?q={q(t)}" for t in queries],
        "card": [f"/card/{q(c)}" for c in cards],
        "card.json": [f"/api/card/{q(c)}" for c in cards],
        "suggest.json": [f"/api/suggest?q={q(t[:4])}" for t in labels],
    }
    sent = {
        "overview": len(overview.get("graph", {}).get("nodes", [])),
        "concept_max": max(len(d.get("graph", {}).get("nodes", [])) for d in details),
        "card_max": max((len(look(f"/api/card/{q(c)}").get("graph", {}).get("nodes", []))
                         for c in cards), default=0),
        "concepts_total": overview.get("total_concepts"),
    }
    if scope:
        urls["overview.map"] = ["/?view=map"]
        urls["community.json"] = [f"/api/community/{c['id']}" for c in overview.get("communities", [])[:3]]
    return {k: [scoped(u, scope) for u in v] for k, v in urls.items() if v}, sent


def q(text: str) -> str:
    return urllib.parse.quote(text, safe="")


def load(port: int, urls: dict[str, list[str]], *, per_endpoint: int, clients: int) -> dict:
    """Latency per page family: one cold pass, then `per_endpoint` requests of each family
    shuffled over `clients` concurrent keep-alive connections."""
    cold, failed = {}, {}
    for family, paths in urls.items():
        for path in paths:
            t = time.perf_counter()
            status, _, _ = get(port, path)
            cold.setdefault(family, []).append((time.perf_counter() - t) * 1000)
            if status != 200:
                # Reported, not fatal: one broken page must not hide the others' numbers.
                failed.setdefault(family, set()).add(f"{path} -> {status}")
    jobs = [(family, paths[i % len(paths)]) for family, paths in urls.items()
            for i in range(per_endpoint)]
    random.Random(7).shuffle(jobs)
    local = threading.local()

    def one(job):
        family, path = job
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection(HOST, port, timeout=120)
        t = time.perf_counter()
        try:
            status, _, timing = get(port, path, conn=conn)
        except (OSError, http.client.HTTPException):
            # The server may close an idle keep-alive connection: reconnect once.
            conn.close()
            conn = local.conn = http.client.HTTPConnection(HOST, port, timeout=120)
            t = time.perf_counter()
            status, _, timing = get(port, path, conn=conn)
        return family, status, (time.perf_counter() - t) * 1000, _server_ms(timing)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(one, jobs))
    wall = time.perf_counter() - started
    by_family: dict[str, list] = {}
    errors: dict[str, int] = {}
    for family, status, ms, server_ms in results:
        errors[family] = errors.get(family, 0) + (status != 200)
        by_family.setdefault(family, []).append((ms, server_ms))
    summary = {}
    for family, rows in by_family.items():
        client = sorted(r[0] for r in rows)
        server = sorted(r[1] for r in rows if r[1] is not None)
        summary[family] = {
            "n": len(client),
            "p50_ms": round(statistics.median(client), 1),
            "p95_ms": round(_pct(client, 95), 1),
            "max_ms": round(client[-1], 1),
            "cold_ms": round(max(cold[family]), 1),
            "server_p50_ms": round(statistics.median(server), 1) if server else None,
            "errors": errors[family],
            "failed": sorted(failed.get(family, ())),
        }
    return {"clients": clients, "requests": len(jobs), "seconds": round(wall, 2),
            "throughput_rps": round(len(jobs) / wall, 1), "pages": summary,
            "cold_concepts": cold_concepts(port, urls, clients=clients)}


def cold_concepts(port: int, urls: dict[str, list[str]], *, clients: int, rounds: int = COLD_ROUNDS) -> dict:
    """Concept pages nobody has opened yet, `clients` at once: each client opens its own concept
    page, then its JSON twin; `rounds` times over fresh concepts.

    The concepts are the overview's most important ones after those the server draws ahead
    (`kg.web.graph.WARM_CONCEPTS`) and those `urls` already visited: the pages a visitor
    clicks first, and the largest neighbourhoods, so the worst cold case.
    """
    from kg.web.graph import WARM_CONCEPTS

    seen = {urllib.parse.unquote(u.rpartition("/")[2]) for u in urls.get("concept.json", [])}
    wanted = WARM_CONCEPTS + len(seen) + clients * rounds
    overview = _json(port, f"/api/overview?top={wanted}")
    fresh = [c["id"].partition(":")[2] for c in overview.get("concepts", [])[WARM_CONCEPTS:]]
    fresh = [s for s in fresh if s not in seen]
    batches = [fresh[i:i + clients] for i in range(0, clients * rounds, clients)]
    batches = [b for b in batches if b]
    rows: dict[str, list[tuple[float, float | None]]] = {"concept": [], "concept.json": []}
    errors = 0

    def one(slug):
        out = []
        conn = http.client.HTTPConnection(HOST, port, timeout=120)
        try:
            for family, path in (("concept", f"/concept/{q(slug)}"), ("concept.json", f"/api/concept/{q(slug)}")):
                t = time.perf_counter()
                status, _, timing = get(port, path, conn=conn)
                out.append((family, status, (time.perf_counter() - t) * 1000, _server_ms(timing)))
        finally:
            conn.close()
        return out

    with ThreadPoolExecutor(clients) as pool:
        for batch in batches:
            # All of a round's clients start together, as when several visitors click at once.
            for family, status, ms, server_ms in itertools.chain.from_iterable(pool.map(one, batch)):
                # A store-backed server sends the browser from a concept page to its JSON twin
                # (302): an answer, not an error.
                errors += status not in (200, 302)
                rows[family].append((ms, server_ms))
    pages = {}
    for family, got in rows.items():
        client = sorted(r[0] for r in got)
        server = sorted(r[1] for r in got if r[1] is not None)
        if not client:
            continue
        pages[family] = {
            "n": len(client),
            "p50_ms": round(statistics.median(client), 1), "p95_ms": round(_pct(client, 95), 1),
            "max_ms": round(client[-1], 1),
            "server_p50_ms": round(statistics.median(server), 1) if server else None,
            "server_p95_ms": round(_pct(server, 95), 1) if server else None,
        }
    return {"clients": clients, "rounds": len(batches), "concepts": sum(map(len, batches)),
            "errors": errors, "pages": pages}


def _pct(sorted_values: list[float], p: float) -> float:
    k = (len(sorted_values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def _server_ms(header: str | None) -> float | None:
    # Server-Timing: app;dur=12.3 -- used when the app sends it, else client time stands in.
    if not header:
        return None
    for part in header.split(";"):
        if part.strip().startswith("dur="):
            try:
                return float(part.strip()[4:])
            except ValueError:
                return None
    return None


def browser(server: Server, paths: list[str], *, repeat: int = 3) -> dict:
    """Time from navigation until the graph is drawn (the page's `data-ready`), per page."""
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for path in paths:
                runs = []
                for _ in range(repeat):
                    context = chromium.new_context()
                    page = context.new_page()
                    page.add_init_script(_PAGE_HOOK)
                    page.goto(server.url(path), wait_until="commit")
                    page.wait_for_selector('#graph[data-ready="true"]', state="attached",
                                           timeout=BROWSER_TIMEOUT_MS)
                    marks = page.evaluate("window.__kgBench")
                    settled = max(v for v in (marks.get("ready"), marks.get("stabilized")) if v)
                    runs.append(settled)
                    context.close()
                out[path] = {"settled_ms": round(statistics.median(runs), 1),
                             "runs_ms": [round(r, 1) for r in runs]}
        finally:
            chromium.close()
    return out


def main() -> None:
    """Serve one workspace and print its serving figures as JSON (no build, no browser)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--requests", type=int, default=40, help="requests per page family")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--workers", type=int, default=None,
                        help="`kg serve --workers` (default: kg serve's own default)")
    parser.add_argument("--log", type=Path, default=Path("/tmp/kg-serving.log"))
    parser.add_argument("--scope", default="", help="query every page asks for, e.g. 'deck=Deck+0001&tag=x'")
    args = parser.parse_args()
    with Server(args.workspace, log=args.log, threads=args.clients, workers=args.workers) as server:
        urls, sent = endpoints(server.port, scope=args.scope)
        row = {"ready_seconds": round(server.ready_seconds, 3), "nodes_sent": sent,
               **load(server.port, urls, per_endpoint=args.requests, clients=args.clients)}
        row["memory"] = server.memory()
    print(json.dumps(row, indent=1))


if __name__ == "__main__":
    main()
