"""The DuckDB warehouse: schema, transactional ingest, provenance."""

from .core import Warehouse

__all__ = ["Warehouse"]
