"""The workspace file: the graph comes back as it was built, the cache holds exactly the cards
of the last build, and a build with nothing new to read never loads the spaCy model."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys

import networkx as nx

from kg.build import build
from kg.nlp.pipeline import (
    fingerprint_from_meta,
    installed_model_meta,
    model_label,
    pipeline_fingerprint,
)
from kg.workspace import load_graph, workspace_file, write_workspace


def _same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True)) == sorted(b.edges(keys=True, data=True))
    assert {v: dict(a.pred[v]) for v in a} == {v: dict(b.pred[v]) for v in b}


def test_a_written_graph_loads_back_with_every_node_edge_and_attribute(tmp_path, bundled_graph):
    write_workspace(tmp_path / "ws", cards=[], extractions={}, graph=bundled_graph, meta={"x": "1"})
    loaded = load_graph(tmp_path / "ws")
    _same_graph(loaded, bundled_graph)
    assert loaded.graph["x"] == "1"
    # A loaded graph is an ordinary graph: editing it works and does not touch the file.
    some = next(iter(loaded))
    loaded.add_edge(some, "concept:new-one", key="related", kind="related")
    assert loaded.has_edge(some, "concept:new-one", key="related")
    assert load_graph(tmp_path / "ws").number_of_edges() == bundled_graph.number_of_edges()


def test_the_fingerprint_from_the_package_metadata_matches_the_loaded_pipeline(nlp, curation):
    meta = installed_model_meta()
    assert fingerprint_from_meta(meta, curation) == pipeline_fingerprint(nlp, curation)
    assert fingerprint_from_meta(meta) == pipeline_fingerprint(nlp)
    assert fingerprint_from_meta(meta) != fingerprint_from_meta(meta, curation)
    assert model_label(meta) == model_label(nlp.meta)


def test_the_cache_keeps_the_cards_of_the_last_build_only(tmp_path, bundled_cards_dir, nlp):
    decks = tmp_path / "decks"
    shutil.copytree(bundled_cards_dir, decks)
    workspace = tmp_path / "ws"
    build([decks], workspace=workspace, nlp=nlp)
    before = _cache_rows(workspace)

    deck = next(decks.glob("*.md"))
    deck.write_text(deck.read_text(encoding="utf-8").replace("Kubeflow", "Kubeflow on GKE", 1),
                    encoding="utf-8")
    report = build([decks], workspace=workspace, nlp=nlp)
    after = _cache_rows(workspace)
    assert (report.extracted, report.reused) == (1, 25)
    assert len(before) == len(after) == 26
    # Reused rows are carried over as stored; the edited card's old row is gone.
    assert len(set(before.items()) & set(after.items())) == 25
    assert any("GKE" in data for data in after.values())


def _cache_rows(workspace) -> dict[str, str]:
    with sqlite3.connect(workspace_file(workspace)) as db:
        return dict(db.execute("SELECT key, data FROM extractions"))


def test_a_build_with_nothing_to_extract_does_not_load_the_model(tmp_path, bundled_cards_dir, nlp):
    workspace = tmp_path / "ws"
    build([bundled_cards_dir], workspace=workspace, nlp=nlp)
    script = (
        "import sys, importlib\n"
        "from kg.build import build\n"
        "from kg.nlp.pipeline import default_model_name\n"
        f"report = build([{str(bundled_cards_dir)!r}], workspace={str(workspace)!r})\n"
        "print(report.extracted, report.reused, default_model_name() in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "26", "False"]


def test_a_small_rebuild_without_a_loaded_model_reads_the_new_card_in_a_second_process(
        tmp_path, bundled_cards_dir, nlp, same_graph):
    decks = tmp_path / "decks"
    shutil.copytree(bundled_cards_dir, decks)
    workspace = tmp_path / "ws"
    build([decks], workspace=workspace, nlp=nlp)
    deck = next(decks.glob("*.md"))
    deck.write_text(deck.read_text(encoding="utf-8").replace("Kubeflow", "Kubeflow and Apache Airflow", 1),
                    encoding="utf-8")

    report = build([decks], workspace=workspace)  # no nlp: the model is loaded in a forked process
    assert (report.extracted, report.reused) == (1, 25)
    G = load_graph(workspace)
    assert "apache airflow" in {d["label"].lower() for _, d in G.nodes(data=True) if d["kind"] == "concept"}
    # The same graph as a build that had the model at hand.
    again = build([decks], workspace=tmp_path / "ws2", nlp=nlp)
    assert again.extracted == 26
    same_graph(G, load_graph(tmp_path / "ws2"), communities=not report.updated)


def test_rows_decode_as_json_decodes_them_nan_included():
    # Rows are decoded with orjson for speed; json.dumps writes NaN for a float that is one
    # (orjson refuses the token), and such a row must still read back as json would read it.
    import json
    import math

    from kg.workspace import read_row

    row = {"b": {"co_occurs": {"weight": 0.1 + 0.2, "evidence": ["card:é"], "shared": 3}}, "a": {}}
    assert list(read_row(json.dumps(row))) == ["b", "a"] and read_row(json.dumps(row)) == row
    assert math.isnan(read_row(json.dumps({"weight": float("nan")}))["weight"])
