"""The `kg` command: a thin layer that parses options, calls one library function, prints."""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from kg.errors import KGError
from kg.readers.layouts import LAYOUT_NAMES
from kg.workspace import DEFAULT_WORKSPACE

# Exit statuses, documented in `kg --help`.
EXIT_OK = 0
EXIT_ERROR = 1  # nothing was done: the error line says why
EXIT_USAGE = 2  # bad command line (click's own status)
EXIT_PARTIAL = 3  # `kg build`: built, but some decks or cards were skipped (listed above)

EXIT_HELP = """
Exit status: 0 success; 1 error (one line on stderr says why; nothing was written);
2 bad command line; 3 `kg build` finished but skipped unreadable decks or cards (each listed).
"""


def bundled_decks() -> Path:
    """The deck that ships with kg: ./cards in a checkout, else the copy installed with the package."""
    local = Path("cards")
    if local.is_dir():
        return local
    from importlib.resources import files

    return Path(str(files("kg.bundled")))


@contextmanager
def _errors():
    """Turn the library's own errors into one line on stderr and status 1, never a traceback."""
    try:
        yield
    except KGError as exc:
        raise click.ClickException(str(exc)) from None


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.ClickException:
            raise
        except KeyboardInterrupt:
            click.echo("kg: interrupted; the previous workspace is unchanged", err=True)
            sys.exit(130)


workspace_option = click.option(
    "--workspace", "-w", default=lambda: os.environ.get("KG_WORKSPACE", DEFAULT_WORKSPACE),
    show_default=".kg or $KG_WORKSPACE", type=click.Path(file_okay=False),
    help="Workspace folder written by `kg build`.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")


def _remember_scope(ctx, param, value):
    ctx.meta[f"kg.scope.{param.name}"] = value


def scoped_workspace_option(command):
    """`--workspace` plus the scope: `--deck` and `--tag`, each repeatable (kg.analysis.scope)."""
    command = click.option("--tag", multiple=True, expose_value=False, callback=_remember_scope,
                           help="Only cards with this tag or a subtag (repeatable).")(command)
    command = click.option("--deck", multiple=True, expose_value=False, callback=_remember_scope,
                           help="Only cards of this deck or its subdecks (repeatable).")(command)
    return workspace_option(command)


def _graph(workspace):
    from kg.analysis.scope import Scope, scoped_graph
    from kg.workspace import load_graph

    meta = click.get_current_context().meta
    scope = Scope.of(meta.get("kg.scope.deck") or (), meta.get("kg.scope.tag") or ())
    with _errors():
        return scoped_graph(load_graph(workspace), scope)


def _store(workspace):
    """The store the workspace option names: a workspace folder or a PostgreSQL URL; with a
    scope (`--deck`, `--tag`), the scoped graph of a workspace folder."""
    from kg.analysis.scope import Scope
    from kg.store import is_served_from_disk, open_store
    from kg.store.dsn import refuse_password
    from kg.store.sqlite import SqliteStore

    ctx = click.get_current_context()
    scope = Scope.of(ctx.meta.get("kg.scope.deck") or (), ctx.meta.get("kg.scope.tag") or ())
    with _errors():
        if ctx.get_parameter_source("workspace") == click.core.ParameterSource.COMMANDLINE:
            refuse_password(str(workspace))
        if scope and is_served_from_disk(workspace):
            raise click.UsageError("--deck / --tag work on a workspace folder; a PostgreSQL or sqlite: store "
                                   "has no scopes yet")
        if scope:
            return SqliteStore(_graph(workspace), location=str(workspace))
        return open_store(workspace)


def _concept(G, name: str) -> str:
    """Resolve a concept typed by a person (label, alias, id or near-miss) to its node id."""
    from kg.search import suggest

    found = suggest(G, name, limit=1)
    if not found:
        raise click.ClickException(f"no concept matches {name!r}; try `kg concepts`")
    return found[0]["id"]


def _store_concept(store, name: str) -> str:
    """`_concept` asked of a store."""
    found = store.suggest(name, limit=1)
    if not found:
        raise click.ClickException(f"no concept matches {name!r}; try `kg concepts`")
    return found[0]["id"]


def _print_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=list))


