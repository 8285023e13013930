"""Extraction and counting on a Dask cluster (`kg build --scheduler ADDRESS`).

`ClusterSession` (session.py) reaches the cluster and extracts cards there, with the spaCy model
loaded once per worker by the plugin in worker.py; `ClusterCounting` (counting.py) sums the deck
on the workers. The build's process keeps the cache, draws the graph and writes the workspace.
"""

from kg.cluster.session import ClusterSession, parse_local

__all__ = ["ClusterSession", "parse_local"]
