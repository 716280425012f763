"""Vega-Lite spec → inline SVG with vl-convert (the dashboard's specs, rendered offline).

Several SVGs share one HTML document, so every ``id`` (and each ``url(#…)`` reference to it) is
prefixed with the figure's key; long path coordinates are rounded to 0.1 px (a county map drops
from ~1.9 MB to ~1.2 MB with no visible change). No base URL is allowed: a spec that tries to
load anything over the network fails instead of making a request.
"""

from __future__ import annotations

import re

import vl_convert as vlc

from ..errors import ReportError

_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r"url\(#([^)]+)\)")
_PATH_NUMBER = re.compile(r"(-?\d+\.\d)\d+")
_D_ATTR = re.compile(r'\bd="([^"]*)"')


def to_svg(spec: dict, key: str) -> str:
    """The chart as an SVG string safe to inline next to other charts."""
    try:
        svg = vlc.vegalite_to_svg(spec, allowed_base_urls=[])
    except Exception as exc:  # vl-convert raises plain ValueError/RuntimeError with a JS message
        raise ReportError(
            f"Cannot draw the chart {key!r} with vl-convert ({exc}). Check that vl-convert-python "
            "is installed (`pip install vl-convert-python`) and the spec is valid Vega-Lite.") from exc
    prefix = re.sub(r"[^A-Za-z0-9_-]", "-", key)
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    svg = _D_ATTR.sub(lambda m: 'd="' + _PATH_NUMBER.sub(r"\1", m.group(1)) + '"', svg)
    return svg.replace("<svg ", f'<svg role="img" aria-labelledby="{prefix}-caption" ', 1)
