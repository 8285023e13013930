"""A build: read decks, extract concepts (reusing the cache), link the graph, write the workspace."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from kg.cards import Card
from kg.curation import Curation
from kg.errors import DeckError, WorkspaceError
from kg.extraction import CardExtraction
from kg.graphrows import build_graph_rows
from kg.phases import phase, recording
from kg.readers import read_decks
from kg.update import UpdatePlan, plan_update, update_graph
from kg.workspace import (
    DEFAULT_WORKSPACE,
    Workspace,
    cache_key,
    stamp,
    update_workspace,
    workspace_file,
    write_workspace,
)

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
    # True when the built graph was updated for the changed cards rather than built again.
    updated: bool = False
    # Cards new, edited, moved or gone since the last build (all of them for a full build).
    changed: int = 0
    problems: list[DeckError] = field(default_factory=list)
    # What became of each deck file: its layout, cards and problems (kg.cards.FileAccount).
    files: list = field(default_factory=list)
    # Wall seconds per phase of the build ("read decks", "extract", ...; kg.phases).
    phases: dict[str, float] = field(default_factory=dict)  # a kg.phases.Phases: .cpu too


def find_curation(paths: Iterable[str | os.PathLike]) -> Path | None:
    """The curation file that travels with the decks: `concepts.toml` in the first folder given."""
    for p in paths:
        candidate = Path(p) / CURATION_FILE
        if Path(p).is_dir() and candidate.is_file():
            return candidate
    return None


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _previous(workspace: Path) -> Workspace | None:
    try:
        return Workspace.open(workspace)
    except WorkspaceError:
        # No previous workspace, or one from another version: everything is built afresh.
        return None


def _plan(previous: Workspace | None, cards: list[Card], fingerprint: str, old: list[Card] | None = None
          ) -> UpdatePlan | None:
    """The update of `previous` to `cards`, when it was built by the same pipeline and little changed."""
    if previous is None:
        return None
    meta = previous.meta
    if meta.get("pipeline") != fingerprint or "edges" not in meta or not previous.state_is_current():
        return None
    return plan_update(cards, old if old is not None else list(previous.cards()))


def _unread(cards: list[Card], failed: dict[str, str]) -> list[DeckError]:
    """One problem per card the pipeline could not read (`failed`: card id -> why), in card order."""
    return [DeckError(card.source or card.deck, f"concepts could not be extracted from this card ({failed[card.id]}); "
                      "the card is kept without concepts") for card in cards if card.id in failed]


def _decode(stored: dict[str, str], keyed: dict[str, str]) -> dict[str, CardExtraction]:
    """{card id: extraction} for the cards (id -> cache key) whose extraction is stored."""
    return {cid: CardExtraction.from_dict(cid, json.loads(stored[key])) for cid, key in keyed.items() if key in stored}


class _Extraction:
    """Extraction of the cards the cache lacks: a few go to the forked worker (`worker`) that
    has been loading the model meanwhile; many are read here, on every core."""

    def __init__(self, cards: list[Card], *, nlp, model, curation, n_process, progress, worker, cluster=None):
        self.cards, self.nlp, self.model, self.curation = cards, nlp, model, curation
        self.n_process, self.progress, self.worker = n_process, progress, worker
        self.cluster = cluster  # a kg.cluster.ClusterSession: the cards go to its workers

    def results(self) -> Iterable[CardExtraction]:
        total = len(self.cards)
        if self.progress:
            self.progress(0, total)
        if self.cluster is not None:
            yield from self.cluster.extract(self.cards, curation=self.curation, progress=self.progress and (
                lambda done: self.progress(done, total)))
            return
        if self.worker is not None and 0 < total < PARALLEL_MIN_CARDS:
            found = self.worker.extract(self.cards)
        elif self.cards:
            if self.worker is not None:
                self.worker.close()
            from kg.nlp import extract, load_model

            nlp = self.nlp if self.nlp is not None else load_model(self.model)
            n_process = self.n_process
            if n_process is None:
                n_process = min(2, os.cpu_count() or 1) if total >= PARALLEL_MIN_CARDS else 1
            found = extract(self.cards, nlp=nlp, curation=self.curation, n_process=n_process)
        else:
            found = ()
        for done, extraction in enumerate(found, start=1):
            yield extraction
            if self.progress and (done % 64 == 0 or done == total):
                self.progress(done, total)


def build(
    paths: Iterable[str | os.PathLike],
    *,
    workspace: str | os.PathLike = DEFAULT_WORKSPACE,
    curation: Curation | str | os.PathLike | None = None,
    model: str | None = None,
    nlp=None,
    n_process: int | None = None,
    progress: Progress | None = None,
    format: str | None = None,
    deck_items: Callable[[Path], Iterable] | None = None,
    kept=None,
    scheduler=None,
    partitions: int | None = None,
) -> BuildReport:
    """Build the workspace at `workspace` from the decks at `paths`.

    Cards whose text and pipeline are unchanged since the last build reuse their cached
    extraction; only new or edited cards go through spaCy. When few cards changed, the built
    graph is updated for them (kg.update) rather than built again. Unreadable decks are reported
    in `BuildReport.problems` and skipped; `BuildReport.files` accounts for every file. `format` names
    the layout of the text decks instead of detecting it. Raises `KGError` only when nothing can be
    built. `deck_items(path)` reads one deck file instead of `kg.readers.iter_file`, and `kept` (a
    `kg.kept.KeptUpdate`) carries what an update counted over to the next (see kg.watch).

    With `scheduler` (a Dask scheduler's address, "local:N", or an open `kg.cluster.ClusterSession`)
    the cards are extracted and counted on that cluster in `partitions` partitions (default: by
    cards and workers); the graph is the same.
    """
    started = time.perf_counter()
    paths = [Path(p) for p in paths]
    workspace = Path(workspace)
    report = BuildReport(workspace=workspace)

    if not isinstance(curation, Curation):
        curation = Curation.load(curation if curation is not None else find_curation(paths))

    cluster = opened = None
    if scheduler is not None:
        from kg.cluster import ClusterSession

        cluster = scheduler if isinstance(scheduler, ClusterSession) else \
            (opened := ClusterSession(scheduler, model=model, partitions=partitions))
    worker = None
    if cluster is None and nlp is None and n_process is None and _can_fork() \
            and workspace_file(workspace).is_file():
        # A rebuild usually reads a few new cards: a worker loads the model while this
        # process reads the decks and the workspace (it is ended unused if none changed).
        from kg.nlp.background import BackgroundExtraction

        worker = BackgroundExtraction(model=model, curation=curation)
    try:
        with recording() as report.phases:
            return _build(paths, workspace, curation, model, nlp, n_process, progress, worker, report, started,
                          format, deck_items, kept, cluster)
    finally:
        if worker is not None:
            worker.close()
        if opened is not None:
            opened.close()


def _build(paths, workspace, curation, model, nlp, n_process, progress, worker, report, started,
           format=None, deck_items=None, kept=None, cluster=None) -> BuildReport:
    # Model-free: a small rebuild never imports spaCy in this process (half a second).
    from kg.nlp.fingerprint import (
        fingerprint_from_meta,
        installed_model_meta,
        model_label,
    )

    with phase("read decks"):
        read = read_decks(paths, format=format, items=deck_items)
    report.problems.extend(read.problems)
    report.files = read.files
    cards = read.cards  # the readers keep card ids unique across everything read

    # The fingerprint comes from the package's meta.json when no model is given, so a
    # rebuild with nothing to extract never loads spaCy's model (seconds of a small rebuild).
    meta = nlp.meta if nlp is not None else installed_model_meta(model)
    if meta is None:
        from kg.nlp import load_model

        nlp = load_model(model)
        meta = nlp.meta
    if nlp is not None:
        from kg.nlp import pipeline_fingerprint

        fingerprint = pipeline_fingerprint(nlp, curation)
    else:
        fingerprint = fingerprint_from_meta(meta, curation)
    with phase("cache keys"):
        keys = {card.id: cache_key(fingerprint, card) for card in cards}
    build_meta = {"pipeline": fingerprint, "model": model_label(meta), "sources": "|".join(str(p) for p in paths)}
    problems = [str(p) for p in report.problems]

    def extract_missing(wanted: list[Card], found: dict[str, tuple[str, CardExtraction]]) -> _Extraction:
        with phase("extraction cache"):
            stored = previous.cached_extraction_text({keys[c.id] for c in wanted}) if previous is not None else {}
            found.update((cid, (keys[cid], ext))
                         for cid, ext in _decode(stored, {c.id: keys[c.id] for c in wanted}).items())
        missing = [card for card in wanted if card.id not in found]
        report.extracted += len(missing)
        return _Extraction(missing, nlp=nlp, model=model, curation=curation, n_process=n_process,
                           progress=progress, worker=worker, cluster=cluster)

    extractions: dict[str, tuple[str, CardExtraction]] = {}
    previous = _previous(workspace)
    # Cards the pipeline could not read at the last build (id -> why): an update keeps those it
    # does not extract again, so each stays named in a problem.
    failed_before = json.loads(previous.meta.get("failed", "{}")) if previous is not None else {}
    try:
        plan = _plan(previous, cards, fingerprint, kept.cards_for(previous) if kept is not None else None)
        if plan is not None and not (plan.changed or plan.removed or plan.restated) \
                and previous.problems == problems + [str(p) for p in _unread(cards, failed_before)] \
                and previous.meta.get("sources") == build_meta["sources"]:
            # Nothing to write: the workspace (and every server's view of it) stays as it is.
            report.problems.extend(_unread(cards, failed_before))
            report.cards, report.concepts, report.updated = len(cards), previous.count("concept"), True
            report.changed = 0
            report.decks, report.edges = previous.count("deck"), int(previous.meta["edges"])
            report.reused = len(cards)
            report.seconds = time.perf_counter() - started
            return report
        if plan is not None:
            changed = set(plan.changed)
            pending = extract_missing([c for c in cards if c.id in changed], extractions)
            # While the worker loads the model: what the workspace was counted from.
            carried = kept.take(previous) if kept is not None else None
            if carried is not None:
                plan.state, plan.concepts = carried
            else:
                plan.state = previous.state()
                plan.concepts = previous.concepts() if plan.state is not None else {}
            plan.load_nodes = previous.nodes
            old_keys = {cid: cache_key(fingerprint, plan.old_cards[cid])
                        for cid in plan.changed + plan.removed if cid in plan.old_cards}
            old_ext = _decode(previous.cached_extraction_text(set(old_keys.values())), old_keys)
            for extraction in pending.results():
                extractions[extraction.card_id] = (keys[extraction.card_id], extraction)
            patch = update_graph(plan, old_ext, {cid: ext for cid, (_, ext) in extractions.items()}, curation=curation)
            if patch is not None:
                gone = changed | set(plan.removed)
                failed = {cid: why for cid, why in failed_before.items() if cid not in gone}
                failed.update((cid, ext.failed) for cid, (_, ext) in extractions.items() if ext.failed)
                unread = _unread(cards, failed)
                report.problems.extend(unread)
                in_use = set(keys.values())
                rewritten = changed | set(plan.restated)
                # A new card lands after every stored row: the cards after it are written
                # again behind it, so the stored order stays the read order the next update needs.
                first_new = next((i for i, c in enumerate(cards) if c.id not in plan.old_cards), len(cards))
                moved = [c.id for c in cards[first_new:] if c.id in plan.old_cards]
                rewritten.update(moved)
                report.edges = update_workspace(
                    workspace, patch=patch, cards=[c for c in cards if c.id in rewritten],
                    removed=plan.removed + moved, extractions=extractions,
                    drop_keys=[k for k in set(old_keys.values()) if k not in in_use],
                    meta={**build_meta, "failed": json.dumps(failed) if failed else None},
                    problems=problems + [str(p) for p in unread],
                )
                if kept is not None:
                    kept.keep(stamp(workspace), cards, patch, plan.concepts)
                report.cards, report.concepts, report.updated = len(cards), patch.concepts, True
                report.changed = len(plan.changed) + len(plan.removed) + len(plan.restated)
                report.decks = len({c.deck for c in cards})
                report.reused = len(cards) - report.extracted
                report.seconds = time.perf_counter() - started
                return report
            # The change reaches every card (a new acronym): build afresh, from the cache.
        pending = extract_missing([c for c in cards if c.id not in extractions], extractions)
        with phase("extract"):
            for extraction in pending.results():
                extractions[extraction.card_id] = (keys[extraction.card_id], extraction)
    finally:
        if previous is not None:
            previous.close()
    report.reused = len(cards) - report.extracted
    failed = {cid: ext.failed for cid, (_, ext) in extractions.items() if ext.failed}
    unread = _unread(cards, failed)
    report.problems.extend(unread)

    # The cards stay out of the held graph; their rows are made as the workspace is written.
    rows, state = build_graph_rows(cards, [extractions[c.id][1] for c in cards], curation=curation,
                                   counting=cluster.counting(len(cards)) if cluster is not None else None)
    report.edges = rows.number_of_edges()
    with phase("write workspace"):
        write_workspace(
            workspace,
            cards=cards,
            extractions=extractions,
            graph=rows,
            meta={**build_meta, "edges": str(report.edges), "failed": json.dumps(failed) if failed else None},
            problems=problems + [str(p) for p in unread],
            state=state,
        )

    report.cards = report.changed = len(cards)
    report.decks = rows.decks
    report.concepts = sum(1 for _, d in rows.graph.nodes(data="kind") if d == "concept")
    report.seconds = time.perf_counter() - started
    return report
