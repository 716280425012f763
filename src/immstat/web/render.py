"""Jinja2 rendering for the dashboard: one environment, shared formats, cached pages.

The warehouse is read-only for the app's lifetime, so a rendered page never goes stale: pages are
cached by path + query string in the app's response cache (see :mod:`immstat.present.state`).
Numbers, months and the SYNTHETIC wording come from :mod:`immstat.core.formats`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from immstat._version import __version__
from immstat.core.formats import SYNTHETIC_NOTE, fmt_change, fmt_value, fy_label, month_label
from immstat.present.glossary import href as glossary_href
from immstat.present.glossary import lookup
from immstat.present.panels import SANDBOX, Panel, any_synthetic, page_sources
from immstat.present.releases import release_day, what_changed
from immstat.present.state import Rendered, serve_state

TEMPLATES = Path(__file__).parent / "templates"
FACILITY_GROUP = "Facility types"  # the glossary group of ICE's facility-type codes


def nav_links() -> list[tuple[str, str]]:
    """(href, label) of the pages in the navigation bar, from :data:`immstat.web.PAGES`."""
    from immstat.web import NAV

    return NAV


def fy_options(years) -> list[tuple[int, str]]:
    return [(y, fy_label(y)) for y in years]


def capitalize_first(text: str) -> str:
    """'no new detention statistics …' → 'No new detention statistics …' (the rest unchanged)."""
    return text[:1].upper() + text[1:] if text else text


def snapshot_day(label: str) -> str:
    """A 287(g) snapshot label '2025-08-13 am' → '13 Aug 2025'."""
    return f"{dt.date.fromisoformat(label[:10]):%-d %b %Y}"


def facility_type(code: str | None) -> Markup:
    """A facility-type code linked to its definition in the glossary ('DIGSA'), or 'type not
    listed' when the list gives none."""
    if not code:
        return Markup("type not listed")
    term = lookup(code)
    if term is None or term.group != FACILITY_GROUP:  # 'Other' must not find the criminality class
        return Markup.escape(code)
    return Markup('<a class="term" href="{}" title="{}">{}</a>').format(
        term.href, term.definition.split(". ")[0], code)


def script_json(value) -> Markup:
    """JSON safe to place inside <script type="application/json"> (no '</script>' breakout)."""
    text = json.dumps(value, separators=(",", ":"), default=str)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(value=fmt_value, script_json=script_json, month_label=month_label,
                       capitalize_first=capitalize_first, snapshot_day=snapshot_day,
                       facility_type=facility_type, release_day=release_day)
    env.globals.update(nav_links=nav_links, version=__version__, fmt_change=fmt_change,
                       fy_options=fy_options, synthetic_note=SYNTHETIC_NOTE,
                       sandbox_command=SANDBOX, glossary_href=glossary_href)
    return env


ENV = _environment()


def render(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(ENV.get_template(template).render(**context), status_code=status)


class _Uncached(Exception):
    """Carries a non-200 page out of the cache (error pages are cheap and not cached)."""

    def __init__(self, response: HTMLResponse):
        super().__init__(response.status_code)
        self.response = response


def cached_page(request: Request, build: Callable[[], HTMLResponse]) -> HTMLResponse:
    """Serve ``build()`` once per distinct URL; later requests come from the app's cache."""

    def make() -> Rendered:
        response = build()
        if response.status_code != 200:
            raise _Uncached(response)
        return Rendered(bytes(response.body), "text/html; charset=utf-8")

    key = ("web", request.url.path, str(request.query_params))
    try:
        rendered = serve_state(request).cached(key, make)
    except _Uncached as exc:
        return exc.response
    return HTMLResponse(rendered.body)


def page(template: str, title: str, active: str | None, panels: list[Panel], status: int = 200,
         request: Request | None = None, **context: Any) -> HTMLResponse:
    """A dashboard page: its panels decide the SYNTHETIC banner, the sources footer, the JS.
    With ``request``, the page also shows what ICE's latest release changed."""
    if request is not None and "changes" not in context:
        context["changes"] = what_changed(serve_state(request))
    return render(template, status, title=title, active=active, panels=panels,
                  synthetic=any_synthetic(panels), sources=page_sources(panels),
                  charts=any(getattr(p, "spec", None) for p in panels), **context)


def not_found(kind: str, code: str, back: str, back_label: str) -> HTMLResponse:
    """A friendly 404 page (unknown field office, facility…)."""
    return page("404.html", f"Unknown {kind}", None, [], status=404, kind=kind, code=code[:40],
                back=back, back_label=back_label)
