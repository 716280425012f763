"""The national sections of a brief: headlines, trends, map, criminality, detention, encounters, pace.

Each function takes a :class:`~.gather.Gatherer` and returns a :class:`~.model.Section`; every
number comes from ``Warehouse.query`` (through the gatherer) or from ``immstat.analysis.targets.pace``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from immstat.analysis.targets import MEASURED, load_targets, pace
from immstat.core import reference
from immstat.core.calendar import fy_bounds
from immstat.core.formats import day_label, fmt_value
from immstat.present import charts
from immstat.present.filters import fiscal_years, fy_window
from immstat.present.panels import Panel
from immstat.present.target_charts import pace_spec
from immstat.reports.gather import HALF, Gatherer
from immstat.reports.history import history
from immstat.reports.model import Figure, Section
from immstat.reports.periods import partial_end
from immstat.reports.printspec import for_print
from immstat.reports.svg import to_svg

HEADLINES = [  # (label, metric): ICE's and CBP's published figures lead; missing ones say so
    ("ICE arrests (ICE's ERO statistics)", "ero_stats_arrests"),
    ("ICE removals (ICE detention statistics)", "detention_stats_removals"),
    ("People in ICE detention, average per day (ICE detention statistics)", "detention_stats_adp"),
    ("Average length of stay in detention, days (ICE detention statistics)", "detention_stats_alos"),
    ("Initial book-ins into ICE detention (ICE detention statistics)", "detention_stats_book_ins"),
    ("Border Patrol encounters, nationwide (CBP)", "usbp_encounters_monthly"),
]
RECORD_HEADLINES = [  # counted by ImmStat from ICE's record-level FOIA releases
    ("ICE arrests (FOIA records)", "arrests"),
    ("ICE arrests per day (FOIA records)", "arrests_per_day"),
    ("ICE removals (FOIA records)", "removals"),
    ("Share of arrests of people with no criminal conviction or pending charge (FOIA records)",
     "criminality_share"),
]
LARGEST_FACILITIES = 10
TREND_YEARS = 5  # fiscal years of ICE's ERO statistics drawn in the trend and the mix


def headlines(g: Gatherer) -> Section:
    start, end = fy_bounds(g.fy)
    return Section("headlines", f"FY{g.fy} at a glance", headlines=[
        g.headline(label, metric) for label, metric in HEADLINES], paragraphs=[
        f"Fiscal year {g.fy} runs from {day_label(start)} to {day_label(end)}. Every figure here is "
        "published by ICE or CBP and shown as published. Change is against the previous fiscal "
        "year, like for like: a year a source covers only in part is marked \"to date\" and "
        "compared with the same days of the year before (the note says which), or not at all."])


def records(g: Gatherer) -> Section:
    """Figures ImmStat counts from ICE's record-level FOIA releases, for the years they cover."""
    heads = [g.headline(label, metric) for label, metric in RECORD_HEADLINES]
    section = Section("records", "Counted from ICE's record-level FOIA release")
    years = sorted(fiscal_years(g.panel("years-arrests", "", "arrests", grain="fy")))
    if any(h.value is not None for h in heads):
        section.headlines = heads
    elif years:
        section.paragraphs.append(
            f"ICE's record-level FOIA release in this warehouse covers FY{years[0]}–FY{years[-1]}, "
            f"not FY{g.fy}; its yearly counts are in the table by source below.")
    else:
        section.paragraphs.append("No record-level FOIA release is loaded.")
    return section


def trends(g: Gatherer) -> Section:
    wide = fy_window(g.fy, years=TREND_YEARS)
    figures = [g.chart(g.panel("ero-arrests-month", "ICE arrests per month (ICE's ERO statistics)",
                               "ero_stats_arrests", grain="month", **wide),
                       lambda p, **size: charts.line(p.result, p.title, **size), half=False,
                       caption="ICE leaves out every row under 10, so the monthly sums fall short "
                               "of ICE's totals."),
               g.chart(g.panel("book-ins-month", "Initial book-ins into ICE detention per month "
                               "(ICE detention statistics)", "detention_stats_book_ins",
                               grain="month", **g.trend_window()),
                       lambda p, **size: charts.line(p.result, p.title, **size))]
    for key, title, metric in (("arrests-month", "ICE arrests per month (FOIA records)", "arrests"),
                               ("removals-month", "ICE removals per month (FOIA records)",
                                "removals")):
        panel = g.panel(key, title, metric, grain="month", **g.trend_window())
        if panel.ok:
            figures.append(g.chart(panel, lambda p, **size: charts.line(p.result, p.title, **size)))
    return Section("trends", "Trends", figures=figures, paragraphs=[
        f"ICE's published monthly figures: arrests over FY{g.fy - TREND_YEARS + 1}–FY{g.fy} (the "
        f"ERO statistics end in December 2024), book-ins over FY{g.fy - 1}–FY{g.fy}."])


