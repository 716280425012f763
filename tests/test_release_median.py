"""Medians in the release are read off counts per (cell, value) — a grouped count spills to disk,
a median aggregate holds every value of a cell in memory — and must equal DuckDB's exact,
interpolated median cell by cell."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from immstat.metrics.release import median

RECORDS = st.lists(st.tuples(st.sampled_from(["HOU", "MIA", "SEA", None]), st.integers(1, 3),
                             st.one_of(st.integers(-5, 400), st.floats(-1e6, 1e6, width=32))),
                   max_size=60)


def _frame(records: list) -> pd.DataFrame:
    return pd.DataFrame(records, columns=["aor", "month", "_x"]).astype({"_x": "float64"})


def _duckdb(records: list, keys: list[str]) -> pd.DataFrame:
    con = duckdb.connect()
    con.register("frame", _frame(records))
    group = f"GROUP BY {', '.join(keys)}" if keys else ""
    cols = "".join(f"{k}, " for k in keys)
    return con.execute(f"SELECT {cols}median(_x) AS value, count(*) AS n FROM frame {group}").df()


def _ours(records: list, keys: list[str]) -> pd.DataFrame:
    counts = _frame(records).groupby([*keys, "_x"], dropna=False, as_index=False).size()
    return median.from_counts(counts.rename(columns={"size": "n"}), keys)


def _sorted(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    frame = frame[[*keys, "value", "n"]].astype({"n": "int64", "value": "float64"})
    for key in keys:  # an all-blank key column comes back as floats from pandas, text from DuckDB
        frame[key] = frame[key].astype(object).where(frame[key].notna(), None)
    return frame.sort_values(keys).reset_index(drop=True) if keys else frame


@settings(max_examples=200, deadline=None)
@given(records=RECORDS, keys=st.sampled_from([[], ["aor"], ["aor", "month"]]))
def test_the_median_from_counts_equals_duckdbs_median(records, keys):
    expected, got = _sorted(_duckdb(records, keys), keys), _sorted(_ours(records, keys), keys)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_an_even_count_takes_the_mean_of_the_two_middle_values():
    counts = pd.DataFrame({"aor": ["HOU", "HOU", "HOU", "MIA"], "_x": [3.0, 10.0, 20.0, 7.0],
                           "n": [2, 1, 1, 5]})
    got = median.from_counts(counts, ["aor"]).set_index("aor")
    assert got.loc["HOU", "value"] == 6.5 and got.loc["HOU", "n"] == 4  # 3, 3 | 10, 20
    assert got.loc["MIA", "value"] == 7.0 and got.loc["MIA", "n"] == 5
    national = median.from_counts(counts.iloc[:0], [])
    assert len(national) == 1 and np.isnan(national["value"].iat[0]) and national["n"].iat[0] == 0
