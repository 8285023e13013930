"""Serving from a store: a (synthetic) workspace loaded with `kg load-postgres` into a
temporary PostgreSQL server (or with `kg load-sqlite` into a store file, `--backend sqlite`),
then `kg serve --workspace postgresql://…` (`sqlite:FILE`) under 8 clients.

    python bench/postgres_serving.py /tmp/store-bench/src --cards 100000 --workers 2
    python bench/postgres_serving.py /tmp/store100k/ws --backend sqlite --workers 2

Starts its own server as tests/postgres.py does (Debian's binaries, a temporary cluster, a free
loopback port, the password in a .pgpass file). Prints JSON: the load's time and peak memory,
latency per JSON page family (as `bench/serving.py` measures it) and the memory of every
serving process.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.store.load import STORE_FILE
from measure import MB, TreeSampler
from serving import Server, _json, endpoints, load, q

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from postgres import running_server  # noqa: E402  (the tests' throwaway PostgreSQL server)

#: Page families a store-backed server answers (its HTML pages send the browser to these).
JSON_FAMILIES = ("overview.json", "concept.json", "card.json", "search.json", "suggest.json")
PATHS = 3


def _load(*args: str) -> dict:
    """Time `kg ARGS` (a load) and sample its peak memory."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kg", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    sampler = TreeSampler(proc.pid).start()
    out, _ = proc.communicate()
    sampler.stop()
    if proc.returncode:
        raise RuntimeError(out.decode(errors="replace"))
    return {"seconds": round(time.perf_counter() - started, 1), "peak_rss_mb": round(sampler.peak_rss / MB, 1),
            "said": out.decode().strip()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workspace", type=Path, help="a built workspace (the synthetic source)")
    parser.add_argument("--cards", type=int, default=0, help="synthesize this many cards from it first")
    parser.add_argument("--backend", choices=("postgres", "sqlite"), default="postgres",
                        help="load into a temporary PostgreSQL server, or a store file in the workspace")
    parser.add_argument("--requests", type=int, default=40, help="requests per page family")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--shared-buffers", default="512MB")
    parser.add_argument("--stream", action="store_true",
                        help="load with --stream: the workspace read from its file, not held (as past half the free memory)")
    parser.add_argument("--log", type=Path, default=Path("/tmp/kg-pg-serving.log"))
    parser.add_argument("--database", help="serve this already loaded store (the serving role's "
                        "postgresql://ROLE@… URL, or sqlite:FILE) instead of loading WORKSPACE")
    args = parser.parse_args()
    workspace = args.workspace
    row: dict = {}
    if args.database:
        row.update(_serve(args.database, args))
        print(json.dumps(row, indent=1))
        return
    if args.cards:
        from synthetic import synthesize

        workspace = Path(tempfile.mkdtemp(prefix="kg-pg-synthetic-")) / "ws"
        row["synthetic"] = synthesize(args.workspace, args.cards, workspace)
    if args.backend == "sqlite":
        row["load"] = _load("load-sqlite", str(workspace), *(["--stream"] if args.stream else []))
        row.update(_serve(f"sqlite:{workspace / STORE_FILE}", args))
    else:
        with tempfile.TemporaryDirectory() as private, \
                running_server(Path(private), shared_buffers=args.shared_buffers) as pg:
            row["load"] = _load("load-postgres", str(workspace), pg.url(), "--grant-to", pg.reader,
                                *(["--stream"] if args.stream else []))
            row.update(_serve(pg.url(pg.reader), args))
    row["workspace"] = str(workspace)
    print(json.dumps(row, indent=1))


def _serve(database: str, args) -> dict:
    with Server(database, log=args.log, threads=args.clients, workers=args.workers) as server:
        urls, sent = endpoints(server.port)
        urls = {k: v for k, v in urls.items() if k in JSON_FAMILIES}
        labels = [c["label"] for c in _json(server.port, f"/api/overview?top={2 * PATHS}")["concepts"]]
        urls["path.json"] = [f"/api/path?from={q(a)}&to={q(b)}" for a, b in zip(labels[::2], labels[1::2])]
        row = {"ready_seconds": round(server.ready_seconds, 3), "nodes_sent": sent,
               **load(server.port, urls, per_endpoint=args.requests, clients=args.clients)}
        row["memory"] = server.memory()
    row["load_average"] = os.getloadavg()
    return row


if __name__ == "__main__":
    main()
