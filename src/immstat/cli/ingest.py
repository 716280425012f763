"""`immstat ingest`: load files into the warehouse, one transaction per file, with row accounting."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from immstat.cli.app import DbOption, OutputFormat, console, print_json


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files to load (xlsx, csv, parquet).")],
    source: Annotated[
        str | None, typer.Option("--source", help="Force a source kind instead of detecting it.")
    ] = None,
    release_date: Annotated[
        str | None,
        typer.Option("--release-date", help="Release date YYYY-MM-DD, if the file does not say."),
    ] = None,
    db: DbOption = None,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Load files into the warehouse, one transaction per file, with row accounting."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from immstat.analysis.health import run_checks
    from immstat.core.errors import ConfigError
    from immstat.core.parse import parse_date
    from immstat.metrics import Warehouse

    release = parse_date(release_date, "--release-date", ConfigError)
    reports = []
    with (
        Warehouse(db) as wh,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console(),
            transient=True,
            disable=fmt == OutputFormat.json,
        ) as bar,
    ):
        for path in paths:
            task = bar.add_task(f"{path.name}", total=None)
            reports += wh.ingest([path], source, release, lambda n, t=task: bar.advance(t, n))
            bar.remove_task(task)
        health = run_checks(wh) if any(not r.skipped for r in reports) else None
    if fmt == OutputFormat.json:
        print_json([r.to_dict() for r in reports])
        return
    table = Table(title="Ingest summary")
    for col in ("file", "source", "rows in", "loaded", "rejected", "release", "note"):
        table.add_column(col, justify="right" if col in ("rows in", "loaded", "rejected") else "left")
    for r in reports:
        note = r.message if r.skipped else (r.reason + ("; SYNTHETIC" if r.synthetic else ""))
        table.add_row(
            Path(r.path).name,
            r.kind,
            f"{r.rows_in:,}",
            f"{r.rows_loaded:,}",
            f"{r.rows_rejected:,}",
            str(r.release_date or ""),
            note,
        )
    console().print(table)
    for r in reports:
        for reason, n in r.top_reject_reasons:
            console().print(f"  {Path(r.path).name}: {n:,} rejected — {reason}")
    if health is not None:
        c = health.counts
        console().print(f"Data-health checks: {c.get('pass', 0)} passed, {c.get('fail', 0)} failed, "
                        f"{c.get('skip', 0)} skipped (details: immstat check).")
