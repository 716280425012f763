"""Claim extraction on reporting's habits (issue 18): units and periods carried across
sentences and coordinated phrases, stocks vs flows, figures with no verb, 'other' never dropped,
relative and anaphoric periods, and extraction that never fails on shuffled reporting."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from immstat.analysis.claims import extract, map_claim
from test_claims import MON, one


def _period(c):
    return (c.period.start, c.period.end) if c.period else None


def test_a_run_of_daily_figures_carries_the_unit_across_sentences():
    text = ("Agents booked 1,900 people into detention on Thursday. Friday's figure was 2,050. "
            "By Saturday it had slipped to roughly 1,700.")
    claims = extract(text, dt.date(2025, 6, 16))
    assert [(c.value, c.kind) for c in claims] == [(1900, "book_ins"), (2050, "book_ins"), (1700, "book_ins")]
    assert [_period(c)[0] for c in claims] == [dt.date(2025, 6, 12), dt.date(2025, 6, 13), dt.date(2025, 6, 14)]


def test_coordinated_figures_take_their_own_fiscal_years():
    claims = extract("ICE reported 120,000 arrests and 150,000 removals in FY 22, up from 90,000 arrests and "
                     "80,000 deportations in FY 21 and 110,000 arrests and 95,000 removals in FY 20.", MON)
    fys = [c.period.end.year for c in claims]
    assert [c.value for c in claims] == [120_000, 150_000, 90_000, 80_000, 110_000, 95_000]
    assert fys == [2022, 2022, 2021, 2021, 2020, 2020]
    assert [c.kind for c in claims] == ["arrests", "removals"] * 3


@pytest.mark.parametrize("text, kind", [
    ("The agency's non-detained docket has swollen to 8.1 million people.", "docket"),
    ("About 1.2 million of them have final orders of removal.", "final_orders"),
    ("A federal database now holds records on some 3 million migrants.", "database"),
    ("Some 190,000 people were enrolled in Alternatives to Detention in May.", "atd"),
    ("The new facility can hold up to 5,000 detainees.", "beds"),
    ("On an average day in April, ICE held 48,000 people.", "detention"),
])
def test_stocks_are_stocks(text, kind):
    c = one(text)
    assert (c.kind, c.stock) == (kind, True)


def test_flows_are_flows_and_detained_in_a_raid_is_an_arrest():
    c = one("Agents detained 140 workers at a meatpacking plant on Tuesday.")
    assert (c.kind, c.stock) == ("arrests", False)
    assert one("Some 2,000 people remain detained at the camp.").kind == "detention"


def test_figure_without_a_verb_and_since():
    c = one("About 900,000 have entered the docket since October, officials said.")
    assert c.kind == "docket" and _period(c) == (dt.date(2024, 10, 1), MON)


def test_people_with_no_named_measure_are_other_not_dropped():
    c = one("Roughly 3,000 migrants passed through the tent camp at the border, officials said.")
    assert c.kind == "other" and c.value == 3000


@pytest.mark.parametrize("text", [
    "His family paid a $9,000 bond to get him out of immigration detention.",
    "The smugglers charged each of the migrants about $6,500.",
    "Border Patrol's 20 sectors and ICE's 25 field offices sent reports.",
    "The 14 plaintiffs in the detention lawsuit are seeking damages.",
    "She and her three children were released from ICE custody.",
])
def test_not_enforcement_figures(text):
    assert extract(text, MON) == []


def test_anaphoric_period_is_the_compared_period_moved():
    claims = extract("ICE held 51,000 people on an average day in March, up from 38,000 a year earlier.", MON)
    assert [_period(c) for c in claims] == [(dt.date(2025, 3, 1), dt.date(2025, 3, 31)),
                                            (dt.date(2024, 3, 1), dt.date(2024, 3, 31))]
    assert [c.rate for c in claims] == ["day", "day"]


def test_named_month_of_a_named_year_is_the_whole_month():
    c = one("ICE removed 30,000 people in June 2025.", dt.date(2025, 6, 1))
    assert _period(c) == (dt.date(2025, 6, 1), dt.date(2025, 6, 30))


def test_relative_claims_carry_their_base_period():
    change = one("Arrests rose 48 percent in fiscal 2025 compared with fiscal 2024.", dt.date(2025, 11, 1))
    assert change.comparison == "change" and change.period.end == dt.date(2025, 9, 30)
    assert (change.base_period.start, change.base_period.end) == (dt.date(2023, 10, 1), dt.date(2024, 9, 30))
    multiple = one("Book-ins in the Atlanta field office tripled between February and June.")
    assert (multiple.value, multiple.unit, multiple.scope.code) == (3, "ratio", "ATL")
    assert (multiple.base_period.start, multiple.base_period.end) == (dt.date(2025, 2, 1), dt.date(2025, 2, 28))


def test_287g_agencies_are_counted():
    c = one("ICE has signed 287(g) agreements with 1,010 sheriff's offices and police departments in 40 states.")
    assert (c.value, c.kind, c.stock) == (1010, "agreements_287g", True)
    assert map_claim(c, MON).metric == "agencies_287g"


@pytest.mark.parametrize("text", [
    "The caseload is up about 10% from a year ago.",
    "Arrests doubled from a year earlier.",
    "It fell 20 percent from the same month a year earlier, officials said a week later.",
])
def test_anaphoric_periods_without_an_anchor_stay_unresolved(text):
    for doc in (MON, None):
        for c in extract(text, doc):
            assert c.period is None or not c.period.resolved or c.period.start <= c.period.end
            assert c.base_period is None or c.base_period.resolved


_PIECES = ["ICE", "arrested", "about", "more than", "1,200", "people", "in May", "a year earlier", "up", "from",
           "30 percent", "tripled", "the same month", "since Jan. 20", "and", ",", "removals", "detained", "on Sunday",
           "fiscal 2024", "FY 20", "compared with", "its", "docket", "half the number of", "the year before",
           "ten times", "per field office", "a day", "held", "287(g)", "agencies", "$5,000", "who is 40", ".", ";"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=30), st.sampled_from([MON, None]))
def test_extraction_never_fails_on_shuffled_reporting(pieces, doc):
    text = " ".join(pieces)
    for c in extract(text, doc, include_rejected=True):
        assert text[c.start:c.end] == c.text and c.quote in text
        if c.period and c.period.resolved:
            assert c.period.start <= c.period.end
