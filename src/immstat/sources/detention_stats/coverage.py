"""How far a detention-statistics release reaches: the days its newest month covers.

ICE prints, per release, the average daily population (ADP) of each month and of the fiscal year
to date. The year-to-date figure is the day-weighted mean of the months, the newest one partial:

    YTD × (D + d) = Σ ADP_m × days_m + ADP_last × d
    d = (YTD × D − Σ ADP_m × days_m) / (ADP_last − YTD)

with D the days of the complete months. On every release we hold, ``d`` solves to a whole number
(4 days of April 2026 in the 9 Apr 2026 release), which dates the data (through 4 Apr 2026) and
tests the release's consistency. ICE prints 0 for months after the data end (the 2 Feb 2026
release shows February 2026 as 0): trailing zero months are placeholders, not figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from immstat.core.calendar import fy_bounds, month_end, next_month

WHOLE_DAY_TOLERANCE = 0.05  # the solved days must be within this of a whole number


def month_length(month: dt.date) -> int:
    return month_end(month).day


def published_months(values: list[tuple[dt.date, float | None]]) -> list[tuple[dt.date, float]]:
    """Months in order, without the trailing placeholders (zero or empty months at the end)."""
    kept = sorted((m, v) for m, v in values if v is not None)
    while kept and kept[-1][1] == 0:
        kept.pop()
    return kept


def solve_last_month_days(months: list[tuple[dt.date, float]], ytd: float) -> float | None:
    """Days of the last month that make the day-weighted mean of ``months`` equal ``ytd``
    (None when the last month's ADP equals the year-to-date ADP: any length fits)."""
    if not months:
        return None
    *full, (_, last) = months
    weight = sum(month_length(m) for m, _ in full)
    total = sum(v * month_length(m) for m, v in full)
    if abs(last - ytd) < 1e-9 * max(1.0, abs(ytd)):
        return None
    return (ytd * weight - total) / (last - ytd)


@dataclass
class Coverage:
    """What one release of a fiscal year covers (see module docstring)."""

    fiscal_year: int
    release_date: dt.date
    months: list[tuple[dt.date, float]] = field(default_factory=list)
    ytd: float | None = None
    solved_days: float | None = None  # exact solution; None when it cannot be solved
    days: int | None = None  # days of the last month covered (whole)
    basis: str = "no ADP figures in this release"

    @property
    def last_month(self) -> dt.date | None:
        return self.months[-1][0] if self.months else None

    @property
    def data_end(self) -> dt.date | None:
        if self.last_month is None or self.days is None:
            return None
        return self.last_month + dt.timedelta(days=self.days - 1)

    @property
    def gaps(self) -> list[dt.date]:
        """Months between 1 October and the last month that carry no figure (or zero)."""
        if self.last_month is None:
            return []
        have = {m for m, v in self.months if v}
        out, month = [], fy_bounds(self.fiscal_year)[0]
        while month <= self.last_month:
            if month not in have:
                out.append(month)
            month = next_month(month)
        return out

    @property
    def whole(self) -> bool:
        """Whether the solved days are a whole number of days within the month."""
        d = self.solved_days
        return (d is not None and self.last_month is not None and abs(d - round(d)) <= WHOLE_DAY_TOLERANCE
                and 1 <= round(d) <= month_length(self.last_month))

    def days_of(self, month: dt.date) -> int:
        """Days of ``month`` this release covers (0 after the data end)."""
        end = self.data_end or self.release_date
        if month > end:
            return 0
        return min(month_length(month), (end - month).days + 1)

    def fy_days(self) -> int:
        start, last = fy_bounds(self.fiscal_year)
        end = min(self.data_end or self.release_date, last)
        return max((end - start).days + 1, 0)

    def sentence(self) -> str:
        if self.last_month is None:
            return f"the {self.release_date:%-d %b %Y} release carries no monthly ADP figures"
        length = month_length(self.last_month)
        held = f"{self.days} of {length} days" if self.days is not None else "an unknown number of days"
        through = f" (data through {self.data_end:%-d %b %Y})" if self.data_end else ""
        return (f"{self.last_month:%B %Y} holds {held} in the {self.release_date:%-d %b %Y} "
                f"release{through}")

    def to_dict(self) -> dict:
        return {"fiscal_year": self.fiscal_year, "release_date": self.release_date.isoformat(),
                "last_month": self.last_month.isoformat() if self.last_month else None,
                "days": self.days, "solved_days": self.solved_days,
                "data_end": self.data_end.isoformat() if self.data_end else None,
                "ytd_adp": self.ytd, "gaps": [g.isoformat() for g in self.gaps],
                "basis": self.basis, "sentence": self.sentence()}


def coverage_from(fiscal_year: int, release_date: dt.date,
                  values: list[tuple[dt.date, float | None]], ytd: float | None) -> Coverage:
    """Coverage of one release from its monthly and year-to-date ADP (pure; see module docstring)."""
    months = published_months(values)
    out = Coverage(fiscal_year, release_date, months, ytd)
    if not months:
        return out
    if ytd is not None:
        out.solved_days = solve_last_month_days(months, ytd)
    if out.whole and out.solved_days is not None:
        out.days, out.basis = round(out.solved_days), "solved from the year-to-date ADP"
        return out
    last = months[-1][0]
    out.days = max(1, min(month_length(last), (release_date - last).days + 1))
    out.basis = ("release date (the year-to-date ADP does not solve to a whole number of days of "
                 "the last month)")
    return out


def days_published(coverages: list[Coverage], month: dt.date) -> int:
    """Days of ``month`` that the newest release holding it covers (0 when none holds it)."""
    for cov in coverages:
        if cov.last_month is not None and cov.months[0][0] <= month <= cov.last_month:
            return cov.days_of(month)
    return 0


# ------------------------------------------------------------------ one workbook, at read time
# Sections of the Detention sheet printed month by month for the workbook's fiscal year.
MONTHLY_SECTIONS = ("adp", "alos", "adp_facility_type", "alos_facility_type", "book_ins",
                    "book_outs")
TOTAL = "Total"


def workbook_coverage(rows: dict[str, list[dict]], fiscal_year: int,
                      release_date: dt.date) -> Coverage:
    """Coverage of one workbook from its national ADP rows (section → tidy rows)."""
    national = [r for r in rows.get("adp", []) if r.get("agency") == TOTAL
                and r.get("criminality") == TOTAL and r.get("fiscal_year") == fiscal_year]
    ytd = next((r["adp_fy_to_date"] for r in national if r.get("adp_fy_to_date") is not None), None)
    return coverage_from(fiscal_year, release_date, [(r["month"], r["adp"]) for r in national], ytd)


def drop_placeholders(rows: dict[str, list[dict]], fiscal_year: int, last_month: dt.date) -> int:
    """Null the monthly figures of months after ``last_month`` (ICE prints 0 for months it has
    not reported yet: they are not data). Year-to-date columns stay. Returns the cells nulled."""
    nulled = 0
    for section in MONTHLY_SECTIONS:
        for row in rows.get(section, []):
            if row.get("fiscal_year") != fiscal_year or row.get("month") is None \
                    or row["month"] <= last_month:
                continue
            for key, value in row.items():
                if isinstance(value, float) and not key.endswith("_fy_to_date"):
                    row[key] = None
                    nulled += 1
    return nulled
