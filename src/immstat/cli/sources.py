"""`immstat sources`: provenance of every loaded file."""

from __future__ import annotations

from typing import Annotated

import typer

from immstat.cli.app import DbOption, OutputFormat, console, print_json


def sources(
    db: DbOption = None,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
) -> None:
    """Provenance of every loaded file: sha256, release, rows in/loaded/rejected, synthetic flag."""
    from rich.table import Table

    from immstat.core.formats import SYNTHETIC
    from immstat.metrics import Warehouse

    with Warehouse(db, read_only=True) as wh:  # never creates one; works while `demo` serves
        rows = wh.sources()
    if fmt == OutputFormat.json:
        print_json(rows)
        return
    table = Table(title="Sources")
    for col in ("id", "file", "kind", "release", "sha256", "in", "loaded", "rejected", "synthetic",
                "status"):
        table.add_column(col)
    for r in rows:
        status = f"superseded by {r['superseded_by']}" if r["superseded_by"] else "active"
        table.add_row(
            str(r["source_id"]),
            r["file_name"],
            r["kind"],
            str(r["release_date"] or ""),
            r["sha256"][:12],
            f"{r['rows_in']:,}",
            f"{r['rows_loaded']:,}",
            f"{r['rows_rejected']:,}",
            SYNTHETIC if r["synthetic"] else "real",
            status,
        )
    console().print(table)
