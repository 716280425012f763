"""The offline dashboard: server-rendered pages, a little vanilla JS, vendored Vega.

:data:`PAGES` lists every page router, with its entry in the navigation bar (if any); the bar is
built from that list. :func:`mount` adds the static files, the bundled TopoJSON and the pages to an
app made by :func:`immstat.api.create_app` (the composition root,
:func:`immstat.cli.compose.build_app`, calls it). Every number on a page comes from
``Warehouse.query()``; this package writes no SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from immstat.core.reference import data_path
from immstat.web import (
    pages_287g,
    pages_aor,
    pages_capacity,
    pages_claims,
    pages_detention,
    pages_encounters,
    pages_facility,
    pages_glossary,
    pages_health,
    pages_map,
    pages_overview,
    pages_targets,
    warmup,
)

STATIC = Path(__file__).parent / "static"


@dataclass(frozen=True)
class Page:
    """A page module's router, and its (href, label) in the navigation bar (None: not in it)."""

    router: APIRouter
    nav: tuple[str, str] | None = None


PAGES: list[Page] = [
    Page(pages_overview.router, ("/", "Overview")),
    Page(pages_map.router, ("/map", "Map")),
    Page(pages_detention.router, ("/detention", "Detention")),
    Page(pages_encounters.router, ("/encounters", "Encounters")),
    Page(pages_287g.router, ("/287g", "287(g)")),
    Page(pages_targets.router, ("/targets", "Targets")),
    Page(pages_capacity.router, ("/capacity", "Capacity")),
    Page(pages_claims.router, ("/claims", "Check a text")),
    Page(pages_health.router, ("/health", "Data health")),
    Page(pages_glossary.router, ("/glossary", "Glossary")),
    Page(pages_aor.router),
    Page(pages_facility.router),
]
NAV: list[tuple[str, str]] = [p.nav for p in PAGES if p.nav]


def mount(app: FastAPI) -> None:
    """Serve the dashboard from ``app`` (which must carry an ImmStat ServeState)."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    geo = data_path("geo")
    if geo.is_dir():
        app.mount("/geo", StaticFiles(directory=geo), name="geo")
    for page in PAGES:
        app.include_router(page.router)
    app.router.on_startup.append(lambda: warmup.start(app))
