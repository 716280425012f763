"""Headline tiles: one published figure for one fiscal year, said in full.

A tile carries its value, the fiscal year and — when the year is not over in the data — "to date
(through D)"; a change against the year before only when the periods are alike (see
:mod:`immstat.present.periods`), else the earlier figure as context; the share of ICE's annual
total the figure covers (published tables that leave out small rows); which source family it
comes from; and, for figures of ICE's rewritten releases, what the latest release changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from immstat.metrics import Warehouse
from immstat.present.filters import fiscal_years, fy_value
from immstat.present.panels import Panel
from immstat.present.periods import Change, fy_through, to_date, year_change
from immstat.present.releases import Changes


@dataclass
class Tile:
    panel: Panel
    fy: int | None
    value: float | None
    unit: str
    period: str = ""  # "FY2025" or "FY2026 to date (through 4 April 2026)"
    change: Change | None = None
    coverage: str | None = None
    revision: dict | None = None
    note: str | None = None
    through: dt.date | None = None  # the data end, when the year is partial

    @property
    def metric(self) -> str:
        return self.panel.metric


def tile(wh: Warehouse, panel: Panel, fy: int | None, changes: Changes | None = None) -> Tile:
    """The tile of ``panel`` (a ``grain="fy"`` query) for ``fy``; ``None``: its newest year."""
    years = fiscal_years(panel)
    unit = panel.result.metric.unit if panel.result else ""
    if not years:
        return Tile(panel, fy, None, unit, note=panel.message)
    chosen = years[0] if fy is None else fy
    value = fy_value(panel, chosen)
    if value is None:
        newest = years[0]
        note = (f"No FY{chosen} figure in this source; its newest is FY{newest}."
                if chosen > newest else f"No FY{chosen} figure in this source (it covers "
                f"FY{years[-1]}–FY{newest}).")
        return Tile(panel, chosen, None, unit, note=note)
    through = fy_through(wh, panel, chosen)
    period = f"FY{chosen} {to_date(through)}" if through else f"FY{chosen}"
    change = year_change(wh, panel, chosen)
    coverage = _coverage(panel, chosen)
    revision = changes.badge(panel.metric, {}, f"FY{chosen}") if changes else None
    return Tile(panel, chosen, value, unit, period, change, coverage, revision, through=through)


def _coverage(panel: Panel, fy: int) -> str | None:
    """The year's coverage of ICE's annual total; for a year without a published total, the
    newest earlier year's."""
    if panel.params.get("where"):
        return _national_coverage(panel, fy)
    this = next((c for c in panel.coverage if c["fiscal_year"] == fy), None)
    if this is None or this["share"] is not None:
        return f"this sum {this['text']} (ICE leaves out rows under 10)" if this else None
    earlier = [c for c in panel.coverage if c["fiscal_year"] < fy and c["share"] is not None]
    if not earlier:
        return this["text"]
    c = earlier[-1]
    return (f"no FY{fy} total published yet; FY{c['fiscal_year']}'s sum {c['text']} (ICE leaves "
            "out rows under 10)")


def _national_coverage(panel: Panel, fy: int) -> str | None:
    """For a part of the country (an office): the national coverage, said as national."""
    known = [c for c in panel.coverage if c["fiscal_year"] <= fy and c["share"] is not None]
    if not known:
        return None
    c = known[-1]
    return (f"ICE leaves out rows under 10, so an area's figures fall short of the true count; "
            f"nationally, FY{c['fiscal_year']}'s published rows cover {c['share']:.0%} of ICE's total")
