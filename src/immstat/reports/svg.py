"""Vega-Lite spec → inline SVG with vl-convert (the dashboard's specs, rendered offline).

Several SVGs share one HTML document, so every ``id`` (and each ``url(#…)`` reference to it) is
renamed to the figure's key plus its position in the SVG (vl-convert numbers gradients with a
process-wide counter, so its own ids would differ between two renders of the same spec); long
path coordinates are rounded to 0.1 px (a county map drops from ~1.9 MB to ~1.2 MB with no
visible change). No base URL is allowed: a spec that tries to load anything over the network
fails instead of making a request. Charts are drawn in the rendering worker process
(:mod:`immstat.reports.apart`).
"""

from __future__ import annotations

import json
import re

import vl_convert as vlc

from immstat.core.errors import ReportError
from immstat.reports.apart import run_apart

_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r"url\(#([^)]+)\)")
_PATH_NUMBER = re.compile(r"(-?\d+\.\d)\d+")
_D_ATTR = re.compile(r'\bd="([^"]*)"')


SVG_SECONDS = 120.0


def to_svg(spec: dict, key: str) -> str:
    """The chart as an SVG string safe to inline next to other charts, drawn in the rendering
    worker process (vl-convert holds the interpreter lock while it draws)."""
    return run_apart(draw_svg, json.dumps(spec), key, seconds=SVG_SECONDS,
                     too_long=f"Drawing the chart {key!r}")


def draw_svg(spec_json: str, key: str) -> str:
    """:func:`to_svg` in this process."""
    try:
        svg = vlc.vegalite_to_svg(spec_json, allowed_base_urls=[])
    except Exception as exc:  # vl-convert raises plain ValueError/RuntimeError with a JS message
        raise ReportError(
            f"Cannot draw the chart {key!r} with vl-convert ({exc}). Check that vl-convert-python "
            "is installed (`pip install vl-convert-python`) and the spec is valid Vega-Lite.") from exc
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", key)
    names = {old: f"{prefix}-{n}" for n, old in enumerate(dict.fromkeys(_ID.findall(svg)))}
    svg = _ID.sub(lambda m: f'id="{names[m.group(1)]}"', svg)
    svg = _REF.sub(lambda m: f"url(#{names.get(m.group(1), m.group(1))})", svg)
    svg = _D_ATTR.sub(lambda m: 'd="' + _PATH_NUMBER.sub(r"\1", m.group(1)) + '"', svg)
    return svg.replace("<svg ", f'<svg role="img" aria-labelledby="{prefix}-caption" ', 1)
