"""The exploration notebook runs top to bottom against the installed package."""

from __future__ import annotations

import re

import nbformat
from nbclient import NotebookClient


def test_explore_notebook_runs_clean_and_is_committed_without_outputs(root):
    path = root / "notebooks" / "explore.ipynb"
    nb = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code")

    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()

    text = "\n".join(
        out.get("text", "") + str(out.get("data", {}).get("text/plain", ""))
        for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
    )
    html = "\n".join(
        out.get("data", {}).get("text/html", "")
        for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs
    )
    assert "26 cards" in text
    assert "concept drift" in text.lower()
    assert "vis.Network" in html or "vis-network" in html
    # Offline: nothing in the inline view is loaded from another host.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.I)
    assert "deck.graphml" in text
