"""kg's performance benchmark: build, rebuild, memory, serving and scaling on generated decks.

    python bench/bench.py --sizes 1000,5000,20000,100000
    python bench/bench.py --quick            # 1k and 5k: a smoke run

Every measurement is a whole process (`python -m kg ...`, or a `python -c` baseline), timed
from start to exit, model load included. Per size it prints one table row; at the end a
markdown table and the targets, and writes everything to bench/results/bench-<time>.json.
See bench/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import decks
import measure
import serving

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
DEFAULT_SIZES = (1000, 5000, 20000, 100000)
QUICK_SIZES = (1000, 5000)
TARGET_SIZE = 20000  # the size the build, rebuild and serving targets are stated for
LOAD_SIZE = 100000  # the size whose serving memory has its own target
SPEEDUP_SIZE = 5000  # where the one-process build is run for comparison
MAX_BUILD_RATIO = 1.1
MAX_REBUILD_SHARE = 0.02
MAX_BUILD_MB = 1.5 * 1024
MAX_SERVE_MB = 4 * 1024
MAX_P50_MS = 100
MAX_P95_MS = 300
MAX_NODES = 500
MAX_SETTLE_MS = 3000
MAX_READY_S = 3.0
SUPERLINEAR = 1.15  # log-log slope above this (noise allowed) counts as faster than linear

# What kg's extraction runs, read from kg itself so the baseline can never drift from it.
PROBE = r"""
import importlib, inspect, json, spacy
import kg.nlp.pipeline
build_module = importlib.import_module("kg.build")  # `kg.build` is also the re-exported function
from kg.nlp import extract, load_model
name = kg.nlp.pipeline.default_model_name()
kg_nlp = load_model(name)
print(json.dumps({
    "model": name,
    "spacy_version": spacy.__version__,
    "kg_components": kg_nlp.pipe_names,
    "spacy_components": [p for p in kg_nlp.pipe_names if not p.startswith("kg_")],
    "exclude": getattr(kg.nlp.pipeline, "EXCLUDED", []),
    "batch_size": inspect.signature(extract).parameters["batch_size"].default,
    "parallel_min_cards": getattr(build_module, "PARALLEL_MIN_CARDS", 0),
}))
"""

# Bare nlp.pipe over the texts kg pipes (each card's question and answer), nothing else.
# argv: texts.json model exclude.json batch_size n_process mode ("spacy" or "kg").
BARE = r"""
import json, sys
texts = json.load(open(sys.argv[1], encoding="utf-8"))
if sys.argv[6] == "kg":
    from kg.nlp import load_model
    nlp = load_model(sys.argv[2])
else:
    import spacy
    nlp = spacy.load(sys.argv[2], exclude=json.loads(sys.argv[3]))
for doc in nlp.pipe(texts, batch_size=int(sys.argv[4]), n_process=int(sys.argv[5])):
    pass
"""


def probe(work: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def deck_for(size: int, work: Path, sources) -> tuple[Path, dict]:
    """The generated collection of `size` cards, made once and reused while the generator is
    unchanged (the manifest records its version)."""
    folder = work / f"decks-{size}"
    manifest = folder / "manifest.json"
    if manifest.is_file():
        old = json.loads(manifest.read_text())
        if old.get("generator") == decks.GENERATOR_VERSION and old.get("cards") == size:
            return folder, old
    return folder, decks.generate(size, folder, sources=sources())


def write_texts(folder: Path, out: Path) -> int:
    """The texts kg sends to spaCy for these decks, as read by kg's own readers."""
    from kg.readers import read_decks

    cards = read_decks([folder]).cards
    texts = [t for c in cards for t in (c.question, c.answer)]
    out.write_text(json.dumps(texts), encoding="utf-8")
    return len(cards)


def kg_build(folder: Path, ws: Path, log: Path, *, n_process: int | None = None,
             fresh: bool = True) -> dict:
    if fresh:
        shutil.rmtree(ws, ignore_errors=True)
    cmd = [sys.executable, "-m", "kg", "build", str(folder), "--workspace", str(ws)]
    if n_process:
        cmd += ["--processes", str(n_process)]
    result = measure.run(cmd, log=log)
    result["report"] = _build_summary(log)
    return result


