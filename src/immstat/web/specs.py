"""Dashboard-only touches on the Vega-Lite specs from :mod:`immstat.present.charts`.

- Suppressed map areas are *hatched* in the browser: the grey of ``charts.SUPPRESSED_COLOUR`` in a
  colour scale becomes a reference to the SVG pattern ``#immstat-hatch`` defined in base.html
  (the SVG renderer passes fill strings through; reports keep the plain grey).
- Maps use us-atlas's pre-projected files (``*-albers-10m.json``, Albers USA already applied)
  with an identity projection: the same picture, drawn 3-10x faster in the browser.
"""

from __future__ import annotations

from typing import Any

from immstat.present import charts

HATCH = "url(#immstat-hatch)"
PREPROJECTED = {"states-10m.json": "states-albers-10m.json",
                "counties-10m.json": "counties-albers-10m.json"}


def hatch_suppressed(spec):
    """A copy of ``spec`` whose colour-scale ranges draw suppressed areas hatched."""
    if isinstance(spec, dict):
        out = {}
        for key, value in spec.items():
            if key == "range" and isinstance(value, list):
                out[key] = [HATCH if v == charts.SUPPRESSED_COLOUR else v for v in value]
            else:
                out[key] = hatch_suppressed(value)
        return out
    if isinstance(spec, list):
        return [hatch_suppressed(v) for v in spec]
    return spec


def for_browser_map(spec):
    """A map spec with hatched suppressed areas, drawn from the pre-projected TopoJSON."""
    return _preprojected(hatch_suppressed(spec))


def _preprojected(spec):
    if isinstance(spec, list):
        return [_preprojected(v) for v in spec]
    if not isinstance(spec, dict):
        return spec
    out: dict[str, Any] = {}
    for key, value in spec.items():
        if key == "url" and isinstance(value, str):
            folder, _, name = value.rpartition("/")
            out[key] = f"{folder}/{PREPROJECTED.get(name, name)}"
        elif key == "projection" and value == {"type": "albersUsa"}:
            out[key] = {"type": "identity"}
        else:
            out[key] = _preprojected(value)
    return out
