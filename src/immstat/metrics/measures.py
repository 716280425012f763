"""How a metric turns rows into one number per cell — as Ibis expressions, so every measure runs
unchanged on DuckDB and on Spark.

Each measure returns named aggregates (``value`` plus what suppression needs: ``n`` records, and
for shares the numerator and denominator), then :meth:`finish` derives the final value in pandas
on the (small) aggregated frame.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ibis
import pandas as pd
from ibis.expr.types import Table

Predicate = Callable[[Table], ibis.expr.types.BooleanValue]


class Measure:
    """Defaults: use the rows as they are; the aggregates are final."""

    kind = "measure"
    additive = False

    def prepare(self, t: Table, keys: list[str], date_col: str) -> Table:
        return t

    def aggregates(self, t: Table) -> dict:
        """Ibis aggregate expressions per cell (``value``, ``n`` and measure extras)."""
        raise NotImplementedError(f"{type(self).__name__} computes no aggregates")

    def finish(self, frame: pd.DataFrame) -> pd.DataFrame:
        return frame


@dataclass(frozen=True)
class Count(Measure):
    """Number of records (events)."""

    kind = "count"
    additive = True

    def aggregates(self, t: Table) -> dict:
        return {"value": t.count(), "n": t.count()}


@dataclass(frozen=True)
class CountDistinct(Measure):
    """Number of distinct values of a column (e.g. anonymised persons)."""

    column: str = "person_key"
    kind = "count_distinct"
    additive = False

    def aggregates(self, t: Table) -> dict:
        return {"value": t[self.column].nunique(), "n": t[self.column].nunique()}


@dataclass(frozen=True)
class Sum(Measure):
    """Sum of a published figure."""

    column: str
    kind = "sum"
    additive = True

    def aggregates(self, t: Table) -> dict:
        return {"value": t[self.column].sum().cast("float64"), "n": t.count()}


@dataclass(frozen=True)
class Share(Measure):
    """Share of records meeting ``condition`` among records meeting ``among`` (default: all).
    ``observe_days``: ``among`` is "observed for N days before the data end" — the protected
    release then keeps only periods that end N days before the data end (no partial periods)."""

    condition: Predicate
    among: Predicate | None = None
    observe_days: int | None = None
    kind = "share"
    additive = False

    def prepare(self, t: Table, keys: list[str], date_col: str) -> Table:
        return t.filter(self.among(t)) if self.among else t

    def aggregates(self, t: Table) -> dict:
        hit = self.condition(t).fill_null(False).cast("int64")
        return {"numerator": hit.sum(), "n": t.count()}

    def finish(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame["value"] = frame["numerator"] / frame["n"].where(frame["n"] > 0)
        return frame


@dataclass(frozen=True)
class CategoryShare(Measure):
    """Share of one category of ``dim`` among records with a known ``dim`` — read from the
    family's released counts by ``dim`` (no separate cells: it is a view of them)."""

    dim: str
    category: str
    kind = "share"
    additive = False


@dataclass(frozen=True)
class Median(Measure):
    """Median of a per-record quantity (e.g. days from arrest to removal)."""

    expr: Callable[[Table], ibis.expr.types.NumericValue]
    among: Predicate | None = None
    kind = "median"
    additive = False

    def prepare(self, t: Table, keys: list[str], date_col: str) -> Table:
        t = t.filter(self.among(t)) if self.among else t
        return t.mutate(_x=self.expr(t)).filter(lambda s: s._x.notnull())

    def aggregates(self, t: Table) -> dict:
        # exact, interpolated median: percentile_cont on DuckDB, percentile on Spark (same value;
        # the approximate medians differ between engines)
        return {"value": t._x.cast("float64").median(), "n": t.count()}


@dataclass(frozen=True)
class DailyMean(Measure):
    """Average over days of a daily total (e.g. average daily population from daily counts)."""

    column: str
    kind = "mean"
    additive = False

    def prepare(self, t: Table, keys: list[str], date_col: str) -> Table:
        daily_keys = [k for k in keys if k != "period"] + [date_col]
        extra = ["period"] if "period" in keys else []
        grouped = t.group_by(daily_keys + extra).aggregate(_daily=t[self.column].sum())
        return grouped

    def aggregates(self, t: Table) -> dict:
        return {"value": t._daily.mean().cast("float64"), "n": t.count()}


@dataclass(frozen=True)
class PerDay(Measure):
    """Records per day: a count divided by the days the cell covers (clipped to the data)."""

    kind = "per_day"
    additive = False

    def aggregates(self, t: Table) -> dict:
        return {"count": t.count(), "n": t.count()}

    def finish(self, frame: pd.DataFrame) -> pd.DataFrame:
        frame["value"] = frame["count"] / frame["days"].where(frame["days"] > 0)
        return frame
