"""Ingest benchmark: ImmStat vs the naive way, on the same synthetic FOIA files, in one run.

    python benchmarks/ingest.py [--rows N] [--formats xlsx,csv] [--keep DIR]

Builds an N-row (default 1,000,000) ICE arrests file in the FOIA layout with
``immstat.sources.synth.generate`` as xlsx and as CSV, then loads each into a fresh DuckDB file:

- **immstat**: ``Warehouse.ingest`` (header detection, typed conversion, rejects, provenance);
  then, timed apart, the protected release that ``immstat ingest`` builds after it (the naive way
  has nothing like it), with the peak RSS of the whole process.
- **naive**: ``pandas.read_excel(engine="openpyxl", skiprows=6, dtype=str)`` (every cell as
  text: the FOIA columns mix dates and text, which DuckDB cannot insert as one type), or
  ``pandas.read_csv(skiprows=6)``, then ``CREATE TABLE … AS SELECT * FROM df`` in DuckDB — no
  cleaning at all.

Each method runs in its own fresh subprocess; its peak RSS is that process's own high-water mark
(VmHWM). Prints seconds, rows/s, peak RSS and the naive/immstat time ratio. Goals: xlsx ≥ 10×
the naive speed with peak RSS < 1 GB at 1 M rows; CSV ≥ 1.5×.
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
import json, re, sys, time
from pathlib import Path
method, path, db = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
start = time.perf_counter()


def peak():
    return int(re.search(r"VmHWM:\s+(\d+) kB", open("/proc/self/status").read())[1]) * 1024

release = {}
if method == "immstat":
    from immstat.metrics.warehouse import Warehouse
    with Warehouse(db) as wh:
        [report] = wh.ingest([path], release=False)
        rows, seconds, rss = report.rows_loaded, time.perf_counter() - start, peak()
        wh.release()
    release = {"release_seconds": time.perf_counter() - start - seconds, "release_rss": peak()}
else:
    import duckdb, pandas as pd
    if path.suffix == ".xlsx":
        df = pd.read_excel(path, engine="openpyxl", skiprows=6, dtype=str)
    else:
        df = pd.read_csv(path, skiprows=6, low_memory=False)
    con = duckdb.connect(db)
    con.execute("CREATE TABLE arrests AS SELECT * FROM df")
    rows = con.execute("SELECT count(*) FROM arrests").fetchone()[0]
    con.close()
    seconds, rss = time.perf_counter() - start, peak()
print(json.dumps({"rows": rows, "seconds": seconds, "rss": rss, **release}))
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
    parser.add_argument("--build-only", action="store_true", help="write the files and stop")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="immstat-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    lines = [f"{'format':6} {'method':8} {'rows':>10} {'seconds':>8} {'rows/s':>10} {'peak RSS':>9}"]
    paths = {fmt: build(args.rows, fmt, work) for fmt in args.formats.split(",")}
    if args.build_only:
        return
    for fmt, path in paths.items():
        results = {m: run(m, path, work) for m in ("immstat", "naive")}
        for method, r in results.items():
            lines.append(f"{fmt:6} {method:8} {r['rows']:>10,} {r['seconds']:>8.1f} "
                         f"{r['rows'] / r['seconds']:>10,.0f} {r['rss'] / 2**20:>7,.0f}MB")
        mine = results["immstat"]
        lines.append(f"{fmt:6} then the protected release: {mine['release_seconds']:.1f} s more, "
                     f"peak RSS {mine['release_rss'] / 2**20:,.0f}MB")
        ratio = results["naive"]["seconds"] / mine["seconds"]
        goal = "goal >= 10x; peak RSS goal < 1024 MB" if fmt == "xlsx" else "goal >= 1.5x"
        lines.append(f"{fmt:6} immstat is {ratio:.1f}x the naive speed ({goal})")
        print("\n".join(lines[-4:]), flush=True)
    print("\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
