"""``/api/docs``: Swagger UI served from files vendored in the package, so the docs work offline.

FastAPI's default docs page loads Swagger UI from a CDN (a blank page with no network). The
assets here are ``swagger-ui-dist`` 5.35.0 from npm (Apache-2.0, licence and notice beside them;
the CSS's source-map comment removed). The page asks nothing of the network: the online spec
validator badge is switched off and the favicon is the vendored one.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

ASSETS = Path(__file__).parent / "static" / "swagger-ui"
PREFIX = "/api/docs/assets"
MEDIA = {"swagger-ui-bundle.js": "text/javascript; charset=utf-8",
         "swagger-ui.css": "text/css; charset=utf-8", "favicon-32x32.png": "image/png"}
PARAMETERS = {"validatorUrl": None, "deepLinking": True, "defaultModelsExpandDepth": 0,
              "displayRequestDuration": True}

router = APIRouter(include_in_schema=False)


@router.get("/api/docs", response_class=HTMLResponse)
def docs() -> HTMLResponse:
    """Swagger UI for ``/openapi.json``, every asset from this server."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json", title="ImmStat API",
        swagger_js_url=f"{PREFIX}/swagger-ui-bundle.js", swagger_css_url=f"{PREFIX}/swagger-ui.css",
        swagger_favicon_url=f"{PREFIX}/favicon-32x32.png", swagger_ui_parameters=PARAMETERS)


@router.get("/api/docs/assets/{name}")
def asset(name: str) -> FileResponse:
    """One vendored Swagger UI file (a fixed list: nothing else on disk is reachable)."""
    if name not in MEDIA:
        raise HTTPException(404)
    return FileResponse(ASSETS / name, media_type=MEDIA[name],
                        headers={"Cache-Control": "public, max-age=86400"})
