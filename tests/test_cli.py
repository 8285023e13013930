"""The `kg` command as a user runs it: real workspace, real output, documented exit statuses."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from click.testing import CliRunner

from kg.cli import EXIT_PARTIAL, cli


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result


def test_python_dash_m_kg_prints_help_with_exit_statuses():
    out = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True, text=True,
                         check=True).stdout
    assert "Exit status" in out and "build" in out and "serve" in out


def test_concepts_lists_the_deck_s_main_ideas(bundled_workspace):
    result = run("concepts", "--top", "200", "-w", bundled_workspace)
    assert result.exit_code == 0
    text = result.output.lower()
    for concept in ("mlops", "vertex ai", "concept drift", "feature store"):
        assert concept in text


def test_concepts_says_what_a_common_word_counts_for_when_it_ranks_below_its_cards(bundled_workspace):
    rows = json.loads(run("concepts", "--top", "40", "--json", "-w", bundled_workspace).output)
    demoted = [r for r in rows if r["ranked_cards"] < r["cards"] - 0.05]
    assert demoted and [r["ranked_cards"] for r in rows] == sorted((r["ranked_cards"] for r in rows), reverse=True)
    text = run("concepts", "--top", "40", "-w", bundled_workspace).output
    line = next(l for l in text.splitlines() if l.split(None, 1)[1].startswith(demoted[0]["label"]))
    assert f"counts as {demoted[0]['ranked_cards']:.1f}: a common English word" in line


def test_search_json_gives_ranked_cards_with_the_documented_fields(bundled_workspace):
    result = run("search", "drift", "--json", "--limit", "5", "-w", bundled_workspace)
    assert result.exit_code == 0
    cards = json.loads(result.output)
    assert 1 <= len(cards) <= 5
    assert set(cards[0]) == {"id", "question", "deck", "score"}
    assert [c["score"] for c in cards] == sorted((c["score"] for c in cards), reverse=True)
    assert "drift" in cards[0]["question"].lower()


def test_search_says_when_the_concepts_are_named_by_the_query_s_words(bundled_workspace):
    lines = run("search", "how to detect skew", "-w", bundled_workspace).output.splitlines()
    assert lines[0].startswith("concepts named by its words: ") and "training-serving skew" in lines[0]
    assert run("search", "drift", "-w", bundled_workspace).output.startswith("concepts: drift")


def test_stats_counts_cards_and_concepts(bundled_workspace):
    result = run("stats", "--json", "-w", bundled_workspace)
    data = json.loads(result.output)
    assert data["nodes"]["card"] == 26
    assert data["nodes"]["concept"] > 40
    assert data["edges"]["mentions"] > 100


def test_path_explains_how_two_concepts_relate(bundled_workspace):
    result = run("path", "concept drift", "CI/CD", "-w", bundled_workspace)
    assert result.exit_code == 0, result.output
    assert "→" in result.output or "←" in result.output


def test_export_writes_graphml(bundled_workspace, tmp_path):
    out = tmp_path / "deck.graphml"
    result = run("export", "--format", "graphml", "-o", out, "-w", bundled_workspace)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"<?xml")


def test_missing_workspace_is_one_line_error_with_status_1(tmp_path):
    result = run("stats", "-w", tmp_path / "none")
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "kg build" in result.output


def test_build_with_a_broken_deck_exits_3_and_names_the_file(tmp_path):
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "ok.md").write_text("## What is a Bloom filter?\nA probabilistic set.\n", encoding="utf-8")
    (decks / "bad.apkg").write_bytes(b"this is not a zip")
    proc = subprocess.run([sys.executable, "-m", "kg", "build", str(decks), "-w", str(tmp_path / "ws"), "-q"],
                          capture_output=True, text=True)
    assert proc.returncode == EXIT_PARTIAL
    assert f"{decks / 'bad.apkg'}:" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_build_says_whether_it_built_updated_or_found_nothing_to_do(tmp_path, bundled_cards_dir):
    decks = tmp_path / "decks"
    shutil.copytree(bundled_cards_dir, decks)
    workspace = tmp_path / "ws"
    assert run("build", decks, "-w", workspace).output.startswith("built ")
    assert run("build", decks, "-w", workspace).output.startswith("unchanged ")
    deck = next(decks.glob("*.md"))
    deck.write_text(deck.read_text(encoding="utf-8").replace("Kubeflow", "Kubeflow and Dagster", 1),
                    encoding="utf-8")
    out = run("build", decks, "-w", workspace).output
    assert out.startswith("updated (1 card changed) ") and "(1 extracted, 25 from cache)" in out


def test_notes_around_the_cards_of_a_note_are_listed_without_a_partial_build(tmp_path):
    # An Obsidian note holds prose beside its Obsidian_to_Anki cards: listed, but no card was skipped.
    note = tmp_path / "kde.md"
    note.write_text("# Kernel density estimation\n\nThe bandwidth controls the smoothness.\n\n"
                    "START\nBasic\nWhat does a kernel density estimator estimate?\n"
                    "Back: A probability density function, from observations.\nEND\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", str(note), "--workspace", str(tmp_path / "ws"), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert f"{note}:3: text outside any START…END note ignored (notes, not cards)" in result.output
    assert "1 card in 1 deck" in result.output
