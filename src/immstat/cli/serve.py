"""`immstat serve`: the read-only API and dashboard over one warehouse, on loopback by default."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from immstat.cli.app import DbOption, app, console, guarded
from immstat.core import settings


def run_server(db: Path | None, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve ``db`` (read-only) with uvicorn until interrupted; prints the URL first."""
    import uvicorn

    from immstat.api import create_app

    path = Path(db) if db else settings.default_db_path()
    application = create_app(path)
    application.state.immstat.call(lambda wh: None)  # open now: a missing file fails before serving
    shown = f"[{host}]" if ":" in host else host
    console.print(f"ImmStat serving {path.name} at http://{shown}:{port}/  (API: /api/v1, "
                  f"docs: /api/docs). Ctrl+C to stop.", highlight=False)
    uvicorn.run(application, host=host, port=port, log_level="warning")


@app.command()
@guarded
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
    run_server(db, host, port or int(settings.get("port")))
