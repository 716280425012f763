"""Jinja2 rendering for the dashboard: one environment, number formatting, cached pages.

The warehouse is read-only for the app's lifetime, so a rendered page never goes stale: pages are
cached by path + query string in the app state's LRU cache (see ``immstat.api.state``).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from immstat._version import __version__

TEMPLATES = Path(__file__).parent / "templates"


def nav_links() -> list[tuple[str, str]]:
    """(href, label) of every page module that declares ``NAV = (href, label)``."""
    from immstat.web import PAGE_MODULES

    modules = (importlib.import_module(name) for name in PAGE_MODULES)
    return [m.NAV for m in modules if getattr(m, "NAV", None)]


def fmt_value(value, unit: str = "") -> str:
    """A number as people read it: shares as %, small rates with one decimal, counts with commas."""
    if value is None:
        return "—"
    if unit == "share":
        return f"{value * 100:.1f}%"
    if abs(value) < 100 and value != int(value):
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def fmt_change(value, prior, unit: str = "") -> str | None:
    """Change vs a prior value: percentage points for shares, per cent otherwise."""
    if value is None or prior is None:
        return None
    if unit == "share":
        return f"{(value - prior) * 100:+.1f} pts"
    if prior == 0:
        return None
    return f"{(value - prior) / prior * 100:+.1f}%"


def fy_options(years) -> list[tuple[int, str]]:
    return [(y, f"FY{y}") for y in years]


def script_json(value) -> Markup:
    """JSON safe to place inside <script type="application/json"> (no '</script>' breakout)."""
    text = json.dumps(value, separators=(",", ":"), default=str)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(value=fmt_value, script_json=script_json)
    env.globals.update(nav_links=nav_links, version=__version__, fmt_change=fmt_change,
                       fy_options=fy_options)
    return env


ENV = _environment()


def render(template: str, status: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(ENV.get_template(template).render(**context), status_code=status)


class _Uncached(Exception):
    """Carries a non-200 page out of the cache (error pages are cheap and not cached)."""

    def __init__(self, response: HTMLResponse):
        super().__init__(response.status_code)
        self.response = response


def cached_page(request: Request, build: Callable[[], HTMLResponse]) -> HTMLResponse:
    """Serve ``build()`` once per distinct URL; later requests come from the app's cache."""
    from immstat.api.state import Rendered

    def make() -> Rendered:
        response = build()
        if response.status_code != 200:
            raise _Uncached(response)
        return Rendered(bytes(response.body), "text/html; charset=utf-8")

    key = ("web", request.url.path, str(request.query_params))
    try:
        rendered = request.app.state.immstat.cached(key, make)
    except _Uncached as exc:
        return exc.response
    return HTMLResponse(rendered.body)


def page(template: str, title: str, active: str | None, panels: list, status: int = 200,
         **context) -> HTMLResponse:
    """A dashboard page: its panels decide the SYNTHETIC banner, the sources footer, the JS."""
    from immstat.present.panels import any_synthetic, page_sources

    return render(template, status, title=title, active=active, panels=panels,
                  synthetic=any_synthetic(panels), sources=page_sources(panels),
                  charts=any(getattr(p, "spec", None) for p in panels), **context)


def not_found(kind: str, code: str, back: str, back_label: str) -> HTMLResponse:
    """A friendly 404 page (unknown field office, facility…)."""
    return page("404.html", f"Unknown {kind}", None, [], status=404, kind=kind, code=code[:40],
                back=back, back_label=back_label)
