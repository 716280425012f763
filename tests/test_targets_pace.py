"""Pace arithmetic on a small synthetic warehouse where the truth is known, and the CLI JSON contract."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

from builders import load_arrest_rows
from immstat import Warehouse
from immstat.analysis.targets import pace
from immstat.analysis.targets.projection import LEVEL_WEEKS, one_step_errors, project, weekly_totals
from immstat.analysis.targets.schema import parse_entry

START = dt.date(2025, 1, 6)  # a Monday
BIG_DAYS, SMALL_DAYS = 70, 7  # 70 days of 20 ATL + 12 HOU arrests, then 7 days of 5 ATL (suppressed)
IMMSTAT = Path(sys.executable).parent / "immstat"
BASE = {"title": "test", "announced": "2025-01", "stated_by": "test", "confidence": "high",
        "source": {"publication": "test", "summary": "test"}}
ENTRIES = [
    {**BASE, "id": "rate", "number": 40, "unit": "arrests/day", "scope": "national",
     "metric": "arrests_per_day", "period": {"start": START.isoformat(), "end": "open"}},
    {**BASE, "id": "office", "number": 15, "unit": "arrests/day per field office",
     "scope": "per_field_office", "metric": "arrests_per_day",
     "period": {"start": START.isoformat(), "end": "open"}},
    {**BASE, "id": "annual", "number": 36500, "unit": "removals/year", "scope": "national",
     "metric": "arrests", "period": {"start": START.isoformat(), "end": "2026-01-05"}},
    {**BASE, "id": "later", "number": 10, "unit": "arrests/day", "scope": "national",
     "metric": "arrests_per_day", "period": {"start": "2025-05-01", "end": "open"}},
    {**BASE, "id": "nometric", "number": 10, "unit": "removals/year", "scope": "national",
     "metric": "no_such_metric", "period": {"start": "2025-01-01", "end": "2025-12-31"}},
]


def _rows():
    rows = []
    for i in range(BIG_DAYS + SMALL_DAYS):
        day = START + dt.timedelta(days=i)
        plan = [("ATL", "GA", 20), ("HOU", "TX", 12)] if i < BIG_DAYS else [("ATL", "GA", 5)]
        for aor, state, n in plan:
            rows += [{"apprehension_date": day, "aor": aor, "state": state, "method": "CAP",
                      "criminality": "other"}] * n
    return rows


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pace") / "pace.duckdb"
    with Warehouse(path) as wh:
        load_arrest_rows(wh, _rows(), synthetic=True)
        wh.release()  # read-only readers below need the protected release
    return path


@pytest.fixture(scope="module")
def results(db):
    targets = [parse_entry(e, i) for i, e in enumerate(ENTRIES, 1)]
    with Warehouse(db, read_only=True) as wh:
        return {p.target.id: p.to_dict() for p in pace(wh, targets, as_of="2025-06-30")}


DAYS = BIG_DAYS + SMALL_DAYS
TOTAL = BIG_DAYS * 32  # the 7 small days are suppressed and count as 0


def test_rate_target_arithmetic(results):
    r = results["rate"]
    assert r["status"] == "synthetic" and r["synthetic"] is True and r["data"] == "SYNTHETIC"
    obs = r["observed"]
    assert (obs["start"], obs["days"], obs["total"]) == (START.isoformat(), DAYS, TOTAL)
    assert obs["suppressed_cells"] == SMALL_DAYS
    assert obs["total_upper_bound"] == TOTAL + SMALL_DAYS * 10
    assert obs["actual_per_day"] == pytest.approx(TOTAL / DAYS)
    assert r["cumulative"] == {"actual": TOTAL, "target_to_date": 40 * DAYS, "gap": TOTAL - 40 * DAYS,
                               "unit": "arrests"}
    weeks = r["series"]["week"]
    assert len(weeks) == 11 and weeks[0]["actual"] == 7 * 32 and weeks[-1]["suppressed"] == 7
    assert weeks[-1]["cumulative_actual"] == TOTAL and weeks[-1]["cumulative_target"] == 40 * DAYS
    months = r["series"]["month"]
    assert [m["period"] for m in months] == ["2025-01-01", "2025-02-01", "2025-03-01"]
    assert sum(m["actual"] for m in months) == TOTAL and sum(m["days"] for m in months) == DAYS
    proj = r["projection"]
    assert proj["level_per_day"] == pytest.approx((3 * 7 * 32 + 0) / 4 / 7)
    assert proj["per_day_low"] <= proj["level_per_day"] <= proj["per_day_high"]
    assert any("suppressed" in a for a in r["assumptions"])
    assert r["sources"] and r["sources"][0]["synthetic"] is True


def test_per_office_ranking(results):
    r = results["office"]
    assert r["observed"]["offices"] == 25
    assert r["observed"]["actual_per_day"] == pytest.approx(TOTAL / DAYS / 25)
    ranking = {row["aor"]: row for row in r["ranking"]}
    assert len(ranking) == 25 and r["ranking"][0]["aor"] == "ATL"
    # offices are released by month: whole months from the target's start (1 Feb, 26 days after
    # START) to the data end; the 7 small days sit inside ATL's (large) March cell
    skipped = (dt.date(2025, 2, 1) - START).days
    assert ranking["ATL"]["per_day"] == pytest.approx(
        (20 * (BIG_DAYS - skipped) + 5 * SMALL_DAYS) / (DAYS - skipped))
    assert ranking["ATL"]["meets"] and not ranking["HOU"]["meets"]
    assert ranking["ATL"]["suppressed_cells"] == 0 and ranking["MIA"]["per_day"] == 0


def test_annual_target_required_rate(results):
    r = results["annual"]
    last = START + dt.timedelta(days=DAYS - 1)
    remaining = (dt.date(2026, 1, 5) - last).days
    assert r["cumulative"]["target_to_date"] == pytest.approx(36500 * DAYS / 365)
    assert r["required"]["days_remaining"] == remaining
    assert r["required"]["per_day"] == pytest.approx((36500 - TOTAL) / remaining)
    proj = r["projection"]
    assert proj["projected_total"] == pytest.approx(TOTAL + proj["level_per_day"] * remaining)
    assert proj["probability_meets"] == 0.0


def test_no_data_and_unknown_metric_are_not_zero(results):
    assert results["later"]["status"] == "no data" and "no arrests_per_day records" in results["later"]["message"]
    assert results["later"]["observed"] == {} and results["later"]["synthetic"] is None
    assert results["nometric"]["status"] == "unavailable"


def test_projection_band_covers_noise_and_needs_history():
    rng = np.random.default_rng(0)
    daily = rng.poisson(100, 7 * 30).astype(float)
    proj = project(daily, 70)
    assert proj["per_day_low"] < 100 < proj["per_day_high"]
    assert project(daily[:7 * 7], 70) is None  # fewer than 8 complete weeks
    weeks = weekly_totals(np.arange(16.0))  # aligned to the end: the first 2 days are dropped
    assert list(weeks) == [sum(range(2, 9)), sum(range(9, 16))]
    assert one_step_errors(np.array([1.0, 1, 1, 1, 5]), LEVEL_WEEKS).tolist() == [4.0]


def test_cli_targets_json_contract(db, tmp_path, cli):
    path = tmp_path / "targets.yaml"
    path.write_text(yaml.safe_dump({"targets": ENTRIES[:3]}))
    out = cli("targets", "--targets", path, "--as-of", "2025-06-30", "--format", "json", "--db", db)
    assert out.exit_code == 0, out.stderr
    items = json.loads(out.stdout)
    assert [i["target"]["id"] for i in items] == ["rate", "office", "annual"]
    keys = {"target", "as_of", "status", "message", "synthetic", "data", "sources", "observed", "cumulative",
            "required", "projection", "series", "ranking", "published", "assumptions"}
    for item in items:
        assert set(item) == keys and item["data"] == "SYNTHETIC"
        assert set(item["series"]) == {"day", "week", "month"}
        assert "paths" not in (item["projection"] or {})
    assert items[0]["observed"]["total"] == TOTAL


def test_cli_bad_targets_file_is_one_line_error(db, tmp_path, cli):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"targets": [{**ENTRIES[0], "unit": "arrests/hour"}]}))
    out = cli("targets", "--targets", path, "--db", db)
    assert out.exit_code == 1 and "Traceback" not in out.stderr
    assert "target 'rate' (entry 1)" in out.stderr and "'unit'" in out.stderr
