"""``/map``: a choropleth of any mappable metric by state, field office (AOR) or county.

State lives in the URL (``?metric=&level=&fy=&month=&per_capita=1``). Clicking a field office or
a county opens the field-office card; ``/county/{fips}`` redirects to the county's office.
Aggregate only: areas, never points for people.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from immstat.core import reference
from immstat.metrics import DIMENSIONS, all_metrics
from immstat.present import charts
from immstat.present.filters import Filters, fiscal_years, month_window, months_of
from immstat.present.panels import Panel, fetch
from immstat.present.population import per_capita, population
from immstat.present.state import serve_state
from immstat.web.render import cached_page, not_found, page
from immstat.web.specs import for_browser_map

router = APIRouter(include_in_schema=False)

LEVELS = {"state": "State", "aor": "Field office (AOR)", "county": "County"}
LINKS = {"aor": "/aor/{key}", "county": "/county/{key}"}
TOP_ROWS = 25


def map_levels(metric) -> list[str]:
    return [d for d in metric.dimensions if DIMENSIONS[d].geo_level in LEVELS]


def mappable() -> dict:
    return {m.name: m for m in all_metrics() if m.mappable and map_levels(m)}


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, metric: str | None = None, level: str | None = None,
             fy: str | None = None, month: str | None = None,
             per_capita: str | None = None) -> HTMLResponse:
    args = dict(metric=metric, level=level, fy=fy, month=month, per_capita=per_capita)
    return cached_page(request, lambda: _build(request, **args))


@router.get("/county/{fips}", include_in_schema=False)
def county(fips: str):
    """A county's field office card (the map's county click target)."""
    aor = next((r["aor"] for r in reference.read_csv_rows("reference", "county_aor.csv")
                if r["county_fips"] == fips and r["aor"]), None)
    if aor is None:
        return not_found("county", fips, "/map?level=county", "Back to the county map")
    return RedirectResponse(f"/aor/{aor}", status_code=303)


def _build(request: Request, **raw) -> HTMLResponse:
    wh = serve_state(request).warehouse()
    metrics = mappable()
    f = Filters()
    name = f.choose("metric", raw["metric"], list(metrics), "arrests" if "arrests" in metrics
                    else next(iter(metrics)))
    metric = metrics[name]
    level = f.choose("level", raw["level"], map_levels(metric), map_levels(metric)[0])
    years_panel = fetch(wh, "years", "", name, grain="fy")
    years = fiscal_years(years_panel)
    fy = f.choose("fy", raw["fy"], years, years[0] if years else None)
    month = f.choose("month", raw["month"], months_of(fy) if fy else [], "")
    can_per_capita = metric.unit != "share" and bool(population(level))
    per_cap = f.choose("per_capita", raw["per_capita"], ["1", "0"], "0") == "1" and can_per_capita
    window = month_window(month) if month else {"fy": fy}
    title = f"{metric.title} by {LEVELS[level][0].lower()}{LEVELS[level][1:]}, {_period_label(fy, month)}"
    panel = (fetch(wh, "map", title, name, by=[level], **window) if fy is not None
             else Panel("map", title, name, message=years_panel.message))
    rows: list[dict] = []
    hidden: list[dict] = []
    unplaced, unit = _unplaced(panel, level), metric.unit
    if panel.result and not any(panel.result.table.column(level).to_pylist()):
        panel.message = (f"No {LEVELS[level].lower()} is recorded for these figures; "
                         "try another level of areas.")
    elif panel.result:
        result = per_capita(panel.result, level) if per_cap else panel.result
        topo = f"/geo/{charts.TOPO_FILES[level]}"
        panel.spec = for_browser_map(charts.choropleth(result, level, topo, title))
        rows, hidden = _ranked(result, level)
        unit = result.metric.unit
    options = dict(metrics=[(m.name, m.title) for m in metrics.values()],
                   levels=[(lv, LEVELS[lv]) for lv in map_levels(metric)],
                   years=years, months=[("", "Whole fiscal year")] +
                   [(m, m) for m in months_of(fy)] if fy else [])
    return page("map.html", "Map", "/map", [panel], panel=panel, f=f, options=options,
                level=level, per_cap=per_cap, can_per_capita=can_per_capita,
                link=LINKS.get(level), rows=rows, hidden=hidden, unplaced=unplaced, unit=unit)


def _unplaced(panel: Panel, level: str) -> float | None:
    """The value of the records with no area at this level (shown as a note, not on the map)."""
    if panel.result is None:
        return None
    values = [r["value"] for r in panel.result.table.to_pylist() if not r[level] and r["value"]]
    return sum(values) if values else None


def _period_label(fy: int | None, month: str) -> str:
    return f"{month}" if month else f"FY{fy}" if fy else "no data"


def _ranked(result, level: str) -> tuple[list[dict], list[dict]]:
    """The largest areas as a table (the keyboard- and screen-reader-friendly twin of the map),
    and the suppressed areas."""
    names = _names(level)
    rows = [{"code": r[level], "name": names.get(r[level], r[level]), "value": r["value"],
             "suppressed": r["suppressed"]} for r in result.table.to_pylist() if r[level]]
    shown = sorted((r for r in rows if not r["suppressed"]), key=lambda r: -(r["value"] or 0))
    return shown[:TOP_ROWS], [r for r in rows if r["suppressed"]]


def _names(level: str) -> dict[str, str]:
    if level == "state":
        return {s["code"]: s["name"] for s in reference.states()}
    if level == "aor":
        return {a["code"]: a["name"] for a in reference.aors()}
    return {r["fips"]: f"{r['name']}, {r['state']}"
            for r in reference.read_csv_rows("reference", "counties.csv")}
