"""Unit and property tests for the value rules (sources/normalize.py) as the engine applies them
(warehouse/convert.py): redactions, dates, codes."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from immstat.core import reference
from immstat.sources.normalize import EXCEL_EPOCH, TEXT, Request, is_redaction
from immstat.warehouse.convert import shared_converter

CONVERT = shared_converter()


def convert_column(raw: pa.Array, value_type: str, max_length: int = 500):
    return CONVERT(raw, value_type, max_length)


def clean_text(raw: pa.Array) -> tuple[pa.Array, pa.Array]:
    """(trimmed text, redacted) as every column gets it."""
    conv = CONVERT(raw, TEXT)
    return conv.text, conv.redacted


def to_date(raw: pa.Array, latest: dt.date | None = None) -> pa.Array:
    return CONVERT(raw, "date", latest=latest).values

REDACTIONS = ["(b)(6), (b)(7)(C)", "(b)(6),(b)(7)(c )", "b(6), b(7)c", "(b)(7)(E )", "(b)(6)",
              " (b)(6); (b)(7)(C) ", "(B)(6) and (b)(7)(c)"]
ORDINARY = ["Houston", "b", "bob", "(b)", "6", "B6", "Baltimore (b)", "Unit (6)", "b6, b7c x",
            "(b)(6) Main Street", "Section 6(b)", "2024-01-01", "N/A", ""]


def arr(*values) -> pa.Array:
    return pa.array(list(values), pa.string())


@pytest.mark.parametrize("text", REDACTIONS)
def test_redaction_variants_are_recognised_and_nulled(text):
    assert is_redaction(text)
    conv = convert_column(arr(text), "str")
    assert conv.values.to_pylist() == [None]
    assert conv.redacted.to_pylist() == [True] and conv.bad.to_pylist() == [False]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_is_not_a_redaction(text):
    assert not is_redaction(text)
    assert clean_text(arr(text))[1].to_pylist() == [False]


@given(st.text(alphabet="bBcCeE()67 ,;&/and", max_size=24))
def test_python_and_arrow_agree_on_redactions(text):
    """is_redaction (Python re) and the engine (DuckDB's RE2) use one pattern; same verdicts."""
    assert clean_text(arr(text))[1].to_pylist() == [is_redaction(text.strip())]


@given(st.text(max_size=40).filter(lambda t: "(" not in t))
def test_text_without_a_parenthesis_is_never_a_redaction(text):
    assert not is_redaction(text)


# ---------------------------------------------------------------- dates
SERIAL_FROM = EXCEL_EPOCH + dt.timedelta(days=10_000)  # five-digit serials: 1927-05-18 on
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date.today())


def spellings(day: dt.date) -> list[str]:
    out = [day.isoformat(), f"{day.month}/{day.day}/{day.year}",
           f"{day.month:02d}/{day.day:02d}/{day.year}", f"{day.isoformat()} 13:45:09",
           f"{day.isoformat()}T00:00:00", f"{day.month}/{day.day}/{day.year} 7:05"]
    if day >= SERIAL_FROM:
        serial = (day - EXCEL_EPOCH).days
        out += [str(serial), f"{serial}.5"]
    return out


@settings(max_examples=200)
@given(dates)
def test_any_valid_date_round_trips_in_every_spelling(day):
    texts = spellings(day)
    assert to_date(arr(*texts)).to_pylist() == [day] * len(texts)


@settings(max_examples=200)
@given(st.integers(1900, 2100), st.integers(1, 12), st.integers(1, 31))
def test_impossible_calendar_dates_are_null_and_unreadable(year, month, day):
    try:
        dt.date(year, month, day)
        return
    except ValueError:
        pass
    conv = convert_column(arr(f"{year}-{month:02d}-{day:02d}", f"{month}/{day}/{year}"), "date")
    assert conv.values.to_pylist() == [None, None]
    assert conv.bad.to_pylist() == [True, True]


