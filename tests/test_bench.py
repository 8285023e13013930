"""The benchmark works end to end: its deck generator and one tiny run of bench/bench.py.

Timings are the benchmark's business; these tests assert only on what it writes."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from kg.readers import read_decks


def _generate(root, size, out, *extra):
    subprocess.run([sys.executable, str(root / "bench" / "decks.py"), str(size), str(out), *extra],
                   check=True, capture_output=True)
    return json.loads((out / "manifest.json").read_text())


def _words(folder) -> set[str]:
    return {w.lower() for f in folder.glob("deck-*.tsv") for w in re.findall(r"[A-Za-z]{4,}", f.read_text())}


def test_generated_decks_have_the_requested_cards_and_read_cleanly(root, tmp_path, shared_dir):
    manifest = _generate(root, 1200, tmp_path / "a")
    result = read_decks([tmp_path / "a"])
    assert not result.problems
    assert len(result.cards) == manifest["cards"] == 1200
    # 500 cards a deck: a large collection is many decks, as in real use.
    assert len({c.deck for c in result.cards}) == manifest["decks"] == 3
    assert str(shared_dir / "decks") in manifest["sources"]
    assert all(c.question and c.answer for c in result.cards)


def test_same_size_and_seed_give_the_same_decks(root, tmp_path):
    _generate(root, 300, tmp_path / "a")
    _generate(root, 300, tmp_path / "b")
    _generate(root, 300, tmp_path / "c", "--seed", "7")
    a, b, c = ((tmp_path / x / "deck-0001.tsv").read_bytes() for x in "abc")
    assert a == b
    assert a != c


def test_vocabulary_keeps_growing_with_the_deck_size(root, tmp_path):
    few = _generate(root, 500, tmp_path / "small")
    many = _generate(root, 5000, tmp_path / "large")
    small, large = _words(tmp_path / "small"), _words(tmp_path / "large")
    # Recombined sentences alone would saturate at the sources' vocabulary; coined words
    # keep it growing, like the square root of the text (Heaps' law) as in real collections.
    assert 2 < many["words_coined"] / few["words_coined"] < 10
    assert 1.2 * len(small) < len(large) < 10 * len(small)


@pytest.mark.slow
def test_a_tiny_benchmark_run_writes_every_measurement(root, tmp_path):
    # The smallest run that still goes through every stage (the browser timing aside, which
    # tests/test_browser.py covers): it proves the script works, not how fast kg is.
    results = tmp_path / "results"
    run = subprocess.run(
        [sys.executable, str(root / "bench" / "bench.py"), "--sizes", "150", "--repeat", "1",
         "--requests", "1", "--clients", "2", "--no-browser", "--fast",
         "--workdir", str(tmp_path / "work"), "--results", str(results)],
        capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    [written] = results.glob("bench-*.json")
    data = json.loads(written.read_text())
    [row] = data["sizes"]
    assert row["cards"] == 150
    assert row["build"]["report"]["extracted"] == 150
    assert row["bare"]["seconds"] > 0 and row["build_ratio"] > 0
    assert set(row["bare_by_processes"]) == {str(row["n_process"])} | {"1"}
    assert row["rebuild"]["unchanged"]["report"]["extracted"] == 0
    assert row["rebuild"]["one_card"]["report"] == dict(
        row["rebuild"]["one_card"]["report"], extracted=1, reused=149)
    assert row["build"]["max_rss_mb"] > 0 and row["serve"]["memory"]["peak_rss_mb"] > 0
    pages = row["serve"]["pages"]
    assert {"overview", "overview.json", "concept", "concept.json", "search", "search.json"} <= set(pages)
    assert all(p["n"] == 1 and p["p95_ms"] >= p["p50_ms"] > 0 for p in pages.values())
    assert 0 < row["serve"]["nodes_sent"]["overview"]
    assert "browser" not in row
    assert {t["target"] for t in data["targets"]} >= {"build / bare nlp.pipe", "serve MB"}
    assert "| 150 |" in run.stdout
