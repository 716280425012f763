"""The US federal fiscal year rule, defined once.

FY N runs from 1 October of year N-1 to 30 September of year N. Python code calls
:func:`fiscal_year`; SQL calls the DuckDB macro ``fiscal_year(d)`` created from
:data:`FISCAL_YEAR_MACRO`. Nothing else in ImmStat encodes the rule.
"""

from __future__ import annotations

import datetime as dt

FY_START_MONTH = 10

FISCAL_YEAR_MACRO = (
    f"CREATE OR REPLACE MACRO fiscal_year(d) AS "
    f"CAST(year(d) + CASE WHEN month(d) >= {FY_START_MONTH} THEN 1 ELSE 0 END AS INTEGER)"
)


def fiscal_year(day: dt.date) -> int:
    """Fiscal year that contains ``day`` (named by the calendar year it ends in)."""
    return day.year + (1 if day.month >= FY_START_MONTH else 0)


def fy_bounds(fy: int) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of fiscal year ``fy``."""
    return dt.date(fy - 1, FY_START_MONTH, 1), dt.date(fy, FY_START_MONTH, 1) - dt.timedelta(days=1)


def fy_days(fy: int) -> int:
    """Number of days in fiscal year ``fy`` (365 or 366)."""
    start, end = fy_bounds(fy)
    return (end - start).days + 1


def fiscal_month(day: dt.date) -> int:
    """Month number within the fiscal year: October = 1 … September = 12."""
    return (day.month - FY_START_MONTH) % 12 + 1
