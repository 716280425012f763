"""The Typer app, shared options and the one place that turns ImmstatError into a clean exit."""

from __future__ import annotations

import functools
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from immstat._version import __version__
from immstat.core.errors import ImmstatError

app = typer.Typer(
    name="immstat",
    help="ImmStat: aggregate-only statistics on US immigration enforcement from public data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    Path | None, typer.Option("--db", help="Warehouse file (default $IMMSTAT_HOME/immstat.duckdb).")
]


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


def guarded(func):
    """Run a command; ImmstatError → one red line on stderr and exit code 1, no traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ImmstatError as exc:
            err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")


def _version(value: bool) -> None:
    if value:
        console.print(f"immstat {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """ImmStat command line."""
