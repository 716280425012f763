"""Query benchmark: ImmStat (Warehouse.query on DuckDB) vs pandas groupby, same data, one run.

    python benchmarks/query.py [--rows 10000000] [--runs 20] [--no-spark] [--cache /tmp/immstat-bench]

Generates N synthetic ICE arrests (``immstat.sources.synth.generate``, FOIA layout, parquet) once and
ingests them into a warehouse, both cached under ``--cache``. Then times two queries:

- ``aor-month-criminality``: arrests by AOR × month × criminality for FY2025;
- ``national-daily``: the national daily arrest series over all dates.

**ImmStat**: ``wh.query(...)`` — the full path users get (validation, one Ibis expression on
DuckDB, suppression with its disclosure audit, provenance, Result). **pandas**: the same
columns loaded once into a DataFrame (as an analyst would), then ``groupby().size()`` per run
(no suppression at all). Reports p50/p95 over ``--runs`` runs (after a warm-up; the two
are timed alternately so both see the same machine load), the pandas/ImmStat ratio of medians, peak RSS after the ImmStat runs and after loading pandas, and
(informational) the Spark engine's time for the same queries. Goal: ≥ 10× pandas, p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from pathlib import Path

QUERIES = {
    "aor-month-criminality": {"by": ["aor", "criminality"], "grain": "month", "fy": 2025},
    "national-daily": {"grain": "day"},
}


def warehouse(rows: int, cache: Path):
    """The cached N-row warehouse (generated and ingested on first use)."""
    from immstat import Warehouse
    from immstat.sources import synth

    folder = cache / f"arrests-{rows}"
    db = folder / "bench.duckdb"
    done = folder / "INGESTED"
    if not done.exists():
        for stale in (db, Path(f"{db}.wal")):
            stale.unlink(missing_ok=True)
        start = time.perf_counter()
        paths = synth.generate("arrests", rows=rows, out=folder, fmt="parquet", seed=0)
        print(f"generated {rows:,} rows in {time.perf_counter() - start:.0f} s")
        start = time.perf_counter()
        with Warehouse(db) as wh:
            [report] = wh.ingest(paths)
        print(f"ingested {report.rows_loaded:,} rows in {time.perf_counter() - start:.0f} s")
        done.touch()
    return Warehouse(db, read_only=True)


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def interleaved(a, b, runs: int) -> tuple[list[float], list[float]]:
    """Time ``a`` and ``b`` alternately, so both see the same machine load."""
    a(), b()  # warm-up
    pairs = [(timed(a, 1)[0], timed(b, 1)[0]) for _ in range(runs)]
    return [x for x, _ in pairs], [y for _, y in pairs]


def pandas_queries(wh):
    """The naive way: one DataFrame, a groupby per question."""
    df = wh._con.execute(
        "SELECT apprehension_date, fiscal_year, aor, criminality FROM arrests").df()
    df["apprehension_date"] = df["apprehension_date"].astype("datetime64[ns]")

    def by_aor_month_criminality():
        fy = df[df["fiscal_year"] == 2025]
        month = fy["apprehension_date"].dt.to_period("M")
        return fy.groupby([fy["aor"], month, fy["criminality"]]).size()

    def national_daily():
        return df.groupby("apprehension_date").size()

    return {"aor-month-criminality": by_aor_month_criminality, "national-daily": national_daily}


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/immstat-bench"))
    parser.add_argument("--no-spark", action="store_true", help="skip the Spark timing")
    args = parser.parse_args()

    wh = warehouse(args.rows, args.cache)
    n = wh.table_rows("arrests")
    print(f"warehouse: {n:,} arrests; {args.runs} runs per query after a warm-up\n")
    ours = {name: (lambda q=q: wh.query("arrests", **q)) for name, q in QUERIES.items()}
    for fn in ours.values():
        timed(fn, 3)
    rss_immstat = peak_rss_mb()
    start = time.perf_counter()
    naive = pandas_queries(wh)
    load = time.perf_counter() - start
    rss_pandas = peak_rss_mb()
    immstat, pandas = {}, {}
    for name in QUERIES:
        immstat[name], pandas[name] = interleaved(ours[name], naive[name], args.runs)

    print(f"{'query':24} {'ImmStat p50':>12} {'p95':>9} {'pandas p50':>11} {'p95':>9} {'ratio':>7}")
    for name in QUERIES:
        i, p = immstat[name], pandas[name]
        print(f"{name:24} {pct(i, 50) * 1e3:10.1f}ms {pct(i, 95) * 1e3:7.1f}ms "
              f"{pct(p, 50) * 1e3:9.1f}ms {pct(p, 95) * 1e3:7.1f}ms "
              f"{pct(p, 50) / pct(i, 50):6.1f}x")
    print(f"\npandas one-off load of the DataFrame: {load:.1f} s (not in the per-query times)")
    print(f"peak RSS: {rss_immstat:,.0f} MB after the ImmStat runs, "
          f"{rss_pandas:,.0f} MB after loading pandas")
    if not args.no_spark:
        spark_times(wh)


def spark_times(wh) -> None:
    """Informational: the same queries on the Spark engine (local session, warm)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        print("spark: not installed (pip install -e '.[spark]'); skipped")
        return
    start = time.perf_counter()
    wh.backend("spark")
    print(f"\nspark: session start + parquet export/registration {time.perf_counter() - start:.1f} s")
    for name, q in QUERIES.items():
        runs = timed(lambda q=q: wh.query("arrests", engine="spark", **q), 3)
        print(f"spark {name:24} median of 3 (warm): {statistics.median(runs):.2f} s")


if __name__ == "__main__":
    main()
