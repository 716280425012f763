"""The revision ledger: every value each published figure has had, release by release.

A *figure* is one cell of a published metric — metric × breakdown cell (e.g. arresting agency
ICE) × period (a month, or the fiscal year to date) — as one release printed it. ICE replaces its
detention statistics every two weeks and past months change silently; the ledger keeps, per
figure, its value in every release that printed it, the first and latest value, the minimum and
maximum, the release that last changed it, and how the latest release changed it:

* ``restated``  — the previous release printed the period complete and the value changed;
* ``extended``  — the previous release covered part of the period only (the newest month, or the
  fiscal year to date) and the value moved as days were added;
* ``new`` — first printed in the latest release; ``withdrawn`` — printed before, not now;
* ``unchanged``; ``None`` when the fiscal year has a single release (nothing to compare).

``revised_since_previous`` (the badge) is true for ``restated`` figures only. Values are read
through ``Warehouse.query(metric, fy=F, as_of=R)`` for each release ``R`` of fiscal year ``F``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from immstat.analysis.revisions.coverage import Coverage, month_length, release_coverage
from immstat.core.calendar import fy_days
from immstat.core.errors import QueryError
from immstat.metrics.dimensions import PERIOD_COLUMN
from immstat.metrics.registry import Metric, get_metric
from immstat.metrics.releases import Release, by_fiscal_year, keeps_releases, release_metrics, releases

CHANGED = ("restated", "extended", "new", "withdrawn")


def same(a: float, b: float) -> bool:
    """Equal as printed (the workbooks carry full floating-point precision)."""
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


@dataclass(frozen=True)
class Version:
    """A figure's value in one release, and how much of its period that release covered."""

    release_date: dt.date
    value: float
    days: int
    period_days: int
    file: str

    @property
    def partial(self) -> bool:
        return self.days < self.period_days

    def to_dict(self) -> dict:
        return {"release_date": self.release_date.isoformat(), "value": self.value,
                "days": self.days, "period_days": self.period_days, "partial": self.partial,
                "file": self.file}


@dataclass
class Figure:
    """One published figure and every value it has had (see module docstring)."""

    metric: str
    grain: str
    fiscal_year: int
    period: dt.date | int
    cell: tuple[tuple[str, str], ...]
    versions: list[Version] = field(default_factory=list)
    latest_release: dt.date | None = None
    previous_release: dt.date | None = None

    @property
    def label(self) -> str:
        return f"FY{self.period}" if self.grain == "fy" else f"{self.period:%Y-%m}"

    @property
    def key(self) -> str:
        """Stable id for badges: ``metric|dim=value;…|period``."""
        cell = ";".join(f"{k}={v}" for k, v in self.cell)
        return f"{self.metric}|{cell}|{self.label}"

    def version_in(self, release: dt.date | None) -> Version | None:
        return next((v for v in self.versions if v.release_date == release), None)

    @property
    def first(self) -> Version:
        return self.versions[0]

    @property
    def latest(self) -> Version:
        return self.versions[-1]

    @property
    def last_changed(self) -> dt.date | None:
        """Release whose value last differed from the release before it (None: never changed)."""
        found = None
        for before, after in zip(self.versions, self.versions[1:]):
            if not same(before.value, after.value):
                found = after.release_date
        return found

    @property
    def change_kind(self) -> str | None:
        if self.previous_release is None:
            return None
        now, before = self.version_in(self.latest_release), self.version_in(self.previous_release)
        if now is None:
            return "withdrawn" if before else None
        if before is None:
            return "new"
        if same(now.value, before.value):
            return "unchanged"
        return "extended" if before.partial else "restated"

    @property
    def revised_since_previous(self) -> bool:
        return self.change_kind == "restated"

    def change(self) -> dict:
        """Previous → latest value (the 'What changed' row and the badge's text)."""
        now, before = self.version_in(self.latest_release), self.version_in(self.previous_release)
        old = before.value if before else None
        new = now.value if now else None
        delta = new - old if old is not None and new is not None else None
        return {"kind": self.change_kind, "old": old, "new": new, "change": delta,
                "change_pct": 100 * delta / old if delta is not None and old else None,
                "old_release": _iso(self.previous_release), "new_release": _iso(self.latest_release),
                "old_days": before.days if before else None, "new_days": now.days if now else None}

    def to_dict(self) -> dict:
        values = [v.value for v in self.versions]
        return {"key": self.key, "metric": self.metric, "grain": self.grain,
                "fiscal_year": self.fiscal_year, "period": self.label, "cell": dict(self.cell),
                "versions": [v.to_dict() for v in self.versions],
                "first": self.first.value, "first_release": self.first.release_date.isoformat(),
                "latest": self.latest.value, "latest_release": self.latest.release_date.isoformat(),
                "min": min(values), "max": max(values), "n_releases": len(values),
                "last_changed": _iso(self.last_changed),
                "revised_since_previous": self.revised_since_previous, **self.change()}


