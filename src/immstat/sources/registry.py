"""Every source ImmStat can ingest, listed once, in the order detection asks them.

``CUSTOM`` are sources whose layout needs code (workbooks with several sections or sheets,
tables reshaped on the way in); each claims a file by its content through
:meth:`~immstat.sources.plan.Source.plan`. ``SPECS`` are tabular sources described purely by a
manifest (header names → canonical columns); ``sources/detect.py`` scores them against a file's
header rows. Nothing registers itself: a new source is one more entry here.
"""

from __future__ import annotations

from immstat.sources import (
    agreements_287g,
    cbp,
    detention_stats,
    ero_stats,
    facilities,
    ice_foia,
    ice_foia_2019,
)
from immstat.sources.manifest import SourceSpec
from immstat.sources.plan import Source

SPECS: tuple[SourceSpec, ...] = (*ice_foia.SPECS, *ice_foia_2019.SPECS, *facilities.SPECS)
CUSTOM: tuple[Source, ...] = (
    *cbp.CUSTOM,
    *agreements_287g.CUSTOM,
    detention_stats.SOURCE,
    ero_stats.SOURCE,
)
