"""Concept tags back into Anki, with the real thing: Anki's own library makes a collection and
exports it, kg builds a workspace from the export and writes the tag file, and Anki's own text
import (what File → Import runs) takes it into the collection the export came from."""

from __future__ import annotations

import csv
import shutil

import pytest
from click.testing import CliRunner

from kg.anki_tags import TAG_PREFIX, card_concept_tags, export_anki_tags
from kg.build import build
from kg.cli import cli
from kg.search import search
from kg.workspace import load_graph


OTHER_DECK = "## What is a load balancer?\n\nA server that spreads requests over others.\n"


@pytest.fixture(scope="module", params=["modern", "legacy", "colpkg", "collection"])
def built(request, anki_files, nlp, tmp_path_factory):
    """A workspace built from one of Anki's files (package or profile collection) and one Markdown deck,
    and its tag file."""
    folder = tmp_path_factory.mktemp(f"tags-{request.param}")
    (folder / "other.md").write_text(OTHER_DECK, encoding="utf-8")
    report = build([anki_files[request.param], folder / "other.md"], workspace=folder / ".kg", nlp=nlp)
    assert not report.problems, report.problems
    written = export_anki_tags(folder / ".kg", folder / "tags.txt")
    return folder, written


def the_original_collection(anki_files, tmp_path):
    """The collection the packages were exported from (a copy per test: tests must not see each other)."""
    from anki.collection import Collection

    shutil.copy(anki_files["collection"], tmp_path / "collection.anki2")
    return Collection(str(tmp_path / "collection.anki2"))


def snapshot(col) -> dict[str, tuple]:
    notes = {}
    for note_id in col.find_notes(""):
        note = col.get_note(note_id)
        decks = sorted((card.ord, col.decks.name(card.did)) for card in note.cards())
        notes[note.guid] = (note.note_type()["name"], note.items(), list(note.tags), decks, note.mod)
    return notes


def import_file(col, path):
    """Anki's own text import, with the settings its File → Import dialog reads from the file."""
    from anki.import_export_pb2 import ImportCsvRequest

    metadata = col.get_csv_metadata(str(path), None)
    return col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log


def test_anki_import_adds_concept_tags_and_changes_nothing_else(built, anki_files, tmp_path, anki_note_count):
    folder, written = built
    assert (written.notes, written.not_anki) == (anki_note_count, 1)
    G = load_graph(folder / ".kg")
    concept_tags = {d["guid"]: set(card_concept_tags(G, n)) for n, d in G.nodes(data=True)
                    if d["kind"] == "card" and d["guid"]}
    assert sum(bool(tags) for tags in concept_tags.values()) == written.tagged > 0
    col = the_original_collection(anki_files, tmp_path)
    try:
        before = snapshot(col)
        log = import_file(col, written.path)
        after = snapshot(col)
        retagged = sum(set(after[guid][2]) != set(note[2]) for guid, note in before.items())
        assert (len(log.new), len(log.updated), len(log.missing_notetype)) == (0, retagged, 0)
        assert retagged >= written.tagged
        assert after.keys() == before.keys() and len(col.find_cards("")) == sum(len(b[3]) for b in before.values())
        for guid, (note_type, fields, tags, decks, _) in before.items():
            new_type, new_fields, new_tags, new_decks, _ = after[guid]
            assert (new_type, new_fields, new_decks) == (note_type, fields, decks), guid
            assert len(new_tags) == len(set(t.lower() for t in new_tags))
            # The note's own tags stay; tags under kg:: are kg's, from an earlier export, and are replaced.
            own = {t for t in tags if not t.startswith(TAG_PREFIX)}
            assert set(new_tags) == own | concept_tags[guid], guid

        again = import_file(col, written.path)
        assert (len(again.new), len(again.updated)) == (0, 0)
        assert snapshot(col) == after
    finally:
        col.close()


def test_anki_search_for_a_concept_tag_finds_the_cards_kg_search_ranks_first(built, anki_files, tmp_path):
    folder, written = built
    G = load_graph(folder / ".kg")
    node, label = next((n, d["label"]) for n, d in G.nodes(data=True)
                       if d["kind"] == "concept" and d["key"] == "load balancer")
    col = the_original_collection(anki_files, tmp_path)
    try:
        import_file(col, written.path)
        tagged = {col.get_note(note_id).guid for note_id in col.find_notes(f"tag:{TAG_PREFIX}load-balancer")}
    finally:
        col.close()
    assert node == "concept:load-balancer" and len(tagged) >= 3
    ranked = [G.nodes[c["id"]]["guid"] for c in search(G, label, limit=50)["cards"]]
    anki_ranked = [guid for guid in ranked if guid]
    assert set(anki_ranked[: len(tagged)]) == tagged


def test_concepts_option_keeps_each_notes_most_specific_concepts(built, tmp_path, anki_note_count):
    folder, _ = built
    result = CliRunner().invoke(cli, ["export", "--format", "anki", "-w", str(folder / ".kg"),
                                      "-o", str(tmp_path / "tags.txt"), "--concepts", "1"])
    assert result.exit_code == 0, result.output
    assert "1 card from non-Anki decks left out" in result.output
    G = load_graph(folder / ".kg")
    by_guid = {d["guid"]: n for n, d in G.nodes(data=True) if d["kind"] == "card" and d["guid"]}
    lines = (tmp_path / "tags.txt").read_text(encoding="utf-8").split("\n")
    headers = [line for line in lines if line.startswith("#")]
    assert "#if matches:update current" in headers and "#guid column:1" in headers
    rows = list(csv.reader(lines[len(headers):], delimiter="\t"))
    rows = [row for row in rows if row]
    assert len(rows) == anki_note_count
    for row in rows:
        ours = [t for t in row[-1].split() if t.startswith(TAG_PREFIX)]
        mentioned = card_concept_tags(G, by_guid[row[0]])
        assert ours == mentioned[:1]
        if mentioned:
            fewest = min(G.nodes[v]["cards"] for _, v, k in G.out_edges(by_guid[row[0]], keys=True) if k == "mentions")
            assert G.nodes["concept:" + ours[0][len(TAG_PREFIX):]]["cards"] == fewest


def test_graphml_of_a_workspace_built_from_an_anki_package_is_valid(built, shared_dir, tmp_path):
    from lxml import etree

    from kg.export import export_graph

    folder, _ = built
    path = export_graph(load_graph(folder / ".kg"), tmp_path / "anki.graphml", format="graphml")
    schema = etree.XMLSchema(etree.parse(str(shared_dir / "graphml-xsd" / "graphml.xsd")))
    schema.assertValid(etree.parse(str(path)))


def test_a_workspace_without_anki_notes_is_refused_with_a_clear_error(bundled_workspace, tmp_path):
    result = CliRunner().invoke(cli, ["export", "--format", "anki", "-w", str(bundled_workspace),
                                      "-o", str(tmp_path / "tags.txt")])
    assert result.exit_code == 1
    assert "no Anki notes in the workspace" in result.output and "build it from an Anki package" in result.output
    assert not (tmp_path / "tags.txt").exists()


def test_concept_neighbourhood_options_do_not_mix_with_the_anki_format(bundled_workspace, tmp_path):
    result = CliRunner().invoke(cli, ["export", "--format", "anki", "-w", str(bundled_workspace),
                                      "-o", str(tmp_path / "tags.txt"), "--concept", "dns"])
    assert result.exit_code == 2 and "--concept selects a graph neighbourhood" in result.output
