"""`immstat query`: compute one metric and render its Result as a table, CSV, JSON or parquet."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from immstat.cli.app import DbOption, console, err_console

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
    """Compute one metric, suppressed and with its sources.

    Every cell carries its period (period_start, period_end, partial). A period outside the
    data's coverage exits 1 with what the data cover; an empty answer inside it (filters that
    match nothing) exits 0 and says so on stderr. CSV with --out also writes the CSVW metadata
    (JSON-LD) beside the file: OUT-metadata.json.
    """
    from immstat.core.errors import QueryError
    from immstat.core.parse import parse_where
    from immstat.metrics import Warehouse
    from immstat.metrics.periods import empty_reason

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
    empty = empty_reason(result)
    if empty and empty[0]:
        raise QueryError(empty[1])
    if empty:
        err_console().print(empty[1], highlight=False)
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
        from immstat.present.citation import csv_text

        text = csv_text(result)
    else:
        _print_table(result)
        return
    if out:
        out.write_text(text, encoding="utf-8", newline="")
        if fmt == QueryFormat.csv:
            _write_metadata(result, out)
    else:
        sys.stdout.write(text)


def _write_metadata(result: Result, out: Path) -> None:
    """The CSVW metadata beside a CSV file (``x.csv`` → ``x.csv-metadata.json``)."""
    import json

    from immstat.present.citation import csvw_metadata, metadata_filename

    meta = out.with_name(metadata_filename(out.name))
    meta.write_text(json.dumps(csvw_metadata(result, out.name), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    err_console().print(f"wrote {out} and {meta.name}", highlight=False)


def _print_table(result: Result) -> None:
    from rich.table import Table

    from immstat.core.formats import BLANK_LABEL, SYNTHETIC_DATA, day_label, fmt_value

    title = result.metric.title + (f"  [bold red]{SYNTHETIC_DATA}[/]" if result.synthetic else "")
    table = Table(title=title)
    hidden = ("suppressed", "period_start", "partial")
    shown_cols = [c for c in result.columns if c not in hidden]
    for col in shown_cols:
        name = "through" if col == "period_end" else col
        table.add_column(name, justify="right" if col == "value" else "left")
    for row in result.rows():
        cell = dict(zip(result.columns, row))
        values = []
        for col in shown_cols:
            v = cell[col]
            if col == "value":
                values.append(f"suppressed (<{result.min_cell})" if cell["suppressed"]
                              else fmt_value(v, result.metric.unit))
            elif col == "period_end":
                values.append(f"{v} (to date)" if cell["partial"] else str(v or ""))
            else:
                values.append(BLANK_LABEL if v in (None, "") else str(v))
        table.add_row(*values)
    console().print(table)
    if result.data_end is not None and result.partial:
        console().print(f"Partial: data through {day_label(result.data_end)} "
                        f"({result.data_end_basis}).", highlight=False)
    console().print(
        f"{result.suppressed} cell(s) suppressed (min cell {result.min_cell}). Sources: "
        + "; ".join(
            f"{s['file']} (release {s['release_date']}, sha256 {s['sha256'][:12]})"
            for s in result.sources
        ),
        highlight=False,
    )
