"""The serving commands: `kg serve` (with `--watch`, the deck watcher's reports) and `kg
load-sqlite` / `kg load-postgres`, which write a built workspace as a store served from disk.

Registered on the `kg` group by `kg.cli`; the work is the library's (`kg.web`, `kg.watch`,
`kg.store`, `kg.serving` for the default number of processes).
"""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli_options import bundled_decks, click_errors, workspace_option, workspace_store
from kg.serving import default_workers


@click.command()
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
                   "memory would not hold them." % default_workers())
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
        workspace_store(workspace).close()  # checked here: a clear error, and no password on the command line
    elif stamp(workspace) is None:
        from kg.build import build as run_build

        source = list(paths) or [bundled_decks()]
        click.echo(f"no workspace at {workspace}; building {'the decks' if paths else 'the bundled deck'} first",
                   err=True)
        with click_errors():
            run_build(source, workspace=workspace)
    watcher = _start_watcher(paths, workspace) if watch else None
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: listening on {host}: the explorer has no authentication; "
                   "anyone who can reach this address can read your decks", err=True)
    from kg.web import create_app, workers as serving

    # A process serving from PostgreSQL or a store file holds no graph: one per core.
    workers = workers or default_workers(None if shared else workspace)
    try:
        sock = serving.listen(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    with click_errors():
        app = create_app({"KG_WORKSPACE": str(workspace) if shared else str(Path(workspace).resolve()),
                          "KG_PRELOAD": False, "KG_WATCH": watch})
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"kg explorer: http://{shown}:{sock.getsockname()[1]}/  "
               f"({workers} worker{'s' if workers != 1 else ''}; Ctrl+C to stop)")
    try:
        with click_errors():
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


@click.command("load-postgres")
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

    with click_errors():
        refuse_password(database)
        report = run(workspace, database, grant_to=grant_to, stream=stream)
    click.echo(f"loaded {report.nodes} nodes and {report.edges} edges into {redact(database)} "
               f"as {report.generation} in {report.seconds:.1f} s")
    if report.warmed_mb is None:
        click.echo("note: the server lacks pg_prewarm (or this role may not add it): the first questions "
                   "after the switch read the new graph from disk")
    else:
        click.echo(f"read {report.warmed_mb:,.0f} MB of it into the server's memory before the switch")


@click.command("load-sqlite")
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

    with click_errors():
        report = run(workspace, store, stream=stream)
    click.echo(f"wrote {report.nodes} nodes and {report.edges} edges to {report.generation} in "
               f"{report.seconds:.1f} s; serve it with `kg serve --workspace sqlite:{report.generation}`")
