"""`immstat targets` (stated targets vs actual pace) and `immstat capacity` (Little's law what-if)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from immstat.analysis.capacity import capacity as run_capacity
from immstat.analysis.targets import pace
from immstat.cli.app import DbOption, OutputFormat, app, console, guarded, print_json
from immstat.metrics.warehouse import Warehouse


@app.command()
@guarded
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
    with Warehouse(db, read_only=True) as wh:
        items = [p.to_dict() for p in pace(wh, targets_file, as_of)]
    if fmt == OutputFormat.json:
        print_json(items)
        return
    for item in items:
        _print_pace(item)


def _print_pace(item: dict) -> None:
    t = item["target"]
    badge = {"SYNTHETIC": " [bold red]SYNTHETIC DATA[/]", "real": " [green]real data[/]"}.get(
        item["data"], ""
    )
    console.rule(f"{t['title']} ({t['number']:,.0f} {t['unit']}){badge}")
    if item["status"] != "ok":
        console.print(f"{item['status']}: {item['message']}", highlight=False)
    else:
        obs, cum = item["observed"], item["cumulative"]
        console.print(
            f"{obs['start']} → {obs['end']} ({obs['days']} days): {obs['actual_per_day']:,.1f} a day "
            f"= {obs['share_of_target']:.0%} of target; cumulative {cum['actual']:,.0f} vs "
            f"{cum['target_to_date']:,.0f} (gap {cum['gap']:,.0f}).",
            highlight=False,
        )
        if item["required"] and item["required"]["per_day"]:
            console.print(
                f"Required from now: {item['required']['per_day']:,.0f} a day for "
                f"{item['required']['days_remaining']} days.",
                highlight=False,
            )
        proj = item["projection"] or {}
        if proj.get("model"):
            console.print(
                f"Projection to {proj['end']}: {proj['level_per_day']:,.0f} a day "
                f"(band {proj['per_day_low']:,.0f}–{proj['per_day_high']:,.0f}); "
                f"P(meets) {proj['probability_meets']:.0%}. Model: {proj['model']}.",
                highlight=False,
            )
        elif proj:
            console.print(proj["message"])
        if item["ranking"]:
            _print_ranking(item["ranking"])
    pub = item["published"]
    if pub and pub["rows"]:
        for row in pub["rows"]:
            console.print(
                f"Published (real): FY{row['fiscal_year']} {row['value']:,.0f} over {row['days']} days "
                f"= {row['per_day']:,.0f} a day ({row['share_of_target']:.0%} of target).",
                highlight=False,
            )
        console.print(pub["note"], style="dim", highlight=False)
    _print_sources(item["sources"] + (pub["sources"] if pub else []))
    for line in item["assumptions"]:
        console.print(f"• {line}", style="dim", highlight=False)


def _print_ranking(rows: list[dict]) -> None:
    table = Table(title="Field offices (arrests/day by AOR)")
    for col in ("AOR", "office", "per day", "of target", "suppressed cells"):
        table.add_column(col, justify="right" if col != "office" else "left")
    for r in rows:
        table.add_row(
            r["aor"],
            r["name"],
            f"{r['per_day']:,.1f}",
            f"{r['share_of_target']:.0%}",
            str(r["suppressed_cells"]),
        )
    console.print(table)


def _print_sources(sources: list[dict]) -> None:
    if sources:
        console.print(
            "Sources: " + "; ".join(f"{s['file']} (release {s['release_date']})" for s in sources),
            style="dim",
            highlight=False,
        )


@app.command()
@guarded
def capacity(
    arrests_per_day: Annotated[
        float, typer.Option("--arrests-per-day", help="ICE arrests per day to plan for.")
    ],
    alos: Annotated[
        float | None,
        typer.Option(
            "--alos", help="Average stay of ICE-arrested detainees, days (default: published)."
        ),
    ] = None,
    beds: Annotated[float | None, typer.Option("--beds", help="Bed capacity to compare with.")] = None,
    removals_per_year: Annotated[
        float | None, typer.Option("--removals-per-year", help="Removals a year: arrests/day needed.")
    ] = None,
    book_in_share: Annotated[
        float | None,
        typer.Option(
            "--book-in-share", help="Share of ICE arrests booked into detention (default: published)."
        ),
    ] = None,
    other_admissions: Annotated[
        float | None,
        typer.Option("--other-admissions", help="CBP-arrest book-ins per day (default: published)."),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Use published releases up to this date.")
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table,
    db: DbOption = None,
) -> None:
    """Beds needed, removals and time to steady state for N arrests a day (Little's law)."""
    with Warehouse(db, read_only=True) as wh:
        result = run_capacity(
            wh,
            arrests_per_day,
            alos=alos,
            beds=beds,
            removals_per_year=removals_per_year,
            book_in_share=book_in_share,
            other_admissions=other_admissions,
            as_of=as_of,
        )
    data = result.to_dict()
    if fmt == OutputFormat.json:
        print_json(data)
        return
    out = data["outputs"]
    console.rule(f"Capacity for {arrests_per_day:,.0f} ICE arrests a day ({data['data']} data)")
    console.print(
        f"Beds needed (steady state): {out['beds_needed']:,.0f} "
        f"(ICE arrests {out['beds_needed_ice_arrests']:,.0f} + other {out['beds_needed_other']:,.0f}); "
        f"admissions {out['admissions_per_day']:,.0f} a day × mean stay {out['mean_stay_days']:.1f} days.",
        highlight=False,
    )
    if "steady_state" in out:
        s = out["steady_state"]
        console.print(
            f"From today's {s['from']:,.0f}: 90% of the way in {s['days_to_90pct']:.0f} days, "
            f"95% in {s['days_to_95pct']:.0f} days.",
            highlight=False,
        )
    if "beds" in out:
        b = out["beds"]
        console.print(
            f"With {b['capacity']:,.0f} beds: utilisation {b['utilisation']:.0%}, shortfall "
            f"{b['shortfall']:,.0f}; at most {b['max_arrests_per_day']:,.0f} arrests a day fit.",
            highlight=False,
        )
    if "removals" in out:
        r = out["removals"]
        console.print(
            f"{r['target_per_year']:,.0f} removals a year need about {r['arrests_per_day_needed']:,.0f} "
            f"ICE arrests a day and {r['beds_needed_at_that_pace']:,.0f} beds.",
            highlight=False,
        )
    table = Table(title="Assumptions")
    for col in ("name", "value", "unit", "source", "detail"):
        table.add_column(col)
    for a in data["assumptions"]:
        value = (
            "no data"
            if a["value"] is None
            else f"{a['value']:,.3g}"
            if a["value"] < 10
            else f"{a['value']:,.1f}"
        )
        table.add_row(a["name"], value, a["unit"], a["source"], a["detail"])
    console.print(table)
    for note in data["notes"]:
        console.print(f"• {note}", style="dim", highlight=False)
