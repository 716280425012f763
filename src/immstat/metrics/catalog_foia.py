"""Metrics over the other record-level FOIA tables (removals, detainers, ICE encounters,
detention book-ins) and the linkage metrics that follow one anonymised person across them.

Linkage uses ``person_key``, which is salted per release, so records link only within one FOIA
release (releases re-key their identifiers). Every linkage metric is aggregate-only and
suppressed like any record-derived metric; ``person_key`` never leaves the engine.
"""

from __future__ import annotations

import ibis
from ibis.expr.types import Table

from immstat.metrics.lattice import Family, Lattice
from immstat.metrics.measures import Count, Median, Share
from immstat.metrics.registry import (
    ARREST_DIMS,
    ARRESTS,
    CORE,
    SMALL_LATTICE,
    Metric,
    register,
    with_prior_count,
)

PERSON_DIMS = ("criminality", "citizenship", "gender")
BOOKED_WITHIN_DAYS = 3  # an arrest "leads to" detention when the person is booked in within 3 days
DETAINER_ARREST_DAYS = 90


def _first_after(t: Table, other: Table, date_col: str, other_date: str, name: str,
                 within_days: int | None = None) -> Table:
    """Add ``name``: the first ``other_date`` of the same person on or after ``t[date_col]``."""
    o = other.select(_pk=other.person_key, _d=other[other_date].cast("date")).filter(
        lambda s: s._pk.notnull() & s._d.notnull())
    start = t[date_col].cast("date")
    cond = (t.person_key == o._pk) & (o._d >= start)
    if within_days is not None:
        cond &= o._d <= start + ibis.interval(days=within_days)
    joined = t.select("event_id", "person_key", date_col).join(o, cond)  # matches only: small
    first = joined.group_by("event_id").aggregate(**{name: joined._d.min()})
    return t.left_join(first, "event_id").select(t, first[name])


def _with_removal(t: Table, backend) -> Table:
    t = _first_after(t, backend.table("removals"), "apprehension_date", "departed_date", "removed_on")
    days = t.removed_on.delta(t.apprehension_date.cast("date"), unit="day")
    last = t.apprehension_date.cast("date").max().over(ibis.window())
    return t.mutate(days_to_removal=days, days_observed=last.delta(t.apprehension_date.cast("date"),
                                                                   unit="day"))


def _with_booking(t: Table, backend) -> Table:
    return _first_after(t, backend.table("detention_stints"), "apprehension_date", "book_in_date",
                        "booked_on", BOOKED_WITHIN_DAYS)


def _with_followup_arrest(t: Table, backend) -> Table:
    return _first_after(t, backend.table("arrests"), "detainer_prepare_date", "apprehension_date",
                        "arrested_on", DETAINER_ARREST_DAYS)


def _initial_book_ins(t: Table, _backend) -> Table:
    """A stay's first stint is its book-in; later stints in the stay are transfers."""
    first = t.book_in_date.cast("date") == t.stay_book_in_date.cast("date")
    return t.filter(first | t.stay_book_in_date.isnull())


def _removed_within(days: int) -> Share:
    return Share(lambda t: t.days_to_removal <= days, among=lambda t: t.days_observed >= days,
                 observe_days=days)


REMOVAL_DIMS = ("aor", "state", "criminality", "program", "citizenship", "gender")
DETAINER_DIMS = ("aor", "state", "facility", "criminality", "program", "method", "citizenship",
                 "gender")
BOOKIN_DIMS = ("aor", "facility", "criminality", "program", "citizenship", "gender",
               "release_reason")
ENCOUNTER_DIMS = ("aor", "criminality", "program", "citizenship", "gender")


def _family(name: str, table: str, date_column: str, dims: tuple[str, ...], derive=None) -> Family:
    """A record family: national by day, office × criminality by month, every other
    dimension alone by month (facility and county: month or coarser)."""
    singles = tuple(((d,), "month") for d in dims if d not in ("aor", "criminality", "state"))
    state = ((("state",), "month"),) if "state" in dims else ()
    lattice = Lattice((((), "day"), (("aor", "criminality"), "month"),
                       *state, *singles), CORE)
    return Family(name, table, date_column, lattice, derive)


