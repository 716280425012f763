"""Ingest every supported file in ../shared/data from scratch; compare with a naive pandas load.

    python benchmarks/ingest_all.py [--data ../shared/data]

ImmStat: `Warehouse.ingest` on every file it recognises (detection by content), one fresh
warehouse; then, timed apart, the protected release `immstat ingest` builds after it (the naive
way has nothing like it). Naive: pandas (openpyxl for xlsx, all sheets; read_csv; read_parquet)
into DuckDB tables, no parsing of sections, no accounting — a lower bound for what a careful
pandas pipeline would cost. Each runs in its own subprocess so peak RSS is per method.

The files: everything but UWCHR's own GPL-3.0 tables, which only tests read — ICE's FOIA release
under ``uwchr/ice-enforce/foia`` (2.7 M record-level rows) is ICE's own work and is included.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def supported_files(data: Path) -> tuple[list[Path], list[Path]]:
    from immstat.core.errors import ImmstatError
    from immstat.sources.detect import plan_file

    ok, skipped = [], []
    for path in sorted(p for p in data.rglob("*") if p.is_file() and p.suffix != ".md"):
        if "uwchr/" in str(path) and "uwchr/ice-enforce/foia/" not in str(path):
            continue  # UWCHR's GPL-3.0 tables: tests only
        try:
            plan_file(path)
            ok.append(path)
        except ImmstatError:
            skipped.append(path)
    return ok, skipped


def run_immstat(files: list[str]) -> dict:
    from immstat import Warehouse

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        with Warehouse(Path(tmp) / "w.duckdb") as wh:
            reports = wh.ingest(files, release=False)
            seconds = time.perf_counter() - start
            wh.release()
        release = time.perf_counter() - start - seconds
    return {"seconds": seconds, "release_seconds": release,
            "rows": sum(r.rows_loaded for r in reports)}


def run_naive(files: list[str]) -> dict:
    import duckdb
    import pandas as pd

    with tempfile.TemporaryDirectory() as tmp:
        con = duckdb.connect(str(Path(tmp) / "n.duckdb"))
        start = time.perf_counter()
        rows = 0
        for i, name in enumerate(files):
            path = Path(name)
            if path.suffix == ".xlsx":
                frames = list(pd.read_excel(path, sheet_name=None, header=None, engine="openpyxl").values())
            elif path.suffix == ".parquet":
                frames = [pd.read_parquet(path)]
            else:
                sep = "|" if path.name.endswith(".gz") else ","
                frames = [pd.read_csv(path, sep=sep, dtype=str, on_bad_lines="skip",
                                      encoding_errors="replace")]
            for j, frame in enumerate(frames):
                frame = frame.astype(str)
                con.register("f", frame)
                con.execute(f"CREATE TABLE t{i}_{j} AS SELECT * FROM f")
                con.unregister("f")
                rows += len(frame)
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": rows}


def child(method: str, files: list[str]) -> None:
    result = (run_immstat if method == "immstat" else run_naive)(files)
    peak = re.search(r"VmHWM:\s+(\d+) kB", Path("/proc/self/status").read_text())
    result["peak_rss_mb"] = int(peak[1]) / 1024 if peak else float("nan")  # this process only
    print(json.dumps(result))


def measure(method: str, files: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", method, *files],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1:])
        return
    files, skipped = supported_files(args.data)
    print(f"{len(files)} supported files, {len(skipped)} not sources (reference inputs, DDP parses…)")
    names = [str(f) for f in files]
    xlsx = [n for n in names if n.endswith(".xlsx")]
    foia = [n for n in names if "/foia/" in n]
    for label, subset in (("all files", names), ("xlsx part", xlsx), ("FOIA CSV part", foia)):
        ours, naive = measure("immstat", subset), measure("naive", subset)
        print(f"\n{label}: {len(subset)} files")
        print(f"  immstat: {ours['seconds']:7.2f} s  {ours['rows']:>9,} rows loaded  "
              f"peak RSS {ours['peak_rss_mb']:6.0f} MB (with the release)")
        print(f"  immstat's protected release: {ours['release_seconds']:.2f} s more")
        print(f"  naive  : {naive['seconds']:7.2f} s  {naive['rows']:>9,} raw rows       "
              f"peak RSS {naive['peak_rss_mb']:6.0f} MB")
        print(f"  ratio (naive / immstat): {naive['seconds'] / ours['seconds']:.1f}×")


if __name__ == "__main__":
    main()
