"""kg build on Dask: cards/s with 1 worker and with 2, the speed-up, and model loads.

    python bench/dask_build.py --cards 20000          # the Done-when run (2 free cores or more)
    python bench/dask_build.py --cards 2000           # a small run on a busy machine

Builds a generated collection (bench/decks.py) on a fresh `distributed.LocalCluster` of 1, then
2, single-threaded worker processes, each into a fresh workspace, and once on this machine alone
(`kg.build.build`, forked workers as `kg build` runs them) to check that the graphs are the same.
The clock runs around the build only: the cluster is started, and the model loaded on every
worker, before it (that time is printed apart, as `start_s`). `worker_cpu_s` is the CPU time the
workers spent in the build, a figure less sensitive to other load on the machine than the wall
clock; `coordinator_cpu_s` the CPU time of this process (reading, the cache, the scheduler of a
LocalCluster, drawing the graph, writing the workspace). Results go to bench/results/dask-<time>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import time
from pathlib import Path

import decks
from dask.utils import key_split
from distributed import get_task_stream

from kg.build import build
from kg.cluster import ClusterSession
from kg.phases import table
from kg.workspace import load_graph

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
RANKED = ("importance", "community")
IMPORTANCE_TOLERANCE = 1e-9


def graph_differences(single, clustered, *, limit: int = 5) -> list[str]:
    """What differs between two graphs: counts and links exactly, importance within
    IMPORTANCE_TOLERANCE, communities exactly."""
    found = []
    if list(single.nodes) != list(clustered.nodes):
        found.append(f"nodes differ: {single.number_of_nodes()} vs {clustered.number_of_nodes()}")
    for node, attrs in single.nodes(data=True):
        other = clustered.nodes.get(node) if node in clustered else None
        if other is None:
            continue
        plain = {k: v for k, v in attrs.items() if k not in RANKED}
        if plain != {k: v for k, v in other.items() if k not in RANKED}:
            found.append(f"{node}: attributes differ")
        elif attrs["kind"] == "concept" and (attrs["community"] != other["community"] or
                                             abs(attrs["importance"] - other["importance"]) > IMPORTANCE_TOLERANCE):
            found.append(f"{node}: importance or community differ")
    edges = sorted(single.edges(keys=True, data=True), key=lambda e: e[:3])
    if edges != sorted(clustered.edges(keys=True, data=True), key=lambda e: e[:3]):
        found.append(f"edges differ: {len(edges)} vs {clustered.number_of_edges()}")
    return found[:limit]


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


def dask_run(deck: Path, workers: int, workdir: Path, partitions: int | None) -> dict:
    workspace = workdir / f"ws-dask-{workers}"
    shutil.rmtree(workspace, ignore_errors=True)
    started = time.perf_counter()
    with ClusterSession(f"local:{workers}", partitions=partitions) as session:
        session.client  # connects, and loads the model on every worker
        start_s = time.perf_counter() - started
        cpu_before = session.client.run(_cpu_seconds)
        began, own_cpu = time.perf_counter(), time.process_time()
        with get_task_stream(session.client) as stream:
            report = build([deck], workspace=workspace, scheduler=session)
        seconds, own_cpu = time.perf_counter() - began, time.process_time() - own_cpu
        cpu = sum(session.client.run(_cpu_seconds)[w] - before for w, before in cpu_before.items())
        loads = session.model_loads()
        extracted = session.cards_extracted()
        used = session.partitions_for(report.cards)
    return {
        "workers": workers, "partitions": used, "start_s": round(start_s, 2), "build_s": round(seconds, 2),
        "cards_per_s": round(report.cards / seconds, 1), "worker_cpu_s": round(cpu, 2),
        "cards_per_worker_cpu_s": round(report.cards / cpu, 1), "coordinator_cpu_s": round(own_cpu, 2),
        "model_loads": sum(loads.values()), "loads_by_worker": sorted(loads.values()),
        "cards_by_worker": sorted(extracted.values()), "concepts": report.concepts, "edges": report.edges,
        "workspace": str(workspace), "phases": {k: round(v, 2) for k, v in report.phases.items()},
        "phases_cpu": {k: round(v, 2) for k, v in report.phases.cpu.items()},
        "tasks": task_seconds(stream.data),
    }


def task_seconds(records: list[dict]) -> dict[str, float]:
    """Seconds the workers spent computing, per task function (the prefix of a task's key), and
    fetching its inputs from other workers ("(transfer)")."""
    found: dict[str, float] = {}
    for record in records:
        name = key_split(record["key"])
        for part in record["startstops"]:
            what = name if part["action"] == "compute" else f"{name} ({part['action']})"
            found[what] = found.get(what, 0.0) + part["stop"] - part["start"]
    return {k: round(v, 2) for k, v in sorted(found.items(), key=lambda kv: -kv[1])}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=20000, help="cards in the generated collection")
    parser.add_argument("--workers", default="1,2", help="worker counts to run, comma-separated")
    parser.add_argument("--partitions", type=int, default=None, help="partitions (default: kg's own)")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kg-bench"))
    parser.add_argument("--no-compare", action="store_true", help="skip the single-machine build")
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder for the JSON")
    args = parser.parse_args(argv)

    deck = args.workdir / f"decks-{args.cards}"
    manifest = deck / "manifest.json"
    if not (manifest.is_file() and json.loads(manifest.read_text())["cards"] == args.cards
            and json.loads(manifest.read_text())["generator"] == decks.GENERATOR_VERSION):
        decks.generate(args.cards, deck)
    result = {"cards": args.cards, "cpus": os.cpu_count(), "load_before": os.getloadavg(),
              "time": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "runs": []}
    for workers in [int(w) for w in args.workers.split(",")]:
        run = dask_run(deck, workers, args.workdir, args.partitions)
        result["runs"].append(run)
        print(f"{workers} worker(s): {run['cards_per_s']} cards/s ({run['build_s']} s build, "
              f"{run['start_s']} s start, {run['partitions']} partitions, worker CPU {run['worker_cpu_s']} s, "
              f"this process's CPU {run['coordinator_cpu_s']} s), "
              f"model loads {run['model_loads']} {run['loads_by_worker']}, cards by worker {run['cards_by_worker']}",
              flush=True)
        print(table(run["phases"], run["build_s"], run["phases_cpu"]), flush=True)
        print("on the workers: " + ", ".join(f"{k} {v} s" for k, v in run["tasks"].items()), flush=True)
    first, last = result["runs"][0], result["runs"][-1]
    if len(result["runs"]) > 1:
        result["speedup"] = round(last["cards_per_s"] / first["cards_per_s"], 2)
        print(f"speed-up {last['workers']} vs {first['workers']} worker(s): {result['speedup']}x")
    if not args.no_compare:
        workspace = args.workdir / "ws-single"
        shutil.rmtree(workspace, ignore_errors=True)
        began = time.perf_counter()
        report = build([deck], workspace=workspace)
        result["single_machine"] = {"build_s": round(time.perf_counter() - began, 2),
                                    "cards_per_s": round(report.cards / (time.perf_counter() - began), 1)}
        single = load_graph(workspace)
        result["differences"] = {run["workers"]: graph_differences(single, load_graph(run["workspace"]))
                                 for run in result["runs"]}
        same = not any(result["differences"].values())
        result["same_graph"] = same
        print(f"single machine (kg build): {result['single_machine']['cards_per_s']} cards/s; "
              f"same graph: {same} {'' if same else result['differences']}")
    result["load_after"] = os.getloadavg()
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"dask-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"load average {result['load_before'][0]:.1f} -> {result['load_after'][0]:.1f}; written {out}")
    return 0 if result.get("same_graph", True) else 1


if __name__ == "__main__":
    sys.exit(main())
