"""Parse all ICE detention-statistics workbooks: ImmStat's reader vs pandas + openpyxl.

    python benchmarks/ingest_detention_stats.py [DATA_DIR]

ImmStat: fastexcel grids + every section found by title → tidy Arrow tables.
Baseline: pandas.read_excel(sheet_name=None, engine="openpyxl") — only loads the sheets, finds
no section, so the ratio understates the gap. Best of 3 runs each, same process.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

from immstat.sources.detention_stats import read_workbook

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ice" / "detention-stats"


def best_of(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    files = sorted(folder.glob("*.xlsx"))
    if not files:
        sys.exit(f"no .xlsx files in {folder}; pass the detention-stats folder as argument")
    rows = sum(sum(t.num_rows for t in read_workbook(f).tables.values()) for f in files)
    ours = best_of(lambda: [read_workbook(f) for f in files])
    theirs = best_of(lambda: [pd.read_excel(f, sheet_name=None, engine="openpyxl", header=None)
                              for f in files])
    print(f"{len(files)} workbooks, {rows} tidy rows")
    print(f"immstat (fastexcel + section finder): {ours:.3f} s")
    print(f"pandas.read_excel(openpyxl), sheets only: {theirs:.3f} s")
    print(f"ratio: {theirs / ours:.1f}x faster")


if __name__ == "__main__":
    main()
