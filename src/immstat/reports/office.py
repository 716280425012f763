"""The field-office sections of a brief: the office's card and its ranking among offices.

The card leads with ICE's published per-office figures (the ERO statistics: arrests, book-ins and
removals by month and criminality), the office's arrests per day against the reported per-office
goal, ImmStat's counts from ICE's record-level FOIA release for the years it covers, and the
detention facilities in the office's area with their average daily population.
"""

from __future__ import annotations

from immstat.analysis.targets import office_target
from immstat.core.calendar import fy_bounds
from immstat.core.formats import day_label, fmt_value
from immstat.present import charts
from immstat.present.filters import fy_window
from immstat.reports.content import facility_table
from immstat.reports.gather import Gatherer
from immstat.reports.model import Section

OFFICE_HEADLINES = [  # ICE's published per-office figures first, then ImmStat's counts of records
    ("ICE arrests (ICE's ERO statistics)", "ero_stats_arrests"),
    ("Initial book-ins into ICE detention (ICE's ERO statistics)", "ero_stats_detentions"),
    ("ICE removals (ICE's ERO statistics)", "ero_stats_removals"),
    ("People detained in the office's facilities, average per day (DDP facility data)", "adp"),
    ("ICE arrests (FOIA records)", "arrests"),
    ("Share of arrests of people with no criminal conviction or pending charge (FOIA records)",
     "criminality_share"),
]
TREND_YEARS = 3
RECORD_METRICS = ("arrests", "criminality_share")  # shown only for the years they cover


def card(g: Gatherer, office: dict) -> Section:
    code, where = office["code"], {"aor": [office["code"]]}
    heads = [h for h in (g.headline(label, metric, where=where) for label, metric in OFFICE_HEADLINES)
             if h.value is not None or h.metric not in RECORD_METRICS]
    paragraphs = [f"The {office['name']} field office (area of responsibility {code}) has its "
                  f"office in {office.get('office_city') or office['name']}, "
                  f"{office.get('office_state') or ''}.".replace(", .", ".")]
    paragraphs += _pace(g, where, heads)
    window = fy_window(g.fy, years=TREND_YEARS)
    trend = g.panel("office-trend", "ICE arrests per month (ICE's ERO statistics)",
                    "ero_stats_arrests", where=where, grain="month", **window)
    mix = g.panel("office-criminality", "Criminality mix of arrests, by fiscal year (ICE's ERO "
                  "statistics)", "ero_stats_arrests", where=where, by=["criminality"], grain="fy",
                  **window)
    facilities = g.panel("office-facilities", f"Detention facilities in the area, FY{g.fy}",
                         "facility_population", where=where, by=["facility"], fy=g.fy)
    figures = [g.chart(trend, lambda p, **size: charts.line(p.result, p.title, **size)),
               g.chart(mix, lambda p, **size: charts.stacked_share(p.result, "criminality", p.title,
                                                                   **size))]
    method = g.panel("office-method", f"Arrests by method, FY{g.fy} (FOIA records)", "arrests",
                     where=where, by=["method"], fy=g.fy)
    if method.ok:
        figures.append(g.chart(method, lambda p, width, height: charts.bars(
            p.result, "method", p.title, width=width)))
    figures.append(facility_table(g, facilities))
    return Section("office", f"{office['name']} field office ({code})", paragraphs=paragraphs,
                   headlines=heads, figures=figures)


def _pace(g: Gatherer, where: dict, heads: list) -> list[str]:
    """The office's arrests per day against the reported per-office goal (ImmStat's arithmetic)."""
    target = office_target()
    arrests = next((h for h in heads if h.metric == "ero_stats_arrests"), None)
    if not target or arrests is None or arrests.value is None:
        return []
    start, last = fy_bounds(g.fy)
    through = g.fy_through(arrests.metric, where)
    days = ((through or last) - start).days + 1
    span = f"the {days} days to {day_label(through)}" if through else f"the {days} days of the year"
    per_day = arrests.value / days
    return [f"In FY{g.fy} ICE's ERO statistics count {fmt_value(arrests.value)} arrests for the "
            f"office: {fmt_value(per_day)} a day over {span} (ImmStat's arithmetic; ICE leaves out "
            f"rows under 10), {per_day / target.number:.0%} of the reported goal of "
            f"{target.number:g} arrests a day per field office ({target.title}; {target.stated_by})."]


def ranking(g: Gatherer, office: dict) -> Section:
    panel = g.panel("ranking", f"ICE arrests by field office, FY{g.fy} (ICE's ERO statistics)",
                    "ero_stats_arrests", by=["aor"], fy=g.fy)
    paragraphs = []
    if panel.result is not None:
        rows = [r for r in panel.result.table.to_pylist() if r["aor"] and r["value"] is not None]
        rows.sort(key=lambda r: (-r["value"], r["aor"]))
        place = next((i for i, r in enumerate(rows, 1) if r["aor"] == office["code"]), None)
        if place:
            paragraphs.append(f"{office['name']} ranks {place} of {len(rows)} field offices by "
                              f"arrests in FY{g.fy} (ICE's ERO statistics).")
    fig = g.chart(panel, lambda p, width, height: charts.bars(
        p.result, "aor", p.title, width=width, top=None), half=False)
    return Section("ranking", "Ranking among field offices", paragraphs=paragraphs, figures=[fig])
