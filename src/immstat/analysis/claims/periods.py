"""Time phrases → concrete date ranges, resolved against the document date.

Conventions (documented in the README of the claim checker and tested):
- fiscal years only through :mod:`immstat.core.calendar`; "in 2024" / "last year" are calendar years;
- a period that contains the document date ends on the document date ("this fiscal year",
  "in fiscal 2025" written during FY2025, "in May" written on 20 May);
- rolling windows "the past N days/weeks/months/years" end on the document date and start
  N units earlier plus one day; "last month" / "last week" (Monday–Sunday) are calendar units;
- a weekday ("on Sunday"), a month or a date without a year is the latest on or before the document date;
- without a document date relative phrases stay unresolved (start/end None, label kept).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from immstat.analysis.claims.dates import (
    DATE,
    MONTH,
    add_months,
    count_word,
    first_units,
    latest_month,
    month_end,
    parse_month_day,
    units_back,
    year4,
)
from immstat.analysis.claims.models import Period
from immstat.analysis.claims.text import non_overlapping
from immstat.core.calendar import fiscal_year, fy_bounds, month_number

D = dt.date
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_FY = r"(?:fiscal\s+years?|fiscal|FY)\s*(?:\(FY\)\s*)?'?((?:19|20)?\d{2})\b"
# a fiscal year by number, or the document's own ("the fiscal year", "this fiscal year")
_FY_ANY = r"(?:" + _FY + r"|(?:the\s+|this\s+|the\s+current\s+)?fiscal\s+year\b)"
_PART = r"(first|second|third|fourth|1st|2nd|3rd|4th)\s+(quarter|half)"
_SHIFT_UNITS = r"(days?|weeks?|months?|years?)"


@dataclass(frozen=True)
class PeriodMention:
    """A time phrase at ``start:end``. ``shift`` = (n, unit) for a phrase that is another
    period moved in time ("a year earlier" = (-1, "year")); extraction resolves it against the
    period of the figure it is compared with."""

    start: int
    end: int
    period: Period
    shift: tuple[int, str] | None = None
    said: bool = False  # the day a statement was made ("officials said Monday"), not of its figures


def _fy_of(m: re.Match[str], group: int, doc: D | None) -> int | None:
    """The fiscal year a :data:`_FY_ANY` match names (the document's own if no number)."""
    if m.group(group):
        return year4(m.group(group))
    return fiscal_year(doc) if doc else None


# Each rule: (regex, calendar, resolver(match, doc) -> (start, end) | None, truncate). A period
# that contains the document date ends on it, unless the rule says truncate=False (a named
# month of a named year, "June 2025", is that whole month whatever the document date).
Resolver = Callable[[re.Match[str], D | None], tuple[D | None, D | None] | None]
_RULES: list[tuple[re.Pattern[str], str | None, Resolver, bool]] = []


def rule(pattern: str, calendar: str | None, flags: int = re.I, truncate: bool = True):
    def register(fn: Resolver) -> Resolver:
        _RULES.append((re.compile(pattern, flags), calendar, fn, truncate))
        return fn

    return register


def _part(m: re.Match[str], first_day: D, group: int = 1) -> tuple[D, D]:
    """'first quarter' / 'second half' … of the year starting ``first_day``."""
    ordinal = m.group(group)[:2].lower()
    index = {"fi": 0, "1s": 0, "se": 1, "2n": 1, "th": 2, "3r": 2, "fo": 3, "4t": 3}[ordinal]
    months = 3 if m.group(group + 1).lower() == "quarter" else 6
    start = add_months(first_day, months * index)
    return start, add_months(start, months) - dt.timedelta(days=1)


@rule(r"\b(?:the\s+)?" + _PART + r"\s+of\s+(?:the\s+)?" + _FY_ANY, "fiscal")
def _fy_part(m, doc):
    fy = _fy_of(m, 3, doc)
    return _part(m, fy_bounds(fy)[0]) if fy else None


@rule(r"\b(?:the\s+)?" + _PART + r"\s+of\s+(?:the\s+|this\s+)?(?:calendar\s+)?(?:year\s+)?"
      r"((?:19|20)\d{2}|year)\b", "calendar")
def _year_part(m, doc):
    year = int(m.group(3)) if m.group(3).isdigit() else doc.year if doc else None
    return _part(m, D(year, 1, 1)) if year else None


@rule(r"\b(?:the\s+)?first\s+(\d+|\w+)\s+(months?|weeks?|days?)\s+of\s+(?:the\s+)?" + _FY_ANY, "fiscal")
def _fy_first(m, doc):
    fy = _fy_of(m, 3, doc)
    return first_units(fy_bounds(fy)[0], count_word(m.group(1)), m.group(2)) if fy else None


@rule(r"\b" + _FY + r"\s+(?:through|to|until)\s+(?:the\s+end\s+of\s+)?(" + MONTH + r")\b", "fiscal")
def _fy_through(m, doc):
    start, end = fy_bounds(year4(m.group(1)))
    month = month_number(m.group(2)[:3])
    if month is None:
        return None
    year = start.year if month >= start.month else end.year
    return start, month_end(D(year, month, 1))


@rule(r"\bsince\s+(?:the\s+(?:start|beginning)\s+of\s+)?" + _FY, None)
def _since_fy_n(m, doc):
    return fy_bounds(year4(m.group(1)))[0], doc


@rule(r"\b(?:the\s+)?first\s+(\d+|\w+)\s+(months?|weeks?|days?)\s+of\s+(?:the\s+|this\s+)?"
      r"(year|(?:19|20)\d{2})\b", "calendar")
def _year_first(m, doc):
    year = int(m.group(3)) if m.group(3).isdigit() else doc.year if doc else None
    return first_units(D(year, 1, 1), count_word(m.group(1)), m.group(2)) if year else None


@rule(r"\bsince\s+the\s+(?:start|beginning)\s+of\s+(?:the|this)\s+(?:calendar\s+)?year\b", None)
def _since_year_start(m, doc):
    return (D(doc.year, 1, 1), doc) if doc else None


@rule(r"\bat\s+the\s+(?:start|beginning)\s+of\s+(?:the\s+|this\s+)?(fiscal\s+)?year\b", None)
def _year_start(m, doc):
    """A level "at the start of the year": its first day."""
    if not doc:
        return None
    day = fy_bounds(fiscal_year(doc))[0] if m.group(1) else D(doc.year, 1, 1)
    return day, day


@rule(
    r"\bthis\s+(?:summer|spring|fall|autumn|winter)\b|\bthe\s+first\s+\w+\s+(?:days?|months?)\s+of\s+the\s+\w+\s+administration\b"
    r"|\bthe\s+first\s+(?:\w+\s+)?(?:days?|months?|weeks?)\s+of\s+the\s+administration\b|\bovernight\b"
    r"|\b(?:its|his|her|their|the\s+administration's)\s+first\s+(?:\w+\s+)?(?:days?|weeks?|months?|years?)\b"
    r"|\bsince\s+the\s+(?:spring|summer|fall|autumn|winter)\b"
    r"|\b(?:in\s+)?the\s+(?:days?|weeks?|months?)\s+(?:after|before|since|following|leading\s+up\s+to)\s+"
    r"(?:the\s+|his\s+|her\s+)?[\w-]+",
    None,
)
def _unresolved(m, doc):
    return None


@rule(r"\b(?:(?:at|by)\s+)?the\s+end\s+of\s+(?:the\s+)?(?:" + _FY_ANY + r"|(" + MONTH + r")"
      r"(?:,?\s+((?:19|20)\d{2}))?|(?:calendar\s+)?(?:year\s+)?((?:19|20)\d{2}))\b", None)
def _end_of(m, doc):
    """A stock at the end of a fiscal year, month or year: that last day."""
    if m.group(2):
        span = latest_month(m.group(2), doc, m.group(3))
        day = span[1] if span else None
    elif m.group(4):
        day = D(int(m.group(4)), 12, 31)
    else:
        fy = _fy_of(m, 1, doc)
        day = fy_bounds(fy)[1] if fy else None
    return (day, day) if day else None


@rule(r"\bthe\s+(fiscal\s+)?year\s+(?:that|which)\s+ended\s+(?:on\s+)?(" + DATE + r")", None)
def _year_ended(m, doc):
    end = parse_month_day(m.group(2), doc)
    if end is None:
        return None
    return fy_bounds(fiscal_year(end)) if m.group(1) else (add_months(end, -12) + dt.timedelta(days=1), end)


@rule(r"\b(?:this|last|over\s+the|the\s+past)\s+weekend\b", None)
def _weekend(m, doc):
    if not doc:
        return None
    saturday = doc - dt.timedelta(days=(doc.weekday() - 5) if doc.weekday() >= 5 else doc.weekday() + 2)
    if m.group(0).lower().startswith("last") and doc.weekday() >= 5:
        saturday -= dt.timedelta(days=7)
    return saturday, min(saturday + dt.timedelta(days=1), doc)


@rule(r"\b" + _FY + r"|\b((?:19|20)\d{2})\s+fiscal\s+year\b", "fiscal")
def _fy(m, doc):
    return fy_bounds(year4(m.group(1) or m.group(2)))


@rule(r"\b(?:so\s+far\s+)?(?:in\s+)?(?:this|the\s+current)\s+fiscal\s+year(?:\s+so\s+far)?"
      r"|\bfiscal[-\s]year[-\s]to[-\s]date\b", "fiscal")
def _this_fy(m, doc):
    return fy_bounds(fiscal_year(doc)) if doc else None


@rule(r"\b(?:the\s+)?(?:last|previous|past|prior|preceding)\s+fiscal\s+year\b", "fiscal")
def _last_fy(m, doc):
    return fy_bounds(fiscal_year(doc) - 1) if doc else None


@rule(r"\bnext\s+fiscal\s+year\b", "fiscal")
def _next_fy(m, doc):
    return fy_bounds(fiscal_year(doc) + 1) if doc else None


@rule(r"\b(?:calendar\s+year|calendar|CY)\s*((?:19|20)\d{2})\b|\b((?:19|20)\d{2})\s+calendar\s+year\b",
      "calendar")
def _calendar_year(m, doc):
    y = int(m.group(1) or m.group(2))
    return D(y, 1, 1), D(y, 12, 31)


@rule(r"(?<![\d,.$])\b((?:19|20)\d{2})\b(?![,.]?\d|\s*%|\s*percent)", "calendar")
def _year(m, doc):
    y = int(m.group(1))
    return D(y, 1, 1), D(y, 12, 31)


@rule(r"\b(?:so\s+far\s+)?this\s+(?:calendar\s+)?year(?:\s+so\s+far)?\b|\byear[-\s]to[-\s]date\b", "calendar")
def _this_year(m, doc):
    return (D(doc.year, 1, 1), D(doc.year, 12, 31)) if doc else None


@rule(r"(?<!the\s)\blast\s+(?:calendar\s+)?year\b", "calendar")
def _last_year(m, doc):
    return (D(doc.year - 1, 1, 1), D(doc.year - 1, 12, 31)) if doc else None


@rule(r"\bthis\s+month\b", "calendar")
def _this_month(m, doc):
    return (D(doc.year, doc.month, 1), month_end(D(doc.year, doc.month, 1))) if doc else None


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


@rule(r"\b(?:today|this\s+morning|tonight|(yesterday))\b", None)
def _today(m, doc):
    return (doc - dt.timedelta(days=1 if m.group(1) else 0),) * 2 if doc else None


@rule(r"\b(?:on\s+|last\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", None)
def _weekday(m, doc):
    if not doc:
        return None
    back = (doc.weekday() - WEEKDAYS.index(m.group(1).lower())) % 7
    if back == 0 and m.group(0).lower().startswith("last"):
        back = 7
    day = doc - dt.timedelta(days=back)
    return day, day


@rule(r"\b(?:the\s+|over\s+the\s+|in\s+the\s+)?(?:past|last|previous|preceding)\s+(\d+|\w+)\s+"
      r"(days|weeks|months|years)\b", None)
def _rolling(m, doc):
    n = count_word(m.group(1))
    return (units_back(n, m.group(2).lower(), doc), doc) if doc and n else None


@rule(r"\b(?:the|over\s+the|in\s+the)\s+(?:past|last)\s+(day|week|month|year)\b|\bpast\s+(week|month|year)\b",
      None)
def _rolling_one(m, doc):
    return (units_back(1, (m.group(1) or m.group(2)).lower(), doc), doc) if doc else None


@rule(r"\b(" + MONTH + r")\.?,?\s+((?:19|20)\d{2})\b", "calendar", 0, truncate=False)
def _month_year(m, doc):
    return latest_month(m.group(1), doc, m.group(2))


@rule(r"(?i:\b(?:in|during|for|throughout|of|last)\s+)(" + MONTH + r")\b(?!\.?\s*\d)"
      r"|\b(" + MONTH + r")['’]s\b", "calendar", 0)
def _month(m, doc):
    return latest_month(m.group(1) or m.group(2), doc)


@rule(r"(?i:\b(?:since|from)\s+(?:the\s+(?:start|beginning)\s+of\s+)?)(" + MONTH + r")\b(?!\.?\s*\d)",
      None, 0)
def _since_month(m, doc):
    span = latest_month(m.group(1), doc)
    return (span[0], doc) if span else None


@rule(r"\b(?:since|from)\s+(?:the\s+(?:start|beginning)\s+of\s+)?(?:the\s+)?fiscal\s+year\b", "fiscal")
def _since_fy(m, doc):
    return (fy_bounds(fiscal_year(doc))[0], doc) if doc else None


@rule(r"(?i:\b(?:between|from)\s+)(" + DATE + r")(?i:\s+(?:and|to|through|until)\s+)(" + DATE + r")", None, 0)
def _date_range(m, doc):
    end = parse_month_day(m.group(2), doc)
    first = m.group(1) if re.search(r"\d{4}", m.group(1)) or not end else f"{m.group(1)}, {end.year}"
    return parse_month_day(first, doc), end


@rule(r"(?i:\b(?:between|from)\s+)(" + MONTH + r")(?:\s+((?:19|20)\d{2}))?"
      r"(?i:\s+(?:and|to|through|until)\s+)(" + MONTH + r")(?:\s+((?:19|20)\d{2}))?\b(?!\.?\s*\d)",
      "calendar", 0)
def _month_range(m, doc):
    end = latest_month(m.group(3), doc, m.group(4))
    first_month = month_number(m.group(1)[:3])
    if not end or first_month is None:
        return None
    start = latest_month(m.group(1), doc, m.group(2) or str(end[0].year - (first_month > end[0].month)))
    return (start[0], end[1]) if start else None


_EVENT = r"(?:[\w'’.-]+\s+){1,6}?(?:began|started|launched|took\s+(?:effect|office)|opened|kicked\s+off)"


@rule(r"(?i:\bsince\s+(?:" + _EVENT + r"\s+(?:on\s+|in\s+(?:early\s+|mid-?|late\s+)?)?)?)"
      r"(?:(" + DATE + r")|(" + MONTH + r")\b(?!\.?\s*\d))", None, 0)
def _since(m, doc):
    """"since Jan. 20", "since the operation began on Sept. 8" (or "in early September")."""
    start = parse_month_day(m.group(1), doc) if m.group(1) else (latest_month(m.group(2), doc) or (None,))[0]
    return (start, doc) if start else None


@rule(r"(?i:\bsince\s+)((?:19|20)\d{2})\b", None, 0)
def _since_year(m, doc):
    return D(int(m.group(1)), 1, 1), doc


@rule(r"(?i:\b(?:through|until|by)\s+)(" + DATE + r")", None, 0)
def _until_date(m, doc):
    return None, parse_month_day(m.group(1), doc)


@rule(r"(?i:\b(?:on|as\s+of)\s+)?(" + DATE + r")", None, 0)
def _date(m, doc):
    day = parse_month_day(m.group(1), doc)
    return (day, day) if day else None


# A statement's own date: "officials said Monday", "ICE announced on Jan. 31".
_SAID = re.compile(r"\b(?:said|says|announced|told\s+\w+|reported|posted|wrote|added|published|released)\s+"
                   r"(?:on\s+)?((?:mon|tues|wednes|thurs|fri|satur|sun)day\b|" + DATE + r")", re.I)
# Phrases that are another period moved in time: (regex, n, unit) from the match.
_SHIFTS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[int, str]]]] = [
    (re.compile(r"\b(a|an|one|two|three|four|five|six|\d+)\s+" + _SHIFT_UNITS
                + r"\s+(earlier|before|prior|ago|later|after|on)\b", re.I),
     lambda m: ((count_word(m.group(1)) or 1) * (1 if m.group(3).lower() in ("later", "after", "on") else -1),
                m.group(2).lower().rstrip("s"))),
    (re.compile(r"\bthe\s+(?:previous|prior|preceding)\s+(day|week|month|year)\b"
                r"|\bthe\s+(day|week|month|year)\s+(?:before|earlier)\b"
                r"|\b(?:the\s+)?same\s+(?:period|month|week|time|day|quarter)(?:\s+(?:a\s+year\s+"
                r"(?:earlier|ago|before)|last\s+year|the\s+(?:previous|prior)\s+year"
                r"|of\s+(?:the\s+)?(?:previous|prior|last)\s+year))?", re.I),
     lambda m: (-1, (m.group(1) or m.group(2) or "year").lower())),
]


def find_periods(text: str, doc: D | None = None) -> list[PeriodMention]:
    """Every time phrase in ``text``, longest first among overlaps, in text order."""
    found: list[PeriodMention] = []
    for regex, calendar_kind, resolve, truncate in _RULES:
        for m in regex.finditer(text):
            span = resolve(m, doc)
            start, end = span if span else (None, None)
            if truncate and doc and start and end and start <= doc <= end:
                end = doc
            found.append(
                PeriodMention(m.start(), m.end(), Period(m.group(0).strip(), start, end, calendar_kind))
            )
    for regex, how in _SHIFTS:
        for m in regex.finditer(text):
            found.append(PeriodMention(m.start(), m.end(), Period(m.group(0).strip()), how(m)))
    for m in _SAID.finditer(text):
        day = next((p.period for p in found if p.start >= m.start(1) and p.end <= m.end()), None)
        if day is not None:
            said = Period(m.group(0).strip(), day.start, day.end)
            found.append(PeriodMention(m.start(), m.end(), said, said=True))
    return non_overlapping(found)
