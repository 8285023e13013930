"""A load reads the workspace's file as it writes the store (the graph is never held) and writes
the tables the graph in memory gives: on a shared deck whose many hubs are ranked, and on a
workspace an update rewrote (its rows no longer in the order a build wrote them)."""

from __future__ import annotations

import csv
import shutil
import sqlite3

import networkx as nx
import pytest

from kg.build import build
from kg.store.load import load_sqlite
from kg.store.workspace_graph import WorkspaceGraph
from kg.workspace import Workspace, load_graph


def _tables(path) -> dict[str, list]:
    db = sqlite3.connect(path)
    try:
        names = [n for n, in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {n: sorted(db.execute(f"SELECT * FROM {n}").fetchall(), key=repr) for n in names}
    finally:
        db.close()


def _same_tables(workspace, tmp_path, *, hub_rows):
    streamed = _tables(load_sqlite(workspace, tmp_path / "streamed.sqlite", hub_rows=hub_rows, stream=True).generation)
    held = _tables(load_sqlite(workspace, tmp_path / "held.sqlite", hub_rows=hub_rows, stream=False).generation)
    assert streamed.keys() == held.keys()
    for name in held:
        assert streamed[name] == held[name], name
    return held


@pytest.fixture(scope="module")
def mlrf(tmp_path_factory, shared_dir, nlp):
    root = tmp_path_factory.mktemp("mlrf")
    shutil.copytree(shared_dir / "decks" / "mlrf-csv", root / "decks")
    build([root / "decks"], workspace=root / "ws", nlp=nlp)
    return root


def test_a_load_writes_the_tables_of_the_graph_in_memory(mlrf, tmp_path):
    held = _same_tables(mlrf / "ws", tmp_path, hub_rows=20)
    assert len(held["hubs"]) >= 10 and len(held["edges"]) > 10_000


def test_cli_streams_on_request_and_writes_the_same_store(mlrf, tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["load-sqlite", "--stream", str(mlrf / "ws"), str(tmp_path / "s.sqlite")])
    assert result.exit_code == 0, result.output
    assert "wrote " in result.output
    held = load_sqlite(mlrf / "ws", tmp_path / "h.sqlite", stream=False).generation
    assert _tables(tmp_path / "s.sqlite") == _tables(held)


def test_an_updated_workspace_loads_the_tables_of_its_graph(mlrf, tmp_path, nlp):
    shutil.copytree(mlrf, tmp_path / "m")
    decks, workspace = tmp_path / "m" / "decks", tmp_path / "m" / "ws"
    path = decks / "clip.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    rows[1][2] = "Contrastive pre-training, much like knowledge distillation and batch normalization."
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    assert build([decks], workspace=workspace, nlp=nlp).updated
    _same_tables(workspace, tmp_path, hub_rows=20)


def test_the_graph_read_from_the_file_is_the_graph_in_memory(mlrf):
    held = load_graph(mlrf / "ws")
    with Workspace.open(mlrf / "ws") as ws:
        G = WorkspaceGraph(ws)
        assert list(G.nodes(data=True)) == list(held.nodes(data=True))
        assert list(G.nodes(data="kind")) == list(held.nodes(data="kind"))
        assert list(G.edges(keys=True, data=True)) == list(held.edges(keys=True, data=True))
        assert G.number_of_edges() == held.number_of_edges()
        for node in list(held)[::50]:
            assert G._pred[node] == held._pred[node] and list(G._pred[node]) == list(held._pred[node])
            assert list(G.in_edges(node, keys=True, data=True)) == list(held.in_edges(node, keys=True, data=True))
        assert "concept:nothing-like-this" not in G
        with pytest.raises(nx.NetworkXError):
            G.successors("concept:nothing-like-this")


def test_one_pass_over_the_links_counts_what_reading_each_node_counts(mlrf):
    # A load counts every node's links in one pass over the file (read node by node, a million
    # cards' links came in a random order): the counts are those of the graph in memory.
    from kg.analysis._broad import marked_count
    from kg.conceptgraph import CONCEPT_GRAPH_KINDS, concept_degree

    held = load_graph(mlrf / "ws")
    concepts = {n for n, kind in held.nodes(data="kind") if kind == "concept"}
    with Workspace.open(mlrf / "ws") as ws:
        G = WorkspaceGraph(ws)
        node_by_node = {n: G.links_of(n) for n in list(held)[::7]}
        t = G.link_tallies()
        for node, counts in node_by_node.items():
            i = t.index[node]
            assert counts == (len(held._pred[node]), len(held._succ[node]),
                              any("is_a" in keyed for keyed in held._pred[node].values())) == G.links_of(node)
            if node in concepts:
                assert t.degree[i] == concept_degree(held, node, concepts, set(CONCEPT_GRAPH_KINDS))
                assert t.marked[i] == marked_count(held, node)
                assert t.decks[i] == len({held.nodes[c]["deck"] for c, keyed in held._pred[node].items()
                                          if "mentions" in keyed})
        assert t.degree.sum() > 1000 and t.marked.sum() > 100 and len(set(t.decks.tolist())) > 2
        assert len(t.mention_card) == sum(1 for *_, k in held.edges(keys=True) if k == "mentions")


def test_a_load_counting_words_in_chunks_and_keeping_few_rows_writes_the_same_store(mlrf, tmp_path, monkeypatch):
    # What lets a load hold a million cards: the card text's words counted a few cards at a
    # time, and the rows read from the file kept up to a number of edges, not of rows. Neither
    # may change a table.
    import importlib

    # (`kg` exports a function named `search`, which `import kg.search.index as ...` would meet.)
    index = importlib.import_module("kg.search.index")
    workspace_graph = importlib.import_module("kg.store.workspace_graph")

    whole = _tables(load_sqlite(mlrf / "ws", tmp_path / "whole.sqlite", stream=True).generation)
    monkeypatch.setattr(index, "TEXT_CARDS_PER_CHUNK", 3)
    monkeypatch.setattr(workspace_graph, "RECENT_EDGES", 10)
    chunked = _tables(load_sqlite(mlrf / "ws", tmp_path / "chunked.sqlite", stream=True).generation)
    assert whole.keys() == chunked.keys() and len(whole["postings"]) > 1000
    for name in whole:
        assert chunked[name] == whole[name], name
    with Workspace.open(mlrf / "ws") as ws:
        G = WorkspaceGraph(ws)
        hub = max((n for n, kind in G.nodes(data="kind") if kind == "concept"), key=lambda n: len(G._pred[n]))
        for node in list(G)[:200]:
            G._pred[node], G._succ[node]
        G._pred[hub]
        # the last row is kept however large; the others go once they pass the budget
        assert list(G._pred._recent) == [hub] and len(G._pred._recent[hub]) > 10
