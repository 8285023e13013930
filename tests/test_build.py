"""Builds: the workspace is written whole, the cache spares unchanged cards, bad decks are skipped."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time

import pytest
from spacy.language import Language

from kg.build import build
from kg.errors import WorkspaceError
from kg.workspace import Workspace, load_graph, stamp


def test_bundled_deck_builds_into_a_workspace_that_reopens(bundled_workspace):
    with Workspace.open(bundled_workspace) as ws:
        cards = list(ws.cards())
        G = ws.graph()
        assert ws.problems == []
    assert len(cards) == 26
    kinds = {kind for _, kind in G.nodes(data="kind")}
    assert kinds == {"deck", "card", "concept"}
    assert sum(1 for _, k in G.nodes(data="kind") if k == "card") == 26
    assert G.graph["schema"] and G.graph["pipeline"]


def test_second_build_reuses_every_cached_extraction(tmp_path, bundled_cards_dir, nlp):
    workspace = tmp_path / "ws"
    first = build([bundled_cards_dir], workspace=workspace, nlp=nlp)
    second = build([bundled_cards_dir], workspace=workspace, nlp=nlp)
    assert (first.extracted, first.reused) == (26, 0)
    assert (second.extracted, second.reused) == (0, 26)
    assert sorted(load_graph(workspace).nodes) == sorted(load_graph(workspace).nodes)


def test_editing_one_card_re_extracts_that_card_alone(tmp_path, bundled_cards_dir, nlp):
    decks = tmp_path / "decks"
    shutil.copytree(bundled_cards_dir, decks)
    workspace = tmp_path / "ws"
    build([decks], workspace=workspace, nlp=nlp)

    deck = next(decks.glob("*.md"))
    text = deck.read_text(encoding="utf-8")
    edited = text.replace("Kubeflow", "Kubeflow and Apache Airflow", 1)
    assert edited != text
    deck.write_text(edited, encoding="utf-8")

    report = build([decks], workspace=workspace, nlp=nlp)
    assert (report.extracted, report.reused) == (1, 25)
    labels = {d["label"].lower() for _, d in load_graph(workspace).nodes(data=True)
              if d["kind"] == "concept"}
    assert "apache airflow" in labels


def test_a_broken_deck_is_reported_and_the_good_ones_still_build(tmp_path, nlp):
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "good.md").write_text(
        "# Streams\n\n## What is Apache Kafka?\nApache Kafka is a distributed event log.\n",
        encoding="utf-8",
    )
    (decks / "broken.csv").write_bytes(b"\x00\x01\x02PK\xff\xfe" * 200)
    report = build([decks], workspace=tmp_path / "ws", nlp=nlp)
    assert report.cards == 1
    assert len(report.problems) == 1
    assert str(report.problems[0]).startswith(str(decks / "broken.csv"))
    assert "\n" not in str(report.problems[0])
    with Workspace.open(tmp_path / "ws") as ws:
        assert ws.problems == [str(report.problems[0])]


def test_opening_a_missing_workspace_says_to_build(tmp_path):
    with pytest.raises(WorkspaceError, match="kg build"):
        Workspace.open(tmp_path / "nothing")


def test_a_build_killed_halfway_leaves_the_previous_workspace_whole(tmp_path, bundled_cards_dir):
    workspace = tmp_path / "ws"
    subprocess.run([sys.executable, "-m", "kg", "build", str(bundled_cards_dir), "-w", str(workspace), "-q"],
                   check=True)
    before = stamp(workspace)

    # A deck big enough (tens of seconds of spaCy) that the kill lands in the middle of the build.
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("question,answer\n")
        for i in range(6000):
            fh.write(f'"How does cache layer {i} reduce latency?","Cache layer {i} keeps hot '
                     f'records in memory, so repeated reads skip the database and the network."\n')
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(big), "-w", str(workspace),
                             "-q", "-j", "1"])
    time.sleep(3)
    assert proc.poll() is None, "the build finished before it could be interrupted"
    proc.send_signal(signal.SIGKILL)
    proc.wait()

    assert stamp(workspace) == before
    with Workspace.open(workspace) as ws:
        assert sum(1 for _ in ws.cards()) == 26
        assert ws.graph().number_of_nodes() > 26


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            text = fh.read()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_worker_processes_die_with_a_killed_build(tmp_path):
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write("question,answer\n")
        for i in range(4000):
            fh.write(f'"Why shard table {i}?","Sharding table {i} spreads writes across nodes."\n')
    # Only the build process is killed, not its group: the kernel must take the workers down.
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(big), "-w", str(tmp_path / "ws"),
                             "-q", "-j", "2"])
    try:
        deadline = time.monotonic() + 120
        while len(workers := _children(proc.pid)) < 2:
            assert proc.poll() is None and time.monotonic() < deadline, "no workers started"
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 10
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(_alive(w) for w in workers)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_two_worker_processes_build_the_same_workspace_as_one(tmp_path, bundled_cards_dir, nlp):
    one = build([bundled_cards_dir], workspace=tmp_path / "one", nlp=nlp, n_process=1)
    two = build([bundled_cards_dir], workspace=tmp_path / "two", nlp=nlp, n_process=2)
    assert (one.extracted, two.extracted) == (26, 26)
    a, b = load_graph(tmp_path / "one"), load_graph(tmp_path / "two")
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True)) == sorted(b.edges(keys=True, data=True))


def test_edits_and_inserted_cards_in_a_row_each_update_and_keep_the_read_order(tmp_path, bundled_cards_dir, nlp):
    from kg.readers import read_decks

    decks = tmp_path / "decks"
    shutil.copytree(bundled_cards_dir, decks)
    (decks / "zz-later.md").write_text(
        "Q: What does a canary release limit?\nA: A canary release limits the blast radius of a bad model.\n\n"
        "Q: What is shadow deployment?\nA: Shadow deployment runs a new model beside the old without serving it.\n",
        encoding="utf-8")
    workspace = tmp_path / "ws"
    build([decks], workspace=workspace, nlp=nlp)
    first = sorted(decks.glob("*.md"))[0]
    assert first.name != "zz-later.md"
    for n in range(3):
        text = first.read_text(encoding="utf-8")
        if n == 1:
            # A card inserted in the first of several files: every later card moves after it.
            text += f"\n## What does a weekly feature audit {n} check?\n\nIt checks feature freshness.\n"
        else:
            text = text.replace("Kubeflow", f"Kubeflow (revision {n})", 1)
        first.write_text(text, encoding="utf-8")
        report = build([decks], workspace=workspace, nlp=nlp)
        assert report.updated and report.changed == 1, (n, report)
        with Workspace.open(workspace) as ws:
            assert [c.id for c in ws.cards()] == [c.id for c in read_decks([decks]).cards]


@Language.component("kg_test_refuses_zugzwang")
def _refuses_zugzwang(doc):
    # A component of a user's own pipeline (KG_SPACY_MODEL) that raises on one text.
    if "zugzwang" in doc.text.lower():
        raise ValueError("this component cannot read the text")
    return doc


CHESS = """# Chess

