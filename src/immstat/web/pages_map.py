"""``/map``: a choropleth of any mappable metric by state, field office (AOR) or county, and
the 287(g) layer: counties with an agreement on ICE's newest list, coloured by type, over it.

State lives in the URL (``?metric=&level=&fy=&month=&per_capita=1&g287=1``). The default is ICE's
published arrests by field office (ERO statistics). Clicking a field office or a county opens the
field-office card; ``/county/{fips}`` redirects to the county's office. Aggregate only: areas,
never points for people.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from immstat.core import reference
from immstat.core.formats import month_label
from immstat.metrics import DIMENSIONS, all_metrics
from immstat.present import charts
from immstat.present.filters import Filters, fiscal_years, month_window, months_of
from immstat.present.g287 import LAYER_CATEGORIES, county_rows, newest_snapshot
from immstat.present.overlays import county_layer
from immstat.present.panels import Panel, fetch
from immstat.present.periods import fy_through, to_date
from immstat.present.population import per_capita, population
from immstat.present.state import serve_state
from immstat.web.render import cached_page, not_found, page
from immstat.web.specs import for_browser_map

router = APIRouter(include_in_schema=False)

LEVELS = {"state": "State", "aor": "Field office (AOR)", "county": "County"}
LINKS = {"aor": "/aor/{key}", "county": "/county/{key}"}
TOP_ROWS = 25
DEFAULTS = ("ero_stats_arrests", "arrests")  # the first with data is the default map


def map_levels(metric) -> list[str]:
    return [d for d in metric.dimensions if DIMENSIONS[d].geo_level in LEVELS]


def mappable() -> dict:
    """Metrics with a map level: published figures first, then record-level ones."""
    found = [m for m in all_metrics() if m.mappable and map_levels(m)]
    return {m.name: m for m in sorted(found, key=lambda m: m.record_derived)}


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, metric: str | None = None, level: str | None = None,
             fy: str | None = None, month: str | None = None,
             per_capita: str | None = None, g287: str | None = None) -> HTMLResponse:
    args = dict(metric=metric, level=level, fy=fy, month=month, per_capita=per_capita, g287=g287)
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
    name = f.choose("metric", raw["metric"], list(metrics), _default(wh, metrics))
    metric = metrics[name]
    level = f.choose("level", raw["level"], map_levels(metric), map_levels(metric)[0])
    years_panel = fetch(wh, "years", "", name, grain="fy")
    years = fiscal_years(years_panel)
    fy = f.choose("fy", raw["fy"], years, years[0] if years else None)
    month = f.choose("month", raw["month"], months_of(fy) if fy else [], "")
    can_per_capita = metric.unit != "share" and bool(population(level))
    per_cap = f.choose("per_capita", raw["per_capita"], ["1", "0"], "0") == "1" and can_per_capita
    layer = f.choose("g287", raw["g287"], ["1", "0"], "0") == "1"
    window = month_window(month) if month else {"fy": fy}
    through = fy_through(wh, years_panel, fy) if fy and not month else None
    period = _period_label(fy, month) + (f" {to_date(through)}" if through else "")
    title = f"{metric.title} by {LEVELS[level][0].lower()}{LEVELS[level][1:]}, {period}"
    panel = (fetch(wh, "map", title, name, by=[level], **window) if fy is not None
             else Panel("map", title, name, message=years_panel.message))
    rows: list[dict] = []
    hidden: list[dict] = []
    unplaced, unit = _unplaced(panel, level), metric.unit
    layer_panel: Panel | None = None
    if panel.result and not any(panel.result.table.column(level).to_pylist()):
        panel.message = (f"No {LEVELS[level].lower()} is recorded for these figures; "
                         "try another level of areas.")
    elif panel.result:
        result = per_capita(panel.result, level) if per_cap else panel.result
        topo = f"/geo/{charts.TOPO_FILES[level]}"
        spec = charts.choropleth(result, level, topo, title, scheme="greys" if layer else
                                 charts.MAP_SCHEME)
        if layer:
            counties, layer_panel = county_rows(wh)
            spec = county_layer(spec, counties, "/geo/counties-10m.json", LAYER_CATEGORIES,
                                "287(g) agreements (county)")
        panel.spec = for_browser_map(spec)
        rows, hidden = _ranked(result, level)
        unit = result.metric.unit
    options = dict(metrics=[(m.name, m.title) for m in metrics.values()],
                   levels=[(lv, LEVELS[lv]) for lv in map_levels(metric)],
                   years=years, months=[("", "Whole fiscal year")] +
                   [(m, _period_label(fy, m)) for m in months_of(fy)] if fy else [])
    panels = [panel] + ([layer_panel] if layer_panel else [])
    return page("map.html", "Map", "/map", panels, request=request, panel=panel, f=f,
                options=options, level=level, per_cap=per_cap, can_per_capita=can_per_capita,
                layer=layer, layer_panel=layer_panel, link=LINKS.get(level), rows=rows,
                snapshot=newest_snapshot(wh) if layer else None,
                hidden=hidden, unplaced=unplaced, unit=unit,
                coverage=panel.coverage_text(fy) if fy and not month else None)


def _default(wh, metrics: dict) -> str:
    """ICE's published arrests; ICE's record-level arrests when no published ones are loaded."""
    for name in DEFAULTS:
        if name in metrics and fetch(wh, "default", "", name, grain="fy").ok:
            return name
    return next(iter(metrics))


def _unplaced(panel: Panel, level: str) -> float | None:
    """The value of the records with no area at this level (shown as a note, not on the map)."""
    if panel.result is None:
        return None
    values = [r["value"] for r in panel.result.table.to_pylist() if not r[level] and r["value"]]
    return sum(values) if values else None


def _period_label(fy: int | None, month: str) -> str:
    if month:
        return month_label(dt.date.fromisoformat(f"{month}-01"))
    return f"FY{fy}" if fy else "no data"


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
