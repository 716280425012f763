"""Command-line interface: thin commands over the library (see ``immstat --help``)."""

from __future__ import annotations

from immstat.cli import (  # noqa: F401  (registers commands)
    claims,
    demo,
    ingest,
    query,
    release,
    report,
    serve,
    synth,
    targets,
)
from immstat.cli.app import app


def main() -> None:
    app()
