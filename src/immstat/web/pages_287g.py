"""``/287g``: local agencies with a 287(g) agreement — how many, of which type, where, and how the
list grew across the snapshots collected in 2025; ``?state=TX`` shows one state (its counties on a
map, its agencies' growth). ICE's published lists, shown as published; every figure reads one
snapshot, and a series shows only the snapshots collected (points, nothing drawn between them).
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from immstat.core import reference
from immstat.core.calendar import month_start
from immstat.core.formats import month_label
from immstat.metrics import Warehouse
from immstat.present import charts
from immstat.present.filters import Filters
from immstat.present.g287 import (
    AGENCIES,
    AGREEMENTS,
    LAYER_CATEGORIES,
    TYPE_WORDS,
    TYPES,
    county_rows,
    growth_panels,
    growth_summary,
)
from immstat.present.overlays import county_layer, only_state
from immstat.present.panels import Panel, fetch
from immstat.present.state import serve_state
from immstat.present.trends import trend
from immstat.web.render import cached_page, page
from immstat.web.specs import for_browser_map

router = APIRouter(include_in_schema=False)
SIGNED_SINCE = dt.date(2025, 1, 20)  # the administration's first day: "signed since" counts from it
COUNTIES_URL = "/geo/counties-10m.json"


@router.get("/287g", response_class=HTMLResponse)
def g287_page(request: Request, state: str | None = None) -> HTMLResponse:
    return cached_page(request, lambda: _build(request, state))


def _build(request: Request, state_raw: str | None) -> HTMLResponse:
    wh = serve_state(request).warehouse()
    states = {s["code"]: s for s in reference.states()}
    f = Filters()
    code = f.choose("state", (state_raw or "").upper() or None, sorted(states), "")
    where = {"state": [code]} if code else {}
    label = states[code]["name"] if code else ""
    growth = growth_panels(wh, where, label)
    signed = fetch(wh, "g287-signed", f"287(g) agreements signed per month since "
                   f"{month_label(SIGNED_SINCE, long=True)}", "agreements_287g_signed", where=where,
                   grain="month", date_from=month_start(SIGNED_SINCE))
    trend(wh, signed)
    if signed.ok:
        signed.notes.append("Agreements on ICE's newest list, by the month they were signed; "
                            "agreements that ended before the list are not on it, and older "
                            "signings are left out of this chart (the CSV of all months: the "
                            "API link under Sources).")
    since = fetch(wh, "g287-since", "", "agreements_287g_signed", where=where,
                  by=["agreement_type"], date_from=SIGNED_SINCE)
    by_type = fetch(wh, "g287-types", "", AGREEMENTS, where=where, by=["agreement_type"])
    areas = _state_map(wh) if not code else _county_map(wh, code, label)
    table = _state_table(wh, states) if not code else _county_table(wh, code)
    panels = [*growth, signed, since, by_type, areas]
    return page("g287.html", f"287(g) agreements{', ' + label if label else ''}", "/287g",
                panels, request=request, f=f, code=code, label=label, growth=growth,
                summary=growth_summary(growth[0]), signed=signed, since=_by_type(since),
                since_day=SIGNED_SINCE, types=_by_type(by_type), type_words=TYPE_WORDS,
                areas=areas, table=table, states=[(s, states[s]["name"]) for s in sorted(states)])


def _by_type(panel: Panel) -> dict[str, float]:
    rows = panel.result.table.to_pylist() if panel.result else []
    found = {r["agreement_type"]: r["value"] for r in rows if r["agreement_type"] in TYPES}
    return {t: found.get(t, 0.0) for t in TYPES} if found else {}


def _state_map(wh: Warehouse) -> Panel:
    panel = fetch(wh, "g287-map", "Agencies with a 287(g) agreement, by state (newest list)",
                  AGENCIES, by=["state"])
    if panel.result is not None:
        spec = charts.choropleth(panel.result, "state", "/geo/states-10m.json", panel.title)
        panel.spec = for_browser_map(spec)
    return panel


def _county_map(wh: Warehouse, code: str, label: str) -> Panel:
    """The state's counties: grey by agencies, coloured by agreement type where there is one."""
    where = {"state": [code]}
    panel = fetch(wh, "g287-map", f"Counties with a 287(g) agreement, {label} (newest list)",
                  AGENCIES, by=["county"], where=where)
    if panel.result is not None:
        spec = charts.choropleth(panel.result, "county", COUNTIES_URL, panel.title, scheme="greys",
                                 value_legend=False)
        rows, _ = county_rows(wh, where)
        spec = county_layer(spec, rows, COUNTIES_URL, LAYER_CATEGORIES, "287(g) agreement type")
        panel.spec = for_browser_map(only_state(spec, _fips(code)))
    return panel


def _fips(code: str) -> str:
    return next(s["fips"] for s in reference.states() if s["code"] == code)


def _state_table(wh: Warehouse, states: dict) -> list[dict]:
    """Per state: agencies and agreements of each type on the newest list, most agencies first."""
    agencies = fetch(wh, "g287-state-agencies", "", AGENCIES, by=["state"])
    types = fetch(wh, "g287-state-types", "", AGREEMENTS, by=["state", "agreement_type"])
    rows: dict[str, dict] = {}
    for r in agencies.result.table.to_pylist() if agencies.result else []:
        if r["state"] and r["value"]:
            rows[r["state"]] = {"code": r["state"], "agencies": r["value"],
                                "name": states.get(r["state"], {}).get("name", r["state"]),
                                "link": f"/287g?state={r['state']}"}
    for r in types.result.table.to_pylist() if types.result else []:
        if r["state"] in rows:
            rows[r["state"]][r["agreement_type"]] = r["value"]
    return sorted(rows.values(), key=lambda r: -r["agencies"])


def _county_table(wh: Warehouse, code: str) -> list[dict]:
    rows, _ = county_rows(wh, {"state": [code]})
    return sorted(({"code": r["id"], "name": r["name"], "agencies": r["agencies"],
                    "types": ", ".join(r["types"]), "link": None} for r in rows),
                  key=lambda r: (-r["agencies"], r["name"]))
