"""Turn metric queries into cited report figures: headline numbers, SVG charts and tables.

Queries go through :func:`immstat.present.panels.fetch` (as the dashboard's do), so a metric that
is not registered or has no rows gives a "no data yet" message in the brief instead of an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from immstat.analysis import compare
from immstat.core.calendar import fy_bounds, month_end
from immstat.core.formats import day_label, fmt_change, fmt_value
from immstat.metrics import Warehouse, get_metric
from immstat.metrics.releases import keeps_releases
from immstat.present.filters import fiscal_years, fy_value, fy_window, partial_fy
from immstat.present.panels import Panel, fetch
from immstat.reports import periods
from immstat.reports.model import Citations, Figure, Headline
from immstat.reports.printspec import for_print, is_line, mark_partial
from immstat.reports.svg import to_svg

HALF = {"width": 285, "height": 150}  # two charts side by side on a Letter page
FULL = {"width": 600, "height": 190}


class Gatherer:
    """Queries one warehouse for one fiscal year (and releases up to ``as_of``), citing sources."""

    def __init__(self, wh: Warehouse, fy: int, as_of: dt.date | None, citations: Citations):
        self.wh, self.fy, self.as_of, self.citations = wh, fy, as_of, citations

    def panel(self, key: str, title: str, metric: str, **params) -> Panel:
        return fetch(self.wh, key, title, metric, as_of=self.as_of, **params)

    def trend_window(self) -> dict:
        """The two fiscal years ending with the report's (monthly trends)."""
        return fy_window(self.fy, years=2)

    def headline(self, label: str, metric: str, where: dict | None = None) -> Headline:
        yearly = self.panel(f"h-{metric}", label, metric, where=where, grain="fy")
        head = Headline(label, metric)
        result = yearly.result
        if result is None:
            head.message = yearly.message
            return head
        head.unit, head.synthetic = result.metric.unit, result.synthetic
        head.cites = self.citations.cite(result.sources)
        head.value, head.prior = fy_value(yearly, self.fy), fy_value(yearly, self.fy - 1)
        if head.value is None:
            head.message = _no_figure(yearly, self.fy)
            return head
        through = self.fy_through(metric, where)
        covers = None if where else next(  # coverage compares national sums with ICE's totals
            (y["text"] for y in (result.coverage or {}).get("years", []) if y["fiscal_year"] == self.fy),
            None)
        to_date = f"FY{self.fy} {periods.to_date(through)}" if through else None
        found = compare.year_change(self.wh, metric, self.fy, where=where, as_of=self.as_of)
        if found.comparable:  # like for like: whole years, or the same days of both years
            head.change = fmt_change(found.value, found.prior, head.unit)
        alike = found.comparable and found.prior_span == fy_bounds(self.fy - 1)
        compared = _same_days(found, head.unit, self.fy - 1) if found.comparable else found.text
        head.note = "; ".join(x for x in (to_date, None if alike else compared, covers) if x) or None
        return head

    def fy_through(self, metric: str, where: dict | None) -> dt.date | None:
        """The last day of data if the metric's data stop before the fiscal year ends."""
        start, end = fy_bounds(self.fy)
        if keeps_releases(get_metric(metric)):  # a release states its own data end
            through = periods.release_end(self, metric, self.fy)
            return through if through and through < end else None
        monthly = self.panel(f"cover-{metric}", "", metric, where=where, grain="month",
                             date_from=start, date_to=end)
        last = partial_fy(monthly, self.fy)
        return None if last is None else (periods.through(self, monthly) or month_end(last))

    def chart(self, panel: Panel, draw: Callable[..., dict], caption: str = "",
              half: bool = True) -> Figure:
        """A figure drawing ``panel`` with ``draw(panel, width=…, height=…) -> Vega-Lite spec``."""
        fig = Figure(panel.key, panel.title, caption=caption, half=half)
        if panel.result is None:
            fig.message = panel.message
            return fig
        spec = for_print(draw(panel, **(HALF if half else FULL)), panel.result.metric.unit)
        newest = periods.newest(panel) if is_line(spec) else None
        through = periods.through(self, panel) if newest else None
        if newest and through:
            spec = mark_partial(spec, newest[0], newest[1], f"to {through:%-d %b}")
            fig.caption = " ".join(x for x in (fig.caption, f"The last month is partial: data "
                                               f"through {day_label(through)}.") if x)
        fig.svg = to_svg(spec, panel.key)
        fig.synthetic = panel.result.synthetic
        fig.cites = self.citations.cite(panel.result.sources)
        return fig

    def table(self, key: str, title: str, columns: list[str], rows: list[list],
              sources: Iterable[Mapping[str, Any]], synthetic: bool, caption: str = "") -> Figure:
        fig = Figure(key, title, columns=columns, rows=rows, caption=caption, synthetic=synthetic)
        fig.cites = self.citations.cite(sources)
        if not rows:
            fig.message = "No data yet for this table."
        return fig


def _same_days(found: compare.Change, unit: str, prior_fy: int) -> str:
    """The two figures a same-days change divides (the FY columns hold whole years)."""
    assert found.span is not None, "a comparable change names the days it compares"
    lo, hi = found.span
    return (f"change on the same days ({lo:%-d %b}–{hi:%-d %b}): {fmt_value(found.value, unit)} "
            f"vs {fmt_value(found.prior, unit)} in FY{prior_fy}")


def _no_figure(yearly: Panel, fy: int) -> str:
    """Why a headline has no figure for ``fy``: the years its source covers."""
    years = sorted(fiscal_years(yearly))
    if not years:
        return f"no data for FY{fy}"
    end = periods.partial_end(yearly.sources, years[-1])
    last = f"FY{years[-1]}" + (f" (to {day_label(end)})" if end else "")
    return f"no figure for FY{fy}: this source covers FY{years[0]} to {last}"
