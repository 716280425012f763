"""The read-only HTTP API: ``create_app(db_path)`` builds a FastAPI app over one warehouse.

:data:`ROUTERS` lists every API router, in the order they are mounted; to add a route, add it to a
``routes_*.py`` module's router (or a new module) and list that router here.
"""

from __future__ import annotations

from fastapi import APIRouter

from immstat.api import routes_claims, routes_core, routes_docs, routes_revisions, routes_targets
from immstat.api.app import create_app

ROUTERS: list[APIRouter] = [routes_core.router, routes_targets.router, routes_claims.router,
                            routes_revisions.router, routes_docs.router]

__all__ = ["ROUTERS", "create_app"]
