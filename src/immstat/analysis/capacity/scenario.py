"""One what-if: ``capacity(wh, arrests_per_day=…)`` → beds, removals, time to steady state.

Inputs a user does not give come from real published data (:mod:`.defaults`); every output
carries the list of assumptions with their sources, and whether each was set by the user.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from immstat.analysis.capacity import model
from immstat.analysis.capacity.defaults import Assumption, detention_defaults
from immstat.core.errors import QueryError
from immstat.core.formats import SYNTHETIC

LIMITS = {"arrests_per_day": (0, 100_000), "alos": (0.5, 1000), "book_in_share": (0.0, 1.0),
          "beds": (1, 2_000_000), "removals_per_year": (1, 10_000_000),
          "other_admissions": (0, 100_000)}
APPROACH = ("Approach to the new steady state: M/M/∞ (Poisson arrivals, exponential stays), "
            "L(t) = L1 + (L0 − L1)·exp(−t/W) with W the admission-weighted stay; 90% of the change "
            "takes ln(10)·W days. Fixed stays would get there in W days; heavier tails take longer.")
REMOVALS = ("Removals keep their published ratio to detention book-ins, and follow arrests with a "
            "delay of about one ICE length of stay (removal happens at book-out).")


@dataclass
class CapacityResult:
    inputs: dict
    assumptions: list[Assumption]
    outputs: dict
    notes: list[str] = field(default_factory=list)
    synthetic: bool = False
    sources: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"inputs": self.inputs, "outputs": self.outputs, "synthetic": self.synthetic,
                "data": SYNTHETIC if self.synthetic else "real (published ICE detention statistics)",
                "assumptions": [a.to_dict() for a in self.assumptions], "notes": self.notes,
                "sources": self.sources}


def check(name: str, value: float | None) -> float | None:
    """Reject out-of-range inputs with a message that names the option and its range."""
    return None if value is None else in_range(name, value)


def in_range(name: str, value: float) -> float:
    """``value`` as a float, or a :class:`QueryError` naming the option and its range."""
    lo, hi = LIMITS[name]
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value) \
            or not lo <= value <= hi or (name == "book_in_share" and value == 0):
        option = "--" + name.replace("_", "-")
        raise QueryError(f"{option} {value!r} is out of range; give a number from {lo:g} to {hi:g}"
                         + (" (a share, e.g. 0.8)" if name == "book_in_share" else "") + ".")
    return float(value)


def capacity(wh, arrests_per_day: float, alos: float | None = None, beds: float | None = None,
             removals_per_year: float | None = None, book_in_share: float | None = None,
             other_admissions: float | None = None, as_of=None) -> CapacityResult:
    """Beds needed for ``arrests_per_day``; optional bed capacity and removals questions."""
    n = in_range("arrests_per_day", arrests_per_day)
    given = {"arrests_per_day": n, "alos": check("alos", alos),
             "beds": check("beds", beds), "removals_per_year": check("removals_per_year", removals_per_year),
             "book_in_share": check("book_in_share", book_in_share),
             "other_admissions": check("other_admissions", other_admissions)}
    defaults = detention_defaults(wh, as_of)
    a = defaults.assumptions
    for name in ("alos", "book_in_share", "other_admissions"):
        if given[name] is not None:
            a[name] = Assumption(name, given[name], a[name].unit, "set by the user", "", user_set=True)
    alos_days, share = _required(a, "alos"), _required(a, "book_in_share")
    other_rate = a["other_admissions"].value or 0.0
    other_alos = a["other_alos"].value or alos_days
    ice = model.Stream(n * share, alos_days)
    other = model.Stream(other_rate, other_alos)
    need = model.beds_needed([ice, other])
    stay = model.mean_stay([ice, other])
    current = a["current_adp"].value
    admissions = ice.admissions_per_day + other.admissions_per_day
    out: dict[str, object] = {
        "admissions_per_day": admissions, "ice_admissions_per_day": ice.admissions_per_day,
        "beds_needed": need, "beds_needed_ice_arrests": ice.beds, "beds_needed_other": other.beds,
        "mean_stay_days": stay, "current_adp": current}
    if current is not None and stay > 0:
        out["steady_state"] = {
            "from": current,
            "to": need,
            "days_to_90pct": model.days_to_fraction(stay, 0.9),
            "days_to_95pct": model.days_to_fraction(stay, 0.95),
            "trajectory": model.trajectory(current, need, stay),
        }
    b = given["beds"]
    if b is not None:
        out["beds"] = {
            "capacity": b,
            "utilisation": need / b,
            "shortfall": max(need - b, 0.0),
            "max_arrests_per_day": model.arrests_for_beds(b, share, ice.alos_days, other.beds),
        }
    target = given["removals_per_year"]
    ratio = _required(a, "removals_per_book_in") if target is not None else a["removals_per_book_in"].value
    if ratio is not None:
        out["removals_per_year_implied"] = ratio * admissions * 365
        if target is not None:
            needed = model.arrests_for_removals(target, ratio, share, other_rate)
            out["removals"] = {
                "target_per_year": target,
                "arrests_per_day_needed": needed,
                "delay_days": ice.alos_days,
                "beds_needed_at_that_pace": model.beds_needed(
                    [model.Stream(needed * share, ice.alos_days), other]
                ),
            }
    notes = [
        "Little's law L = λ·W (steady state): beds in use = admissions per day × average stay, "
        "summed over ICE-arrest admissions (arrests/day × share booked in) and CBP-arrest admissions.",
        APPROACH,
        REMOVALS,
    ]
    return CapacityResult(given, list(a.values()), out, notes, defaults.synthetic, defaults.sources)


def _required(a: dict[str, Assumption], name: str) -> float:
    """The value of assumption ``name``; a :class:`QueryError` saying how to supply it if none."""
    value = a[name].value
    if value is None:
        option = "--" + name.replace("_", "-")
        raise QueryError(
            f"No published data in this warehouse to default {option} from; ingest the "
            "ICE detentionStats workbooks (`immstat ingest FY25_detentionStats.xlsx`) "
            f"or pass {option}."
        )
    return value
