"""``/``: the newest published figures (ICE arrests, removals, detention, Border Patrol encounters,
287(g) agencies), how fresh each source is, what ICE's latest release changed, the monthly trends,
and the earlier years from ICE's own records (FOIA) — never added to the published figures.

Without ``?fy=`` each tile shows its source's newest fiscal year ("to date (through D)" when the
year is not over in the data); with ``?fy=`` every tile shows that year, or says it has none.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from immstat.analysis.freshness import freshness
from immstat.metrics import Warehouse
from immstat.present import charts
from immstat.present.filters import Filters, fiscal_years, fy_window
from immstat.present.g287 import AGENCIES, growth_summary
from immstat.present.panels import Panel, fetch
from immstat.present.periods import fy_through, to_date
from immstat.present.records import record_history
from immstat.present.releases import Changes, what_changed
from immstat.present.state import serve_state
from immstat.present.tiles import tile
from immstat.present.trends import CRIMINALITY_NOTE, trend
from immstat.web.render import cached_page, page

router = APIRouter(include_in_schema=False)
LATEST = "latest"

# (key, title, metric): ICE's and CBP's published figures, newest first
HEADLINES = [
    ("arrests", "ICE arrests", "ero_stats_arrests"),
    ("removals", "ICE removals", "detention_stats_removals"),
    ("adp", "People in ICE detention on an average day", "detention_stats_adp"),
    ("book-ins", "Book-ins into ICE detention", "detention_stats_book_ins"),
    ("usbp", "Border Patrol encounters", "usbp_encounters_monthly"),
]
# (key, title, metric, by): monthly published trends
TRENDS = [
    ("trend-arrests", "ICE arrests per month", "ero_stats_arrests", []),
    ("trend-criminality", "Who ICE arrests: criminal convictions and pending charges",
     "ero_stats_arrests", ["criminality"]),
    ("trend-adp", "People in ICE detention on an average day, by month", "detention_stats_adp", []),
    ("trend-book-ins", "Book-ins into ICE detention, by arresting agency",
     "detention_stats_book_ins", ["arresting_agency"]),
    ("trend-removals", "ICE removals per month", "ero_stats_removals", []),
    ("trend-usbp", "Border Patrol encounters per month (nationwide)", "usbp_encounters_monthly", []),
]
FOIA = [("foia-arrests", "ICE arrests per month, from ICE's records", "arrests"),
        ("foia-removals", "ICE removals per month, from ICE's records", "removals")]


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, fy: str | None = None) -> HTMLResponse:
    return cached_page(request, lambda: _build(request, fy))


def _build(request: Request, fy_raw: str | None) -> HTMLResponse:
    state = serve_state(request)
    wh = state.warehouse()
    changes = what_changed(state)
    headline = [fetch(wh, f"tile-{key}", title, metric, grain="fy")
                for key, title, metric in HEADLINES]
    years = sorted({y for p in headline for y in fiscal_years(p)}, reverse=True)
    f = Filters()
    chosen = f.choose("fy", fy_raw, [LATEST, *years], LATEST)
    fy = None if chosen == LATEST else chosen
    tiles = [tile(wh, p, fy, changes) for p in headline]
    cooperation = fetch(wh, "tile-287g", "Agencies with a 287(g) agreement", AGENCIES,
                        by=["snapshot"])
    trends = _trends(wh, fy, changes)
    foia, history = _foia(wh)
    fresh = [r for r in freshness(wh) if r["status"] != "not loaded"]
    panels = [*headline, cooperation, *trends, *foia]
    title = f"US immigration enforcement, FY{fy}" if fy else "US immigration enforcement"
    return page("overview.html", title, "/", panels, request=request, changes=changes,
                tiles=tiles, cooperation=cooperation, g287=growth_summary(cooperation),
                trends=trends, foia=foia, history=history, records=record_history(wh, foia),
                freshness=fresh, f=f, fy=fy,
                year_options=[(LATEST, "Newest of each source")] +
                [(y, f"FY{y}") for y in years], chosen=chosen)


def _trends(wh: Warehouse, fy: int | None, changes: Changes) -> list[Panel]:
    window = fy_window(fy, years=2) if fy else {}
    out = []
    for key, title, metric, by in TRENDS:
        panel = fetch(wh, key, title, metric, by=by, grain="month", **window)
        if by == ["criminality"]:
            trend(wh, panel, changes, charts.stacked_share, "criminality", title)
            panel.notes.append(CRIMINALITY_NOTE)
        else:
            trend(wh, panel, changes)
        out.append(panel)
    return out


def _foia(wh: Warehouse) -> tuple[list[Panel], list[dict]]:
    """ICE's record-level FOIA arrests and removals by month, and their fiscal-year totals."""
    panels: list[Panel] = []
    totals: dict[int, dict] = {}
    for key, title, metric in FOIA:
        panels.append(trend(wh, fetch(wh, key, title, metric, grain="month")))
        yearly = fetch(wh, f"{key}-fy", title, metric, grain="fy")
        for y in fiscal_years(yearly):
            through = fy_through(wh, yearly, y)
            row = totals.setdefault(y, {"fy": y, "through": None,
                                        **{m: None for _, _, m in FOIA}})
            row[metric] = next(r["value"] for r in yearly.result.table.to_pylist()  # type: ignore[union-attr]
                               if r["fiscal_year"] == y)
            row["through"] = row["through"] or (to_date(through) if through else None)
    return panels, [totals[y] for y in sorted(totals)]
