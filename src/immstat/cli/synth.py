"""`immstat synth`: write synthetic FOIA files (clearly labelled SYNTHETIC)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from immstat.cli.app import console


def synth(
    out: Annotated[Path, typer.Option("--out", help="Directory to write into.")],
    kind: Annotated[
        str, typer.Option("--kind", help="A record kind (arrests, removals, …) or all.")
    ] = "arrests",
    rows: Annotated[
        int | None,
        typer.Option(
            "--rows",
            help="Arrest rows (other kinds: about N rows); default: published totals × --scale.",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="xlsx|csv|parquet")] = "parquet",
    seed: Annotated[int, typer.Option("--seed")] = 0,
    fy: Annotated[list[int] | None, typer.Option("--fy", help="Fiscal year (repeatable).")] = None,
    scale: Annotated[float, typer.Option("--scale", help="Fraction of the published totals.")] = 1.0,
) -> None:
    """Write synthetic ICE FOIA files (one linked population for --kind all) plus truth files."""
    from rich.table import Table

    from immstat.core.formats import SYNTHETIC_DATA
    from immstat.sources import synth as synthetic

    if kind == "all":
        written = synthetic.generate_release(out, fmt, seed, fy, scale, rows=rows)
    else:
        written = {kind: synthetic.generate(kind, rows, out, fmt, seed, fy, scale)}
    table = Table(title=f"Synthetic files written ({SYNTHETIC_DATA}, not ICE records)")
    for col in ("kind", "file", "rows", "loadable", "to reject"):
        table.add_column(col, justify="right" if col in ("rows", "loadable", "to reject") else "left")
    for name, paths in written.items():
        truth = synthetic.read_truth(out, name)
        for path in paths:
            table.add_row(
                name,
                str(path),
                f"{truth['rows_written']:,}",
                f"{truth['expected_loaded']:,}",
                f"{truth['expected_rejected']:,}",
            )
    console().print(table)
