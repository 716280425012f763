"""Claim verification against the demo warehouse: REAL published CBP and ICE figures (golden
numbers below), partial coverage, out-of-scope kinds, synthetic data never 'supported', and the
JSON contract of `immstat claims verify`."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from immstat.analysis.claims import extract
from immstat.analysis.claims.compare import accepted, judge
from immstat.analysis.claims.verify import verify

IMMSTAT = str(Path(sys.executable).with_name("immstat"))
DOC = dt.date(2026, 3, 1)

# CBP Nationwide Encounters (cbp-nationwide-encounters-fy20-fy23-state.csv), FY2022 by month.
CBP_FY2022 = {"October 2021": 187_136, "November 2021": 198_553, "December 2021": 205_691,
              "January 2022": 186_808, "February 2022": 190_578, "March 2022": 250_404,
              "April 2022": 262_109, "May 2022": 274_992, "June 2022": 247_523, "July 2022": 238_929,
              "August 2022": 251_521, "September 2022": 272_338}


@pytest.fixture(scope="module")
def db(mixed_demo_db):
    return mixed_demo_db


def one(wh, text: str, doc_date: dt.date | None = DOC):
    verdicts = verify(wh, text, doc_date)
    assert len(verdicts) == 1, [v.claim.text for v in verdicts]
    return verdicts[0]


# ------------------------------------------------------------------ real CBP encounters
@pytest.mark.parametrize("month,count", CBP_FY2022.items())
def test_monthly_cbp_encounters_fy2022(wh, month, count):
    exact = one(wh, f"CBP recorded {count:,} encounters in {month}.")
    assert exact.verdict == "supported" and exact.value == count and not exact.synthetic
    assert exact.evidence.metric == "cbp_encounters"
    assert {s["file"] for s in exact.sources} >= {"cbp-nationwide-encounters-fy20-fy23-state.csv"}
    assert all(s["release_date"] for s in exact.sources)
    assert one(wh, f"CBP recorded more than {count - 1_000:,} encounters in {month}.").verdict == "supported"
    assert one(wh, f"CBP recorded more than {count + 1_000:,} encounters in {month}.").verdict == "contradicted"
    assert one(wh, f"CBP recorded about {round(count * 1.2, -3):,.0f} encounters in {month}.").verdict == "contradicted"


def test_cbp_march_2022_words(wh):
    v = one(wh, "CBP recorded more than 200,000 encounters in March 2022.")
    assert (v.verdict, v.value, v.reason) == ("supported", 250_404, "checked")
    assert "250,404" in v.explanation and "more than 200,000" in v.explanation
    assert one(wh, "CBP recorded more than 300,000 encounters in March 2022.").verdict == "contradicted"


def test_cbp_fiscal_year_total(wh):
    v = one(wh, "There were nearly 2.8 million encounters in fiscal year 2022.")
    assert (v.verdict, v.value) == ("supported", 2_766_582)
    assert (v.accepted.low, v.accepted.high, v.accepted.high_open) == (2_660_000, 2_800_000, True)
    assert one(wh, "There were nearly 2.7 million encounters in fiscal year 2022.").verdict == "contradicted"
    assert one(wh, "There were 2.8 million encounters in fiscal year 2022.").verdict == "supported"  # 2.75–2.85 M
    assert one(wh, "There were 2.9 million encounters in fiscal year 2022.").verdict == "contradicted"
    assert one(wh, "There were 2.77 million encounters in fiscal year 2022.").verdict == "supported"


def test_per_day_rate_divides_by_days(wh):
    v = one(wh, "CBP recorded about 8,900 encounters a day in May 2022.")
    assert v.verdict == "supported" and v.value == pytest.approx(274_992 / 31)


def test_a_monthly_figure_for_one_calendar_month_is_its_total(wh):
    """A month is a calendar month: February's "monthly total" is February's count, not 28 days
    scaled up to an average month (which would make 190,578 read as 207,158)."""
    v = one(wh, "CBP recorded 190,578 encounters a month in February 2022.")
    assert (v.verdict, v.value) == ("supported", 190_578) and "the month's total" in v.evidence.method
    v = one(wh, "CBP averaged about 230,000 encounters a month in fiscal year 2022.")
    assert v.verdict == "supported" and v.value == pytest.approx(2_766_582 / 12)
    assert v.evidence.method.endswith("per month: divided by 12 months") and "230,548 per month" in v.explanation
    assert one(wh, "CBP recorded 2.8 million encounters a year in fiscal year 2022.").value == 2_766_582


def test_southwest_border_refinement(wh):
    v = one(wh, "Southwest border encounters topped 2.2 million in fiscal year 2022.")
    assert v.verdict == "supported" and v.value == 2_378_944
    assert v.evidence.where == {"region": "Southwest Land Border"}


def test_partial_calendar_year_is_a_lower_bound(wh):
    v = one(wh, "CBP encountered 2.5 million migrants in calendar year 2023.")  # data end Sep 2023
    assert (v.verdict, v.reason) == ("unverifiable", "partial") and v.evidence.lower_bound
    assert one(wh, "CBP encountered more than 2 million migrants in calendar year 2023.").verdict == "supported"


def test_period_outside_the_data(wh):
    v = one(wh, "CBP encountered 3 million migrants in FY2030.")
    assert (v.verdict, v.reason, v.value) == ("unverifiable", "no_data", None)
    assert "2019-10-01" in v.explanation


# ------------------------------------------------------------------ real ICE detention figures
def test_detention_population_in_a_month(wh):
    v = one(wh, "ICE held about 39,000 people in detention in March 2024.")
    assert v.verdict == "supported" and v.evidence.metric == "detention_stats_adp"
    assert v.value == pytest.approx(38_371.77, abs=0.01)
    adp = next(c for c in v.checks if c.metric == "adp")  # the daily facility data agree
    assert adp.status == "full" and adp.value == pytest.approx(39_259.77, abs=0.01)
    assert judge(v.accepted, adp.value) == "consistent"
    assert one(wh, "ICE held about 45,000 people in detention in March 2024.").verdict == "contradicted"


def test_point_in_time_population_on_document_date(wh):
    v = one(wh, "ICE is holding 60,000 people in detention.", dt.date(2026, 3, 1))
    assert v.evidence.metric == "detained_population" and v.value == 65_685
    assert v.verdict == "contradicted"


def test_removals_fy2025_published(wh):
    more = one(wh, "ICE removed more than 300,000 people in fiscal year 2025.")
    assert (more.verdict, more.evidence.metric, more.value) == ("supported", "detention_stats_removals", 319_980)
    # the workbook (released 2025-09-24) says "FY2025 YTD ICE Removals data are updated through 09/20/2025"
    assert more.evidence.lower_bound and more.evidence.covered[1] == dt.date(2025, 9, 20)
    assert one(wh, "ICE removed fewer than 200,000 people in fiscal year 2025.").verdict == "contradicted"
    about = one(wh, "ICE removed about 320,000 people in fiscal year 2025.")
    assert (about.verdict, about.reason) == ("unverifiable", "partial")
    exact = one(wh, "ICE removed 271,484 people in fiscal year 2024.")
    assert (exact.verdict, exact.value, exact.evidence.status) == ("supported", 271_484, "full")


def test_average_length_of_stay_in_days(wh):
    """ICE's published average length of stay (FY24 workbook: 46.90 days; FY23: 37.53)."""
    v = one(wh, "The average length of stay in ICE detention was 46.9 days in FY2024.")
    assert (v.verdict, v.evidence.metric, v.claim.unit) == ("supported", "detention_stats_alos", "days")
    assert v.value == pytest.approx(46.901, abs=1e-3)
    assert one(wh, "Detainees spent an average of 47 days in ICE custody in fiscal year 2024.").verdict \
        == "supported"
    assert one(wh, "In fiscal year 2023, the average length of stay was 30 days.").verdict == "contradicted"
    assert verify(wh, "She was released after 11 days in custody in FY2024.", DOC) == []  # one person's stay
    assert verify(wh, "Migrants were held an average of 3 days in Border Patrol custody in FY2024.", DOC) == []


