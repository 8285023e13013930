"""A build: read decks, extract concepts (reusing the cache), link the graph, write the workspace."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from kg.curation import Curation
from kg.errors import DeckError, WorkspaceError
from kg.extraction import CardExtraction
from kg.readers import read_decks
from kg.workspace import DEFAULT_WORKSPACE, Workspace, cache_key, write_workspace

CURATION_FILE = "concepts.toml"
# Below this many cards to extract, a second process saves less than a second. Workers are
# forked from the process that loaded the model, so starting them costs little.
PARALLEL_MIN_CARDS = 500

Progress = Callable[[int, int], None]


@dataclass
class BuildReport:
    """What a build did; `problems` are the inputs it had to skip (the rest was built)."""

    workspace: Path
    decks: int = 0
    cards: int = 0
    concepts: int = 0
    edges: int = 0
    extracted: int = 0
    reused: int = 0
    seconds: float = 0.0
    problems: list[DeckError] = field(default_factory=list)


def find_curation(paths: Iterable[str | os.PathLike]) -> Path | None:
    """The curation file that travels with the decks: `concepts.toml` in the first folder given."""
    for p in paths:
        candidate = Path(p) / CURATION_FILE
        if Path(p).is_dir() and candidate.is_file():
            return candidate
    return None


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _stored_cache(workspace: Path, keys: dict[str, str]) -> dict[str, str]:
    """The previous build's stored extraction text for these cache keys, not yet decoded."""
    try:
        with Workspace.open(workspace) as old:
            return old.cached_extraction_text(set(keys.values()))
    except WorkspaceError:
        # No previous workspace, or one from another version: everything is extracted afresh.
        return {}


def build(
    paths: Iterable[str | os.PathLike],
    *,
    workspace: str | os.PathLike = DEFAULT_WORKSPACE,
    curation: Curation | str | os.PathLike | None = None,
    model: str | None = None,
    nlp=None,
    n_process: int | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the workspace at `workspace` from the decks at `paths`.

    Cards whose text and pipeline are unchanged since the last build reuse their cached
    extraction; only new or edited cards go through spaCy. Unreadable decks are reported in
    `BuildReport.problems` and skipped. Raises `KGError` only when nothing can be built.
    """
    # Imported here so that `kg --help` and the web app start without loading spaCy.
    from kg.graph import build_graph
    from kg.nlp import extract, load_model, pipeline_fingerprint
    from kg.nlp.extractor import BackgroundExtraction
    from kg.nlp.pipeline import fingerprint_from_meta, installed_model_meta, model_label

    started = time.perf_counter()
    paths = [Path(p) for p in paths]
    workspace = Path(workspace)
    report = BuildReport(workspace=workspace)

    if not isinstance(curation, Curation):
        curation = Curation.load(curation if curation is not None else find_curation(paths))

    read = read_decks(paths)
    report.problems.extend(read.problems)
    cards = read.cards  # the readers keep card ids unique across everything read

    # The fingerprint comes from the package's meta.json when no model is given, so a
    # rebuild with nothing to extract never loads spaCy's model (seconds of a small rebuild).
    meta = nlp.meta if nlp is not None else installed_model_meta(model)
    if meta is None:
        nlp = load_model(model)
        meta = nlp.meta
    fingerprint = pipeline_fingerprint(nlp, curation) if nlp is not None else fingerprint_from_meta(meta, curation)
    keys = {card.id: cache_key(fingerprint, card) for card in cards}
    stored = _stored_cache(workspace, keys)
    missing = [card for card in cards if keys[card.id] not in stored]

    background = None
    if missing and nlp is None and n_process is None and len(missing) < PARALLEL_MIN_CARDS and _can_fork():
        # A small rebuild: a forked process loads the model and reads the new cards while this
        # one decodes the cached extractions of all the others.
        background = BackgroundExtraction(missing, model=model, curation=curation)
    extractions: dict[str, tuple[str, CardExtraction]] = {
        card.id: (keys[card.id], CardExtraction.from_dict(card.id, json.loads(stored[keys[card.id]])))
        for card in cards if keys[card.id] in stored
    }
    del stored
    report.reused = len(extractions)
    report.extracted = len(missing)

    total = len(missing)
    if progress:
        progress(0, total)
    if background is not None:
        found = background.result()
    elif missing:
        if nlp is None:
            nlp = load_model(model)
        if n_process is None:
            n_process = min(2, os.cpu_count() or 1) if len(missing) >= PARALLEL_MIN_CARDS else 1
        found = extract(missing, nlp=nlp, curation=curation, n_process=n_process)
    else:
        found = ()
    for done, extraction in enumerate(found, start=1):
        extractions[extraction.card_id] = (keys[extraction.card_id], extraction)
        if progress and (done % 64 == 0 or done == total):
            progress(done, total)

    graph = build_graph(cards, [extractions[c.id][1] for c in cards], curation=curation)
    write_workspace(
        workspace,
        cards=cards,
        extractions=extractions,
        graph=graph,
        meta={"pipeline": fingerprint, "model": model_label(meta),
              "sources": "|".join(str(p) for p in paths)},
        problems=[str(p) for p in report.problems],
    )

    report.cards = len(cards)
    report.decks = sum(1 for _, d in graph.nodes(data="kind") if d == "deck")
    report.concepts = sum(1 for _, d in graph.nodes(data="kind") if d == "concept")
    # networkx counts edges through its degree views, slower than this on a million edges.
    report.edges = sum(len(keyed) for out in graph._succ.values() for keyed in out.values())
    report.seconds = time.perf_counter() - started
    return report