@click.group(cls=_Group, epilog=EXIT_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def cli():
    """kg: explore how the ideas in your flashcard decks connect."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@workspace_option
@click.option("--curation", type=click.Path(exists=True, dir_okay=False),
              help="Curation file (default: concepts.toml in the first deck folder).")
@click.option("--model", envvar="KG_SPACY_MODEL", help="spaCy pipeline to use ($KG_SPACY_MODEL).")
@click.option("--processes", "-j", type=click.IntRange(1, 64), default=None,
              help="Worker processes for spaCy (default: 2 for large decks).")
@click.option("--scheduler", metavar="ADDRESS",
              help="Extract and count on a Dask cluster: a scheduler (tcp://host:8786) or local:N workers.")
@click.option("--partitions", type=click.IntRange(1, 100000), default=None,
              help="Partitions of cards for --scheduler (default: by cards and workers).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary.")
@click.option("--format", "fmt", type=click.Choice(LAYOUT_NAMES, case_sensitive=False), default=None,
              help="Read every text deck in this layout instead of detecting it (see `kg inspect`).")
@click.option("--timings", is_flag=True, help="Print the seconds each phase of the build took.")
def build(paths, workspace, curation, model, processes, scheduler, partitions, quiet, fmt, timings):
    """Read decks (files or folders; default: the bundled deck) and build the workspace."""
    from kg.build import build as run_build

    paths = list(paths) or [str(bundled_decks())]
    with _errors(), _progress(quiet) as progress:
        report = run_build(paths, workspace=workspace, curation=curation, model=model,
                           n_process=processes, progress=progress, format=fmt, scheduler=scheduler,
                           partitions=partitions)
    for problem in report.problems:
        click.echo(str(problem), err=True)
    if not quiet:
        if not report.updated:
            done = "built"
        elif report.changed:
            done = f"updated ({report.changed} card{'s' if report.changed != 1 else ''} changed)"
        else:
            done = "unchanged"
        click.echo(
            f"{done} {report.workspace}: {_count(report.cards, 'card')} in {_count(report.decks, 'deck')}, "
            f"{report.concepts} concepts, {report.edges} edges ({report.extracted} extracted, "
            f"{report.reused} from cache) in {report.seconds:.1f}s"
        )
        from kg.cli_accounts import print_accounts

        print_accounts(report.files)
    if timings:
        from kg.phases import table

        click.echo(table(report.phases, report.seconds, getattr(report.phases, "cpu", None)))
    from kg.readers.problems import Outline

    # A note's own prose around its cards (an Org outline, an Obsidian note) is listed, yet
    # nothing written as a card was skipped: no partial build.
    skipped = [p for p in report.problems if not isinstance(p, Outline)]
    if skipped:
        click.echo(f"kg: {len(skipped)} problem(s); the rest was built", err=True)
        sys.exit(EXIT_PARTIAL)
    if report.problems:
        click.echo(f"kg: {len(report.problems)} stretch(es) of notes outside any card listed above; "
                   "every card was built", err=True)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@contextmanager
def _progress(quiet: bool):
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("extracting concepts"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), transient=True) as bar:
        task = bar.add_task("extract", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@cli.command()
@scoped_workspace_option
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "json", "csv", "anki"]),
              default="graphml", show_default=True,
              help="File format; anki: a tag file Anki's File → Import reads to tag your notes by concept.")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="File to write.")
@click.option("--concept", help="Export only this concept's neighbourhood.")
@click.option("--depth", type=click.IntRange(1, 3), default=1, show_default=True,
              help="Neighbourhood depth with --concept.")
@click.option("--concepts", type=click.IntRange(1), default=None,
              help="With --format anki: tag each note with at most this many concepts, the most specific.")
def export(workspace, fmt, output, concept, depth, concepts):
    """Export the graph (or one concept's neighbourhood) for Gephi, yEd, igraph, or concept tags for Anki."""
    from kg.export import export_graph, subgraph_for

    if fmt == "anki":
        from kg.analysis.scope import Scope
        from kg.anki_tags import export_anki_tags

        if concept:
            raise click.UsageError("--concept selects a graph neighbourhood; --format anki tags every note")
        meta = click.get_current_context().meta
        scope = Scope.of(meta.get("kg.scope.deck") or (), meta.get("kg.scope.tag") or ())
        with _errors():
            click.echo(export_anki_tags(workspace, output, concepts=concepts, scope=scope).summary())
        return

    G = _graph(workspace)
    with _errors():
        if concept:
            G = subgraph_for(G, _concept(G, concept), depth=depth)
        written = export_graph(G, output, format=fmt)
    click.echo(f"wrote {written} ({G.number_of_nodes()} nodes, {G.number_of_edges()} edges)")


@cli.command()
@click.argument("query")
@scoped_workspace_option
@click.option("--limit", "-n", type=click.IntRange(1, 1000), default=10, show_default=True)
@json_option
def search(query, workspace, limit, as_json):
    """Cards ranked for a concept or free text, best first."""
    store = _store(workspace)
    with _errors():
        result = store.search(query, limit=limit)
    if as_json:
        _print_json([{k: c[k] for k in ("id", "question", "deck", "score")} for c in result["cards"]])
        return
    if result["concepts"]:
        # (a query naming no concept whole lists the concepts its words name: say so)
        head = "concepts named by its words: " if result.get("concepts_by_word") else "concepts: "
        click.echo(head + ", ".join(c["label"] for c in result["concepts"][:5]))
    if not result["cards"]:
        click.echo(f"no cards match {query!r}")
    for card in result["cards"]:
        click.echo(f"{card['score']:6.2f}  {card['question']}  [{card['deck']}]")


@cli.command()
@scoped_workspace_option
@click.option("--top", "-n", type=click.IntRange(1, 100000), default=40, show_default=True)
@json_option
def concepts(workspace, top, as_json):
    """The concepts that most cards talk about (a word of general English counts for fewer)."""
    with _errors():
        rows = _store(workspace).concepts_by_cards(top)
    from kg.nlp.generic import rank_order

    # What each concept counts for in the ranking, so an order that is not the card count explains itself.
    ranked = [-rank_order(d)[0] for d in rows]
    if as_json:
        _print_json([{**{k: d.get(k) for k in ("label", "key", "aliases", "cards", "community")},
                      "ranked_cards": r} for d, r in zip(rows, ranked)])
        return
    click.echo("cards  concept")
    for d, r in zip(rows, ranked):
        aliases = f"  (also: {', '.join(d['aliases'])})" if d.get("aliases") else ""
        general = f"  [counts as {r:.1f}: a common English word]" if r < d.get("cards", 0) - 0.05 else ""
        click.echo(f"{d.get('cards', 0):5}  {d['label']}{aliases}{general}")


@cli.command()
@scoped_workspace_option
@json_option
def stats(workspace, as_json):
    """Counts of decks, cards, concepts and links in the workspace."""
    with _errors():
        data = _store(workspace).stats()
    nodes, edges = data["nodes"], data["edges"]
    if as_json:
        _print_json(data)
        return
    click.echo(f"workspace {workspace} (model {data['model']})")
    for kind in ("deck", "card", "concept"):
        click.echo(f"  {kind + 's':10} {nodes.get(kind, 0)}")
    for kind, n in sorted(edges.items()):
        click.echo(f"  {kind:10} {n} edges")


@cli.command()
@scoped_workspace_option
@json_option
def communities(workspace, as_json):
    """Groups of concepts that belong together, each named by its central concepts."""
    from kg.analysis import communities as run

    G = _graph(workspace)
    with _errors():
        groups = run(G)
    if as_json:
        _print_json(groups)
        return
    for group in groups:
        labels = [G.nodes[c]["label"] for c in group["concepts"][:8]]
        click.echo(f"{group['id']:3}  {group['label']}  ({group['size']} concepts)")
        click.echo(f"     {', '.join(labels)}")


@cli.command()
@click.argument("source")
@click.argument("target")
@scoped_workspace_option
@json_option
def path(source, target, workspace, as_json):
    """How two concepts relate: the hops between them and the cards behind each."""
    store = _store(workspace)
    with _errors():
        result = store.path(_store_concept(store, source), _store_concept(store, target))
    if as_json:
        _print_json(result)
        return
    if not result["hops"]:
        click.echo(f"{source!r} and {target!r} are not connected")
        return
    for hop in result["hops"]:
        name = hop["kind"] + (f" ({hop['verb']})" if hop.get("verb") else "")
        a, b = hop["from_label"], hop["to_label"]
        # A hop may walk a directed link backwards ("cache ←is_a— memory cache").
        click.echo(f"{a} ←{name}— {b}" if hop.get("direction") == "backward" else f"{a} —{name}→ {b}")
        for card in hop["cards"][:3]:
            click.echo(f"    · {card['question']}")


@cli.command()
@scoped_workspace_option
@click.option("--limit", "-n", type=click.IntRange(1, 100), default=5, show_default=True)
@json_option
def gaps(workspace, limit, as_json):
    """Groups of concepts close in meaning but rarely studied together."""
    from kg.analysis import gaps as run

    G = _graph(workspace)
    with _errors():
        found = run(G, limit=limit)
    if as_json:
        _print_json(found)
        return
    if not found:
        click.echo("no gaps found")
    for gap in found:
        click.echo(f"{gap['a']['label']}  <->  {gap['b']['label']}  (score {gap['score']:.2f})")
        click.echo(f"    {gap['suggestion']}")


@cli.command()
@click.argument("card")
@scoped_workspace_option
@click.option("--limit", "-n", type=click.IntRange(1, 100), default=10, show_default=True)
@json_option
def related(card, workspace, limit, as_json):
    """Cards that share the most specific concepts with CARD (a card id)."""
    from kg.analysis import related_cards

    G = _graph(workspace)
    card_node = card if card.startswith("card:") else f"card:{card}"
    with _errors():
        found = related_cards(G, card_node, limit=limit)
    if as_json:
        _print_json(found)
        return
    for other in found:
        click.echo(f"{other['score']:6.2f}  {other['question']}  [{other['deck']}]")


# A loaded graph takes about this many times its workspace file in memory (20k cards: a 146 MB
# file, 745 MB per process; 100k cards: 725 MB, 2.2 GB), plus the interpreter and libraries.
MEMORY_PER_FILE_BYTE = 3
MEMORY_BASE = 250 << 20


def _default_workers(workspace=None) -> int:
    """One serving process per core, at most 4, and no more than half the memory available
    holds: each process keeps its own copy of the graph."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    workers = max(1, min(4, cores))
    available = _available_memory()
    if workspace is not None and available:
        from kg.workspace import workspace_file

        try:
            need = MEMORY_PER_FILE_BYTE * workspace_file(workspace).stat().st_size + MEMORY_BASE
        except OSError:
            return workers
        workers = max(1, min(workers, available // 2 // need))
    return workers


def _available_memory() -> int | None:
    """MemAvailable in bytes (Linux), None elsewhere."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(LAYOUT_NAMES, case_sensitive=False), default=None,
              help="Read the files in this layout instead of detecting it.")
@click.option("--cards", "first", type=click.IntRange(0, 1000), default=3, show_default=True,
              help="How many of the first cards to show.")
@json_option
def inspect(files, fmt, first, as_json):
    """Show how kg reads deck files, without building: layout and why, counts, first cards, problems."""
    from kg.readers.inspection import inspect_files

    with _errors():
        inspections = inspect_files(files, format=fmt, first=first)
    if as_json:
        _print_json([i.to_dict() for i in inspections])
        return
    from kg.cli_accounts import print_inspections

    print_inspections(inspections)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@workspace_option
@click.option("--watch", is_flag=True,
              help="Watch the decks at PATHS (default: those the workspace was built from) and update "
                   "the graph each time one is saved; open pages offer the new graph.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=5000, show_default=True)
@click.option("--threads", type=click.IntRange(1, 64), default=8, show_default=True,
              help="Threads per worker process.")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes serving the same port: pages nobody opened yet are drawn on every "
                   "core at once, but each process holds its own copy of the graph in memory. "
                   "Default: one per core, at most 4 (here %d), fewer when half the available "
                   "memory would not hold them." % _default_workers())
def serve(paths, workspace, watch, host, port, threads, workers):
    """Serve the web explorer (builds the bundled deck, or the decks to --watch, first if there
    is no workspace).

    Each process holds the workspace's graph in memory. For a large one, `kg load-sqlite WS`
    then `--workspace sqlite:WS/store.sqlite` (or `kg load-postgres` then `--workspace
    postgresql://ROLE@HOST/DB`) serves the JSON API from disk, a question at a time."""
    from kg.store import is_served_from_disk
    from kg.workspace import stamp

    if paths and not watch:
        raise click.UsageError("deck paths are read only with --watch; `kg build` them first")
    shared = is_served_from_disk(workspace)
    if shared:
        if watch:
            raise click.UsageError("--watch rebuilds a workspace folder; a PostgreSQL graph or a store file is "
                                   "loaded with `kg load-postgres` / `kg load-sqlite`")
        _store(workspace).close()  # checked here: a clear error, and no password on the command line
    elif stamp(workspace) is None:
        from kg.build import build as run_build

        source = list(paths) or [bundled_decks()]
        click.echo(f"no workspace at {workspace}; building {'the decks' if paths else 'the bundled deck'} first",
                   err=True)
        with _errors():
            run_build(source, workspace=workspace)
    watcher = _start_watcher(paths, workspace) if watch else None
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: the explorer has no authentication; "
                   "anyone who can reach this address can read your decks", err=True)
    from kg.web import create_app, workers as serving

    # A process serving from PostgreSQL or a store file holds no graph: one per core.
    workers = workers or _default_workers(None if shared else workspace)
    try:
        sock = serving.listen(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    with _errors():
        app = create_app({"KG_WORKSPACE": str(workspace) if shared else str(Path(workspace).resolve()),
                          "KG_PRELOAD": False, "KG_WATCH": watch})
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"kg explorer: http://{shown}:{sock.getsockname()[1]}/  "
               f"({workers} worker{'s' if workers != 1 else ''}; Ctrl+C to stop)")
    try:
        with _errors():
            serving.serve(app, sock, workers=workers, threads=threads)
    finally:
        if watcher is not None:
            watcher.terminate()
            watcher.join(5)


