"""How many arrests happen when: fiscal-year totals → months → chunks of bounded size.

National totals per fiscal year come from :mod:`calibration` (published, or the stated scenario)
times ``scale``, or from a requested row count split in the same proportions. Month counts are
exact (largest-remainder split of seasonal weights), so loaded totals equal the targets exactly.
Removal targets follow the arrests' scale: published removals × (arrests ÷ published arrests).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from immstat.core.calendar import fiscal_year, fy_bounds
from immstat.core.errors import ConfigError
from immstat.sources.synth import calibration as cal

EPOCH = dt.date(1970, 1, 1)
RELEASE_LAG_DAYS = 30  # the synthetic release is dated this long after the last fiscal year ends


def split_exact(total: int, weights) -> np.ndarray:
    """Integers proportional to ``weights`` that sum to ``total`` (largest remainder)."""
    w = np.asarray(weights, dtype=np.float64)
    if w.sum() <= 0:
        w = np.ones_like(w)
    raw = total * w / w.sum()
    out = np.floor(raw).astype(np.int64)
    short = total - int(out.sum())
    out[np.argsort(-(raw - out), kind="stable")[:short]] += 1
    return out


@dataclass(frozen=True)
class Chunk:
    index: int
    fiscal_year: int
    first: int  # epoch day
    last: int
    arrests: int  # loaded arrest rows, duplicates included
    duplicates: int  # of which exact copies of another row
    rejects: int  # extra arrest rows the reader must reject (blank or impossible date)


@dataclass
class Timeline:
    fiscal_years: list[int]
    arrests_per_fy: dict[int, int]
    reject_rows: int
    chunk_rows: int = 200_000  # arrests per chunk: bounds memory (~1 GB peak at 10 M rows)
    basis: dict[int, str] = field(default_factory=dict)
    removals_per_fy: dict[int, int] = field(default_factory=dict)

    @classmethod
    def build(cls, fiscal_years: list[int], rows: int | None, scale: float,
              chunk_rows: int = 200_000) -> Timeline:
        fys = sorted(set(fiscal_years))
        last_day = fy_bounds(fys[-1])[1] + dt.timedelta(days=RELEASE_LAG_DAYS)
        if last_day > dt.date.today():
            raise ConfigError(f"FY{fys[-1]} has not ended {RELEASE_LAG_DAYS} days ago; synthetic "
                              "data cannot hold future dates. Choose earlier --fy values.")
        if fys[0] < min(cal.published_arrests()):
            raise ConfigError(f"FY{fys[0]} is before the first published total "
                              f"(FY{min(cal.published_arrests())}); choose later --fy values.")
        totals = {fy: cal.arrest_total(fy) for fy in fys}
        reject_rate = cal.DIRTY["blank_date"] + cal.DIRTY["impossible_date"]
        if rows is None:
            per_fy = {fy: int(round(totals[fy][0] * scale)) for fy in fys}
            rejects = int(round(sum(per_fy.values()) * reject_rate))
        else:
            rejects = int(round(rows * reject_rate))
            good = split_exact(rows - rejects, [totals[fy][0] for fy in fys])
            per_fy = dict(zip(fys, (int(g) for g in good)))
        removals = {fy: int(round(cal.published_total("removals", fy)[0] * per_fy[fy] / totals[fy][0]))
                    for fy in fys}
        return cls(fys, per_fy, rejects, chunk_rows, {fy: totals[fy][1] for fy in fys}, removals)

    # ------------------------------------------------------------------ days
    @staticmethod
    def day(date: dt.date) -> int:
        return (date - EPOCH).days

    @property
    def start(self) -> int:
        return self.day(fy_bounds(self.fiscal_years[0])[0])

    @property
    def release(self) -> int:
        return self.day(fy_bounds(self.fiscal_years[-1])[1]) + RELEASE_LAG_DAYS

    @property
    def release_date(self) -> dt.date:
        return EPOCH + dt.timedelta(days=self.release)

    def within(self, events: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Only events dated inside the release's period."""
        keep = (events["date"] >= self.start) & (events["date"] <= self.release)
        return {k: v[keep] for k, v in events.items()}

    # ------------------------------------------------------------------ months and chunks
    def months(self, fy: int) -> list[tuple[int, int, float]]:
        """(first day, last day, weight) of each month of ``fy``: seasonality × policy ramp."""
        start, _ = fy_bounds(fy)
        out = []
        for k in range(12):
            year, month = start.year + (start.month - 1 + k) // 12, (start.month - 1 + k) % 12 + 1
            first = dt.date(year, month, 1)
            nxt = dt.date(year + month // 12, month % 12 + 1, 1)
            months_after = (first - cal.POLICY_CHANGE).days / 30.4
            ramp = 1 + (cal.RAMP - 1) * min(max(months_after, 0) / 4, 1)
            weight = cal.SEASONALITY[k] * ramp * (nxt - first).days
            out.append((self.day(first), self.day(nxt) - 1, weight))
        return out

    def chunks(self) -> Iterator[Chunk]:
        plan = []
        for fy in self.fiscal_years:
            months = self.months(fy)
            for (first, last, _), n in zip(months, split_exact(self.arrests_per_fy[fy],
                                                              [m[2] for m in months])):
                parts = max(1, -(-int(n) // self.chunk_rows))
                for m in split_exact(int(n), [1] * parts):
                    plan.append((fy, first, last, int(m)))
        weights = [max(p[3], 0) for p in plan]
        rejects = split_exact(self.reject_rows, weights) if plan else np.zeros(0, np.int64)
        for index, ((fy, first, last, n), rej) in enumerate(zip(plan, rejects)):
            dups = min(int(round(n * cal.DIRTY["duplicate"])), n // 2)
            yield Chunk(index, fy, first, last, n, dups, int(rej))

    def fiscal_year_of(self, days: np.ndarray) -> np.ndarray:
        """Fiscal year of each epoch day, via :func:`immstat.core.calendar.fiscal_year` (the one rule)."""
        uniq, inverse = np.unique(days, return_inverse=True)
        fys = np.array([fiscal_year(EPOCH + dt.timedelta(days=int(d))) for d in uniq], np.int64)
        return fys[inverse]
