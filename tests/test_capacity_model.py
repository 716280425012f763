"""Little's law and the approach to steady state, checked on simulated streams where the truth is known."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from immstat.analysis.capacity import model


def simulate(rate: float, mean_stay: float, days: int, seed: int, stays: str = "exp") -> np.ndarray:
    """Daily population of an M/G/∞ queue: Poisson arrivals per day, stays exponential or lognormal."""
    rng = np.random.default_rng(seed)
    arrivals = rng.poisson(rate, size=days)
    start = np.repeat(np.arange(days), arrivals) + rng.random(arrivals.sum())
    if stays == "exp":
        stay = rng.exponential(mean_stay, size=start.size)
    else:  # lognormal with the same mean (heavier tail)
        sigma = 1.0
        stay = rng.lognormal(math.log(mean_stay) - sigma ** 2 / 2, sigma, size=start.size)
    end = start + stay
    grid = np.arange(days) + 0.5  # population at mid-day
    return np.searchsorted(np.sort(start), grid) - np.searchsorted(np.sort(end), grid)


@pytest.mark.parametrize("stays", ["exp", "lognormal"])
def test_littles_law_holds_on_a_simulated_stream(stays):
    rate, stay, days = 400.0, 40.0, 2000
    population = simulate(rate, stay, days, seed=7, stays=stays)
    steady = population[500:].mean()  # after ~12 mean stays
    truth = model.beds_needed([model.Stream(rate, stay)])
    assert truth == rate * stay
    assert steady == pytest.approx(truth, rel=0.03)


def test_two_streams_add_and_mean_stay_is_admission_weighted():
    streams = [model.Stream(300, 45), model.Stream(100, 90)]
    assert model.beds_needed(streams) == 300 * 45 + 100 * 90
    assert model.mean_stay(streams) == pytest.approx((300 * 45 + 100 * 90) / 400)
    days = 3000
    a = simulate(300, 45, days, 1)
    b = simulate(100, 90, days, 2)
    assert (a + b)[800:].mean() == pytest.approx(model.beds_needed(streams), rel=0.03)


def test_steady_state_approach_matches_simulation():
    """Arrivals step from 200/day to 500/day: the simulated population follows L1+(L0−L1)e^(−t/W)."""
    stay, days, step = 30.0, 900, 450
    rng = np.random.default_rng(3)
    arrivals = np.concatenate([rng.poisson(200, step), rng.poisson(500, days - step)])
    start = np.repeat(np.arange(days), arrivals) + rng.random(arrivals.sum())
    end = start + rng.exponential(stay, start.size)
    grid = np.arange(days) + 0.5
    pop = np.searchsorted(np.sort(start), grid) - np.searchsorted(np.sort(end), grid)
    l0, l1 = 200 * stay, 500 * stay
    for t in (10, 30, 69, 120):
        expected = model.approach(l0, l1, stay, t)
        assert pop[step + t] == pytest.approx(expected, rel=0.04)
    t90 = model.days_to_fraction(stay, 0.9)
    assert t90 == pytest.approx(stay * math.log(10))
    crossed = step + np.argmax(pop[step:] >= l0 + 0.9 * (l1 - l0))
    assert abs((crossed - step) - t90) < 0.25 * t90


@settings(max_examples=60, deadline=None)
@given(beds=st.floats(1_000, 500_000), share=st.floats(0.05, 1.0), alos=st.floats(1, 200),
       other=st.floats(0, 50_000))
def test_arrests_for_beds_inverts_beds_needed(beds, share, alos, other):
    n = model.arrests_for_beds(beds, share, alos, other)
    used = model.beds_needed([model.Stream(n * share, alos)]) + other
    assert used == pytest.approx(max(beds, other), rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(removals=st.floats(10_000, 3_000_000), ratio=st.floats(0.2, 2.0), share=st.floats(0.05, 1.0),
       other=st.floats(0, 500))
def test_arrests_for_removals_inverts_removal_rate(removals, ratio, share, other):
    n = model.arrests_for_removals(removals, ratio, share, other)
    implied = ratio * (n * share + other) * 365
    assert implied == pytest.approx(max(removals, ratio * other * 365), rel=1e-9)


def test_trajectory_starts_at_l0_and_tends_to_l1():
    points = model.trajectory(60_000, 120_000, 45)
    assert points[0] == {"day": 0, "population": 60_000}
    assert points[-1]["population"] == pytest.approx(120_000, rel=0.02)
    assert all(a["population"] < b["population"] for a, b in zip(points, points[1:]))
