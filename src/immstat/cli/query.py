"""`immstat query`: compute one metric and render its Result as a table, CSV, JSON or parquet."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from immstat.cli.app import DbOption, console

if TYPE_CHECKING:
    from immstat.metrics import Result


class QueryFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


def query(
    metric: Annotated[str, typer.Argument(help="Metric name (see `immstat metrics`).")],
    by: Annotated[
        list[str] | None, typer.Option("--by", help="Break down by a dimension (repeatable).")
    ] = None,
    where: Annotated[
        list[str] | None, typer.Option("--where", help="Filter DIM=VALUE[,VALUE] (repeatable).")
    ] = None,
    fy: Annotated[
        int | None, typer.Option("--fy", help="Fiscal year (Oct–Sep, named by its end year).")
    ] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="First day YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last day YYYY-MM-DD.")] = None,
    grain: Annotated[str | None, typer.Option("--grain", help="day | week | month | fy")] = None,
    engine: Annotated[str, typer.Option("--engine", help="duckdb | spark")] = "duckdb",
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Use published releases up to this date.")
    ] = None,
    min_cell: Annotated[
        int | None, typer.Option("--min-cell", help="Raise the suppression threshold (≥ 11).")
    ] = None,
    fmt: Annotated[QueryFormat, typer.Option("--format")] = QueryFormat.table,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to a file (required for parquet).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Compute one metric, suppressed and with its sources."""
    from immstat.core.parse import parse_where
    from immstat.metrics import Warehouse

    with Warehouse(db, read_only=True) as wh:
        result = wh.query(
            metric,
            by=by,
            where=parse_where(where),
            fy=fy,
            date_from=date_from,
            date_to=date_to,
            grain=grain,
            engine=engine,
            as_of=as_of,
            min_cell=min_cell,
        )
    render(result, fmt, out)


def render(result: Result, fmt: QueryFormat, out: Path | None) -> None:
    from immstat.core.errors import QueryError

    if fmt == QueryFormat.parquet:
        import pyarrow.parquet as pq

        if out is None:
            raise QueryError("--format parquet needs --out FILE.parquet.")
        pq.write_table(result.to_arrow(), out)
        console().print(f"wrote {out}")
        return
    if fmt == QueryFormat.json:
        import json

        text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    elif fmt == QueryFormat.csv:
        text = result.to_csv()
    else:
        _print_table(result)
        return
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def _print_table(result: Result) -> None:
    from rich.table import Table

    from immstat.core.formats import SYNTHETIC_DATA, fmt_value

    title = result.metric.title + (f"  [bold red]{SYNTHETIC_DATA}[/]" if result.synthetic else "")
    table = Table(title=title)
    for col in result.columns[:-1]:
        table.add_column(col, justify="right" if col == "value" else "left")
    for row in result.rows():
        *keys, value, suppressed = row
        shown = f"suppressed (<{result.min_cell})" if suppressed else fmt_value(value, result.metric.unit)
        table.add_row(*("" if k is None else str(k) for k in keys), shown)
    console().print(table)
    console().print(
        f"{result.suppressed} cell(s) suppressed (min cell {result.min_cell}). Sources: "
        + "; ".join(
            f"{s['file']} (release {s['release_date']}, sha256 {s['sha256'][:12]})"
            for s in result.sources
        ),
        highlight=False,
    )
