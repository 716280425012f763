"""Utility of the protected release on synthetic arrests at real volume (the calibrated
generator: ICE's published FY2023 and FY2024 totals) with its realistic blank rates (blank
office, blank criminality, unknown values): what the dashboard's office × criminality × month
view loses to suppression.

Targets (issue 14): office × criminality × month for a fiscal year hides at most 2 % of records,
and no criminality category is suppressed in an office-month where it has 50 records or more.
The figures are printed (``pytest -s``) for the release notes.
"""

from __future__ import annotations

import pytest

from immstat import Warehouse
from immstat.sources import synth

FY = 2024  # 113,431 synthetic arrests: ICE's published FY2024 total (calibrated generator)


@pytest.fixture(scope="module")
def utility_wh(built):
    def build(folder):
        paths = synth.generate("arrests", rows=None, out=folder, fmt="parquet", seed=3,
                               fiscal_years=[2023, FY], scale=1.0)
        with Warehouse(folder / "utility.duckdb") as wh:
            wh.ingest(paths)  # builds the release

    wh = Warehouse(built("utility", build)[0] / "utility.duckdb")
    yield wh
    wh.close()


def _truth(wh, by: str) -> dict:
    """Records per released cell, from the records (the test knows the truth)."""
    rows = wh.cursor().execute(
        f"SELECT {by}, date_trunc('month', apprehension_date)::DATE, count(*) FROM arrests "
        "WHERE fiscal_year = ? AND nullif(trim(aor), '') IS NOT NULL "
        "AND nullif(trim(criminality), '') IS NOT NULL GROUP BY ALL", [FY]).fetchall()
    return {tuple(r[:-1]): r[-1] for r in rows}


def _hidden(result, truth: dict) -> tuple[int, int, int, int]:
    """(records hidden, records, cells hidden, cells) of a released table."""
    table = result.to_pandas()
    keys = [c for c in table.columns if c not in ("value", "suppressed")]
    hidden = table[table.suppressed]
    n_hidden = sum(truth.get(tuple(r), 0) for r in hidden[keys].itertuples(index=False))
    return n_hidden, sum(truth.values()), len(hidden), len(table)


def test_office_by_criminality_by_month_hides_at_most_two_percent(utility_wh):
    result = utility_wh.query("arrests", by=["aor", "criminality"], grain="month", fy=FY)
    truth = _truth(utility_wh, "aor, criminality")
    records_hidden, records, cells_hidden, cells = _hidden(result, truth)
    print(f"\naor × criminality × month FY{FY}: {records_hidden / records:.2%} of records hidden, "
          f"{cells_hidden}/{cells} cells ({cells_hidden / cells:.1%})")
    assert records_hidden / records <= 0.02
    big_hidden = [r for r in result.to_pandas().itertuples()
                  if r.suppressed and truth.get((r.aor, r.criminality, r.month), 0) >= 50]
    assert not big_hidden, f"categories with ≥ 50 records suppressed: {big_hidden[:5]}"


def test_office_by_month_and_the_manifest(utility_wh):
    result = utility_wh.query("arrests", by=["aor"], grain="month", fy=FY)
    records_hidden, records, cells_hidden, cells = _hidden(result, _truth(utility_wh, "aor"))
    print(f"aor × month FY{FY}: {records_hidden / records:.2%} of records hidden, "
          f"{cells_hidden}/{cells} cells")
    assert records_hidden / records <= 0.02
    stats = utility_wh.release_manifest()["families"]["arrests"]
    nonzero = stats["cells_nonzero"]
    suppressed = stats["primary"] + stats["complementary"]
    print(f"release: {stats['primary']} primary + {stats['complementary']} complementary of "
          f"{nonzero} nonzero cells ({suppressed / nonzero:.1%}); certificates "
          f"{stats['certificates']}")
    assert sum(stats["certificates"].values()) >= 1 and stats["primary"] >= 1
