"""Ingest every file of ../shared/data into one fresh warehouse and fingerprint what was loaded:
per table its row count and a checksum per column; compare two such fingerprints.

    python benchmarks/ingest_compare.py snapshot OUT.json [--data DIR]
    python benchmarks/ingest_compare.py compare BEFORE.json AFTER.json

Run ``snapshot`` with the code before a change (e.g. ``PYTHONPATH=<old checkout>/src``) and after
it; ``compare`` prints every table and column that differs (exit 1) or "identical". Person keys
are made with a fixed secret so two runs can be compared; ``loaded_at`` (the clock) is left out.
Files are ingested in path order, each on its own (a file that is refused is recorded with its
error); the GPL-3.0 files are included (this is a test, nothing is redistributed).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
FIXED_SECRET = "11" * 32
VOLATILE = {"sources": ("loaded_at",)}


def snapshot(data: Path) -> dict:
    from immstat.core.errors import ImmstatError
    from immstat.warehouse import Store

    files = sorted(p for p in data.rglob("*") if p.is_file() and p.suffix not in {".md", ".yaml"})
    out: dict = {"files": {}, "tables": {}}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "w.duckdb"
        Path(f"{db}.key").write_text(FIXED_SECRET + "\n")
        Path(f"{db}.key").chmod(0o600)
        start = time.perf_counter()
        with Store(db) as store:
            con = store._con if hasattr(store, "_con") else store.con
            for path in files:
                name = str(path.relative_to(data))
                try:
                    [report] = store.ingest([path])
                    out["files"][name] = [report.kind, report.rows_in, report.rows_loaded,
                                          report.rows_rejected, report.skipped]
                except ImmstatError as exc:
                    out["files"][name] = f"{type(exc).__name__}"
            out["seconds"] = round(time.perf_counter() - start, 2)
            tables = [r[0] for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                "AND table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
            for table in tables:
                columns = [r[0] for r in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                    "ORDER BY ordinal_position", [table]).fetchall()
                    if r[0] not in VOLATILE.get(table, ())]
                sums = ", ".join(f'coalesce(sum(hash("{c}")), 0)' for c in columns)
                row = con.execute(f'SELECT count(*), {sums} FROM "{table}"').fetchone()
                out["tables"][table] = {"rows": row[0], **dict(zip(columns, map(str, row[1:])))}
    return out


def compare(before: dict, after: dict) -> list[str]:
    diffs = []
    for name in sorted(set(before["files"]) | set(after["files"])):
        if before["files"].get(name) != after["files"].get(name):
            diffs.append(f"file {name}: {before['files'].get(name)} -> {after['files'].get(name)}")
    for table in sorted(set(before["tables"]) | set(after["tables"])):
        old, new = before["tables"].get(table, {}), after["tables"].get(table, {})
        for column in sorted(set(old) | set(new)):
            if old.get(column) != new.get(column):
                diffs.append(f"table {table}.{column}: {old.get(column)} -> {new.get(column)}")
    return diffs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    snap = sub.add_parser("snapshot")
    snap.add_argument("out", type=Path)
    snap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    comp = sub.add_parser("compare")
    comp.add_argument("before", type=Path)
    comp.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "snapshot":
        result = snapshot(args.data)
        args.out.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
        loaded = sum(v[2] for v in result["files"].values() if isinstance(v, list))
        print(f"{len(result['files'])} files, {loaded:,} rows loaded in {result['seconds']} s, "
              f"{len(result['tables'])} tables -> {args.out}")
        return
    before, after = (json.loads(p.read_text()) for p in (args.before, args.after))
    diffs = compare(before, after)
    print("\n".join(diffs) if diffs else
          f"identical: {len(after['files'])} files, {len(after['tables'])} tables "
          f"(ingest {before['seconds']} s before, {after['seconds']} s after)")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
