"""How much of a period a panel's figures cover, and changes computed only between like periods.

A fiscal year (or a month) is *partial* when the data stop before it ends. The day the data stop
is read, in order, from

1. the Result's own period fields, where the metrics layer provides them (``data_end``, or the
   per-cell ``period_end``/``partial`` columns);
2. for ICE's published releases (metrics that keep every release), the data-end date solved from
   the release's year-to-date ADP (:func:`immstat.analysis.revisions.release_coverage`);
3. otherwise the sources' stated data end (e.g. ICE's FOIA arrests for FY2019 end on 31 Aug 2019).

A change is shown only between periods of equal length: a whole year against the whole year
before, or a year to date against the same days of the year before (when the published figures
can be cut there: counts that add up, data ending on a month's last day). Anything else is "not
comparable", and the page shows the earlier figure as context instead of a percentage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from immstat.analysis.revisions import release_coverage
from immstat.core.calendar import fiscal_year, fy_bounds, month_end, month_start
from immstat.core.errors import ImmstatError
from immstat.core.formats import day_label, fmt_change, fmt_value, month_label
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


def year_change(wh: Warehouse, panel: Panel, fy: int, value: float | None,
                through: dt.date | None, prior: float | None) -> Change | None:
    """``value`` (fiscal year ``fy``, to ``through`` when partial) against FY ``fy - 1``,
    like for like (see the module docstring); ``prior`` is FY ``fy - 1`` as the panel holds it."""
    if value is None or panel.result is None:
        return None
    unit = panel.result.metric.unit
    if prior is None:
        return Change(f"no FY{fy - 1} figure to compare with", False)
    prior_through = fy_through(wh, panel, fy - 1)
    before = f"FY{fy - 1} {to_date(prior_through)}" if prior_through else f"FY{fy - 1}"
    context = f"{before}: {fmt_value(prior, unit)}"
    alike = prior_through == (_a_year_before(through) if through else None)
    if alike:  # whole years, or both to the same day of the year
        text = fmt_change(value, prior, unit)
        return Change(f"{text} vs FY{fy - 1}", True, prior, context) if text else None
    if prior_through is not None:
        return Change(f"not compared: FY{fy - 1}'s figures end on {day_label(prior_through)}",
                      False, prior, context)
    assert through is not None
    same = _same_span(wh, panel, fy, through)
    if same is None:
        return Change(f"not comparable with FY{fy - 1}, a whole year", False, prior,
                      f"FY{fy - 1} (whole year): {fmt_value(prior, unit)}")
    text = fmt_change(value, same, unit)
    span = f"{month_label(fy_bounds(fy - 1)[0])} – {month_label(_year_before(through))}"
    return Change(f"{text} vs the same months of FY{fy - 1}" if text else "no change to compute",
                  bool(text), same, f"FY{fy - 1}, {span}: {fmt_value(same, unit)}")


def _a_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _year_before(day: dt.date) -> dt.date:
    return month_end(month_start(day).replace(year=day.year - 1))


def _same_span(wh: Warehouse, panel: Panel, fy: int, through: dt.date) -> float | None:
    """FY ``fy - 1`` from 1 October to the day a year before ``through`` (counts that add up,
    cut at a month's end only; None when the figures cannot be cut there)."""
    metric = get_metric(panel.metric)
    if not metric.measure.additive or through != month_end(through):
        return None
    where = panel.params.get("where") or {}
    try:
        result = wh.query(panel.metric, where=where, date_from=fy_bounds(fy - 1)[0],
                          date_to=_year_before(through))
    except ImmstatError:  # a comparison that cannot be computed is simply not shown
        return None
    return result.value()
