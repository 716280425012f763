"""`immstat demo`: build the demo warehouse from bundled data, summarise it, then serve it."""

from __future__ import annotations

from typing import Annotated

import typer

from immstat.cli.app import DbOption, console

HEADLINES = (  # (metric, options, label) shown after the build
    ("arrests", {"grain": "fy"}, "ICE arrests by fiscal year"),
    ("detention_stats_adp", {"grain": "fy"}, "Detention ADP by fiscal year (ICE detention statistics)"),
    ("cbp_encounters", {"grain": "fy"}, "CBP encounters by fiscal year"),
)


def demo(
    port: Annotated[
        int | None,
        typer.Option("--port", min=1, max=65535, help="Port (default $IMMSTAT_PORT or 8000)."),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Interface to bind.")] = "127.0.0.1",
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Build and summarise only.")] = False,
    db: DbOption = None,
) -> None:
    """Build the demo warehouse (bundled real data + a SYNTHETIC FOIA release) and serve it."""
    from immstat.analysis.demo import build_demo
    from immstat.cli.compose import run_server
    from immstat.core import settings

    path = db or settings.default_db_path()
    with console().status("building the demo warehouse…") as status:
        summary = build_demo(path, on_file=lambda name: status.update(f"loading {name}…"))
    _print_sources(summary)
    _print_headlines(path)
    if no_serve:
        console().print(f"Warehouse: {path}. Serve it with: immstat serve --db {path}", highlight=False)
        return
    run_server(path, host, port or int(settings.get("port")))


def _print_sources(summary) -> None:
    from rich.table import Table

    from immstat.core.formats import SYNTHETIC

    table = Table(title=f"Demo warehouse {summary.db}")
    for col in ("file", "source", "rows in", "loaded", "rejected", "release", "data"):
        table.add_column(col, justify="right" if col in ("rows in", "loaded", "rejected") else "left")
    for r in summary.reports:
        data = f"[bold red]{SYNTHETIC}[/]" if r.synthetic else "real"
        note = " (already loaded)" if r.skipped else ""
        table.add_row(
            r.path.rsplit("/", 1)[-1] + note,
            r.kind,
            f"{r.rows_in:,}",
            f"{r.rows_loaded:,}",
            f"{r.rows_rejected:,}",
            str(r.release_date or ""),
            data,
        )
    console().print(table)


def _print_headlines(path) -> None:
    from immstat.core.formats import SYNTHETIC, fmt_count
    from immstat.metrics import Warehouse

    with Warehouse(path, read_only=True) as wh:
        for metric, options, label in HEADLINES:
            result = wh.query(metric, **options)
            cells = ", ".join(
                f"FY{row[0]}: {fmt_count(row[1])}" for row in result.rows() if row[1] is not None
            )
            mark = f"  [bold red]{SYNTHETIC}[/]" if result.synthetic else ""
            files = "; ".join(sorted({s["file"] for s in result.sources}))[:160]
            console().print(f"[bold]{label}[/]{mark}: {cells}\n   sources: {files}", highlight=False)
