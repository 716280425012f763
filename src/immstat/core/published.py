"""ICE's published national totals per fiscal year, read once from the bundled reference table
``data/reference/ice-annual-arrests-removals.csv`` (ERO annual reports FY2016–FY2020, ICE Annual
Reports FY2021–FY2024; see DATA_LICENSES). Used to calibrate synthetic data and to say how much
of a published total a partial published table covers."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from immstat.core.reference import read_csv_rows

Measure = Literal["arrests", "removals"]
_COLUMNS = {"arrests": "ero_administrative_arrests", "removals": "removals"}
SOURCE = "ICE annual reports (ImmStat reference table ice-annual-arrests-removals.csv)"


@lru_cache(maxsize=2)
def annual_totals(measure: Measure) -> dict[int, int]:
    """Fiscal year → national total ICE published (ERO administrative arrests or removals)."""
    rows = read_csv_rows("reference", "ice-annual-arrests-removals.csv")
    return {int(r["fiscal_year"]): int(r[_COLUMNS[measure]]) for r in rows if r[_COLUMNS[measure]]}
