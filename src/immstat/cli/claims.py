"""`immstat claims extract`: numeric claims in a text, as a table or JSON (see immstat.claims)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..claims import Claim, extract
from ..errors import ConfigError
from .app import OutputFormat, app, console, guarded, print_json

claims_app = typer.Typer(help="Find numeric claims about immigration enforcement in a text.", no_args_is_help=True)
app.add_typer(claims_app, name="claims")


@claims_app.command("extract")
@guarded
def extract_command(
    file: Annotated[str, typer.Argument(help="Text file to read, or - for standard input.")],
    date: Annotated[str | None, typer.Option("--date", help="Document date YYYY-MM-DD; resolves 'this fiscal year', 'last month'…")] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    show_all: Annotated[bool, typer.Option("--all", help="Also list numbers that are not claims, with the reason.")] = False,
) -> None:
    """Extract every numeric claim: value/bounds, kind, rate, period, scope, quote and mapped metric."""
    claims = extract(_read(file), _date(date), include_rejected=show_all)
    if fmt == OutputFormat.json:
        print_json([c.to_dict() for c in claims])
        return
    table = Table(title=f"{sum(c.rejected is None for c in claims)} claims")
    for col in ("claim", "number", "kind", "rate", "period", "scope", "metric"):
        table.add_column(col, overflow="fold")
    for c in claims:
        table.add_row(c.text, _number(c), c.kind or f"[dim]not a claim: {c.rejected}[/]", c.rate or "",
                      _period(c), c.scope.code or c.scope.level, c.metric or "")
    console.print(table)


def _read(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    path = Path(file)
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read {file}: {exc.__class__.__name__}. Give a UTF-8 text file, or - for stdin.") from None


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        raise ConfigError(f"--date {text!r} is not a date; use YYYY-MM-DD.") from None


def _number(c: Claim) -> str:
    unit = {"percent": "%", "ratio": "×", "usd": " USD"}.get(c.unit, "")
    core = f"{c.low:,.0f}–{c.high:,.0f}" if c.bound == "range" else f"{c.value:,.10g}"
    sign = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤", "approx": "≈"}.get(c.bound, "")
    return f"{sign}{core}{unit}"


def _period(c: Claim) -> str:
    p = c.period
    if p is None:
        return ""
    return f"{p.start} – {p.end}" if p.resolved else f"{p.label!r} (unresolved)"
