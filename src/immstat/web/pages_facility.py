"""``/facility/{code}``: one detention facility: daily population (published data) and facts.

The facts (name, type, city/state, AOR) come from the bundled facilities reference list; every
published per-facility breakdown registered as a metric (e.g. convicted) gets its own chart.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from immstat.core import reference
from immstat.metrics import all_metrics
from immstat.present import charts
from immstat.present.filters import fiscal_years, fy_value
from immstat.present.panels import fetch
from immstat.present.periods import fy_through, to_date
from immstat.present.state import serve_state
from immstat.web.render import cached_page, not_found, page

router = APIRouter(include_in_schema=False)
CODE = re.compile(r"^[A-Z0-9_-]{1,20}$")
MAIN_METRIC = "facility_population"


def breakdown_metrics() -> list:
    """Published per-facility metrics other than the total population."""
    return [m for m in all_metrics() if "facility" in m.dimensions and not m.record_derived
            and m.name != MAIN_METRIC and m.unit == "people"]


@router.get("/facility/{code}", response_class=HTMLResponse)
def facility_card(request: Request, code: str) -> HTMLResponse:
    code = code.strip().upper()
    if not CODE.match(code):
        return not_found("facility", code, "/detention", "Detention overview")
    return cached_page(request, lambda: _build(request, code))


def _build(request: Request, code: str) -> HTMLResponse:
    wh = serve_state(request).warehouse()
    facts = reference.facility(code)
    where = {"facility": [code]}
    yearly = fetch(wh, "tile-adp", "Average daily population", MAIN_METRIC, where=where,
                   grain="fy")
    if facts is None and not yearly.ok:
        return not_found("facility", code, "/detention", "Detention overview")
    daily = fetch(wh, "facility-daily", "People detained, by day", MAIN_METRIC, where=where,
                  grain="day")
    daily.draw(charts.facility_trend, daily.title)
    extra = [fetch(wh, f"facility-{m.name}", f"{m.title}, by month", m.name, where=where,
                   grain="month") for m in breakdown_metrics()]
    for p in extra:
        p.draw(charts.line, p.title)
    years = fiscal_years(yearly)
    fy = years[0] if years else None
    office = next((a for a in reference.aors() if facts and a["code"] == facts["aor"]), None)
    through = fy_through(wh, yearly, fy) if fy else None
    return page("facility.html", (facts or {}).get("name") or code, None, [yearly, daily, *extra],
                request=request, code=code, facts=facts or {}, office=office, yearly=yearly, fy=fy,
                value=fy_value(yearly, fy) if fy else None, cards=[daily, *extra],
                through=to_date(through) if through else None)
