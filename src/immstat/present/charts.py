"""Vega-Lite chart specs built from Results (with Altair): one spec for the dashboard and reports.

Every function takes a :class:`~immstat.metrics.Result` and returns a plain dict (``chart.to_dict()``)
that vega-embed shows in the browser and vl-convert renders to SVG/PNG. Conventions:

- Okabe–Ito colour-blind-safe palette for up to 8 categories, 16 distinct colours beyond that
  (e.g. the 13 facility types); the blank category reads :data:`BLANK_LABEL`, never "null";
- every time axis label carries its year ("Oct 2024"); shares are drawn and told as percentages;
- viridis for maps, in quantile classes when there are enough areas (skewed values would paint all
  but a few areas alike on a linear scale), each class a legend entry ("1,271 – 1,751");
- a "SYNTHETIC DATA" subtitle whenever the result was built from synthetic sources;
- suppressed cells are never drawn as numbers: lines break (gap), bars are replaced by a grey
  "suppressed (<11)" label, map areas are filled grey with a "suppressed (<11)" legend entry;
- a reference value (e.g. a stated target) is a dashed horizontal rule with a label.
"""

from __future__ import annotations

import bisect
import json
import statistics
from functools import lru_cache
from pathlib import Path
from typing import Final

import altair as alt

from immstat.core import reference
from immstat.core.formats import BLANK_LABEL, SYNTHETIC_NOTE, fmt_value
from immstat.metrics.dimensions import DIMENSIONS
from immstat.metrics.result import Result

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
# Okabe–Ito then Paul Tol's muted scheme: 16 colours a reader can tell apart
DISTINCT = [*OKABE_ITO, "#882255", "#44AA99", "#999933", "#AA4499", "#332288", "#DDCC77", "#117733",
            "#888888"]
SHARE_UNIT = "share"
QUANTILE_CLASSES = 7
REFERENCE_COLOUR = OKABE_ITO[3]
SUPPRESSED_COLOUR = "#9e9e9e"
NO_DATA_COLOUR = "#f2f2f2"
MAP_SCHEME: Final = "viridis"
WIDTH, HEIGHT = 640, 300
PERIODS = ("date", "week", "month", "fiscal_year")
TOPO_FILES = {"state": "states-10m.json", "aor": "counties-10m.json", "county": "counties-10m.json"}
TOPO_FEATURE = {"state": "states", "aor": "counties", "county": "counties"}
TOP_LEVEL = ("$schema", "config", "title", "width", "height", "datasets", "autosize", "padding")


# ------------------------------------------------------------------ shared helpers
def records(result: Result, blank: tuple[str, ...] = ()) -> list[dict]:
    """Result rows as dicts (dates as ISO strings, suppressed values as null); the columns in
    ``blank`` read :data:`BLANK_LABEL` where the category is empty."""
    rows = [dict(zip(result.columns, row)) for row in result.rows()]
    for row in rows:
        for col in blank:
            if row.get(col) in (None, ""):
                row[col] = BLANK_LABEL
    return rows


def suppressed_label(result: Result) -> str:
    return f"suppressed (<{result.min_cell})"


def title_params(result: Result, title: str, extra: list[str] | None = None) -> alt.TitleParams:
    """Title with the SYNTHETIC mark and a suppression note as subtitles."""
    subtitle = []
    if result.synthetic:
        subtitle.append(SYNTHETIC_NOTE)
    if result.suppressed:
        subtitle.append(f"{result.suppressed} cell(s) {suppressed_label(result)} not shown")
    subtitle += extra or []
    return alt.TitleParams(text=title, subtitle=subtitle, anchor="start",
                           subtitleColor="#b00020" if result.synthetic else "#555555")


def period_column(result: Result) -> str:
    for col in result.columns:
        if col in PERIODS:
            return col
    raise ValueError(f"{result.metric.name} has no time grain; query it with grain=… for a trend.")


def _x_period(col: str) -> alt.X:
    if col == "fiscal_year":
        return alt.X(f"{col}:O", title="Fiscal year")
    return alt.X(f"{col}:T", title={"date": "Day", "week": "Week", "month": "Month"}[col])