@dataclass
class Ledger:
    """Every figure of one metric (one breakdown) across the releases held."""

    metric: Metric
    by: list[str]
    releases: list[Release]
    coverage: dict[tuple[int, dt.date], Coverage]
    figures: list[Figure]

    @property
    def synthetic(self) -> bool:
        return any(r.synthetic for r in self.releases)

    def changes(self) -> list[Figure]:
        """Figures the latest release of their fiscal year changed (restated first, then by size)."""
        hit = [f for f in self.figures if f.change_kind in CHANGED]
        return sorted(hit, key=lambda f: (CHANGED.index(f.change_kind), -abs(f.change()["change_pct"] or 0)))

    def badges(self) -> dict[str, dict]:
        """{figure key: its change} for every figure of a fiscal year with two or more releases."""
        return {f.key: {**f.change(), "revised": f.revised_since_previous}
                for f in self.figures if f.change_kind is not None}

    def wide_rows(self) -> tuple[list[str], list[list]]:
        """One row per figure, one column per release (for CSV and the terminal table)."""
        stamps = sorted({r.release_date for r in self.releases})
        columns = [*self.by, "period", *[d.isoformat() for d in stamps], "first", "latest", "min",
                   "max", "last_changed", "change_kind", "revised_since_previous"]
        rows = []
        for f in self.figures:
            d = f.to_dict()
            values = [getattr(f.version_in(s), "value", None) for s in stamps]
            rows.append([*[d["cell"][b] for b in self.by], f.label, *values, d["first"], d["latest"],
                         d["min"], d["max"], d["last_changed"], d["kind"], d["revised_since_previous"]])
        return columns, rows

    def to_dict(self) -> dict:
        return {"metric": self.metric.name, "title": self.metric.title, "unit": self.metric.unit,
                "by": self.by, "synthetic": self.synthetic,
                "releases": [{**r.to_dict(), "coverage": self.coverage[(r.fiscal_year, r.release_date)]
                              .to_dict()} for r in self.releases],
                "figures": [f.to_dict() for f in self.figures],
                "changes": [{"key": f.key, "period": f.label, "cell": dict(f.cell), **f.change()}
                            for f in self.changes()],
                "notes": [__doc__.strip().splitlines()[0]]}


def grains(metric: Metric) -> tuple[str, ...]:
    """Month and fiscal-year figures, or fiscal-year only for metrics published per year only."""
    measure = metric.measure
    yearly_only = getattr(measure, "column", None) == getattr(measure, "fy_column", object())
    return ("fy",) if yearly_only else ("month", "fy")


def ledger(wh, metric: str | Metric, fy: int | None = None, by: list[str] | None = None,
           as_of: dt.date | None = None, since: dt.date | None = None,
           coverage: dict | None = None) -> Ledger:
    """The revision ledger of ``metric`` (releases on or before ``as_of``, from ``since`` on)."""
    m = get_metric(metric) if isinstance(metric, str) else metric
    if not keeps_releases(m):
        names = ", ".join(r.name for r in release_metrics())
        raise QueryError(f"{m.name} keeps only its newest data, so it has no revision history; "
                         f"revision ledgers exist for: {names}.")
    by = list(by or [])
    found = [r for r in releases(wh, m, as_of) if (fy is None or r.fiscal_year == fy)
             and (since is None or r.release_date >= since)]
    coverage = {} if coverage is None else coverage
    figures: dict[tuple, Figure] = {}
    for release in found:
        key = (release.fiscal_year, release.release_date)
        if key not in coverage:
            coverage[key] = release_coverage(wh, *key)
        for grain in grains(m):
            _add_release(wh, m, by, grain, release, coverage[key], figures)
    per_fy = by_fiscal_year(found)
    for f in figures.values():
        dates = [r.release_date for r in per_fy[f.fiscal_year]]
        f.latest_release = dates[-1]
        f.previous_release = dates[-2] if len(dates) > 1 else None
    ordered = sorted(figures.values(), key=lambda f: (f.grain != "month", f.cell, str(f.period)))
    return Ledger(m, by, found, {k: coverage[k] for k in coverage if k in
                                 {(r.fiscal_year, r.release_date) for r in found}}, ordered)


def _add_release(wh, m: Metric, by: list[str], grain: str, release: Release, cov: Coverage,
                 figures: dict[tuple, Figure]) -> None:
    result = wh.query(m.name, by=by, fy=release.fiscal_year, grain=grain, as_of=release.release_date)
    period_col = PERIOD_COLUMN[grain]
    for row in result.table.to_pylist():
        if row["value"] is None:
            continue
        period = row[period_col]
        if grain == "month":
            days, length = cov.days_of(period), month_length(period)
        else:
            days, length = cov.fy_days(), fy_days(release.fiscal_year)
        if days == 0:
            continue  # a placeholder for a month after the data end (see coverage.py)
        cell = tuple((d, str(row[d])) for d in by)
        key = (grain, release.fiscal_year, period, cell)
        figure = figures.setdefault(key, Figure(m.name, grain, release.fiscal_year, period, cell))
        figure.versions.append(Version(release.release_date, float(row["value"]), days, length,
                                       release.file))


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
