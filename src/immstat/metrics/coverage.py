"""What a result covers: partial fiscal years, columns a source does not have, and — for
published tables that leave out small rows — how much of ICE's published annual total they reach.

:func:`annotate` runs once per query, after the Result is built. It adds

* ``notes`` for each fiscal year in the request that a source covers only in part (its stated
  data end, e.g. ICE's FOIA arrests for FY2019 end on 31 Aug 2019), for each requested
  dimension a source's layout does not have ("… has no criminality: its rows are blank here"),
  and for the assumptions synthetic sources state (scenario years with no published total);
* ``coverage`` for metrics that declare a ``registry.Coverage``: per fiscal year, the metric's
  national sum divided by ICE's published annual total (``immstat.core.published``), with the
  sentence surfaces show ("covers 86% of the 170,590 arrests ICE reported for FY2023").
"""

from __future__ import annotations

import datetime as dt

from immstat.core.calendar import fiscal_year, fy_bounds
from immstat.core.published import SOURCE, annual_totals
from immstat.metrics.dimensions import DIMENSIONS
from immstat.metrics.engine import Request, execute
from immstat.metrics.registry import Coverage


def annotate(result, wh, req: Request) -> None:
    """Add partial-period and missing-column notes, and the coverage figure, to ``result``."""
    shown = (set(result.table.column("fiscal_year").to_pylist())
             if "fiscal_year" in result.table.column_names else None)
    added = (_period_notes(result.sources, req, shown) + _column_notes(result.sources, req)
             + _assumption_notes(result.sources))
    result.notes[:0] = added  # before the metric's own notes (a snapshot metric's note stays last)
    if req.metric.coverage is not None:
        result.coverage = _coverage(wh, req, req.metric.coverage)


def _window_years(req: Request, data_years: list[int]) -> list[int]:
    lo = fiscal_year(req.start) if req.start else None
    hi = fiscal_year(req.end) if req.end else None
    return [y for y in data_years if (lo is None or y >= lo) and (hi is None or y <= hi)]


def _period_notes(sources: list[dict], req: Request, shown: set | None) -> list[str]:
    """Fiscal years a source ends inside of, among those requested (and shown, by FY)."""
    notes = []
    for s in sources:
        end = s.get("data_end")
        if not isinstance(end, dt.date):
            continue
        fy = fiscal_year(end)
        if end < fy_bounds(fy)[1] and _window_years(req, [fy]) and (shown is None or fy in shown):
            notes.append(f"FY{fy} is partial: {s['file']} covers data only through "
                         f"{end:%d %b %Y}.")
    return notes


def _column_notes(sources: list[dict], req: Request) -> list[str]:
    wanted = {DIMENSIONS[d].column: d for d in [*req.by, *req.where] if d in DIMENSIONS}
    notes = []
    for s in sources:
        lacking = set((s.get("columns_not_provided") or "").split(",")) & set(wanted)
        for column in sorted(lacking):
            notes.append(f"{s['file']} has no {wanted[column]} (its layout lacks the column): "
                         "its rows are blank here, not of an unknown category.")
    return notes


def _assumption_notes(sources: list[dict]) -> list[str]:
    """Assumptions a synthetic source states in its banner (scenario years, invented shares)."""
    stated = dict.fromkeys(s["assumption"] for s in sources if s.get("assumption"))
    return [f"SYNTHETIC data; stated assumption: {text}" for text in stated]


def _coverage(wh, req: Request, coverage: Coverage) -> dict:
    frame = execute(wh.backend(), Request(req.metric, grain="fy", as_of=req.as_of))
    national = {int(p): float(v) for p, v in zip(frame["period"], frame["value"]) if v == v}
    totals = annual_totals(coverage.published) if coverage.published else {}
    years = []
    for fy in sorted(_window_years(req, list(national))):
        total = totals.get(fy)
        share = round(national[fy] / total, 3) if total else None
        if total:
            text = f"covers {share:.0%} of the {total:,} {coverage.noun} ICE reported for FY{fy}"
        else:
            text = f"ICE published no annual total of {coverage.noun} for FY{fy} to compare with"
        years.append({"fiscal_year": fy, "national_sum": round(national[fy]),
                      "published_total": total, "share": share, "text": text})
    return {"published_source": SOURCE if coverage.published else None, "why": coverage.why,
            "years": years}
