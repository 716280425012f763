"""100 M-row ingest: a synthetic FOIA arrests release through `immstat ingest`, in bounded memory.

    python benchmarks/ingest_100m.py [--rows N] [--work DIR] [--keep] [--no-kill]

1. **Generate** (skipped if ``DIR/arrests-<N>.parquet`` exists): ImmStat's synthetic generator
   writes a 200,000-row arrests file in the FOIA layout; this script then samples every column
   independently from that file's values (dirty ones included: blank and impossible dates,
   redactions) to write N rows in row groups of 1 M, with fresh anonymised identifiers, so
   generating 100 M rows takes a minute instead of the generator's hours. Labelled SYNTHETIC.
2. **kill -9** (unless ``--no-kill``): ingest into a warehouse holding a small file, kill the
   process once a third of the rows are in, reopen: the warehouse must be exactly as before
   (row count and checksum of every table), and the time to reopen is reported.
3. **Ingest**: ``immstat ingest FILE --db W`` in a fresh warehouse, as a user runs it (Rich
   progress bar on the terminal; the protected release is built at the end when the metrics
   layer has it). Reports wall time, rows/s, peak RSS (the child's own high-water mark) and the
   row accounting from provenance. Goal: < 4 GB peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

GROUP_ROWS = 1_000_000
KILL_CHILD = ["-m", "immstat.metrics.ingest_progress"]  # prints rows read so far
SNAPSHOT = """
import json, sys
from immstat.warehouse import Store
with Store(sys.argv[1]) as store:
    con = getattr(store, "_con", None) or store.con
    tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
              "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
    print(json.dumps({t: con.execute(f'SELECT count(*), coalesce(sum(hash(x)), 0) FROM "{t}" x')
                      .fetchone() for t in tables}, default=str))
"""
PROVENANCE = """
import json, sys
from immstat.warehouse import Store
with Store(sys.argv[1], read_only=True) as store:
    print(json.dumps(store.sources(), default=str))
"""


def generate(path: Path, rows: int, seed: int = 0) -> None:
    """``rows`` arrests in the FOIA layout, sampled column by column from a real synthetic file."""
    from immstat.sources.synth import generate as synth

    with tempfile.TemporaryDirectory() as tmp:
        [template] = synth(kind="arrests", rows=200_000, out=Path(tmp), fmt="parquet", seed=seed)
        source = pq.read_table(template)
    meta = dict(source.schema.metadata)
    meta[b"immstat.banner"] = meta[b"immstat.banner"].replace(
        b"Administrative Arrests", f"Administrative Arrests ({rows:,}-row benchmark)".encode())
    pools = {}
    for name in source.column_names:
        counts = pc.value_counts(source[name])
        values, freq = counts.field("values"), counts.field("counts").to_numpy()
        pools[name] = (values, np.cumsum(freq) / freq.sum())
    schema = source.schema.with_metadata(meta)
    rng = np.random.default_rng(seed)
    start = time.perf_counter()
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for first in range(0, rows, GROUP_ROWS):
            n = min(GROUP_ROWS, rows - first)
            columns = []
            for field in schema:
                values, cum = pools[field.name]
                index = pa.array(np.searchsorted(cum, rng.random(n), side="right").clip(0, len(cum) - 1))
                if field.name == "Unique Identifier":  # about 1.3 arrests per person
                    person = rng.integers(0, int(rows / 1.3), n)
                    columns.append(pc.cast(pa.array(person), pa.string()))
                else:
                    columns.append(values.take(index).cast(field.type))
            writer.write_table(pa.Table.from_arrays(columns, schema=schema))
            print(f"\rgenerated {first + n:,} rows", end="", flush=True)
    print(f"\rgenerated {rows:,} rows in {time.perf_counter() - start:.0f} s, "
          f"{path.stat().st_size / 1e9:.2f} GB")


def _small_file(folder: Path) -> Path:
    path = folder / "small.csv"
    header = ("Apprehension Date,Apprehension AOR,Apprehension Method,Apprehension Criminality,"
              "Apprehension State,Unique Identifier")
    path.write_text("Release date: 2026-10-30\n" + header + "\n" +
                    "".join(f"2025-05-{1 + i % 27:02d},SEA,Located,1 Convicted Criminal,WA,S{i}\n"
                            for i in range(25)))
    return path


def _python(code: str, *args: str) -> str:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    lines = out.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def kill_run(path: Path, work: Path, rows: int) -> None:
    db = work / "killed.duckdb"
    _python("import sys\nfrom immstat.metrics.warehouse import Warehouse\n"
            "Warehouse(sys.argv[1]).ingest([sys.argv[2]])", str(db), str(_small_file(work)))
    before = _python(SNAPSHOT, str(db))
    child = subprocess.Popen([sys.executable, *KILL_CHILD, str(db), str(path)],
                             stdout=subprocess.PIPE, text=True)
    start, done = time.perf_counter(), 0
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == "finished":
            raise SystemExit("the ingest finished before it could be killed")
        done = int(line)
        if done >= rows // 3:
            break
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    killed_at = time.perf_counter() - start
    reopen = time.perf_counter()
    after = _python(SNAPSHOT, str(db))
    reopened = time.perf_counter() - reopen
    same = json.loads(before) == json.loads(after)
    print(f"kill -9 after {done:,} rows ({killed_at:.0f} s): warehouse "
          f"{'UNCHANGED' if same else 'CHANGED'} (every table's rows and checksum); "
          f"reopened and checked in {reopened:.1f} s")
    if not same:
        raise SystemExit(f"before: {before}\nafter: {after}")
    for stale in work.glob("killed.duckdb*"):
        stale.unlink()


def ingest_run(path: Path, work: Path) -> dict:
    db = work / "w.duckdb"
    immstat = shutil.which("immstat") or "immstat"
    start = time.perf_counter()
    child = subprocess.Popen([immstat, "ingest", str(path), "--db", str(db)])
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if status:
        raise SystemExit(f"immstat ingest failed (status {status})")
    [source] = json.loads(_python(PROVENANCE, str(db)))
    return {"seconds": seconds, "rss": usage.ru_maxrss * 1024, "source": source,
            "db_bytes": db.stat().st_size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000_000)
    parser.add_argument("--work", type=Path, help="folder for the file and warehouses")
    parser.add_argument("--keep", action="store_true", help="keep the file and warehouse")
    parser.add_argument("--no-kill", action="store_true", help="skip the kill -9 run")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="immstat-100m-"))
    work.mkdir(parents=True, exist_ok=True)
    path = work / f"arrests-{args.rows}.parquet"
    if not path.exists():
        generate(path, args.rows)
    try:
        if not args.no_kill:
            kill_run(path, work, args.rows)
        result = ingest_run(path, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    source = result["source"]
    rows = source["rows_in"]
    print(f"\n{rows:,} rows in: {source['rows_loaded']:,} loaded + {source['rows_rejected']:,} "
          f"rejected (accounted: {rows == source['rows_loaded'] + source['rows_rejected']})")
    print(f"immstat ingest (incl. the protected release, when built): {result['seconds']:.0f} s, "
          f"{rows / result['seconds']:,.0f} rows/s, peak RSS {result['rss'] / 2**30:.2f} GB "
          f"(goal < 4 GB), warehouse {result['db_bytes'] / 2**30:.1f} GB")


if __name__ == "__main__":
    main()
