"""ImmStat: an aggregate-only observatory of US immigration enforcement.

Public API::

    from immstat import Warehouse
    wh = Warehouse("immstat.duckdb")
    wh.ingest(["arrests.xlsx"])
    r = wh.query("arrests", by=["aor"], fy=2025)
    r.to_arrow(); r.to_pandas(); r.to_polars(); r.to_dict()
"""

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
from immstat.metrics.warehouse import Warehouse

__all__ = [
    "__version__", "Warehouse", "ImmstatError", "SourceError", "UnknownSource", "HeaderNotFound",
    "MissingColumns", "IngestError", "WarehouseError", "QueryError", "UnknownName", "PrivacyError",
    "ConfigError",
]
