"""Exports of the real bundled graph open in the tools people use."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import igraph
import networkx as nx
import pytest
from lxml import etree

from kg.errors import ExportError, NotFound
from kg.export import export_graph, graph_to_bytes, subgraph_for


@pytest.fixture(scope="module")
def graphml(bundled_graph, tmp_path_factory):
    return export_graph(bundled_graph, tmp_path_factory.mktemp("export") / "deck.graphml", format="graphml")


def test_graphml_is_valid_against_the_graphml_schema(graphml, shared_dir):
    schema = etree.XMLSchema(etree.parse(str(shared_dir / "graphml-xsd" / "graphml.xsd")))
    schema.assertValid(etree.parse(str(graphml)))


def test_graphml_of_a_deck_with_anki_guids_is_valid_and_keeps_the_guids(shared_dir, nlp, tmp_path):
    # Anki guids hold characters no NMTOKEN allows ("lf?p;f]vAe"): ids are digests, guids attributes.
    from kg.build import build
    from kg.workspace import load_graph

    build([shared_dir / "decks" / "mlrf-csv"], workspace=tmp_path / "ws", nlp=nlp)
    G = load_graph(tmp_path / "ws")
    path = export_graph(G, tmp_path / "mlrf.graphml", format="graphml")
    schema = etree.XMLSchema(etree.parse(str(shared_dir / "graphml-xsd" / "graphml.xsd")))
    schema.assertValid(etree.parse(str(path)))
    guids = {d["guid"] for _, d in nx.read_graphml(path).nodes(data=True) if d.get("kind") == "card"}
    assert len(guids) == 213 and all(guids)


def test_graphml_round_trips_through_networkx_with_gephi_attributes(graphml, bundled_graph):
    G = nx.read_graphml(graphml)
    assert G.number_of_nodes() == bundled_graph.number_of_nodes()
    assert G.number_of_edges() == bundled_graph.number_of_edges()
    for n, d in G.nodes(data=True):
        assert d["kind"] and d["label"]
        assert {"r", "g", "b", "x", "y", "size"} <= set(d)
        if d["kind"] == "card":
            assert {"question", "answer", "deck", "source"} <= set(d)
        if d["kind"] == "concept":
            assert isinstance(d["aliases"], str) and d["cards"] >= 1 and d["community"] >= 0
    ci = next(d for _, d in G.nodes(data=True) if d.get("key") == "continuous integration")
    assert ci["aliases"] == "CI"  # the list of aliases, joined with "|" by the export
    for _, _, d in G.edges(data=True):
        assert d["kind"] and d["weight"] > 0
        assert "evidence" not in d or isinstance(d["evidence"], str)


def test_graphml_loads_in_igraph(graphml, bundled_graph):
    g = igraph.Graph.Read_GraphML(str(graphml))
    assert g.vcount() == bundled_graph.number_of_nodes()
    assert {"kind", "label", "community", "x", "y"} <= set(g.vs.attributes())


def test_same_community_gets_the_same_colour(bundled_graph):
    G = nx.read_graphml(io.BytesIO(graph_to_bytes(bundled_graph, format="graphml")))
    colour = {}
    for _, d in G.nodes(data=True):
        if d["kind"] == "concept":
            assert colour.setdefault(d["community"], (d["r"], d["g"], d["b"])) == (d["r"], d["g"], d["b"])
    assert len(set(colour.values())) > 1


def test_gexf_json_and_csv_exports(bundled_graph, tmp_path):
    G = nx.read_gexf(export_graph(bundled_graph, tmp_path / "g.gexf", format="gexf"))
    assert G.number_of_nodes() == bundled_graph.number_of_nodes()
    data = json.loads(export_graph(bundled_graph, tmp_path / "g.json", format="json").read_text())
    assert len(data["nodes"]) == bundled_graph.number_of_nodes()
    with zipfile.ZipFile(export_graph(bundled_graph, tmp_path / "g.zip", format="csv")) as z:
        nodes = list(csv.DictReader(io.TextIOWrapper(z.open("nodes.csv"), encoding="utf-8")))
        edges = list(csv.DictReader(io.TextIOWrapper(z.open("edges.csv"), encoding="utf-8")))
    assert len(nodes) == bundled_graph.number_of_nodes() and len(edges) == bundled_graph.number_of_edges()
    assert {"id", "kind", "label"} <= set(nodes[0]) and {"source", "target", "kind", "weight"} <= set(edges[0])


def test_failed_export_leaves_no_file(bundled_graph, tmp_path):
    target = tmp_path / "missing-folder" / "g.graphml"
    with pytest.raises(ExportError):
        export_graph(bundled_graph, target, format="graphml")
    with pytest.raises(ExportError):
        export_graph(bundled_graph, tmp_path / "g.xyz", format="xyz")
    target_dir = tmp_path / "is-a-dir.graphml"
    target_dir.mkdir()
    with pytest.raises(ExportError):
        export_graph(bundled_graph, target_dir, format="graphml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["is-a-dir.graphml"]


def test_concept_subgraph_keeps_its_cards_and_decks(bundled_graph):
    sub = subgraph_for(bundled_graph, "concept drift", depth=1)
    kinds = {d["kind"] for _, d in sub.nodes(data=True)}
    assert kinds == {"concept", "card", "deck"}
    assert any("What is concept drift" in d.get("question", "") for _, d in sub.nodes(data=True))
    assert sub.number_of_nodes() < bundled_graph.number_of_nodes()
    with pytest.raises(NotFound):
        subgraph_for(bundled_graph, "no such concept")


def test_a_deck_in_other_scripts_keeps_one_node_per_concept_and_exports_valid_graphml(nlp, shared_dir, tmp_path):
    # Concept ids once kept only ASCII letters: every Japanese or Russian concept became `concept:x`.
    from kg.build import build
    from kg.workspace import load_graph

    deck = tmp_path / "scripts.txt"
    deck.write_text(
        "What does 食べる mean?\tto eat; polite form 食べます\n"
        "What does 飲む mean?\tto drink; polite form 飲みます\n"
        "What does the word книга mean?\ta book, as in the Russian word библиотека (library)\n"
        "い adjective vs な adjective\tい adjectives end in い; な adjectives take な before a noun\n",
        encoding="utf-8")
    build([deck], workspace=tmp_path / "ws", nlp=nlp)
    G = load_graph(tmp_path / "ws")
    concepts = {n: d for n, d in G.nodes(data=True) if d.get("kind") == "concept"}
    assert "concept:x" not in concepts
    other_script = {d["key"] for d in concepts.values() if not d["key"].isascii()}
    assert {"食べる", "книга"} <= other_script and len(other_script) >= 4, other_script
    path = export_graph(G, tmp_path / "scripts.graphml", format="graphml")
    etree.XMLSchema(etree.parse(str(shared_dir / "graphml-xsd" / "graphml.xsd"))).assertValid(etree.parse(str(path)))
