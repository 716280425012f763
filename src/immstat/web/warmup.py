"""Render the main pages once in the background when the server starts.

The first query of each kind in a fresh process pays one-off costs (Ibis compilation, DuckDB
plans, imports), about 1 s in all; paying them at start-up, off the request path, keeps a
visitor's first pages under a second. The pages land in the app's page cache.
"""

from __future__ import annotations

import threading

from fastapi import FastAPI
from starlette.requests import Request

from immstat.core.errors import ImmstatError

PAGES = ("/", "/map", "/detention", "/encounters")


def start(app: FastAPI) -> None:
    threading.Thread(target=_render_all, args=(app,), name="immstat-warmup", daemon=True).start()


def _render_all(app: FastAPI) -> None:
    from immstat.web.pages_detention import detention
    from immstat.web.pages_encounters import encounters
    from immstat.web.pages_map import map_page
    from immstat.web.pages_overview import overview

    routes = {"/": overview, "/map": map_page, "/detention": detention, "/encounters": encounters}
    for path in PAGES:
        scope = {"type": "http", "app": app, "path": path, "query_string": b"", "headers": []}
        try:
            routes[path](Request(scope))
        except ImmstatError:  # e.g. no warehouse yet: the visitor will get the message instead
            return