REMOVALS = _family("removals", "removals", "removal_date", REMOVAL_DIMS)
DETAINERS = _family("detainers", "detainers", "detainer_prepare_date", DETAINER_DIMS)
ENCOUNTERS = _family("encounters", "encounters", "encounter_date", ENCOUNTER_DIMS)
BOOK_INS = _family("book_ins", "detention_stints", "book_in_date", BOOKIN_DIMS, _initial_book_ins)

register(
    Metric("removals", "ICE removals (FOIA records)",
           "Removals and returns in the ICE FOIA removals tables, counted in the fiscal year of "
           "the removal date (the departure date where a release has no separate removal date), "
           "as ICE counts them. Not the published ERO statistics (ero_stats_removals).", "removals",
           "removals", Count(), "removal_date", REMOVAL_DIMS, family=REMOVALS),
    Metric("detainers", "ICE detainers issued",
           "Detainers (immigration holds) ICE lodged with jails and prisons, dated when prepared.",
           "detainers", "detainers", Count(), "detainer_prepare_date", DETAINER_DIMS,
           family=DETAINERS),
    Metric("encounters_ice", "ICE encounters", "ICE ERO encounters (not CBP border encounters).",
           "encounters", "encounters", Count(), "encounter_date", ENCOUNTER_DIMS,
           family=ENCOUNTERS),
    Metric("book_ins", "Book-ins into ICE detention (record level)",
           "Initial book-ins of detention stays (transfers between facilities not counted).",
           "book-ins", "detention_stints", Count(), "book_in_date", BOOKIN_DIMS,
           derive=_initial_book_ins, topic="detention", family=BOOK_INS),
    Metric("share_booked", "Share of arrests booked into detention",
           f"Share of arrests whose person was booked into ICE detention within "
           f"{BOOKED_WITHIN_DAYS} days (same release).", "share", "arrests",
           Share(lambda t: t.booked_on.notnull()), "apprehension_date", ARREST_DIMS,
           derive=_with_booking, topic="linkage", family=ARRESTS, lattice=SMALL_LATTICE),
    Metric("median_days_to_removal", "Median days from arrest to removal",
           "Median days between an arrest and the person's next removal, among arrests followed by "
           "a removal in the same release.", "days", "arrests",
           Median(lambda t: t.days_to_removal, among=lambda t: t.removed_on.notnull()),
           "apprehension_date", ARREST_DIMS, derive=_with_removal, topic="linkage", family=ARRESTS,
           lattice=SMALL_LATTICE),
    *[Metric(f"removed_within_{d}d", f"Share of arrests removed within {d} days",
             f"Share of arrests followed by the person's removal within {d} days, among arrests "
             f"at least {d} days before the last arrest date in the data (so all could be).",
             "share", "arrests", _removed_within(d), "apprehension_date", ARREST_DIMS,
             derive=_with_removal, topic="linkage", mappable=False, family=ARRESTS,
             lattice=SMALL_LATTICE) for d in (30, 90, 365)],
    Metric("detainer_arrest_share", "Share of detainers followed by an ICE arrest",
           f"Share of detainers whose person ICE arrested within {DETAINER_ARREST_DAYS} days of "
           "the detainer (a proxy for a detainer honoured or acted on; the FOIA data do not record "
           "whether the jail honoured it).", "share", "detainers",
           Share(lambda t: t.arrested_on.notnull()), "detainer_prepare_date", DETAINER_DIMS,
           derive=_with_followup_arrest, topic="linkage", family=DETAINERS,
           lattice=Lattice(((("aor",), "month"),), CORE)),
    Metric("repeat_encounter_share", "Share of ICE encounters that are repeat encounters",
           "Share of ICE encounters whose person had an earlier encounter in the same release.",
           "share", "encounters", Share(lambda t: t.prior_encounters > 0), "encounter_date",
           ENCOUNTER_DIMS, derive=lambda t, _: with_prior_count(t, "encounter_date", "prior_encounters"),
           topic="linkage", mappable=False, family=ENCOUNTERS, lattice=Lattice(((("aor",), "month"),), CORE)),
)
