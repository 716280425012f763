"""How far a detention-statistics release reaches, read through the warehouse's queries.

The arithmetic (the year-to-date ADP solved for the days of the newest month) lives with the
reader in :mod:`immstat.sources.detention_stats.coverage`, which also dates each workbook at
ingest; this module applies it to the releases a warehouse holds (every release, for the ledger).
"""

from __future__ import annotations

import datetime as dt

from immstat.core.errors import UnknownName
from immstat.metrics.releases import by_fiscal_year, releases
from immstat.sources.detention_stats.coverage import (
    WHOLE_DAY_TOLERANCE,
    Coverage,
    coverage_from,
    days_published,
    month_length,
    published_months,
    solve_last_month_days,
)

ADP_METRIC = "detention_stats_adp"

__all__ = ["ADP_METRIC", "WHOLE_DAY_TOLERANCE", "Coverage", "coverage_from", "days_published", "month_length",
           "newest_coverages", "published_months", "release_coverage", "solve_last_month_days"]


def release_coverage(wh, fiscal_year: int, release_date: dt.date) -> Coverage:
    """Coverage of the release of ``fiscal_year`` published on ``release_date`` (national ADP)."""
    try:
        monthly = wh.query(ADP_METRIC, fy=fiscal_year, grain="month", as_of=release_date)
        yearly = wh.query(ADP_METRIC, fy=fiscal_year, grain="fy", as_of=release_date)
    except UnknownName:
        return Coverage(fiscal_year, release_date)
    values = [(row["month"], row["value"]) for row in monthly.table.to_pylist()]
    return coverage_from(fiscal_year, release_date, values, yearly.value())


def newest_coverages(wh) -> list[Coverage]:
    """Coverage of the newest release of every fiscal year held (the one queries answer from)."""
    try:
        found = releases(wh, ADP_METRIC)
    except UnknownName:
        return []
    return [release_coverage(wh, fy, rels[-1].release_date) for fy, rels in by_fiscal_year(found).items()]
