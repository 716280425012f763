"""ICE detention-statistics workbooks: totals checked by hand against the spreadsheets' own
totals rows, ingest row accounting, keep-releases and the latest-release SQL."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from immstat import Warehouse
from immstat.core.parse import NotANumber
from immstat.core.parse import parse_number as number
from immstat.sources.detention_stats import latest_release_sql, read_workbook

FILES = ("FY19-detentionstats.xlsx", "FY20-detentionstats.xlsx", "FY21-detentionstats.xlsx",
         "FY22-detentionStats.xlsx", "FY23_detentionStats.xlsx", "FY24_detentionStats.xlsx",
         "FY25_detentionStats09242025.xlsx", "FY26_detentionStats_04092026.xlsx")


@pytest.fixture(scope="module")
def folder(shared_data):
    return shared_data / "ice" / "detention-stats"


def _rows(book, section, **where):
    return [r for r in book.tables[f"detention_stats_{section}"].to_pylist()
            if all(r[k] == v for k, v in where.items())]


def test_number_rules():
    assert number("1,234*") == 1234.0 and number(" 12.5 ") == 12.5
    assert number(None) is None and number("N/A") is None and number("-") is None
    with pytest.raises(NotANumber):
        number("see note 3")


@pytest.mark.shared
def test_release_dates_and_fiscal_years(folder):
    fy26 = read_workbook(folder / FILES[7])
    assert (fy26.fiscal_year, fy26.release_date, fy26.release_basis) == (
        2026, dt.date(2026, 4, 9), "file name")
    fy19 = read_workbook(folder / FILES[0])  # no date in name or Header: IIDS date, A6 Facilities
    assert fy19.release_date == dt.date(2019, 10, 7) and "IIDS" in fy19.release_basis
    fy23 = read_workbook(folder / FILES[4])  # sheet "ATD FY24 YTD" inside the FY23 workbook
    assert {r["fiscal_year"] for r in _rows(fy23, "atd")} == {2023, 2024}


@pytest.mark.shared
def test_fy26_totals_by_hand(folder):
    book = read_workbook(folder / FILES[7])
    # 'Detention FY26' B20/D20/F20: currently detained ICE 51428, CBP 8883, Total 60311;
    # the criminality rows (F21:F23) sum to F20.
    detained = {(r["criminality"], r["agency"]): r["detained"] for r in _rows(book, "currently_detained")}
    assert (detained["Total", "ICE"], detained["Total", "CBP"], detained["Total", "Total"]) == (
        51428, 8883, 60311)
    assert sum(v for (c, a), v in detained.items() if a == "Total" and c != "Total") == 60311
    # Book-ins V20 (FY total 230354) = sum of J20:P20 (Oct-Apr) = CBP V21 + ICE V22.
    total = _rows(book, "book_ins", agency="Total")
    assert sum(r["book_ins"] or 0 for r in total) == total[0]["book_ins_fy_to_date"] == 230354
    assert sum(r["book_ins_fy_to_date"] for r in _rows(book, "book_ins", month=dt.date(2025, 10, 1))
               if r["agency"] != "Total") == 230354
    # Months after the 04/09/2026 release print as 0 (Q20:U20) and come back NULL.
    assert [r["book_ins"] for r in total if r["month"] >= dt.date(2026, 5, 1)] == [None] * 5
    # 'ATD FY26 YTD' B13 = B29 = 180701 participants; the AOR rows (B30 on) sum to it.
    atd = _rows(book, "atd", technology="Total")
    assert [r["participants"] for r in atd if r["aor_name"] == "Total"] == [180701]
    assert sum(r["participants"] for r in atd if r["aor"]) == 180701
    assert len({r["aor"] for r in atd if r["aor"]}) == 25  # every AOR name resolved to a code
    tech = _rows(book, "atd_population", breakdown="technology")
    assert [r["participants"] for r in tech if r["category"] == "Total"] == [180701]
    # Book-outs C37:N37 monthly totals and O37 = 227695 = book-outs by facility type J29.
    outs = _rows(book, "book_outs", release_reason="Total")
    assert outs[0]["book_outs_fy_to_date"] == 227695
    assert _rows(book, "book_outs_facility_type", facility_type="Total")[0]["book_outs"] == 227695


@pytest.mark.shared
def test_fy19_annual_layout_by_hand(folder):
    book = read_workbook(folder / FILES[0])
    # 'Detention FY19' E38 = 263263 final releases (no monthly columns before FY21): month NULL.
    rows = _rows(book, "book_outs", release_reason="Total", criminality="Total")
    assert [(r["month"], r["book_outs_fy_to_date"]) for r in rows] == [(None, 263263)]
    # Bonded Out E39 (54102) = Bond Set by ICE E40 (19766) + Bond Set by IJ E41 (34336).
    by = {r["release_reason"]: r["book_outs_fy_to_date"]
          for r in _rows(book, "book_outs", criminality="Total")}
    assert by["Bonded Out"] == by["Bond Set by ICE"] + by["Bond Set by IJ"] == 54102
    # FY19 ADP uses Convicted / Non-Criminal rows; 'Average' N59 = CBP N53 + ICE N56.
    fy = {(r["agency"], r["criminality"]): r["adp_fy_to_date"]
          for r in _rows(book, "adp", month=dt.date(2018, 10, 1))}
    assert fy["Total", "Total"] == pytest.approx(fy["CBP", "Total"] + fy["ICE", "Total"])
    assert ("ICE", "Non-Criminal") in fy


@pytest.mark.shared
@pytest.mark.slow
def test_ingest_all_workbooks(folder, tmp_path):
    paths = [folder / f for f in FILES]
    expected = {}
    for p in paths:
        book = read_workbook(p)
        expected[p.name] = (sum(t.num_rows for t in book.tables.values()), len(book.rejects))
    with Warehouse(tmp_path / "wh.duckdb") as wh:
        reports = wh.ingest(paths)
        for rep in reports:
            name = rep.path.rsplit("/", 1)[-1]
            assert rep.kind == "ice_detention_stats"
            assert rep.rows_in == rep.rows_loaded + rep.rows_rejected
            assert (rep.rows_loaded, rep.rows_rejected) == expected[name]
        loaded = wh.con.execute(
            "SELECT sum(rows_loaded) FROM sources WHERE kind = 'ice_detention_stats'").fetchone()[0]
        in_tables = sum(wh.table_rows(t) for t in wh.con.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_name LIKE 'detention_stats_%'").fetchall() for t in t)
        assert loaded == in_tables
        datasets = [r["dataset"] for r in wh.sources()]
        assert sorted(datasets) == [f"ice_detention_stats:FY{y}" for y in range(19, 27)]
        again = wh.ingest(paths)  # same sha256: nothing happens
        assert all(r.skipped for r in again)
        assert wh.con.execute("SELECT count(*) FROM sources").fetchone()[0] == 8
        _check_latest_release(wh.con)


def _check_latest_release(con: duckdb.DuckDBPyConnection) -> None:
    # FY24 ATD is in two releases: the FY23 workbook (IIDS date 2023-09-30, sheet "ATD FY24 YTD")
    # and the FY24 workbook (2024-10-07). Latest by default; --as-of picks the older one.
    q = "SELECT DISTINCT release_date FROM ({}) WHERE fiscal_year = 2024"
    assert con.execute(q.format(latest_release_sql("detention_stats_atd"))).fetchall() == [
        (dt.date(2024, 10, 7),)]
    assert con.execute(q.format(latest_release_sql(
        "detention_stats_atd", as_of=dt.date(2024, 1, 1)))).fetchall() == [(dt.date(2023, 9, 30),)]
    fy26 = con.execute(f"SELECT count(*) FROM ({latest_release_sql('detention_stats_adp')}) "
                       "WHERE fiscal_year = 2026").fetchone()[0]
    assert fy26 == 144
