"""Ingest benchmark: ImmStat vs the naive way, on the same synthetic FOIA files, in one run.

    python benchmarks/ingest.py [--rows N] [--formats xlsx,csv] [--keep DIR]

Builds an N-row (default 1,000,000) ICE arrests file in the FOIA layout with
``immstat.sources.synth.generate`` as xlsx and as CSV, then loads each into a fresh DuckDB file:

- **immstat**: ``Warehouse.ingest`` (header detection, typed conversion, rejects, provenance).
- **naive**: ``pandas.read_excel(engine="openpyxl", skiprows=6)`` (``pandas.read_csv`` for CSV),
  then ``CREATE TABLE … AS SELECT * FROM df`` in DuckDB — no cleaning at all.

Each method runs in its own fresh subprocess, so peak RSS (``ru_maxrss`` of that child) is its
own. Prints seconds, rows/s, peak RSS and the naive/immstat time ratio. Goal: ≥ 10× faster than
naive, peak RSS < 1 GB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
method, path, db = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
start = time.perf_counter()
if method == "immstat":
    from immstat.metrics.warehouse import Warehouse
    with Warehouse(db) as wh:
        [report] = wh.ingest([path])
    rows = report.rows_loaded
else:
    import duckdb, pandas as pd
    if path.suffix == ".xlsx":
        df = pd.read_excel(path, engine="openpyxl", skiprows=6)
    else:
        df = pd.read_csv(path, skiprows=6, low_memory=False)
    con = duckdb.connect(db)
    con.execute("CREATE TABLE arrests AS SELECT * FROM df")
    rows = con.execute("SELECT count(*) FROM arrests").fetchone()[0]
    con.close()
seconds = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"rows": rows, "seconds": seconds, "rss": rss}))
"""


def run(method: str, path: Path, work: Path) -> dict:
    db = work / f"{method}-{path.suffix[1:]}.duckdb"
    for stale in (db, Path(f"{db}.wal")):
        stale.unlink(missing_ok=True)
    out = subprocess.run([sys.executable, "-c", CHILD, method, str(path), str(db)],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"{method} on {path.name} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def build(rows: int, fmt: str, work: Path) -> Path:
    from immstat.sources.synth import generate

    target = work / fmt
    existing = sorted(target.glob(f"*.{fmt}")) if target.exists() else []
    if existing:
        return existing[0]
    start = time.perf_counter()
    [path] = generate(kind="arrests", rows=rows, out=target, fmt=fmt, seed=0)
    print(f"built {path.name}: {rows:,} rows, {path.stat().st_size / 1e6:.0f} MB "
          f"in {time.perf_counter() - start:.0f} s", flush=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--formats", default="xlsx,csv")
    parser.add_argument("--keep", type=Path, help="folder for the files (reused if present)")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="immstat-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    lines = [f"{'format':6} {'method':8} {'rows':>10} {'seconds':>8} {'rows/s':>10} {'peak RSS':>9}"]
    for fmt in args.formats.split(","):
        path = build(args.rows, fmt, work)
        results = {m: run(m, path, work) for m in ("immstat", "naive")}
        for method, r in results.items():
            lines.append(f"{fmt:6} {method:8} {r['rows']:>10,} {r['seconds']:>8.1f} "
                         f"{r['rows'] / r['seconds']:>10,.0f} {r['rss'] / 2**20:>7,.0f}MB")
        ratio = results["naive"]["seconds"] / results["immstat"]["seconds"]
        lines.append(f"{fmt:6} immstat is {ratio:.1f}x the naive speed "
                     f"(goal >= 10x; peak RSS goal < 1024 MB)")
        print("\n".join(lines[-3:]), flush=True)
    print("\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
