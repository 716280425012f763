"""Every metric catalog, listed explicitly. Each ``catalog_*.py`` module registers the metrics of
one source family (``register(...)``) when imported; :data:`CATALOGS` is the list. To add a family,
write ``metrics/catalog_<family>.py`` and add it to the import and to :data:`CATALOGS`.
"""

from __future__ import annotations

from types import ModuleType

from immstat.metrics import (
    catalog_287g,
    catalog_cbp,
    catalog_detention_stats,
    catalog_ero_stats,
    catalog_foia,
    catalog_health,
)

CATALOGS: tuple[ModuleType, ...] = (  # in import (hence registration) order
    catalog_287g, catalog_cbp, catalog_detention_stats, catalog_ero_stats, catalog_foia,
    catalog_health)
