"""The `kg` command: a thin layer that parses options, calls one library function, prints."""

from __future__ import annotations

import sys
from contextlib import contextmanager

import click

from kg.cli_options import (
    bundled_decks, click_errors, json_option, print_json, scoped_workspace_option, workspace_graph, workspace_option,
    workspace_store,
)
from kg.cli_serve import load_postgres, load_sqlite, serve
from kg.readers.layouts import LAYOUT_NAMES

# Exit statuses, documented in `kg --help`.
EXIT_OK = 0
EXIT_ERROR = 1  # nothing was done: the error line says why
EXIT_USAGE = 2  # bad command line (click's own status)
EXIT_PARTIAL = 3  # `kg build`: built, but some decks or cards were skipped (listed above)

EXIT_HELP = """
Exit status: 0 success; 1 error (one line on stderr says why; nothing was written);
2 bad command line; 3 `kg build` finished but skipped unreadable decks or cards (each listed).
"""


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.ClickException:
            raise
        except KeyboardInterrupt:
            click.echo("kg: interrupted; the previous workspace is unchanged", err=True)
            sys.exit(130)


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
    with click_errors(), _progress(quiet) as progress:
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
        with click_errors():
            click.echo(export_anki_tags(workspace, output, concepts=concepts, scope=scope).summary())
        return

    G = workspace_graph(workspace)
    with click_errors():
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
    store = workspace_store(workspace)
    with click_errors():
        result = store.search(query, limit=limit)
    if as_json:
        print_json([{k: c[k] for k in ("id", "question", "deck", "score")} for c in result["cards"]])
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
    with click_errors():
        rows = workspace_store(workspace).concepts_by_cards(top)
    from kg.nlp.generic import rank_order

    # What each concept counts for in the ranking, so an order that is not the card count explains itself.
    ranked = [-rank_order(d)[0] for d in rows]
    if as_json:
        print_json([{**{k: d.get(k) for k in ("label", "key", "aliases", "cards", "community")},
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
    with click_errors():
        data = workspace_store(workspace).stats()
    nodes, edges = data["nodes"], data["edges"]
    if as_json:
        print_json(data)
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

    G = workspace_graph(workspace)
    with click_errors():
        groups = run(G)
    if as_json:
        print_json(groups)
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
    store = workspace_store(workspace)
    with click_errors():
        result = store.path(_store_concept(store, source), _store_concept(store, target))
    if as_json:
        print_json(result)
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

    G = workspace_graph(workspace)
    with click_errors():
        found = run(G, limit=limit)
    if as_json:
        print_json(found)
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

    G = workspace_graph(workspace)
    card_node = card if card.startswith("card:") else f"card:{card}"
    with click_errors():
        found = related_cards(G, card_node, limit=limit)
    if as_json:
        print_json(found)
        return
    for other in found:
        click.echo(f"{other['score']:6.2f}  {other['question']}  [{other['deck']}]")


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

    with click_errors():
        inspections = inspect_files(files, format=fmt, first=first)
    if as_json:
        print_json([i.to_dict() for i in inspections])
        return
    from kg.cli_accounts import print_inspections

    print_inspections(inspections)


# The serving commands are kg.cli_serve's.
cli.add_command(serve)
cli.add_command(load_postgres)
cli.add_command(load_sqlite)


def main():
    cli(prog_name="kg")


if __name__ == "__main__":
    main()
