"""Command-line interface: thin commands over the library (see ``immstat --help``)."""

from __future__ import annotations

from immstat.cli import ingest, query  # noqa: F401  (registers commands)
from immstat.cli import synth  # noqa: F401
from immstat.cli import serve  # noqa: F401
from immstat.cli import targets  # noqa: F401
from immstat.cli import claims  # noqa: F401
from immstat.cli import demo  # noqa: F401
from immstat.cli import report  # noqa: F401
from immstat.cli.app import app


def main() -> None:
    app()
