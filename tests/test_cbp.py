"""CBP encounters → cbp_encounters_monthly: golden totals, cross-reference, accounting, detection."""

from __future__ import annotations

import shutil

import pyarrow.csv as pacsv
import pytest

from immstat import Warehouse
from immstat.sources.detect import plan_file

NATIONWIDE = "cbp/cbp-nationwide-encounters-fy20-fy23-state.csv"
SECTORS = "cbp/usbp_monthly_encounters_by_sector_fy2000-fy2020.csv.gz"


@pytest.fixture(scope="module")
def wh(shared_data, ingested):
    warehouse = Warehouse(ingested("cbp", [shared_data / NATIONWIDE, shared_data / SECTORS])[0])
    yield warehouse
    warehouse.close()


def total(wh, series: str, where: str = "TRUE") -> int:
    return wh._con.execute(f"SELECT sum(encounters) FROM cbp_encounters_monthly WHERE series = ? "
                          f"AND {where}", [series]).fetchone()[0]


@pytest.mark.parametrize("fy, expected", [
    # Sum of "Encounter Count" per Fiscal Year in the CSV (checked with pandas); equal to CBP's
    # published nationwide encounter totals for FY2020–FY2023.
    (2020, 646_822), (2021, 1_956_519), (2022, 2_766_582), (2023, 3_201_144)])
def test_nationwide_fiscal_year_totals(wh, fy, expected):
    assert total(wh, "cbp_nationwide_encounters", f"fiscal_year = {fy}") == expected


def test_nationwide_cells(wh):
    # Summed by hand (pandas) from the CSV: FY2022 October, Southwest border, single adults from
    # Mexico under Title 42 = 58,364 over 4 state rows; all FY2021 encounters in Texas = 1,115,906.
    assert total(wh, "cbp_nationwide_encounters",
                 "month = DATE '2021-10-01' AND region = 'Southwest Land Border' AND demographic = "
                 "'Single Adults' AND citizenship = 'MEXICO' AND title_of_authority = 'Title 42'"
                 ) == 58_364
    assert total(wh, "cbp_nationwide_encounters", "fiscal_year = 2021 AND state = 'TX'") == 1_115_906
    states = wh._con.execute("SELECT count(DISTINCT state), count(*) FILTER (WHERE state IS NULL) "
                            "FROM cbp_encounters_monthly WHERE series = 'cbp_nationwide_encounters'"
                            ).fetchone()
    assert states == (48, 0)  # 48 distinct USPS codes incl. territories; every state recognised


@pytest.mark.parametrize("where, expected", [
    # CBP's USBP tables: nationwide apprehensions FY2000 1,676,438; FY2019 859,501; FY2020 405,036;
    # Rio Grande Valley sector FY2019 339,135; El Paso sector FY2019 182,143.
    ("fiscal_year = 2000", 1_676_438), ("fiscal_year = 2019", 859_501),
    ("fiscal_year = 2020", 405_036), ("fiscal_year = 2019 AND sector = 'Rio Grande Valley'", 339_135),
    ("fiscal_year = 2019 AND sector = 'El Paso'", 182_143)])
def test_sector_golden(wh, where, expected):
    assert total(wh, "usbp_sector_encounters", where) == expected


def test_sector_cells_add_up_to_the_published_totals(wh, shared_data):
    raw = pacsv.read_csv(shared_data / SECTORS, parse_options=pacsv.ParseOptions(delimiter="|"))
    ours = dict(wh._con.execute(
        "SELECT month, sum(encounters) FROM cbp_encounters_monthly WHERE series = "
        "'usbp_sector_encounters' GROUP BY 1").fetchall())
    by_region = dict(wh._con.execute(
        "SELECT month || region, sum(encounters) FROM cbp_encounters_monthly WHERE series = "
        "'usbp_sector_encounters' GROUP BY 1").fetchall())
    import datetime as dt

    for r in raw.to_pylist():
        month = dt.date(r["cy"], r["month"], 1)
        assert ours[month] == r["monthly_total"]
        assert by_region[f"{month}Southwest Land Border"] == r["southwest_border"]
        assert by_region[f"{month}Northern Land Border"] == r["northern_border"]
        # coastal_border includes Livermore (an interior sector, closed in 2005)
        assert by_region[f"{month}Coastal Border"] == r["coastal_border"]


def test_monthly_totals_against_ddp_cross_reference(wh, shared_data):
    """DDP's cbp_usb_encounter_count is CBP's public USBP count. The USBP sector series equals it
    exactly for every month of FY2020 (the overlap). The nationwide series is OFO + USBP, so it
    is larger every month: e.g. Oct 2019 61,159 vs 36,040 (+25,119 OFO), Jun 2023 211,457 vs
    100,606 (+110,851); FY2021–FY2023 have no USBP-only series here to compare exactly."""
    ref = pacsv.read_csv(shared_data / "ddp/cbp/encounters_monthly_cross_reference.csv").to_pylist()
    usbp = {r["month_start"]: r["cbp_usb_encounter_count"] for r in ref}
    sectors = dict(wh._con.execute("SELECT month, sum(encounters) FROM cbp_encounters_monthly WHERE "
                                  "series = 'usbp_sector_encounters' AND fiscal_year = 2020 "
                                  "GROUP BY 1").fetchall())
    assert len(sectors) == 12
    assert all(usbp[m] == n for m, n in sectors.items())
    nationwide = dict(wh._con.execute("SELECT month, sum(encounters) FROM cbp_encounters_monthly "
                                     "WHERE series = 'cbp_nationwide_encounters' GROUP BY 1").fetchall())
    assert len(nationwide) == 48
    assert all(n > usbp[m] for m, n in nationwide.items())
    import datetime as dt

    assert nationwide[dt.date(2019, 10, 1)] - usbp[dt.date(2019, 10, 1)] == 25_119


