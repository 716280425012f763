"""How much of a period a panel's figures cover, and changes computed only between like periods.

A fiscal year (or a month) is *partial* when the data stop before it ends. The day the data stop
is read, in order, from

1. the Result's own period fields, where the metrics layer provides them (``data_end``, or the
   per-cell ``period_end``/``partial`` columns);
2. for ICE's published releases (metrics that keep every release), the data-end date solved from
   the release's year-to-date ADP (:func:`immstat.analysis.revisions.release_coverage`);
3. otherwise the sources' stated data end (e.g. ICE's FOIA arrests for FY2019 end on 31 Aug 2019).

A change is shown only between periods of equal length, by the one rule of
:func:`immstat.analysis.compare.year_change` (the API, the CLI, the pages and the brief share it):
anything else is "not comparable", and the page shows the earlier figure as context instead of
a percentage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from immstat.analysis import compare
from immstat.analysis.revisions import release_coverage
from immstat.core.calendar import fiscal_year, fy_bounds, month_end
from immstat.core.formats import day_label, fmt_value
from immstat.metrics import Warehouse, get_metric
from immstat.metrics.releases import by_fiscal_year, keeps_releases, releases
from immstat.present.panels import Panel


def to_date(through: dt.date) -> str:
    """``to date (through 4 April 2026)``."""
    return f"to date (through {day_label(through)})"


def _as_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and len(value) >= 10:
        return dt.date.fromisoformat(value[:10])
    return None


def data_end(wh: Warehouse, panel: Panel, start: dt.date, end: dt.date) -> dt.date | None:
    """The last day with data in ``start``–``end`` for ``panel``'s metric, if before ``end``
    (None: the period is covered whole, or nothing says otherwise)."""
    result = panel.result
    if result is None:
        return None
    found = _from_result(result, start, end)
    if found is None and keeps_releases(get_metric(panel.metric)):
        found = _from_release(wh, panel.metric, fiscal_year(end))
    if found is None:
        ends = [d for s in result.sources if (d := _as_date(s.get("data_end")))]
        found = max((d for d in ends if start <= d <= end), default=None)
    return found if found is not None and start <= found < end else None


def _from_result(result, start: dt.date, end: dt.date) -> dt.date | None:
    stated = _as_date(getattr(result, "data_end", None))
    if stated is not None and start <= stated <= end:  # the result's end, when in this period
        return stated
    if "partial" in result.columns and "period_end" in result.columns:
        days = [_as_date(r["period_end"]) for r in result.table.to_pylist() if r["partial"]]
        inside = [d for d in days if d and start <= d <= end]
        return max(inside, default=None)
    return None


def _from_release(wh: Warehouse, metric: str, fy: int) -> dt.date | None:
    held = by_fiscal_year(releases(wh, metric)).get(fy)
    if not held:
        return None
    if not getattr(wh, "read_only", False):  # a writable warehouse may change between calls
        return release_coverage(wh, fy, held[-1].release_date).data_end
    stat = wh.path.stat()
    key = (str(wh.path), stat.st_mtime_ns, stat.st_size, fy, held[-1].release_date)
    if key not in _RELEASE_ENDS:
        _RELEASE_ENDS[key] = release_coverage(wh, fy, held[-1].release_date).data_end
    return _RELEASE_ENDS[key]


# data ends of releases in read-only warehouses, by (file, its mtime and size, FY, release date)
_RELEASE_ENDS: dict[tuple, dt.date | None] = {}


def fy_through(wh: Warehouse, panel: Panel, fy: int) -> dt.date | None:
    """The data end of fiscal year ``fy`` in ``panel`` when the year is partial, else None."""
    return data_end(wh, panel, *fy_bounds(fy))


def partial_month(wh: Warehouse, panel: Panel) -> tuple[dt.date, dt.date] | None:
    """(newest month, last day with data) when a monthly panel's newest month is partial."""
    if panel.result is None or "month" not in panel.result.columns:
        return None
    months = [_as_date(m) for m in panel.result.table.column("month").to_pylist()]
    newest = max((m for m in months if m), default=None)
    if newest is None:
        return None
    through = data_end(wh, panel, newest, month_end(newest))
    return (newest, through) if through else None


@dataclass(frozen=True)
class Change:
    """A change against the year before: ``text`` ("+3.2% vs …") or why there is none."""

    text: str
    comparable: bool
    prior: float | None = None
    prior_label: str = ""


def year_change(wh: Warehouse, panel: Panel, fy: int) -> Change | None:
    """The change a tile shows for ``panel``'s fiscal year ``fy``: the one like-for-like rule,
    :func:`immstat.analysis.compare.year_change`, with the earlier figure (and the days it
    covers) as context."""
    if panel.result is None:
        return None
    found = compare.year_change(wh, panel.metric, fy, where=panel.params.get("where") or None,
                                as_of=panel.params.get("as_of"))
    if found.value is None:
        return None
    if found.prior is None:
        return Change(found.text, False)
    unit = panel.result.metric.unit
    return Change(found.text, found.comparable, found.prior,
                  f"{_span_label(fy - 1, found.prior_span)}: {fmt_value(found.prior, unit)}")


def _span_label(fy: int, span: tuple[dt.date, dt.date] | None) -> str:
    """``FY2025`` (the whole year, or the days unknown) or ``FY2025, 1 Oct 2024–4 Apr 2025``."""
    if span is None or span == fy_bounds(fy):
        return f"FY{fy}"
    return f"FY{fy}, {span[0]:%-d %b %Y}–{span[1]:%-d %b %Y}"
