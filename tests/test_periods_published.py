"""Periods are data, published means published: every figure of issue 15 on ICE's real
detention-statistics workbooks (../shared/data/ice/detention-stats, all eight fiscal years and
the two earlier FY2026 releases).

Golden figures are ICE's printed fiscal-year cells (the "FY Overall"/"Total" columns); data ends
are solved from the year-to-date ADP (sources/detention_stats/coverage.py).
"""

from __future__ import annotations

import datetime as dt

import pytest

from immstat import Warehouse
from immstat.core.errors import QueryError
from immstat.sources.detention_stats import read_workbook

pytestmark = pytest.mark.shared

D = dt.date


@pytest.fixture(scope="module")
def folder(shared_data):
    return shared_data / "ice" / "detention-stats"


@pytest.fixture(scope="module")
def wh(folder, tmp_path_factory):
    path = tmp_path_factory.mktemp("periods") / "wh.duckdb"
    files = sorted(folder.glob("*.xlsx")) + sorted((folder / "earlier-releases").glob("*.xlsx"))
    with Warehouse(path) as w:
        w.ingest(files)
    w = Warehouse(path, read_only=True)
    yield w
    w.close()


# ------------------------------------------------------------------ data ends, at read time
@pytest.mark.parametrize(("name", "end"), [
    ("FY26_detentionStats_04092026.xlsx", D(2026, 4, 4)),
    ("FY25_detentionStats09242025.xlsx", D(2025, 9, 20)),
    ("FY21-detentionstats.xlsx", D(2021, 9, 11)),
    ("FY20-detentionstats.xlsx", D(2020, 9, 30)),
    ("earlier-releases/FY26_detentionStats02022026.xlsx", D(2026, 1, 25)),
    ("earlier-releases/FY26_detentionStats_02122026.xlsx", D(2026, 2, 7)),
])
def test_data_end_solved_from_the_ytd_adp(folder, name, end):
    book = read_workbook(folder / name)
    assert book.data_end == end
    assert book.data_end_basis.startswith("solved from the year-to-date ADP")


def test_placeholder_zero_months_are_not_data(folder):
    """The 2 Feb 2026 release prints February 2026 as 0 in every monthly section: null."""
    book = read_workbook(folder / "earlier-releases" / "FY26_detentionStats02022026.xlsx")
    for table in ("detention_stats_adp", "detention_stats_book_ins", "detention_stats_alos"):
        feb = [r for r in book.tables[table].to_pylist() if r["month"] == D(2026, 2, 1)]
        assert feb, table
        value = {"detention_stats_adp": "adp", "detention_stats_book_ins": "book_ins",
                 "detention_stats_alos": "alos_days"}[table]
        assert all(r[value] is None for r in feb), table
        assert all(r[f"{value}_fy_to_date"] is not None for r in feb if r.get("agency") == "Total")


def test_provenance_states_the_data_end(wh):
    ends = {s["file_name"]: s["data_end"] for s in wh.sources()}
    assert ends["FY26_detentionStats_04092026.xlsx"] == D(2026, 4, 4)
    assert ends["FY21-detentionstats.xlsx"] == D(2021, 9, 11)


# ------------------------------------------------------------------ published means published
@pytest.mark.parametrize(("metric", "fy", "printed", "digits"), [
    ("detention_stats_adp", 2026, 66_978.0, 1),
    ("detention_stats_adp", 2025, 48_404.5, 1),
    ("detention_stats_adp", 2021, 19_254.3, 1),
    ("detention_stats_alos", 2021, 45.72, 2),
    ("detention_stats_alos", 2020, 63.54, 2),
])
@pytest.mark.parametrize("grain", [None, "fy"])
def test_fiscal_year_is_the_printed_figure(wh, metric, fy, printed, digits, grain):
    assert round(wh.query(metric, fy=fy, grain=grain).value(), digits) == printed


