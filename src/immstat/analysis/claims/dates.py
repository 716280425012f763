"""Calendar arithmetic of the claim checker: month ends, whole-month shifts and the shift of a
period by some days, weeks, months or years ("a year earlier", "a week later"). Fiscal years
come only from :mod:`immstat.core.calendar`."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from immstat.core.calendar import fiscal_year, fy_bounds, month_end, month_number

DAY = dt.timedelta(days=1)
MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
         r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
DATE = MONTH + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d{2})?(?!\d)"
NUMBER_WORDS = {w: i for i, w in enumerate(["zero", "one", "two", "three", "four", "five", "six", "seven",
                                              "eight", "nine", "ten", "eleven", "twelve"])}


def parse_month_day(text: str, doc: dt.date | None) -> dt.date | None:
    """'Jan. 21, 2025' / 'Jan 21' (year from the document date) → date; None if not a date."""
    m = re.match(r"(\w+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?", text)
    if m is None:
        return None
    month, day = month_number(m.group(1)[:3]), int(m.group(2))
    if month is None:
        return None
    if m.group(3):
        year = int(m.group(3))
    elif doc is None:
        return None
    else:
        year = doc.year if (month, day) <= (doc.month, doc.day) else doc.year - 1
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def latest_month(name: str, doc: dt.date | None, year: str | None = None) -> tuple[dt.date, dt.date] | None:
    """The named month of ``year``, else the latest one on or before ``doc`` (None for a name
    that is no month, or no year and no document date)."""
    month = month_number(name[:3])
    if month is None:
        return None
    if year:
        y = int(year)
    elif doc is None:
        return None
    else:
        y = doc.year if month <= doc.month else doc.year - 1
    return dt.date(y, month, 1), month_end(dt.date(y, month, 1))


def count_word(word: str) -> int | None:
    """'3' or 'three' → 3 (None for other words)."""
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word.lower())


def first_units(start: dt.date, n: int | None, unit: str) -> tuple[dt.date, dt.date] | None:
    """The first ``n`` months/weeks/days from ``start``."""
    if not n:
        return None
    unit = unit.lower().rstrip("s")
    end = (
        add_months(start, n)
        if unit == "month"
        else start + dt.timedelta(days=n * (7 if unit == "week" else 1))
    )
    return start, end - dt.timedelta(days=1)


def units_back(n: int, unit: str, doc: dt.date) -> dt.date:
    """First day of the ``n`` days/weeks/months/years that end on ``doc``."""
    unit = unit.rstrip("s")
    if unit == "day":
        return doc - dt.timedelta(days=n - 1)
    if unit == "week":
        return doc - dt.timedelta(days=7 * n - 1)
    months = n * (12 if unit == "year" else 1)
    return add_months(doc, -months) + dt.timedelta(days=1)



def add_months(day: dt.date, n: int) -> dt.date:
    """``day`` moved by ``n`` months (the day clipped to the target month's length)."""
    y, m = divmod(day.year * 12 + day.month - 1 + n, 12)
    return dt.date(y, m + 1, min(day.day, calendar.monthrange(y, m + 1)[1]))


def year4(text: str) -> int:
    """'24' → 2024, '99' → 1999, '2024' → 2024."""
    return int(text) if len(text) == 4 else (2000 if int(text) < 70 else 1900) + int(text)


def shift(start: dt.date, end: dt.date, n: int, unit: str) -> tuple[dt.date, dt.date]:
    """The span ``[start, end]`` moved by ``n`` units (day, week, month, year), keeping its shape:
    whole months stay whole months and whole fiscal years stay whole fiscal years."""
    if unit in ("day", "week"):
        delta = dt.timedelta(days=n * (7 if unit == "week" else 1))
        return start + delta, end + delta
    months = n * (12 if unit == "year" else 1)
    if (start, end) == fy_bounds(fiscal_year(start)) and months % 12 == 0:
        return fy_bounds(fiscal_year(start) + months // 12)
    new_start = add_months(start, months)
    new_end = month_end(add_months(end, months)) if end == month_end(end) else add_months(end, months)
    return new_start, new_end


def same_length(a: tuple[dt.date, dt.date], b: tuple[dt.date, dt.date]) -> bool:
    """True when two spans are the same calendar unit (both whole months, both whole fiscal or
    calendar years) or have the same number of days."""
    def unit(span: tuple[dt.date, dt.date]) -> str | None:
        s, e = span
        if s.day == 1 and e == month_end(s):
            return "month"
        if (s, e) == fy_bounds(fiscal_year(s)) or (s.month, s.day, e.month, e.day) == (1, 1, 12, 31):
            return "year"
        return None

    return (unit(a) is not None and unit(a) == unit(b)) or (a[1] - a[0]) == (b[1] - b[0])
