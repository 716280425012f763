"""``create_app``: the API as a FastAPI app over one read-only warehouse, errors as one-line JSON.

The routers it includes are listed in :data:`immstat.api.ROUTERS`. Other surfaces (the dashboard,
the report route) are added by the composition root, :func:`immstat.cli.compose.build_app`.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from immstat._version import __version__
from immstat.core.errors import ImmstatError
from immstat.present.requests import BodyLimit, body_limit
from immstat.present.state import Limits, ServeState

DESCRIPTION = (
    "Read-only, aggregate-only statistics on US immigration enforcement. Every number comes from "
    "the metric registry (the same Result as `immstat query --format json`); record-derived counts "
    "from 1 to 10 are suppressed. Errors are `{\"error\": \"...\"}` with a 4xx status."
)


def create_app(db_path: str | Path | None = None, limits: Limits | None = None) -> FastAPI:
    """The HTTP API over ``db_path`` (default ``$IMMSTAT_HOME/immstat.duckdb``), opened read-only."""
    from immstat.api import ROUTERS

    app = FastAPI(title="ImmStat API", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None)  # /api/docs: routes_docs (offline)
    state = ServeState(db_path, limits)
    app.state.immstat = state
    app.add_middleware(BodyLimit, max_bytes=body_limit(state.limits.max_text_bytes))
    _install_error_handlers(app)
    for router in ROUTERS:
        app.include_router(router)
    return app


def error_response(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ImmstatError)
    async def _immstat(_: Request, exc: ImmstatError):
        return error_response(exc.http_status, str(exc))

    @app.exception_handler(Exception)
    async def _bug(_: Request, exc: Exception):
        return error_response(500, f"Internal error ({type(exc).__name__}); this is a bug in "
                                   "ImmStat, please report it with the URL you requested.")

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError):
        return error_response(422, _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404:
            detail = "No such route; see /openapi.json or /api/docs for the routes."
        elif exc.status_code == 405:
            detail = "This API is read-only; use GET."
        return error_response(exc.status_code, detail)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "Invalid request (" + "; ".join(parts) + "). See /openapi.json for valid parameters."
