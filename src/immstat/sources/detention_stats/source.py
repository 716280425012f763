"""The registry entry for ICE detention-statistics workbooks (``registry.CUSTOM``)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from immstat.core.calendar import fy_bounds
from immstat.sources.detention_stats import tables
from immstat.sources.detention_stats.grid import load_grids
from immstat.sources.detention_stats.workbook import DETENTION_SHEET, Workbook, read_workbook
from immstat.sources.normalize import ValueConverter
from immstat.sources.records import BATCH_ROWS, REJECT_SCHEMA, ConvertedBatch
from immstat.sources.xlsx_guard import inspect_xlsx

KIND = "ice_detention_stats"
TITLE = "ICE detention statistics workbook (detentionStats FYxx.xlsx)"
LICENCE = "US government work (ICE publication, public domain)"
_SIGNATURE = re.compile(r"ICE DETENTION DATA|Average Daily Population by Arresting Agency|"
                        r"Currently Detained by", re.IGNORECASE)


@dataclass
class DetentionStatsPlan:
    """What ingest does with one workbook (a :class:`~immstat.sources.plan.SourcePlan`)."""

    path: Path
    book: Workbook
    reason: str
    kind = KIND
    title = TITLE
    licence = LICENCE
    record_level = False
    replace_policy = "keep_releases"
    person_column = None
    synthetic = False

    @property
    def date_columns(self) -> dict[str, str]:
        """Empty: every table carries its own fiscal_year column."""
        return {}

    @property
    def dataset(self) -> str:
        return f"{KIND}:FY{self.book.fiscal_year % 100:02d}"

    @property
    def banner(self) -> list[str]:
        return self.book.banner

    @property
    def skipped_sheets(self) -> list[str]:
        return self.book.sheets_skipped

    def release_date(self) -> tuple[dt.date | None, str]:
        return self.book.release_date, self.book.release_basis

    def release_scope(self) -> str | None:
        return None

    def stated_period(self) -> tuple[dt.date | None, dt.date | None]:
        """1 October of the workbook's fiscal year to the day its figures reach (data end)."""
        return fy_bounds(self.book.fiscal_year)[0], self.book.data_end

    @property
    def period_basis(self) -> str:
        return self.book.data_end_basis

    def not_provided(self) -> list[str]:
        return []

    def destinations(self) -> dict[str, pa.Schema]:
        return {name: t.schema for name, t in self.book.tables.items()}

    def batches(self, convert: ValueConverter,
                batch_rows: int = BATCH_ROWS) -> Iterator[tuple[str, ConvertedBatch]]:
        """The workbook's tables, already typed by the section readers (``convert`` unused)."""
        rejects = pa.Table.from_pylist(self.book.rejects, schema=REJECT_SCHEMA)
        for name, table in self.book.tables.items():
            for offset in range(0, max(table.num_rows, 1), batch_rows):
                yield name, ConvertedBatch(table.slice(offset, batch_rows), rejects.slice(0, 0))
        if rejects.num_rows:
            first = next(iter(self.book.tables))
            yield first, ConvertedBatch(self.book.tables[first].slice(0, 0), rejects)

    def column_stats(self) -> list[tuple[str, str, int, int, int]]:
        """(table.column, section, redacted, unreadable, null) for every numeric column."""
        unreadable = Counter((r["reason"].split(":")[0], r["column"]) for r in self.book.rejects)
        out = []
        for name, table in self.book.tables.items():
            section = name.removeprefix(tables.PREFIX)
            for f in table.schema:
                if pa.types.is_floating(f.type):
                    out.append((f"{name}.{f.name}", section, 0, unreadable[(section, f.name)],
                                table.column(f.name).null_count))
        return out


class DetentionStatsSource:
    """Recognises a workbook by its content: a 'Detention …' sheet whose first rows carry
    ICE's title or one of its section titles."""

    kind = KIND
    title = TITLE

    def tables(self) -> list[tuple[str, pa.Schema, bool]]:
        return tables.all_tables()

    def plan(self, path: Path, sheets) -> DetentionStatsPlan | None:
        hit = next((s for s in sheets if DETENTION_SHEET.match(s.name) and any(
            _SIGNATURE.search(str(c)) for row in s.preview for c in row if c)), None)
        if hit is None:
            return None
        inspect_xlsx(Path(path))  # fastexcel reads whole sheets: check every part's size first
        book = read_workbook(Path(path), load_grids(Path(path)))
        reason = (f"sheet {hit.name.strip()!r} carries ICE detention-statistics section titles; "
                  f"read {len(book.sheets_read)} sheets, {len(book.tables)} sections")
        return DetentionStatsPlan(Path(path), book, reason)


SOURCE = DetentionStatsSource()
