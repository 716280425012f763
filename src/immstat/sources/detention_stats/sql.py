"""SQL for the metrics layer: pick, per fiscal year, the latest release on or before a date.

Every workbook release is kept (``replace_policy="keep_releases"``), so a ``detention_stats_*``
table holds one copy of each section per release. Metrics read through :func:`latest_release_sql`:

    SELECT ... FROM ({latest_release_sql("detention_stats_adp")}) t  -- newest release per FY
    SELECT ... FROM ({latest_release_sql("detention_stats_adp", as_of=date(2025, 6, 1))}) t

A fiscal year whose first release came after ``as_of`` is absent from the result.
"""

from __future__ import annotations

import datetime as dt

from immstat.core.errors import QueryError
from immstat.sources.detention_stats.tables import PREFIX


def latest_release_sql(table: str, as_of: dt.date | None = None) -> str:
    """SELECT * FROM ``table`` keeping, per fiscal_year, only rows of the latest release ≤ as_of."""
    if not table.startswith(PREFIX) or not table.replace("_", "").isalnum():
        raise QueryError(f"{table!r} is not a detention_stats_* table; pass one of the tables "
                         "listed by immstat.sources.detention_stats.tables.all_tables().")
    cutoff = f"WHERE release_date <= DATE '{as_of.isoformat()}'" if as_of else ""
    return (f'SELECT * FROM "{table}" {cutoff} QUALIFY release_date = '
            f"max(release_date) OVER (PARTITION BY fiscal_year)")
