"""``/aor/{code}``: one ICE field office (area of responsibility) on one page.

Arrests per day against the reported per-office target (from the bundled targets file), the
monthly trend, criminality and method mix, share with final orders, the detention facilities in
the office's area with their populations, and detainers when loaded.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from immstat.analysis.targets import Target, office_target
from immstat.core import reference
from immstat.metrics import Warehouse
from immstat.present import charts
from immstat.present.filters import Filters, fiscal_years, fy_value, fy_window
from immstat.present.panels import Panel, fetch
from immstat.present.state import serve_state
from immstat.web.render import cached_page, not_found, page

router = APIRouter(include_in_schema=False)
TOP_FACILITIES = 8


@router.get("/aor/{code}", response_class=HTMLResponse)
def aor_card(request: Request, code: str, fy: str | None = None) -> HTMLResponse:
    office = next((a for a in reference.aors() if a["code"] == code.upper()), None)
    if office is None:
        return not_found("field office", code, "/map?level=aor", "Pick an office on the map")
    return cached_page(request, lambda: _build(request, office, fy))


def _build(request: Request, office: dict, fy_raw: str | None) -> HTMLResponse:
    wh, code = serve_state(request).warehouse(), office["code"]
    where = {"aor": [code]}
    rate = fetch(wh, "tile-rate", "Arrests per day", "arrests_per_day", where=where, grain="fy")
    years = fiscal_years(rate)
    f = Filters()
    fy = f.choose("fy", fy_raw, years, years[0] if years else None)
    target = office_target()
    cards, facility_adp, quiet = [], {}, []
    if fy is not None:
        ranked = fetch(wh, "aor-facility-adp", "", "facility_population", where=where,
                       by=["facility"], fy=fy)
        facility_adp, quiet = _adp(ranked), [ranked]
        cards = _enforcement(wh, where, fy, target) + _facility_trend(wh, where, fy, facility_adp)
    return page("aor.html", f"{office['name']} field office", None, [rate, *quiet, *cards],
                office=office, fy=fy, years=years, f=f, rate=rate,
                value=fy_value(rate, fy) if fy else None, target=target, cards=cards,
                facilities=_facility_table(code, facility_adp))


def _enforcement(wh: Warehouse, where: dict, fy: int, target: Target | None) -> list[Panel]:
    window = fy_window(fy, years=2)
    trend = fetch(wh, "aor-trend", "Arrests per day, by month", "arrests_per_day", where=where,
                  grain="month", **window)
    mix = fetch(wh, "aor-criminality", "Criminality mix of arrests", "arrests", where=where,
                by=["criminality"], grain="month", **window)
    method = fetch(wh, "aor-method", f"Arrests by method, FY{fy}", "arrests", where=where,
                   by=["method"], fy=fy)
    orders = fetch(wh, "aor-final-order", "Share of arrested people with a final order",
                   "final_order_share", where=where, grain="month", **window)
    detainers = fetch(wh, "aor-detainers", "Detainers per month", "detainers", where=where,
                      grain="month", **window)
    trend.draw(charts.line, trend.title)
    if trend.spec and target:
        label = f"target {target.number:g}/day"
        trend.spec = charts.with_reference_line(trend.spec, target.number, label)
    mix.draw(charts.stacked_share, "criminality", mix.title)
    method.draw(charts.bars, "method", method.title)
    for p in (orders, detainers):
        p.draw(charts.line, p.title)
    return [trend, mix, method, orders] + ([detainers] if detainers.ok else [])


def _adp(panel: Panel) -> dict[str, float]:
    """Facility code → average daily population in a ``by=["facility"]`` panel."""
    if panel.result is None:
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


def _facility_trend(wh: Warehouse, where: dict, fy: int, adp: dict[str, float]) -> list[Panel]:
    """Monthly population of the office's largest facilities (by FY average)."""
    top = sorted(adp, key=lambda c: -adp[c])[:TOP_FACILITIES]
    if not top:
        return []
    trend = fetch(wh, "aor-facilities", f"Detained population, {len(top)} largest facilities",
                  "facility_population", where={**where, "facility": top}, by=["facility"],
                  grain="month", **fy_window(fy, years=2))
    trend.draw(charts.facility_trend, trend.title)
    return [trend]
