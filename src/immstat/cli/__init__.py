"""Command-line interface: thin commands over the library (see ``immstat --help``).

One module per command; :data:`COMMANDS` lists them (in ``--help`` order) and :data:`GROUPS`
the command groups. To add a command, write ``cli/<name>.py`` with one function whose signature
declares its options (import heavy libraries inside it) and list that function here.
:mod:`immstat.cli.compose` is the composition root of the HTTP app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

from immstat.cli import (
    capacity,
    check,
    claims,
    demo,
    ingest,
    metrics,
    query,
    release,
    report,
    revisions,
    serve,
    sources,
    synth,
    targets,
)
from immstat.cli.app import app, guarded

COMMANDS: list[Callable[..., Any]] = [
    demo.demo,
    ingest.ingest,
    release.release,
    sources.sources,
    metrics.metrics,
    query.query,
    targets.targets,
    capacity.capacity,
    revisions.revisions,
    check.check,
    report.report,
    serve.serve,
    synth.synth,
]
GROUPS: list[tuple[str, typer.Typer]] = [("claims", claims.app)]

for _command in COMMANDS:
    app.command()(guarded(_command))
for _name, _group in GROUPS:
    app.add_typer(_group, name=_name)


def main() -> None:
    app()
