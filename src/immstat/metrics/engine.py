"""Build a metric request as one Ibis expression and run it on DuckDB (default) or Spark.

The engine knows nothing about privacy: it returns exact aggregated cells (dimension values,
period, value and the record count ``n``) to ``metrics/query.py``, which suppresses them.
Filter values reach SQL only as Ibis literals (escaped by the compiler), never by string pasting.
"""

from __future__ import annotations

import datetime as dt
import weakref
from dataclasses import dataclass, field

import ibis
import pandas as pd
import pyarrow as pa
from ibis.expr.types import Table

from immstat.metrics.dimensions import DIMENSIONS, PERIOD_COLUMN
from immstat.metrics.registry import Metric


@dataclass
class Request:
    """A validated query: what to compute (no privacy decisions here)."""

    metric: Metric
    by: list[str] = field(default_factory=list)
    where: dict[str, list[str]] = field(default_factory=dict)
    grain: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    as_of: dt.date | None = None
    # (fiscal year, last day with data) of published releases: partial months weigh their days
    data_ends: tuple[tuple[int, dt.date], ...] = ()

    @property
    def period_column(self) -> str | None:
        return PERIOD_COLUMN[self.grain] if self.grain else None


def source_table(backend, metric: Metric, as_of: dt.date | None = None) -> Table:
    """The metric's table with its lookups joined and derived columns added."""
    t = backend.table(metric.table)
    if metric.release_filter == "latest" and "release_date" in t.columns:
        t = latest_release(t, as_of)
    for lookup in metric.lookups:
        ref = backend.table(lookup.table)
        wanted = {alias: name for name, alias in lookup.renames().items()
                  if name in ref.columns and alias not in t.columns}
        ref = ref.select(lookup.on, **{a: ref[n] for a, n in wanted.items()})
        ref = ref.distinct(on=lookup.on, keep="first")
        t = t.left_join(ref, lookup.on).select(t, *[ref[a] for a in wanted])
    if metric.derive is not None:
        t = metric.derive(t, backend)
    return t


def latest_release(t: Table, as_of: dt.date | None) -> Table:
    """Rows of the newest release (per fiscal year) published on or before ``as_of``."""
    if as_of is not None:
        t = t.filter(t.release_date <= as_of)
    newest = t.group_by("fiscal_year").aggregate(_newest=t.release_date.max())
    joined = t.inner_join(newest, [t.fiscal_year == newest.fiscal_year,
                                   t.release_date == newest._newest])
    return joined.select(*[joined[c] for c in t.columns])


def period_expr(t: Table, date_col: str, grain: str):
    col = t[date_col].cast("date")
    if grain == "day":
        return col
    if grain == "week":
        return col.truncate("W")
    if grain == "month":
        return col.truncate("M")
    if grain == "fy":
        return t.fiscal_year if "fiscal_year" in t.columns else (
            col.year() + (col.month() >= 10).cast("int32")).cast("int32")
    raise ValueError(grain)


def build(backend, req: Request) -> Table:
    """The Ibis expression for a request: one row per cell with value, n (and measure extras)."""
    metric = req.metric
    t = source_table(backend, metric, req.as_of)
    if metric.snapshots is not None:  # which snapshots a stock reads: before the filters below
        t = metric.snapshots.select(t, req)
    if req.data_ends and "fiscal_year" in t.columns:
        t = t.mutate(_data_end=ibis.cases(
            *[(t.fiscal_year == fy, ibis.literal(end)) for fy, end in req.data_ends],
            else_=ibis.null("date")))
    date = t[metric.date_column].cast("date")
    if req.start is not None:
        t = t.filter(date >= ibis.literal(req.start))
    if req.end is not None:
        t = t.filter(date <= ibis.literal(req.end))
    for dim_name, values in req.where.items():
        column = DIMENSIONS[dim_name].column
        t = t.filter(t[column].cast("string").isin([ibis.literal(str(v)) for v in values]))
    keys = [DIMENSIONS[d].column for d in req.by]
    if req.grain:
        t = t.mutate(period=period_expr(t, metric.date_column, req.grain))
        keys.append("period")
    t = metric.measure.prepare(t, keys, metric.date_column)
    aggs = metric.measure.aggregates(t)
    return t.group_by(keys).aggregate(**aggs) if keys else t.aggregate(**aggs)


_COMPILED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # backend → {shape: (sql, schema)}
_COMPILED_MAX = 512


def execute(backend, req: Request) -> pd.DataFrame:
    """Run the request; return a frame with public dimension names, 'period', value and n."""
    frame = _run(backend, req).to_pandas()
    rename = {DIMENSIONS[d].column: d for d in req.by}
    frame = frame.rename(columns=rename)
    if "period" in frame.columns and req.grain != "fy":
        frame["period"] = pd.to_datetime(frame["period"]).dt.date
    return frame


def _run(backend, req: Request) -> pa.Table:
    """DuckDB: the request's SQL is compiled once per request shape and reused (building and
    compiling the Ibis expression costs 10–20 ms a call); other backends run the expression."""
    if backend.name != "duckdb":
        return backend.to_pyarrow(build(backend, req))
    cache = _COMPILED.setdefault(backend, {})
    key = (req.metric.name, tuple(req.by), tuple((k, tuple(v)) for k, v in sorted(req.where.items())),
           req.grain, req.start, req.end, req.as_of, req.data_ends)
    if key not in cache:
        expr = build(backend, req)
        if len(cache) >= _COMPILED_MAX:
            cache.clear()
        cache[key] = (str(ibis.to_sql(expr, dialect="duckdb")), expr.schema().to_pyarrow())
    sql, schema = cache[key]
    return backend.con.sql(sql).to_arrow_table().cast(schema)


def coverage(backend, req: Request) -> tuple[dt.date | None, dt.date | None]:
    """First and last date present in the metric's (filtered) source — for per-day rates."""
    metric = req.metric
    t = source_table(backend, metric, req.as_of)
    for dim_name, values in req.where.items():
        t = t.filter(t[DIMENSIONS[dim_name].column].cast("string").isin(
            [ibis.literal(str(v)) for v in values]))
    date = t[metric.date_column].cast("date")
    row = backend.to_pyarrow(t.aggregate(lo=date.min(), hi=date.max())).to_pylist()[0]
    return row["lo"], row["hi"]


def sql(backend, req: Request) -> str:
    """The SQL the DuckDB backend runs for a request (for snapshot tests and --explain)."""
    return str(ibis.to_sql(build(backend, req), dialect="duckdb"))
