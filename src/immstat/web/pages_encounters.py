"""``/encounters``: Border Patrol encounters nationwide to the newest month (CBP's public counts),
then CBP's nationwide encounters by region, state and citizenship (FY2020–FY2023). Published
figures, shown as published; the series count different things and are never added together.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from immstat.present import charts
from immstat.present.filters import Filters, pick_fy
from immstat.present.panels import fetch
from immstat.present.state import serve_state
from immstat.present.tiles import tile
from immstat.present.trends import trend
from immstat.web.render import cached_page, page

router = APIRouter(include_in_schema=False)
USBP = "usbp_encounters_monthly"
METRIC = "cbp_encounters"


@router.get("/encounters", response_class=HTMLResponse)
def encounters(request: Request, fy: str | None = None) -> HTMLResponse:
    return cached_page(request, lambda: _build(request, fy))


def _build(request: Request, fy_raw: str | None) -> HTMLResponse:
    wh = serve_state(request).warehouse()
    usbp_yearly = fetch(wh, "tile-usbp", "Border Patrol encounters, nationwide", USBP, grain="fy")
    usbp = [trend(wh, fetch(wh, "usbp-month", "Border Patrol encounters per month, nationwide",
                            USBP, grain="month"))]
    f = Filters()
    yearly = fetch(wh, "enc-fy", "CBP encounters per fiscal year", METRIC, grain="fy")
    fy, years = pick_fy(f, fy_raw, yearly)
    trends = [trend(wh, fetch(wh, "enc-month", "CBP encounters per month (OFO + USBP)", METRIC,
                              grain="month")),
              trend(wh, fetch(wh, "enc-region", "CBP encounters per month, by region", METRIC,
                              by=["region"], grain="month"))]
    breakdowns = []
    if fy is not None:
        for dim, label in (("state", "state"), ("citizenship", "country of citizenship")):
            p = fetch(wh, f"enc-{dim}", f"CBP encounters by {label}, FY{fy} (largest 25)",
                      METRIC, by=[dim], fy=fy)
            p.draw(charts.bars, dim, p.title)
            breakdowns.append(p)
    cards = [*trends, *breakdowns]
    return page("encounters.html", "Encounters", "/encounters",
                [usbp_yearly, *usbp, yearly, *cards], request=request, f=f, fy=fy, years=years,
                tiles=[tile(wh, usbp_yearly, None)], usbp=usbp, cards=cards)
