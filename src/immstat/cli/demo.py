"""`immstat demo`: build the demo warehouse from bundled real data (or, with --sandbox, the
SYNTHETIC sandbox in its own warehouse), summarise it, then serve it."""

from __future__ import annotations

from typing import Annotated

import typer

from immstat.cli.app import DbOption, console

HEADLINES = (  # (metric, options, label) shown after the build
    ("ero_stats_arrests", {"grain": "fy"}, "ICE arrests by fiscal year (ICE ERO statistics)"),
    ("arrests", {"grain": "fy"}, "ICE arrests by fiscal year (FOIA records 2019-ICFO-53623)"),
    ("detention_stats_adp", {"grain": "fy"}, "Detention ADP by fiscal year (ICE detention statistics)"),
    ("usbp_encounters_monthly", {"grain": "fy"}, "Border Patrol encounters by fiscal year"),
)
SANDBOX_HEADLINES = (
    ("arrests", {"grain": "fy"}, "SYNTHETIC ICE arrests by fiscal year"),
    ("removals", {"grain": "fy"}, "SYNTHETIC ICE removals by fiscal year"),
)


def demo(
    port: Annotated[
        int | None,
        typer.Option("--port", min=1, max=65535, help="Port (default $IMMSTAT_PORT or 8000)."),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Interface to bind.")] = "127.0.0.1",
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Build and summarise only.")] = False,
    sandbox: Annotated[bool, typer.Option(
        "--sandbox", help="Build the SYNTHETIC sandbox instead, in its own warehouse "
                          "(sandbox.duckdb beside the demo's unless --db).")] = False,
    db: DbOption = None,
) -> None:
    """Build the demo warehouse from bundled real data (or the SYNTHETIC sandbox) and serve it."""
    from immstat.analysis.demo import build_demo, build_sandbox, sandbox_path
    from immstat.cli.compose import run_server
    from immstat.core import settings

    path = db or (sandbox_path(settings.default_db_path()) if sandbox else settings.default_db_path())
    build = build_sandbox if sandbox else build_demo
    what = "the SYNTHETIC sandbox warehouse" if sandbox else "the demo warehouse (real data)"
    with console().status(f"building {what}…") as status:
        summary = build(path, on_file=lambda name: status.update(f"loading {name}…"))
    _print_sources(summary)
    _print_headlines(path, SANDBOX_HEADLINES if sandbox else HEADLINES)
    if no_serve:
        console().print(f"Warehouse: {path}. Serve it with: immstat serve --db {path}", highlight=False)
        return
    run_server(path, host, port or int(settings.get("port")))


def _print_sources(summary) -> None:
    from rich.table import Table

    from immstat.core.formats import SYNTHETIC

    kind = "SYNTHETIC sandbox" if summary.synthetic_dir else "Demo"
    table = Table(title=f"{kind} warehouse {summary.db}")
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


def _print_headlines(path, headlines) -> None:
    from immstat.core.formats import SYNTHETIC, fmt_count
    from immstat.metrics import Warehouse

    with Warehouse(path, read_only=True) as wh:
        for metric, options, label in headlines:
            result = wh.query(metric, **options)
            cells = ", ".join(
                f"FY{row[0]}: {fmt_count(row[1])}" for row in result.rows() if row[1] is not None
            )
            mark = f"  [bold red]{SYNTHETIC}[/]" if result.synthetic else ""
            files = "; ".join(sorted({s["file"] for s in result.sources}))[:160]
            extra = "".join(f"\n   {y['text']}" for y in (result.coverage or {}).get("years", [])
                            if y["published_total"])
            extra += "".join(f"\n   note: {n}" for n in result.notes if "partial" in n)
            console().print(f"[bold]{label}[/]{mark}: {cells}\n   sources: {files}{extra}",
                            highlight=False)
