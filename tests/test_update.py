"""A rebuild after a few edited, added or removed cards updates the graph in place of building it
again, and the graph it leaves is the graph a fresh build makes of the same decks."""

from __future__ import annotations

import csv
import random
import shutil
import sqlite3

import networkx as nx
import pytest

from kg.build import build
from kg.cards import Card
from kg.extraction import CardExtraction, Mention, Relation
from kg.graph import build_graph, build_graph_and_state
from kg.update import plan_update, update_graph
from kg.workspace import Workspace, load_graph, stamp, update_workspace, workspace_file, write_workspace


@pytest.fixture(scope="module")
def built_csv(tmp_path_factory, shared_dir, nlp):
    """The mlrf CSV export (213 cards in 47 decks) and a workspace built from it."""
    root = tmp_path_factory.mktemp("mlrf")
    decks = root / "decks"
    shutil.copytree(shared_dir / "decks" / "mlrf-csv", decks)
    build([decks], workspace=root / "ws", nlp=nlp)
    return root


@pytest.fixture()
def csv_decks(tmp_path, built_csv):
    """A copy of the built decks and workspace that a test may edit."""
    shutil.copytree(built_csv / "decks", tmp_path / "decks")
    shutil.copytree(built_csv / "ws", tmp_path / "ws")
    return tmp_path / "decks"


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def _write(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


def _edit_answer(path, row, text):
    rows = _rows(path)
    rows[row][2] = text
    _write(path, rows)


def _fresh_copy(workspace, to):
    """A copy of `workspace` without its state: building into it reuses the extraction cache but
    builds the graph afresh."""
    shutil.copytree(workspace, to)
    db = sqlite3.connect(workspace_file(to))
    db.execute("DELETE FROM state")
    db.commit()
    db.close()
    return to


def _update_and_compare(tmp_path, decks, nlp, edit, same_graph):
    workspace = tmp_path / "ws"
    fresh = _fresh_copy(workspace, tmp_path / "fresh")
    before = load_graph(workspace)
    edit(decks)
    report = build([decks], workspace=workspace, nlp=nlp)
    assert not build([decks], workspace=fresh, nlp=nlp).updated
    updated = load_graph(workspace)
    same_graph(updated, load_graph(fresh), communities=not report.updated)
    if report.updated:
        _communities_kept(before, updated)
    assert int(updated.graph["edges"]) == updated.number_of_edges()
    return report


def _communities_kept(before, after):
    """An update keeps every concept's community; a new one joins a neighbour's or its own."""
    old = {n: d["community"] for n, d in before.nodes(data=True) if d["kind"] == "concept"}
    for node, d in after.nodes(data=True):
        if d["kind"] != "concept":
            continue
        if node in old:
            assert d["community"] == old[node], node
        else:
            neighbours = {after.nodes[x]["community"] for x in nx.all_neighbors(after, node)
                          if after.nodes[x]["kind"] == "concept"}
            assert d["community"] in neighbours or d["community"] > max(old.values()), node


EDITS = {
    "a new concept in an answer": lambda d: _edit_answer(
        d / "clip.csv", 1, "Contrastive pre-training with a symmetric cross entropy loss over a batch, "
                           "much like knowledge distillation and batch normalization."),
    "an answer emptied": lambda d: _edit_answer(d / "detr.csv", 2, "I do not remember."),
    "a card removed": lambda d: _write(d / "batchnorm.csv", [r for i, r in enumerate(_rows(d / "batchnorm.csv")) if i != 1]),
    "a card added": lambda d: _write(d / "clip.csv", _rows(d / "clip.csv") + [[
        "new~guid", "Why does the transformer use layer normalization?",
        "Layer normalization keeps the residual stream stable, unlike batch normalization.", "", "", "", ""]]),
    "two cards edited in two decks": lambda d: (
        _edit_answer(d / "barlow_twins.csv", 1, "The cross-correlation matrix is pushed towards the identity matrix."),
        _edit_answer(d / "attention_is_all_you_need.csv", 2, "Multi-head attention attends to several subspaces."),
    ),
}


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_an_updated_graph_equals_a_fresh_build(tmp_path, csv_decks, nlp, edit, same_graph):
    report = _update_and_compare(tmp_path, csv_decks, nlp, EDITS[edit], same_graph)
    assert report.updated
    assert report.extracted <= 2


def test_a_new_acronym_definition_builds_afresh(tmp_path, csv_decks, nlp, same_graph):
    # "(BN)" folds every mention of "BN" on every card into batch normalization: no update.
    edit = lambda d: _edit_answer(d / "clip.csv", 1, "It relies on Batch Normalization (BN) and Layer Normalization (LN).")  # noqa: E731
    report = _update_and_compare(tmp_path, csv_decks, nlp, edit, same_graph)
    assert not report.updated


def test_an_unchanged_rebuild_changes_nothing(tmp_path, bundled_cards_dir, nlp, same_graph):
    workspace = tmp_path / "ws"
    build([bundled_cards_dir], workspace=workspace, nlp=nlp)
    before, written = load_graph(workspace), stamp(workspace)
    report = build([bundled_cards_dir], workspace=workspace, nlp=nlp)
    assert report.updated and (report.extracted, report.reused) == (0, 26)
    assert stamp(workspace) == written  # not even rewritten: servers keep what they hold
    same_graph(load_graph(workspace), before)


def test_many_changed_cards_build_afresh(tmp_path, csv_decks, nlp):
    workspace = tmp_path / "ws"
    for name in sorted(p.name for p in csv_decks.glob("*.csv"))[:8]:
        (csv_decks / name).unlink()
    report = build([csv_decks], workspace=workspace, nlp=nlp)
    assert not report.updated
    with Workspace.open(workspace) as ws:
        assert ws.state() is not None


@pytest.mark.parametrize("seed", range(4))
def test_random_answer_swaps_update_to_a_fresh_build_s_graph(tmp_path, csv_decks, nlp, same_graph, seed):
    # Answers moved between cards of different decks: concepts appear and vanish, relations and
    # is_a links change, counts cross the thresholds the rules read.
    rng = random.Random(seed)
    files = sorted(csv_decks.glob("*.csv"))
    answers = [row[2] for path in files for row in _rows(path)[1:]]

    def edit(decks):
        for path in rng.sample(files, 3):
            rows = _rows(path)
            rows[rng.randrange(1, len(rows))][2] = rng.choice(answers)
            _write(path, rows)

    report = _update_and_compare(tmp_path, csv_decks, nlp, edit, same_graph)
    assert report.extracted <= 3  # only the edited cards went through spaCy, either way


def _synthetic_deck(rng: random.Random, n_cards: int):
    """Cards and extractions without spaCy, big enough (over SMALL_DECK_CARDS) for the rules of
    big decks: two shared cards per link, the strongest links per concept, the rarest concepts of
    a card that names too many."""
    heads = [f"head{i}" for i in range(40)]
    words = [f"word{i}" for i in range(60)]
    # Single and two-word keys: "word3 head7" is_a "head7" when both are concepts.
    keys = heads + [f"{w} {h}" for w in words for h in heads[:8]]
    weights = [1.0 / (i + 1) ** 0.8 for i in range(len(keys))]  # a few common, many rare
    cards, extractions = [], []
    for n in range(n_cards):
        cid = f"s{n}"
        cards.append(Card(id=cid, deck=f"Deck {n % 3}", question=f"Question {n}?", answer="Answer."))
        extractions.append(_synthetic_extraction(rng, cid, keys, weights))
    return cards, extractions, keys, weights


def _synthetic_extraction(rng, cid, keys, weights):
    chosen = sorted(set(rng.choices(keys, weights, k=rng.choice([3, 6, 10, 30]))))
    mentions = [Mention(k, k.title() if i % 5 == 0 else k, "answer", 0, len(k)) for i, k in enumerate(chosen)]
    relations = [Relation(chosen[0], "uses", chosen[-1])] if len(chosen) > 1 else []
    return CardExtraction(cid, mentions, [], relations)


def test_a_big_deck_update_equals_a_fresh_build(tmp_path, same_graph):
    # The update path of kg.build, run on a 2,400-card deck made without spaCy: write the
    # workspace, change cards, update it, and compare with a graph built afresh.
    rng = random.Random(7)
    cards, extractions, keys, weights = _synthetic_deck(rng, 2400)
    graph, state = build_graph_and_state(cards, extractions)
    edges = sum(len(keyed) for out in graph._succ.values() for keyed in out.values())
    write_workspace(tmp_path, cards=cards, extractions={c.id: (c.id, e) for c, e in zip(cards, extractions)},
                    graph=graph, meta={"edges": str(edges)}, state=state)

    new_cards, new_ext = list(cards), {e.card_id: e for e in extractions}
    for i in rng.sample(range(len(cards)), 5):  # edited
        new_ext[cards[i].id] = _synthetic_extraction(rng, cards[i].id, keys, weights)
        new_cards[i] = Card(id=cards[i].id, deck=cards[i].deck, question=cards[i].question, answer=f"Edited {i}.")
    del new_cards[17]  # removed
    new_cards.append(Card(id="added", deck="Deck 1", question="New?", answer="New."))
    new_ext["added"] = _synthetic_extraction(rng, "added", keys, weights)

    plan = plan_update(new_cards, cards)
    with Workspace.open(tmp_path) as ws:
        plan.state, plan.concepts, plan.load_nodes = ws.state(), ws.concepts(), ws.nodes
        old = {e.card_id: e for e in extractions}
        patch = update_graph(plan, {cid: old[cid] for cid in plan.changed + plan.removed if cid in old},
                             {cid: new_ext[cid] for cid in plan.changed})
    assert patch is not None and len(plan.changed) == 6 and plan.removed == [cards[17].id]
    update_workspace(tmp_path, patch=patch, cards=[c for c in new_cards if c.id in set(plan.changed)],
                     removed=plan.removed, extractions={}, drop_keys=[], meta={})
    fresh = build_graph(new_cards, [new_ext[c.id] for c in new_cards])
    updated = load_graph(tmp_path)
    same_graph(updated, fresh, communities=False)
    assert int(updated.graph["edges"]) == updated.number_of_edges()
