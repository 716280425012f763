"""`immstat serve`: the read-only API and dashboard over one warehouse, on loopback by default."""

from __future__ import annotations

from typing import Annotated

import typer

from immstat.cli.app import DbOption


def serve(
    host: Annotated[
        str, typer.Option("--host", help="Interface to bind (loopback by default).")
    ] = "127.0.0.1",
    port: Annotated[
        int | None,
        typer.Option("--port", min=1, max=65535, help="TCP port (default $IMMSTAT_PORT or 8000)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Serve the read-only HTTP API and dashboard."""
    from immstat.cli.compose import run_server
    from immstat.core import settings

    run_server(db, host, port or int(settings.get("port")))
