"""`immstat capacity`: Little's-law what-if — beds, removals and time to steady state."""

from __future__ import annotations

from typing import Annotated

import typer

from immstat.cli.app import DbOption, OutputFormat, console, print_json


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
    from rich.table import Table

    from immstat.analysis.capacity import capacity as run_capacity
    from immstat.metrics import Warehouse

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
    console().rule(f"Capacity for {arrests_per_day:,.0f} ICE arrests a day ({data['data']} data)")
    console().print(
        f"Beds needed (steady state): {out['beds_needed']:,.0f} "
        f"(ICE arrests {out['beds_needed_ice_arrests']:,.0f} + other {out['beds_needed_other']:,.0f}); "
        f"admissions {out['admissions_per_day']:,.0f} a day × mean stay {out['mean_stay_days']:.1f} days.",
        highlight=False,
    )
    if "steady_state" in out:
        s = out["steady_state"]
        console().print(
            f"From today's {s['from']:,.0f}: 90% of the way in {s['days_to_90pct']:.0f} days, "
            f"95% in {s['days_to_95pct']:.0f} days.",
            highlight=False,
        )
    if "beds" in out:
        b = out["beds"]
        console().print(
            f"With {b['capacity']:,.0f} beds: utilisation {b['utilisation']:.0%}, shortfall "
            f"{b['shortfall']:,.0f}; at most {b['max_arrests_per_day']:,.0f} arrests a day fit.",
            highlight=False,
        )
    if "removals" in out:
        r = out["removals"]
        console().print(
            f"{r['target_per_year']:,.0f} removals a year need about {r['arrests_per_day_needed']:,.0f} "
            f"ICE arrests a day and {r['beds_needed_at_that_pace']:,.0f} beds.",
            highlight=False,
        )
    table = Table(title="Assumptions")
    for col in ("assumption", "value", "unit", "source", "detail"):
        table.add_column(col)
    for a in data["assumptions"]:
        value = (
            "no data"
            if a["value"] is None
            else f"{a['value']:,.3g}"
            if a["value"] < 10
            else f"{a['value']:,.1f}"
        )
        table.add_row(a["words"], value, a["unit"], a["source"], a["detail"])
    console().print(table)
    for note in data["notes"]:
        console().print(f"• {note}", style="dim", highlight=False)