def test_book_ins_fy2024_contradicted(wh):
    v = one(wh, "ICE booked 300,000 people into detention in fiscal year 2024.")
    assert (v.verdict, v.evidence.metric, v.value) == ("contradicted", "detention_stats_book_ins", 277_913)


# ------------------------------------------------------------------ out of scope / unverifiable
@pytest.mark.parametrize("text,reason", [
    ("The government granted asylum to 50,000 people in FY2023.", "not_measured"),
    ("Immigration courts face a backlog of 3.7 million pending cases.", "not_measured"),
    ("ICE has 1.4 million people with final orders of removal.", "not_measured"),
    ("The administration set a goal of 3,000 arrests a day in fiscal year 2025.", "target"),
])
def test_out_of_scope(wh, text, reason):
    v = one(wh, text)
    assert (v.verdict, v.reason, v.value, v.sources) == ("out_of_scope", reason, None, [])


def test_no_period_is_unverifiable(wh):
    v = one(wh, "ICE deported 1.4 million people.", None)
    assert (v.verdict, v.reason) == ("unverifiable", "no_period")
    now = one(wh, "ICE is now holding more than 66,000 people in detention.", None)
    assert (now.verdict, now.reason) == ("unverifiable", "no_period") and "--date" in now.explanation
    assert "--date" not in v.explanation


