"""Stocks published as dated snapshots (lists such as ICE's 287(g) participating agencies).

A snapshot is a count *at a moment*, not a flow: two snapshots are never added. A metric with
:class:`Snapshots` therefore reads, before any other filter:

* with the ``snapshot`` dimension in ``by`` or ``where``: the snapshots asked for, each its own
  cell (a snapshot series — only dates that were collected, nothing interpolated between them);
* otherwise, per cell, the newest snapshot: the newest overall (on or before ``as_of`` and within
  ``--from``/``--to``) without a grain, the newest in each day / week / month / fiscal year with one
  (periods without a snapshot have no cell). ``per_period=False`` (series dated by another column,
  e.g. signing dates) always reads the one newest snapshot, whatever the grain.

The choice is made before the ``where`` filters, so a filtered query reads the same snapshot as an
unfiltered one (a state absent from the newest list counts 0 there, not its count in an older one).
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import pandas as pd
from ibis.expr.types import Table

from immstat.core.errors import QueryError, UnknownName
from immstat.metrics.engine import period_expr, source_table

DIMENSION = "snapshot"


@dataclass(frozen=True)
class Snapshots:
    column: str = "snapshot"  # sortable label: 'YYYY-MM-DD am|pm' identifies one snapshot
    date_column: str = "snapshot_date"
    per_period: bool = True

    def explicit(self, req) -> bool:
        return DIMENSION in req.by or DIMENSION in req.where

    def select(self, t: Table, req) -> Table:
        """The rows of the snapshots ``req`` reads (see the module docstring)."""
        day = t[self.date_column].cast("date")
        if req.as_of is not None:
            t = t.filter(day <= ibis.literal(req.as_of))
        if self.explicit(req):
            return t
        groups = []
        if self.per_period:
            if req.start is not None:
                t = t.filter(day >= ibis.literal(req.start))
            if req.end is not None:
                t = t.filter(day <= ibis.literal(req.end))
            if req.grain:
                groups = [period_expr(t, self.date_column, req.grain).name("_snapshot_period")]
        # window column first, then filter: Spark cannot resolve a window function inside a filter
        t = t.mutate(_newest=t[self.column].max().over(ibis.window(group_by=groups)))
        return t.filter(t[self.column] == t._newest).drop("_newest")

    def finish(self, backend, req, frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
        """The computed cells (none when no snapshot is in the window: a stock with no snapshot is
        unknown, not zero) and a note naming the snapshots read. An unknown ``where snapshot=``
        value is refused with the snapshots that exist; several need ``--by snapshot``."""
        wanted = req.where.get(DIMENSION) or []
        if len(wanted) > 1 and DIMENSION not in req.by:
            raise QueryError("Snapshots are never combined: give one --where snapshot=…, or add "
                             "--by snapshot for one cell per snapshot.")
        t = self.select(source_table(backend, req.metric, req.as_of), req)
        labels = sorted(backend.to_pyarrow(t.select(t[self.column]).distinct())
                        [self.column].to_pylist())
        for value in wanted:
            if value not in labels:
                raise UnknownName("snapshot", value, labels)
        if wanted:
            labels = [label for label in labels if label in wanted]
        how = ("one cell per snapshot" if DIMENSION in req.by else
               "the newest snapshot of each period" if self.per_period and req.grain and
               not wanted else "")
        return (frame if labels else frame.iloc[0:0]), snapshot_note(labels, how)


def snapshot_note(labels: list[str], how: str) -> str:
    """'read from snapshot X' for one snapshot; 'N snapshots, first … last, <how>' for a series."""
    if not labels:
        return "snapshot stock: no snapshot in the window; snapshots are never summed"
    if not how or len(labels) == 1:
        return (f"snapshot stock: read from snapshot {labels[-1]}; snapshots are never summed")
    return (f"snapshot series: {len(labels)} snapshots, {labels[0]} … {labels[-1]}, {how}; "
            "no interpolation between snapshots, never summed")
