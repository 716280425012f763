"""Time phrases → concrete date ranges, resolved against the document date.

Conventions (documented in the README of the claim checker and tested):
- fiscal years only through :mod:`immstat.core.calendar`; "in 2024" / "last year" are calendar years;
- a period that contains the document date ends on the document date ("this fiscal year",
  "in fiscal 2025" written during FY2025, "in May" written on 20 May);
- rolling windows "the past N days/weeks/months/years" end on the document date and start
  N units earlier plus one day; "last month" / "last week" (Monday–Sunday) are calendar units;
- a weekday ("on Sunday") is the latest such day on or before the document date;
- a month or date without a year is the latest one on or before the document date;
- without a document date relative phrases stay unresolved (start/end None, label kept).
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from immstat.analysis.claims.models import Period
from immstat.analysis.claims.text import non_overlapping
from immstat.core.calendar import fiscal_year, fy_bounds

D = dt.date
MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
          "nov": 11, "dec": 12}
MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
         r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
DATE = MONTH + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+(?:19|20)\d{2})?(?!\d)"
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_NUMWORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ]
    )
}
_FY = r"(?:fiscal\s+years?|fiscal|FY)\s*(?:\(FY\)\s*)?'?((?:19|20)?\d{2})\b"


@dataclass(frozen=True)
class PeriodMention:
    start: int
    end: int
    period: Period


def _month_end(y: int, m: int) -> D:
    return D(y, m, _cal.monthrange(y, m)[1])


def _minus_months(day: D, n: int) -> D:
    y, m = divmod(day.year * 12 + day.month - 1 - n, 12)
    return D(y, m + 1, min(day.day, _cal.monthrange(y, m + 1)[1]))


def _year4(text: str) -> int:
    return int(text) if len(text) == 4 else (2000 if int(text) < 70 else 1900) + int(text)


def _parse_date(text: str, doc: D | None) -> D | None:
    """'Jan. 21, 2025' / 'Jan 21' (year from the document date) → date."""
    m = re.match(r"(\w+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?", text)
    month, day = MONTHS[m.group(1)[:3].lower()], int(m.group(2))
    if m.group(3):
        year = int(m.group(3))
    elif doc is None:
        return None
    else:
        year = doc.year if (month, day) <= (doc.month, doc.day) else doc.year - 1
    try:
        return D(year, month, day)
    except ValueError:
        return None


def _latest_month(name: str, doc: D | None, year: str | None = None) -> tuple[D, D] | None:
    month = MONTHS[name[:3].lower()]
    if year:
        y = int(year)
    elif doc is None:
        return None
    else:
        y = doc.year if month <= doc.month else doc.year - 1
    return D(y, month, 1), _month_end(y, month)


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMWORDS.get(word.lower())


def _first(start: D, n: int | None, unit: str) -> tuple[D, D] | None:
    """The first ``n`` months/weeks/days from ``start``."""
    if not n:
        return None
    unit = unit.lower().rstrip("s")
    end = (
        _minus_months(start, -n)
        if unit == "month"
        else start + dt.timedelta(days=n * (7 if unit == "week" else 1))
    )
    return start, end - dt.timedelta(days=1)


def _units(n: int, unit: str, doc: D) -> D:
    unit = unit.rstrip("s")
    if unit == "day":
        return doc - dt.timedelta(days=n - 1)
    if unit == "week":
        return doc - dt.timedelta(days=7 * n - 1)
    months = n * (12 if unit == "year" else 1)
    return _minus_months(doc, months) + dt.timedelta(days=1)


# Each rule: (regex, calendar, resolver(match, doc) -> (start, end) | None).
Resolver = Callable[[re.Match[str], D | None], tuple[D | None, D | None] | None]
_RULES: list[tuple[re.Pattern[str], str | None, Resolver]] = []


def rule(pattern: str, calendar: str | None, flags: int = re.I):
    def register(fn: Resolver) -> Resolver:
        _RULES.append((re.compile(pattern, flags), calendar, fn))
        return fn

    return register


@rule(
    r"\b(?:the\s+)?(first|second|third|fourth|1st|2nd|3rd|4th)\s+(quarter|half)\s+of\s+(?:the\s+)?"
    + _FY,
    "fiscal",
)
def _fy_part(m, doc):
    index = {"fi": 0, "1s": 0, "se": 1, "2n": 1, "th": 2, "3r": 2, "fo": 3, "4t": 3}[
        m.group(1)[:2].lower()
    ]
    months = 3 if m.group(2).lower() == "quarter" else 6
    start = _minus_months(fy_bounds(_year4(m.group(3)))[0], -months * index)
    return start, _minus_months(start, -months) - dt.timedelta(days=1)


@rule(r"\b(?:the\s+)?first\s+(\d+|\w+)\s+(months?|weeks?|days?)\s+of\s+(?:the\s+)?" + _FY, "fiscal")
def _fy_first(m, doc):
    return _first(fy_bounds(_year4(m.group(3)))[0], _count(m.group(1)), m.group(2))


@rule(r"\b" + _FY + r"\s+(?:through|to|until)\s+(?:the\s+end\s+of\s+)?(" + MONTH + r")\b", "fiscal")
def _fy_through(m, doc):
    start, end = fy_bounds(_year4(m.group(1)))
    month = MONTHS[m.group(2)[:3].lower()]
    year = start.year if month >= start.month else end.year
    return start, _month_end(year, month)


@rule(r"\bsince\s+(?:the\s+(?:start|beginning)\s+of\s+)?" + _FY, None)
def _since_fy_n(m, doc):
    return fy_bounds(_year4(m.group(1)))[0], doc


@rule(
    r"\b(?:the\s+)?first\s+(\d+|\w+)\s+(months?|weeks?|days?)\s+of\s+(?:the\s+|this\s+)?(year|(?:19|20)\d{2})\b",
    "calendar",
)
def _year_first(m, doc):
    year = int(m.group(3)) if m.group(3).isdigit() else doc.year if doc else None
    return _first(D(year, 1, 1), _count(m.group(1)), m.group(2)) if year else None


@rule(r"\bsince\s+the\s+(?:start|beginning)\s+of\s+(?:the|this)\s+(?:calendar\s+)?year\b", None)
def _since_year_start(m, doc):
    return (D(doc.year, 1, 1), doc) if doc else None


@rule(
    r"\b(?:a|one|two|three|four|five|six|several|\d+)\s+(?:days?|weeks?|months?|years?)\s+(?:earlier|ago|before|prior)\b"
    r"|\b(?:the\s+)?same\s+(?:period|month|week|time)(?:\s+(?:a\s+year\s+(?:earlier|ago)|last\s+year))?\b"
    r"|\bthis\s+(?:summer|spring|fall|autumn|winter)\b|\bthe\s+first\s+\w+\s+(?:days?|months?)\s+of\s+the\s+\w+\s+administration\b"
    r"|\bthe\s+first\s+(?:\w+\s+)?(?:days?|months?|weeks?)\s+of\s+the\s+administration\b",
    None,
)
def _unresolved(m, doc):
    return None


@rule(r"\b" + _FY + r"|\b((?:19|20)\d{2})\s+fiscal\s+year\b", "fiscal")
def _fy(m, doc):
    return fy_bounds(_year4(m.group(1) or m.group(2)))


@rule(
    r"\b(?:so\s+far\s+)?(?:in\s+)?(?:this|the\s+current)\s+fiscal\s+year(?:\s+so\s+far)?|\bfiscal[-\s]year[-\s]to[-\s]date\b",
    "fiscal",
)
def _this_fy(m, doc):
    return fy_bounds(fiscal_year(doc)) if doc else None


@rule(r"\b(?:the\s+)?(?:last|previous|past|prior|preceding)\s+fiscal\s+year\b", "fiscal")
def _last_fy(m, doc):
    return fy_bounds(fiscal_year(doc) - 1) if doc else None


@rule(r"\bnext\s+fiscal\s+year\b", "fiscal")
def _next_fy(m, doc):
    return fy_bounds(fiscal_year(doc) + 1) if doc else None


@rule(
    r"\b(?:calendar\s+year|calendar|CY)\s*((?:19|20)\d{2})\b|\b((?:19|20)\d{2})\s+calendar\s+year\b",
    "calendar",
)
def _calendar_year(m, doc):
    y = int(m.group(1) or m.group(2))
    return D(y, 1, 1), D(y, 12, 31)


@rule(r"(?<![\d,.$])\b((?:19|20)\d{2})\b(?![,.]?\d|\s*%|\s*percent)", "calendar")
def _year(m, doc):
    y = int(m.group(1))
    return D(y, 1, 1), D(y, 12, 31)


@rule(
    r"\b(?:so\s+far\s+)?this\s+(?:calendar\s+)?year(?:\s+so\s+far)?\b|\byear[-\s]to[-\s]date\b",
    "calendar",
)
def _this_year(m, doc):
    return (D(doc.year, 1, 1), D(doc.year, 12, 31)) if doc else None


@rule(r"(?<!the\s)\blast\s+(?:calendar\s+)?year\b", "calendar")
def _last_year(m, doc):
    return (D(doc.year - 1, 1, 1), D(doc.year - 1, 12, 31)) if doc else None


@rule(r"\bthis\s+month\b", "calendar")
def _this_month(m, doc):
    return (D(doc.year, doc.month, 1), _month_end(doc.year, doc.month)) if doc else None


@rule(r"(?<!the\s)\blast\s+month\b", "calendar")
def _last_month(m, doc):
    if not doc:
        return None
    prev = D(doc.year, doc.month, 1) - dt.timedelta(days=1)
    return D(prev.year, prev.month, 1), prev


@rule(r"\bthis\s+week\b", None)
def _this_week(m, doc):
    return (doc - dt.timedelta(days=doc.weekday()), doc) if doc else None


@rule(r"(?<!the\s)\blast\s+week\b", None)
def _last_week(m, doc):
    if not doc:
        return None
    monday = doc - dt.timedelta(days=doc.weekday() + 7)
    return monday, monday + dt.timedelta(days=6)


@rule(r"\btoday\b|\bthis\s+morning\b|\btonight\b", None)
def _today(m, doc):
    return (doc, doc) if doc else None


@rule(r"\byesterday\b", None)
def _yesterday(m, doc):
    return (doc - dt.timedelta(days=1),) * 2 if doc else None


@rule(r"\b(?:on\s+|last\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", None)
def _weekday(m, doc):
    if not doc:
        return None
    back = (doc.weekday() - WEEKDAYS.index(m.group(1).lower())) % 7
    if back == 0 and m.group(0).lower().startswith("last"):
        back = 7
    day = doc - dt.timedelta(days=back)
    return day, day


@rule(
    r"\b(?:the\s+|over\s+the\s+|in\s+the\s+)?(?:past|last|previous|preceding)\s+(\d+|\w+)\s+(days|weeks|months|years)\b",
    None,
)
def _rolling(m, doc):
    n = _count(m.group(1))
    return (_units(n, m.group(2).lower(), doc), doc) if doc and n else None


@rule(
    r"\b(?:the|over\s+the|in\s+the)\s+(?:past|last)\s+(day|week|month|year)\b|\bpast\s+(week|month|year)\b",
    None,
)
def _rolling_one(m, doc):
    return (_units(1, (m.group(1) or m.group(2)).lower(), doc), doc) if doc else None


@rule(r"\b(" + MONTH + r")\.?,?\s+((?:19|20)\d{2})\b", "calendar", 0)
def _month_year(m, doc):
    return _latest_month(m.group(1), doc, m.group(2))


@rule(r"(?i:\b(?:in|during|for|throughout|of|last)\s+)(" + MONTH + r")\b(?!\.?\s*\d)", "calendar", 0)
def _month(m, doc):
    return _latest_month(m.group(1), doc)


@rule(
    r"(?i:\b(?:since|from)\s+(?:the\s+(?:start|beginning)\s+of\s+)?)(" + MONTH + r")\b(?!\.?\s*\d)",
    None,
    0,
)
def _since_month(m, doc):
    span = _latest_month(m.group(1), doc)
    return (span[0], doc) if span else None


@rule(r"\b(?:since|from)\s+(?:the\s+(?:start|beginning)\s+of\s+)?(?:the\s+)?fiscal\s+year\b", "fiscal")
def _since_fy(m, doc):
    return (fy_bounds(fiscal_year(doc))[0], doc) if doc else None


@rule(
    r"(?i:\b(?:between|from)\s+)(" + DATE + r")(?i:\s+(?:and|to|through|until)\s+)(" + DATE + r")",
    None,
    0,
)
def _date_range(m, doc):
    end = _parse_date(m.group(2), doc)
    first = m.group(1) if re.search(r"\d{4}", m.group(1)) or not end else f"{m.group(1)}, {end.year}"
    return _parse_date(first, doc), end


@rule(
    r"(?i:\b(?:between|from)\s+)("
    + MONTH
    + r")(?:\s+((?:19|20)\d{2}))?(?i:\s+(?:and|to|through|until)\s+)("
    + MONTH
    + r")(?:\s+((?:19|20)\d{2}))?\b(?!\.?\s*\d)",
    "calendar",
    0,
)
def _month_range(m, doc):
    end = _latest_month(m.group(3), doc, m.group(4))
    if not end:
        return None
    year = m.group(2) or str(end[0].year - (MONTHS[m.group(1)[:3].lower()] > end[0].month))
    return _latest_month(m.group(1), doc, year)[0], end[1]


@rule(r"(?i:\bsince\s+)(" + DATE + r")", None, 0)
def _since_date(m, doc):
    start = _parse_date(m.group(1), doc)
    return (start, doc) if start else None


@rule(r"(?i:\bsince\s+)((?:19|20)\d{2})\b", None, 0)
def _since_year(m, doc):
    return D(int(m.group(1)), 1, 1), doc


@rule(r"(?i:\b(?:through|until|by)\s+)(" + DATE + r")", None, 0)
def _until_date(m, doc):
    return None, _parse_date(m.group(1), doc)


@rule(r"(?i:\b(?:on|as\s+of)\s+)?(" + DATE + r")", None, 0)
def _date(m, doc):
    day = _parse_date(m.group(1), doc)
    return (day, day) if day else None


def find_periods(text: str, doc: D | None = None) -> list[PeriodMention]:
    """Every time phrase in ``text``, longest first among overlaps, in text order."""
    found: list[PeriodMention] = []
    for regex, calendar_kind, resolve in _RULES:
        for m in regex.finditer(text):
            span = resolve(m, doc)
            start, end = span if span else (None, None)
            if doc and start and end and start <= doc <= end:
                end = doc
            found.append(
                PeriodMention(m.start(), m.end(), Period(m.group(0).strip(), start, end, calendar_kind))
            )
    return non_overlapping(found)
