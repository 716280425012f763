"""The :class:`Store`: one DuckDB file, its ingest and provenance (no metrics: see
:class:`immstat.metrics.Warehouse`, which adds queries on top)."""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterable
from pathlib import Path

import duckdb

from immstat.core import settings
from immstat.core.errors import WarehouseError
from immstat.core.provenance import SourceRef
from immstat.warehouse.ingest import IngestReport, ProgressFn, ingest_file
from immstat.warehouse.schema import create_all, first_row

MEMORY_LIMIT = "1GB"  # DuckDB's buffer pool; past it, work spills to disk (IMMSTAT_DUCKDB_MEMORY)


def memory_limit() -> str:
    """DuckDB's memory limit for a warehouse connection: bounded, so a 100 M-row ingest or
    release stays well inside the machine (DuckDB's default is 80 % of RAM)."""
    return os.environ.get("IMMSTAT_DUCKDB_MEMORY", MEMORY_LIMIT)


class Store:
    """An ImmStat warehouse file (``$IMMSTAT_HOME/immstat.duckdb`` unless a path is given)."""

    def __init__(self, path: str | Path | None = None, read_only: bool = False):
        self.path = Path(path) if path else settings.default_db_path()
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise WarehouseError(f"No warehouse at {self.path}. Run `immstat demo --no-serve` or "
                                 "`immstat ingest FILE` first, or pass --db PATH.")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            raise WarehouseError(
                f"Cannot open {self.path}: {exc}. Another ImmStat process (e.g. `immstat serve`) may "
                "hold it; stop that process or use another --db.") from exc
        self._con.execute("SET enable_progress_bar = false")
        self._con.execute(f"SET memory_limit = '{memory_limit()}'")
        if not read_only:
            create_all(self._con)
        self._ibis = None
        self._local = threading.local()
        self._cursors: list[duckdb.DuckDBPyConnection] = []

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on the warehouse (record-level: for the metrics layer only —
        every public answer goes through the protected release)."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._local.cursor = self._con.cursor()
            self._cursors.append(cur)
        return cur

    def load_reference(self) -> dict:
        """Load the bundled reference tables (AOR, states, counties, facilities) if missing."""
        from immstat.warehouse.reference import load_reference

        return load_reference(self._con)

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        for cur in self._cursors:
            cur.close()
        self._con.close()

    def interrupt(self) -> None:
        """Stop the queries running on this warehouse's connection and cursors now (safe to call
        from another thread)."""
        for con in (self._con, *self._cursors):
            con.interrupt()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ in
    def ingest(self, paths: Iterable[str | Path], kind: str | None = None,
               release_date: dt.date | None = None,
               progress: ProgressFn | None = None) -> list[IngestReport]:
        """Ingest files one transaction each; raises on the first file that cannot be read."""
        self._writable()
        with self._con.cursor() as session:  # its own session: see ingest_file
            return [ingest_file(session, Path(p), kind, release_date, progress) for p in paths]

    def _writable(self) -> None:
        if self.read_only:
            raise WarehouseError(f"{self.path} is open read-only; open it without read_only to ingest.")

    # ------------------------------------------------------------------ provenance
    def sources(self, include_superseded: bool = True) -> list[dict]:
        """Provenance rows, newest first (with the period each covers and the columns its layout
        lacks)."""
        where = "" if include_superseded else "WHERE superseded_by IS NULL"
        cur = self._con.execute(
            "SELECT source_id, file_name, kind, dataset, sha256, release_date, release_date_basis, "
            "rows_in, rows_loaded, rows_rejected, loaded_at, immstat_version, synthetic, "
            "record_level, licence, tables, superseded_by, data_start, data_end, "
            f"columns_not_provided FROM sources {where} ORDER BY source_id DESC")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def foia_numbers(self) -> dict[int, str]:
        """Source id → the FOIA release it belongs to (e.g. 'FOIA 2019-ICFO-53623'), for the
        record-level sources whose banner names one."""
        rows = self._con.execute("SELECT source_id, release_scope FROM sources "
                                 "WHERE release_scope LIKE 'FOIA %'").fetchall()
        return dict(rows)

    def rejects(self, source_id: int, limit: int = 100) -> list[dict]:
        cur = self._con.execute(
            'SELECT row_number, sheet, "column", reason, raw_value FROM rejects WHERE source_id = ? '
            "ORDER BY row_number LIMIT ?", [source_id, limit])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def column_caveats(self) -> list[dict]:
        """Columns of active sources with redacted or unreadable values (counts, no values)."""
        cur = self._con.execute(
            'SELECT c.source_id, s.file_name, c."column", c.raw_name, c.n_redacted, c.n_unreadable '
            "FROM source_columns c JOIN sources s USING (source_id) WHERE s.superseded_by IS NULL "
            "AND (c.n_redacted > 0 OR c.n_unreadable > 0) ORDER BY c.source_id, c.raw_name")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def provenance_for(self, metric) -> list[SourceRef]:
        """Active sources feeding a metric's table and its lookup tables, as citations."""
        tables = {metric.table, *(lk.table for lk in metric.lookups)}
        kinds = set(getattr(metric, "source_kinds", ()))
        rows = self._con.execute(
            "SELECT source_id, file_name, kind, sha256, release_date, synthetic, rows_loaded, tables, "
            "data_start, data_end, columns_not_provided, banner FROM sources "
            "WHERE superseded_by IS NULL ORDER BY source_id").fetchall()
        out = []
        for sid, name, kind, sha, release, synthetic, loaded, tabs, start, end, lacking, banner in rows:
            fed = set((tabs or "").split(","))
            if metric.table in fed and kinds and kind not in kinds:
                continue  # another publication sharing the metric's table
            if tables & fed:
                assumption = " ".join(line for line in (banner or "").splitlines()
                                      if "assumption" in line.lower())
                out.append(SourceRef(sid, name, kind, sha, release, bool(synthetic), loaded, start,
                                     end, lacking, assumption or None))
        return out

    def table_rows(self, table: str) -> int:
        return first_row(self._con.execute(f'SELECT count(*) FROM "{table}"'))[0]
