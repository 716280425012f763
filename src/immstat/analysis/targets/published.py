"""A target against a published (real, aggregate) series, fiscal year by fiscal year.

Record-level FOIA data may be synthetic (the demo) or lag by months; ICE's own published tables
(detention statistics) give a real-data comparison. Each fiscal year overlapping the target's
period is shown with the published figure, the days it covers and the implied rate per day. For a
fiscal year still under way at its release the figure covers the days from 1 October to the
release date (an approximation: ICE's data run to a few days before the release).
"""

from __future__ import annotations

import datetime as dt
import re

from immstat.analysis.targets.schema import Target
from immstat.core.calendar import fiscal_year, fy_bounds
from immstat.core.errors import UnknownName

_FY_KEY = re.compile(r":FY(\d\d)$")


def published_pace(wh, target: Target, as_of: dt.date) -> dict | None:
    """FY rows of ``target.published_metric`` overlapping the target period (None if none set)."""
    if not target.published_metric:
        return None
    base = {"metric": target.published_metric, "where": target.published_where,
            "note": target.published_note}
    try:
        result = wh.query(target.published_metric, where=target.published_where or None,
                          grain="fy", as_of=as_of)
    except UnknownName:
        return {**base, "status": "unavailable", "rows": [], "synthetic": None, "sources": [],
                "message": f"metric {target.published_metric!r} is not registered in this install"}
    releases, fy_of = release_by_fy(wh, result.sources)
    first_fy, last_fy = fiscal_year(target.start), fiscal_year(min(target.end or as_of, as_of))
    rows = []
    for fy, value, _ in result.rows():
        if not first_fy <= fy <= last_fy or value is None:
            continue
        days = covered_days(fy, releases.get(fy))
        rows.append({"fiscal_year": fy, "value": value, "days": days, "per_day": value / days,
                     "annualised": value / days * 365, "target_per_day": target.daily_rate,
                     "share_of_target": value / days / target.daily_rate})
    shown = {r["fiscal_year"] for r in rows}
    status = "ok" if rows else "no data"
    return {**base, "status": status, "rows": rows, "synthetic": result.synthetic,
            "sources": cite([s for s in result.sources if fy_of.get(s["source_id"], -1) in shown]),
            "title": result.metric.title,
            "message": "" if rows else "no published figures for the fiscal years of this period"}


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


def covered_days(fy: int, release: dt.date | None) -> int:
    """Days of fiscal year ``fy`` a published FY-to-date figure covers (see module docstring)."""
    start, end = fy_bounds(fy)
    last = min(release, end) if release else end
    return (last - start).days + 1


def cite(sources: list[dict]) -> list[dict]:
    return [{"source_id": s["source_id"], "file": s["file"], "kind": s["kind"],
             "release_date": _iso(s["release_date"]), "sha256": s["sha256"],
             "synthetic": s["synthetic"], "rows_loaded": s["rows_loaded"]} for s in sources]


def _iso(value):
    return value.isoformat() if isinstance(value, dt.date) else value