# Synthetic data never supported: tests/test_claims_synthetic.py (a warehouse that holds only a
# SYNTHETIC release, so the check does not depend on what the demo bundles).


def test_yaml_claims_and_structured_items(wh):
    text = """
date: 2026-03-01
claims:
  - text: "CBP recorded more than 200,000 encounters in March 2022."
  - {value: 39000, qualifier: about, kind: detention, period: 2024-03}
  - {value: 300000, qualifier: more than, kind: removals, period: FY2025}
  - {value: 5000, kind: arrests, period: 2025-05, scope: HOU}
"""
    verdicts = verify(wh, text)
    labels = [(v.verdict, v.reason) for v in verdicts]
    assert labels[:3] == [("supported", "checked"), ("supported", "checked"), ("supported", "checked")]
    # May 2025 arrests in Houston: synthetic in a sandbox demo, no data in a real-only one; never supported
    assert labels[3][0] == "unverifiable" and labels[3][1] in ("synthetic", "no_data", "no_metric")


# ------------------------------------------------------------------ tolerance rules (no warehouse)
def test_rounding_interval_of_written_figure():
    claim = extract("ICE removed 1.4 million people in fiscal year 2025.")[0]
    acc = accepted(claim)
    assert (acc.low, acc.high) == pytest.approx((1_350_000, 1_450_000))


@given(st.integers(1_000, 5_000_000), st.floats(0.0, 3.0))
def test_lower_bound_never_supports_an_upper_limit(stated, ratio):
    claim = extract(f"ICE removed up to {stated:,} people in fiscal year 2024.")[0]
    acc = accepted(claim)
    value = stated * ratio
    outcome = judge(acc, value, lower_bound=True)
    assert outcome in ("inconsistent", "inconclusive")
    assert (outcome == "inconsistent") == (value > stated)


# ------------------------------------------------------------------ CLI contract
def test_cli_verify_json_contract(mixed_demo_db, tmp_path, cli):
    path = tmp_path / "text.txt"
    path.write_text("CBP recorded more than 200,000 encounters in March 2022. "
                    "ICE made 1,200 arrests a day in May 2025.", encoding="utf-8")
    done = cli("claims", "verify", path, "--db", mixed_demo_db, "--format", "json", "--date", "2026-03-01")
    assert done.exit_code == 0, done.stderr
    rows = json.loads(done.stdout)
    assert rows[0]["label"] == "supported" and rows[1]["verdict"] == "unverifiable"
    first = rows[0]
    assert {"verdict", "label", "reason", "explanation", "metric", "value", "period", "scope", "sources",
            "accepted", "checks", "synthetic", "quote", "start", "end", "claim"} <= set(first)
    assert first["value"] == 250_404 and first["period"]["start"] == "2022-03-01"
    assert first["sources"][0]["release_date"] and first["sources"][0]["sha256"]
    assert rows[1]["synthetic"] == any(s["synthetic"] for s in rows[1]["sources"])
    bad = cli("claims", "verify", path, "--db", mixed_demo_db, "--date", "2026-02-30")
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.stderr + bad.stdout and "Traceback" not in bad.stderr
