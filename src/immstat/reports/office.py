"""The field-office sections of a brief: the office's card and its ranking among offices.

The card mirrors the dashboard's ``/aor/{code}`` page (same specs, same per-office target): arrests
per day against the target, the monthly trend, criminality and method mix, and the detention
facilities in the office's area with their average daily population.
"""

from __future__ import annotations

from immstat.analysis.targets import office_target
from immstat.core.formats import fmt_value
from immstat.present import charts
from immstat.reports.content import facility_table
from immstat.reports.gather import Gatherer
from immstat.reports.model import Section

OFFICE_HEADLINES = [
    ("ICE arrests", "arrests"),
    ("ICE arrests per day", "arrests_per_day"),
    ("Removals", "removals"),
    ("People detained in the office's facilities, average per day", "adp"),
    ("Share of arrests of people with no criminal conviction or pending charge",
     "criminality_share"),
]


def card(g: Gatherer, office: dict) -> Section:
    code, where = office["code"], {"aor": [office["code"]]}
    target = office_target()
    heads = [g.headline(label, metric, where=where) for label, metric in OFFICE_HEADLINES]
    paragraphs = [f"The {office['name']} field office (area of responsibility {code}) has its "
                  f"office in {office.get('office_city') or office['name']}, "
                  f"{office.get('office_state') or ''}.".replace(", .", ".")]
    rate = next((h for h in heads if h.metric == "arrests_per_day"), None)
    if target and rate and rate.value is not None:
        paragraphs.append(
            f"In FY{g.fy} the office made {fmt_value(rate.value, rate.unit)} arrests a day: "
            f"{rate.value / target.number:.0%} of the reported goal of {target.number:g} arrests a "
            f"day per field office ({target.title}; {target.stated_by}).")
    w = g.trend_window()
    trend = g.panel("office-trend", "Arrests per day, by month", "arrests_per_day", where=where,
                    grain="month", **w)

    def trend_spec(p, **size):
        spec = charts.line(p.result, p.title, **size)
        return charts.with_reference_line(spec, target.number, f"target {target.number:g}/day") \
            if target else spec

    # by fiscal year: one office's monthly mix is mostly suppressed small cells
    mix = g.panel("office-criminality", "Criminality mix of arrests, by fiscal year", "arrests",
                  where=where, by=["criminality"], grain="fy", **w)
    method = g.panel("office-method", f"Arrests by method, FY{g.fy}", "arrests", where=where,
                     by=["method"], fy=g.fy)
    facilities = g.panel("office-facilities", f"Detention facilities in the area, FY{g.fy}",
                         "facility_population", where=where, by=["facility"], fy=g.fy)
    figures = [g.chart(trend, trend_spec),
               g.chart(mix, lambda p, **size: charts.stacked_share(p.result, "criminality", p.title,
                                                                   **size)),
               g.chart(method, lambda p, width, height: charts.bars(p.result, "method", p.title,
                                                                    width=width)),
               facility_table(g, facilities)]
    return Section("office", f"{office['name']} field office ({code})", paragraphs=paragraphs,
                   headlines=heads, figures=figures)


def ranking(g: Gatherer, office: dict) -> Section:
    panel = g.panel("ranking", f"ICE arrests per day by field office, FY{g.fy}", "arrests_per_day",
                    by=["aor"], fy=g.fy)
    paragraphs = []
    if panel.result is not None:
        rows = [r for r in panel.result.table.to_pylist() if r["aor"] and r["value"] is not None]
        rows.sort(key=lambda r: (-r["value"], r["aor"]))
        place = next((i for i, r in enumerate(rows, 1) if r["aor"] == office["code"]), None)
        if place:
            paragraphs.append(f"{office['name']} ranks {place} of {len(rows)} field offices by "
                              f"arrests per day in FY{g.fy}.")
    fig = g.chart(panel, lambda p, width, height: charts.bars(
        p.result, "aor", p.title, width=width, top=None), half=False)
    return Section("ranking", "Ranking among field offices", paragraphs=paragraphs, figures=[fig])
