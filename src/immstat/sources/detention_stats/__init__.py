"""ICE detention-statistics workbooks (FY19 on, every yearly layout) → ``detention_stats_*``.

Public surface: :data:`SOURCE` (the ``registry.CUSTOM`` entry), :func:`read_workbook` (parse
without a warehouse), :func:`latest_release_sql` (latest release ≤ as_of per fiscal year) and
:func:`all_tables` (every table with its schema).
"""

from immstat.sources.detention_stats.source import SOURCE
from immstat.sources.detention_stats.sql import latest_release_sql
from immstat.sources.detention_stats.tables import all_tables
from immstat.sources.detention_stats.workbook import read_workbook

__all__ = ["SOURCE", "all_tables", "latest_release_sql", "read_workbook"]
