"""`immstat metrics` and `immstat query`: thin renderers of the metric registry and Results."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from immstat.cli.app import DbOption, OutputFormat, app, console, guarded, print_json
from immstat.core.errors import QueryError
from immstat.metrics import all_metrics
from immstat.metrics.result import Result
from immstat.metrics.warehouse import Warehouse


class QueryFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"
    parquet = "parquet"


def parse_where(items: list[str] | None) -> dict[str, list[str]]:
    """['aor=HOU,MIA', 'criminality:other'] → {'aor': ['HOU', 'MIA'], 'criminality': ['other']}."""
    out: dict[str, list[str]] = {}
    for item in items or []:
        sep = "=" if "=" in item else ":" if ":" in item else None
        if sep is None:
            raise QueryError(f"--where {item[:40]!r}: write DIMENSION=VALUE (e.g. aor=HOU or aor=HOU,MIA).")
        dim, values = item.split(sep, 1)
        out.setdefault(dim.strip(), []).extend(v.strip() for v in values.split(",") if v.strip())
    return out


@app.command()
@guarded
def metrics(fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table) -> None:
    """The metric registry: every number ImmStat can compute, and how."""
    items = [m.to_dict() for m in all_metrics()]
    if fmt == OutputFormat.json:
        print_json(items)
        return
    table = Table(title="Metrics")
    for col in ("name", "title", "unit", "measure", "dimensions", "suppressed"):
        table.add_column(col)
    for m in items:
        table.add_row(m["name"], m["title"], m["unit"], m["measure"], ", ".join(m["dimensions"]),
                      "yes" if m["suppressed"] else "published")
    console.print(table)


@app.command()
@guarded
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
    if fmt == QueryFormat.parquet:
        import pyarrow.parquet as pq

        if out is None:
            raise QueryError("--format parquet needs --out FILE.parquet.")
        pq.write_table(result.to_arrow(), out)
        console.print(f"wrote {out}")
        return
    if fmt == QueryFormat.json:
        text = __import__("json").dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
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
    title = result.metric.title + ("  [bold red]SYNTHETIC DATA[/]" if result.synthetic else "")
    table = Table(title=title)
    for col in result.columns[:-1]:
        table.add_column(col, justify="right" if col == "value" else "left")
    for row in result.rows():
        *cells, suppressed = row
        cells = [_fmt(v) for v in cells]
        if suppressed:
            cells[-1] = f"suppressed (<{result.min_cell})"
        table.add_row(*cells)
    console.print(table)
    console.print(
        f"{result.suppressed} cell(s) suppressed (min cell {result.min_cell}). Sources: "
        + "; ".join(
            f"{s['file']} (release {s['release_date']}, sha256 {s['sha256'][:12]})"
            for s in result.sources
        ),
        highlight=False,
    )


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.0f}" if value >= 100 or value == int(value) else f"{value:,.3f}"
    return "" if value is None else str(value)
