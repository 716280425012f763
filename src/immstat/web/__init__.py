"""The offline dashboard: server-rendered pages, a little vanilla JS, vendored Vega.

:func:`mount` adds the static files, the bundled TopoJSON and every page router listed in
:data:`PAGE_MODULES` (each module exposes ``router = APIRouter()``) to the API app. Every number
on a page comes from ``Warehouse.query()``; this package writes no SQL.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from immstat.core.reference import data_path
from immstat.web import warmup

STATIC = Path(__file__).parent / "static"

PAGE_MODULES = [
    "immstat.web.pages_overview",
    "immstat.web.pages_map",
    "immstat.web.pages_aor",
    "immstat.web.pages_facility",
    "immstat.web.pages_detention",
    "immstat.web.pages_encounters",
    "immstat.web.pages_targets",
    "immstat.web.pages_capacity",
    "immstat.web.pages_claims",
]


def mount(app: FastAPI) -> None:
    """Serve the dashboard from ``app`` (called by :func:`immstat.api.create_app`)."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    geo = data_path("geo")
    if geo.is_dir():
        app.mount("/geo", StaticFiles(directory=geo), name="geo")
    for name in PAGE_MODULES:
        app.include_router(importlib.import_module(name).router)
    app.router.on_startup.append(lambda: warmup.start(app))
