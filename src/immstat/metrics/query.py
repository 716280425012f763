"""``query()``: validate → widen to whole calendar groups → compute → suppress → clip → cite.

The query runs over whole parent periods (e.g. whole months for a daily series) so that
complementary suppression sees complete groups; cells outside the requested window are dropped
only after suppression, so two overlapping windows always show identical cells.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import replace

import pandas as pd
import pyarrow as pa

from immstat.core import settings
from immstat.core.calendar import fiscal_year, fy_bounds
from immstat.metrics import suppression
from immstat.metrics.coverage import annotate
from immstat.metrics.dimensions import PERIOD_COLUMN
from immstat.metrics.engine import Request, coverage, execute
from immstat.metrics.registry import get_metric
from immstat.metrics.result import Result
from immstat.metrics.validate import build_request


def query(wh, metric: str, by=None, where=None, fy=None, date_from=None, date_to=None,
          grain=None, engine: str = "duckdb", as_of=None, min_cell: int | None = None) -> Result:
    """Compute ``metric`` on warehouse ``wh``; see :class:`Result`."""
    m = get_metric(metric)
    req = build_request(m, by, where, fy, date_from, date_to, grain, as_of)
    cell_min = settings.min_cell(min_cell)
    backend = wh.backend(engine)
    notes = [] if m.record_derived else ["published aggregate: shown as published, not suppressed"]
    run = _widened(req) if m.record_derived else req
    frame = execute(backend, run)
    if m.snapshots is not None:  # which snapshots were read (none: no cells, not zeros)
        frame, note = m.snapshots.finish(backend, req, frame)
        notes.append(note)
    if m.measure.kind == "per_day":
        frame["days"] = _days(frame, req, coverage(backend, req))
    frame = m.measure.finish(frame)
    if m.record_derived:
        frame, _ = suppression.apply(frame, m.measure.kind, req.by, req.grain, cell_min)
    else:
        frame["suppressed"] = False
    frame = _clip(frame, req)
    table = _to_table(frame, req)
    filters = {"where": req.where, "from": req.start, "to": req.end, "fy": fy, "as_of": req.as_of}
    result = Result(m, table, req.by, req.grain, filters, int(frame["suppressed"].sum()), cell_min,
                    wh.provenance_for(m), engine, notes)
    annotate(result, wh, req)
    return result


def _widened(req: Request) -> Request:
    """Extend the window to whole parent periods of the grain (see module docstring)."""
    if req.start is None and req.end is None or req.grain is None:
        return req
    start, end = req.start, req.end
    if req.grain in ("month", "fy"):
        start = fy_bounds(fiscal_year(start))[0] if start else None
        end = fy_bounds(fiscal_year(end))[1] if end else None
    else:
        if start:
            start = min(start.replace(day=1), start - dt.timedelta(days=start.weekday()))
        if end:
            month_end = end.replace(day=calendar.monthrange(end.year, end.month)[1])
            end = max(month_end, end + dt.timedelta(days=6 - end.weekday()))
    return replace(req, start=start, end=end)


def _unit_start(day: dt.date, grain: str) -> dt.date:
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def _clip(frame: pd.DataFrame, req: Request) -> pd.DataFrame:
    if req.grain is None or "period" not in frame.columns or frame.empty:
        return frame
    if req.grain == "fy":
        lo = fiscal_year(req.start) if req.start else None
        hi = fiscal_year(req.end) if req.end else None
    else:
        lo = _unit_start(req.start, req.grain) if req.start else None
        hi = req.end
    keep = pd.Series(True, index=frame.index)
    if lo is not None:
        keep &= frame["period"] >= lo
    if hi is not None:
        keep &= frame["period"] <= hi
    return frame[keep]


def _cell_span(period, grain: str | None) -> tuple[dt.date | None, dt.date | None]:
    if grain is None:
        return None, None
    if grain == "fy":
        return fy_bounds(int(period))
    if grain == "day":
        return period, period
    if grain == "week":
        return period, period + dt.timedelta(days=6)
    return period, period.replace(day=calendar.monthrange(period.year, period.month)[1])


def _days(frame: pd.DataFrame, req: Request, data_span) -> pd.Series:
    """Days each cell covers: calendar span ∩ requested window ∩ dates present in the data."""
    lo_data, hi_data = data_span

    def days(period) -> int:
        lo, hi = _cell_span(period, req.grain)
        bounds_lo = [d for d in (lo, req.start, lo_data) if d is not None]
        bounds_hi = [d for d in (hi, req.end, hi_data) if d is not None]
        if not bounds_lo or not bounds_hi:
            return 0
        return max((min(bounds_hi) - max(bounds_lo)).days + 1, 0)

    periods = frame["period"] if "period" in frame.columns else pd.Series([None] * len(frame))
    return pd.Series([days(p) for p in periods], index=frame.index, dtype="float64")


def _to_table(frame: pd.DataFrame, req: Request) -> pa.Table:
    columns = list(req.by)
    if req.grain:
        frame = frame.rename(columns={"period": PERIOD_COLUMN[req.grain]})
        columns.append(PERIOD_COLUMN[req.grain])
    frame = frame.sort_values(columns[::-1] if columns else [], kind="stable") if columns else frame
    frame = frame[[*columns, "value", "suppressed"]].reset_index(drop=True)
    fields = []
    for col in columns:
        kind = pa.int32() if col == "fiscal_year" else pa.date32() if col in ("date", "week", "month") \
            else pa.string()
        fields.append(pa.field(col, kind))
    schema = pa.schema([*fields, pa.field("value", pa.float64()), pa.field("suppressed", pa.bool_())])
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
