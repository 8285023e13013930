"""What the `kg` commands share: the workspace and scope options, the graph or store they name,
and the library's errors turned into one line on stderr (`kg.cli` and `kg.cli_serve` use them).
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path

import click

from kg.errors import KGError
from kg.workspace import DEFAULT_WORKSPACE


def bundled_decks() -> Path:
    """The deck that ships with kg: ./cards in a checkout, else the copy installed with the package."""
    local = Path("cards")
    if local.is_dir():
        return local
    from importlib.resources import files

    return Path(str(files("kg.bundled")))


@contextmanager
def click_errors():
    """Turn the library's own errors into one line on stderr and status 1, never a traceback."""
    try:
        yield
    except KGError as exc:
        raise click.ClickException(str(exc)) from None


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


def workspace_graph(workspace):
    from kg.analysis.scope import Scope, scoped_graph
    from kg.workspace import load_graph

    meta = click.get_current_context().meta
    scope = Scope.of(meta.get("kg.scope.deck") or (), meta.get("kg.scope.tag") or ())
    with click_errors():
        return scoped_graph(load_graph(workspace), scope)


def workspace_store(workspace):
    """The store the workspace option names: a workspace folder or a PostgreSQL URL; with a
    scope (`--deck`, `--tag`), the scoped graph of a workspace folder."""
    from kg.analysis.scope import Scope
    from kg.store import is_served_from_disk, open_store
    from kg.store.dsn import refuse_password
    from kg.store.sqlite import SqliteStore

    ctx = click.get_current_context()
    scope = Scope.of(ctx.meta.get("kg.scope.deck") or (), ctx.meta.get("kg.scope.tag") or ())
    with click_errors():
        if ctx.get_parameter_source("workspace") == click.core.ParameterSource.COMMANDLINE:
            refuse_password(str(workspace))
        if scope and is_served_from_disk(workspace):
            raise click.UsageError("--deck / --tag work on a workspace folder; a PostgreSQL or sqlite: store "
                                   "has no scopes yet")
        if scope:
            return SqliteStore(workspace_graph(workspace), location=str(workspace))
        return open_store(workspace)


def print_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=list))
