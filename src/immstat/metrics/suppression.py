"""Disclosure control rules — stated once here (the methods page of reports quotes them) and
carried out by the protected release (``metrics/release``) and its views (``metrics/views.py``).

Every record-derived number is read from one protected release, computed once per ingest for a
declared lattice of tables per metric family (``metrics/lattice.py``; shown by ``immstat metrics``).

Primary suppression: a record-derived count of 1 … min_cell−1 (min_cell ≥ 11) is hidden; 0 is shown.

Certificates: every primary-suppressed cell carries one, checked exactly in whole numbers: another
table, different in that cell, that gives the same released cells in every table of the lattice
and keeps every hidden cell at 1 or more. So no combination of released cells determines it, even
knowing that counts are whole numbers and that hidden cells are not zero.

Complementary suppression: built certificate by certificate over every linked table of a family
(day → month → fiscal year → whole release, margins, share outcomes, blanks, and the never released
joint tables of two geographies): for each small cell, the cheapest certificate in records hidden,
found by a bounded search or a mixed-integer program (HiGHS); its cells are hidden.

Blanks: a record with a blank office or criminality counts only in national month, fiscal-year and
all-time totals; the difference ("incomplete records") is itself a protected cell.

Views: a filter selects released cells; several filter values or a longer window add released cells
up and are suppressed when any summand is; anything outside the lattice is refused.

Shares and per-day values are computed from released cells only, rounded, and suppressed with their
inputs; per-day values divide by calendar days up to the release's data-end date, the same for every
group; a share with an observation window is released only for periods observed that long.
Distinct persons and medians are released per cell only where the count cell is.
"""

from __future__ import annotations

import numpy as np

SHARE_DIGITS = 4  # shares are rounded to 0.01 percentage points
RATE_DIGITS = 2  # per-day values to 0.01


def primary(n, min_cell: int) -> np.ndarray:
    """Counts hidden on their own: 1 … min_cell − 1 (0 is shown)."""
    n = np.asarray(n, dtype="float64")
    return (n > 0) & (n < min_cell)
