"""``/detention``: national detention population, length of stay and book-ins (published data)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from immstat.core import reference
from immstat.present import charts
from immstat.present.filters import Filters, pick_fy
from immstat.present.panels import Panel, fetch
from immstat.present.state import serve_state
from immstat.web.render import cached_page, page

router = APIRouter(include_in_schema=False)
TOP_FACILITIES = 20


@router.get("/detention", response_class=HTMLResponse)
def detention(request: Request, fy: str | None = None) -> HTMLResponse:
    return cached_page(request, lambda: _build(request, fy))


def _build(request: Request, fy_raw: str | None) -> HTMLResponse:
    wh = serve_state(request).warehouse()
    f = Filters()
    yearly = fetch(wh, "adp-fy", "", "adp", grain="fy")
    fy, years = pick_fy(f, fy_raw, yearly)
    cards = [
        fetch(wh, "adp", "People in ICE detention on an average day (facility data)", "adp",
              grain="month"),
        fetch(wh, "stats-adp", "Average daily population, as ICE publishes it",
              "detention_stats_adp", grain="month"),
        fetch(wh, "stats-alos", "Average length of stay (days)", "detention_stats_alos",
              grain="month"),
        fetch(wh, "stats-book-ins", "Book-ins by arresting agency", "detention_stats_book_ins",
              by=["arresting_agency"], grain="month"),
        fetch(wh, "adp-type", "Average daily population by facility type", "adp",
              by=["facility_type"], grain="month"),
    ]
    for p in cards:
        p.draw(charts.line, p.title)
    largest = fetch(wh, "largest", f"Largest facilities, FY{fy}", "facility_population",
                    by=["facility"], fy=fy) if fy else None
    rows = _largest(largest) if largest else []
    panels = [yearly, *cards] + ([largest] if largest else [])
    return page("detention.html", "Detention", "/detention", panels, f=f, fy=fy, years=years,
                cards=cards, largest=largest, rows=rows)


def _largest(panel: Panel) -> list[dict]:
    if panel.result is None:
        return []
    rows = sorted((r for r in panel.result.table.to_pylist() if r["value"]),
                  key=lambda r: -r["value"])[:TOP_FACILITIES]
    out = []
    for r in rows:
        facts = reference.facility(r["facility"]) or {}
        out.append({"code": r["facility"], "name": facts.get("name") or r["facility"],
                    "place": ", ".join(x for x in (facts.get("city"), facts.get("state")) if x),
                    "type": facts.get("type") or "", "value": r["value"]})
    return out
