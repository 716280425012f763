"""How far a figure's newest period is covered: "to date (through 4 April 2026)" in a brief.

A panel's newest month is *partial* when the data stop before the month ends. The day the data
stop is read, in order, from

1. the Result's own period fields (``partial`` per cell, ``data_end``) where the metric layer
   provides them;
2. for ICE's published releases (metrics that keep every release), the release's data-end date as
   solved from its year-to-date ADP (:func:`immstat.analysis.revisions.release_coverage`);
3. otherwise the last day with data in that month (a day-grain query of the same panel).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from immstat.analysis.revisions import release_coverage
from immstat.core.calendar import fiscal_year, month_end
from immstat.core.formats import day_label
from immstat.metrics import get_metric
from immstat.metrics.releases import by_fiscal_year, keeps_releases, releases
from immstat.present.filters import last_period
from immstat.present.panels import Panel

if TYPE_CHECKING:
    from immstat.reports.gather import Gatherer


def to_date(through: dt.date) -> str:
    """``to date (through 4 April 2026)``."""
    return f"to date (through {day_label(through)})"


def newest(panel: Panel) -> tuple[dt.date, float | None] | None:
    """The newest month of a monthly panel and its value (summed over any breakdown)."""
    if panel.result is None or "month" not in panel.result.columns:
        return None
    rows = [r for r in panel.result.table.to_pylist() if r["month"] is not None]
    if not rows:
        return None
    last = max(r["month"] for r in rows)
    values = [r["value"] for r in rows if r["month"] == last]
    return last, (values[0] if len(values) == 1 else None)


def through(g: Gatherer, panel: Panel) -> dt.date | None:
    """The last day of data when the panel's newest month is only partly covered, else None."""
    found = newest(panel)
    if found is None:
        return None
    last = found[0]
    declared = _declared(panel, last)
    end = declared if declared is not False else _observed(g, panel, last)
    return end if isinstance(end, dt.date) and end < month_end(last) else None


def _declared(panel: Panel, last: dt.date) -> dt.date | None | bool:
    """From the Result's period fields; False when the Result has none."""
    result = panel.result
    if result is None or "partial" not in result.columns:
        return False
    partial = [r for r in result.table.to_pylist() if r["month"] == last and r["partial"]]
    if not partial:
        return None
    ends = [r.get("period_end") for r in partial if r.get("period_end")]
    return getattr(result, "data_end", None) or (min(ends) if ends else None)


def _observed(g: Gatherer, panel: Panel, last: dt.date) -> dt.date | None:
    metric = get_metric(panel.metric)
    if keeps_releases(metric):
        per_fy = by_fiscal_year(releases(g.wh, metric, g.as_of)).get(fiscal_year(last))
        return release_coverage(g.wh, fiscal_year(last), per_fy[-1].release_date).data_end \
            if per_fy else None
    keep = {k: v for k, v in panel.params.items() if k in ("where", "by")}
    days = g.panel(f"{panel.key}-days", "", panel.metric, grain="day", date_from=last,
                   date_to=month_end(last), **keep)
    return last_period(days)