def _y_value(result: Result, title: str | None = None, **kwargs) -> alt.Y:
    """The value axis; shares on a percentage axis."""
    axis = alt.Axis(format="%") if result.metric.unit == SHARE_UNIT else alt.Undefined
    return alt.Y("value:Q", title=title or _unit_title(result), axis=axis, **kwargs)


def _unit_title(result: Result) -> str:
    return "per cent" if result.metric.unit == SHARE_UNIT else result.metric.unit


def _label(dim: str) -> str:
    return DIMENSIONS[dim].label if dim in DIMENSIONS else dim.replace("_", " ").capitalize()


def _tooltip(result: Result, *cols: str) -> list[alt.Tooltip]:
    kinds = {"date": "T", "week": "T", "month": "T", "fiscal_year": "O"}
    formats = {"date": "%-d %b %Y", "week": "week of %-d %b %Y", "month": "%b %Y"}
    tips = [alt.Tooltip(f"{c}:{kinds.get(c, 'N')}", title=_label(c), format=formats.get(c, alt.Undefined))
            for c in cols if c in result.columns]
    share = result.metric.unit == SHARE_UNIT
    return tips + [alt.Tooltip("value:Q", title=_unit_title(result),
                               format=".1%" if share else ",.4~f"),
                   alt.Tooltip("suppressed:N", title="suppressed")]


def _colour(field: str, title: str, values: list | None = None) -> alt.Color:
    """Categorical colours: Okabe–Ito for up to 8 values, :data:`DISTINCT` beyond (``values``, in
    legend order, fixes the domain so each category keeps its colour)."""
    many = values is not None and len(values) > len(OKABE_ITO)
    scale = alt.Scale(domain=values, range=DISTINCT[:len(values)]) if many and values else \
        alt.Scale(domain=values, range=OKABE_ITO) if values else alt.Scale(range=OKABE_ITO)
    return alt.Color(field, title=title, scale=scale)


def _by_size(rows: list[dict], category: str) -> list:
    """Categories in the dimension's own order where it has one (convicted, pending, other),
    else largest first; the blank category last."""
    totals: dict = {}
    for r in rows:
        totals[r[category]] = totals.get(r[category], 0) + (r["value"] or 0)
    dim = DIMENSIONS.get(category)
    domain = (dim.valid_values() or []) if dim is not None and dim.geo_level is None else []
    return sorted(totals, key=lambda c: (c == BLANK_LABEL, domain.index(c) if c in domain
                                         else len(domain), -totals[c]))


def finish(chart: alt.TopLevelMixin) -> dict:
    """The finished spec: no frame, readable labels, a year on every time-axis label."""
    return (chart.configure_view(stroke=None).configure_axis(labelFontSize=11)
            .configure_axisTemporal(format="%b %Y", labelAngle=0, labelOverlap="greedy",
                                    labelSeparation=6, labelFlush=True).to_dict())


# ------------------------------------------------------------------ charts
def line(result: Result, title: str, y_title: str | None = None, width: int = WIDTH,
         height: int = HEIGHT) -> dict:
    """Trend over the result's period column; one line per value of the first ``by`` dimension."""
    col = period_column(result)
    series = next((c for c in result.by if c != col), None)
    rows = records(result, tuple(result.by))
    enc = {"x": _x_period(col), "y": _y_value(result, y_title),
           "tooltip": _tooltip(result, col, *result.by)}
    if series:
        enc["color"] = _colour(f"{series}:N", _label(series), _by_size(rows, series))
    base = alt.Chart(alt.Data(values=rows))
    lines = base.mark_line(point=True, invalid="break-paths-show-domains").encode(**enc)
    return finish(lines.properties(title=title_params(result, title), width=width, height=height))


