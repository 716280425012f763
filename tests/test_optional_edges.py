"""Edges the type checker found: inputs that used to end in a TypeError now get an answer."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builders import load_arrest_rows
from immstat import Warehouse
from immstat.analysis.capacity.scenario import LIMITS, check, in_range
from immstat.analysis.claims.dates import latest_month, parse_month_day
from immstat.analysis.targets import pace
from immstat.analysis.targets.schema import parse_entry
from immstat.core.errors import QueryError

DOC = dt.date(2025, 6, 30)
START = dt.date(2025, 1, 6)
DAYS, PER_DAY = 30, 20  # 20 a day: above the suppression threshold


@pytest.mark.parametrize("text", ["Someday 12, 2025", "Monday 3", "Xyz 1"])
def test_a_word_that_is_no_month_is_no_date(text):
    assert parse_month_day(text, DOC) is None


def test_a_month_name_that_is_no_month():
    assert latest_month("Smarch", DOC) is None and latest_month("Smarch", DOC, "2024") is None
    assert latest_month("March", DOC) == (dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    assert parse_month_day("Jan. 21, 2025", None) == dt.date(2025, 1, 21)


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6)))
def test_capacity_inputs_in_range_pass_unchanged_and_others_are_query_errors(value):
    lo, hi = LIMITS["alos"]
    if math.isnan(value) or not lo <= value <= hi:
        with pytest.raises(QueryError, match=r"--alos .* out of range"):
            check("alos", value)
    else:
        assert check("alos", value) == in_range("alos", value) == float(value)


def test_missing_arrests_per_day_is_a_query_error():
    assert check("arrests_per_day", None) is None  # optional inputs may be absent
    with pytest.raises(QueryError, match="--arrests-per-day None is out of range"):
        in_range("arrests_per_day", None)  # a caller that skipped the required input


def test_open_ended_annual_target_is_measured_at_its_daily_rate(tmp_path):
    path = tmp_path / "open.duckdb"
    rows = [{"apprehension_date": START + dt.timedelta(days=i), "aor": "ATL", "state": "GA",
             "method": "CAP", "criminality": "other"} for i in range(DAYS) for _ in range(PER_DAY)]
    with Warehouse(path) as wh:
        load_arrest_rows(wh, rows, synthetic=True)
        wh.release()
    entry = {"id": "open-annual", "title": "test", "announced": "2025-01", "stated_by": "test",
             "confidence": "high", "source": {"publication": "test", "summary": "test"},
             "number": 36500, "unit": "removals/year", "scope": "national", "metric": "arrests",
             "period": {"start": START.isoformat(), "end": "open"}}
    with Warehouse(path, read_only=True) as wh:
        result = pace(wh, [parse_entry(entry, 1)], as_of=DOC.isoformat())[0].to_dict()
    assert result["status"] == "synthetic" and result["data"] == "SYNTHETIC"  # never called "ok"
    assert result["cumulative"]["actual"] == DAYS * PER_DAY
    assert result["cumulative"]["target_to_date"] == pytest.approx(36500 / 365 * DAYS)
    assert result["required"] is None and result["projection"] is None
