"""A count of a part ("88,763 convicted criminals", "189,520 Venezuelans", "196,461 single
adults") is checked against the part, never the whole: against the whole it would be
"contradicted" for the wrong reason. Golden numbers are sums of CBP's own file
(cbp-nationwide-encounters-fy20-fy23-state.csv, bundled) by its Demographic and Citizenship
columns."""

from __future__ import annotations

import datetime as dt

import pytest

from immstat.analysis.claims import extract
from immstat.analysis.claims.counted import counted_parts, counted_words
from immstat.analysis.claims.verify import verify

DOC = dt.date(2026, 3, 1)


@pytest.fixture(scope="module")
def db(demo_db):
    return demo_db


def verdicts(wh, text: str):
    return {v.claim.value: v for v in verify(wh, text, DOC)}


@pytest.mark.parametrize("text,value,where", [
    ("CBP encountered 1,993,694 single adults in fiscal year 2022.", 1_993_694,
     {"demographic": ("Single Adults",)}),
    ("CBP encountered 196,461 single adults in March 2022.", 196_461, {"demographic": ("Single Adults",)}),
    ("CBP encountered 14,214 unaccompanied children in March 2022.", 14_214,
     {"demographic": ("UC / Single Minors",)}),
    ("CBP encountered 189,520 Venezuelans in fiscal year 2022.", 189_520, {"citizenship": ("VENEZUELA",)}),
])
def test_a_part_is_counted_as_the_part(wh, text, value, where):
    (v,) = verdicts(wh, text).values()
    assert (v.verdict, v.value, v.evidence.where) == ("supported", value, where)
    assert v.evidence.metric == "cbp_encounters" and not v.synthetic


def test_a_wrong_part_is_contradicted_by_the_part_not_the_whole(wh):
    (v,) = verdicts(wh, "CBP encountered 150,000 single adults in March 2022.").values()
    assert (v.verdict, v.value) == ("contradicted", 196_461)  # the whole (250,404) is never used
    assert "[demographic: Single Adults]" in v.explanation


def test_the_whole_and_its_part_in_one_sentence(wh):
    found = verdicts(wh, "CBP recorded 250,404 encounters in March 2022, including 196,461 single adults.")
    assert (found[250_404].verdict, found[250_404].evidence.where) == ("supported", {})
    assert (found[196_461].verdict, found[196_461].value) == ("supported", 196_461)


def test_a_part_no_series_breaks_down_is_unverifiable(wh):
    (v,) = verdicts(wh, "ICE removed 8,000 gang members in fiscal year 2024.").values()
    assert (v.verdict, v.reason, v.evidence) == ("unverifiable", "no_part", None)
    assert "kind of crime" in v.explanation


def test_a_part_the_candidate_cannot_break_down_is_never_checked_against_the_whole(wh):
    """ICE's FY removals total has no criminality; the ERO statistics do, as a lower bound."""
    found = verdicts(wh, "ICE removed 271,484 noncitizens in FY2024, including 88,763 convicted criminals.")
    assert found[271_484].verdict == "supported"
    part = found[88_763]
    assert part.verdict != "contradicted" and part.value != 271_484
    assert part.evidence.where == {"criminality": ("convicted",)} and part.evidence.lower_bound
    skipped = next(c for c in part.checks if c.metric == "detention_stats_removals")
    assert skipped.value is None and "no breakdown by criminality" in skipped.reason


CONVICTED, NO_RECORD = "people with a criminal conviction", "people with no criminal record (no conviction, no pending charge)"


@pytest.mark.parametrize("text,words,labels", [
    ("ICE removed 88,763 convicted criminals in FY2024.", "convicted criminals in FY", [CONVICTED]),
    ("ICE arrested 250,000 people without a criminal record in 2025.", "people without a criminal record in",
     [NO_RECORD]),
    ("ICE arrested 81,312 noncitizens with criminal convictions or pending charges in FY2024.",
     "noncitizens with criminal convictions or pending charges in",
     ["people with a criminal conviction or a pending charge"]),  # one part, not three
    ("ICE removed 88,000 Mexicans and Guatemalans in FY2024.", "Mexicans and Guatemalans in FY",
     ["Mexican citizens", "Guatemalan citizens"]),
    ("CBP encountered 20,000 migrants, most of them Venezuelans, in May 2022.", "migrants", []),
    ("ICE removed 271,484 noncitizens in FY2024, including 88,763 convicted criminals.", "noncitizens in FY", []),
])
def test_the_part_is_read_right_after_the_number(text, words, labels):
    claim = extract(text, DOC)[0]
    assert counted_words(claim) == words
    assert [p.label for p in counted_parts(claim)] == labels


def test_two_parts_are_not_checked_as_one(wh):
    (v,) = verdicts(wh, "CBP encountered 300,000 Mexicans and Venezuelans in fiscal year 2022.").values()
    assert (v.verdict, v.reason) == ("unverifiable", "no_part") and "Mexican citizens and" in v.explanation
