"""Live decks: watch deck files and update the workspace when they are saved (`kg serve --watch`).

One watcher process keeps the spaCy model loaded and the decks it has read, so a saved edit
costs an incremental update (kg.build, kg.update), not a process start and a model load. The
serving processes notice the new workspace by its stamp (kg.web.graph) as after any build.

watchfiles (inotify on Linux) groups a burst of saves: changes are gathered until STEP_MS pass
without one (at most DEBOUNCE_MS), and what is saved during an update makes the next one.

A save that gives a file more problems than its last good version had, or leaves it without a
card, is not taken: the graph keeps that file's last good cards, and the problems are reported
with a note saying so, until a save reads as cleanly as before. Half-written files, binary
junk and a file emptied by an editor therefore never take cards out of the graph in silence;
deleting a file from a watched folder removes its cards.

What the watcher did goes to STATUS_FILE in the workspace folder, replaced atomically; every
serving process reads it for `/api/status`.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterable

from kg.build import CURATION_FILE, BuildReport, build
from kg.cards import Card
from kg.errors import DeckError, KGError, WorkspaceError
from kg.kept import KeptUpdate
from kg.readers import DECK_SUFFIXES, iter_file
from kg.workspace import Workspace

STATUS_FILE = "watch.json"
#: Quiet time that ends a burst of saves, and the longest a burst is gathered (milliseconds).
STEP_MS = 50
DEBOUNCE_MS = 1600
#: Updates remembered in the status, so a page can add up what changed since it was drawn.
HISTORY = 50

Item = Card | DeckError


def status_file(workspace: str | os.PathLike) -> Path:
    return Path(workspace) / STATUS_FILE


def read_status(workspace: str | os.PathLike) -> dict | None:
    """The watcher's last status for `workspace`, or None when there is none (or it is unreadable)."""
    try:
        with open(status_file(workspace), encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def watched_sources(workspace: str | os.PathLike) -> list[Path]:
    """The deck paths the workspace was last built from (what `--watch` watches by default)."""
    try:
        with Workspace.open(workspace) as ws:
            sources = ws.meta.get("sources", "")
    except WorkspaceError:
        return []
    return [Path(p) for p in sources.split("|") if p]


def _counts(items: list[Item]) -> tuple[int, int]:
    cards = sum(1 for item in items if isinstance(item, Card))
    return cards, sum(1 for item in items if isinstance(item, DeckError))


class DeckWatcher:
    """Rebuilds the workspace from `paths` with the model held in memory; `run()` watches."""

    def __init__(self, paths: Iterable[str | os.PathLike], *, workspace: str | os.PathLike,
                 model: str | None = None, nlp=None,
                 on_report: Callable[[BuildReport | None, dict], None] | None = None):
        # Read as given (the workspace records them, and `kg build` is likely given the same);
        # compared resolved, as watchfiles names them.
        self.paths = [Path(p) for p in paths]
        self._roots = [Path(os.path.realpath(p)) for p in self.paths]
        self.workspace = Path(os.path.realpath(workspace))
        self.model, self.nlp, self.on_report = model, nlp, on_report
        # Per deck file: the items of its last good read, and the problems of a save not taken.
        self._good: dict[Path, list[Item]] = {}
        self._held: dict[Path, list[DeckError]] = {}
        self._stale: set[Path] | None = None  # None: read every file again
        # What each card said at the last update ({id: (deck, question, answer)}), to count the
        # cards an update changed (a card that only moved down a file is not a change).
        self._contents: dict[str, tuple] | None = None
        self._read: dict[Path, list[Item]] = {}
        # What the last update counted, so the next one need not read it back (kg.kept).
        self._kept = KeptUpdate()
        self.status: dict = {
            "watching": [str(p) for p in self.paths], "state": "starting", "generation": 0,
            "built_at": None, "changed": 0, "cards": 0, "seconds": None, "problems": [], "error": None,
            "history": [], "updated_at": time.time(),
        }

    # -- reading --------------------------------------------------------------------------

    def _items(self, given: Path) -> list[Item]:
        path = Path(os.path.realpath(given))  # the key; cards name the file as it was given
        if self._stale is None or path in self._stale or path not in self._good:
            fresh = list(iter_file(given))  # with its layout, for the per-file account
            good = self._good.get(path)
            if good is not None and self._worse(fresh, good):
                problems = [item for item in fresh if isinstance(item, DeckError)]
                why = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}" if problems else "no cards"
                note = DeckError(given, f"this save is not used ({why}); the graph keeps the file's last good "
                                       f"version ({_counts(good)[0]} cards) until it reads as cleanly")
                self._held[path] = problems + [note]
            else:
                self._good[path] = fresh
                self._held.pop(path, None)
        self._read[path] = self._good[path]
        return self._good[path] + self._held.get(path, [])

    @staticmethod
    def _worse(fresh: list[Item], good: list[Item]) -> bool:
        (cards, problems), (good_cards, good_problems) = _counts(fresh), _counts(good)
        return problems > good_problems or (cards == 0 and good_cards > 0)

    # -- building -------------------------------------------------------------------------

    def rebuild(self, changed: Iterable[str | os.PathLike] | None = None) -> BuildReport | None:
        """Update the workspace for the files in `changed` (None: read every file again); the
        report, or None when the build failed (the status says why; the workspace is as it was)."""
        self._stale = None if changed is None else {Path(os.path.realpath(p)) for p in changed}
        self._read = {}
        self._set(state="building")
        try:
            report = build(self.paths, workspace=self.workspace, model=self.model, nlp=self._model(),
                           deck_items=self._items, kept=self._kept)
        except KGError as exc:
            self._set(state="failed", error=str(exc), problems=[str(exc)])
            self._tell(None)
            return None
        finally:
            # Files gone from a folder are forgotten.
            self._good = {p: v for p, v in self._good.items() if p.exists()}
        status = {"state": "ready", "error": None, "problems": [str(p) for p in report.problems],
                  "cards": report.cards, "seconds": round(report.seconds, 3)}
        contents = {item.id: (item.deck, item.question, item.answer)
                    for items in self._read.values() for item in items if isinstance(item, Card)}
        if self._contents is None or not report.changed:
            changed = report.changed
        else:
            changed = sum(1 for cid, content in contents.items() if self._contents.get(cid) != content) \
                + sum(1 for cid in self._contents if cid not in contents)
        self._contents = contents
        built_at = self._built_at()
        if built_at != self.status["built_at"]:
            entry = {"generation": self.status["generation"] + 1, "built_at": built_at,
                     "changed": changed, "finished": time.time()}
            status.update(generation=entry["generation"], built_at=built_at, changed=changed,
                          history=(self.status["history"] + [entry])[-HISTORY:])
        self._set(**status)
        self._tell(report)
        return report

    def _model(self):
        if self.nlp is None:
            from kg.nlp import load_model

            self._set(state="loading the model")
            self.nlp = load_model(self.model)
        return self.nlp

    def _built_at(self) -> str | None:
        try:
            with Workspace.open(self.workspace) as ws:
                return ws.meta.get("built_at")
        except WorkspaceError:
            return None

    def _set(self, **changes) -> None:
        self.status.update(changes, updated_at=time.time())
        _write_json(status_file(self.workspace), self.status)

    def _tell(self, report: BuildReport | None) -> None:
        if self.on_report is not None:
            self.on_report(report, self.status)

    # -- watching -------------------------------------------------------------------------

    def watch_targets(self) -> tuple[list[Path], bool]:
        """The folders to watch, and whether recursively. A file's folder is watched rather than
        the file: editors that save by renaming a new file over the old would end a file watch."""
        folders = {p if p.is_dir() else p.parent for p in self._roots}
        return sorted(folders), any(p.is_dir() for p in self._roots)

    def wanted(self, path: str | os.PathLike) -> bool:
        """Whether a change at `path` can change the graph: a deck file (or the curation file)
        named or inside a watched folder, not hidden, not inside the workspace."""
        path = Path(path)
        if path == self.workspace or self.workspace in path.parents:
            return False
        if path in self._roots:
            return True
        if path.suffix.lower() not in DECK_SUFFIXES and path.name != CURATION_FILE \
                and path.suffix.lower() != ".json":  # a CrowdAnki deck.json (deleted ones cannot be sniffed)
            return False
        for root in self._roots:
            if root in path.parents:
                return not any(part.startswith(".") for part in path.relative_to(root).parts)
        return False

    def run(self, stop_event=None) -> None:
        """Build once (edits made while nobody watched), then update after every burst of saves,
        until `stop_event` is set or the process is interrupted."""
        import watchfiles

        self._set(state="starting")
        try:
            self._model()
        except KGError as exc:
            # Served as it is, with the reason on every page: nothing will be updated.
            self._set(state="failed", error=str(exc), problems=[str(exc)])
            self._tell(None)
            return
        self._guarded(None)
        folders, recursive = self.watch_targets()
        for changes in watchfiles.watch(*folders, watch_filter=lambda _, p: self.wanted(p), step=STEP_MS,
                                        debounce=DEBOUNCE_MS, stop_event=stop_event, recursive=recursive):
            self._guarded({path for _, path in changes})

    def _guarded(self, changed) -> None:
        try:
            self.rebuild(changed)
        except Exception as exc:  # a bug must not end the watching in silence: said, and the next save retried
            message = f"the update failed ({type(exc).__name__}: {exc})"
            self._kept.clear()
            self._set(state="failed", error=message, problems=[message])
            self._tell(None)


def _write_json(path: Path, data: dict) -> None:
    """Replace `path` with `data` atomically: a reader sees the old status or the new one."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=".watch-", suffix=".tmp", dir=path.parent)
    except OSError:
        return  # no workspace folder yet; the first build makes it
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def start_watcher(paths: Iterable[str | os.PathLike], *, workspace: str | os.PathLike, model: str | None = None,
                  on_report: Callable[[BuildReport | None, dict], None] | None = None):
    """Fork the watcher into its own process (its updates never hold a serving process's GIL);
    it dies with this process. Call before any thread starts. Returns the multiprocessing.Process."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    process = context.Process(target=_watch_main, args=(list(paths), workspace, model, on_report, os.getpid()),
                              daemon=True, name="kg-watch")
    process.start()
    return process


def _watch_main(paths, workspace, model, on_report, parent: int) -> None:
    import signal
    import sys

    from kg.processes import die_with_parent

    die_with_parent(parent, signal.SIGTERM)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        DeckWatcher(paths, workspace=workspace, model=model, on_report=on_report).run()
    except (KeyboardInterrupt, SystemExit):
        pass