def _build_summary(log: Path) -> dict:
    """kg build's own summary line: cards, concepts, extracted / reused, its inner seconds."""
    import re

    text = log.read_text(errors="replace")
    m = re.search(r"^(built|updated|unchanged)\b.*?(\d+) cards? in (\d+) decks?, (\d+) concepts, (\d+) edges "
                  r"\((\d+) extracted, (\d+) from cache\) in ([\d.]+)s", text, re.MULTILINE)
    if not m:
        return {}
    keys = ("cards", "decks", "concepts", "edges", "extracted", "reused")
    return {**dict(zip(keys, map(int, m.groups()[1:7]))), "seconds": float(m.group(8)), "how": m.group(1)}


def bare(texts: Path, cfg: dict, log: Path, *, n_process: int, mode: str = "spacy") -> dict:
    cmd = [sys.executable, "-c", BARE, str(texts), cfg["model"], json.dumps(cfg["exclude"]),
           str(cfg["batch_size"]), str(n_process), mode]
    return measure.run(cmd, log=log)


def _median_run(runs: list[dict]) -> dict:
    best = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    return dict(best, runs_seconds=[r["seconds"] for r in runs])


def measure_size(size: int, args, cfg: dict, sources) -> dict:
    work = args.workdir
    folder, manifest = deck_for(size, work, sources)
    logs = work / "logs" / str(size)
    texts = work / f"texts-{size}.json"
    cards = write_texts(folder, texts)
    n_process = 2 if cfg["parallel_min_cards"] and cards >= cfg["parallel_min_cards"] else 1
    n_process = min(n_process, os.cpu_count() or 1)
    ws = work / f"ws-{size}"
    row = {"size": size, "cards": cards, "deck": manifest, "n_process": n_process}
    repeat = args.repeat or (3 if size <= 1000 else 2 if size <= 5000 else 1)

    # Side by side, alternating, so all feel the same load from the rest of the machine. kg
    # runs its own worker processes; the baseline is bare nlp.pipe in the best way spaCy offers
    # for this many processes: one process, and (where kg uses more) spaCy's own n_process.
    ways = sorted({1, n_process})
    bares: dict[int, list] = {j: [] for j in ways}
    builds = []
    for i in range(repeat):
        for j in ways:
            bares[j].append(bare(texts, cfg, logs / f"bare-j{j}-{i}.log", n_process=j))
        builds.append(kg_build(folder, ws, logs / f"build-{i}.log"))
    row["build"] = _median_run(builds)
    row["bare_by_processes"] = {str(j): _median_run(runs) for j, runs in bares.items()}
    best = min(ways, key=lambda j: row["bare_by_processes"][str(j)]["seconds"])
    row["bare"], row["bare_processes"] = row["bare_by_processes"][str(best)], best
    row["build_ratio"] = round(row["build"]["seconds"] / row["bare"]["seconds"], 3)
    row["build_ratio_by_bare_processes"] = {
        str(j): round(row["build"]["seconds"] / row["bare_by_processes"][str(j)]["seconds"], 3)
        for j in ways}
    # CPU seconds (workers included) feel the other users of the machine much less than wall.
    row["build_cpu_ratio"] = round(row["build"]["cpu_seconds"] / max(row["bare"]["cpu_seconds"], 0.01), 3)
    if size == args.speedup_size and not args.fast:
        row["kg_pipe"] = bare(texts, cfg, logs / "kg-pipe.log", n_process=1, mode="kg")
    if size == args.speedup_size and n_process > 1 and not args.fast:
        one = kg_build(folder, work / f"ws-{size}-j1", logs / "build-j1.log", n_process=1)
        row["one_process"] = {
            "build": one,
            "build_speedup": round(one["seconds"] / row["build"]["seconds"], 2),
            "build_cpu_seconds": [one["cpu_seconds"], row["build"]["cpu_seconds"]],
            "bare_spacy_speedup": round(row["bare_by_processes"]["1"]["seconds"]
                                        / row["bare_by_processes"][str(n_process)]["seconds"], 2),
        }
        shutil.rmtree(work / f"ws-{size}-j1", ignore_errors=True)

    unchanged = kg_build(folder, ws, logs / "rebuild-unchanged.log", fresh=False)
    edited, before = decks.edit_one_card(folder)
    try:
        one_card = kg_build(folder, ws, logs / "rebuild-one-card.log", fresh=False)
    finally:
        edited.write_text(before, encoding="utf-8")
    row["rebuild"] = {
        "unchanged": unchanged, "one_card": one_card,
        "share_of_build": round(one_card["seconds"] / row["build"]["seconds"], 4),
    }
    row["workspace_mb"] = round(sum(f.stat().st_size for f in ws.iterdir()) / measure.MB, 1)

    with serving.Server(ws, log=logs / "serve.log", threads=args.clients) as server:
        urls, sent = serving.endpoints(server.port)
        row["serve"] = {"ready_seconds": round(server.ready_seconds, 3), "nodes_sent": sent,
                        **serving.load(server.port, urls, per_endpoint=args.requests,
                                       clients=args.clients)}
        if not args.no_browser:
            row["browser"] = serving.browser(server, ["/", urls["concept"][0]],
                                             repeat=args.browser_repeat)
        row["serve"]["memory"] = server.memory()
    return row


