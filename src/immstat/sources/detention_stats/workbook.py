"""Read a whole detention-statistics workbook into tidy tables (no warehouse involved)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from immstat.core.calendar import fy_bounds
from immstat.core.errors import SourceError
from immstat.core.parse import date_in_text
from immstat.sources.detention_stats import tables
from immstat.sources.detention_stats.coverage import drop_placeholders, workbook_coverage
from immstat.sources.detention_stats.detention import read_detention
from immstat.sources.detention_stats.grid import Grid, load_grids, squash
from immstat.sources.detention_stats.layout import Context
from immstat.sources.detention_stats.other import (
    read_atd,
    read_bond,
    read_facilities,
    read_segregation,
    read_vulnerable,
)
from immstat.sources.detention_stats.values import Collector, fiscal_year_in

DETENTION_SHEET = re.compile(r"^\s*Detention\b", re.IGNORECASE)
# (sheet-name pattern, reader, fiscal year from the sheet name?)
READERS = (
    (DETENTION_SHEET, read_detention, True),
    (re.compile(r"^\s*ATD\b", re.IGNORECASE), read_atd, True),
    (re.compile(r"^\s*Facilities\b", re.IGNORECASE), read_facilities, True),
    (re.compile(r"Bond", re.IGNORECASE), read_bond, False),
    (re.compile(r"Segregation", re.IGNORECASE), read_segregation, True),
    (re.compile(r"Vulnerable", re.IGNORECASE), read_vulnerable, False),
)
_FILE_DATE = re.compile(r"(?<!\d)(\d{2})(\d{2})(20\d\d)(?!\d)")


@dataclass
class Workbook:
    """The parsed workbook: tidy Arrow tables, rejects, and how its release date was found."""

    path: Path
    fiscal_year: int
    release_date: dt.date
    release_basis: str
    tables: dict[str, pa.Table] = field(default_factory=dict)
    rejects: list[dict] = field(default_factory=list)
    sheets_read: list[str] = field(default_factory=list)
    sheets_skipped: list[str] = field(default_factory=list)
    banner: list[str] = field(default_factory=list)
    data_end: dt.date | None = None  # last day the figures cover (see coverage.py)
    data_end_basis: str = ""


def workbook_fiscal_year(grids: list[Grid]) -> int | None:
    """Fiscal year of the Detention sheet (its name, else its 'ICE DETENTION DATA, FYxx' title)."""
    for grid in grids:
        if DETENTION_SHEET.match(grid.name):
            found = fiscal_year_in(grid.name)
            for r, c in grid.find(r"ICE DETENTION DATA"):
                found = found or fiscal_year_in(grid.cell(r, c))
            return found
    return None


def release_date(path: Path, grids: list[Grid], fiscal_year: int) -> tuple[dt.date, str]:
    """The file name's MMDDYYYY date; else a date printed on the Header sheet; else the IIDS
    data-pull date printed on the Facilities sheet; else the last day of the fiscal year."""
    match = _FILE_DATE.search(path.stem)
    if match:
        try:
            return dt.date(int(match[3]), int(match[1]), int(match[2])), "file name"
        except ValueError:
            pass
    for grid in grids:
        if grid.name.strip().lower() == "header":
            for row in grid.rows:
                found = next((d for text in row if (d := date_in_text(text))), None)
                if found:
                    return found, "Header sheet"
    for grid in grids:
        if grid.name.strip().lower().startswith("facilities"):
            for r, c in grid.find(r"Integrated Decision Support \(IIDS\)"):
                found = date_in_text(grid.cell(r, c))
                if found:
                    return found, f"IIDS data-pull date on sheet {grid.name.strip()!r}"
    return fy_bounds(fiscal_year)[1], "end of the fiscal year (no date in the file name or workbook)"


def read_workbook(path: Path, grids: list[Grid] | None = None) -> Workbook:
    path = Path(path)
    grids = grids if grids is not None else load_grids(path)
    fiscal_year = workbook_fiscal_year(grids)
    if fiscal_year is None:
        raise SourceError(f"{path}: no 'Detention FYxx' sheet with a fiscal year; is this an ICE "
                          "detention-statistics workbook? Pass the right file or --source.")
    released, basis = release_date(path, grids, fiscal_year)
    book = Workbook(path, fiscal_year, released, basis)
    out = Collector()
    fy_of: dict[str, int] = {}
    for grid in grids:
        reader = next(((fn, own) for rx, fn, own in READERS if rx.search(grid.name)), None)
        if reader is None:
            book.sheets_skipped.append(grid.name)
            if grid.name.strip().lower() == "header":
                book.banner = [squash(c) for row in grid.rows for c in row if c]
            continue
        fn, own = reader
        sheet_fy = (fiscal_year_in(grid.name) if own else None) or fiscal_year
        before = {t: len(rows) for t, rows in out.rows.items()}
        fn(grid, Context(grid.name, sheet_fy, released, out))
        for table, rows in out.rows.items():
            for row in rows[before.get(table, 0):]:
                row.setdefault("fiscal_year", sheet_fy)
                fy_of.setdefault(table, sheet_fy)
        book.sheets_read.append(grid.name)
    _date_data(book, out.rows)
    for section, rows in out.rows.items():
        for row in rows:
            row["release_date"] = released
        book.tables[tables.table_name(section)] = pa.Table.from_pylist(
            rows, schema=tables.schema(section))
    book.rejects = out.rejects
    return book


def _date_data(book: Workbook, rows: dict[str, list[dict]]) -> None:
    """The data-end date from the year-to-date ADP arithmetic (else the release date, within the
    fiscal year); months after the data's last month lose their placeholder zeros."""
    cov = workbook_coverage(rows, book.fiscal_year, book.release_date)
    if cov.data_end is not None:
        book.data_end, book.data_end_basis = cov.data_end, f"{cov.basis}: {cov.sentence()}"
    else:
        book.data_end = min(book.release_date, fy_bounds(book.fiscal_year)[1])
        book.data_end_basis = f"release date ({cov.basis})"
    if cov.last_month is not None:
        drop_placeholders(rows, book.fiscal_year, cov.last_month)
