"""The two interfaces every source implements, as :class:`typing.Protocol` classes.

A :class:`Source` (a registry entry) looks at a file's sheets and either claims the file — by
its content: banner, sheet names, header row — returning a :class:`SourcePlan`, or returns None.
The warehouse's ingest knows sources only through these two protocols.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyarrow as pa

from immstat.sources.normalize import ValueConverter
from immstat.sources.rawfile import RawSheet
from immstat.sources.records import BATCH_ROWS, ConvertedBatch

# (canonical column or "table.column", raw header name, redacted, unreadable, null) per column
ColumnStat = tuple[str, str, int, int, int]


@runtime_checkable
class SourcePlan(Protocol):
    """What ingest will do with one file."""

    path: Path
    reason: str  # why this source claimed the file

    @property
    def kind(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def licence(self) -> str: ...
    @property
    def record_level(self) -> bool: ...
    @property
    def replace_policy(self) -> str: ...  # 'replace_older' | 'keep_releases'
    @property
    def dataset(self) -> str: ...  # releases of one dataset replace each other
    @property
    def person_column(self) -> str | None: ...
    @property
    def date_columns(self) -> dict[str, str]: ...  # table → column that sets fiscal_year
    @property
    def banner(self) -> list[str]: ...
    @property
    def synthetic(self) -> bool: ...
    @property
    def skipped_sheets(self) -> list[str]: ...

    def destinations(self) -> dict[str, pa.Schema]: ...
    def batches(self, convert: ValueConverter,
                batch_rows: int = BATCH_ROWS) -> Iterator[tuple[str, ConvertedBatch]]: ...
    def release_date(self) -> tuple[dt.date | None, str]: ...  # (date, how it was found)
    def release_scope(self) -> str | None: ...  # e.g. 'FOIA 2019-ICFO-53623'; None: by date
    def stated_period(self) -> tuple[dt.date | None, dt.date | None]: ...  # what the file covers
    def not_provided(self) -> list[str]: ...  # canonical columns the layout does not have
    def column_stats(self) -> list[ColumnStat]: ...


@runtime_checkable
class Source(Protocol):
    """A registry entry: recognises its files and plans their load."""

    @property
    def kind(self) -> str: ...
    @property
    def title(self) -> str: ...

    def tables(self) -> list[tuple[str, pa.Schema, bool]]: ...  # (table, schema, record_level)
    def plan(self, path: Path, sheets: list[RawSheet]) -> SourcePlan | None: ...