def bars(result: Result, category: str, title: str, width: int = WIDTH, top: int | None = 25) -> dict:
    """Horizontal bars of value by ``category`` (largest first); suppressed rows get a grey label."""
    rows = [r for r in records(result) if r.get(category) is not None]
    rows.sort(key=lambda r: -1 if r["value"] is None else r["value"], reverse=True)
    rows = rows[:top] if top else rows
    for r in rows:
        r["label"] = suppressed_label(result) if r["suppressed"] else None
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y(f"{category}:N", title=_label(category), sort=None))
    drawn = base.mark_bar(color=OKABE_ITO[0]).encode(
        x=alt.X("value:Q", title=_unit_title(result), axis=alt.Axis(
            format="%" if result.metric.unit == SHARE_UNIT else "~s", tickCount=6)),
        tooltip=_tooltip(result, category))
    marks = base.transform_filter("datum.suppressed").mark_text(
        align="left", dx=3, color=SUPPRESSED_COLOUR, fontStyle="italic").encode(
        x=alt.datum(0), text="label:N")
    height = max(60, 18 * len(rows))
    chart = alt.layer(drawn, marks).properties(title=title_params(result, title), width=width,
                                               height=height)
    return finish(chart)


def stacked_share(result: Result, category: str, title: str, width: int = WIDTH,
                  height: int = HEIGHT) -> dict:
    """Share of each ``category`` per period (stacked to 100 %). A period with a suppressed cell
    is left out whole: rescaling the cells that remain would overstate their shares."""
    col = period_column(result)
    rows = records(result)
    hidden = {r[col] for r in rows if r["suppressed"]}
    rows = [{**r, category: r[category] or BLANK_LABEL} for r in rows
            if r[col] not in hidden and r["value"] is not None]
    extra = [f"{len(hidden)} period(s) with suppressed cells omitted"] if hidden else []
    order = _by_size(rows, category)
    for r in rows:
        r["_rank"] = order.index(r[category])
    chart = alt.Chart(alt.Data(values=rows)).transform_joinaggregate(
        _total="sum(value)", groupby=[col]).transform_calculate(
        share="datum.value / datum._total").mark_bar().encode(
        x=_x_period(col),
        y=alt.Y("value:Q", stack="normalize", title="Share", axis=alt.Axis(format="%")),
        color=_colour(f"{category}:N", _label(category), order),
        order=alt.Order("_rank:Q", sort="ascending"),
        tooltip=[*_tooltip(result, col, category), alt.Tooltip("share:Q", title="share",
                                                                format=".1%")])
    return finish(chart.properties(title=title_params(result, title, extra), width=width,
                                    height=height))


def stacked_area(result: Result, category: str, title: str, width: int = WIDTH,
                 height: int = HEIGHT) -> dict:
    """Values of each ``category`` stacked per period (parts of a total, e.g. detained people by
    facility type); largest category at the bottom, each with its own colour."""
    col = period_column(result)
    rows = [r for r in records(result, (category,)) if r["value"] is not None]
    order = _by_size(rows, category)
    rank = {c: i for i, c in enumerate(order)}
    for r in rows:
        r["_rank"] = rank[r[category]]
    chart = alt.Chart(alt.Data(values=rows)).mark_area(opacity=0.9).encode(
        x=_x_period(col), y=_y_value(result, stack="zero"),
        color=_colour(f"{category}:N", _label(category), order),
        order=alt.Order("_rank:Q", sort="ascending"),
        tooltip=_tooltip(result, col, category))
    return finish(chart.properties(title=title_params(result, title), width=width, height=height))


def with_reference_line(spec: dict, value: float, label: str) -> dict:
    """``spec`` (one view or a layer) with a dashed horizontal rule at ``value`` and a label."""
    top = {k: spec[k] for k in TOP_LEVEL if k in spec}
    inner = {k: v for k, v in spec.items() if k not in top}
    data = {"values": [{"reference": value, "label": label}]}
    y = {"field": "reference", "type": "quantitative", "title": _y_title(inner)}
    rule = {"data": data, "mark": {"type": "rule", "color": REFERENCE_COLOUR, "strokeDash": [6, 4],
                                   "size": 2},
            "encoding": {"y": y}}
    text = {"data": data, "mark": {"type": "text", "align": "left", "baseline": "bottom", "dx": 4,
                                   "dy": -3, "x": 0, "color": REFERENCE_COLOUR, "fontWeight": "bold"},
            "encoding": {"y": y, "text": {"field": "label", "type": "nominal"}}}
    return {**top, "layer": [inner, rule, text]}


