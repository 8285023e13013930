"""A full build holds no card in its graph (kg.graphrows), yet writes the workspace the whole
networkx graph writes: every row of `nodes` and `adjacency`, in the same order, the same text."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from kg.build import build, find_curation
from kg.cards import Card
from kg.curation import Curation
from kg.extraction import CardExtraction, Mention
from kg.graph import build_graph_and_state
from kg.graphrows import build_graph_rows
from kg.readers import read_decks
from kg.workspace import Workspace, cache_key, workspace_file, write_workspace

GRAPH_TABLES = ("nodes", "adjacency", "state", "state_cards", "state_tallies")


def _rows(workspace, table: str) -> list[tuple]:
    with closing(sqlite3.connect(workspace_file(workspace))) as db:
        return db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()


def _meta(workspace) -> dict[str, str]:
    return {k: v for k, v in _rows(workspace, "meta") if k != "built_at"}


def _assert_same_rows(a, b) -> None:
    for table in GRAPH_TABLES:
        rows_a, rows_b = _rows(a, table), _rows(b, table)
        assert rows_a, table
        assert len(rows_a) == len(rows_b), table
        for i, (row_a, row_b) in enumerate(zip(rows_a, rows_b)):
            assert row_a == row_b, (table, i)
    assert _meta(a) == _meta(b)


def _written_from_the_whole_graph(built, decks, out):
    """What the build wrote before kg.graphrows: the same cards and extractions (from the build's
    cache) made into the whole networkx graph, written with the build's meta."""
    cards = read_decks(decks).cards
    with Workspace.open(built) as ws:
        meta, problems = ws.meta, ws.problems
        keys = {card.id: cache_key(meta["pipeline"], card) for card in cards}
        stored = ws.cached_extractions(keys.values())
    extractions = {cid: (key, CardExtraction.from_dict(cid, stored[key])) for cid, key in keys.items()}
    G, state = build_graph_and_state(cards, [extractions[c.id][1] for c in cards],
                                     curation=Curation.load(find_curation(decks)))
    kept = {k: v for k, v in meta.items() if k not in ("schema", "built_at", "edges")}
    write_workspace(out, cards=cards, extractions=extractions, graph=G,
                    meta={**kept, "edges": str(G.number_of_edges())}, problems=problems, state=state)
    return G


@pytest.fixture(params=["bundled", "shared"])
def decks(request, bundled_cards_dir):
    if request.param == "bundled":
        return [bundled_cards_dir]
    return [request.getfixturevalue("shared_dir") / "decks" / "mlrf-csv"]


def test_a_build_writes_the_rows_the_whole_graph_writes(tmp_path, decks, nlp):
    report = build(decks, workspace=tmp_path / "lean", nlp=nlp)
    G = _written_from_the_whole_graph(tmp_path / "lean", decks, tmp_path / "whole")

    _assert_same_rows(tmp_path / "lean", tmp_path / "whole")
    kinds = [kind for _, kind in G.nodes(data="kind")]
    assert (report.edges, report.decks, report.concepts) == \
        (G.number_of_edges(), kinds.count("deck"), kinds.count("concept"))
    assert report.cards == kinds.count("card") > 20


def test_cards_without_concepts_decks_of_one_node_and_a_repeated_id_write_the_same_rows(tmp_path):
    # "ML Ops" and "ml-ops" are one deck node; c4 was never extracted, c2 names nothing; c1
    # comes again in another deck (bench/synthetic.py's copies can repeat an id).
    cards = [Card(id="c1", deck="ML Ops", question="What is data drift?", answer="A kind of drift."),
             Card(id="c2", deck="Stats", question="Why?", answer="Because."),
             Card(id="c3", deck="ml-ops", question="What is concept drift?", answer="Drift of the concept.",
                  tags=("ops",)),
             Card(id="c4", deck="Stats", question="What is a p-value?", answer="A probability."),
             Card(id="c1", deck="Stats", question="What is data drift?", answer="Drift of the data.")]
    extractions = [
        CardExtraction("c1", [Mention("data drift", "data drift", "question", 8, 18),
                              Mention("drift", "drift", "answer", 10, 15)]),
        CardExtraction("c2", []),
        CardExtraction("c3", [Mention("concept drift", "concept drift", "question", 8, 21),
                              Mention("drift", "Drift", "answer", 0, 5)]),
    ]
    G, state = build_graph_and_state(cards, extractions)
    rows, lean_state = build_graph_rows(cards, extractions)
    assert (rows.number_of_nodes(), rows.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    assert rows.decks == 2 and "card:c1" not in rows.graph
    write_workspace(tmp_path / "whole", cards=cards, extractions={}, graph=G, meta={}, state=state)
    write_workspace(tmp_path / "lean", cards=cards, extractions={}, graph=rows, meta={}, state=lean_state)
    _assert_same_rows(tmp_path / "lean", tmp_path / "whole")


def test_two_builds_of_one_deck_in_two_processes_write_the_same_tables(tmp_path):
    # A set's order changes with the process's hash seed; nothing it orders may reach the file.
    import os
    import subprocess
    import sys

    deck = tmp_path / "deck.txt"
    deck.write_text(
        "What is a <b>feature store</b>?\tIt serves <b>online features</b> and <b>offline features</b> "
        "to <b>model training</b> and <b>batch prediction</b>.\n"
        "Why version data?\tA <b>data version</b> makes <b>model training</b> reproducible.\n", encoding="utf-8")
    tables = []
    for seed in ("1", "2", "3"):
        workspace = tmp_path / f"ws{seed}"
        subprocess.run([sys.executable, "-m", "kg", "build", str(deck), "--workspace", str(workspace)], check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True)
        tables.append([_rows(workspace, t) for t in ("nodes", "adjacency", "state", "state_cards", "state_tallies")])
    assert tables[0] == tables[1] == tables[2]


def test_pairs_counted_in_chunks_equal_pairs_counted_at_once(bundled_cards, bundled_extractions, curation,
                                                            monkeypatch):
    """The co-occurrence is counted CARDS_PER_CHUNK cards at a time: any chunking gives the same
    counts, kept links and evidence as all cards at once."""
    from kg import cooccurrence

    def built():
        rows, state = build_graph_rows(bundled_cards, bundled_extractions, curation=curation)
        return state, list(rows.co_occurs.items()), [list(e) for e in rows.evidence]

    whole_state, whole_links, whole_evidence = built()
    monkeypatch.setattr(cooccurrence, "CARDS_PER_CHUNK", 3)
    state, links, evidence = built()
    assert len(bundled_cards) > 3 * 5
    assert state.pair_codes.tolist() == whole_state.pair_codes.tolist()
    assert state.pair_counts.tolist() == whole_state.pair_counts.tolist()
    assert links == whole_links and len(links) > 20
    assert evidence == whole_evidence
