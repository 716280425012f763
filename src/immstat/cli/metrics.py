"""`immstat metrics`: the metric registry."""

from __future__ import annotations

from typing import Annotated

import typer

from immstat.cli.app import OutputFormat, console, print_json


def metrics(fmt: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.table) -> None:
    """The metric registry: every number ImmStat can compute, and how."""
    from rich.table import Table

    from immstat.metrics import all_metrics

    items = [m.to_dict() for m in all_metrics()]
    if fmt == OutputFormat.json:
        print_json(items)
        return
    table = Table(title="Metrics")
    for col in ("name", "title", "unit", "measure", "dimensions", "suppressed"):
        table.add_column(col)
    for m in items:
        table.add_row(m["name"], m["title"], m["unit"], m["measure"], ", ".join(m["dimensions"]),
                      "yes" if m["suppressed"] else "published")
    console().print(table)
