"""The numbers that check one claim: each candidate metric computed for the claim's period and
scope through ``Warehouse.query`` (no SQL here), with honest coverage.

Coverage rules:

- The calendar grain of a metric's data is read from its cells: daily, monthly (every cell on
  the 1st) or fiscal-year (every cell on October 1st). Monthly data answer whole months only,
  fiscal-year data whole fiscal years only.
- Daily data cover the days between their first and last date; monthly and fiscal-year cells
  cover their month/year, except that a cell the data end inside (``partial``: "FY2025 YTD …
  updated through 09/20/2025") covers it up to that day, and an ICE detention-statistics workbook
  (dataset ``…:FYnn``) released before a period ends covers it at most up to its release date.
- A breakdown a protected release holds by month or year only (arrests by citizenship) is read
  at that grain.
- A rate per month (year) over whole calendar months is the total over the months (twelve
  months); otherwise the total over the days covered, times 30.4375 (365.25).
- Privacy: record-derived totals are asked for whole fiscal years or single months; other windows
  add the published day cells, and suppressed cells make the sum a lower bound.
- Partial coverage of a count also gives a lower bound (the missing days can only add); a partly
  covered average or rate gives no bound.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import duckdb
import yaml
from ibis.common.exceptions import IbisError

from immstat.core.calendar import FY_START_MONTH, fiscal_year, fy_bounds, month_end
from immstat.core.errors import ConfigError, ImmstatError, PrivacyError, UnknownName
from immstat.core.reference import data_path
from immstat.metrics import Result, get_metric
from immstat.metrics.engine import source_table

Filters = Mapping[str, "str | tuple[str, ...]"]  # dimension → a category, or several (summed)
RATE_DAYS = {"day": 1.0, "week": 7.0, "month": 30.4375, "year": 365.25}
SNAPSHOT_DAYS = 31
_FY_DATASET = re.compile(r":FY(\d{2})$")
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Candidate:
    metric: str
    note: str = ""
    omits: str = ""  # why the series' sums fall short of the true total (its values are lower bounds)


@dataclass(frozen=True)
class Refinement:
    pattern: re.Pattern[str]
    where: dict[str, str]
    applies_to: str | None
    use: tuple[str, ...]
    note: str


@lru_cache(maxsize=1)
def evidence_table() -> tuple[dict[str, tuple[Candidate, ...]], tuple[Refinement, ...]]:
    """The reviewed table ``data/claims/evidence.yaml``: candidates per metric, refinements."""
    path = data_path("claims", "evidence.yaml")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        table = {name: tuple(Candidate(c["metric"], c.get("note", ""), c.get("omits", "")) for c in items)
                 for name, items in raw["metrics"].items()}
        refinements = tuple(Refinement(re.compile(r["pattern"], re.I), dict(r.get("where") or {}),
                                       r.get("applies_to"), tuple(r.get("use") or ()), r.get("note", ""))
                            for r in raw.get("refinements") or ())
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError, re.error) as exc:
        raise ConfigError(f"Cannot read {path}: {exc}. Fix the YAML (see its header).") from None
    return table, refinements


def candidates(metric: str, quote: str) -> tuple[list[Candidate], dict[str, str], list[str]]:
    """Candidates for ``metric``, extra filters and notes from the words of ``quote``."""
    table, refinements = evidence_table()
    found = list(table.get(metric, (Candidate(metric),)))
    where: dict[str, str] = {}
    notes: list[str] = []
    for ref in refinements:
        if (ref.applies_to and ref.applies_to != metric) or not ref.pattern.search(quote):
            continue
        if ref.use:
            found = [Candidate(name, ref.note) for name in ref.use]
        where.update(ref.where)
        notes.append(ref.note)
    return found, where, notes


@dataclass
class Evidence:
    """One candidate metric computed for a claim (``value`` already per the claim's rate)."""

    metric: str
    note: str = ""
    status: str = "not_applicable"  # full | partial | no_data | not_applicable
    reason: str = ""
    value: float | None = None
    lower_bound: bool = False
    title: str = ""
    unit: str = ""
    record_derived: bool = False
    synthetic: bool = False
    method: str = ""
    where: dict[str, str | tuple[str, ...]] = field(default_factory=dict)
    covered: tuple[dt.date, dt.date] | None = None
    sources: list[dict] = field(default_factory=list)
    omits: str = ""

    def to_dict(self) -> dict:
        return {"metric": self.metric, "title": self.title, "unit": self.unit, "status": self.status,
                "reason": self.reason, "value": self.value, "lower_bound": self.lower_bound,
                "record_derived": self.record_derived, "synthetic": self.synthetic, "method": self.method,
                "where": self.where, "note": self.note,
                "covered": [d.isoformat() for d in self.covered] if self.covered else None,
                "sources": [_source(s) for s in self.sources]}


def _source(s: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in s.items()}


class Evidencer:
    """Computes candidates on one warehouse; caches each metric's cells for a batch of claims."""

    def __init__(self, wh):
        self.wh = wh
        self._series: dict[tuple, Result | ImmstatError] = {}
        self._sources: list[dict] | None = None

    def series(self, metric: str, where: Filters) -> Result:
        """The metric's whole daily series (cells as the metrics layer publishes them)."""
        key = (metric, tuple(sorted(where.items())))
        if key not in self._series:
            # a figure ICE prints per fiscal year only (removals) has no finer series; a protected
            # release may hold a breakdown (arrests by citizenship) by month or year only
            fy_only = getattr(get_metric(metric).measure, "fy_only", False)
            for grain in ("fy",) if fy_only else ("day", "month", "fy"):
                try:
                    self._series[key] = self.wh.query(metric, where=as_lists(where), grain=grain)
                    break
                except ImmstatError as exc:
                    self._series[key] = exc
                    if not isinstance(exc, PrivacyError):
                        break
        hit = self._series[key]
        if isinstance(hit, ImmstatError):
            raise hit
        return hit

    def through(self, source_ids: set[int]) -> dict[int, dt.date]:
        """Fiscal year → release date of the newest per-year workbook (dataset ``…:FYnn``) among
        ``source_ids``: such a release covers its year only up to that date."""
        if self._sources is None:
            self._sources = self.wh.sources(include_superseded=False)
        out: dict[int, dt.date] = {}
        for s in self._sources:
            m = _FY_DATASET.search(s.get("dataset") or "")
            if m and s.get("release_date") and s["source_id"] in source_ids:
                fy = 2000 + int(m.group(1))
                out[fy] = max(s["release_date"], out.get(fy, s["release_date"]))
        return out

    def evaluate(self, cand: Candidate, scope: dict[str, str], extra: Filters, start: dt.date,
                 end: dt.date, rate: str | None, snapshot: bool = False) -> Evidence:
        """``cand`` over [start, end] for ``scope`` and ``extra`` (filters the metric must have: a
        southwest-border claim is never checked against a nationwide series); the value is per
        ``rate`` if given. ``snapshot``: a level on one day, read from the nearest snapshot."""
        ev = Evidence(cand.metric, cand.note, omits=cand.omits)
        try:
            metric = get_metric(cand.metric)
        except UnknownName:
            ev.reason = f"{cand.metric} is not in the metric registry."
            return ev
        ev.title, ev.unit, ev.record_derived = metric.title, metric.unit, metric.record_derived
        lacking = [k for k in {**extra, **scope} if k not in metric.dimensions]
        if lacking:
            what = extra.get(lacking[0]) or lacking[0]
            ev.reason = f"{metric.title} ({cand.metric}) has no {what} series (no breakdown by {lacking[0]})."
            return ev
        ev.where = {**extra, **scope}
        try:
            series = self.series(cand.metric, ev.where)
            if snapshot and start == end and _sparse(series):
                return self._snapshot(ev, metric, series, start)
            return self._evaluate(ev, metric, series, start, end, rate)
        except ImmstatError as exc:
            ev.reason = str(exc)
            return ev

    def _snapshot(self, ev: Evidence, metric, series: Result, day: dt.date) -> Evidence:
        """A stock read from the snapshot nearest ``day`` (within a month), e.g. 287(g) lists."""
        cells = {d: v for d, (v, _s) in _cells(series).items() if v is not None}
        near = min(cells, key=lambda d: (abs((d - day).days), d > day), default=None)
        if near is None or abs((near - day).days) > SNAPSHOT_DAYS:
            ev.status = "no_data"
            ev.reason = f"No {metric.title} snapshot within {SNAPSHOT_DAYS} days of {_d(day)}."
            return ev
        ev.value, ev.status, ev.covered = cells[near], "full", (near, near)
        ev.method = f"snapshot of {_d(near)}" + ("" if near == day else f" (nearest to {_d(day)})")
        ev.sources, ev.synthetic = self.read(metric, series.sources, near, near), series.synthetic
        return ev

    def read(self, metric, sources: list[dict], start: dt.date, end: dt.date) -> list[dict]:
        """The sources whose rows fall in [start, end]: the files actually read for a check."""
        try:
            backend = self.wh.backend()
            t = source_table(backend, metric)
            date = t[metric.date_column].cast("date")
            t = t.filter((date >= start) & (date <= end)).select("source_id").distinct()
            ids = set(backend.to_pyarrow(t).column("source_id").to_pylist())
        except (ImmstatError, IbisError, duckdb.Error, AttributeError, KeyError):
            return sources  # narrowing is best effort: on failure cite every source of the metric
        return [s for s in sources if s["source_id"] in ids] or sources

    def breakdown(self, metric_name: str, where: Filters, by: str, start: dt.date,
                  end: dt.date) -> dict[str, float | None]:
        """``metric`` over [start, end] split by dimension ``by``: category → value."""
        fy = fiscal_year(start)
        if (start, end) == fy_bounds(fy):
            r = self.wh.query(metric_name, by=[by], where=as_lists(where), fy=fy, grain="fy")
        else:
            r = self.wh.query(metric_name, by=[by], where=as_lists(where), date_from=start, date_to=end)
        t = r.table
        return dict(zip(t.column(by).to_pylist(), t.column("value").to_pylist()))

    def _evaluate(self, ev: Evidence, metric, series: Result, start, end, rate) -> Evidence:
        ev.sources, ev.synthetic = self.read(metric, series.sources, start, end), series.synthetic
        cells = _cells(series)
        if not cells:
            ev.status, ev.reason = "no_data", f"The warehouse holds no {metric.title} data."
            return ev
        grain, ends = _grain(cells), _partial_ends(series)
        spans = self._spans(cells, ends, grain, start, end, {s["source_id"] for s in series.sources})
        if isinstance(spans, str):
            ev.reason = spans
            return ev
        expected, covered = spans
        last = _unit_end(max(cells), grain)
        cut = _earliest(self.through({s["source_id"] for s in series.sources}).get(fiscal_year(last)),
                        ends.get(max(cells)))
        span = f"{_d(min(cells))}–{_d(min(last, cut) if cut else last)}"
        if not covered:
            ev.status = "no_data"
            ev.reason = f"No {metric.title} data for {_d(start)}–{_d(end)}; the data cover {span}."
            return ev
        days = sum((b - a).days + 1 for a, b in covered)
        full_days = sum((b - a).days + 1 for a, b in expected)
        ev.covered = (min(a for a, _ in covered), max(b for _, b in covered))
        value, suppressed, ev.method = self._value(metric, ev.where, series, cells, grain, start, end)
        if value is None:
            ev.status, ev.reason = "no_data", f"{metric.title} is empty for {_d(start)}–{_d(end)}."
            return ev
        ev.status = "full" if days == full_days and not suppressed else "partial"
        if days < full_days:
            ev.reason = (f"The data cover {days} of the {full_days} days ({_d(ev.covered[0])}–"
                         f"{_d(ev.covered[1])}); the data run {span}.")
        elif suppressed:
            ev.reason = f"{suppressed} small cells (1–10) are suppressed and not in the sum."
        ev.value, ev.lower_bound = value, additive(metric) and (ev.status == "partial" or bool(ev.omits))
        if ev.omits and additive(metric):
            ev.reason = f"{ev.reason} {ev.omits}".strip()
        if rate:
            ev.value = self._per(metric, value, days, _whole_months(covered), rate, ev)
            ev.lower_bound = bool(ev.omits) and additive(metric)
        return ev

    def _spans(self, cells, ends: dict[dt.date, dt.date], grain, start, end, source_ids: set[int]):
        """(expected, covered) lists of (first, last) day spans, or why the grain cannot answer;
        a partly observed cell covers its days up to ``ends``."""
        if grain == "month" and (start.day != 1 or end != month_end(end)):
            return "The data are monthly and the claim's period is not whole months."
        whole_fys = start == fy_bounds(fiscal_year(start))[0] and end == fy_bounds(fiscal_year(end))[1]
        if grain == "fy" and not whole_fys:
            return "The data are fiscal-year totals and the claim's period is not whole fiscal years."
        if grain == "day":
            lo, hi = max(start, min(cells)), min(end, max(cells))
            return [(start, end)], ([(lo, hi)] if lo <= hi else [])
        expected, covered, through = [], [], self.through(source_ids)
        unit = start
        while unit <= end:
            last = _unit_end(unit, grain)
            expected.append((unit, last))
            cut = _earliest(through.get(fiscal_year(unit)), ends.get(unit))
            if unit in cells:
                covered.append((unit, min(last, cut) if cut and cut < last else last))
            unit = last + DAY
        return expected, covered

    def _value(self, metric, where, series: Result, cells, grain, start, end):
        """(value, suppressed cells left out, method) over [start, end]."""
        fy = fiscal_year(start)
        whole_fy = (start, end) == fy_bounds(fy)
        one_month = start.day == 1 and end == month_end(start)
        if metric.record_derived and not (whole_fy or one_month):
            window = [(v, s) for d, (v, s) in cells.items() if start <= d <= end]
            total = sum(v for v, _ in window if v is not None)
            suppressed = sum(1 for _, s in window if s)
            if metric.measure.kind == "per_day":
                total /= max((min(end, max(cells)) - max(start, min(cells))).days + 1, 1)
            return total, suppressed, f"sum of {len(window)} published daily cells"
        if whole_fy and grain != "day":
            r = self.wh.query(metric.name, where=as_lists(where), fy=fy, grain="fy")
            values = r.table.column("value").to_pylist()
            return (values[0] if values else None), r.suppressed, f"published fiscal-year figure, FY{fy}"
        r = self.wh.query(metric.name, where=as_lists(where), date_from=start, date_to=end)
        how = (
            "total" if additive(metric) else "per day" if metric.measure.kind == "per_day" else "average"
        )
        return r.value(), r.suppressed, f"{how} for {_d(start)}–{_d(end)}"

    @staticmethod
    def _per(metric, value: float, days: int, months: int | None, rate: str, ev: Evidence) -> float:
        """``value`` over ``days`` as a rate per ``rate``. A month is a calendar month and a year
        twelve of them when the covered days are whole months: "8,193 in March, a monthly total"
        is March's total, not 31 days scaled to an average month."""
        units = {"month": months, "year": months / 12 if months and months % 12 == 0 else None}.get(rate)
        if metric.measure.kind == "per_day":
            ev.method += f"; per {rate}"
            return value * (days / units if units else RATE_DAYS[rate])
        if not additive(metric):
            ev.method += "; a level, not a flow: compared as is"
            return value
        if units:
            how = f"the {rate}'s total" if units == 1 else f"divided by {units:g} {rate}s"
            ev.method += f"; per {rate}: {how}"
            return value / units
        ev.method += f"; divided by {days} days, per {rate}" + (
            "" if rate == "day" else f" ({RATE_DAYS[rate]:g} days)"
        )
        return value / days * RATE_DAYS[rate]


def additive(metric) -> bool:
    """True for counts and sums: a partly covered total is a lower bound, and can be divided into a rate."""
    return metric.measure.additive


def as_lists(where: Filters) -> dict[str, list[str]]:
    """Filters as the query API takes them (each value in a list; a tuple is several values)."""
    return {k: list(v) if isinstance(v, tuple) else [v] for k, v in where.items()}


def _cells(series: Result) -> dict[dt.date, tuple[float | None, bool]]:
    t = series.table
    dates, values, flags = (t.column(c).to_pylist() for c in ("period_start", "value", "suppressed"))
    return {d: (v, s) for d, v, s in zip(dates, values, flags) if d is not None and (v is not None or s)}


def _partial_ends(series: Result) -> dict[dt.date, dt.date]:
    """First day → last day observed, for the cells of a period the data end inside."""
    t = series.table
    if "partial" not in t.column_names:
        return {}
    rows = zip(*(t.column(c).to_pylist() for c in ("period_start", "period_end", "partial")))
    return {a: b for a, b, partial in rows if partial and a is not None and b is not None}


def _sparse(series: Result) -> bool:
    """True for a series of snapshots taken on some days only (e.g. the 287(g) lists), not a
    daily, monthly or yearly series."""
    days = sorted(_cells(series))
    if len(days) < 2 or _grain(dict.fromkeys(days)) != "day":
        return False
    return len(days) < 0.8 * ((days[-1] - days[0]).days + 1)


def _grain(cells) -> str:
    if len(cells) > 1 and all(d.day == 1 for d in cells):
        return "fy" if all(d.month == FY_START_MONTH for d in cells) else "month"
    return "day"


def _earliest(*days: dt.date | None) -> dt.date | None:
    return min((d for d in days if d), default=None)


def _whole_months(spans: list[tuple[dt.date, dt.date]]) -> int | None:
    """How many calendar months the (first, last) day spans make, or None if one is not whole."""
    if any(a.day != 1 or b != month_end(b) for a, b in spans):
        return None
    return sum((b.year - a.year) * 12 + b.month - a.month + 1 for a, b in spans)


def _unit_end(day: dt.date, grain: str) -> dt.date:
    if grain == "fy":
        return fy_bounds(fiscal_year(day))[1]
    return month_end(day) if grain == "month" else day


def _d(day: dt.date) -> str:
    return day.isoformat()
