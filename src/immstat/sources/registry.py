"""Every source ImmStat can ingest, in one place.

``SPECS`` are tabular sources described purely by a manifest (header names → canonical columns).
``CUSTOM`` are sources whose layout needs code (e.g. ICE detention-statistics workbooks, whose
sections move every year): each has ``kind``, ``title`` and ``plan(path, sheets) -> plan | None``.
"""

from __future__ import annotations

from immstat.sources import agreements_287g, cbp, detention_stats, facilities, ice_foia

SPECS = (*ice_foia.SPECS, *facilities.SPECS)
CUSTOM: tuple = (*cbp.CUSTOM, *agreements_287g.CUSTOM, detention_stats.SOURCE)


def spec_for_table(table: str):
    for spec in SPECS:
        if spec.table == table:
            return spec
    raise KeyError(table)
