"""The public :class:`Warehouse`: the store (ingest, provenance) plus metric queries.

This is the class ``from immstat import Warehouse`` gives: the warehouse layer knows nothing of
metrics, so the metrics layer extends its :class:`~immstat.warehouse.Store`. Record-derived
answers come only from the protected release (``metrics/release``), rebuilt after every ingest.
"""

from __future__ import annotations

import threading

from immstat.core import settings
from immstat.core.errors import UnknownName, WarehouseError
from immstat.warehouse import Store

_BUILD_LOCK = threading.Lock()


class Warehouse(Store):
    """An ImmStat warehouse file (``$IMMSTAT_HOME/immstat.duckdb`` unless a path is given)."""

    # ------------------------------------------------------------------ in
    def ingest(self, paths, kind=None, release_date=None, progress=None, release: bool = True):
        """Ingest files (see :meth:`Store.ingest`), then rebuild the protected release."""
        reports = super().ingest(paths, kind, release_date, progress)
        if release and self._release_stale():
            self.release()
        return reports

    def release(self, engine: str = "duckdb", min_cell: int | None = None) -> dict:
        """Rebuild the protected release of every record-derived metric; returns its manifest."""
        from immstat.metrics.release import build

        self._writable()
        with _BUILD_LOCK:
            return build.build(self, engine, min_cell)

    def release_manifest(self, min_cell: int | None = None) -> dict:
        """The current release's manifest, rebuilding it first if the warehouse is writable and
        the release is missing or out of date (read-only: a one-line error says what to run)."""
        from immstat.metrics.release import store

        cell_min = settings.min_cell(min_cell)
        info = store.manifest(self)
        if info is not None and info["fingerprint"] == store.fingerprint(self, cell_min):
            return info
        if info is None and not self._record_level():  # nothing to protect: an empty release
            return {"release_id": 0, "built_at": None, "fingerprint": "", "min_cell": cell_min,
                    "engine": "duckdb", "seconds": 0.0, "families": {}}
        if self.read_only:
            what = "has no protected release" if info is None else "has a release that is out of date"
            raise WarehouseError(f"{self.path} {what} (min_cell {cell_min}); run `immstat release "
                                 f"--db {self.path}` with the warehouse not in use, then retry.")
        self.release(min_cell=cell_min)
        info = store.manifest(self)
        if info is None:
            raise WarehouseError(f"{self.path}: the protected release was built but not stored; "
                                 "run `immstat release` and report this.")
        return info

    def _release_stale(self) -> bool:
        """Record-level sources changed since the release (or there is none and they exist)."""
        from immstat.metrics.release import store

        info = store.manifest(self)
        if info is None:
            return self._record_level()
        return info["fingerprint"] != store.fingerprint(self, info["min_cell"])

    def _record_level(self) -> bool:
        """Does the warehouse hold any record-level source?"""
        return bool(self.cursor().execute(
            "SELECT count(*) FROM sources WHERE record_level").fetchall()[0][0])

    # ------------------------------------------------------------------ out
    def query(self, metric: str, **options):
        """A metric as a :class:`~immstat.metrics.Result` — record-derived metrics are read from
        the protected release, published aggregates from their tables (see
        :func:`immstat.metrics.query`). Thread-safe when each thread uses its own cursor."""
        from immstat.metrics.query import query

        return query(self, metric, **options)

    def backend(self, engine: str = "duckdb"):
        """The Ibis backend metrics are computed on: this DuckDB file, or Spark over a private
        parquet export that never holds person keys (see ``metrics/spark.py``)."""
        if engine == "duckdb":
            if self._ibis is None:
                import ibis

                self._ibis = ibis.duckdb.from_connection(self._con)
            return self._ibis
        if engine == "spark":
            from immstat.metrics import spark

            return spark.backend(self)
        raise UnknownName("engine", engine, ["duckdb", "spark"])
