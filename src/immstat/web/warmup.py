"""Render the main pages once in the background when the server starts.

The first query of each kind in a fresh process pays one-off costs (Ibis compilation, DuckDB
plans, imports), about 1 s in all; paying them at start-up, off the request path, keeps a
visitor's first pages under a second. The pages land in the app's page cache. When the app
shuts down, warming stops after the page in hand (the thread is joined before the interpreter
tears down DuckDB under it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from starlette.requests import Request

from immstat.core.errors import ImmstatError
from immstat.web import pages_detention, pages_encounters, pages_map, pages_overview

PAGES: dict[str, Callable[[Request], HTMLResponse]] = {
    "/": pages_overview.overview, "/map": pages_map.map_page,
    "/detention": pages_detention.detention, "/encounters": pages_encounters.encounters}
JOIN_SECONDS = 60.0


def start(app: FastAPI) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=_render_all, args=(app, stop), name="immstat-warmup",
                              daemon=True)
    thread.start()

    def finish() -> None:
        stop.set()
        thread.join(JOIN_SECONDS)

    app.router.on_shutdown.append(finish)


def _render_all(app: FastAPI, stop: threading.Event) -> None:
    for path, route in PAGES.items():
        if stop.is_set():
            return
        scope = {"type": "http", "app": app, "path": path, "query_string": b"", "headers": []}
        try:
            route(Request(scope))
        except ImmstatError:  # e.g. no warehouse yet: the visitor will get the message instead
            return