def test_fy2025_adp_is_not_todays_whole_month_mean(wh):
    assert round(wh.query("detention_stats_adp", fy=2025).value(), 1) != 48_730.9


def test_monthly_figures_are_day_weighted_to_the_data_end(wh):
    """Oct 2025–Apr 2026 from the months (April weighs its 4 days) equals ICE's YTD figure."""
    months = wh.query("detention_stats_adp", date_from="2025-10-01", date_to="2026-04-30")
    assert months.value() == pytest.approx(66_978.048387, abs=0.05)
    april = wh.query("detention_stats_adp", fy=2026, grain="month").to_pandas().iloc[-1]
    assert (april["month"], april["period_end"], bool(april["partial"])) == (
        D(2026, 4, 1), D(2026, 4, 4), True)


def test_several_fiscal_years_weight_by_covered_days(wh):
    both = wh.query("detention_stats_adp", date_from="2024-10-01", date_to="2026-09-30").value()
    fy25, fy26 = (wh.query("detention_stats_adp", fy=y).value() for y in (2025, 2026))
    assert both == pytest.approx((fy25 * 355 + fy26 * 186) / (355 + 186))
    books = wh.query("detention_stats_book_ins", date_from="2024-10-01", date_to="2026-09-30")
    assert books.value() == sum(wh.query("detention_stats_book_ins", fy=y).value()
                                for y in (2025, 2026))


def test_per_day_on_the_true_span(wh):
    """FY2026 ICE-arrested book-ins: 1,113 a day over the 186 days the data cover."""
    r = wh.query("detention_stats_book_ins", fy=2026, by=["arresting_agency"])
    ice = next(row for row in r.table.to_pylist() if row["arresting_agency"] == "ICE")
    days = (ice["period_end"] - ice["period_start"]).days + 1
    assert days == 186 and round(ice["value"] / days) == 1113


def test_result_states_data_end_and_basis(wh):
    r = wh.query("detention_stats_adp", fy=2026)
    d = r.to_dict()
    assert d["data_end"] == "2026-04-04" and "year-to-date ADP" in d["data_end_basis"]
    assert d["partial"] is True and d["columns"][-3:] == ["period_start", "period_end", "partial"]
    assert [s["file"] for s in d["sources"]] == ["FY26_detentionStats_04092026.xlsx"]
    whole = wh.query("detention_stats_alos", fy=2020)
    assert whole.data_end == D(2020, 9, 30) and not whole.partial


def test_as_of_an_earlier_release(wh):
    """As of 5 Feb 2026 the newest release is 2 Feb: data through 25 Jan, no February cell."""
    r = wh.query("detention_stats_adp", fy=2026, grain="month", as_of="2026-02-05")
    rows = r.table.to_pylist()
    assert rows[-1]["month"] == D(2026, 1, 1) and rows[-1]["period_end"] == D(2026, 1, 25)
    assert r.data_end == D(2026, 1, 25)


def test_fy_only_figures_exist_only_at_fy_grain(wh):
    for grain in ("month", "week", "day"):
        with pytest.raises(QueryError, match="per fiscal year only"):
            wh.query("detention_stats_removals", grain=grain)
    with pytest.raises(QueryError, match="per fiscal year only"):
        wh.query("detention_stats_removals", date_from="2025-01-01", date_to="2025-06-30")
    fy = wh.query("detention_stats_removals", fy=2025)
    assert fy.value() == wh.query("detention_stats_removals", fy=2025, grain="fy").value()


def test_the_two_population_metrics_say_which_is_which():
    from immstat.metrics import get_metric

    ddp, ice = get_metric("adp"), get_metric("detention_stats_adp")
    assert ddp.title != ice.title
    assert "DDP" in ddp.title and "held in a day" in ddp.title
    assert ddp.notes == ice.notes[-1:] and "2–3%" in ddp.notes[0]
    assert "ICE" in ice.title
