"""The Typer app, shared options and output helpers, and the one place that turns ImmstatError
into a clean exit.

Kept light on purpose: ``immstat --version`` and ``--help`` import this module, Typer and the
command modules' signatures only. Rich consoles are made on first use; heavy libraries (DuckDB,
Ibis, pandas, Arrow, Altair, FastAPI, uvicorn) are imported inside the commands that need them.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from immstat._version import __version__
from immstat.core.errors import ImmstatError

if TYPE_CHECKING:
    from rich.console import Console

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="immstat",
    help="ImmStat: aggregate-only statistics on US immigration enforcement from public data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help text: rendering it with Rich would double `--help`'s time
)

DbOption = Annotated[
    Path | None, typer.Option("--db", help="Warehouse file (default $IMMSTAT_HOME/immstat.duckdb).")
]


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


@functools.cache
def console() -> Console:
    """Rich console on standard output."""
    from rich.console import Console

    return Console()


@functools.cache
def err_console() -> Console:
    """Rich console on standard error."""
    from rich.console import Console

    return Console(stderr=True)


def guarded(func: F) -> F:
    """Run a command; ImmstatError → one red line on stderr and exit code 1, no traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ImmstatError as exc:
            err_console().print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"immstat {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """ImmStat command line."""
