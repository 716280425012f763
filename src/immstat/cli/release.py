"""``immstat release``: rebuild the protected release every record-derived answer is read from."""

from __future__ import annotations

from typing import Annotated

import typer

from immstat.cli.app import DbOption, OutputFormat, console, print_json


def release(
    engine: Annotated[str, typer.Option("--engine", help="duckdb | spark (counts the cells)")] = "duckdb",
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Count, protect (joint suppression + certified audit) and store the release; print its manifest."""
    from rich.table import Table

    from immstat.metrics import Warehouse

    with Warehouse(db) as wh:
        manifest = wh.release(engine=engine)
    if fmt == OutputFormat.json:
        print_json(manifest)
        return
    table = Table("family", "table", "cells", "hidden cells", "records hidden", title=(
        f"Protected release: min_cell {manifest['min_cell']}, {manifest['seconds']:.1f} s"))
    for family, stats in manifest["families"].items():
        for name, t in stats["tables"].items():
            share = t["hidden_records"] / t["records"] if t["records"] else 0.0
            table.add_row(family, name, f"{t['cells']:,}", f"{t['hidden_cells']:,}", f"{share:.2%}")
    console().print(table)
    for family, stats in manifest["families"].items():
        if stats.get("withheld"):
            console().print(f"[bold red]{family}: withheld whole[/] — {stats['withheld']}")
        elif stats.get("withheld_tables"):
            console().print(f"{family}: withheld whole (too sparse): "
                            f"{', '.join(stats['withheld_tables'])}")
