"""The capacity model on the REAL ICE detention statistics: defaults, the history validation
(golden, with a stated tolerance), the `immstat capacity --format json` contract and the API."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from immstat.analysis.capacity import capacity, validate_history
from immstat.cli.compose import build_app

IMMSTAT = Path(sys.executable).parent / "immstat"

# Predicted ADP = FY book-ins / days covered × FY ALOS, vs published FY ADP (all from ICE's
# detentionStats workbooks, newest release per FY). Days covered run to each release's data end
# solved from its year-to-date ADP (issue 15: FY2021 ends 11 Sep 2021, FY2025 20 Sep 2025, FY2026
# 4 Apr 2026), not to the release date. Golden to 0.1%.
GOLDEN = {  # fy: (days covered, published ADP, predicted ADP)
    2019: (365, 50165.4, 48062.7), 2020: (366, 33724.0, 31747.8), 2021: (346, 19254.3, 25088.4),
    2022: (359, 22577.8, 22037.2), 2023: (365, 28289.2, 28090.8), 2024: (366, 37721.8, 35613.3),
    2025: (355, 48404.5, 43964.6), 2026: (186, 66978.0, 62197.9),
}
# Stated tolerance: every (nearly) complete fiscal year within ±31%, and the median absolute
# error of those years within 6%. FY2021 is the outlier (+30.3% over its true 346 days; +24.5%
# when its days were wrongly counted to the release date): releases of long-stayers as the
# COVID-era population shrank, while ALOS counts only people booked out (see history.py).
MAX_ABS_PCT, MEDIAN_ABS_PCT = 31.0, 6.0


@pytest.fixture(scope="module")
def db(shared_data, ingested) -> Path:
    return ingested("capacity", sorted((shared_data / "ice" / "detention-stats").glob("*.xlsx")))[0]


@pytest.mark.shared
def test_history_validation_golden(wh):
    history = validate_history(wh)
    rows = {r["fiscal_year"]: r for r in history["rows"]}
    assert sorted(rows) == sorted(GOLDEN)
    for fy, (days, published, predicted) in GOLDEN.items():
        r = rows[fy]
        assert r["days"] == days
        assert r["published_adp"] == pytest.approx(published, rel=1e-3)
        assert r["predicted_adp"] == pytest.approx(predicted, rel=1e-3)
        assert r["error_pct"] == pytest.approx(100 * (predicted - published) / published, abs=0.1)
    complete = [abs(r["error_pct"]) for r in rows.values() if r["complete"]]
    assert len(complete) == 7 and not rows[2026]["complete"]
    assert max(complete) <= MAX_ABS_PCT
    assert history["summary"]["median_abs_error_pct"] <= MEDIAN_ABS_PCT


@pytest.mark.shared
def test_defaults_come_from_the_newest_release(wh):
    result = capacity(wh, 3000).to_dict()
    a = {x["name"]: x for x in result["assumptions"]}
    assert a["alos"]["value"] == pytest.approx(44.52, abs=0.01)  # FY2026 to date, ICE-arrested
    assert "release 2026-04-09" in a["alos"]["detail"] and "FY26_detentionStats" in a["alos"]["detail"]
    assert a["book_in_share"]["value"] == pytest.approx(90615 / 113431)  # FY2024
    assert a["current_adp"]["value"] == pytest.approx(66978.05, abs=0.1)
    out = result["outputs"]
    ice = 3000 * a["book_in_share"]["value"] * a["alos"]["value"]
    other = a["other_admissions"]["value"] * a["other_alos"]["value"]
    assert out["beds_needed"] == pytest.approx(ice + other)
    assert result["synthetic"] is False and result["sources"]


@pytest.mark.shared
def test_cli_capacity_json_contract(db, cli):
    out = cli("capacity", "--arrests-per-day", "3000", "--beds", "100000", "--removals-per-year",
              "1000000", "--alos", "40", "--book-in-share", "0.5", "--format", "json", "--db", db)
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"inputs", "outputs", "synthetic", "data", "assumptions", "notes", "sources"}
    assert {"beds_needed", "admissions_per_day", "mean_stay_days", "current_adp", "steady_state", "beds",
            "removals", "removals_per_year_implied"} <= set(data["outputs"])
    a = {x["name"]: x for x in data["assumptions"]}
    assert a["alos"] == {**a["alos"], "value": 40.0, "user_set": True, "source": "set by the user"}
    assert data["outputs"]["beds_needed_ice_arrests"] == pytest.approx(3000 * 0.5 * 40)
    for item in data["assumptions"]:
        assert {"name", "words", "value", "unit", "source", "detail", "user_set"} == set(item)
    bad = cli("capacity", "--arrests-per-day", "10", "--book-in-share", "1.5", "--db", db)
    assert bad.exit_code == 1 and "--book-in-share" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.shared
def test_api_routes(db):
    from fastapi.testclient import TestClient

    client = TestClient(build_app(db))
    ok = client.get("/api/v1/capacity", params={"arrests_per_day": 1500, "alos": 30})
    assert ok.status_code == 200 and ok.json()["outputs"]["beds_needed_ice_arrests"] == pytest.approx(
        1500 * 30 * next(a["value"] for a in ok.json()["assumptions"] if a["name"] == "book_in_share"))
    for params in ({}, {"arrests_per_day": -5}, {"arrests_per_day": "many"},
                   {"arrests_per_day": 10, "book_in_share": 2}):
        bad = client.get("/api/v1/capacity", params=params)
        assert 400 <= bad.status_code < 500 and "error" in bad.json()
    history = client.get("/api/v1/capacity/history").json()
    assert len(history["rows"]) == len(GOLDEN)
    targets = client.get("/api/v1/targets", params={"as_of": "2026-04-30"}).json()
    million = next(t for t in targets if t["target"]["unit"] == "removals/year")
    assert million["published"]["status"] == "ok" and million["published"]["synthetic"] is False
    fy25 = next(r for r in million["published"]["rows"] if r["fiscal_year"] == 2025)
    assert fy25["value"] == 319980
    for page in ("/targets", "/capacity"):
        html = client.get(page)
        assert html.status_code == 200 and "REAL DATA" in html.text
