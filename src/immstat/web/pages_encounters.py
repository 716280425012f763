"""``/encounters``: CBP encounters by month, region, state and citizenship (published data)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from immstat.present import charts
from immstat.present.filters import Filters, pick_fy
from immstat.present.panels import fetch
from immstat.present.state import serve_state
from immstat.web.render import cached_page, page

router = APIRouter(include_in_schema=False)
METRIC = "cbp_encounters"


@router.get("/encounters", response_class=HTMLResponse)
def encounters(request: Request, fy: str | None = None) -> HTMLResponse:
    return cached_page(request, lambda: _build(request, fy))


def _build(request: Request, fy_raw: str | None) -> HTMLResponse:
    wh = serve_state(request).warehouse()
    f = Filters()
    yearly = fetch(wh, "enc-fy", "CBP encounters per fiscal year", METRIC, grain="fy")
    fy, years = pick_fy(f, fy_raw, yearly)
    trends = [fetch(wh, "enc-month", "CBP encounters per month", METRIC, grain="month"),
              fetch(wh, "enc-region", "CBP encounters per month, by region", METRIC,
                    by=["region"], grain="month")]
    for p in trends:
        p.draw(charts.line, p.title)
    breakdowns = []
    if fy is not None:
        for dim, label in (("state", "state"), ("citizenship", "country of citizenship")):
            p = fetch(wh, f"enc-{dim}", f"CBP encounters by {label}, FY{fy} (largest 25)",
                      METRIC, by=[dim], fy=fy)
            p.draw(charts.bars, dim, p.title)
            breakdowns.append(p)
    cards = [*trends, *breakdowns]
    return page("encounters.html", "Encounters", "/encounters", [yearly, *cards], f=f, fy=fy,
                years=years, cards=cards)
