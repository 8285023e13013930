"""Insight from the knowledge graph: communities, importance, paths, gaps, related cards.

Every function takes the graph first and options keyword-only, returns plain dicts / lists (or a
new `nx.Graph` for views) and never changes the graph it is given.
"""

from kg.analysis.communities import communities, importance
from kg.analysis.communitymap import community_detail, community_map
from kg.analysis.detail import concept_cards, concept_detail, neighbours
from kg.analysis.gaps import gaps
from kg.analysis.paths import explain_path
from kg.analysis.related import related_cards
from kg.analysis.scope import Scope, scoped_graph
from kg.analysis.subgraphs import neighbourhood, overview

__all__ = [
    "Scope",
    "communities",
    "community_detail",
    "community_map",
    "concept_cards",
    "concept_detail",
    "explain_path",
    "gaps",
    "importance",
    "neighbourhood",
    "neighbours",
    "overview",
    "related_cards",
    "scoped_graph",
]
