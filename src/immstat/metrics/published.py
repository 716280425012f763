"""Published aggregates (ICE / CBP tables): computed from their tables as published, never
suppressed — they are not record-derived."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd

from immstat.core.calendar import fiscal_year, fy_bounds, period_of, period_span
from immstat.core.errors import QueryError
from immstat.metrics.engine import Request, coverage, execute
from immstat.metrics.periods import DataEnds

NOTE = "published aggregate: shown as published, not suppressed"
YEARLY_NOTE = ("fiscal-year figures as ICE printed them (several years: counts summed, averages "
               "weighted by the days each year's figures cover)")


def compute(backend, req: Request, ends: DataEnds | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Cells of a published metric (dimension columns, period, value, suppressed = False) and the
    notes that go with them (which snapshots were read, for a snapshot stock)."""
    yearly = _fiscal_years(req)
    if yearly:
        return _from_fiscal_years(backend, req, ends or DataEnds()), [NOTE, YEARLY_NOTE]
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


def _fiscal_years(req: Request) -> bool:
    """Whether a request is answered from the printed fiscal-year figures: a measure ICE prints
    per fiscal year asked for whole fiscal years without a finer grain (one-line error when it
    asks for months, weeks or days of a figure printed only per fiscal year)."""
    measure = req.metric.measure
    if getattr(measure, "fy_column", None) is None or req.grain == "fy":
        return False
    whole = (req.start is None or req.start == fy_bounds(fiscal_year(req.start))[0]) and \
        (req.end is None or req.end == fy_bounds(fiscal_year(req.end))[1])
    if getattr(measure, "fy_only", False) and (req.grain is not None or not whole):
        asked = f"--grain {req.grain}" if req.grain else f"{req.start} to {req.end}"
        raise QueryError(f"{req.metric.name} is published per fiscal year only, so {asked} does not "
                         "exist; use --grain fy, --fy YYYY or whole fiscal years.")
    return req.grain is None and whole


def _from_fiscal_years(backend, req: Request, ends: DataEnds) -> pd.DataFrame:
    """ICE's printed fiscal-year figures; several years: summed (counts) or weighted by the days
    each year's figures cover (averages)."""
    frame = execute(backend, replace(req, grain="fy"))
    frame = _clip(frame, replace(req, grain="fy"))
    keys = list(req.by)
    if frame.empty:
        return frame.drop(columns=["period"], errors="ignore").assign(suppressed=False)
    frame["days"] = [_fy_days(int(fy), ends) for fy in frame["period"]]
    frame["weighted"] = frame["value"] * frame["days"]
    additive = req.metric.measure.additive
    grouped = frame.groupby(keys, dropna=False) if keys else frame.groupby(lambda _: 0)
    out = grouped.agg(value=("value", "sum"), weighted=("weighted", "sum"), days=("days", "sum"))
    if not additive:
        out["value"] = out["weighted"] / out["days"]
    out = out.reset_index() if keys else out.reset_index(drop=True)
    out["suppressed"] = False
    return out[[*keys, "value", "days", "suppressed"]]


def _fy_days(fy: int, ends: DataEnds) -> int:
    start, last = fy_bounds(fy)
    found = ends.by_fy.get(fy)
    end = min(found[0], last) if found else last
    return max((end - start).days + 1, 0)


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
