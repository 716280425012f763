"""Command-line interface: thin commands over the library (see ``immstat --help``)."""

from __future__ import annotations

from . import ingest, query  # noqa: F401  (registers commands)
from .app import app


def main() -> None:
    app()
