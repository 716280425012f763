"""How far a figure's newest period is covered: "to date (through 4 April 2026)" in a brief.

A panel's newest month is *partial* when the data stop before the month ends. The day the data
stop is read, in order, from

1. the Result's own period fields (``partial`` per cell, ``data_end``) where the metric layer
   provides them;
2. the data end a source states (ICE's FOIA arrests for FY2019 end on 31 Aug 2019);
3. for ICE's published releases (metrics that keep every release), the release's data-end date as
   solved from its year-to-date ADP (:func:`immstat.analysis.revisions.release_coverage`);
4. for record-derived metrics, the last day with data in that month (a day-grain query of the
   same panel); a published monthly figure with no stated data end counts as whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from immstat.analysis.revisions import release_coverage
from immstat.core.calendar import fiscal_year, fy_bounds, month_end
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


def partial_end(sources: Iterable[Mapping[str, Any]], fy: int) -> dt.date | None:
    """The stated data end of a source that stops inside fiscal year ``fy`` (None if none does)."""
    inside = [e for e in (s.get("data_end") for s in sources)
              if isinstance(e, dt.date) and fiscal_year(e) == fy and e < fy_bounds(fy)[1]]
    return min(inside) if inside else None


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


def release_end(g: Gatherer, metric: str, fy: int) -> dt.date | None:
    """The data end of the newest release of ``fy`` (up to the brief's as-of date) of a metric
    whose table keeps every release (ICE's detention statistics), solved from its ADP."""
    per_fy = by_fiscal_year(releases(g.wh, get_metric(metric), g.as_of)).get(fy)
    return release_coverage(g.wh, fy, per_fy[-1].release_date).data_end if per_fy else None


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
    stated = partial_end(panel.sources, fiscal_year(last))
    if stated is not None:
        return stated
    metric = get_metric(panel.metric)
    if keeps_releases(metric):
        return release_end(g, panel.metric, fiscal_year(last))
    if not metric.record_derived:  # a published monthly figure with no stated end is whole
        return None
    keep = {k: v for k, v in panel.params.items() if k in ("where", "by")}
    days = g.panel(f"{panel.key}-days", "", panel.metric, grain="day", date_from=last,
                   date_to=month_end(last), **keep)
    return last_period(days)
