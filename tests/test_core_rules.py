"""The rules written once in ``immstat.core``: calendar, scalar parsers, formats, citations.

Property tests check each rule against an independent statement of it (the DuckDB macro against
the Python function, a date against its own ISO text, a number against its formatted text), and
hostile inputs check that the parsers refuse with typed errors instead of guessing.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from immstat.core import calendar as cal
from immstat.core.errors import ConfigError, QueryError
from immstat.core.formats import (
    SYNTHETIC,
    SYNTHETIC_NOTE,
    day_label,
    fmt_change,
    fmt_value,
    fy_label,
    month_label,
)
from immstat.core.parse import NotANumber, date_in_text, parse_date, parse_number, parse_where
from immstat.core.provenance import SourceRef, cite

DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31))


# ------------------------------------------------------------------ calendar
@given(DAYS)
def test_fiscal_year_contains_its_days(day):
    start, end = cal.fy_bounds(cal.fiscal_year(day))
    assert start <= day <= end and start.month == 10 and start.day == 1
    assert (end - start).days + 1 == cal.fy_days(cal.fiscal_year(day))
    assert cal.fy_months(cal.fiscal_year(day))[cal.fiscal_month(day) - 1] == cal.month_start(day)


@given(DAYS, st.sampled_from(cal.GRAINS))
def test_period_span_holds_the_day_and_tiles_the_calendar(day, grain):
    period = cal.period_of(day, grain)
    first, last = cal.period_span(period, grain)
    assert first <= day <= last
    after = last + dt.timedelta(days=1)
    assert cal.period_span(cal.period_of(after, grain), grain)[0] == after  # next cell starts there


@given(DAYS)
def test_months_and_weeks(day):
    end = cal.month_end(day)
    assert end.month == day.month and (end + dt.timedelta(days=1)).day == 1
    assert cal.next_month(day) == end + dt.timedelta(days=1)
    assert cal.week_start(day).weekday() == 0 and 0 <= (day - cal.week_start(day)).days < 7
    assert cal.whole_months(cal.month_start(day), end)
    assert cal.is_fy_end(day) == (day.month == 9)


def test_fy_months_and_names():
    assert cal.FY_MONTHS == (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)
    assert cal.fy_months(2025)[0] == dt.date(2024, 10, 1) and cal.fy_months(2025)[-1] == dt.date(2025, 9, 1)
    assert cal.whole_fy(dt.date(2024, 10, 1), dt.date(2025, 9, 30))
    assert not cal.whole_fy(dt.date(2024, 10, 1), dt.date(2025, 9, 29))
    for number, (abbr, name) in enumerate(zip(cal.MONTH_ABBR, cal.MONTH_NAMES), start=1):
        assert cal.month_number(abbr) == cal.month_number(name) == cal.month_number(name.upper()) == number
    assert cal.month_number("Sept.") == 9
    for junk in (None, "", "Ma", "Decline", "Marzo", "Oct 2024", "13", "Total"):
        assert cal.month_number(junk) is None, junk


@given(st.lists(DAYS, min_size=1, max_size=50))
def test_duckdb_macro_is_the_python_rule(days):
    con = duckdb.connect()
    con.execute(cal.FISCAL_YEAR_MACRO)
    got = [r[0] for r in con.execute("SELECT fiscal_year(d) FROM unnest(?::DATE[]) t(d)", [days]).fetchall()]
    assert got == [cal.fiscal_year(d) for d in days]


# ------------------------------------------------------------------ parsers
@given(DAYS)
def test_parse_date_reads_iso_and_accepts_dates(day):
    assert parse_date(day.isoformat(), "--from") == day
    assert parse_date(day, "--from") == day
    assert parse_date(dt.datetime.combine(day, dt.time(13)), "--from") == day
    assert parse_date(day.isoformat()[:7], "--x", month_ok=True) == day.replace(day=1)


@pytest.mark.parametrize("bad", ["2025-02-30", "tomorrow", "2025/01/01", "01/02/2025", "9" * 400,
                                 "2025-01-01'; DROP TABLE arrests; --", "２０２５-01-01x"])
def test_parse_date_refuses_with_the_option_name(bad):
    with pytest.raises(QueryError, match=r"--as-of .* is not a date; use YYYY-MM-DD"):
        parse_date(bad, "--as-of")
    with pytest.raises(ConfigError, match="--release-date"):
        parse_date(bad, "--release-date", ConfigError)
    assert len(str(pytest.raises(QueryError, parse_date, bad, "--to").value)) < 120


def test_blank_dates_are_none():
    assert parse_date(None, "--from") is None and parse_date("  ", "--from") is None


@given(DAYS)
def test_date_in_text_reads_iso_and_us_dates(day):
    assert date_in_text(f"{day.isoformat()} 00:00:00") == day
    assert date_in_text(f"Data as of {day.month}/{day.day}/{day.year} (FY)") == day
    assert date_in_text(f"{day.month:02d}/{day.day:02d}/{day.year}") == day


@pytest.mark.parametrize("text", [None, "", "FY2025", "13/45/2025", "2025-13-01", "no date"])
def test_date_in_text_without_a_date_is_none(text):
    assert date_in_text(text) is None


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.sampled_from(["", "*", "**", "†"]),
       st.booleans())
def test_parse_number_reads_published_forms(value, mark, dollar):
    text = f"{'$' if dollar and value >= 0 else ''}{value:,.2f}{mark}"
    assert parse_number(text) == pytest.approx(round(value, 2), abs=1e-6)
    assert parse_number(f"  {value!r} ") == value


@pytest.mark.parametrize("text", [None, "", "   ", "-", "--", "—", "N/A", "na", "*", "**"])
def test_not_applicable_marks_are_none(text):
    assert parse_number(text) is None


@pytest.mark.parametrize("text", ["12%", "about 5", "1.2.3", "five", "1e", "$-", "1,23a", "NaN",
                                  "inf", "0x1F", "1_000"])
def test_other_text_is_not_a_number(text):
    with pytest.raises(NotANumber):
        parse_number(text)


def test_parse_where():
    assert parse_where(["aor=HOU,MIA", "criminality:other", "aor= NYC ,"]) == {
        "aor": ["HOU", "MIA", "NYC"], "criminality": ["other"]}
    assert parse_where(None) == {}
    with pytest.raises(QueryError, match="DIMENSION=VALUE"):
        parse_where(["aorHOU"])


# ------------------------------------------------------------------ formats
@pytest.mark.parametrize(("value", "unit", "text"), [
    (None, "", "—"), (1234.0, "arrests", "1,234"), (0.4512, "share", "45.1%"), (45.25, "", "45.2"),
    (12.0, "", "12"), (1_234_567.89, "people", "1,234,568"), (-3.5, "", "-3.5")])
def test_fmt_value(value, unit, text):
    assert fmt_value(value, unit) == text


def test_changes_use_pp_for_shares_and_per_cent_otherwise():
    assert fmt_change(0.47, 0.45, "share") == "+2.0 pp"
    assert fmt_change(110.0, 100.0, "arrests") == "+10.0%"
    assert fmt_change(90.0, 0.0, "arrests") is None and fmt_change(None, 1.0) is None


def test_labels_and_the_one_synthetic_wording():
    day = dt.date(2024, 10, 1)
    assert (month_label(day), month_label(day, long=True), day_label(day), fy_label(2025)) == (
        "Oct 2024", "October 2024", "1 October 2024", "FY2025")
    assert SYNTHETIC_NOTE.startswith(f"{SYNTHETIC} DATA:")


# ------------------------------------------------------------------ citations
def test_source_ref_reads_both_key_spellings_and_serialises():
    row = {"source_id": 3, "file_name": "a.xlsx", "kind": "k", "sha256": "ab" * 32,
           "release_date": dt.date(2025, 7, 28), "synthetic": 1, "rows_loaded": 10, "tables": "x"}
    ref = SourceRef.from_row(row)
    assert ref.file == ref["file"] == "a.xlsx" and ref.synthetic is True
    assert SourceRef.from_row(dict(ref)) == ref
    assert json.loads(json.dumps(ref.to_dict()))["release_date"] == "2025-07-28"
    assert set(ref) == {"source_id", "file", "kind", "sha256", "release_date", "synthetic", "rows_loaded",
                        "data_start", "data_end", "columns_not_provided", "assumption"}
    assert "assumption" not in ref.to_dict()  # stated only for synthetic scenarios
    assert cite([ref, row]) == [ref.to_dict(), ref.to_dict()]
    with pytest.raises(KeyError):
        ref["file_name"]
