"""The capacity model: Little's law and the approach to a new steady state. Pure arithmetic.

Little's law, L = λ·W, holds for any stable queue: the average number in the system (L, people
detained on an average day = ADP = beds in use) equals the arrival rate (λ, book-ins per day)
times the average time in the system (W, average length of stay). Two admission streams are
kept apart because their stays differ: people arrested by ICE (λ = arrests/day × share booked
in) and people arrested by CBP and booked into ICE detention.

Approach to a new steady state: modelled as an M/M/∞ queue (Poisson arrivals, exponential stays),
for which L(t) = L₁ + (L₀ − L₁)·e^(−t/W) after arrivals step from λ₀ to λ₁ — so ``ln(10)·W`` days
close 90% of the gap. With less variable stays the approach is faster (fixed stays: exactly W);
with heavier-tailed stays the last part is slower.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Stream:
    """An admission stream: people booked in per day and their average stay in days."""

    admissions_per_day: float
    alos_days: float

    @property
    def beds(self) -> float:
        """L = λ·W."""
        return self.admissions_per_day * self.alos_days


def beds_needed(streams: list[Stream]) -> float:
    """Average daily population (beds in use) at steady state: Σ λᵢ·Wᵢ."""
    return sum(s.beds for s in streams)


def mean_stay(streams: list[Stream]) -> float:
    """Admission-weighted average stay of the combined stream: L / λ."""
    rate = sum(s.admissions_per_day for s in streams)
    return beds_needed(streams) / rate if rate else 0.0


def arrests_for_beds(beds: float, share_booked: float, alos: float, other_beds: float) -> float:
    """ICE arrests per day that would fill ``beds`` given the other stream's beds."""
    return max(beds - other_beds, 0.0) / (share_booked * alos)


def arrests_for_removals(removals_per_year: float, removals_per_book_in: float, share_booked: float,
                         other_admissions_per_day: float) -> float:
    """ICE arrests per day needed for ``removals_per_year``, if removals keep their historical
    ratio to detention book-ins and the other stream stays as it is."""
    book_ins_needed = removals_per_year / 365.0 / removals_per_book_in
    return max(book_ins_needed - other_admissions_per_day, 0.0) / share_booked


def approach(l0: float, l1: float, alos: float, t: float) -> float:
    """Population ``t`` days after arrivals change (M/M/∞ exponential approach)."""
    return l1 + (l0 - l1) * math.exp(-t / alos)


def days_to_fraction(alos: float, fraction: float = 0.9) -> float:
    """Days until ``fraction`` of the gap to the new steady state is closed: −W·ln(1 − f)."""
    return -alos * math.log(1.0 - fraction)


def trajectory(l0: float, l1: float, alos: float, step_days: int = 7, spans: float = 4.0) -> list[dict]:
    """Points (day, population) of the approach for ``spans`` × ALOS days."""
    end = int(math.ceil(spans * alos))
    return [{"day": d, "population": approach(l0, l1, alos, d)} for d in range(0, end + 1, step_days)]
