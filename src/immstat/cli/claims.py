"""`immstat claims extract|verify`: numeric claims in a text and what the data say about them.

A command group: :data:`app` holds its two subcommands and is listed in ``immstat.cli.GROUPS``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from immstat.cli.app import DbOption, OutputFormat, console, guarded, print_json
from immstat.core.errors import ConfigError
from immstat.core.formats import fmt_value

if TYPE_CHECKING:
    from immstat.analysis.claims import Claim

app = typer.Typer(
    help="Find numeric claims about immigration enforcement in a text.", no_args_is_help=True
)


@app.command("extract")
@guarded
def extract_command(
    file: Annotated[str, typer.Argument(help="Text file to read, or - for standard input.")],
    date: Annotated[
        str | None,
        typer.Option(
            "--date", help="Document date YYYY-MM-DD; resolves 'this fiscal year', 'last month'…"
        ),
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list numbers that are not claims, with the reason.")
    ] = False,
) -> None:
    """Extract every numeric claim: value/bounds, kind, rate, period, scope, quote and mapped metric."""
    from rich.table import Table

    from immstat.analysis.claims import extract
    from immstat.core.parse import parse_date

    claims = extract(_read(file), parse_date(date, "--date", ConfigError), include_rejected=show_all)
    if fmt == OutputFormat.json:
        print_json([c.to_dict() for c in claims])
        return
    table = Table(title=f"{sum(c.rejected is None for c in claims)} claims")
    for col in ("claim", "number", "kind", "rate", "period", "scope", "metric"):
        table.add_column(col, overflow="fold")
    for c in claims:
        table.add_row(
            c.text,
            _number(c),
            c.kind or f"[dim]not a claim: {c.rejected}[/]",
            c.rate or "",
            _period(c),
            c.scope.code or c.scope.level,
            c.metric or "",
        )
    console().print(table)


VERDICT_STYLE = {
    "supported": "green",
    "contradicted": "red",
    "unverifiable": "yellow",
    "out_of_scope": "dim",
}


@app.command("verify")
@guarded
def verify_command(
    file: Annotated[
        str, typer.Argument(help="Plain text or YAML claims file, or - for standard input.")
    ],
    date: Annotated[
        str | None,
        typer.Option(
            "--date", help="Document date YYYY-MM-DD; resolves 'this fiscal year', 'last month'…"
        ),
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Check every claim against the warehouse: supported / contradicted / unverifiable / out of scope."""
    from rich.table import Table

    from immstat.analysis.claims.verify import verify
    from immstat.core.formats import SYNTHETIC
    from immstat.core.parse import parse_date
    from immstat.metrics import Warehouse

    text, doc_date = _read(file), parse_date(date, "--date", ConfigError)
    with Warehouse(db, read_only=True) as wh:
        verdicts = verify(wh, text, doc_date)
    if fmt == OutputFormat.json:
        print_json([v.to_dict() for v in verdicts])
        return
    table = Table(title=f"{len(verdicts)} claims checked")
    for col in ("claim", "verdict", "value", "metric", "sources", "why"):
        table.add_column(col, overflow="fold")
    for v in verdicts:
        d = v.to_dict()
        value = "" if d["value"] is None else f"{'≥' if d['lower_bound'] else ''}{fmt_value(d['value'])}"
        sources = "; ".join(f"{s['file']} ({s['release_date'] or 'undated'})" for s in d["sources"])
        badge = f" [bold magenta]{SYNTHETIC}[/]" if d["synthetic"] else ""
        table.add_row(
            v.claim.text,
            f"[{VERDICT_STYLE[v.verdict]}]{v.label}[/]{badge}",
            value,
            d["metric"] or "",
            sources,
            v.explanation,
        )
    console().print(table)


def _read(file: str) -> str:
    if file == "-":
        return sys.stdin.read()
    path = Path(file)
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"Cannot read {file}: {exc.__class__.__name__}. Give a UTF-8 text file, or - for stdin."
        ) from None


def _number(c: Claim) -> str:
    unit = {"percent": "%", "ratio": "×", "usd": " USD", "days": " days"}.get(c.unit, "")
    core = f"{c.low:,.0f}–{c.high:,.0f}" if c.bound == "range" else f"{c.value:,.10g}"
    sign = {"gt": ">", "ge": "≥", "lt": "<", "le": "≤", "approx": "≈"}.get(c.bound, "")
    return f"{sign}{core}{unit}"


def _period(c: Claim) -> str:
    p = c.period
    if p is None:
        return ""
    return f"{p.start} – {p.end}" if p.resolved else f"{p.label!r} (unresolved)"
