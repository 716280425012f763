"""ImmStat: an aggregate-only observatory of US immigration enforcement.

Public API::

    from immstat import Warehouse
    wh = Warehouse("immstat.duckdb")
    wh.ingest(["arrests.xlsx"])
    r = wh.query("arrests", by=["aor"], fy=2025)
    r.to_arrow(); r.to_pandas(); r.to_polars(); r.to_dict()
"""

from typing import TYPE_CHECKING, Any

from immstat._version import __version__
from immstat.core.errors import (
    ConfigError,
    HeaderNotFound,
    ImmstatError,
    IngestError,
    MissingColumns,
    PrivacyError,
    QueryError,
    SourceError,
    UnknownName,
    UnknownSource,
    WarehouseError,
)

if TYPE_CHECKING:
    from immstat.metrics.warehouse import Warehouse

__all__ = [
    "__version__", "Warehouse", "ImmstatError", "SourceError", "UnknownSource", "HeaderNotFound",
    "MissingColumns", "IngestError", "WarehouseError", "QueryError", "UnknownName", "PrivacyError",
    "ConfigError",
]


def __getattr__(name: str) -> Any:
    """``immstat.Warehouse`` is imported on first use, so ``import immstat`` (and the CLI's
    start-up) does not load DuckDB, Ibis or pandas."""
    if name == "Warehouse":
        from immstat.metrics.warehouse import Warehouse

        return Warehouse
    raise AttributeError(f"module 'immstat' has no attribute {name!r}")