@pytest.mark.parametrize("text", ["2023-02-30", "1850-01-01", "2099-01-01", "N/A", "13/01/2024",
                                  "2024", "0", "1899-12-31 00:00:00", "45292x", "yesterday"])
def test_implausible_or_unreadable_dates(text):
    conv = convert_column(arr(text), "date")
    assert conv.values.to_pylist() == [None] and conv.bad.to_pylist() == [True]


def test_blank_dates_are_null_but_not_unreadable():
    conv = convert_column(arr("", "   ", None), "date")
    assert conv.values.to_pylist() == [None] * 3
    assert conv.bad.to_pylist() == [False] * 3


def test_dates_after_latest_are_refused():
    latest = dt.date(2024, 6, 30)
    assert to_date(arr("2024-06-30", "2024-07-01"), latest).to_pylist() == [latest, None]


# ---------------------------------------------------------------- codes
@pytest.mark.parametrize("row", reference.aors(), ids=lambda r: r["code"])
def test_aor_spellings(row):
    name = row["name"]
    texts = [row["code"], row["code"].lower(), name, name.upper(), f"{name} Area of Responsibility",
             f"  {name}   Field Office ", f"{name} AOR"]
    assert convert_column(arr(*texts), "aor").values.to_pylist() == [row["code"]] * len(texts)


@pytest.mark.parametrize("row", reference.states(), ids=lambda r: r["code"])
def test_state_spellings(row):
    texts = [row["code"], row["code"].lower(), row["name"], row["name"].upper()]
    assert convert_column(arr(*texts), "state").values.to_pylist() == [row["code"]] * len(texts)


def test_unknown_codes_are_unreadable_not_guessed():
    conv = convert_column(arr("Mars", "XX", "Atlantis Area of Responsibility"), "aor")
    assert conv.values.to_pylist() == [None] * 3 and conv.bad.to_pylist() == [True] * 3
    conv = convert_column(arr("Narnia", "ZZ"), "state")
    assert conv.values.to_pylist() == [None, None] and conv.bad.to_pylist() == [True, True]


def test_criminality_gender_yes_no_int():
    assert convert_column(arr("1 Convicted Criminal", "2 Pending Criminal Charges",
                              "3 Other Immigration Violator", "Convicted", "9"),
                          "criminality").values.to_pylist() == \
        ["convicted", "pending", "other", "convicted", None]
    assert convert_column(arr("Male", "F", "Unknown", "?"), "gender").values.to_pylist() == \
        ["male", "female", "unknown", None]
    assert convert_column(arr("YES", "no", "1", "maybe"), "yes_no").values.to_pylist() == \
        [True, False, True, None]
    assert convert_column(arr("1980", "1981.0", "19 82", "1983.5"), "int").values.to_pylist() == \
        [1980, 1981, None, None]


@given(st.text(alphabet="abcXYZ -", min_size=1, max_size=700).filter(lambda t: t.strip()))
def test_text_longer_than_the_limit_is_unreadable(text):
    conv = convert_column(arr(text), "str", max_length=500)
    too_long = len(text.strip()) > 500
    assert conv.bad.to_pylist() == [too_long]
    assert conv.values.to_pylist() == [None if too_long else text.strip()]


def test_several_columns_in_one_query_keep_their_own_rules():
    """One query converts every column of a batch; each value follows its own column's type."""
    texts = arr("2024-01-05", "(b)(6)", " Houston ", "", None)
    date, aor, text, code = CONVERT.many([Request(texts, "date"), Request(texts, "aor"),
                                          Request(texts, TEXT), Request(texts, "code", 3)])
    assert date.values.to_pylist() == [dt.date(2024, 1, 5), None, None, None, None]
    assert aor.values.to_pylist() == [None, None, "HOU", None, None]
    assert text.text.to_pylist() == ["2024-01-05", None, "Houston", None, None]
    assert code.values.to_pylist() == [None, None, None, None, None]
    assert code.bad.to_pylist() == [True, False, True, False, False]  # longer than 3
    assert [c.redacted.to_pylist() for c in (date, aor, text)] == [[False, True, False, False, False]] * 3
