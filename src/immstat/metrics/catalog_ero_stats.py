"""Published metrics over ICE's ERO statistics workbook (table ``ero_stats``, one ``series`` per
sheet): arrests, initial book-ins ("detentions"), removals, ATD participants, Title 42 expulsions.

These are ICE's own published aggregates, shown as published (not suppressed). ICE leaves out
every row under 10, so national sums fall short of its annual totals: every result carries
``coverage`` (``metrics/coverage.py``). They are a different source family from the record-level
FOIA metrics (``arrests``, ``removals``) and are never added to them.
"""

from __future__ import annotations

from immstat.core.published import Measure
from immstat.metrics.measures import DailyMean, Sum
from immstat.metrics.registry import Coverage, Metric, register

SOURCE_NOTE = ("ICE ERO statistics workbook (ice.gov), FY2021 – FY2025 Q1 in the bundled copy; "
               "published figures, not suppressed.")
OMITTED = "ICE leaves out every row whose count is under 10, so sums fall short of its totals."
FLOWS = ("aor", "criminality", "citizenship")


def _series(name: str):
    return lambda t, _backend: t.filter(t.series == name)


def _flow(name: str, series: str, title: str, unit: str, dims: tuple[str, ...],
          published: Measure | None, description: str) -> Metric:
    return Metric(
        name, title, f"{description} {OMITTED}", unit, "ero_stats", Sum("value"), "month", dims,
        record_derived=False, derive=_series(series), topic="enforcement", mappable="aor" in dims,
        notes=(SOURCE_NOTE,), coverage=Coverage(published, unit, OMITTED))


register(
    _flow("ero_stats_arrests", "arrests", "ICE administrative arrests (ICE ERO statistics, published)",
          "arrests", FLOWS, "arrests",
          "ERO administrative arrests by field office, criminality and citizenship, monthly, as "
          "ICE publishes them."),
    _flow("ero_stats_detentions", "detentions",
          "Initial book-ins into ICE detention (ICE ERO statistics, published)", "book-ins",
          (*FLOWS, "arresting_agency"), None,
          "People booked into ICE detention (ICE's 'ICE Detentions' sheet: initial book-ins), by "
          "arresting agency (ICE or CBP), field office, criminality and citizenship."),
    _flow("ero_stats_removals", "removals", "ICE removals (ICE ERO statistics, published)",
          "removals", (*FLOWS, "arresting_agency"), "removals",
          "ICE removals by arresting agency, field office, criminality and citizenship, monthly."),
    _flow("ero_stats_t42_expulsions", "t42_individuals",
          "Title 42 expulsions by ICE (individuals; ICE ERO statistics, published)", "expulsions",
          ("citizenship",), None,
          "People ICE expelled under Title 42, by citizenship, monthly (FY2021 – FY2023)."),
    _flow("ero_stats_t42_flights", "t42_flights",
          "Title 42 expulsion flights (ICE ERO statistics, published)", "flights",
          ("citizenship",), None, "ICE Title 42 expulsion flights by destination country, monthly."),
    Metric("ero_stats_atd", "ATD participants (ICE ERO statistics, published monthly snapshot)",
           "People active in Alternatives to Detention at each month's snapshot, by field office, "
           "technology, legal stage and country of birth; longer periods average the monthly "
           f"snapshots. {OMITTED}", "participants", "ero_stats", DailyMean("value"), "month",
           ("aor", "technology", "legal_stage", "birth_country"), record_derived=False,
           derive=_series("atd"), topic="detention", notes=(SOURCE_NOTE,),
           coverage=Coverage(None, "participants", OMITTED)),
)
