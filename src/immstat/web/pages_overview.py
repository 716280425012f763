"""``/``: headline tiles for a fiscal year (with change vs the year before) and the trends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from immstat.core.formats import month_label
from immstat.metrics import Warehouse, get_metric
from immstat.present import charts
from immstat.present.filters import Filters, fiscal_years, fy_value, fy_window, partial_fy
from immstat.present.panels import Panel, fetch, registered
from immstat.present.state import serve_state
from immstat.web.render import cached_page, page

router = APIRouter(include_in_schema=False)

# (metrics to try in order: the first with data wins; tile title)
HEADLINES = [
    (("arrests",), "ICE arrests"),
    (("arrests_per_day",), "ICE arrests per day"),
    (("removals", "detention_stats_removals"), "Removals"),
    (("adp", "detention_stats_adp"), "Detention: average daily population"),
    (("cbp_encounters", "encounters_ice"), "Encounters"),
]


@dataclass
class Tile:
    panel: Panel
    fy: int
    value: float | None
    prior: float | None
    unit: str
    compare: bool
    note: str | None = None


def _headline_panels(wh: Warehouse) -> list[Panel]:
    return [_first_with_data(wh, candidates, title) for candidates, title in HEADLINES]


def _first_with_data(wh: Warehouse, candidates: tuple[str, ...], title: str) -> Panel:
    """The first candidate metric with data (queried lazily), else the first one's message."""
    panels = []
    for metric in candidates:
        panels.append(fetch(wh, f"tile-{metric}", title, metric, grain="fy"))
        if panels[-1].ok:
            return panels[-1]
    return panels[0]


def _tile(panel: Panel, fy: int, partial: dt.date | None) -> Tile:
    value, prior = fy_value(panel, fy), fy_value(panel, fy - 1)
    unit = panel.result.metric.unit if panel.result else ""
    additive = bool(panel.result and get_metric(panel.metric).measure.additive)  # type: ignore[attr-defined]
    compare = not (partial and additive)
    note = f"data to {month_label(partial)}" if partial and additive and value is not None else None
    return Tile(panel, fy, value, prior, unit, compare, note)


def _trend_panels(wh: Warehouse, fy: int) -> list[Panel]:
    window = fy_window(fy, years=2)
    out = [fetch(wh, "trend-arrests", "ICE arrests per month", "arrests", grain="month", **window),
           fetch(wh, "aperture", "Who ICE arrests: criminality mix (the 'aperture')", "arrests",
                 by=["criminality"], grain="month", **window),
           fetch(wh, "aperture-share", "Share of arrests with no conviction or pending charge",
                 "criminality_share", grain="month", **window),
           fetch(wh, "trend-adp", "People in ICE detention (average per day)", "adp",
                 grain="month", **window)]
    for metric, title in (("removals", "Removals per month"),
                          ("cbp_encounters", "CBP encounters per month")):
        if registered(metric):
            out.append(fetch(wh, f"trend-{metric}", title, metric, grain="month", **window))
    for p in out:
        if p.key == "aperture":
            p.draw(charts.stacked_share, "criminality", p.title)
        else:
            p.draw(charts.line, p.title)
    return out


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, fy: str | None = None) -> HTMLResponse:
    return cached_page(request, lambda: _build(request, fy))


def _build(request: Request, fy_raw: str | None) -> HTMLResponse:
    wh = serve_state(request).warehouse()
    headline = _headline_panels(wh)
    years = sorted({y for p in headline for y in fiscal_years(p)}, reverse=True)
    newest = next((fiscal_years(p)[0] for p in headline if fiscal_years(p)), None)  # first tile's
    filters = Filters()
    fy = filters.choose("fy", fy_raw, years, newest)
    if fy is None:
        return page("overview.html", "Overview", "/", headline, tiles=[], trends=[], years=[],
                    fy=None, filters=filters)
    trends = _trend_panels(wh, fy)
    partial = partial_fy(trends[0], fy)
    tiles = [_tile(p, fy, partial) for p in headline]
    return page("overview.html", "Overview", "/", [*headline, *trends], tiles=tiles,
                trends=trends, years=years, fy=fy, filters=filters, partial=partial)
