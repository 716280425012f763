"""`immstat revisions METRIC`: the revision ledger of a published metric (thin over
``immstat.analysis.revisions``)."""

from __future__ import annotations

import csv
import io
import sys
from enum import Enum
from typing import Annotated

import typer

from immstat.cli.app import DbOption, console, print_json


class LedgerFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def revisions(
    metric: Annotated[str, typer.Argument(help="A published metric that keeps every release, "
                                                "e.g. detention_stats_adp.")],
    fy: Annotated[int | None, typer.Option("--fy", help="Only this fiscal year's releases.")] = None,
    by: Annotated[
        list[str] | None, typer.Option("--by", help="Break down by a dimension (repeatable).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Only releases published up to YYYY-MM-DD.")
    ] = None,
    fmt: Annotated[LedgerFormat, typer.Option("--format")] = LedgerFormat.table,
    db: DbOption = None,
) -> None:
    """Every value each published figure has had, release by release, and what the latest changed."""
    from immstat.analysis.revisions import ledger
    from immstat.core.parse import parse_date
    from immstat.metrics import Warehouse

    with Warehouse(db, read_only=True) as wh:
        book = ledger(wh, metric, fy=fy, by=by, as_of=parse_date(as_of, "--as-of"))
    if fmt == LedgerFormat.json:
        print_json(book.to_dict())
        return
    columns, rows = book.wide_rows()
    if fmt == LedgerFormat.csv:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows([["" if v is None else v for v in row] for row in rows])
        sys.stdout.write(out.getvalue())
        return
    _print(book, columns, rows)


def _print(book, columns: list[str], rows: list[list]) -> None:
    from rich.table import Table

    from immstat.core.formats import SYNTHETIC_DATA

    marker = f"  [bold red]{SYNTHETIC_DATA}[/]" if book.synthetic else ""
    table = Table(title=f"Revisions: {book.metric.title} ({book.metric.unit}){marker}")
    for col in columns:
        table.add_column(col, justify="left" if col in (*book.by, "period", "change_kind") else "right")
    for row in rows:
        table.add_row(*[_cell(v) for v in row])
    console().print(table)
    for release in book.releases:
        cov = book.coverage[(release.fiscal_year, release.release_date)]
        console().print(f"• {release.file}: {cov.sentence()}", style="dim", highlight=False)
    for f in book.changes():
        c = f.change()
        cell = " ".join(f"{k}={v}" for k, v in f.cell)
        old = "—" if c["old"] is None else f"{c['old']:,.2f}"
        new = "—" if c["new"] is None else f"{c['new']:,.2f}"
        console().print(f"{c['kind']}: {cell} {f.label} {old} → {new} ({c['old_release']} → "
                      f"{c['new_release']})".replace("  ", " "), highlight=False)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)