def map_year(g: Gatherer, metric: str, where: dict | None = None) -> int | None:
    """The newest fiscal year up to the brief's that ``metric`` covers in full (else in part)."""
    panel = g.panel(f"map-years-{metric}", "", metric, where=where, grain="fy")
    years = [y for y in fiscal_years(panel) if y <= g.fy]
    sources = panel.sources
    whole = [y for y in years if partial_end(sources, y) is None]
    chosen = whole or years
    return chosen[0] if chosen else None


def arrest_map(g: Gatherer) -> Section:
    year = map_year(g, "ero_stats_arrests")
    panel = g.panel("map-aor", f"ICE arrests by field office, FY{year} (ICE's ERO statistics)",
                    "ero_stats_arrests", by=["aor"], fy=year)
    fig = g.chart(panel, lambda p, **_: charts.choropleth(p.result, "aor", title=p.title, width=560,
                                                          height=330), half=False,
                  caption="Counties are coloured by the ICE field office (area of responsibility) "
                          "they belong to; grey areas have no data. The newest fiscal year the ERO "
                          "statistics cover in full.")
    return Section("map", "Where arrests happen", figures=[fig])


def criminality(g: Gatherer) -> Section:
    mix = g.panel("aperture", "Who ICE arrests: criminality mix by fiscal year (ICE's ERO "
                  "statistics)", "ero_stats_arrests", by=["criminality"], grain="fy",
                  **fy_window(g.fy, years=TREND_YEARS))
    ends = [(y, partial_end(mix.sources, y)) for y in fiscal_years(mix)]
    caption = " ".join(f"FY{y} covers only {day_label(fy_bounds(y)[0])} to {day_label(e)}."
                       for y, e in ends if e)
    figures = [g.chart(mix, lambda p, **size: charts.stacked_share(p.result, "criminality",
                                                                    p.title, **size), half=False,
                       caption=caption)]
    share = g.panel("aperture-share", "Share of arrests with no conviction or pending charge "
                    "(FOIA records)", "criminality_share", grain="month", **g.trend_window())
    if share.ok:
        figures.append(g.chart(share, lambda p, **size: charts.line(p.result, p.title, **size)))
    return Section("criminality", "Criminality mix", figures=figures, paragraphs=[
        "ICE classifies each arrested person as a convicted criminal, as having pending criminal "
        "charges, or as an other immigration violator (neither) — see Terms. A growing 'other' "
        "share means enforcement reaching beyond people with criminal records. A year ICE's "
        "statistics cover in part is drawn as published."])


def detention(g: Gatherer) -> Section:
    w = g.trend_window()
    adp = g.panel("detention-adp", "People in ICE detention, average per day (as ICE publishes it)",
                  "detention_stats_adp", grain="month", **w)
    alos = g.panel("detention-alos", "Average length of stay in ICE detention (days)",
                   "detention_stats_alos", grain="month", **w)
    figures = [g.chart(adp, lambda p, **size: charts.line(p.result, p.title, **size)),
               g.chart(alos, lambda p, **size: charts.line(p.result, p.title, **size))]
    largest = g.panel("largest", f"Largest detention facilities, FY{g.fy}", "facility_population",
                      by=["facility"], fy=g.fy)
    figures.append(facility_table(g, largest, LARGEST_FACILITIES))
    return Section("detention", "Detention population and length of stay", figures=figures)