def _fmt_row(r: dict) -> str:
    pages = r["serve"]["pages"]
    worst = max(pages.values(), key=lambda p: p["p95_ms"])
    settle = r.get("browser", {}).get("/", {}).get("settled_ms")
    bares = " / ".join(f"{b['seconds']:.1f}" for b in r["bare_by_processes"].values())
    return (
        f"| {r['cards']:,} | {r['build']['report'].get('concepts', '?'):,} "
        f"| {bares} "
        f"| {r['build']['seconds']:.1f} "
        f"| {r['build_ratio']:.2f} ({r['build_cpu_ratio']:.2f}) "
        f"| {r['rebuild']['one_card']['seconds']:.1f} ({100 * r['rebuild']['share_of_build']:.1f}%) "
        f"| {r['build']['max_rss_mb']:.0f} / {r['build']['peak_tree_pss_mb']:.0f} "
        f"| {r['serve']['memory']['peak_rss_mb']:.0f} | {r['serve']['ready_seconds']:.2f} "
        f"| {max(p['p50_ms'] for p in pages.values()):.0f} | {worst['p95_ms']:.0f} "
        f"| {r['serve']['nodes_sent']['overview']} / {r['serve']['nodes_sent']['concept_max']} "
        f"| {'-' if settle is None else f'{settle:.0f}'} |"
    )


HEADER = (
    "| cards | concepts | bare nlp.pipe s (1 process / spaCy n_process=2) | kg build s | ratio (CPU ratio) | rebuild 1 card s (share) "
    "| build MB (max proc / tree PSS) | serve MB | ready s | worst p50 ms | worst p95 ms "
    "| nodes sent (overview / concept) | settles ms (overview) |\n"
    "|" + "---|" * 13
)


