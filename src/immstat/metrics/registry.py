"""The metric registry: every number ImmStat publishes is declared here, once.

Adding a metric is a few declarative lines: a name, words for people, the source table, a
measure, the date column, the dimensions it allows, and whether it is record-derived (suppressed)
or a published aggregate (shown as published). Other modules register theirs with
:func:`register` (see ``metrics/catalog_*.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import ibis

from immstat.core.errors import UnknownName
from immstat.core.published import Measure as PublishedMeasure
from immstat.metrics.lattice import Family, Lattice
from immstat.metrics.measures import (
    CategoryShare,
    Count,
    CountDistinct,
    DailyMean,
    Measure,
    PerDay,
    Share,
    Sum,
)

if TYPE_CHECKING:
    from immstat.metrics.snapshots import Snapshots

ARREST_DIMS = ("aor", "state", "criminality", "method", "program", "arresting_agency",
               "citizenship", "gender")
CORE = ("aor", "criminality")  # blanks here keep a record in national totals only (lattice.py)
# Shares and non-additive measures (persons, medians): national, by office, by state, by
# criminality — each cell released with (and only with) the family's count cell of the same key.
SMALL_LATTICE = Lattice(((("aor",), "month"), (("state",), "fy"), (("criminality",), "fy")), CORE)
# No county tables: most county-months (and many county-years) of record-level arrests hold
# fewer than 11 records, and a county cell is tied to its state and office through the public
# geography, so protecting them would hide far more than it shows. County maps use published data.
ARRESTS = Family("arrests", "arrests", "apprehension_date", Lattice((
    ((), "day"), (("aor",), "month"),
    (("aor", "criminality"), "month"),
    (("aor", "method"), "fy"), (("aor", "program"), "fy"), (("aor", "gender"), "fy"),
    *(((d,), "month") for d in ("state", "method", "program", "arresting_agency", "citizenship",
                                "gender")),
), CORE))


# Said wherever both detention-population measures appear (a metric-level note of each).
POPULATION_GAP = (
    "Two measures of the detained population: the Deportation Data Project's facility data (adp, "
    "detained_population) count everyone held at a facility at any time during a day, so they "
    "run 2–3% above ICE's own published average daily population (detention_stats_adp), which "
    "ICE computes from its own daily count. They measure different things; neither is a "
    "correction of the other.")


@dataclass(frozen=True)
class Lookup:
    """Left-join a reference table to add dimension columns (e.g. facility → AOR, state, type).
    A column given as ``(name, alias)`` is renamed on the way in."""

    table: str
    on: str
    columns: tuple[str | tuple[str, str], ...]

    def renames(self) -> dict[str, str]:
        return dict(c if isinstance(c, tuple) else (c, c) for c in self.columns)


@dataclass(frozen=True)
class Coverage:
    """A published table that omits rows: which of ICE's published annual totals its national
    fiscal-year sums are compared with (see ``metrics/coverage.py``)."""

    published: PublishedMeasure | None  # None: ICE publishes no annual total for it
    noun: str  # 'arrests', 'removals', …
    why: str  # why its sums fall short


@dataclass(frozen=True)
class Metric:
    name: str
    title: str
    description: str
    unit: str
    table: str
    measure: Measure
    date_column: str
    dimensions: tuple[str, ...]
    record_derived: bool = True
    lookups: tuple[Lookup, ...] = ()
    release_filter: str | None = None  # 'latest' → published tables with several releases
    derive: Callable | None = None  # (table, backend) → table: rows/columns before any filter
    snapshots: Snapshots | None = None  # a stock published as dated snapshots (never summed)
    mappable: bool = True
    topic: str = "enforcement"
    notes: tuple[str, ...] = field(default_factory=tuple)
    family: Family | None = None  # record-derived: the protected family it is released in
    lattice: Lattice | None = None  # own released tables (shares, persons, medians)

    @property
    def released_lattice(self) -> Lattice | None:
        """The tables this metric can be read from (None: published, not released)."""
        if self.family is None:
            return None
        if self.lattice is not None:
            return self.lattice
        if isinstance(self.measure, CategoryShare):
            finest = self.family.lattice.finest()
            return Lattice(tuple((tuple(d for d in dims if d != self.measure.dim), g)
                                 for dims, g in finest.items() if self.measure.dim in dims),
                           self.family.lattice.core)
        return self.family.lattice
    coverage: Coverage | None = None  # published tables omitting rows: compare with ICE's totals
    source_kinds: tuple[str, ...] = ()  # when several sources share its table: the ones it reads

    def to_dict(self) -> dict:
        return {
            "name": self.name, "title": self.title, "description": self.description,
            "unit": self.unit, "table": self.table, "measure": self.measure.kind,
            "date_column": self.date_column, "dimensions": list(self.dimensions),
            "record_derived": self.record_derived, "suppressed": self.record_derived,
            "topic": self.topic, "notes": list(self.notes),
            "lattice": self.released_lattice.describe() if self.released_lattice else None,
        }


METRICS: dict[str, Metric] = {}


def register(*metrics: Metric) -> None:
    for metric in metrics:
        if metric.name in METRICS:
            raise ValueError(f"metric {metric.name!r} registered twice")
        METRICS[metric.name] = metric


def get_metric(name: str) -> Metric:
    _load_catalogs()
    try:
        return METRICS[name]
    except KeyError:
        raise UnknownName("metric", name, METRICS) from None


def all_metrics() -> list[Metric]:
    _load_catalogs()
    return list(METRICS.values())


def _load_catalogs() -> None:
    from immstat.metrics import catalog  # noqa: F401  (registers metrics on import)


def with_prior_count(t, date_col: str, name: str):
    """Add ``name``: how many earlier events the same person has (0 when the person is unknown)."""
    window = ibis.window(group_by=t.person_key, order_by=[t[date_col], t.event_id])
    earlier = ibis.row_number().over(window)
    return t.mutate(**{name: ibis.ifelse(t.person_key.isnull(), 0, earlier)})


FACILITY_LOOKUP = Lookup("facilities", "facility_code",
                         ("aor", "state", "county_fips", ("type", "facility_type")))

register(
    Metric("arrests", "ICE administrative arrests (FOIA records)",
           "Number of ICE ERO administrative arrests in the record-level FOIA releases (not the "
           "published ERO statistics: ero_stats_arrests).", "arrests",
           "arrests", Count(), "apprehension_date", ARREST_DIMS, family=ARRESTS),
    Metric("arrests_per_day", "ICE arrests per day",
           "Arrests divided by the calendar days of each period (up to the release's data-end "
           "date), the same days for every group.",
           "arrests/day", "arrests", PerDay(), "apprehension_date", ARREST_DIMS, family=ARRESTS),
    Metric("persons_arrested", "People arrested by ICE",
           "Distinct anonymised people arrested (linked within one FOIA release only).", "people",
           "arrests", CountDistinct("person_key"), "apprehension_date", ARREST_DIMS, mappable=False,
           family=ARRESTS, lattice=SMALL_LATTICE),
    Metric("rearrest_share", "Share of arrests that are re-arrests",
           "Share of arrests whose person had an earlier arrest in the same release.", "share",
           "arrests", Share(lambda t: t.prior_arrests > 0), "apprehension_date", ARREST_DIMS,
           mappable=False, derive=lambda t, _: with_prior_count(t, "apprehension_date", "prior_arrests"),
           family=ARRESTS, lattice=SMALL_LATTICE),
    Metric("final_order_share", "Share of arrested people with a final order",
           "Share of arrests (where the field is filled) of people with a final order of removal.",
           "share", "arrests", Share(lambda t: t.final_order, among=lambda t: t.final_order.notnull()),
           "apprehension_date", ARREST_DIMS, family=ARRESTS, lattice=SMALL_LATTICE),
    Metric("criminality_share", "Share with no criminal conviction or charge (the 'aperture')",
           "Share of arrests of people ICE classifies as 'other immigration violator': no criminal "
           "conviction and no pending charge.", "share", "arrests", CategoryShare("criminality", "other"),
           "apprehension_date", tuple(d for d in ARREST_DIMS if d != "criminality"), family=ARRESTS),
    Metric("facility_population", "Detained population per facility (daily)",
           "People detained per facility per day, as published by the Deportation Data Project from "
           "ICE detention records; averaged over the days of coarser periods.", "people",
           "facility_daily_population", DailyMean("n_detained"), "date",
           ("facility", "aor", "state", "facility_type"), record_derived=False,
           lookups=(FACILITY_LOOKUP,), topic="detention"),
    Metric("adp", "Average daily detained population (DDP facility data: anyone held in a day)",
           "Average over days of the number of people held in ICE detention at any time during "
           "each day, summed over facilities (Deportation Data Project facility data). Runs 2–3% "
           "above ICE's own published figure, detention_stats_adp.",
           "people", "facility_daily_population", DailyMean("n_detained"), "date",
           ("aor", "state", "facility_type"), record_derived=False, lookups=(FACILITY_LOOKUP,),
           topic="detention", notes=(POPULATION_GAP,)),
    Metric("detained_population", "People held in ICE detention during a day (DDP facility data)",
           "People held at any time during a day, summed over facilities (Deportation Data "
           "Project facility data); averaged over the days of longer periods (then equal to adp). "
           "Not ICE's published average daily population (detention_stats_adp).", "people",
           "facility_daily_population",
           DailyMean("n_detained"), "date", ("aor", "state", "facility_type"),
           record_derived=False, lookups=(FACILITY_LOOKUP,), topic="detention", mappable=False,
           notes=(POPULATION_GAP,)),
    Metric("detained_convicted", "Detained people with a criminal conviction (daily average)",
           "Average daily number of detained people ICE lists as convicted criminals.", "people",
           "facility_daily_population", DailyMean("n_detained_convicted_criminal"), "date",
           ("aor", "state", "facility_type", "facility"), record_derived=False,
           lookups=(FACILITY_LOOKUP,), topic="detention"),
    *[Metric(f"detained_{sex}", f"Detained {sex}s (daily average)",
             f"Average daily number of detained people ICE records as {sex}, per facility data.",
             "people", "facility_daily_population", DailyMean(f"n_detained_{sex}"), "date",
             ("aor", "state", "facility_type", "facility"), record_derived=False,
             lookups=(FACILITY_LOOKUP,), topic="detention", mappable=False)
      for sex in ("male", "female")],
    Metric("detained_total_days", "Detention days (published)",
           "Sum of daily detained population: person-days in detention.", "person-days",
           "facility_daily_population", Sum("n_detained"), "date",
           ("aor", "state", "facility_type", "facility"), record_derived=False,
           lookups=(FACILITY_LOOKUP,), topic="detention", mappable=False),
)