def facility_table(g: Gatherer, panel: Panel, top: int | None = None) -> Figure:
    """Facilities by average daily population in the fiscal year (names from the reference list)."""
    rows: list[list] = []
    sources: Sequence[Mapping[str, Any]] = []
    synthetic = False
    if panel.result is not None:
        sources, synthetic = panel.result.sources, panel.result.synthetic
        ranked = sorted((r for r in panel.result.table.to_pylist() if r["value"] is not None),
                        key=lambda r: (-r["value"], r["facility"]))
        for r in ranked[:top] if top else ranked:
            facts = reference.facility(r["facility"]) or {}
            place = ", ".join(x for x in (facts.get("city"), facts.get("state")) if x)
            rows.append([facts.get("name") or r["facility"], place, facts.get("type") or "",
                         fmt_value(r["value"], "people")])
    return g.table(panel.key, panel.title, ["Facility", "Place", "Type",
                                            "Average daily population"], rows, sources, synthetic)


def encounters(g: Gatherer) -> Section:
    w = g.trend_window()
    shown = [g.panel("usbp-month", "Border Patrol encounters per month, nationwide (CBP)",
                     "usbp_encounters_monthly", grain="month", **w)]
    for key, title, metric in (("cbp-month", "CBP encounters per month (OFO and USBP)",
                                "cbp_encounters"),
                               ("ice-encounters-month", "ICE encounters per month (FOIA records)",
                                "encounters_ice")):
        panel = g.panel(key, title, metric, grain="month", **w)
        if panel.ok:
            shown.append(panel)
    figures = [g.chart(p, lambda p, **size: charts.line(p.result, p.title, **size)) for p in shown]
    return Section("encounters", "Encounters", figures=figures)


def targets(g: Gatherer, pace_as_of) -> Section:
    """National stated targets vs pace (the per-office target is in field-office briefs)."""
    national_targets = [t for t in load_targets() if t.scope == "national"]
    items = [p.to_dict() for p in pace(g.wh, national_targets, as_of=pace_as_of)]
    rows, sources, figures = [], [], []
    for item in items:
        rows += _pace_rows(item)
        sources += item["sources"] + ((item["published"] or {}).get("sources") or [])
        spec = pace_spec(item, "month") if item["status"] in MEASURED else None
        if spec:
            spec.update(HALF)
            fig = Figure(f"pace-{item['target']['id']}", item["target"]["title"], half=True,
                         caption=item["assumptions"][0], synthetic=bool(item["synthetic"]))
            fig.svg = to_svg(for_print(spec), fig.key)
            fig.cites = g.citations.cite(item["sources"])
            figures.append(fig)
    table = g.table("pace", f"Stated targets and actual pace (measured to {pace_as_of})",
                    ["Target", "Stated by", "Measured", "Actual per day", "Of target",
                     "Projected per day", "Data"], rows, sources,
                    any(item["synthetic"] for item in items), caption=_published_notes(items))
    return Section("targets", "Pace against stated targets", figures=[table, *figures])


def _published_notes(items: list[dict]) -> str:
    notes = [f"Published comparison for {item['target']['title']}: {item['published']['note']}"
             for item in items if (item["published"] or {}).get("rows") and item["published"]["note"]]
    return " ".join(dict.fromkeys(notes))


def _pace_rows(item: dict) -> list[list[str]]:
    t, obs, proj = item["target"], item["observed"], item["projection"] or {}
    if item["status"] not in MEASURED:
        return [[t["title"], t["stated_by"], item["status"], item["message"], "", "", ""]]
    rows = [[t["title"], t["stated_by"], f"{obs['start']} to {obs['end']}",
             fmt_value(obs["actual_per_day"], t["unit"]), f"{obs['share_of_target']:.0%}",
             fmt_value(proj.get("level_per_day"), t["unit"]) if proj.get("model") else "n/a",
             item["data"]]]
    for pub in (item["published"] or {}).get("rows") or []:
        rows.append([f"published comparison, FY{pub['fiscal_year']}", "ICE (real)",
                     f"{pub['days']} days", fmt_value(pub["per_day"], t["unit"]),
                     f"{pub['share_of_target']:.0%}", "", "real"])
    return rows


def national(g: Gatherer, pace_as_of) -> list[Section]:
    return [headlines(g), history(g), records(g), trends(g), arrest_map(g), criminality(g),
            detention(g), encounters(g), targets(g, pace_as_of)]
