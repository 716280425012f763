"""Published metrics over the ICE detention-statistics tables (``detention_stats_*``).

The workbooks publish monthly figures plus a fiscal-year-to-date figure per row. A
:class:`Published` measure returns the published FY-to-date figure for a fiscal year (at
``grain="fy"``, or a whole-year window without a grain; exact as ICE printed it) and combines
monthly figures otherwise, weighted by the days they cover. Rows are either the ``Total`` series or its
parts (ICE- and CBP-arrested people): without a breakdown the ``Total`` rows are used, with
``--by arresting_agency`` the parts. Every release is kept; the newest per fiscal year (on or
before ``as_of``) is used.
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
from ibis.expr.types import Table

from immstat.core.calendar import FY_START_MONTH
from immstat.metrics.measures import Measure
from immstat.metrics.registry import POPULATION_GAP, Metric, register

TOTAL = "Total"
PART = "arresting_agency"


@dataclass(frozen=True)
class Published(Measure):
    """A published monthly figure (``column``) with its FY-to-date figure (``fy_column``).

    ``over_months`` says how figures combine into a longer cell: ``sum`` (counts) or
    ``day_mean`` (averages, e.g. ADP and ALOS: weighted by the days each month covers — a
    partial last month by its days up to the release's data end). ``fy_only``: ICE prints the
    figure per fiscal year only (removals), so it exists at fiscal-year grain only.
    """

    column: str
    fy_column: str
    over_months: str
    fy_only: bool = False
    parts_add: bool = True  # ICE- and CBP-arrested parts add up (counts, ADP); ALOS: they don't
    kind = "published"

    @property
    def additive(self) -> bool:  # type: ignore[override]
        """Monthly counts add up to the year's; averages (ADP, ALOS) do not."""
        return self.over_months == "sum"

    def prepare(self, t: Table, keys: list[str], date_col: str) -> Table:
        t = _total_or_parts(t, keys, date_col)
        fy_grain = "period" in keys and t.period.type().is_integer()
        value = self.fy_column if fy_grain else self.column
        unit = "fiscal_year" if fy_grain else date_col
        parts = [PART] if PART in t.columns and PART not in keys else []
        t = t.filter(t[value].notnull())
        if "_data_end" not in t.columns:  # no solved data end: each month counts whole
            t = t.mutate(_data_end=ibis.null("date"))
        per_part = t.group_by([*keys, unit, *parts]).aggregate(_v=t[value].max(), _e=t._data_end.max())
        combined = per_part._v.sum() if self.parts_add else per_part._v.mean()
        units = per_part.group_by([*keys, unit]).aggregate(_x=combined, _e=per_part._e.max())
        if fy_grain:
            return units.mutate(_d=ibis.literal(1.0))
        start = units[unit].cast("date")
        whole = (start + ibis.interval(months=1)).delta(start, unit="day")
        covered = units._e.cast("date").delta(start, unit="day") + 1
        days = ibis.greatest(ibis.least(whole, covered.fill_null(whole)), 0)
        return units.mutate(_d=days.cast("float64"))

    def aggregates(self, t: Table) -> dict:
        if self.over_months == "sum":
            value = t._x.sum()
        else:
            value = (t._x * t._d).sum() / t._d.sum()
        return {"value": value.cast("float64"), "n": t.count(), "days": t._d.sum().cast("float64")}

    def finish(self, frame):
        return frame


def _total_or_parts(t: Table, keys: list[str], date_col: str) -> Table:
    """The ``Total`` rows when not broken down by agency (unless filtered to parts), else parts."""
    if PART not in t.columns:
        return t
    is_total = t[PART] == TOTAL
    if PART in keys:
        return t.filter(~is_total)
    # window column first, then filter: Spark cannot resolve a window function inside a filter
    t = t.mutate(_has_total=is_total.any().over(ibis.window(group_by=[t[date_col]])))
    return t.filter((t[PART] == TOTAL) | ~t._has_total).drop("_has_total")


def _agency_totals(t: Table, _backend=None) -> Table:
    """Rows for all criminality classes combined; ``agency`` exposed as ``arresting_agency``."""
    if "criminality" in t.columns:
        t = t.filter(t.criminality == TOTAL).drop("criminality")
    return t.mutate(**{PART: t.agency})


def _fy_start(t: Table, _backend=None) -> Table:
    """Removals are published per fiscal year only: date each row by its FY's first day."""
    t = t.filter(t.category == TOTAL)
    return t.mutate(fy_start=ibis.date(t.fiscal_year - 1, FY_START_MONTH, 1))


SOURCE_NOTE = ("ICE detention statistics (ice.gov/detain/detention-management), newest release "
               "per fiscal year; published figures, not suppressed.")

register(
    Metric("detention_stats_adp",
           "Average daily detained population, as ICE publishes it (ICE detention statistics)",
           "ICE's own count of people in its detention on an average day, as ICE publishes it in "
           "its detention statistics: by month, and for a fiscal year (or the year to date) ICE's "
           "printed fiscal-year figure. Other windows: monthly figures weighted by the days each "
           "covers. Not the same as adp / detained_population (DDP facility data).", "people",
           "detention_stats_adp", Published("adp", "adp_fy_to_date", "day_mean"), "month", (PART,),
           record_derived=False, release_filter="latest", derive=_agency_totals, mappable=False,
           topic="detention", notes=(SOURCE_NOTE, POPULATION_GAP)),
    Metric("detention_stats_alos", "Average length of stay in ICE detention (published)",
           "Average days in detention of people booked out, as ICE publishes it. For a fiscal year "
           "(or the year to date): ICE's printed fiscal-year figure. Other windows: monthly figures "
           "weighted by the days each covers (ICE weights by book-outs, which it does not print per "
           "month and agency).", "days",
           "detention_stats_alos", Published("alos_days", "alos_days_fy_to_date", "day_mean",
                                                   parts_add=False), "month",
           (PART,), record_derived=False, release_filter="latest", derive=_agency_totals,
           mappable=False, topic="detention", notes=(SOURCE_NOTE,)),
    Metric("detention_stats_book_ins", "Initial book-ins into ICE detention (published)",
           "People booked into ICE detention, by the agency that arrested them.", "book-ins",
           "detention_stats_book_ins", Published("book_ins", "book_ins_fy_to_date", "sum"), "month",
           (PART,), record_derived=False, release_filter="latest", derive=_agency_totals,
           mappable=False, topic="detention", notes=(SOURCE_NOTE,)),
    Metric("detention_stats_removals", "ICE removals (published, fiscal year)",
           "ICE removals as printed in the detention statistics; fiscal-year totals only (to date "
           "in a year's releases before it ends).", "removals", "detention_stats_removals",
           Published("removals", "removals", "sum", fy_only=True), "fy_start", (), record_derived=False,
           release_filter="latest", derive=_fy_start, mappable=False, topic="enforcement",
           notes=(SOURCE_NOTE,)),
)