def _start_watcher(paths, workspace):
    """The deck watcher of `kg serve --watch`, in its own process (before any thread starts)."""
    from kg.watch import start_watcher, watched_sources

    paths = list(paths) or watched_sources(workspace)
    if not paths:
        raise click.UsageError("--watch needs the deck files or folders to watch")
    click.echo(f"watching {', '.join(str(p) for p in paths)}: a saved deck updates the graph", err=True)
    shown: set[str] = set()

    def report(built, status):
        if built is None:
            click.echo(f"kg watch: {status['error']}; still serving the last good graph", err=True)
            return
        for problem in status["problems"]:
            if problem not in shown:
                click.echo(f"kg watch: {problem}", err=True)
        shown.clear()
        shown.update(status["problems"])
        if built.changed:
            n = status["changed"]
            click.echo(f"kg watch: {n} card{'s' if n != 1 else ''} changed; {built.cards} cards, "
                       f"updated in {built.seconds:.2f}s", err=True)

    return start_watcher(paths, workspace=workspace, on_report=report)


@cli.command("load-postgres")
@click.argument("workspace", type=click.Path(exists=True, file_okay=False))
@click.argument("database")
@click.option("--grant-to", metavar="ROLE", help="A role that may read the graph (and nothing else), "
              "for `kg serve --workspace postgresql://ROLE@…`.")
