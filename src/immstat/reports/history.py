"""Arrests and removals by fiscal year from each source family, side by side and never added up.

One quantity comes from several source families: ICE's record-level FOIA release (counted by
ImmStat), ICE's published ERO statistics (rows under 10 left out), ICE's detention statistics
(removals) and ICE's annual reports (the national totals). The history tables give each its own
column, mark years a source covers in part ("to 31 Aug 2019") and SYNTHETIC records as such.
"""

from __future__ import annotations

from immstat.core.formats import MISSING, SYNTHETIC, fmt_value
from immstat.core.published import SOURCE, Measure, annual_totals
from immstat.present.panels import Panel
from immstat.reports.gather import Gatherer
from immstat.reports.model import Figure, Section
from immstat.reports.periods import partial_end

YEARS = 11  # fiscal years shown, ending with the brief's
# measure → (column title, metric) in order; ICE's annual total comes last
COLUMNS: dict[Measure, list[tuple[str, str]]] = {
    "arrests": [("FOIA records (ImmStat's count)", "arrests"),
                ("ERO statistics (published, rows under 10 left out)", "ero_stats_arrests")],
    "removals": [("FOIA records, by removal date (ImmStat's count)", "removals"),
                 ("ERO statistics (published, rows under 10 left out)", "ero_stats_removals"),
                 ("Detention statistics (published)", "detention_stats_removals")],
}


def cell(panel: Panel, fy: int) -> str:
    """One source's value for ``fy`` as printed: partial years and synthetic records marked."""
    if panel.result is None:
        return MISSING
    value = next((r["value"] for r in panel.result.table.to_pylist() if r["fiscal_year"] == fy), None)
    if value is None:
        return MISSING
    text = fmt_value(value, panel.result.metric.unit)
    end = partial_end(panel.result.sources, fy)
    if end:
        text += f" (to {end:%-d %b %Y})"
    return text + (f" {SYNTHETIC}" if panel.result.synthetic else "")


def history(g: Gatherer) -> Section:
    section = Section("history", "Arrests and removals by fiscal year, by source", paragraphs=[
        "The same quantity from different sources, each in its own column and never added "
        "together: ICE's record-level FOIA release (FY2016 to August 2019, counted by ImmStat), "
        "ICE's published ERO statistics (which leave out every row under 10, so their sums fall "
        "short), ICE's detention statistics and the totals of ICE's annual reports."])
    years = list(range(g.fy - YEARS + 1, g.fy + 1))
    for measure, columns in COLUMNS.items():
        panels = [g.panel(f"history-{metric}", title, metric, grain="fy") for title, metric in columns]
        totals = annual_totals(measure)
        rows = []
        for fy in years:
            row = [f"FY{fy}", *(cell(p, fy) for p in panels),
                   fmt_value(totals[fy]) if fy in totals else MISSING]
            if any(v != MISSING for v in row[1:]):
                rows.append(row)
        sources = [s for p in panels for s in p.sources]
        figure = g.table(f"history-{measure}", f"ICE {measure} by fiscal year, by source",
                         ["Fiscal year", *(t for t, _ in columns), "ICE annual report total"],
                         rows, sources, any(p.synthetic for p in panels),
                         caption=f"Annual totals: {SOURCE}. — no figure from that source.")
        section.figures.append(_coverage_note(figure, panels))
    return section


def _coverage_note(figure: Figure, panels: list[Panel]) -> Figure:
    """Add the ERO statistics' coverage of ICE's totals (e.g. 86% for FY2023) to the caption."""
    for p in panels:
        coverage = getattr(p.result, "coverage", None) or {}
        shares = [f"FY{y['fiscal_year']} {y['share']:.0%}" for y in coverage.get("years", [])
                  if y.get("share") is not None]
        if shares:
            figure.caption = (f"ERO statistics as a share of the annual total: {', '.join(shares)}. "
                              + figure.caption)
    return figure
