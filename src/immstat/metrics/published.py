"""Published aggregates (ICE / CBP tables): computed from their tables as published, never
suppressed — they are not record-derived. Also the calendar helpers both paths share."""

from __future__ import annotations

import calendar
import datetime as dt

import pandas as pd

from immstat.core.calendar import fiscal_year, fy_bounds
from immstat.metrics.engine import Request, coverage, execute


def unit_start(day: dt.date, grain: str) -> dt.date:
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def cell_span(period, grain: str | None) -> tuple[dt.date | None, dt.date | None]:
    """First and last day of a period of ``grain`` (None, None for no grain)."""
    if grain is None:
        return None, None
    if grain == "fy":
        return fy_bounds(int(period))
    if grain == "day":
        return period, period
    if grain == "week":
        return period, period + dt.timedelta(days=6)
    return period, month_end(period)


def compute(backend, req: Request) -> pd.DataFrame:
    """Cells of a published metric: dimension columns, period, value, suppressed (= False)."""
    frame = execute(backend, req)
    if req.metric.measure.kind == "per_day":
        frame["days"] = _days(frame, req, coverage(backend, req))
    frame = req.metric.measure.finish(frame)
    frame["suppressed"] = False
    return _clip(frame, req)


def _clip(frame: pd.DataFrame, req: Request) -> pd.DataFrame:
    if req.grain is None or "period" not in frame.columns or frame.empty:
        return frame
    if req.grain == "fy":
        lo = fiscal_year(req.start) if req.start else None
        hi = fiscal_year(req.end) if req.end else None
    else:
        lo = unit_start(req.start, req.grain) if req.start else None
        hi = req.end
    keep = pd.Series(True, index=frame.index)
    if lo is not None:
        keep &= frame["period"] >= lo
    if hi is not None:
        keep &= frame["period"] <= hi
    return frame[keep]


def _days(frame: pd.DataFrame, req: Request, data_span) -> pd.Series:
    """Days each cell covers: calendar span ∩ requested window ∩ dates present in the data."""
    lo_data, hi_data = data_span

    def days(period) -> int:
        lo, hi = cell_span(period, req.grain)
        bounds_lo = [d for d in (lo, req.start, lo_data) if d is not None]
        bounds_hi = [d for d in (hi, req.end, hi_data) if d is not None]
        if not bounds_lo or not bounds_hi:
            return 0
        return max((min(bounds_hi) - max(bounds_lo)).days + 1, 0)

    periods = frame["period"] if "period" in frame.columns else pd.Series([None] * len(frame))
    return pd.Series([days(p) for p in periods], index=frame.index, dtype="float64")
