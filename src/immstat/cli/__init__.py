"""Command-line interface: thin commands over the library (see ``immstat --help``)."""

from __future__ import annotations

from . import ingest, query  # noqa: F401  (registers commands)
from . import synth  # noqa: F401
from . import serve  # noqa: F401
from . import targets  # noqa: F401
from . import claims  # noqa: F401
from . import demo  # noqa: F401
from . import report  # noqa: F401
from .app import app


def main() -> None:
    app()
