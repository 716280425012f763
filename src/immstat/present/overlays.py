"""Layers added to finished chart specs: marked periods on a line chart, counties over a map.

- :func:`mark_periods` puts a symbol on chosen points of a line chart: a diamond on a figure ICE
  *revised* in its latest release, a hollow circle and "to date (through D)" on a period the data
  cover only in part (the newest month of a release);
- :func:`county_layer` draws a set of counties in categorical colours over a choropleth (the
  287(g) layer over the field-office map), from the counties TopoJSON served at ``url``;
  :func:`only_state` keeps one state's counties (a state view).

Both work on the plain dicts of :mod:`immstat.present.charts` (they never re-run Altair).
"""

from __future__ import annotations

from dataclasses import dataclass

from immstat.present.charts import OKABE_ITO, TOP_LEVEL

REVISED_COLOUR = "#D55E00"
PARTIAL_COLOUR = "#b35806"


@dataclass(frozen=True)
class Mark:
    """One marked point: the period (ISO date), its value, what kind of mark and the tooltip."""

    period: str
    value: float
    kind: str  # "revised" or "partial"
    tip: str
    label: str = ""
    series: str | None = None


def _split(spec: dict) -> tuple[dict, dict]:
    top = {k: spec[k] for k in TOP_LEVEL if k in spec}
    return top, {k: v for k, v in spec.items() if k not in top}


def _first_encoding(view: dict) -> dict:
    for layer in view.get("layer", [view]):
        if "encoding" in layer and "x" in layer["encoding"]:
            return layer["encoding"]
    return {}


def mark_periods(spec: dict, marks: list[Mark]) -> dict:
    """``spec`` (a line chart, possibly layered) with ``marks`` drawn on it."""
    if not marks:
        return spec
    top, inner = _split(spec)
    enc = _first_encoding(inner)
    if "x" not in enc or "field" not in enc["x"]:
        return spec
    field = enc["x"]["field"]
    x = {k: v for k, v in enc["x"].items() if k in ("field", "type", "timeUnit")}
    y = {"field": "value", "type": "quantitative"}
    values = [{field: m.period, "value": m.value, "kind": m.kind, "tip": m.tip, "label": m.label}
              for m in marks]
    tooltip = [{"field": "tip", "type": "nominal", "title": "note"}]
    layers = [
        {"transform": [{"filter": "datum.kind === 'revised'"}],
         "mark": {"type": "point", "shape": "diamond", "size": 110, "filled": True,
                  "color": REVISED_COLOUR, "stroke": "white", "strokeWidth": 1},
         "encoding": {"x": x, "y": y, "tooltip": tooltip}},
        {"transform": [{"filter": "datum.kind === 'partial'"}],
         "mark": {"type": "point", "size": 90, "filled": True, "fill": "white",
                  "stroke": PARTIAL_COLOUR, "strokeWidth": 2},
         "encoding": {"x": x, "y": y, "tooltip": tooltip}},
        {"transform": [{"filter": "datum.kind === 'partial' && datum.label"}],
         "mark": {"type": "rule", "strokeDash": [3, 3], "color": PARTIAL_COLOUR},
         "encoding": {"x": x}},
        {"transform": [{"filter": "datum.kind === 'partial' && datum.label"}],
         "mark": {"type": "text", "align": "right", "baseline": "bottom", "dx": -4, "dy": -4,
                  "fontSize": 10, "color": PARTIAL_COLOUR},
         "encoding": {"x": x, "y": {"value": "height"}, "text": {"field": "label", "type": "nominal"}}},
    ]
    marked = {"data": {"values": values}, "layer": layers}
    return {**top, "layer": [inner, marked]}


def county_layer(spec: dict, rows: list[dict], url: str, categories: list[str], title: str,
                 tooltip_title: str = "County") -> dict:
    """``spec`` (a map) with the counties in ``rows`` ({"id": FIPS, "name", "category",
    "detail"}) filled in a colour per category, drawn from the counties TopoJSON at ``url``."""
    top, inner = _split(spec)
    layers = inner.get("layer", [inner])
    projection = next((layer["projection"] for layer in layers if "projection" in layer),
                      {"type": "albersUsa"})
    colours = [OKABE_ITO[i] for i in (3, 0, 2, 4, 1, 5)][:len(categories)]
    layer = {
        "data": {"url": url, "format": {"type": "topojson", "feature": "counties"}},
        "transform": [{"lookup": "id", "from": {"data": {"name": "immstat_counties"}, "key": "id",
                                                "fields": ["name", "category", "detail"]}},
                      {"filter": "datum.category != null"}],
        "projection": projection,
        "mark": {"type": "geoshape", "stroke": "#222222", "strokeWidth": 0.35},
        "encoding": {
            "color": {"field": "category", "type": "nominal", "title": title,
                      "scale": {"domain": categories, "range": colours},
                      "legend": {"orient": "bottom-left", "symbolType": "square"}},
            "tooltip": [{"field": "name", "type": "nominal", "title": tooltip_title},
                        {"field": "category", "type": "nominal", "title": title},
                        {"field": "detail", "type": "nominal", "title": "agencies"}]},
    }
    out = {**top, **{k: v for k, v in inner.items() if k != "layer"}, "layer": [*layers, layer]}
    out.setdefault("resolve", {}).setdefault("scale", {})["color"] = "independent"
    out.setdefault("datasets", {})["immstat_counties"] = rows
    return out


def only_state(spec: dict, fips: str) -> dict:
    """A county map showing only the counties of one state (two-digit ``fips``): the map then
    fits that state."""
    test = {"filter": f"substring(datum.id, 0, 2) === '{fips}'"}
    layers = [{**layer, "transform": [test, *layer.get("transform", [])]} if "projection" in layer
              else layer for layer in spec.get("layer", [])]
    return {**spec, "layer": layers}
