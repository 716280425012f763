"""The DuckDB warehouse: schema, transactional ingest, provenance."""

from immstat.warehouse.core import Store

__all__ = ["Store"]
