"""Two table shapes recur in the workbooks; read each once, here.

* **monthly**: label column(s), then Oct … Sep, then a fiscal-year total ("Total" / "FY Overall").
  Months that start after the release's cutoff were not yet reported (ICE prints 0 or leaves
  them blank); they come back as None so a chart never shows a false drop to zero.
* **cross**: one label column, then named value columns (Convicted Criminal, FSC, Adult, ...).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from immstat.core.calendar import fy_month, month_number
from immstat.sources.detention_stats.grid import Block, squash
from immstat.sources.detention_stats.values import Collector

_TOTAL = re.compile(r"^(total|fy overall)", re.IGNORECASE)


@dataclass
class Context:
    """What every section reader needs: the sheet's fiscal year, the cutoff, the collector."""

    sheet: str
    fiscal_year: int
    cutoff: dt.date
    out: Collector


@dataclass
class MonthlyRow:
    row_number: int
    labels: list[str | None]
    months: list[tuple[dt.date, str | None]]
    total: str | None


def monthly(block: Block, ctx: Context) -> Iterator[MonthlyRow]:
    header = block.header()
    months = [(i, m) for i, h in enumerate(header) if (m := month_number(h))]
    if not months:
        return
    first, last = months[0][0], months[-1][0]
    total = next((i for i in range(last + 1, len(header)) if _TOTAL.match(header[i] or "")), None)
    carry: list[str | None] = [None] * first
    for row_number, cells in block.rows():
        labels = [squash(c) if c else None for c in cells[:first]]
        for i, label in enumerate(labels):  # merged label cells: carry the one above down
            if label is None and any(labels[i + 1:]):
                labels[i] = carry[i]
        carry = labels
        values = [(fy_month(ctx.fiscal_year, m), cells[i] if fy_month(ctx.fiscal_year, m)
                   <= ctx.cutoff else None) for i, m in months]
        yield MonthlyRow(row_number, labels, values, cells[total] if total is not None else None)


def cross(block: Block) -> Iterator[tuple[int, str, list[tuple[str, str | None]]]]:
    """(row number, label, [(column header, raw value), ...]) for each data row."""
    header = block.header()
    columns = [(i, squash(h)) for i, h in enumerate(header) if i > 0 and h]
    for row_number, cells in block.rows():
        if cells[0]:
            yield row_number, squash(cells[0]), [(name, cells[i]) for i, name in columns]


def add_cross(block: Block, ctx: Context, table: str, label: str, column: str, value: str,
              skip: str | None = None) -> None:
    """cross → one tidy row per (label, column header); ``skip`` drops matching headers."""
    for row_number, text, values in cross(block):
        for name, raw in values:
            if skip and re.match(skip, name, re.IGNORECASE):
                continue
            ctx.out.add(table, ctx.sheet, row_number, {label: text, column: name}, {value: raw})


def add_pairs(block: Block, ctx: Context, table: str, label: str, value: str) -> None:
    """label + its single value column (the last named column of the header)."""
    for row_number, text, values in cross(block):
        if values:
            ctx.out.add(table, ctx.sheet, row_number, {label: text}, {value: values[-1][1]})
