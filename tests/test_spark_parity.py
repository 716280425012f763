"""Engine parity: the same numbers on DuckDB and on Spark.

One session warehouse holds data for every metric: a synthetic FOIA release of 200,000 rows (all record-
level kinds, linked; large enough that few cells are small — a tiny release takes the
protection minutes per build), the bundled real facility populations, ICE detention statistics (two
releases) and CBP encounters, plus the reference tables. Published metrics run nationally by
fiscal year and by one allowed dimension by month on both engines (one shared local
SparkSession): raw cells and Results must match, values equal to 1e-9 relative. Record-derived
metrics are read from the protected release: the release built on Spark (counted through Ibis on
Spark; person-linked shares, distinct persons and medians on DuckDB, where person keys stay)
must equal the one built on DuckDB — every cell, its status and every released value.
A backend that truly cannot compute something would be marked ``xfail`` with the reason here;
at present none needs it.
"""

from __future__ import annotations

import datetime as dt
import math

import pyarrow.parquet as pq
import pytest

pytest.importorskip("pyspark")

from immstat import Warehouse
from immstat.core.reference import data_path
from immstat.metrics import all_metrics, get_metric
from immstat.metrics.engine import execute
from immstat.metrics.validate import build_request
from immstat.sources import synth

pytestmark = [pytest.mark.spark, pytest.mark.slow,
              # PySpark 4.0's toPandas passes pandas 3 a deprecated ``copy=`` keyword
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")]

FINE = ("county", "facility")  # record-derived: month or coarser — fine for month, kept simple


def _shapes():
    for metric in all_metrics():
        if metric.record_derived:
            continue  # read from the release: see test_release_parity
        yield pytest.param(metric.name, {"grain": "fy"}, id=f"{metric.name}-fy")
        dim = next((d for d in metric.dimensions if d not in FINE), None)
        if dim:
            yield pytest.param(metric.name, {"by": [dim], "grain": "month"},
                               id=f"{metric.name}-{dim}-month")


def _build_parity(folder):
    release = synth.generate_release(folder / "synth", fmt="parquet", seed=1, rows=200_000)
    demo = data_path("demo")
    real = [_facility_months(demo / "facilities-daily-population-latest.parquet", folder),
            *sorted((demo / "ice-detention-stats").glob("FY2[45]*.xlsx")),
            *sorted((demo / "cbp").glob("*")), *sorted((demo / "287g").glob("*")),
            *sorted((demo / "ddp").glob("*")), *sorted((demo / "ice-ero-statistics").glob("*"))]
    with Warehouse(folder / "parity.duckdb") as wh:
        wh.load_reference()
        wh.ingest(real + [p for paths in release.values() for p in paths])  # one release build


@pytest.fixture(scope="session")
def parity_wh(built):
    wh = Warehouse(built("parity", _build_parity)[0] / "parity.duckdb")
    yield wh
    wh.close()


def _facility_months(path, folder):
    """The real facility populations for FY2025 Q1–Q2 (≈130k of 889k rows: keeps Spark quick)."""
    table = pq.read_table(path, filters=[("date", ">=", dt.date(2024, 10, 1)),
                                         ("date", "<=", dt.date(2025, 3, 31))])
    out = folder / "facilities-daily-population-fy25h1.parquet"
    pq.write_table(table, out)
    return out


@pytest.fixture(scope="session")
def engines(parity_wh):
    """Both Ibis backends over the same warehouse (Spark: one local session, ~10–40 s start).
    The Spark tables are cached in memory for the run, as a long-lived session would."""
    spark = parity_wh.backend("spark")
    for table in spark.list_tables():
        spark._session.catalog.cacheTable(table)
    return {"duckdb": parity_wh.backend("duckdb"), "spark": spark}


def _same(a, b, path="") -> None:
    """Equal, with floats to 1e-9 relative (NaN/None equal to each other)."""
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None or math.isnan(a) or math.isnan(b):
            assert (a is None or math.isnan(a)) and (b is None or math.isnan(b)), (path, a, b)
        else:
            assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), (path, a, b)
        return
    if isinstance(a, list | tuple):
        assert isinstance(b, list | tuple) and len(a) == len(b), (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{path}[{i}]")
        return
    assert a == b, (path, a, b)


def _cells(backend, metric: str, shape: dict) -> list[list]:
    """The engine's exact cells (before suppression), sorted by their keys."""
    frame = execute(backend, build_request(get_metric(metric), **shape))
    frame = frame[sorted(frame.columns)]
    keys = [c for c in frame.columns if c in (*shape.get("by", []), "period")]
    frame = frame.sort_values(keys).reset_index(drop=True) if keys else frame
    rows = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
    return [list(frame.columns), *[[_plain(v) for v in row] for row in rows]]


def _plain(value):
    if hasattr(value, "item"):  # numpy scalar → Python
        value = value.item()
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def test_every_metric_has_data(parity_wh):
    empty = [m.name for m in all_metrics() if not parity_wh.query(m.name, grain="fy").to_dict()["rows"]]
    assert not empty, f"parity warehouse has no data for {empty}"


@pytest.mark.parametrize(("metric", "shape"), list(_shapes()))
def test_published_metric_parity(parity_wh, engines, metric, shape):
    _same(_cells(engines["duckdb"], metric, shape), _cells(engines["spark"], metric, shape))
    duck = parity_wh.query(metric, engine="duckdb", **shape).to_dict()
    spark = parity_wh.query(metric, engine="spark", **shape).to_dict()
    assert duck["columns"] == spark["columns"]
    assert duck["suppressed"] == spark["suppressed"]
    _same(duck["rows"], spark["rows"])


def _release(wh) -> dict:
    """The stored release, every table sorted, without build times and ids."""
    con = wh.cursor()
    out = {}
    for table in ("release_cells", "release_values", "release_domains"):
        frame = con.execute(f"SELECT * FROM {table}").fetch_df()
        frame = frame.sort_values(list(frame.columns[:-2] if table != "release_domains"
                                       else frame.columns)).reset_index(drop=True)
        out[table] = frame.astype(object).where(frame.notna(), None).to_numpy().tolist()
    return out


def test_release_parity(parity_wh, engines):
    on_duckdb = parity_wh.release(engine="duckdb")
    duck = _release(parity_wh)
    on_spark = parity_wh.release(engine="spark")
    spark = _release(parity_wh)
    assert on_spark["engine"] == "spark" and duck["release_cells"]
    for table in duck:
        _same(duck[table], spark[table], table)
    for family, stats in on_duckdb["families"].items():
        assert stats["tables"] == on_spark["families"][family]["tables"]
        assert stats["certificates"] == on_spark["families"][family]["certificates"]


RATE_SHAPES = {"day": {"grain": "day", "date_from": "2025-02-01", "date_to": "2025-03-31"},
               "month-window": {"by": ["gender"], "grain": "month", "date_from": "2024-10-01",
                                "date_to": "2025-03-31"},
               "fy-where-list": {"fy": 2025, "where": {"aor": ["HOU", "MIA", "NYC"]}}}
SHARE_SHAPES = {"month-window": {"grain": "month", "date_from": "2024-10-01", "date_to": "2025-03-31"},
                "aor-fy": {"by": ["aor"], "grain": "fy"},  # shares: national and by office, month+
                "fy-where-list": {"fy": 2025, "where": {"aor": ["HOU", "MIA", "NYC"]}}}


@pytest.mark.parametrize(("metric", "shape"), [
    *(pytest.param("arrests_per_day", v, id=f"arrests_per_day-{k}") for k, v in RATE_SHAPES.items()),
    *(pytest.param("criminality_share", v, id=f"criminality_share-{k}") for k, v in SHARE_SHAPES.items()),
])
def test_record_derived_views_on_both_engines(parity_wh, engines, metric, shape):
    duck = parity_wh.query(metric, engine="duckdb", **shape).to_dict()
    spark = parity_wh.query(metric, engine="spark", **shape).to_dict()
    assert duck["rows"], "shape selects no data; pick dates inside the synthetic release"
    _same(duck["rows"], spark["rows"])


def test_weeks_start_on_monday_on_both_engines(parity_wh):
    """Weeks exist for published series only (record-derived weeks are not released)."""
    for engine in ("duckdb", "spark"):
        weeks = parity_wh.query("detained_population", grain="week", engine=engine,
                                date_from="2024-12-23", date_to="2025-01-12")
        weeks = weeks.table.column("week").to_pylist()
        assert weeks and all(w.weekday() == 0 for w in weeks), (engine, weeks)


@pytest.mark.parametrize("as_of", ["2025-06-30", None])  # before / after the FY2025 release
def test_release_aware_published_metric(parity_wh, engines, as_of):
    shape = {"grain": "fy", "as_of": as_of}
    duck = parity_wh.query("detention_stats_adp", engine="duckdb", **shape).to_dict()
    spark = parity_wh.query("detention_stats_adp", engine="spark", **shape).to_dict()
    assert duck["rows"]
    _same(duck["rows"], spark["rows"])
