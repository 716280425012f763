"""ICE's published ERO statistics workbook → ``ero_stats`` and the ``ero_stats_*`` metrics: every
sheet read (recognised by its header, not its name), golden sums, and the coverage of ICE's
published annual totals that every result carries."""

from __future__ import annotations

import pytest
import xlsxwriter

from immstat import Warehouse
from immstat.sources.detect import plan_file
from ingest_checks import q

WORKBOOK = "ice/ero-statistics/ice-ero-statistics-fy2021-fy2025q1.xlsx"
# data rows per sheet (SOURCES.md; openpyxl row counts minus the header)
SHEETS = {"arrests": 9_707, "detentions": 12_629, "removals": 7_715, "atd": 57_115,
          "t42_individuals": 143, "t42_flights": 159}
METRICS = ("ero_stats_arrests", "ero_stats_detentions", "ero_stats_removals", "ero_stats_atd",
           "ero_stats_t42_expulsions", "ero_stats_t42_flights")


@pytest.fixture(scope="module")
def ero(shared_data, ingested):
    db, [report] = ingested("ero", [shared_data / WORKBOOK])
    wh = Warehouse(db)
    yield wh, report
    wh.close()


def test_all_six_sheets_loaded(ero):
    wh, report = ero
    assert report.kind == "ice_ero_statistics" and not report.synthetic
    assert (report.rows_in, report.rows_loaded, report.rows_rejected) == (87_468, 87_468, 0)
    got = dict(q(wh, "SELECT series, count(*) FROM ero_stats GROUP BY 1", one=False))
    assert got == SHEETS
    for name in ("ICE-ERO Administrative Arrests", "ICE Detentions", "ICE Removals", "ICE ATD",
                 "ICE T42 Expulsions Indivduals", "ICE T42 Expulsions Flights "):
        assert repr(name.strip()) in report.reason


@pytest.mark.parametrize("fy, expected", [(2021, 59_725), (2022, 122_443), (2023, 146_474),
                                          (2024, 88_907)])
def test_arrest_sums(ero, fy, expected):
    """SOURCES.md: the sheet's sums per fiscal year (ICE omits rows under 10)."""
    wh, _ = ero
    assert wh.query("ero_stats_arrests", fy=fy).value() == expected


def test_coverage_of_published_arrests(ero):
    wh, _ = ero
    result = wh.query("ero_stats_arrests", fy=2023)
    [year] = result.coverage["years"]
    assert year == {"fiscal_year": 2023, "national_sum": 146_474, "published_total": 170_590,
                    "share": 0.859,
                    "text": "covers 86% of the 170,590 arrests ICE reported for FY2023"}
    assert result.to_dict()["coverage"] == result.coverage
    # the national coverage also rides on a breakdown (it is about the table, not the cell)
    by_aor = wh.query("ero_stats_arrests", by=["aor"], fy=2023)
    assert by_aor.coverage == result.coverage
    assert sum(r[1] for r in by_aor.rows()) == 146_474  # published: nothing suppressed


def test_removals_fy2024_of_published(ero):
    wh, _ = ero
    result = wh.query("ero_stats_removals", fy=2024)
    assert result.value() == 235_577
    [year] = result.coverage["years"]
    assert (year["national_sum"], year["published_total"]) == (235_577, 271_484)
    assert year["share"] == round(235_577 / 271_484, 3)


def test_every_metric_carries_coverage_and_other_results_none(ero):
    wh, _ = ero
    for metric in METRICS:
        result = wh.query(metric, grain="fy")
        assert result.coverage is not None and result.coverage["years"], metric
        assert not result.metric.record_derived and result.suppressed == 0
    series = wh.query("ero_stats_detentions", grain="fy").coverage["years"]
    assert all(y["published_total"] is None and "no annual total" in y["text"] for y in series)
    partial = wh.query("ero_stats_arrests", fy=2025)
    assert any("FY2025 is partial" in n and "31 Dec 2024" in n for n in partial.notes)


