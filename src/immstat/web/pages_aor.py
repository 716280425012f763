"""``/aor/{code}``: one ICE field office (area of responsibility) on one page.

ICE's published ERO statistics for the office lead: arrests, book-ins and removals for a fiscal
year (with "to date" and like-for-like changes) and by month and criminality; then the office's
287(g) agencies (count and growth across the snapshots); the history from ICE's own
records (FOIA: a different source family, never added to the published figures, and without
criminality); and the detention facilities in the office's area with their populations.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from immstat.analysis.targets import office_target
from immstat.core import reference
from immstat.core.calendar import fy_bounds
from immstat.metrics import Warehouse
from immstat.present import charts
from immstat.present.filters import Filters, fiscal_years
from immstat.present.g287 import growth_panels, growth_summary
from immstat.present.panels import Panel, fetch
from immstat.present.records import record_history
from immstat.present.state import serve_state
from immstat.present.tiles import Tile, tile
from immstat.present.trends import CRIMINALITY_NOTE, trend
from immstat.web.render import cached_page, not_found, page

router = APIRouter(include_in_schema=False)
TOP_FACILITIES = 8
# (key, title, metric): ICE's published ERO statistics for one office
PUBLISHED = [("arrests", "ICE arrests", "ero_stats_arrests"),
             ("book-ins", "Book-ins into ICE detention", "ero_stats_detentions"),
             ("removals", "ICE removals", "ero_stats_removals")]
HISTORY = [("foia-arrests", "Arrests per month, from ICE's records (FOIA)", "arrests"),
           ("foia-removals", "Removals per month, from ICE's records (FOIA)", "removals")]


@router.get("/aor/{code}", response_class=HTMLResponse)
def aor_card(request: Request, code: str, fy: str | None = None) -> HTMLResponse:
    office = next((a for a in reference.aors() if a["code"] == code.upper()), None)
    if office is None:
        return not_found("field office", code, "/map?level=aor", "Pick an office on the map")
    return cached_page(request, lambda: _build(request, office, fy))


def _build(request: Request, office: dict, fy_raw: str | None) -> HTMLResponse:
    wh, code = serve_state(request).warehouse(), office["code"]
    where = {"aor": [code]}
    yearly = [fetch(wh, f"tile-{key}", title, metric, where=where, grain="fy")
              for key, title, metric in PUBLISHED]
    years = fiscal_years(yearly[0])
    f = Filters()
    fy = f.choose("fy", fy_raw, years, years[0] if years else None)
    tiles = [tile(wh, p, fy) for p in yearly]
    monthly = [trend(wh, fetch(wh, f"aor-{key}", f"{title} per month, by criminality", metric,
                               where=where, by=["criminality"], grain="month"), None,
                     charts.stacked_area, "criminality", f"{title} per month, by criminality")
               for key, title, metric in PUBLISHED]
    for p in monthly:
        if p.ok:
            p.notes.append(CRIMINALITY_NOTE)
    g287 = growth_panels(wh, where, office["name"])
    history = _history(wh, where)
    ranked = fetch(wh, "aor-facility-adp", "", "facility_population", where=where,
                   by=["facility"], fy=fy) if fy else None
    adp = _adp(ranked)
    facilities = _facility_trend(wh, where, adp)
    panels = [*yearly, *monthly, *g287, *history, *facilities] + ([ranked] if ranked else [])
    return page("aor.html", f"{office['name']} field office", None, panels, request=request,
                office=office, fy=fy, years=years, f=f, tiles=tiles,
                pace=_pace(tiles[0]), target=office_target(), monthly=monthly, g287=g287,
                g287_summary=growth_summary(g287[0]), history=history,
                records=record_history(wh, history), facilities=facilities,
                facility_rows=_facility_table(code, adp))


def _pace(arrests: Tile) -> dict | None:
    """Arrests per day in the tile's fiscal year (to its data end when partial)."""
    if arrests.value is None or arrests.fy is None:
        return None
    start, end = fy_bounds(arrests.fy)
    last = arrests.through or end
    days = (last - start).days + 1
    return {"per_day": arrests.value / days, "days": days, "through": arrests.through}


def _history(wh: Warehouse, where: dict) -> list[Panel]:
    out = [trend(wh, fetch(wh, key, title, metric, where=where, grain="month"))
           for key, title, metric in HISTORY]
    method = fetch(wh, "foia-method", "", "arrests", where=where, by=["method"])
    span = record_history(wh, [method])
    method.title = "Arrests by method" + (f", {span.span}" if span else "") + " (ICE's records)"
    method.draw(charts.bars, "method", method.title)
    return [*out, method]


def _adp(panel: Panel | None) -> dict[str, float]:
    """Facility code → average daily population in a ``by=["facility"]`` panel."""
    if panel is None or panel.result is None:
        return {}
    return {r["facility"]: r["value"] for r in panel.result.table.to_pylist() if r["value"]}


def _facility_table(code: str, adp: dict[str, float]) -> list[dict]:
    """Facilities in the office's area (bundled reference list), largest FY population first."""
    rows: list[dict[str, Any]] = [
        {"code": r["facility_code"], "name": r["name"], "city": r["city"], "state": r["state"],
         "type": r["type"], "adp": adp.get(r["facility_code"])}
        for r in reference.facilities().values() if r["aor"] == code]
    known = {r["code"] for r in rows}
    rows += [{"code": c, "name": c, "city": "", "state": "", "type": "", "adp": v}
             for c, v in adp.items() if c not in known]
    rows.sort(key=lambda r: (r["adp"] is None, -(r["adp"] or 0), r["name"]))
    return rows


def _facility_trend(wh: Warehouse, where: dict, adp: dict[str, float]) -> list[Panel]:
    """Monthly population of the office's largest facilities (by FY average)."""
    top = sorted(adp, key=lambda c: -adp[c])[:TOP_FACILITIES]
    if not top:
        return []
    trend_panel = fetch(wh, "aor-facilities", f"People detained, {len(top)} largest facilities",
                        "facility_population", where={**where, "facility": top}, by=["facility"],
                        grain="month")
    return [trend(wh, trend_panel, None, charts.facility_trend, trend_panel.title)]
