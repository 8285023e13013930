"""The embedded store: the SQLite workspace of `kg build`, its graph held in memory.

Every question is answered on the whole graph, exactly as `kg.analysis` answers it.
"""

from __future__ import annotations

import os
from functools import cached_property

import networkx as nx

from kg.analysis._nodes import card_node, concept_node
from kg.store.base import EVIDENCE_NEIGHBOURS, NEIGHBOUR_NODES, GraphStore, kind_counts
from kg.workspace import Workspace


class SqliteStore(GraphStore):
    """A workspace folder, read once into memory."""

    def __init__(self, graph: nx.MultiDiGraph, *, location: str, stamp=None):
        self.graph = graph
        self.location = location
        self._stamp = stamp

    @classmethod
    def open(cls, path: str | os.PathLike) -> "SqliteStore":
        with Workspace.open(path) as ws:
            return cls(ws.graph(), location=str(path), stamp=ws.stamp)

    @property
    def generation(self) -> str:
        return f"{self._stamp}"

    def meta(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.graph.graph.items()}

    @cached_property
    def _counts(self):
        return kind_counts(self.graph)

    def counts(self):
        return self._counts

    def concepts_by_cards(self, top: int) -> list[dict]:
        from kg.nlp.generic import rank_order

        return sorted((d for _, d in self.graph.nodes(data=True) if d.get("kind") == "concept"),
                      key=rank_order)[:top]

    def concept_graph(self, node, *, depth=1, evidence_neighbours=EVIDENCE_NEIGHBOURS, max_nodes=NEIGHBOUR_NODES,
                      cards=None, links=None, kinds=None):
        concept_node(self.graph, node)
        return self.graph

    def card_graph(self, node, *, related=60):
        card_node(self.graph, node)
        return self.graph

    def overview_graph(self, *, top, deck=None):
        return self.graph

    def path_graph(self, source, target):
        return self.graph, None

    def chain_graph(self, nodes):
        return self.graph

    def search_index(self):
        from kg.search import search_index

        return search_index(self.graph)

    def has_concept(self, node: str) -> bool:
        return self.graph.nodes.get(node, {}).get("kind") == "concept"

    def nodes(self, ids) -> dict[str, dict]:
        return {n: self.graph.nodes[n] for n in ids if n in self.graph}
