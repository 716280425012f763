"""Golden numbers: metrics equal figures known independently of the metrics layer.

(a) A synthetic warehouse generated at scale 1 for FY2023–FY2024 has national arrest totals equal
    to ICE's published ERO administrative arrests (src/immstat/data/reference/
    ice-annual-arrests-removals.csv: FY2023 170,590 — ICE FY2023 annual report; FY2024 113,431 —
    ICE FY2024 annual report).
(b) On the REAL facility daily populations (Deportation Data Project, bundled
    facilities-daily-population-latest.parquet) a few figures recomputed here with pyarrow
    straight from the raw parquet, and hand-checked once with the DuckDB CLI
    (``SELECT date, sum(n_detained) FROM '<file>' WHERE date IN (...) GROUP BY 1``).
(c) detention_stats_adp at grain fy equals the cell ICE printed in its FY2024 detention-statistics
    workbook (FY24_detentionStats.xlsx, sheet "Detention FY24", cell N99: row "Average", column
    "FY Overall" of "ICE Average Daily Population by Arresting Agency, Month and Criminality:
    EOFY2024" = 37721.8032786885).
"""

from __future__ import annotations

import csv
import datetime as dt

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from immstat import Warehouse
from immstat.core.reference import data_path
from immstat.sources import synth

FACILITY_FILE = data_path("demo", "facilities-daily-population-latest.parquet")
FY24_WORKBOOK = data_path("demo", "ice-detention-stats", "FY24_detentionStats.xlsx")


# ------------------------------------------------------------------ (a) synthetic, calibrated
def _published_arrests() -> dict[int, int]:
    with open(data_path("reference", "ice-annual-arrests-removals.csv"), newline="") as f:
        return {int(r["fiscal_year"]): int(r["ero_administrative_arrests"]) for r in csv.DictReader(f)}


@pytest.fixture(scope="module")
def calibrated_wh(built):
    def build(folder):
        paths = synth.generate("arrests", rows=None, out=folder, fmt="parquet", seed=0,
                               fiscal_years=[2023, 2024], scale=1.0)
        with Warehouse(folder / "wh.duckdb") as wh:
            wh.ingest(paths)

    wh = Warehouse(built("golden-synth", build)[0] / "wh.duckdb")
    yield wh
    wh.close()


def test_synthetic_arrests_equal_published_ice_totals(calibrated_wh):
    published = _published_arrests()
    assert (published[2023], published[2024]) == (170_590, 113_431)  # the CSV as cited above
    rows = calibrated_wh.query("arrests", grain="fy").rows()
    assert [r[:3] for r in rows] == [[2023, 170_590.0, False], [2024, 113_431.0, False]]
    assert calibrated_wh.query("arrests", fy=2024).value() == 113_431


# ------------------------------------------------------------------ (b) real facility data
@pytest.fixture(scope="module")
def facility_wh(ingested):
    wh = Warehouse(ingested("golden-facilities", [FACILITY_FILE], reference=True)[0])
    yield wh
    wh.close()


@pytest.fixture(scope="module")
def raw_facilities():
    return pq.read_table(FACILITY_FILE, columns=["detention_facility_code", "date", "n_detained"])


def _raw_total(raw, day: dt.date, facility: str | None = None) -> int:
    mask = pc.equal(raw["date"], day)
    if facility:
        mask = pc.and_(mask, pc.equal(raw["detention_facility_code"], facility))
    return pc.sum(raw.filter(mask)["n_detained"]).as_py()


# Hand-checked with the DuckDB CLI on the raw parquet (2026-11, file sha as bundled):
NATIONAL_ON = {dt.date(2023, 10, 1): 36_756, dt.date(2024, 9, 30): 39_019,
               dt.date(2025, 1, 20): 40_074, dt.date(2025, 9, 30): 64_215}


@pytest.mark.parametrize("day", sorted(NATIONAL_ON))
def test_national_daily_total_on_a_date(facility_wh, raw_facilities, day):
    assert _raw_total(raw_facilities, day) == NATIONAL_ON[day]
    r = facility_wh.query("detained_population", grain="day", date_from=day, date_to=day)
    assert [row[:3] for row in r.rows()] == [[day.isoformat(), float(NATIONAL_ON[day]), False]]


def test_one_facility_on_a_date(facility_wh, raw_facilities):
    # Stewart Detention Center (STWRTGA), Lumpkin GA, on 2025-01-20: 1,577 people detained
    # (1,466 at midnight) — same DuckDB CLI check as above.
    day = dt.date(2025, 1, 20)
    assert _raw_total(raw_facilities, day, "STWRTGA") == 1_577
    r = facility_wh.query("facility_population", by=["facility"], where={"facility": "STWRTGA"},
                          grain="day", date_from=day, date_to=day)
    assert [row[:4] for row in r.rows()] == [["STWRTGA", day.isoformat(), 1_577.0, False]]


def test_adp_fy2024_vs_published_ice_adp(facility_wh, raw_facilities):
    """DDP's daily counts give FY2024 ADP 38,637.5 (mean of 366 daily totals); ICE published
    37,721.8 (cell N99 above): DDP is 915.7 (2.4 %) higher. Why: DDP's ``n_detained`` counts
    everyone held at any time that day (same-day book-ins and releases included), while ICE's
    ADP is a once-a-day (midnight) count; DDP's own midnight column averages 37,148.4 (1.5 %
    below ICE), and the FOIA records also differ from ICE's live system in late corrections."""
    fy = raw_facilities.filter(pc.and_(pc.greater_equal(raw_facilities["date"], dt.date(2023, 10, 1)),
                                       pc.less_equal(raw_facilities["date"], dt.date(2024, 9, 30))))
    daily = fy.group_by("date").aggregate([("n_detained", "sum")])
    expected = pc.mean(daily["n_detained_sum"]).as_py()
    assert daily.num_rows == 366 and expected == pytest.approx(38_637.549180, abs=1e-5)
    adp = facility_wh.query("adp", fy=2024).value()
    assert adp == pytest.approx(expected, rel=1e-12)
    published = 37_721.8032786885
    assert adp / published - 1 == pytest.approx(0.0243, abs=0.001)  # stated tolerance: 2.4 ± 0.1 %


# ------------------------------------------------------------------ (c) the ICE workbook
@pytest.fixture(scope="module")
def stats_wh(ingested):
    wh = Warehouse(ingested("golden-stats", [FY24_WORKBOOK])[0])
    yield wh
    wh.close()


def test_detention_stats_adp_fy_equals_printed_cell(stats_wh):
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(FY24_WORKBOOK, read_only=True, data_only=True)["Detention FY24"]
    label, header, printed = sheet["A99"].value, sheet["N90"].value, sheet["N99"].value
    assert (label.strip(), header) == ("Average", "FY Overall")
    assert printed == pytest.approx(37_721.8032786885, rel=1e-15)
    rows = stats_wh.query("detention_stats_adp", grain="fy").rows()
    assert [r[0] for r in rows] == [2024]
    assert rows[0][1] == pytest.approx(printed, rel=1e-12)  # the warehouse keeps 14 digits
    # and one month: October 2023, cell B99 = 38522.2903225806
    october = stats_wh.query("detention_stats_adp", grain="month", date_from="2023-10-01",
                             date_to="2023-10-31").rows()
    assert october[0][0] == "2023-10-01"
    assert october[0][1] == pytest.approx(sheet["B99"].value, rel=1e-12)
