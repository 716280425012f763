"""`immstat check`: run the data-health checks, store the run, show it (thin over
``immstat.analysis.health`` and ``immstat.analysis.freshness``)."""

from __future__ import annotations

from typing import Annotated

import typer

from immstat.cli.app import DbOption, OutputFormat, console, print_json

STYLE = {"pass": "green", "fail": "bold red", "skip": "dim"}


def check(
    only: Annotated[
        list[str] | None, typer.Option("--only", help="Run only this check (repeatable).")
    ] = None,
    no_store: Annotated[
        bool, typer.Option("--no-store", help="Do not record the run in the warehouse.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when a check of severity 'error' fails.")
    ] = False,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Data-health checks (rules in words, tolerance, evidence) and source freshness."""
    from immstat.analysis.freshness import freshness
    from immstat.analysis.health import run_checks
    from immstat.core import settings
    from immstat.core.errors import WarehouseError
    from immstat.metrics import Warehouse

    path = db or settings.default_db_path()
    if not path.exists():
        raise WarehouseError(f"No warehouse at {path}. Run `immstat demo --no-serve` or "
                             "`immstat ingest FILE` first, or pass --db PATH.")
    with Warehouse(path, read_only=no_store) as wh:
        report = run_checks(wh, names=only, store=not no_store)
        fresh = freshness(wh)
    if fmt == OutputFormat.json:
        print_json({**report.to_dict(), "freshness": fresh})
    else:
        _print(report, fresh)
    if strict and report.failed["error"]:
        console().print(f"{report.failed['error']} check(s) of severity 'error' failed.", style="red")
        raise typer.Exit(1)


def _print(report, fresh: list[dict]) -> None:
    from rich.table import Table

    table = Table(title=f"Data health (run {report.run_id}, {report.run_at:%Y-%m-%d %H:%M} UTC)")
    for col in ("status", "severity", "check", "finding"):
        table.add_column(col, overflow="fold")
    for c in report.checks:
        status = f"[{STYLE[c['status']]}]{c['status']}[/]"
        table.add_row(status, c["severity"], c["title"], c["summary"])
    console().print(table)
    for row in fresh:
        if row["status"] != "not loaded":
            console().print(f"• {row['sentence']}", style="red" if row["status"] == "overdue" else "dim",
                          highlight=False)
    stored = "stored in the warehouse" if report.stored else "not stored (--no-store)"
    console().print(f"{report.counts['pass']} passed, {report.counts['fail']} failed, "
                  f"{report.counts['skip']} skipped; {stored}.", highlight=False)
