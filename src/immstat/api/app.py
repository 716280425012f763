"""``create_app``: one FastAPI app, one read-only warehouse, errors as one-line JSON."""

from __future__ import annotations

import importlib
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from immstat._version import __version__
from immstat.api.state import ApiState
from immstat.core.errors import ImmstatError

DESCRIPTION = (
    "Read-only, aggregate-only statistics on US immigration enforcement. Every number comes from "
    "the metric registry (the same Result as `immstat query --format json`); record-derived counts "
    "from 1 to 10 are suppressed. Errors are `{\"error\": \"...\"}` with a 4xx status."
)


def create_app(db_path: str | Path | None = None, web: bool = True) -> FastAPI:
    """The API (and, if ``web`` and installed, the dashboard) over ``db_path``, opened read-only."""
    from immstat.api import ROUTER_MODULES

    app = FastAPI(title="ImmStat API", version=__version__, description=DESCRIPTION,
                  docs_url="/api/docs", redoc_url=None)
    app.state.immstat = ApiState(db_path)
    _install_error_handlers(app)
    for name in ROUTER_MODULES:
        app.include_router(importlib.import_module(name).router)
    if web:
        _mount_web(app)
    return app


def _mount_web(app: FastAPI) -> None:
    try:
        dashboard = importlib.import_module("immstat.web")
    except ModuleNotFoundError as exc:
        if exc.name != "immstat.web":
            raise
        return
    dashboard.mount(app)


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
