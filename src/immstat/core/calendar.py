"""Every calendar rule ImmStat uses, defined once: fiscal years, months, weeks, period spans.

FY N runs from 1 October of year N-1 to 30 September of year N (named by the year it ends in).
Python code calls :func:`fiscal_year`; SQL calls the DuckDB macro ``fiscal_year(d)`` created from
:data:`FISCAL_YEAR_MACRO`. Weeks start on Monday. A *period* is one cell of a time grain: a day,
a week (its Monday), a month (its first day) or a fiscal year (its number). Nothing else in ImmStat
encodes these rules.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt

FY_START_MONTH = 10
GRAINS = ("day", "week", "month", "fy")
FY_MONTHS: tuple[int, ...] = tuple((FY_START_MONTH - 1 + i) % 12 + 1 for i in range(12))  # 10 … 9

MONTH_ABBR: tuple[str, ...] = tuple(_calendar.month_abbr)[1:]  # 'Jan' … 'Dec' (C locale)
MONTH_NAMES: tuple[str, ...] = tuple(_calendar.month_name)[1:]  # 'January' … 'December'

FISCAL_YEAR_MACRO = (
    f"CREATE OR REPLACE MACRO fiscal_year(d) AS "
    f"CAST(year(d) + CASE WHEN month(d) >= {FY_START_MONTH} THEN 1 ELSE 0 END AS INTEGER)"
)


# ------------------------------------------------------------------ fiscal years
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


def fy_month(fy: int, month: int) -> dt.date:
    """First day of calendar month ``month`` (1–12) inside fiscal year ``fy``."""
    return dt.date(fy - 1 if month >= FY_START_MONTH else fy, month, 1)


def fy_months(fy: int) -> list[dt.date]:
    """First days of the twelve months of fiscal year ``fy``, October first."""
    return [fy_month(fy, m) for m in FY_MONTHS]


def is_fy_end(day: dt.date) -> bool:
    """Whether ``day`` falls in the last month of a fiscal year (September)."""
    return fiscal_month(day) == 12


def whole_fy(start: dt.date | None, end: dt.date | None) -> bool:
    """Whether ``start``–``end`` is exactly one fiscal year."""
    return start is not None and (start, end) == fy_bounds(fiscal_year(start))


# ------------------------------------------------------------------ months and weeks
def month_start(day: dt.date) -> dt.date:
    """First day of the month of ``day``."""
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    """Last day of the month of ``day``."""
    return day.replace(day=_calendar.monthrange(day.year, day.month)[1])


def next_month(day: dt.date) -> dt.date:
    """First day of the month after the month of ``day``."""
    return month_end(day) + dt.timedelta(days=1)


def whole_months(start: dt.date | None, end: dt.date | None) -> bool:
    """Whether an (open-ended) window starts on a 1st and ends on a month's last day."""
    return (start is None or start.day == 1) and (end is None or end == month_end(end))


def month_number(name: str | None) -> int | None:
    """'Oct' / 'October' / 'oct.' → 10; anything else → None."""
    key = (name or "").strip().rstrip(".").lower()
    if len(key) < 3 or not key.isalpha():
        return None
    for number, full in enumerate(MONTH_NAMES, start=1):
        if full.lower().startswith(key[:3]) and (len(key) == 3 or full.lower().startswith(key)):
            return number
    return None


def week_start(day: dt.date) -> dt.date:
    """The Monday of the week of ``day``."""
    return day - dt.timedelta(days=day.weekday())


# ------------------------------------------------------------------ periods (cells of a grain)
def period_of(day: dt.date, grain: str) -> dt.date | int:
    """The period of ``grain`` that contains ``day`` (a date, or a fiscal-year number)."""
    if grain == "fy":
        return fiscal_year(day)
    if grain == "month":
        return month_start(day)
    if grain == "week":
        return week_start(day)
    return day


def period_span(period: dt.date | int, grain: str) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of one period of ``grain``."""
    if isinstance(period, int):
        if grain != "fy":
            raise TypeError(f"a {grain} period is a date, got {period!r}")
        return fy_bounds(period)
    if grain == "fy":
        return fy_bounds(fiscal_year(period))
    if grain == "month":
        return month_start(period), month_end(period)
    if grain == "week":
        return period, period + dt.timedelta(days=6)
    return period, period
