"""A target against a published (real, aggregate) series, fiscal year by fiscal year, measured
from the target's own start.

Record-level FOIA data may be synthetic (the demo) or lag by months; ICE's own published tables
(detention statistics) give a real-data comparison. Each fiscal year overlapping the target's
period gets one row: the published figures from the target's first whole month (published
monthly counts cannot be cut inside a month) to the release's data end — the day the data reach,
solved from the release (``Result`` cells' ``period_start``/``period_end``) — with the days that
covers and the rate per day. Figures ICE prints per fiscal year only (removals) are whole fiscal
years to date, said so in the row.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from immstat.analysis.targets.schema import Target
from immstat.core.calendar import fiscal_year, fy_bounds, month_end, next_month
from immstat.core.errors import QueryError, UnknownName
from immstat.metrics import Result, get_metric

_FY_KEY = re.compile(r":FY(\d\d)$")


def first_whole_month(day: dt.date) -> dt.date:
    """``day`` if it is a 1st, else the 1st of the next month."""
    return day if day.day == 1 else next_month(day)


def published_pace(wh, target: Target, as_of: dt.date) -> dict | None:
    """Rows of ``target.published_metric`` per fiscal year of the target period (None if unset)."""
    if not target.published_metric:
        return None
    base = {"metric": target.published_metric, "where": target.published_where,
            "note": target.published_note}
    end = min(target.end or as_of, as_of)
    try:
        result, by_month = _query(wh, target, first_whole_month(target.start), end, as_of)
    except UnknownName:
        return {**base, "status": "unavailable", "rows": [], "synthetic": None, "sources": [],
                "message": f"metric {target.published_metric!r} is not registered in this install"}
    rows = _rows(result, target, by_month)
    status = "ok" if rows and not result.synthetic else "synthetic" if rows else "no data"
    return {**base, "status": status, "rows": rows, "synthetic": result.synthetic,
            "sources": cite(result.sources), "title": result.metric.title,
            "message": "" if rows else "no published figures for the fiscal years of this period"}


def _query(wh, target: Target, start: dt.date, end: dt.date, as_of: dt.date) -> tuple[Result, bool]:
    """Monthly cells from ``start`` (additive counts), else fiscal-year cells."""
    where, metric = target.published_where or None, str(target.published_metric)
    if get_metric(metric).measure.additive:
        try:
            return wh.query(metric, where=where, date_from=start,
                            date_to=month_end(max(end, start)), grain="month", as_of=as_of), True
        except QueryError:
            pass  # published per fiscal year only
    return wh.query(metric, where=where, grain="fy", as_of=as_of,
                    date_from=fy_bounds(fiscal_year(start))[0],
                    date_to=fy_bounds(fiscal_year(max(end, start)))[1]), False


def _rows(result: Result, target: Target, by_month: bool) -> list[dict]:
    """One row per fiscal year: value, first and last day covered, days, rate per day."""
    first_fy = fiscal_year(target.start)
    last_fy = fiscal_year(target.end) if target.end else None
    acc: dict[int, dict] = defaultdict(lambda: {"value": 0.0, "from": None, "through": None,
                                                 "days": 0, "partial": False})
    for cell in result.table.to_pylist():
        if cell["value"] is None or cell["period_start"] is None:
            continue
        fy = fiscal_year(cell["period_start"])
        if fy < first_fy or (last_fy is not None and fy > last_fy):
            continue
        row = acc[fy]
        row["value"] += cell["value"]
        row["days"] += (cell["period_end"] - cell["period_start"]).days + 1
        row["from"] = min(filter(None, (row["from"], cell["period_start"])))
        row["through"] = max(filter(None, (row["through"], cell["period_end"])))
        row["partial"] = row["partial"] or bool(cell["partial"])
    out = []
    for fy, row in sorted(acc.items()):
        if not row["days"]:
            continue
        per_day = row["value"] / row["days"]
        out.append({"fiscal_year": fy, "value": row["value"], "from": row["from"].isoformat(),
                    "through": row["through"].isoformat(), "days": row["days"],
                    "partial": row["partial"], "per_day": per_day, "annualised": per_day * 365,
                    "target_per_day": target.daily_rate,
                    "share_of_target": per_day / target.daily_rate,
                    "from_target_start": by_month})
    return out


def release_by_fy(wh, sources: list[dict]) -> tuple[dict[int, dt.date], dict[int, int]]:
    """Newest cited release date per fiscal year, and each cited source's fiscal year, from the
    sources' dataset keys (e.g. ``ice_detention_stats:FY25``)."""
    cited = {s["source_id"]: s["release_date"] for s in sources if s["release_date"]}
    release: dict[int, dt.date] = {}
    fy_of: dict[int, int] = {}
    for row in wh.sources():
        match = _FY_KEY.search(row.get("dataset") or "")
        if row["source_id"] in cited and match:
            fy = fy_of[row["source_id"]] = 2000 + int(match[1])
            release[fy] = max(release.get(fy, cited[row["source_id"]]), cited[row["source_id"]])
    return release, fy_of


def covered_days(fy: int, through: dt.date | None) -> int:
    """Days of fiscal year ``fy`` from 1 October to ``through`` (the data end; whole year if None)."""
    start, end = fy_bounds(fy)
    last = min(through, end) if through else end
    return (last - start).days + 1


def cite(sources: list[dict]) -> list[dict]:
    return [{"source_id": s["source_id"], "file": s["file"], "kind": s["kind"],
             "release_date": _iso(s["release_date"]), "sha256": s["sha256"],
             "synthetic": s["synthetic"], "rows_loaded": s["rows_loaded"]} for s in sources]


def _iso(value):
    return value.isoformat() if isinstance(value, dt.date) else value
