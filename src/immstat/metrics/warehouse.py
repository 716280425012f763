"""The public :class:`Warehouse`: the store (ingest, provenance) plus metric queries.

This is the class ``from immstat import Warehouse`` gives: the warehouse layer knows nothing of
metrics, so the metrics layer extends its :class:`~immstat.warehouse.Store`.
"""

from __future__ import annotations

from immstat.warehouse import Store


class Warehouse(Store):
    """An ImmStat warehouse file (``$IMMSTAT_HOME/immstat.duckdb`` unless a path is given)."""

    # ------------------------------------------------------------------ out
    def query(self, metric: str, **options):
        """Compute a metric (see :func:`immstat.metrics.query`); returns a suppressed Result."""
        from immstat.metrics.query import query

        return query(self, metric, **options)

    def backend(self, engine: str = "duckdb"):
        """The Ibis backend a metric runs on: this DuckDB file, or Spark over its parquet export."""
        if engine == "duckdb":
            if self._ibis is None:
                import ibis

                self._ibis = ibis.duckdb.from_connection(self.con)
            return self._ibis
        if engine == "spark":
            from immstat.metrics import spark

            return spark.backend(self)
        from immstat.core.errors import UnknownName

        raise UnknownName("engine", engine, ["duckdb", "spark"])
