"""Projection of a daily count series with an honest uncertainty band.

Model: **weekly naive level + moving-block bootstrap**. Daily counts are summed into complete
weeks (which removes the day-of-week pattern); the forecast level is the mean of the last
``LEVEL_WEEKS`` weeks; the band comes from resampling blocks of ``BLOCK_WEEKS`` consecutive
one-step-ahead errors of that same forecast over the history (blocks keep their autocorrelation).

Why: the windows since a target was stated are short (weeks to months), too short to estimate an
annual seasonal pattern or a trend without over-fitting; a naive level is the standard baseline
that is hard to beat at these horizons. Limits: it assumes the future resembles the recent weeks —
no trend, no policy change, no annual seasonality — so the band shows ordinary week-to-week
variation only and is too narrow when the regime shifts.
"""

from __future__ import annotations

import math

import numpy as np

LEVEL_WEEKS = 4
BLOCK_WEEKS = 4
MIN_WEEKS = 8
N_PATHS = 2000
BAND = (10, 90)
MODEL = (f"weekly naive level (mean of the last {LEVEL_WEEKS} complete weeks) with a "
         f"{BAND[0]}-{BAND[1]}% band from a moving-block bootstrap (blocks of {BLOCK_WEEKS} weeks) "
         "of its one-step-ahead errors")
LIMITS = ("Assumes the coming weeks resemble the recent ones: no trend, no policy change and no "
          "annual seasonality are modelled, so the band reflects ordinary week-to-week variation "
          "only.")


def weekly_totals(daily: np.ndarray) -> np.ndarray:
    """Totals of complete 7-day blocks, aligned to the END of the series (latest week complete)."""
    daily = np.asarray(daily, dtype=float)
    n = len(daily) // 7
    return daily[len(daily) - 7 * n:].reshape(n, 7).sum(axis=1) if n else np.array([])


def one_step_errors(weeks: np.ndarray, k: int = LEVEL_WEEKS) -> np.ndarray:
    """y_w − mean(y_{w−k} … y_{w−1}) for every week with k weeks before it."""
    return np.array([weeks[i] - weeks[i - k:i].mean() for i in range(k, len(weeks))])


def project(daily, horizon_days: int, seed: int = 0) -> dict | None:
    """Project ``horizon_days`` ahead; None when the history is shorter than ``MIN_WEEKS`` weeks.

    Returns the per-day level, the projected total over the horizon with its band, and the
    bootstrap totals (``paths``, one per simulated future) for probability statements.
    """
    weeks = weekly_totals(daily)
    if len(weeks) < MIN_WEEKS or horizon_days <= 0:
        return None
    level = float(weeks[-LEVEL_WEEKS:].mean())
    errors = one_step_errors(weeks)
    n_weeks = math.ceil(horizon_days / 7)
    rng = np.random.default_rng(seed)
    block = min(BLOCK_WEEKS, len(errors))
    starts = rng.integers(0, len(errors) - block + 1, size=(N_PATHS, math.ceil(n_weeks / block)))
    idx = (starts[:, :, None] + np.arange(block)).reshape(N_PATHS, -1)[:, :n_weeks]
    future = np.clip(level + errors[idx], 0.0, None)
    future[:, -1] *= (horizon_days - 7 * (n_weeks - 1)) / 7  # last week may be partial
    totals = future.sum(axis=1)
    low, high = np.percentile(totals, BAND)
    return {"model": MODEL, "limits": LIMITS, "history_weeks": int(len(weeks)),
            "horizon_days": int(horizon_days), "level_per_day": level / 7,
            "total": level / 7 * horizon_days, "total_low": float(low), "total_high": float(high),
            "per_day_low": float(low) / horizon_days, "per_day_high": float(high) / horizon_days,
            "paths": totals}
