"""Release-step benchmark: build the protected release of a warehouse and print the figures.

    python benchmarks/release.py WAREHOUSE.duckdb

Prints the seconds per family, the share of cells and records hidden per released table, and a
dashboard query timed against the same SQL run straight on the records (p95 of 50 runs).
"""

from __future__ import annotations

import sys
import time

import numpy as np

from immstat import Warehouse

QUERIES = {"aor×criminality×month FY": dict(by=["aor", "criminality"], grain="month", fy=2025),
           "aor×month FY": dict(by=["aor"], grain="month", fy=2025),
           "national by day FY": dict(grain="day", fy=2025)}
RAW = {"aor×criminality×month FY": "SELECT aor, criminality, date_trunc('month', apprehension_date) m, "
       "count(*) FROM arrests WHERE fiscal_year = 2025 GROUP BY ALL",
       "aor×month FY": "SELECT aor, date_trunc('month', apprehension_date) m, count(*) FROM arrests "
       "WHERE fiscal_year = 2025 GROUP BY ALL",
       "national by day FY": "SELECT apprehension_date, count(*) FROM arrests WHERE fiscal_year = 2025 "
       "GROUP BY ALL"}


def p95(fn, runs: int = 50) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return float(np.percentile(times, 95)) * 1000


def main(path: str) -> None:
    with Warehouse(path) as wh:
        t = time.perf_counter()
        manifest = wh.release()
        print(f"release: {time.perf_counter() - t:.1f} s (min_cell {manifest['min_cell']})")
        for family, stats in manifest["families"].items():
            print(f"  {family}: {stats['seconds']:.1f} s, primary {stats['primary']}, "
                  f"complementary {stats['complementary']} of {stats['cells_nonzero']} cells")
            for name, tab in stats["tables"].items():
                print(f"    {name}: hidden cells {tab['hidden_cells']}/{tab['cells']}, "
                      f"records {tab['hidden_records'] / max(tab['records'], 1):.3%}")
        for name, q in QUERIES.items():
            ours = p95(lambda q=q: wh.query("arrests", **q))
            raw = p95(lambda s=RAW[name]: wh._con.execute(s).fetchall())
            print(f"query {name}: p95 {ours:.1f} ms vs raw SQL {raw:.1f} ms (ratio {ours / raw:.2f})")


if __name__ == "__main__":
    main(sys.argv[1])
