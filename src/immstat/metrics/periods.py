"""Which days a result covers: the data end of what was read, and each cell's period.

Every Result states ``data_end`` (the last day its figures reach inside the request) and
``data_end_basis`` (how that day was found), and every cell carries ``period_start``,
``period_end`` and ``partial`` (the data stop before the cell's period ends, or start after it
begins). Data ends come from, in order:

* published releases kept per fiscal year (ICE detention statistics): each fiscal year's newest
  release on or before ``as_of`` — the day its year-to-date ADP solves to at ingest
  (:mod:`immstat.sources.detention_stats.coverage`), else its release date;
* other published tables: the period their files state, else the last date in their rows;
* record-derived metrics: the protected release's data span.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from immstat.core.calendar import fiscal_year, fy_bounds, period_span
from immstat.core.formats import day_label, fy_label
from immstat.metrics.engine import Request
from immstat.metrics.registry import Metric

RELEASE_BASIS = "release date (no data-end date recorded for this release; re-ingest the file)"


@dataclass(frozen=True)
class DataEnds:
    """First and last day with data, overall and (for metrics kept per release) per fiscal year."""

    start: dt.date | None = None
    end: dt.date | None = None
    basis: str = ""
    by_fy: dict[int, tuple[dt.date, str]] = field(default_factory=dict)
    read: dict[int, int] = field(default_factory=dict)  # fiscal year → source_id of its release

    def cited(self, sources: list, req: Request) -> list:
        """The sources a request read: for metrics kept per release, the release of each fiscal
        year in the window (all of them when nothing is read)."""
        if not self.read:
            return sources
        lo = fiscal_year(req.start) if req.start else min(self.read)
        hi = fiscal_year(req.end) if req.end else max(self.read)
        ids = {sid for fy, sid in self.read.items() if lo <= fy <= hi}
        return [s for s in sources if s["source_id"] in ids] or sources

    def end_for(self, day: dt.date) -> dt.date | None:
        """The data end that applies to ``day`` (its fiscal year's release, else the overall end)."""
        if self.by_fy:
            found = self.by_fy.get(fiscal_year(day))
            return found[0] if found else self.end
        return self.end

    def basis_for(self, day: dt.date) -> str:
        found = self.by_fy.get(fiscal_year(day))
        return found[1] if found else self.basis

    def pairs(self) -> tuple[tuple[int, dt.date], ...]:
        """(fiscal year, data end) pairs, for :attr:`Request.data_ends`."""
        return tuple(sorted((fy, end) for fy, (end, _) in self.by_fy.items()))


def published_ends(wh, metric: Metric, as_of: dt.date | None) -> DataEnds:
    """Data ends of a published metric (see the module docstring)."""
    cur = wh.cursor()
    if metric.release_filter == "latest":
        cutoff = "AND release_date <= ?" if as_of else ""
        rows = cur.execute(
            f'WITH r AS (SELECT DISTINCT fiscal_year, release_date, source_id FROM "{metric.table}" '
            f"WHERE release_date IS NOT NULL {cutoff}), "
            "newest AS (SELECT fiscal_year, max(release_date) AS d FROM r GROUP BY fiscal_year) "
            "SELECT r.fiscal_year, max(s.data_end), max(r.release_date), any_value(s.data_period_basis), "
            "max(r.source_id) "
            "FROM r JOIN newest n ON r.fiscal_year = n.fiscal_year AND r.release_date = n.d "
            "JOIN sources s ON s.source_id = r.source_id GROUP BY r.fiscal_year",
            [as_of] if as_of else []).fetchall()
        by_fy, read = {}, {}
        for fy, end, released, basis, source_id in rows:
            read[int(fy)] = int(source_id)
            last = fy_bounds(int(fy))[1]
            if end is None:
                end, basis = min(released, last), RELEASE_BASIS
            by_fy[int(fy)] = (min(end, last), basis or "stated in the file")
        if not by_fy:
            return DataEnds()
        newest = max(by_fy)
        return DataEnds(fy_bounds(min(by_fy))[0], by_fy[newest][0], by_fy[newest][1], by_fy, read)
    ids = [s.source_id for s in wh.provenance_for(metric)]
    if not ids:
        return DataEnds()
    marks = ", ".join("?" * len(ids))
    row = cur.execute(
        f"SELECT min(data_start), max(data_end), string_agg(DISTINCT data_period_basis, '; ') "
        f"FROM sources WHERE source_id IN ({marks})", ids).fetchall()[0]
    return DataEnds(row[0], row[1], row[2] or "")


def release_ends(span: list[str] | None) -> DataEnds:
    """Data ends of a record-derived metric: the protected release's data span."""
    if not span:
        return DataEnds()
    lo, hi = (dt.date.fromisoformat(str(d)[:10]) for d in span)
    return DataEnds(lo, hi, "last day with records in the protected release")


def result_end(req: Request, ends: DataEnds) -> tuple[dt.date | None, str]:
    """The last day the result's figures reach inside the request, and how it was found."""
    if ends.end is None:
        return None, ""
    if req.end is None:
        return ends.end, ends.basis
    applied = ends.end_for(req.end) or ends.end
    if applied >= req.end:
        return req.end, "the request's end (the data reach it)"
    return applied, ends.basis_for(req.end)


def stamp(frame: pd.DataFrame, req: Request, ends: DataEnds) -> pd.DataFrame:
    """Add ``period_start``, ``period_end`` and ``partial`` to every cell of ``frame``."""
    starts, finals, partial = [], [], []
    periods = frame["period"] if req.grain and "period" in frame.columns else [None] * len(frame)
    for period in periods:
        lo, hi = period_span(period, req.grain) if req.grain and period is not None \
            else (req.start, req.end)
        lo = max((d for d in (lo, req.start) if d is not None), default=None)
        hi = min((d for d in (hi, req.end) if d is not None), default=None)
        first = max((d for d in (lo, ends.start) if d is not None), default=None)
        data_end = ends.end_for(hi) if hi is not None else ends.end
        last = min((d for d in (hi, data_end) if d is not None), default=None)
        starts.append(first)
        finals.append(last)
        partial.append(bool((lo is not None and first is not None and first > lo)
                            or (hi is not None and last is not None and last < hi)))
    out = frame.copy()
    out["period_start"] = pd.Series(starts, index=frame.index, dtype=object)
    out["period_end"] = pd.Series(finals, index=frame.index, dtype=object)
    out["partial"] = pd.Series(partial, index=frame.index, dtype=bool)
    return out


def covers(name: str, span: tuple[dt.date | None, dt.date | None]) -> str:
    """``arrests: FY2016–FY2019, 1 October 2015 to 1 September 2019``."""
    lo, hi = span
    if lo is None or hi is None:
        return f"{name}: nothing in this warehouse"
    years = fy_label(fiscal_year(lo)) if fiscal_year(lo) == fiscal_year(hi) else \
        f"{fy_label(fiscal_year(lo))}–{fy_label(fiscal_year(hi))}"
    return f"{name}: {years}, {day_label(lo)} to {day_label(hi)}"


def empty_reason(result) -> tuple[bool, str] | None:
    """Why a result has no cells: (outside the data?, one-line message); None if it has cells.

    Outside: the requested window does not meet the data at all (the CLI exits 1, the API
    answers 400). Otherwise the filters matched nothing inside the data (exit 0, said on stderr).
    """
    if result.table.num_rows:
        return None
    lo, hi = result.data_span
    start, end = result.filters.get("from"), result.filters.get("to")
    fy = result.filters.get("fy")
    asked = fy_label(int(fy)) if fy else f"{start or 'the start'} to {end or 'the end'}"
    where = covers(result.metric.name, result.data_span)
    if lo is None or hi is None:
        return True, f"No data: {where}. Ingest its source first (see `immstat sources`)."
    if (end is not None and end < lo) or (start is not None and start > hi):
        return True, f"{asked} is outside the data ({where}); ask for a period inside it."
    return False, f"No cells for {asked} with these filters ({where})."
