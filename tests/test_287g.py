"""287(g) agreements → agreements_287g: snapshots, models, county FIPS, accounting, detection."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from immstat import Warehouse
from immstat.sources.detect import plan_file

WATCH = "287g/agreements.csv"
ICE = "287g/participatingAgencies08132025am.xlsx"


@pytest.fixture(scope="module")
def wh(shared_data, ingested):
    db, _ = ingested("g287", [shared_data / WATCH, shared_data / ICE])
    warehouse = Warehouse(db)
    yield warehouse
    warehouse.close()


def one(wh, sql: str, params=()):
    return wh._con.execute(sql, list(params)).fetchone()


@pytest.mark.parametrize("snapshot, rows", [
    # rows per "date" value of agreements.csv (counted with pandas value_counts)
    ("2025-05-16 am", 571), ("2025-05-19 pm", 588), ("2025-06-17 pm", 706), ("2025-07-03 pm", 753)])
def test_watch_snapshots(wh, snapshot, rows):
    assert one(wh, "SELECT count(*) FROM agreements_287g WHERE snapshot = ?", [snapshot])[0] == rows


def test_watch_has_17_snapshots_over_15_days(wh):
    assert one(wh, "SELECT count(DISTINCT snapshot), count(DISTINCT snapshot_date) FROM "
                   "agreements_287g WHERE series = 'agreements_287g_watch'") == (17, 15)


def test_ice_list_of_13_august_2025(wh):
    # 897 data rows under the header; SUPPORT TYPE counts (trailing spaces trimmed by hand):
    # Task Force Model 437 + 7, Warrant Service Officer 331, Jail Enforcement Model 122.
    rows = dict(wh._con.execute(
        "SELECT support_type, count(*) FROM agreements_287g WHERE snapshot_date = DATE '2025-08-13' "
        "GROUP BY 1").fetchall())
    assert rows == {"Task Force": 444, "Warrant Service Officer": 331, "Jail Enforcement": 122}
    assert one(wh, "SELECT count(signed_date) FROM agreements_287g WHERE series = "
                   "'ice_287g_participating_agencies'")[0] == 897
    colbert = one(wh, "SELECT signed_date, county_fips, state FROM agreements_287g WHERE "
                      "snapshot_date = DATE '2025-08-13' AND agency = 'Colbert County Sheriff''s "
                      "Office' AND support_type = 'Jail Enforcement'")
    assert colbert == (dt.date(2025, 5, 8), "01033", "AL")


def test_counties_resolve_to_fips(wh):
    """Named counties resolve through the county table plus the reviewed misspellings of
    county_aliases_287g.csv ('Berrian' → Berrien MI, 'Lake Conty' → Lake FL, 'Hopewell County' →
    Hopewell city VA …). Left null, not guessed: 'Albemarle County' under NC (no such county; the
    district jail serves several), 'Bowie County' under AR (a Texas county; Texarkana PD) and
    'Washington County' under WV (none exists; the State Police)."""
    named, resolved = one(wh, "SELECT count(county), count(county_fips) FROM agreements_287g")
    assert (named, resolved) == (7889 + 665, 7872 + 662)
    unmatched = wh.cursor().execute("SELECT DISTINCT state, county FROM agreements_287g WHERE county IS "
                               "NOT NULL AND county_fips IS NULL ORDER BY 1").fetchall()
    assert unmatched == [("AR", "Bowie County"), ("NC", "Albemarle County"), ("WV", "Washington County")]
    assert one(wh, "SELECT county_fips FROM agreements_287g WHERE state = 'FL' AND county = "
                   "'Hillsborough County' LIMIT 1")[0] == "12057"
    for state, county, fips in [("FL", "Lake Conty", "12069"), ("VA", "Hopewell County", "51670"),
                                ("MI", "Berrian County", "26021"), ("AL", "Frankin County", "01059")]:
        found = wh.cursor().execute("SELECT DISTINCT county_fips FROM agreements_287g WHERE state = ? AND "
                               "county = ?", [state, county]).fetchall()
        assert found == [(fips,)], (state, county)
    assert one(wh, "SELECT count(*) FROM agreements_287g WHERE county IN ('NA', '#NA', 'N/A') OR "
                   "agency_type = 'NA'")[0] == 0


def test_agreements_over_time_grow_in_texas(wh):
    by_day = wh._con.execute("SELECT snapshot, count(*) FROM agreements_287g WHERE state = 'TX' "
                            "GROUP BY 1 ORDER BY 1").fetchall()
    assert by_day[0] == ("2025-05-16 am", 86) and by_day[-1][1] == 137  # 13 Aug 2025 ICE list


def test_row_accounting_and_reingest(wh, shared_data):
    for r in wh.sources():
        assert r["rows_in"] == r["rows_loaded"] + r["rows_rejected"]
    assert {r["kind"]: r["rows_loaded"] for r in wh.sources()} == {
        "agreements_287g_watch": 11_257, "ice_287g_participating_agencies": 897}
    assert all(r.skipped for r in wh.ingest([shared_data / WATCH, shared_data / ICE]))
    assert one(wh, "SELECT count(*) FROM agreements_287g")[0] == 11_257 + 897


@pytest.mark.parametrize("name, kind, suffix", [
    (WATCH, "agreements_287g_watch", ".txt"),
    (ICE, "ice_287g_participating_agencies", ".txt")])
def test_detected_by_content_not_name(shared_data, tmp_path, name, kind, suffix):
    renamed = tmp_path / f"list{suffix}"
    shutil.copy(shared_data / name, renamed)
    assert plan_file(renamed).kind == kind


def test_ice_list_without_a_date_is_rejected_with_a_fix(shared_data, make_warehouse, tmp_path):
    undated = tmp_path / "participatingAgencies.xlsx"
    shutil.copy(shared_data / ICE, undated)
    wh = make_warehouse()
    report = wh.ingest([undated])[0]
    assert (report.rows_loaded, report.rows_rejected) == (0, 897)
    assert "put the download date in the file name" in wh.rejects(report.source_id)[0]["reason"]
