"""The ``health_checks`` table: results of data-health runs, appended one run at a time.

Each row is one check of one run (its declared rule, status, summary and JSON evidence rows);
the newest run is what surfaces show. Older runs stay as a history of what each run found.
"""

from __future__ import annotations

import json

import duckdb

from immstat.warehouse.schema import first_row

COLUMNS = ("run_id", "run_at", "position", "name", "title", "rule", "severity", "tolerance",
           "status", "summary", "evidence", "synthetic", "immstat_version")


def save_run(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    """Append one run (every row shares ``run_id`` and ``run_at``) in one transaction."""
    values = [[json.dumps(r[c], default=str) if c == "evidence" else r[c] for c in COLUMNS]
              for r in rows]
    con.execute("BEGIN TRANSACTION")
    try:
        con.executemany(f"INSERT INTO health_checks ({', '.join(COLUMNS)}) VALUES "
                        f"({', '.join('?' * len(COLUMNS))})", values)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def latest_run(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Rows of the newest run, in check order ([] when no run is stored or the table is absent)."""
    try:
        newest = first_row(con.execute(
            "SELECT run_id FROM health_checks ORDER BY run_at DESC, rowid DESC LIMIT 1"))
    except duckdb.CatalogException:
        return []  # a warehouse made before the table existed, opened read-only
    if newest is None:
        return []
    cur = con.execute(f"SELECT {', '.join(COLUMNS)} FROM health_checks WHERE run_id = ? "
                      "ORDER BY position", [newest[0]])
    out = [dict(zip(COLUMNS, row)) for row in cur.fetchall()]
    for row in out:
        row["evidence"] = json.loads(row["evidence"] or "[]")
    return out