def test_dimensions_of_each_sheet(ero):
    wh, _ = ero
    by_agency = dict((r[0], r[1]) for r in wh.query("ero_stats_removals", by=["arresting_agency"],
                                                   fy=2024).rows())
    assert set(by_agency) == {"CBP", "ICE"} and sum(by_agency.values()) == 235_577
    crim = {r[0] for r in wh.query("ero_stats_arrests", by=["criminality"], fy=2023).rows()}
    assert crim == {"convicted", "pending", "other"}
    stages = {r[0] for r in wh.query("ero_stats_atd", by=["legal_stage"], fy=2024).rows()}
    assert stages == {"Appeal", "Post-Order", "Pre-Order", "Unknown"}
    # ATD is a monthly snapshot: a fiscal year is the mean of its months, not their sum
    # (FY2023 has all 12 snapshots; the sheet has no July 2024)
    months = [r[1] for r in wh.query("ero_stats_atd", grain="month", fy=2023).rows()]
    assert len(months) == 12
    assert wh.query("ero_stats_atd", fy=2023).value() == pytest.approx(sum(months) / 12)
    unmapped = q(wh, "SELECT sum(n_unreadable) FROM source_columns WHERE \"column\" LIKE '%.aor'")
    assert unmapped == 117 + 132  # 'Unmapped AOR Records' and 'HQ': no field office, counted


def _sheet(path, name: str, header: list[str], rows: list[list]) -> None:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet(name)
    for r, values in enumerate([header, *rows]):
        sheet.write_row(r, 0, values)
    book.close()


ARRESTS_HEADER = ["Criminality", "Area of Responsibility (AOR)", "Country of Citizenship",
                  "Fiscal Year", "Fiscal Quarter", "Fiscal Month", "Month-Year",
                  "Administrative Arrests"]


def test_recognised_by_header_not_sheet_name(make_warehouse, tmp_path):
    path = tmp_path / "Book1.xlsx"
    _sheet(path, "Sheet1", ARRESTS_HEADER, [
        ["Criminal Conviction", "Atlanta", "MEXICO", 2023, 1, 1, "Oct 2022", 25],
        ["Other Immigration Violator", "Houston", "HONDURAS", 2023, 2, 4, "Jan 2023", 40],
        ["Pending Criminal Charges", "Houston", "HONDURAS", 2023, 2, 4, "Feb 2023", 11],
    ])
    assert plan_file(path).kind == "ice_ero_statistics"
    wh = make_warehouse()
    [report] = wh.ingest([path])
    assert (report.rows_in, report.rows_loaded, report.rows_rejected) == (3, 2, 1)
    [reject] = wh.rejects(report.source_id)
    assert reject["row_number"] == 4
    assert reject["reason"] == "fiscal year, fiscal month and month do not agree"
    assert wh.query("ero_stats_arrests", fy=2023).value() == 65


def test_a_newer_workbook_replaces_the_older(make_warehouse, tmp_path):
    old, new = tmp_path / "old.xlsx", tmp_path / "new.xlsx"
    _sheet(old, "A", ARRESTS_HEADER, [["Criminal Conviction", "Atlanta", "MEXICO", 2023, 1, 1,
                                       "Oct 2022", 25]])
    _sheet(new, "B", ARRESTS_HEADER, [["Criminal Conviction", "Atlanta", "MEXICO", 2023, 1, 1,
                                       "Oct 2022", 26],
                                      ["Criminal Conviction", "Atlanta", "MEXICO", 2023, 1, 2,
                                       "Nov 2022", 30]])
    wh = make_warehouse()
    wh.ingest([old, new])
    assert wh.query("ero_stats_arrests", fy=2023).value() == 56  # not 81: no double count
    assert [s["superseded_by"] is not None for s in wh.sources()] == [False, True]
