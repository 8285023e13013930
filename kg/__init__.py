"""kg: a knowledge-graph explorer for flashcard decks.

The public API, importable from `kg` directly::

    import kg
    report = kg.build(["cards"], workspace=".kg")
    G = kg.load_graph(".kg")
    kg.search(G, "drift")

Names are resolved on first use, so `import kg` stays cheap and does not load spaCy.
"""

from importlib import import_module

__version__ = "0.1.0"

_EXPORTS = {
    "Card": "kg.cards",
    "ReadResult": "kg.cards",
    "KGError": "kg.errors",
    "DeckError": "kg.errors",
    "ModelError": "kg.errors",
    "CurationError": "kg.errors",
    "WorkspaceError": "kg.errors",
    "NotFound": "kg.errors",
    "ExportError": "kg.errors",
    "read_decks": "kg.readers",
    "load_model": "kg.nlp",
    "extract": "kg.nlp",
    "Curation": "kg.curation",
    "build_graph": "kg.graph",
    "concept_id": "kg.ids",
    "build": "kg.build",
    "BuildReport": "kg.build",
    "Workspace": "kg.workspace",
    "load_graph": "kg.workspace",
    "search": "kg.search",
    "suggest": "kg.search",
    "communities": "kg.analysis",
    "importance": "kg.analysis",
    "concept_detail": "kg.analysis",
    "concept_cards": "kg.analysis",
    "neighbourhood": "kg.analysis",
    "overview": "kg.analysis",
    "explain_path": "kg.analysis",
    "related_cards": "kg.analysis",
    "gaps": "kg.analysis",
    "export_graph": "kg.export",
    "subgraph_for": "kg.export",
    "to_pyvis": "kg.views",
    "notebook_html": "kg.views",
}

__all__ = sorted(_EXPORTS)

# These two share their name with the module that defines them: bind them now, or importing the
# module kg.search later would leave `kg.search` pointing at the module instead of the function.
from kg.build import build  # noqa: E402, F401
from kg.search import search  # noqa: E402, F401


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(list(globals()) + __all__)
