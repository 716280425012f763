"""The composition root: the one place the HTTP surfaces are put together, and the server run.

:func:`build_app` makes the API app (:func:`immstat.api.create_app`), adds the report route
(:data:`immstat.reports.router`) and, with ``web``, mounts the dashboard (:func:`immstat.web.mount`).
``immstat serve`` and ``immstat demo`` serve it; tests build it the same way. The surfaces never
import one another: only this module knows all three.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from immstat.present.state import Limits


# The server hands the interpreter lock between threads every 1 ms (Python's default: 5 ms), so
# the event loop answering /health and cached pages gets it back quickly from busy workers.
SWITCH_INTERVAL = 0.001


def build_app(db_path: str | Path | None = None, web: bool = True,
              limits: Limits | None = None) -> FastAPI:
    """API + report route (+ dashboard when ``web``) over ``db_path``, opened read-only."""
    from immstat import api, reports

    app = api.create_app(db_path, limits)
    app.include_router(reports.router)
    if web:
        from immstat import web as dashboard

        dashboard.mount(app)
    return app


def run_server(db: Path | None, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``db`` (read-only) with uvicorn until interrupted; prints the URL first."""
    import uvicorn

    from immstat.cli.app import console
    from immstat.core import settings
    from immstat.present.state import ServeState

    sys.setswitchinterval(SWITCH_INTERVAL)
    path = Path(db) if db else settings.default_db_path()
    application = build_app(path)
    state: ServeState = application.state.immstat
    state.summary()  # open now: a missing or locked file fails before serving
    shown = f"[{host}]" if ":" in host else host
    console().print(f"ImmStat serving {path.name} at http://{shown}:{port}/  (API: /api/v1, "
                    f"docs: /api/docs). Ctrl+C to stop.", highlight=False)
    uvicorn.run(application, host=host, port=port, log_level="warning")
