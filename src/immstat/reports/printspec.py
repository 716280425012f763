"""The dashboard's Vega-Lite specs, adjusted for print: a font both vl-convert and the PDF engine
have, a year on every time-axis label ("Oct 2024", never "October … April"), shares on a
percentage axis, and the newest period marked when it is only partly covered ("to 4 Apr 2026").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from immstat.core.formats import SHARE_UNIT

# a font installed for both vl-convert (which measures text) and WeasyPrint (which draws it)
PRINT_CONFIG = {"font": "Liberation Sans", "title": {"fontSize": 12, "subtitleFontSize": 9.5},
                # every temporal axis label carries its year (month over year, two lines)
                "axisTemporal": {"labelExpr": "[timeFormat(datum.value, '%b'), "
                                              "timeFormat(datum.value, '%Y')]",
                                 "labelAngle": 0, "labelOverlap": "greedy",
                                 "tickCount": {"interval": "month", "step": 3}}}
TOP_LEVEL = ("$schema", "config", "title", "width", "height", "datasets", "autosize", "padding")
PARTIAL_COLOUR = "#b35806"


def for_print(spec: dict, unit: str | None = None) -> dict:
    """``spec`` with the print configuration (and a percentage axis when ``unit`` is a share)."""
    config = spec.setdefault("config", {})
    for key, value in PRINT_CONFIG.items():
        config[key] = {**config.get(key, {}), **value} if isinstance(value, dict) else value
    months = _months_drawn(spec)
    if months:  # about 8 labels across the chart whatever its span: every 3, 6 or 12 months
        per_label = months * 60 / max(float(spec.get("width") or 300), 1)
        step = next((n for n in (3, 6, 12, 24) if n >= per_label), 24)
        config["axisTemporal"]["tickCount"] = {"interval": "month", "step": step}
    for enc in _encodings(spec):  # fiscal years read "FY2025", level
        x = enc.get("x")
        if isinstance(x, dict) and x.get("field") == "fiscal_year":
            x["axis"] = {**(x.get("axis") or {}), "labelAngle": 0, "labelExpr": "'FY' + datum.label"}
    if unit == SHARE_UNIT:
        for enc in _encodings(spec):
            y = enc.get("y")
            if isinstance(y, dict) and y.get("field") == "value" and y.get("stack") != "normalize":
                y["axis"] = {**(y.get("axis") or {}), "format": "%"}
    return spec


def _months_drawn(spec: dict) -> int:
    """Months spanned by the chart's temporal x values (0 when it has none)."""
    fields = {enc["x"]["field"] for enc in _encodings(spec) if isinstance(enc.get("x"), dict)
              and enc["x"].get("type") == "temporal"}
    rows = [r for values in (spec.get("datasets") or {}).values() for r in values]
    rows += (spec.get("data") or {}).get("values") or []
    days = sorted(str(r[f])[:7] for r in rows if isinstance(r, dict) for f in fields if r.get(f))
    if not days:
        return 0
    (y0, m0), (y1, m1) = (map(int, days[0].split("-")), map(int, days[-1].split("-")))
    return (y1 - y0) * 12 + m1 - m0 + 1


def _encodings(spec: dict) -> Iterator[dict]:
    if isinstance(spec.get("encoding"), dict):
        yield spec["encoding"]
    for child in spec.get("layer", []):
        yield from _encodings(child)


def is_line(spec: dict) -> bool:
    """Whether the chart is a single-layer line chart (the ones a partial period is marked on)."""
    mark = spec.get("mark")
    return (mark.get("type") if isinstance(mark, dict) else mark) == "line"


def mark_partial(spec: dict, period: dt.date, value: float | None, label: str) -> dict:
    """Layer a hollow point and ``label`` on the newest period of a line chart (partly covered)."""
    if value is None or not is_line(spec):
        return spec
    top = {k: spec[k] for k in TOP_LEVEL if k in spec}
    chart = {k: v for k, v in spec.items() if k not in TOP_LEVEL}
    x = {**chart["encoding"]["x"]}
    y = {"field": "value", "type": "quantitative"}
    point = {"period": period.isoformat(), "value": value, "label": label}
    x["field"] = "period"
    # a dashed rule at the partial period, its label along the bottom (clear of the line)
    marks = {"data": {"values": [point]}, "encoding": {"x": x}, "layer": [
        {"mark": {"type": "rule", "strokeDash": [3, 3], "color": PARTIAL_COLOUR}},
        {"mark": {"type": "point", "size": 60, "filled": True, "fill": "white",
                  "stroke": PARTIAL_COLOUR, "strokeWidth": 2}, "encoding": {"y": y}},
        {"mark": {"type": "text", "align": "right", "baseline": "bottom", "dx": -4, "dy": -3,
                  "fontSize": 9, "color": PARTIAL_COLOUR},
         "encoding": {"text": {"field": "label"}, "y": {"value": "height"}}}]}
    return {**top, "layer": [chart, marks]}
