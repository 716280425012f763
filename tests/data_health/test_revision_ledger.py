"""The revision ledger on the three real FY2026 releases of ICE's detention statistics
(2 Feb, 12 Feb, 9 Apr 2026), its coverage arithmetic, and `immstat revisions`."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from immstat.analysis.revisions import latest_changes, ledger, release_coverage
from immstat.analysis.revisions.coverage import coverage_from, month_length, solve_last_month_days
from immstat.cli import app
from immstat.core.errors import QueryError

FEB2, FEB12, APR9 = dt.date(2026, 2, 2), dt.date(2026, 2, 12), dt.date(2026, 4, 9)


def figure(book, period: str, **cell):
    want = tuple((k, v) for k, v in cell.items())
    return next(f for f in book.figures if f.label == period and f.cell == want)


def values(f) -> list[tuple[dt.date, float]]:
    return [(v.release_date, round(v.value, 2)) for v in f.versions]


def test_fy2026_year_to_date_adp_per_release_as_printed(fy26):
    book = ledger(fy26, "detention_stats_adp", fy=2026)
    assert [r.release_date for r in book.releases] == [FEB2, FEB12, APR9]
    ytd = figure(book, "FY2026")
    assert values(ytd) == [(FEB2, 67456.09), (FEB12, 67972.92), (APR9, 66978.05)]
    assert (round(ytd.to_dict()["min"], 2), round(ytd.to_dict()["max"], 2)) == (66978.05, 67972.92)
    assert ytd.change_kind == "extended" and not ytd.revised_since_previous  # days were added


def test_october_2025_adp_was_restated_in_every_release(fy26):
    october = figure(ledger(fy26, "detention_stats_adp", fy=2026), "2025-10")
    assert values(october) == [(FEB2, 63187.13), (FEB12, 63177.74), (APR9, 63175.58)]
    assert october.last_changed == APR9
    assert october.change_kind == "restated" and october.revised_since_previous
    change = october.change()
    assert round(change["old"], 2) == 63177.74 and round(change["change"], 2) == -2.16
    assert all(not v.partial for v in october.versions)


def test_partial_and_placeholder_months(fy26):
    book = ledger(fy26, "detention_stats_adp", fy=2026)
    february = figure(book, "2026-02")
    # the 2 Feb release prints 0 for February (after its data end, 25 Jan): not a figure
    assert values(february) == [(FEB12, 70394.29), (APR9, 68220.18)]
    assert [(v.days, v.period_days) for v in february.versions] == [(7, 28), (28, 28)]
    assert february.change_kind == "extended" and not february.revised_since_previous
    april = figure(book, "2026-04")
    assert april.change_kind == "new" and april.latest.days == 4


def test_book_ins_by_agency_restatements(fy26):
    book = ledger(fy26, "detention_stats_book_ins", fy=2026, by=["arresting_agency"])
    ice_jan = figure(book, "2026-01", arresting_agency="ICE")
    assert values(ice_jan) == [(FEB2, 29499.0), (FEB12, 36099.0), (APR9, 36083.0)]
    assert ice_jan.versions[0].partial and ice_jan.change_kind == "restated"
    cbp_jan = figure(book, "2026-01", arresting_agency="CBP")
    assert cbp_jan.change_kind == "unchanged" and cbp_jan.last_changed == FEB12
    badges = book.badges()
    assert badges[ice_jan.key]["revised"] and not badges[cbp_jan.key]["revised"]


def test_release_coverage_dates_each_release(fy26):
    ends = [release_coverage(fy26, 2026, d).data_end for d in (FEB2, FEB12, APR9)]
    assert ends == [dt.date(2026, 1, 25), dt.date(2026, 2, 7), dt.date(2026, 4, 4)]
    assert release_coverage(fy26, 2026, APR9).sentence() == (
        "April 2026 holds 4 of 30 days in the 9 Apr 2026 release (data through 4 Apr 2026)")


def test_as_of_rewinds_the_ledger(fy26):
    book = ledger(fy26, "detention_stats_adp", fy=2026, as_of=FEB12)
    october = figure(book, "2025-10")
    assert october.latest_release == FEB12 and october.previous_release == FEB2
    assert round(october.change()["new"], 2) == 63177.74


def test_latest_changes_panel(fy26):
    panel = latest_changes(fy26, topic="detention")
    assert panel["release"]["release_date"] == "2026-04-09"
    assert panel["previous"]["release_date"] == "2026-02-12"
    assert panel["coverage"]["data_end"] == "2026-04-04"
    rows = {(r["metric"], r["period"], tuple(r["cell"].items())): r for r in panel["changes"]}
    october = rows[("detention_stats_adp", "2025-10", ())]
    assert october["kind"] == "restated" and round(october["new"], 2) == 63175.58
    assert panel["counts"]["restated"] == sum(r["kind"] == "restated" for r in panel["changes"]) > 0
    assert "against the 12 Feb 2026 release" in panel["summary"]
    assert "April 2026 holds 4 of 30 days" in panel["summary"]


def test_removals_ledger_is_yearly_only(fy26):
    book = ledger(fy26, "detention_stats_removals", fy=2026)
    assert {f.grain for f in book.figures} == {"fy"}
    assert len(figure(book, "FY2026").versions) == 3


def test_metrics_without_releases_are_refused(fy26):
    with pytest.raises(QueryError, match="no revision history.*detention_stats_adp"):
        ledger(fy26, "adp")


def test_empty_warehouse_has_no_changes(make_warehouse):
    wh = make_warehouse()
    assert ledger(wh, "detention_stats_adp").figures == []
    panel = latest_changes(wh)
    assert panel["release"] is None and panel["changes"] == []


@given(st.lists(st.floats(1_000, 100_000), min_size=1, max_size=11), st.floats(1_000, 100_000),
       st.integers(1, 31))
def test_days_of_the_last_month_solve_back(full, last, days):
    months = [(dt.date(2024 + (9 + i) // 12, (9 + i) % 12 + 1, 1), v) for i, v in enumerate(full)]
    newest = dt.date(2024 + (9 + len(full)) // 12, (9 + len(full)) % 12 + 1, 1)
    days = min(days, month_length(newest))
    pairs = [*months, (newest, last)]
    weights = [month_length(m) for m, _ in months] + [days]
    ytd = sum(v * w for (_, v), w in zip(pairs, weights)) / sum(weights)
    solved = solve_last_month_days(pairs, ytd)
    if abs(last - ytd) > 1e-6 * ytd:
        assert solved == pytest.approx(days, abs=1e-4)
        cov = coverage_from(2025, newest + dt.timedelta(days=40), pairs, ytd)
        assert cov.days == days and cov.data_end == newest + dt.timedelta(days=days - 1)


def test_hostile_coverage_inputs():
    assert coverage_from(2026, APR9, [], None).data_end is None
    only = coverage_from(2026, dt.date(2025, 10, 20), [(dt.date(2025, 10, 1), 5.0)], 5.0)
    assert only.days == 20 and "release date" in only.basis  # unsolvable: falls back to the release
    zeros = coverage_from(2026, APR9, [(dt.date(2025, 10, 1), 10.0), (dt.date(2025, 11, 1), 0.0)], 10.0)
    assert zeros.last_month == dt.date(2025, 10, 1)  # trailing zero = placeholder
    gap = coverage_from(2026, APR9, [(dt.date(2025, 10, 1), 10.0), (dt.date(2025, 12, 1), 12.0)], 11.0)
    assert gap.gaps == [dt.date(2025, 11, 1)]


def test_cli_revisions_json_csv_and_table(fy26_db):
    runner = CliRunner()
    out = runner.invoke(app, ["revisions", "detention_stats_adp", "--fy", "2026", "--format", "json",
                              "--db", str(fy26_db)])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert [r["release_date"] for r in data["releases"]] == ["2026-02-02", "2026-02-12", "2026-04-09"]
    assert data["releases"][2]["coverage"]["days"] == 4
    out = runner.invoke(app, ["revisions", "detention_stats_adp", "--fy", "2026", "--by",
                              "arresting_agency", "--format", "csv", "--db", str(fy26_db)])
    header, *lines = out.output.splitlines()
    assert header.startswith("arresting_agency,period,2026-02-02,2026-02-12,2026-04-09,first,latest")
    assert any(line.startswith("ICE,2025-10,50572.83871,50562.870968,50556.451613") for line in lines)
    out = runner.invoke(app, ["revisions", "detention_stats_adp", "--fy", "2026", "--db", str(fy26_db)],
                        terminal_width=250)
    assert out.exit_code == 0 and "restated: 2025-10 63,177.74 → 63,175.58" in out.output


def test_cli_revisions_bad_input_is_one_line(fy26_db):
    out = CliRunner().invoke(app, ["revisions", "adp", "--db", str(fy26_db)])
    assert out.exit_code == 1 and "Traceback" not in out.output
    assert "no revision history" in out.output
    out = CliRunner().invoke(app, ["revisions", "detention_stats_adp", "--as-of", "9/4/2026",
                                   "--db", str(fy26_db)])
    assert out.exit_code == 1 and "YYYY-MM-DD" in out.output