@click.option("--stream", is_flag=True, default=None, help="Read the workspace's graph from its file as "
              "the tables are written instead of holding it in memory: several times slower, a fraction "
              "of the memory (chosen by itself when the graph would not fit in half the free memory).")
def load_postgres(workspace, database, grant_to, stream):
    """Load a built WORKSPACE into the PostgreSQL DATABASE (postgresql://user@host/db, the
    password from ~/.pgpass or PGPASSFILE) and switch servers reading it to the new graph."""
    from kg.store.dsn import redact, refuse_password
    from kg.store.postgres_load import load_postgres as run

    with _errors():
        refuse_password(database)
        report = run(workspace, database, grant_to=grant_to, stream=stream)
    click.echo(f"loaded {report.nodes} nodes and {report.edges} edges into {redact(database)} "
               f"as {report.generation} in {report.seconds:.1f} s")


@cli.command("load-sqlite")
@click.argument("workspace", type=click.Path(exists=True, file_okay=False))
@click.argument("store", required=False, type=click.Path(dir_okay=False))
@click.option("--stream", is_flag=True, default=None, help="Read the workspace's graph from its file as "
              "the tables are written instead of holding it in memory: several times slower, a fraction "
              "of the memory (chosen by itself when the graph would not fit in half the free memory).")
def load_sqlite(workspace, store, stream):
    """Write a built WORKSPACE as a SQLite store file (default WORKSPACE/store.sqlite), served a
    question at a time by `kg serve --workspace sqlite:STORE` with memory that does not grow
    with the graph (for large workspaces; a server reading the old file switches to the new)."""
    from kg.store.load import load_sqlite as run

    with _errors():
        report = run(workspace, store, stream=stream)
    click.echo(f"wrote {report.nodes} nodes and {report.edges} edges to {report.generation} in "
               f"{report.seconds:.1f} s; serve it with `kg serve --workspace sqlite:{report.generation}`")


def main():
    cli(prog_name="kg")


if __name__ == "__main__":
    main()
