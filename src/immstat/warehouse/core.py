"""The :class:`Warehouse`: one DuckDB file, its provenance, and the doors in and out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

import duckdb

from .. import settings
from ..errors import WarehouseError
from .ingest import IngestReport, ProgressFn, ingest_file
from .schema import create_all


class Warehouse:
    """An ImmStat warehouse file (``$IMMSTAT_HOME/immstat.duckdb`` unless a path is given)."""

    def __init__(self, path: str | Path | None = None, read_only: bool = False):
        self.path = Path(path) if path else settings.default_db_path()
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise WarehouseError(f"No warehouse at {self.path}. Run `immstat demo --no-serve` or "
                                 "`immstat ingest FILE` first, or pass --db PATH.")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            raise WarehouseError(
                f"Cannot open {self.path}: {exc}. Another ImmStat process (e.g. `immstat serve`) may "
                "hold it; stop that process or use another --db.") from exc
        if not read_only:
            create_all(self.con)

    # ------------------------------------------------------------------ lifecycle
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ in
    def ingest(self, paths: Iterable[str | Path], kind: str | None = None,
               release_date: dt.date | None = None,
               progress: ProgressFn | None = None) -> list[IngestReport]:
        """Ingest files one transaction each; raises on the first file that cannot be read."""
        self._writable()
        return [ingest_file(self.con, Path(p), kind, release_date, progress) for p in paths]

    def _writable(self) -> None:
        if self.read_only:
            raise WarehouseError(f"{self.path} is open read-only; open it without read_only to ingest.")

    # ------------------------------------------------------------------ provenance
    def sources(self, include_superseded: bool = True) -> list[dict]:
        """Provenance rows, newest first."""
        where = "" if include_superseded else "WHERE superseded_by IS NULL"
        cur = self.con.execute(
            "SELECT source_id, file_name, kind, dataset, sha256, release_date, release_date_basis, "
            "rows_in, rows_loaded, rows_rejected, loaded_at, immstat_version, synthetic, "
            f"record_level, licence, tables, superseded_by FROM sources {where} ORDER BY source_id DESC")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def rejects(self, source_id: int, limit: int = 100) -> list[dict]:
        cur = self.con.execute(
            'SELECT row_number, sheet, "column", reason, raw_value FROM rejects WHERE source_id = ? '
            "ORDER BY row_number LIMIT ?", [source_id, limit])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def table_rows(self, table: str) -> int:
        return self.con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
