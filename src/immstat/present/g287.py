"""287(g) agreements as pages show them: growth across the collected snapshots, counties with an
agreement (the map layer), and an area's count and growth (field-office card, state view).

ICE's list is a stock published as snapshots: every figure here is read from one snapshot, and a
series shows only the snapshots collected — drawn as points, nothing drawn between them.
"""

from __future__ import annotations

from functools import lru_cache

import altair as alt

from immstat.core import reference
from immstat.metrics import Result, Warehouse
from immstat.present import charts
from immstat.present.panels import Panel, fetch

TYPES = ["Task Force", "Jail Enforcement", "Warrant Service Officer"]
SEVERAL = "several types"
LAYER_CATEGORIES = [*TYPES, SEVERAL]
TYPE_WORDS = {
    "Task Force": "local officers question and arrest people for ICE during their regular "
                  "policing (revived in 2025)",
    "Jail Enforcement": "jail officers identify and process people held in the local jail for "
                        "removal",
    "Warrant Service Officer": "jail officers serve ICE's administrative warrants on people "
                               "already in custody",
}
AGENCIES, AGREEMENTS = "agencies_287g", "agreements_287g"
# who collected a copy of ICE's list, by source kind (the legend of the growth charts)
COLLECTED_BY = {"agreements_287g_watch": "copies saved by 287g-watch",
                "ice_287g_participating_agencies": "ICE's own download"}


def snapshot_time(label: str) -> str:
    """'2025-05-19 pm' → '2025-05-19T18:00:00' (am 09:00): when in the day it was collected."""
    day, _, half = label.partition(" ")
    return f"{day}T{'18' if half == 'pm' else '09'}:00:00"


def _collected_in(result: Result) -> dict[str, str]:
    """Snapshot day (ISO) → the file it was collected in, from the sources' data spans."""
    out: dict[str, str] = {}
    for s in result.sources:
        start, end = str(s.get("data_start") or ""), str(s.get("data_end") or "")
        name = COLLECTED_BY.get(str(s.get("kind")), s["file"])
        out.update({d: name for d in _days(result) if start[:10] <= d <= end[:10]})
    return out


def _days(result: Result) -> list[str]:
    return sorted({str(v)[:10] for v in result.table.column("snapshot").to_pylist() if v})


def growth_chart(result: Result, title: str, category: str | None = "agreement_type",
                 width: int = charts.WIDTH, height: int = charts.HEIGHT) -> dict:
    """One point per collected snapshot (and per ``category``), shaped by the file it came from."""
    files = _collected_in(result)
    rows = charts.records(result, (category,) if category else ())
    for r in rows:
        r["when"] = snapshot_time(r["snapshot"])
        r["file"] = files.get(r["snapshot"][:10], "")
    enc: dict = {
        "x": alt.X("when:T", title="Snapshot collected", scale=alt.Scale(padding=14),
                   axis=alt.Axis(format="%-d %b %Y", tickCount={"interval": "week", "step": 2})),
        "y": alt.Y("value:Q", title=result.metric.unit),
        "shape": alt.Shape("file:N", title="Collected in", legend=alt.Legend(orient="bottom")),
        "tooltip": [alt.Tooltip("snapshot:N", title="snapshot"),
                    *([alt.Tooltip(f"{category}:N", title="type")] if category else []),
                    alt.Tooltip("value:Q", title=result.metric.unit, format=","),
                    alt.Tooltip("file:N", title="file")]}
    if category:
        enc["color"] = alt.Color(f"{category}:N", title="Agreement type",
                                 scale=alt.Scale(domain=TYPES, range=charts.OKABE_ITO[:3]),
                                 legend=alt.Legend(orient="bottom"))
    points = alt.Chart(alt.Data(values=rows)).mark_point(filled=True, size=70, opacity=1).encode(**enc)
    note = "each point is a collected snapshot; nothing is drawn between them"
    return charts.finish(points.properties(title=charts.title_params(result, title, [note]),
                                           width=width, height=height))


def growth_panels(wh: Warehouse, where: dict | None = None, label: str = "") -> list[Panel]:
    """Agencies across the snapshots, and agreements by type across the snapshots (drawn)."""
    where = where or {}
    suffix = f", {label}" if label else ""
    agencies = fetch(wh, "g287-agencies", f"Agencies with a 287(g) agreement{suffix}", AGENCIES,
                     by=["snapshot"], where=where)
    by_type = fetch(wh, "g287-growth", f"287(g) agreements by type, per snapshot{suffix}",
                    AGREEMENTS, by=["snapshot", "agreement_type"], where=where)
    agencies.draw(growth_chart, agencies.title, None)
    by_type.draw(growth_chart, by_type.title)
    return [agencies, by_type]


def growth_summary(panel: Panel) -> dict | None:
    """First and newest snapshot of a ``by=["snapshot"]`` panel: labels, values, change."""
    if panel.result is None:
        return None
    rows = sorted((r for r in panel.result.table.to_pylist() if r["value"] is not None),
                  key=lambda r: r["snapshot"])
    if not rows:
        return None
    first, newest = rows[0], rows[-1]
    return {"first": first["snapshot"], "first_value": first["value"],
            "newest": newest["snapshot"], "newest_value": newest["value"],
            "change": newest["value"] - first["value"], "snapshots": len(rows)}


@lru_cache(maxsize=1)
def _county_names() -> dict[str, str]:
    return {r["fips"]: f"{r['name']}, {r['state']}"
            for r in reference.read_csv_rows("reference", "counties.csv")}


def newest_snapshot(wh: Warehouse) -> str | None:
    """The label of the newest 287(g) list held ('2025-08-13 am'), or None."""
    found = growth_summary(fetch(wh, "g287-snapshots", "", AGENCIES, by=["snapshot"]))
    return found["newest"] if found else None


def county_rows(wh: Warehouse, where: dict | None = None) -> tuple[list[dict], Panel]:
    """Counties with an agreement on the newest list (the map layer's rows: id, name, category —
    the type, or 'several types' — and the agencies), and the panel they came from."""
    panel = fetch(wh, "g287-counties", "287(g) agreements by county and type", AGREEMENTS,
                  by=["county", "agreement_type"], where=where or {})
    agencies = fetch(wh, "g287-county-agencies", "", AGENCIES, by=["county"], where=where or {})
    counts = {r["county"]: r["value"] for r in agencies.result.table.to_pylist()} \
        if agencies.result else {}
    types: dict[str, set[str]] = {}
    for r in panel.result.table.to_pylist() if panel.result else []:
        if r["county"] and r["value"]:
            types.setdefault(r["county"], set()).add(r["agreement_type"])
    rows = [{"id": fips, "name": _county_names().get(fips, fips),
             "category": next(iter(found)) if len(found) == 1 else SEVERAL,
             "types": sorted(found), "agencies": counts.get(fips, 0),
             "detail": f"{counts.get(fips, 0):,.0f}"}
            for fips, found in sorted(types.items())]
    return rows, panel