def _y_title(view: dict):
    for layer in view.get("layer", [view]):
        title = layer.get("encoding", {}).get("y", {}).get("title")
        if title:
            return title
    return None


def facility_trend(result: Result, title: str, width: int = WIDTH, height: int = HEIGHT) -> dict:
    """Daily (or coarser) population of one or more facilities: an area for one, lines for many."""
    if "facility" in result.by and len({r["facility"] for r in records(result)}) > 1:
        return line(result, title, "people detained", width, height)
    col = period_column(result)
    chart = alt.Chart(alt.Data(values=records(result))).mark_area(
        color=OKABE_ITO[0], opacity=0.7, line=True, invalid="break-paths-show-domains").encode(
        x=_x_period(col), y=alt.Y("value:Q", title="people detained"),
        tooltip=_tooltip(result, col))
    return finish(chart.properties(title=title_params(result, title), width=width, height=height))


# ------------------------------------------------------------------ maps
@lru_cache(maxsize=4)
def bundled_topojson(level: str) -> dict:
    """The bundled us-atlas TopoJSON for a map level (ids are FIPS codes)."""
    path = Path(reference.data_path("geo", TOPO_FILES[level]))
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _county_aor() -> dict[str, str]:
    return {r["county_fips"]: r["aor"] for r in reference.read_csv_rows("reference", "county_aor.csv")}


@lru_cache(maxsize=1)
def _county_names() -> dict[str, str]:
    return {r["fips"]: f"{r['name']}, {r['state']}"
            for r in reference.read_csv_rows("reference", "counties.csv")}


def map_rows(result: Result, level: str) -> list[dict]:
    """One row per map shape id (FIPS): name, value, suppressed, status (for colour/legend)."""
    if level not in TOPO_FILES:
        raise ValueError(f"map level {level!r}: use state, aor or county.")
    if level not in result.by:
        raise ValueError(f"{result.metric.name}: query it by {level} to draw a {level} map.")
    if len(result.by) > 1 or any(c in result.columns for c in PERIODS):
        raise ValueError("a map needs one value per area: query by the map level only, no grain.")
    cells = {r[level]: r for r in records(result)}
    if level == "state":
        shapes = {s["fips"]: (s["code"], s["name"]) for s in reference.states()}
    elif level == "county":
        shapes = {f: (f, n) for f, n in _county_names().items()}
    else:
        aor_names = {a["code"]: a["name"] for a in reference.aors()}
        shapes = {f: (aor, f"{aor_names.get(aor, aor)} field office")
                  for f, aor in _county_aor().items()}
    out = []
    for fips, (key, name) in shapes.items():
        cell = cells.get(key)
        status = "no data" if cell is None else suppressed_label(result) if cell["suppressed"] \
            else "value" if cell["value"] is not None else "no data"
        out.append({"id": fips, "key": key, "name": name, "status": status,
                    "value": None if cell is None else cell["value"]})
    return out


# a grey base map (under a coloured layer) stays light enough for the colours on top to stand out
SCHEME_EXTENT = {"greys": [0.08, 0.55]}


def classify(rows: list[dict]) -> list[str]:
    """Put each area with a value in one of :data:`QUANTILE_CLASSES` classes holding about the
    same number of areas (sets ``row["class"]``, e.g. "1,271 – 1,751"); returns the class labels
    from low to high, or [] when there are too few distinct values to class (a linear scale then).
    One value per area code counts, however many shapes the area has (an AOR's counties)."""
    per_area = sorted({r["key"]: r["value"] for r in rows if r["status"] == "value"}.values())
    if len(set(per_area)) < 2 * QUANTILE_CLASSES:
        return []
    cuts = sorted(set(statistics.quantiles(per_area, n=QUANTILE_CLASSES, method="inclusive")))
    members: list[list[float]] = [[] for _ in range(len(cuts) + 1)]
    for v in per_area:
        members[bisect.bisect_left(cuts, v)].append(v)
    groups = [g for g in members if g]
    labels, bounds = _class_labels(groups), [g[-1] for g in groups]
    for r in rows:
        if r["status"] == "value":
            r["class"] = labels[bisect.bisect_left(bounds, r["value"])]
    return labels