def test_months_and_fiscal_years_agree(wh):
    bad = wh._con.execute("SELECT count(*) FROM cbp_encounters_monthly WHERE fiscal_year <> "
                         "fiscal_year(month) OR day(month) <> 1").fetchone()[0]
    assert bad == 0
    first = wh._con.execute("SELECT min(month) FROM cbp_encounters_monthly WHERE series = "
                           "'cbp_nationwide_encounters'").fetchone()[0]
    assert first.isoformat() == "2019-10-01"  # FY2020 OCT


def test_row_accounting(wh):
    rows = {r["kind"]: r for r in wh.sources()}
    nat, sec = rows["cbp_nationwide_encounters"], rows["usbp_sector_encounters"]
    assert (nat["rows_in"], nat["rows_loaded"], nat["rows_rejected"]) == (42_532, 42_532, 0)
    assert sec["rows_loaded"] == 252 * 21  # 252 months × 21 sectors, made long
    for r in (nat, sec):
        assert r["rows_in"] == r["rows_loaded"] + r["rows_rejected"]
        assert r["rows_loaded"] == wh._con.execute(
            "SELECT count(*) FROM cbp_encounters_monthly WHERE source_id = ?", [r["source_id"]]
        ).fetchone()[0]


def test_reingest_is_a_no_op(wh, shared_data):
    before = wh._con.execute("SELECT count(*), sum(hash(event_id)) FROM cbp_encounters_monthly").fetchone()
    reports = wh.ingest([shared_data / NATIONWIDE, shared_data / SECTORS])
    assert all(r.skipped for r in reports)
    assert wh._con.execute("SELECT count(*), sum(hash(event_id)) FROM cbp_encounters_monthly"
                          ).fetchone() == before


@pytest.mark.parametrize("name, kind", [(NATIONWIDE, "cbp_nationwide_encounters"),
                                        (SECTORS, "usbp_sector_encounters")])
def test_detected_by_content_not_name(shared_data, tmp_path, name, kind):
    renamed = tmp_path / "download.txt"
    shutil.copy(shared_data / name, renamed)
    assert plan_file(renamed).kind == kind


def test_fytd_labels_and_bad_months(make_warehouse, tmp_path):
    path = tmp_path / "encounters.csv"
    path.write_text(
        "Fiscal Year,Month Grouping,Month (abbv),Land Border Region,State,Demographic,Citizenship,"
        "Title of Authority,Encounter Count\n"
        "2024 (FYTD),FYTD,NOV,Southwest Land Border,TX,FMUA,MEXICO,Title 8,7\n"
        "2024 (FYTD),FYTD,XYZ,Southwest Land Border,TX,FMUA,MEXICO,Title 8,3\n"
        "2024,FYTD,SEP,Other,Guam,Single Adults,OTHER,Title 8,2\n")
    wh = make_warehouse()
    report = wh.ingest([path])[0]
    assert (report.rows_in, report.rows_loaded, report.rows_rejected) == (3, 2, 1)
    rows = wh._con.execute("SELECT month, fiscal_year, state FROM cbp_encounters_monthly ORDER BY 1"
                          ).fetchall()
    assert [(m.isoformat(), fy, s) for m, fy, s in rows] == [("2023-11-01", 2024, "TX"),
                                                           ("2024-09-01", 2024, "GU")]
    assert wh.rejects(report.source_id)[0]["reason"] == "unreadable fiscal year or month"


# ---------------------------------------------------------------- USBP nationwide monthly (DDP)
CROSS_REFERENCE = "ddp/cbp/encounters_monthly_cross_reference.csv"


@pytest.fixture(scope="module")
def usbp(shared_data, ingested):
    db, [report] = ingested("usbp", [shared_data / CROSS_REFERENCE])
    warehouse = Warehouse(db)
    yield warehouse, report
    warehouse.close()


def test_usbp_monthly_per_fiscal_year_equals_the_file(usbp, shared_data):
    import csv

    wh, report = usbp
    with open(shared_data / CROSS_REFERENCE, newline="") as f:
        rows = list(csv.DictReader(f))
    sums: dict[int, int] = {}
    for r in rows:
        sums[int(r["fiscal_year"])] = sums.get(int(r["fiscal_year"]), 0) + int(r["cbp_usb_encounter_count"])
    assert (report.rows_in, report.rows_loaded, report.rows_rejected) == (len(rows), len(rows), 0)
    result = wh.query("usbp_encounters_monthly", grain="fy")
    assert {row[0]: row[1] for row in result.rows()} == sums
    assert sums[2020] == 405_036  # = the sector table's FY2020 total (test_sector_golden)
    assert "FY2020" in result.metric.title and not result.metric.record_derived
    assert [s["kind"] for s in result.sources] == ["ddp_usbp_monthly_encounters"]
    months = wh.query("usbp_encounters_monthly", grain="month", fy=2026).rows()
    assert months[-1][:2] == ["2026-07-01", 11_298]


def test_usbp_monthly_never_mixes_series(usbp, shared_data):
    wh, _ = usbp
    wh.ingest([shared_data / SECTORS])
    assert wh.query("usbp_encounters_monthly", fy=2020).value() == 405_036  # not doubled
    assert wh.query("usbp_encounters", fy=2020).value() == 405_036
