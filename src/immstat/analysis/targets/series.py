"""Daily actuals for a target's window, from suppressed metric cells, rolled up by week and month.

Record-derived totals over arbitrary windows are refused by the metrics layer, so actuals are
queried with ``grain="day"`` and the returned cells are added here. Suppressed cells (1 … min_cell−1)
count as 0, which makes every total a lower bound; the upper bound adds min_cell−1 per suppressed
cell. Days with no cell inside the observed window are 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from immstat.core.calendar import period_of
from immstat.metrics import Result


@dataclass
class Daily:
    """One value per day from ``start`` to ``end`` (inclusive), plus the cells behind it."""

    start: dt.date
    end: dt.date
    values: np.ndarray  # per day, suppressed cells counted as 0
    suppressed: np.ndarray  # suppressed cells per day
    result: Result

    @property
    def days(self) -> int:
        return len(self.values)

    @property
    def dates(self) -> list[dt.date]:
        return [self.start + dt.timedelta(days=i) for i in range(self.days)]

    @property
    def total(self) -> float:
        return float(self.values.sum())

    @property
    def suppressed_cells(self) -> int:
        return int(self.suppressed.sum())


def daily(wh, metric: str, start: dt.date, end: dt.date) -> Daily | None:
    """Query ``metric`` by day over [start, end]; None when no cell falls in the window."""
    result = wh.query(metric, date_from=start, date_to=end, grain="day")
    frame = result.to_pandas()
    if frame.empty:
        return None
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    last = max(frame["date"])
    frame["value"] = frame["value"].fillna(0.0)
    per_day = frame.groupby("date").agg(value=("value", "sum"), suppressed=("suppressed", "sum"))
    index = [start + dt.timedelta(days=i) for i in range((last - start).days + 1)]
    per_day = per_day.reindex(index, fill_value=0)
    return Daily(start, last, per_day["value"].to_numpy(float), per_day["suppressed"].to_numpy(int),
                 result)


def rollup(series: Daily, grain: str, target_per_day: float, scale: float = 1.0) -> list[dict]:
    """Rows per day/week/month: actual and target per day, suppressed cells, cumulative sums.

    ``scale`` divides actuals (e.g. by the number of field offices for a per-office target).
    """
    frame = pd.DataFrame({"date": series.dates, "value": series.values / scale,
                          "suppressed": series.suppressed})
    frame["period"] = [period_of(d, grain) for d in frame["date"]]
    rows = frame.groupby("period", sort=True).agg(days=("value", "size"), actual=("value", "sum"),
                                                  suppressed=("suppressed", "sum"))
    out, cum_actual, cum_days = [], 0.0, 0
    for period, row in rows.iterrows():
        actual, days = float(row["actual"]), int(row["days"])
        cum_actual += actual
        cum_days += days
        out.append({"period": period.isoformat(), "days": days,
                    "actual": actual, "actual_per_day": actual / days,
                    "target_per_day": target_per_day, "suppressed": int(row["suppressed"]),
                    "cumulative_actual": cum_actual, "cumulative_target": target_per_day * cum_days})
    return out