## What is a fork?
A fork is one piece attacking two enemy pieces at once.

## What is zugzwang?
Zugzwang is a position where any move worsens the player's position.

## What is a pin?
A pin stops a piece from moving without exposing a more valuable piece behind it.
"""


def test_a_card_the_pipeline_cannot_read_is_named_in_a_problem_and_the_rest_still_build(tmp_path):
    from kg.nlp import load_model

    nlp = load_model()
    nlp.add_pipe("kg_test_refuses_zugzwang", last=True)
    decks = tmp_path / "decks"
    decks.mkdir()
    deck = decks / "chess.md"
    deck.write_text(CHESS, encoding="utf-8")

    for workspace, n_process in ((tmp_path / "one", 1), (tmp_path / "forked", 2)):
        report = build([decks], workspace=workspace, nlp=nlp, n_process=n_process)
        assert report.cards == 3
        assert [str(p) for p in report.problems] == [
            f"{deck}:6: concepts could not be extracted from this card (ValueError: this component cannot "
            "read the text); the card is kept without concepts"]
        G = load_graph(workspace)
        cards = {d["question"]: n for n, d in G.nodes(data=True) if d["kind"] == "card"}
        assert set(cards) == {"What is a fork?", "What is zugzwang?", "What is a pin?"}
        assert not list(G.successors(cards["What is zugzwang?"]))
        assert {"fork", "pin"} <= {G.nodes[c]["key"] for c in G.successors(cards["What is a fork?"])} | \
            {G.nodes[c]["key"] for c in G.successors(cards["What is a pin?"])}
        with Workspace.open(workspace) as ws:
            assert ws.problems == [str(report.problems[0])]

    # A rebuild reads the card from the cache and names it again; so does an update for another card.
    again = build([decks], workspace=tmp_path / "one", nlp=nlp)
    assert (again.extracted, [str(p) for p in again.problems]) == (0, [str(report.problems[0])])
    deck.write_text(CHESS.replace("two enemy pieces", "two or more enemy pieces"), encoding="utf-8")
    edited = build([decks], workspace=tmp_path / "one", nlp=nlp)
    assert (edited.extracted, edited.updated) == (1, True)
    assert [str(p) for p in edited.problems] == [str(report.problems[0])]
    with Workspace.open(tmp_path / "one") as ws:
        assert ws.problems == [str(report.problems[0])]
    # Without the component the card is read, and no problem is left.
    fixed = build([decks], workspace=tmp_path / "one", nlp=load_model())
    assert fixed.problems == []
    with Workspace.open(tmp_path / "one") as ws:
        assert ws.problems == [] and "failed" not in ws.meta
