"""What a loaded file covers and whether its rows are already loaded — recorded in ``sources``.

* **Period**: the dates the file says it covers (its banner, e.g. "FY2019 (10/1/2018 -
  8/31/2019)"), else the first and last date in its rows (a monthly table ends at its last
  month's end). A fiscal year the period does not cover to its end is partial.
* **Not provided**: canonical columns the file's layout does not have (e.g. criminality in ICE's
  2019 release): null for the whole file by layout, which pages can say in words.
* **Content fingerprint**: row count and an order-independent hash of every canonical value per
  destination table. A file with other bytes but the same rows as an active source (re-saved,
  an extra newline, another delimiter) is a duplicate: ingest refuses it rather than count twice.
"""

from __future__ import annotations

import calendar
import datetime as dt

import duckdb

from immstat.warehouse.schema import STANDARD_COLUMNS, first_row

NOT_HASHED = (*STANDARD_COLUMNS, "person_key")  # per-load or per-warehouse values


def record_period(con: duckdb.DuckDBPyConnection, plan, source_id: int) -> None:
    start, end = plan.stated_period()
    basis = getattr(plan, "period_basis", None) or "stated in the file"
    if start is None or end is None:
        start, end = _data_span(con, plan, source_id)
        basis = "first and last date in the data"
    con.execute("UPDATE sources SET data_start = ?, data_end = ?, data_period_basis = ?, "
                "columns_not_provided = ? WHERE source_id = ?",
                [start, end, basis if start else None, ",".join(plan.not_provided()) or None,
                 source_id])


def _data_span(con, plan, source_id: int) -> tuple[dt.date | None, dt.date | None]:
    spans = []
    for table, column in plan.date_columns.items():
        if column not in plan.destinations()[table].names:
            continue
        lo, hi = first_row(con.execute(
            f'SELECT min(CAST("{column}" AS DATE)), max(CAST("{column}" AS DATE)) FROM "{table}" '
            "WHERE source_id = ?", [source_id]))
        if lo is not None:
            if column == "month":  # a monthly table covers its last month to the end
                hi = hi.replace(day=calendar.monthrange(hi.year, hi.month)[1])
            spans.append((lo, hi))
    if not spans:
        return None, None
    return min(s[0] for s in spans), max(s[1] for s in spans)


def fingerprint(con: duckdb.DuckDBPyConnection, plan, source_id: int) -> str:
    """'table:rows:hash;…' over the canonical values this source loaded."""
    parts = []
    for table, schema in sorted(plan.destinations().items()):
        columns = [f'"{f.name}"' for f in schema if f.name not in NOT_HASHED]
        rows, digest = first_row(con.execute(
            f'SELECT count(*), coalesce(sum(hash({", ".join(columns)})), 0) FROM "{table}" '
            "WHERE source_id = ?", [source_id]))
        parts.append(f"{table}:{rows}:{digest}")
    return ";".join(parts)


def same_rows_as(con: duckdb.DuckDBPyConnection, source_id: int, digest: str) -> tuple | None:
    """(source_id, file_name) of an active source that loaded exactly these rows, if any."""
    return first_row(con.execute(
        "SELECT source_id, file_name FROM sources WHERE content_fingerprint = ? AND source_id <> ? "
        "AND superseded_by IS NULL AND rows_loaded > 0 ORDER BY source_id LIMIT 1",
        [digest, source_id]))
