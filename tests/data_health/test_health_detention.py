"""Data-health checks over ICE's detention statistics — each with real releases that pass and an
altered copy of a real release (or another real release) that fails — plus stored runs and
`immstat check`."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from immstat.analysis.health import CHECKS, last_report, run_checks
from immstat.analysis.health.littles_law import LITTLES_LAW, predict
from immstat.analysis.health.releases import MONTHS_CONTINUOUS, YTD_BETWEEN_RELEASES
from immstat.cli import app
from immstat.core.errors import UnknownName
from immstat.metrics.warehouse import Warehouse


def run(check, db) -> dict:
    with Warehouse(db, read_only=True) as wh:
        return check(wh).to_dict()


def test_ytd_fall_in_the_real_releases_is_explained(fy26):
    r = YTD_BETWEEN_RELEASES(fy26).to_dict()
    assert r["status"] == "pass"
    rise, fall = r["evidence"]
    assert round(rise["change"], 2) == 516.82 and rise["added_days"] == 13
    assert (fall["old_release"], fall["new_release"]) == ("2026-02-12", "2026-04-09")
    assert round(fall["change"], 2) == -994.87 and fall["added_days"] == 56
    assert [m["month"] for m in fall["restated_months"]] == [
        "2025-10-01", "2025-11-01", "2025-12-01", "2026-01-01"]
    assert round(fall["restated_months"][0]["new"], 2) == 63175.58
    assert round(fall["added_days_adp"]) == 64698  # 8 Feb – 4 Apr 2026, below the earlier YTD
    assert "ICE restated 4 earlier month(s)" in r["summary"] and "fell 994.87" in r["summary"]


def test_ytd_that_the_months_cannot_reproduce_fails(altered_db):
    db = altered_db("ytd", {"N104": 62000.0})  # the 9 Apr release with its FY ADP cell changed
    r = run(YTD_BETWEEN_RELEASES, db)
    assert r["status"] == "fail" and "NOT reproducible" in r["summary"]
    months = run(MONTHS_CONTINUOUS, db)
    assert months["status"] == "fail" and "YTD ADP solves to" in months["summary"]


def test_months_continuous_with_coverage_stated(fy26):
    r = MONTHS_CONTINUOUS(fy26).to_dict()
    assert r["status"] == "pass"
    assert [e["data_end"] for e in r["evidence"]] == ["2026-01-25", "2026-02-07", "2026-04-04"]
    assert "April 2026 holds 4 of 30 days in the 9 Apr 2026 release" in r["summary"]


def test_a_month_left_blank_fails(altered_db):
    r = run(MONTHS_CONTINUOUS, altered_db("gap", {"D104": None}))  # December 2025 emptied
    assert r["status"] == "fail" and "months missing 2025-12" in r["summary"]


def test_littles_law_golden_october_2025():
    row = predict(63175.580645, 41612, 47.222431471, 31)
    assert round(row["predicted_adp"]) == 63388 and row["error_pct"] == 0.34


def test_littles_law_holds_in_fy2026(fy26):
    r = LITTLES_LAW(fy26).to_dict()
    assert r["status"] == "pass"
    april = next(e for e in r["evidence"] if e["month"] == "2026-04-01")
    assert april["days"] == 4 and april["book_ins"] == 4152  # the release's 4 days of April


def test_littles_law_breaks_in_fy2021(build_db, detention_dir):
    db = build_db("fy21", [detention_dir / "FY21-detentionstats.xlsx"])
    r = run(LITTLES_LAW, db)
    assert r["status"] == "fail" and "2021-03 (+141%)" in r["summary"]
    september = next(e for e in r["evidence"] if e["month"] == "2021-09-01")
    assert september["days"] == 11 and september["status"] == "pass"  # partial month, per day


def test_runs_are_stored_and_read_back(fy26_db, writable):
    wh = writable(fy26_db)
    first = run_checks(wh, names=["months_continuous"])
    second = run_checks(wh)
    assert first.stored and second.stored
    again = last_report(wh)
    assert again.run_id == second.run_id and again.counts == second.counts
    assert [c["name"] for c in again.checks] == [c.name for c in CHECKS]
    assert again.checks[1]["evidence"] == second.checks[1]["evidence"]
    assert wh.cursor().execute("SELECT count(DISTINCT run_id) FROM health_checks").fetchone()[0] == 2


def test_read_only_runs_are_not_stored(fy26):
    report = run_checks(fy26, names=["ytd_adp_between_releases"])
    assert not report.stored and report.counts["pass"] == 1
    with pytest.raises(UnknownName, match="Did you mean 'months_continuous'"):
        run_checks(fy26, names=["months_continuos"])


def test_every_check_is_declared_in_words():
    for check in CHECKS:
        assert len(check.rule) > 80 and check.tolerance and check.severity in ("error", "warning")
    assert len({c.name for c in CHECKS}) == len(CHECKS) == 8


def test_cli_check_json_and_strict(fy26_db, altered_db, tmp_path):
    runner = CliRunner()
    out = runner.invoke(app, ["check", "--no-store", "--format", "json", "--db", str(fy26_db)])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["counts"]["fail"] == 0 and not data["stored"]
    assert data["freshness"][0]["latest_release"] == "2026-04-09"
    bad = altered_db("ytd", {"N104": 62000.0})
    out = runner.invoke(app, ["check", "--no-store", "--strict", "--db", str(bad)], terminal_width=200)
    assert out.exit_code == 1 and "check(s) of severity 'error' failed" in out.output
    out = runner.invoke(app, ["check", "--db", str(tmp_path / "none.duckdb")])
    assert out.exit_code == 1 and "No warehouse at" in out.output and "Traceback" not in out.output
