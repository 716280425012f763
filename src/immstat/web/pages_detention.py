"""``/detention``: ICE's published detention statistics first (average daily population, length of
stay, book-ins; each month of the newest year with what the latest release revised), then the
Deportation Data Project's facility data (by facility type, the largest facilities) — with the
difference between the two population figures explained and measured.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from immstat.analysis.health import run_checks
from immstat.core import reference
from immstat.metrics import Warehouse
from immstat.present import charts
from immstat.present.filters import Filters, fiscal_years, pick_fy
from immstat.present.panels import Panel, fetch
from immstat.present.periods import partial_month
from immstat.present.releases import Changes, what_changed
from immstat.present.state import ServeState, serve_state
from immstat.present.tiles import tile
from immstat.present.trends import trend
from immstat.web.render import cached_page, page

router = APIRouter(include_in_schema=False)
TOP_FACILITIES = 20
GAP_CHECK = "facility_sum_vs_national"
# (key, title, metric, by) of ICE's published series
PUBLISHED = [
    ("stats-adp", "People in ICE detention on an average day (ICE's figure)", "detention_stats_adp", []),
    ("stats-alos", "Average length of stay (days)", "detention_stats_alos", []),
    ("stats-book-ins", "Book-ins into ICE detention, by arresting agency",
     "detention_stats_book_ins", ["arresting_agency"]),
]
MONTH_TABLE = [("adp", "detention_stats_adp"), ("book_ins", "detention_stats_book_ins"),
               ("alos", "detention_stats_alos")]


@router.get("/detention", response_class=HTMLResponse)
def detention(request: Request, fy: str | None = None) -> HTMLResponse:
    return cached_page(request, lambda: _build(request, fy))


def _build(request: Request, fy_raw: str | None) -> HTMLResponse:
    state = serve_state(request)
    wh = state.warehouse()
    changes = what_changed(state)
    f = Filters()
    yearly = fetch(wh, "tile-adp", "People in ICE detention on an average day",
                   "detention_stats_adp", grain="fy")
    fy, years = pick_fy(f, fy_raw, yearly)
    tiles = [tile(wh, yearly, fy, changes)]
    published = [trend(wh, fetch(wh, key, title, metric, by=by, grain="month"), changes)
                 for key, title, metric, by in PUBLISHED]
    newest = fiscal_years(yearly)[0] if yearly.ok else None
    months = _month_table(wh, newest, changes) if newest else []
    facility = _facility_panels(wh)
    largest = fetch(wh, "largest", f"Largest facilities, FY{fy}", "facility_population",
                    by=["facility"], fy=fy) if fy else None
    panels = [yearly, *published, *facility] + ([largest] if largest else [])
    return page("detention.html", "Detention", "/detention", panels, request=request,
                changes=changes, f=f, fy=fy, years=years, tiles=tiles, published=published,
                newest=newest, months=months, facility=facility, gap=_gap(state),
                types=_types(facility[1]),
                largest=largest, rows=_largest(largest) if largest else [])


def _month_table(wh: Warehouse, fy: int, changes: Changes) -> list[dict]:
    """Each month of ``fy`` as ICE's newest release prints it: per metric its value and what the
    latest release changed; the newest month's days when it is partial."""
    rows: dict = {}
    for name, metric in MONTH_TABLE:
        found = fetch(wh, f"month-{name}", "", metric, fy=fy, grain="month")
        for r in found.result.table.to_pylist() if found.result else []:
            row = rows.setdefault(r["month"], {"month": r["month"], "through": None})
            row[name] = {"value": r["value"],
                         "change": changes.badge(metric, {}, f"{r['month']:%Y-%m}")}
            if name == "adp" and (part := partial_month(wh, found)) and part[0] == r["month"]:
                row["through"] = part[1]
    return [rows[m] for m in sorted(rows)]


def _facility_panels(wh: Warehouse) -> list[Panel]:
    adp = trend(wh, fetch(wh, "adp", "People in detention on an average day (facility data)",
                          "adp", grain="month"))
    by_type = fetch(wh, "adp-type", "People in detention on an average day, by facility type",
                    "adp", by=["facility_type"], grain="month")
    trend(wh, by_type, None, charts.stacked_area, "facility_type", by_type.title)
    return [adp, by_type]


def _types(panel: Panel) -> list[str]:
    """The facility types a ``by=["facility_type"]`` panel holds, largest first."""
    if panel.result is None:
        return []
    totals: dict[str, float] = {}
    for r in panel.result.table.to_pylist():
        if r["facility_type"]:
            totals[r["facility_type"]] = totals.get(r["facility_type"], 0) + (r["value"] or 0)
    return sorted(totals, key=lambda t: -totals[t])


def _gap(state: ServeState) -> str | None:
    """The measured gap between DDP's facility counts and ICE's ADP (the data-health check)."""
    found = state.memo(("check", GAP_CHECK), lambda wh: run_checks(wh, [GAP_CHECK], store=False))
    check = found.checks[0] if found.checks else None
    return check["summary"] if check and check["status"] != "skip" else None


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
