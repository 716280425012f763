"""A workbook sheet as a grid of trimmed text, and sections found in it by their title text.

ICE moves every section of its detention-statistics workbooks from year to year (rows shift,
tables sit side by side, headers merge cells). So nothing here uses a fixed cell address: a
section is the cell whose text matches a title pattern; its header is the next non-empty row
below; its columns run right until the next title or a gap of two empty header cells; its data
rows run down until a blank row or a note (a row with text in its first cell only).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

TITLE_LIKE_CHARS = 26  # a header cell this long is the title of a neighbouring section


@dataclass
class Grid:
    """One sheet: ``rows[r][c]`` is the trimmed text of a cell, or None when empty."""

    name: str
    rows: list[list[str | None]]

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def cell(self, r: int, c: int) -> str | None:
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return None

    def find(self, pattern: str, col: int | None = None) -> list[tuple[int, int]]:
        """(row, col) of every cell whose whitespace-collapsed text matches ``pattern``."""
        regex = re.compile(pattern, re.IGNORECASE)
        hits = []
        for r, row in enumerate(self.rows):
            for c, text in enumerate(row):
                if text and (col is None or c == col) and regex.search(squash(text)):
                    hits.append((r, c))
        return hits

    def blocks(self, pattern: str) -> list[Block]:
        return [block_at(self, r, c) for r, c in self.find(pattern)]


@dataclass
class Block:
    """A section: title cell, header row and data rows, limited to columns [col, end)."""

    grid: Grid
    title_row: int
    col: int
    end: int
    header_row: int
    data_rows: list[int]

    @property
    def title(self) -> str:
        return squash(self.grid.cell(self.title_row, self.col) or "")

    def header(self) -> list[str | None]:
        return self.cells(self.header_row)

    def cells(self, r: int) -> list[str | None]:
        return [self.grid.cell(r, c) for c in range(self.col, self.end)]

    def rows(self) -> Iterator[tuple[int, list[str | None]]]:
        """(1-based sheet row number, cells) for each data row."""
        for r in self.data_rows:
            yield r + 1, self.cells(r)


def squash(text: str) -> str:
    return " ".join(str(text).split())


def block_at(grid: Grid, title_row: int, col: int, header_row: int | None = None,
             end: int | None = None) -> Block:
    """The section whose title is at (title_row, col); see the module docstring for the rules.
    Give ``header_row`` and ``end`` when the header itself is the anchor (no title above it)."""
    if end is None:
        end = next((c for c in range(col + 1, grid.width) if grid.cell(title_row, c)), grid.width)
    if header_row is None:
        header_row = next((r for r in range(title_row + 1, len(grid.rows))
                           if any(grid.cell(r, c) for c in range(col, end))), title_row + 1)
    end = min(end, _header_end(grid, header_row, col, end))
    data_rows = []
    for r in range(header_row + 1, len(grid.rows)):
        filled = [c for c in range(col, end) if grid.cell(r, c)]
        if not filled or filled == [col] and end - col > 1:
            break
        data_rows.append(r)
    return Block(grid, title_row, col, end, header_row, data_rows)


def _header_end(grid: Grid, header_row: int, col: int, end: int) -> int:
    gap = 0
    for c in range(col + 1, end):
        text = grid.cell(header_row, c)
        if text and gap and len(text) >= TITLE_LIKE_CHARS:  # after a gap: a neighbour's title
            return c - gap
        gap = 0 if text else gap + 1
        if gap == 2:
            return c - 1
    return end


def load_grids(path: Path) -> list[Grid]:
    """Every sheet of an xlsx workbook as a :class:`Grid` (fastexcel, all cells as text)."""
    import fastexcel

    reader = fastexcel.read_excel(str(path))
    grids = []
    for name in reader.sheet_names:
        try:
            sheet = reader.load_sheet(name, header_row=None, dtypes="string")
        except Exception as exc:  # an empty sheet has no rows to load
            if "empty" in str(exc).lower() or "no rows" in str(exc).lower():
                grids.append(Grid(name, []))
                continue
            raise
        table = pa.Table.from_batches([sheet.to_arrow()])
        columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
        rows = [[_clean(col[r]) for col in columns] for r in range(table.num_rows)]
        grids.append(Grid(name, rows))
    return grids


def _clean(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None