def _class_labels(groups: list[list[float]]) -> list[str]:
    """'low – high' per class, as counts are written ("1,271 – 1,751"), with more significant
    digits where small values would otherwise read alike."""
    def text(v: float, digits: int) -> str:
        return fmt_value(v) if abs(v) >= 100 or v == int(v) else f"{v:,.{digits}g}"

    for digits in range(3, 16):
        labels = [f"{text(g[0], digits)} – {text(g[-1], digits)}" for g in groups]
        if len(set(labels)) == len(labels):
            return labels
    return [f"{g[0]!r} – {g[-1]!r}" for g in groups]


def _colours(scheme: str, count: int | None = None) -> dict:
    extent = {"extent": SCHEME_EXTENT[scheme]} if scheme in SCHEME_EXTENT else {}
    return {"name": scheme, **extent, **({"count": count} if count else {})}


def choropleth(result: Result, level: str, topojson: dict | str | None = None, title: str = "",
               width: int = 760, height: int = 460, scheme: str = MAP_SCHEME,
               value_legend: bool = True) -> dict:
    """Map of a Result by state, AOR (counties coloured by their field office) or county.

    ``topojson`` is the us-atlas TopoJSON as a dict or a URL (the dashboard serves it); by default
    the bundled file is inlined. Colours follow :func:`colour_scale`.
    """
    rows = map_rows(result, level)
    classes = classify(rows)
    topo = bundled_topojson(level) if topojson is None else topojson
    fmt = alt.DataFormat(type="topojson", feature=TOPO_FEATURE[level])
    # large inline data goes in as named datasets after to_dict(): Altair would walk it node by node
    shapes = alt.Data(url=topo, format=fmt) if isinstance(topo, str) else alt.NamedData(
        name="immstat_shapes", format=fmt)
    lookup = alt.LookupData(alt.NamedData(name="immstat_areas"), key="id",
                            fields=["key", "name", "status", "value", "class"])
    base = alt.Chart(shapes).transform_lookup(lookup="id", from_=lookup).transform_calculate(
        status="datum.status || 'no data'").project(type="albersUsa")
    tooltip = [alt.Tooltip("name:N", title=_label(level)), alt.Tooltip("key:N", title="code"),
               alt.Tooltip("value:Q", title=result.metric.unit, format=",.4~f"),
               alt.Tooltip("status:N", title="status")]
    label = suppressed_label(result)
    statuses = [(label, SUPPRESSED_COLOUR)] if result.metric.record_derived else []
    statuses.append(("no data", NO_DATA_COLOUR))
    background = base.mark_geoshape(stroke="white", strokeWidth=0.3).encode(
        color=alt.Color("status:N", title=None,
                        scale=alt.Scale(domain=[s for s, _ in statuses],
                                        range=[c for _, c in statuses]),
                        legend=alt.Legend(orient="bottom-right", symbolType="square")),
        tooltip=tooltip).transform_filter("datum.status != 'value'")
    legend = alt.Legend(symbolType="square") if classes else alt.Legend(format=",.4~r")
    colour = alt.Color("class:O" if classes else "value:Q", title=result.metric.unit,
                       legend=legend if value_legend else None,
                       scale=alt.Scale(domain=classes, scheme=_colours(scheme, len(classes)))
                       if classes else alt.Scale(scheme=_colours(scheme)))
    values = base.mark_geoshape(stroke="white", strokeWidth=0.3).encode(
        color=colour, tooltip=tooltip).transform_filter("datum.status == 'value'")
    note = [f"colours: {len(classes)} classes, each holding about the same number of areas"] \
        if classes else []
    chart = alt.layer(background, values).resolve_scale(color="independent").properties(
        title=title_params(result, title or f"{result.metric.title} by {_label(level)}", note),
        width=width, height=height)
    spec = finish(chart)
    spec.setdefault("datasets", {})["immstat_areas"] = rows
    if not isinstance(topo, str):
        spec["datasets"]["immstat_shapes"] = topo
    return spec
