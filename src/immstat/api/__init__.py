"""The read-only HTTP API: ``create_app(db_path)`` builds a FastAPI app over one warehouse.

Route modules listed in :data:`ROUTER_MODULES` each expose ``router = APIRouter()``; the
dashboard (``immstat.web``) is mounted on the same app when it is importable.
"""

from __future__ import annotations

ROUTER_MODULES = [
    "immstat.api.routes_core",
    "immstat.api.routes_targets",
    "immstat.api.routes_reports",
    "immstat.api.routes_claims",
]

from immstat.api.app import create_app  # noqa: E402

__all__ = ["ROUTER_MODULES", "create_app"]