def pages_table(rows: list[dict]) -> str:
    families = list(rows[-1]["serve"]["pages"])
    lines = ["| page | " + " | ".join(f"{r['cards']:,} p50 / p95 ms" for r in rows) + " |",
             "|---|" + "---|" * len(rows)]
    for f in families:
        cells = []
        for r in rows:
            p = r["serve"]["pages"].get(f)
            cells.append(f"{p['p50_ms']:.0f} / {p['p95_ms']:.0f}" if p else "-")
        lines.append(f"| {f} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def targets(rows: list[dict]) -> list[dict]:
    """Each target of the issue, checked at the size it is stated for (or the largest run)."""
    def at(size):
        exact = [r for r in rows if r["size"] == size]
        return exact[0] if exact else max(rows, key=lambda r: r["size"])

    t, big = at(TARGET_SIZE), at(LOAD_SIZE)
    pages = t["serve"]["pages"]
    found = [
        ("build / bare nlp.pipe", t["build_ratio"], MAX_BUILD_RATIO, t),
        ("rebuild one card / build", t["rebuild"]["share_of_build"], MAX_REBUILD_SHARE, t),
        ("build peak MB (largest process)", t["build"]["max_rss_mb"], MAX_BUILD_MB, t),
        ("build peak MB (tree PSS)", t["build"]["peak_tree_pss_mb"], MAX_BUILD_MB, t),
        ("serve MB", big["serve"]["memory"]["peak_rss_mb"], MAX_SERVE_MB, big),
        ("worst page p50 ms", max(p["p50_ms"] for p in pages.values()), MAX_P50_MS, t),
        ("worst page p95 ms", max(p["p95_ms"] for p in pages.values()), MAX_P95_MS, t),
        ("nodes sent by a page", max(t["serve"]["nodes_sent"]["overview"],
                                     t["serve"]["nodes_sent"]["concept_max"]), MAX_NODES, t),
        ("server ready s", t["serve"]["ready_seconds"], MAX_READY_S, t),
        ("failed requests", sum(p["errors"] for p in pages.values()), 0, t),
    ]
    if t.get("browser"):
        found.append(("overview settles ms", t["browser"]["/"]["settled_ms"], MAX_SETTLE_MS, t))
    return [{"target": name, "cards": row["cards"], "value": value, "limit": limit,
             "ok": value <= limit} for name, value, limit, row in found]


def scaling(rows: list[dict]) -> list[dict]:
    """Log-log slope of each cost between consecutive sizes: 1 is linear, 2 quadratic."""
    metrics = {
        "build s": lambda r: r["build"]["seconds"],
        "bare nlp.pipe s": lambda r: r["bare"]["seconds"],
        "build minus bare s": lambda r: max(0.01, r["build"]["seconds"] - r["bare"]["seconds"]),
        "rebuild one card s": lambda r: r["rebuild"]["one_card"]["seconds"],
        "build tree PSS MB": lambda r: r["build"]["peak_tree_pss_mb"],
        "serve MB": lambda r: r["serve"]["memory"]["peak_rss_mb"],
        "server ready s": lambda r: r["serve"]["ready_seconds"],
        "workspace MB": lambda r: r["workspace_mb"],
        **{f"{f} p50 ms": (lambda r, f=f: r["serve"]["pages"][f]["p50_ms"])
           for f in rows[-1]["serve"]["pages"]},
    }
    out = []
    rows = sorted(rows, key=lambda r: r["cards"])
    for name, get in metrics.items():
        for a, b in zip(rows, rows[1:]):
            try:
                slope = math.log(get(b) / get(a)) / math.log(b["cards"] / a["cards"])
            except (KeyError, ValueError, ZeroDivisionError):
                continue
            out.append({"metric": name, "from": a["cards"], "to": b["cards"],
                        "slope": round(slope, 2), "superlinear": slope > SUPERLINEAR})
    return out


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                  if line.startswith("model name")), platform.processor())
    mem = next(int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal"))
    return {"cpu": model, "cores": os.cpu_count(), "memory_gb": round(mem / 1024 ** 2, 1),
            "python": platform.python_version(), "platform": platform.platform(),
            "load_average_at_start": os.getloadavg()}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated deck sizes in cards")
    parser.add_argument("--quick", action="store_true", help=f"sizes {QUICK_SIZES} only")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "kg-bench",
                        help="where generated decks and workspaces go (reused between runs)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder for the JSON")
    parser.add_argument("--repeat", type=int, default=0,
                        help="runs of bare + build per size (default: 3 / 2 / 1 by size)")
    parser.add_argument("--requests", type=int, default=40, help="requests per page family")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--browser-repeat", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium timing")
    parser.add_argument("--speedup-size", type=int, default=SPEEDUP_SIZE,
                        help="size at which a one-process build is timed too")
    parser.add_argument("--fast", action="store_true",
                        help="skip the diagnostic runs (kg's own pipe, one-process build)")
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else tuple(int(s) for s in args.sizes.split(",") if s)
    args.workdir.mkdir(parents=True, exist_ok=True)

    cache = {}

    def sources():
        if "s" not in cache:
            cache["s"] = decks.load_sources()
        return cache["s"]

    cfg = probe(args.workdir)
    started = dt.datetime.now()
    result = {"started": started.isoformat(timespec="seconds"), "command": sys.argv,
              "machine": machine(), "pipeline": cfg, "sizes": []}
    args.results.mkdir(parents=True, exist_ok=True)
    out = args.results / f"bench-{started:%Y%m%d-%H%M%S}.json"
    print(HEADER, flush=True)
    for size in sizes:
        row = measure_size(size, args, cfg, sources)
        result["sizes"].append(row)
        print(_fmt_row(row), flush=True)
        rows = result["sizes"]
        result["targets"] = targets(rows)
        result["scaling"] = scaling(rows)
        result["seconds"] = round((dt.datetime.now() - started).total_seconds(), 1)
        # Written after every size, so a long run stopped half-way keeps what it measured.
        out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print()
    print(pages_table(rows))
    print()
    for t in result["targets"]:
        print(f"{'ok  ' if t['ok'] else 'MISS'} {t['target']:34} {t['value']:>10} "
              f"(limit {t['limit']}, {t['cards']:,} cards)")
    steep = [s for s in result["scaling"] if s["superlinear"]]
    for s in steep:
        print(f"grows faster than linear: {s['metric']} from {s['from']:,} to {s['to']:,} "
              f"cards (slope {s['slope']})")
    print(f"\nwrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
