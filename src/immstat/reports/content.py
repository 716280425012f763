"""The national sections of a brief: headlines, trends, map, criminality, detention, encounters, pace.

Each function takes a :class:`~.gather.Gatherer` and returns a :class:`~.model.Section`; every
number comes from ``Warehouse.query`` (through the gatherer) or from ``immstat.analysis.targets.pace``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from immstat.analysis.targets import load_targets, pace
from immstat.core import reference
from immstat.core.calendar import fy_bounds
from immstat.core.formats import day_label, fmt_value
from immstat.present import charts
from immstat.present.filters import fiscal_years
from immstat.present.panels import Panel
from immstat.present.target_charts import pace_spec
from immstat.reports.gather import HALF, Gatherer
from immstat.reports.model import Figure, Section
from immstat.reports.printspec import for_print
from immstat.reports.svg import to_svg

HEADLINES = [  # (label, metric); missing metrics show "no data yet"
    ("ICE arrests", "arrests"),
    ("ICE arrests per day", "arrests_per_day"),
    ("Removals", "removals"),
    ("People in ICE detention, average per day (ICE detention statistics)", "detention_stats_adp"),
    ("Average length of stay in detention, days (ICE detention statistics)", "detention_stats_alos"),
    ("Share of arrests of people with no criminal conviction or pending charge",
     "criminality_share"),
    ("CBP encounters", "cbp_encounters"),
]
LARGEST_FACILITIES = 10


def headlines(g: Gatherer) -> Section:
    items = [g.headline(label, metric) for label, metric in HEADLINES]
    for head in items:
        if head.metric == "cbp_encounters" and head.value is None and not head.message:
            head.message = f"no data for FY{g.fy}"
    return Section("headlines", f"FY{g.fy} at a glance", headlines=items, paragraphs=[
        f"Fiscal year {g.fy} runs from {day_label(fy_bounds(g.fy)[0])} to {day_label(fy_bounds(g.fy)[1])}. "
        "Change is against the whole of the previous fiscal year; totals for a part-year are "
        "marked and not compared."])


def trends(g: Gatherer) -> Section:
    w = g.trend_window()
    figures = [g.chart(g.panel("arrests-month", "ICE arrests per month", "arrests", grain="month",
                               **w), lambda p, **size: charts.line(p.result, p.title, **size)),
               g.chart(g.panel("removals-month", "Removals per month", "removals", grain="month",
                               **w), lambda p, **size: charts.line(p.result, p.title, **size))]
    return Section("trends", "Trends", figures=figures, paragraphs=[
        f"Monthly figures for FY{g.fy - 1} and FY{g.fy}."])


def arrest_map(g: Gatherer) -> Section:
    panel = g.panel("map-aor", f"ICE arrests per day by field office, FY{g.fy}", "arrests_per_day",
                    by=["aor"], fy=g.fy)
    fig = g.chart(panel, lambda p, **_: charts.choropleth(p.result, "aor", title=p.title, width=560,
                                                          height=330), half=False,
                  caption="Counties are coloured by the ICE field office (area of responsibility) "
                          "they belong to; grey areas are suppressed or have no data.")
    return Section("map", "Where arrests happen", figures=[fig])


def criminality(g: Gatherer) -> Section:
    w = g.trend_window()
    mix = g.panel("aperture", "Who ICE arrests: criminality mix (the 'aperture')", "arrests",
                  by=["criminality"], grain="month", **w)
    share = g.panel("aperture-share", "Share of arrests with no conviction or pending charge",
                    "criminality_share", grain="month", **w)
    return Section("criminality", "Criminality mix", figures=[
        g.chart(mix, lambda p, **size: charts.stacked_share(p.result, "criminality", p.title,
                                                             **size), half=False),
        g.chart(share, lambda p, **size: charts.line(p.result, p.title, **size))], paragraphs=[
        "ICE classifies each arrested person as convicted (a criminal conviction), pending "
        "(criminal charges pending) or other immigration violator (neither). A growing 'other' "
        "share means enforcement reaching beyond people with criminal records."])


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
    cbp = g.panel("cbp-month", "CBP encounters per month", "cbp_encounters", grain="month", **w)
    ice = g.panel("ice-encounters-month", "ICE encounters per month", "encounters_ice",
                  grain="month", **w)
    paragraphs = []
    if not cbp.ok:
        yearly = g.panel("cbp-years", "", "cbp_encounters", grain="fy")
        years = sorted(fiscal_years(yearly))
        if years:
            paragraphs.append(f"CBP's published encounter series in this warehouse covers "
                              f"FY{years[0]}–FY{years[-1]}; it has no data for FY{g.fy - 1}–FY{g.fy}.")
    shown = [cbp, ice] if cbp.ok else [ice]
    figures = [g.chart(p, lambda p, **size: charts.line(p.result, p.title, **size)) for p in shown]
    return Section("encounters", "Encounters", figures=figures, paragraphs=paragraphs)


def targets(g: Gatherer, pace_as_of) -> Section:
    """National stated targets vs pace (the per-office target is in field-office briefs)."""
    national_targets = [t for t in load_targets() if t.scope == "national"]
    items = [p.to_dict() for p in pace(g.wh, national_targets, as_of=pace_as_of)]
    rows, sources, figures = [], [], []
    for item in items:
        rows += _pace_rows(item)
        sources += item["sources"] + ((item["published"] or {}).get("sources") or [])
        spec = pace_spec(item, "month") if item["status"] == "ok" else None
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
    if item["status"] != "ok":
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
    return [headlines(g), trends(g), arrest_map(g), criminality(g), detention(g), encounters(g),
            targets(g, pace_as_of)]
