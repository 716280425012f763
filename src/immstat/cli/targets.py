"""`immstat targets`: publicly stated targets vs actual pace, with projection and sources."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from immstat.cli.app import DbOption, OutputFormat, console, print_json


def targets(
    targets_file: Annotated[
        Path | None,
        typer.Option("--targets", help="Your own targets YAML (default: the bundled, reviewed file)."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Measure up to this date YYYY-MM-DD (default today).")
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Publicly stated targets vs actual pace, with projection and sources."""
    from immstat.analysis.targets import pace
    from immstat.metrics import Warehouse

    with Warehouse(db, read_only=True) as wh:
        items = [p.to_dict() for p in pace(wh, targets_file, as_of)]
    if fmt == OutputFormat.json:
        print_json(items)
        return
    for item in items:
        _print_pace(item)


def _print_pace(item: dict) -> None:
    from immstat.analysis.targets import MEASURED
    from immstat.core.formats import SYNTHETIC, SYNTHETIC_DATA

    t = item["target"]
    badge = {SYNTHETIC: f" [bold red]{SYNTHETIC_DATA}[/]", "real": " [green]real data[/]"}.get(
        item["data"], ""
    )
    console().rule(f"{t['title']} ({t['number']:,.0f} {t['unit']}){badge}")
    if item["status"] not in MEASURED:
        console().print(f"{item['status']}: {item['message']}", highlight=False)
    else:
        obs, cum = item["observed"], item["cumulative"]
        console().print(
            f"{obs['start']} → {obs['end']} ({obs['days']} days): {obs['actual_per_day']:,.1f} a day "
            f"= {obs['share_of_target']:.0%} of target; cumulative {cum['actual']:,.0f} vs "
            f"{cum['target_to_date']:,.0f} (gap {cum['gap']:,.0f}).",
            highlight=False,
        )
        if item["required"] and item["required"]["per_day"]:
            console().print(
                f"Required from now: {item['required']['per_day']:,.0f} a day for "
                f"{item['required']['days_remaining']} days.",
                highlight=False,
            )
        proj = item["projection"] or {}
        if proj.get("model"):
            console().print(
                f"Projection to {proj['end']}: {proj['level_per_day']:,.0f} a day "
                f"(band {proj['per_day_low']:,.0f}–{proj['per_day_high']:,.0f}); "
                f"P(meets) {proj['probability_meets']:.0%}. Model: {proj['model']}.",
                highlight=False,
            )
        elif proj:
            console().print(proj["message"])
        if item["ranking"]:
            _print_ranking(item["ranking"])
    pub = item["published"]
    if pub and pub["rows"]:
        for row in pub["rows"]:
            console().print(
                f"Published (real): FY{row['fiscal_year']} {row['value']:,.0f} over {row['days']} days "
                f"({row['from']} to {row['through']}{', to date' if row['partial'] else ''}) "
                f"= {row['per_day']:,.0f} a day ({row['share_of_target']:.0%} of target).",
                highlight=False,
            )
        console().print(pub["note"], style="dim", highlight=False)
    _print_sources(item["sources"] + (pub["sources"] if pub else []))
    for line in item["assumptions"]:
        console().print(f"• {line}", style="dim", highlight=False)


def _print_ranking(rows: list[dict]) -> None:
    from rich.table import Table

    table = Table(title="Field offices (arrests/day by AOR)")
    for col in ("AOR", "office", "per day", "of target", "suppressed cells"):
        table.add_column(col, justify="right" if col != "office" else "left")
    for r in rows:
        table.add_row(
            r["aor"],
            r["name"],
            "unknown (suppressed)" if r["per_day"] is None else f"{r['per_day']:,.1f}",
            "" if r["share_of_target"] is None else f"{r['share_of_target']:.0%}",
            str(r["suppressed_cells"]),
        )
    console().print(table)


def _print_sources(sources: list[dict]) -> None:
    if sources:
        console().print(
            "Sources: " + "; ".join(f"{s['file']} (release {s['release_date']})" for s in sources),
            style="dim",
            highlight=False,
        )
