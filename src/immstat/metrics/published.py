"""Published aggregates (ICE / CBP tables): computed from their tables as published, never
suppressed — they are not record-derived."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from immstat.core.calendar import fiscal_year, period_of, period_span
from immstat.metrics.engine import Request, coverage, execute

NOTE = "published aggregate: shown as published, not suppressed"


def compute(backend, req: Request) -> tuple[pd.DataFrame, list[str]]:
    """Cells of a published metric (dimension columns, period, value, suppressed = False) and the
    notes that go with them (which snapshots were read, for a snapshot stock)."""
    frame = execute(backend, req)
    notes = [NOTE]
    if req.metric.snapshots is not None:  # which snapshots were read (none: no cells, not zeros)
        frame, note = req.metric.snapshots.finish(backend, req, frame)
        notes.append(note)
    if req.metric.measure.kind == "per_day":
        frame["days"] = _days(frame, req, coverage(backend, req))
    frame = req.metric.measure.finish(frame)
    frame["suppressed"] = False
    return _clip(frame, req), notes


def _clip(frame: pd.DataFrame, req: Request) -> pd.DataFrame:
    if req.grain is None or "period" not in frame.columns or frame.empty:
        return frame
    lo: dt.date | int | None
    hi: dt.date | int | None
    if req.grain == "fy":
        lo = fiscal_year(req.start) if req.start else None
        hi = fiscal_year(req.end) if req.end else None
    else:
        lo = period_of(req.start, req.grain) if req.start else None
        hi = req.end
    keep = pd.Series(True, index=frame.index)
    if lo is not None:
        keep &= frame["period"] >= lo
    if hi is not None:
        keep &= frame["period"] <= hi
    return frame[keep]


def _days(frame: pd.DataFrame, req: Request, data_span: tuple) -> pd.Series:
    """Days each cell covers: calendar span ∩ requested window ∩ dates present in the data."""
    lo_data, hi_data = data_span

    def days(period) -> int:
        lo, hi = period_span(period, req.grain) if req.grain else (None, None)
        bounds_lo = [d for d in (lo, req.start, lo_data) if d is not None]
        bounds_hi = [d for d in (hi, req.end, hi_data) if d is not None]
        if not bounds_lo or not bounds_hi:
            return 0
        return max((min(bounds_hi) - max(bounds_lo)).days + 1, 0)

    periods = frame["period"] if "period" in frame.columns else pd.Series([None] * len(frame))
    return pd.Series([days(p) for p in periods], index=frame.index, dtype="float64")
