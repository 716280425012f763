"""`immstat report`: a citable HTML or PDF brief for a fiscal year, optionally one field office."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from immstat.cli.app import DbOption, console


def report(
    out: Annotated[Path, typer.Option("-o", "--output", help="Output file: OUT.html or OUT.pdf.")],
    fy: Annotated[
        int | None, typer.Option("--fy", help="Fiscal year (default: the newest with data).")
    ] = None,
    aor: Annotated[
        str | None,
        typer.Option("--aor", help="ICE field office code, e.g. HOU, for its card and ranking."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Use published releases up to this date YYYY-MM-DD.")
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date", help="Generation date printed on the brief (fixes it for reproducible output)."
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Publication-ready brief: headline figures, charts, map, pace, methods and cited sources."""
    from immstat.metrics import Warehouse
    from immstat.reports import write_report

    with Warehouse(db, read_only=True) as wh:
        path = write_report(wh, out, fy=fy, aor=aor, as_of=as_of, date=date)
    console().print(f"Wrote {path} ({path.stat().st_size:,} bytes)", highlight=False)
