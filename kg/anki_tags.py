"""Concepts back into Anki: a text file Anki's own File → Import reads to tag the notes a person
already has with the concepts kg found in them (`kg::concept-drift`), changing nothing else.

The file is Anki's notes text format with its headers: one row per note, matched by guid
(`#guid column:`), with the note type and deck by name, every field exactly as read (original
HTML), and the note's tags followed by its concept tags (`#tags column:`); `#if matches:update
current` makes Anki update the note it already has rather than add one. Anki replaces a note's tags
with the tags column on update, so the row carries the note's own tags unchanged; only tags under
`kg::` are kg's, and those are rewritten, so a later export after a rebuild replaces them. Notes
from decks that are not Anki's (no guid, note type and fields) cannot be matched and are left out,
and counted.

Why text and not a package: a package carries note types whole (templates, styling) and Anki merges
or duplicates a note type whose schema differs from the one it has; kg keeps only names and fields,
so a package it wrote could change a user's note types. The text import touches only the fields and
tags of notes it matches, and a row identical to the note is a no-op, so importing twice changes
nothing more.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import networkx as nx

from kg.cards import Card
from kg.errors import ExportError

__all__ = ["TAG_PREFIX", "AnkiTagExport", "concept_tag", "card_concept_tags", "anki_tag_text", "export_anki_tags"]

TAG_PREFIX = "kg::"
_FIXED_COLUMNS = ("guid", "notetype", "deck")


@dataclass(frozen=True)
class AnkiTagExport:
    """What `export_anki_tags` wrote: notes in the file, notes given a concept tag, cards left out."""

    path: Path
    notes: int
    tagged: int
    not_anki: int
    duplicates: int = 0

    def summary(self) -> str:
        text = f"wrote {self.path} ({self.notes} Anki notes, {self.tagged} with concept tags"
        if self.not_anki:
            text += f"; {_cards(self.not_anki)} from non-Anki decks left out"
        if self.duplicates:
            text += f"; {_cards(self.duplicates)} repeating a guid already written left out"
        return text + ")"


def _cards(n: int) -> str:
    return f"{n} card" if n == 1 else f"{n} cards"


def concept_tag(concept_node: str) -> str:
    """The Anki tag of a concept node: `kg::` and the concept's slug (`concept:concept-drift` ->
    `kg::concept-drift`), stable across rebuilds and free of the spaces Anki splits tags on."""
    return TAG_PREFIX + concept_node.split(":", 1)[-1]


def card_concept_tags(G: nx.MultiDiGraph, card_node: str, *, limit: int | None = None) -> list[str]:
    """The concept tags of a card, most specific first (concepts on the fewest cards), at most `limit`."""
    if card_node not in G:
        return []
    concepts = [v for _, v, kind in G.out_edges(card_node, keys=True) if kind == "mentions"]
    concepts.sort(key=lambda v: (G.nodes[v].get("cards", 0), v))
    if limit is not None:
        concepts = concepts[:limit]
    return [concept_tag(v) for v in concepts]


def anki_tag_text(G: nx.MultiDiGraph, cards: Iterable[Card], *,
                  concepts: int | None = None) -> tuple[str, AnkiTagExport]:
    """The tag file's text for `cards` of graph `G`, and its counts (with an empty path)."""
    rows: list[tuple[Card, list[str]]] = []
    seen: set[str] = set()
    not_anki = duplicates = tagged = 0
    for card in cards:
        if not (card.guid and card.note_type and card.fields):
            not_anki += 1
            continue
        if card.guid in seen:
            duplicates += 1
            continue
        seen.add(card.guid)
        new = card_concept_tags(G, f"card:{card.id}", limit=concepts)
        tagged += bool(new)
        own = [t for t in card.tags if not t.casefold().startswith(TAG_PREFIX)]
        rows.append((card, list(dict.fromkeys(own + new))))
    width = max((len(card.fields) for card, _ in rows), default=1)
    out = io.StringIO()
    out.write("#separator:tab\n#html:true\n")
    out.write("#guid column:1\n#notetype column:2\n#deck column:3\n")
    out.write(f"#tags column:{len(_FIXED_COLUMNS) + width + 1}\n")
    out.write("#if matches:update current\n#match scope:notetype\n")
    # Every value quoted: a guid may start with "#", which Anki would take for a comment line.
    writer = csv.writer(out, delimiter="\t", quoting=csv.QUOTE_ALL, lineterminator="\n")
    for card, tags in rows:
        values = [value for _, value in card.fields]
        writer.writerow([card.guid, card.note_type, card.deck, *values, *[""] * (width - len(values)), " ".join(tags)])
    return out.getvalue(), AnkiTagExport(Path(), len(rows), tagged, not_anki, duplicates)


def export_anki_tags(workspace, path, *, concepts: int | None = None, scope=None) -> AnkiTagExport:
    """Write the tag file of the workspace at `workspace` to `path` (see the module docstring).

    `concepts` keeps each note's `concepts` most specific concepts; `scope` (a
    `kg.analysis.scope.Scope`) keeps the notes of those decks and tags, the others left untouched. Raises ExportError when the
    workspace holds no Anki note or the file cannot be written; the target is then left as it was.
    """
    from kg.workspace import Workspace

    if concepts is not None and concepts < 1:
        raise ExportError(f"--concepts must be at least 1, not {concepts}")
    with Workspace.open(workspace) as ws:
        G = ws.graph()
        cards = ws.cards()
        if scope:
            from kg.analysis.scope import scoped_graph

            G = scoped_graph(G, scope)
            cards = (card for card in cards if f"card:{card.id}" in G)
        text, counts = anki_tag_text(G, cards, concepts=concepts)
    path = Path(path)
    if not counts.notes:
        raise ExportError(f"no Anki notes in the workspace {workspace} ({_cards(counts.not_anki)} from other "
                          "decks); build it from an Anki package or collection first")
    if not path.parent.is_dir():
        raise ExportError(f"cannot export to {path}: folder {path.parent} does not exist")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as e:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        raise ExportError(f"cannot export to {path}: {e.strerror or e}") from e
    return AnkiTagExport(path, counts.notes, counts.tagged, counts.not_anki, counts.duplicates)
