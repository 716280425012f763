"""Custom sources that read through a manifest spec, then reshape the canonical rows.

Some published tables fit a :class:`SourceSpec` for *reading* (header names, types, rejects) but
their destination table needs a step a manifest cannot express: a month built from "fiscal year"
plus "OCT", a wide sector table made long, a snapshot date taken from the file name, a county name
resolved to FIPS. :class:`DerivedSource` is that pairing; it is listed in ``registry.CUSTOM``.

Row accounting: ``derive`` returns (rows, rejects); a reshaping source that makes several rows of
one raw row (wide → long) says so in its title, and counts cells, not raw rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pyarrow as pa

from immstat.sources.header import FilePlan, find_header, plan_for_spec
from immstat.sources.manifest import SourceSpec
from immstat.sources.normalize import ValueConverter
from immstat.sources.rawfile import RawSheet
from immstat.sources.records import BATCH_ROWS, REJECT_SCHEMA, ConvertedBatch

# derive(canonical rows incl. source_row, plan, converter) -> (destination rows incl. source_row,
# rejects); the converter turns text the derivation reads into values by the usual rules
Derive = Callable[[pa.Table, "DerivedPlan", ValueConverter], tuple[pa.Table, pa.Table]]


@dataclass(frozen=True)
class DerivedSource:
    """A manifest spec for reading plus a function that builds the destination table."""

    spec: SourceSpec
    table: str
    schema: pa.Schema  # destination columns + source_row
    derive: Derive
    date_column: str

    kind = property(lambda self: self.spec.kind)
    title = property(lambda self: self.spec.title)

    def tables(self) -> list[tuple[str, pa.Schema, bool]]:
        return [(self.table, self.schema, self.spec.record_level)]

    def plan(self, path: Path, sheets: list[RawSheet]) -> DerivedPlan | None:
        """Claim the file only if a header matches and every required column is present."""
        for sheet in sheets:
            found = find_header(sheet, self.spec)
            if found is not None and all(c.canonical in found
                                         for c in self.spec.columns if c.required):
                base = plan_for_spec(path, sheets, self.spec)
                if base is None:
                    return None
                return DerivedPlan(base.path, base.spec, base.conversions, base.skipped_sheets,
                                   base.reason, self)
        return None


@dataclass
class DerivedPlan(FilePlan):
    """A :class:`FilePlan` whose batches pass through the source's ``derive``."""

    source: DerivedSource | None = None

    @property
    def _derived(self) -> DerivedSource:
        return cast(DerivedSource, self.source)

    @property
    def date_columns(self) -> dict[str, str]:
        return {self._derived.table: self._derived.date_column}

    def destinations(self) -> dict[str, pa.Schema]:
        return {self._derived.table: self._derived.schema}

    def not_provided(self) -> list[str]:
        return []  # the destination is built by ``derive``, not column by column

    def batches(self, convert: ValueConverter,
                batch_rows: int = BATCH_ROWS) -> Iterator[tuple[str, ConvertedBatch]]:
        source = self._derived
        for _, batch in super().batches(convert, batch_rows):
            rows, rejects = source.derive(batch.rows, self, convert)
            yield source.table, ConvertedBatch(
                rows.select(source.schema.names).cast(source.schema),
                pa.concat_tables([batch.rejects, rejects.cast(REJECT_SCHEMA)]))


def rejects_table(rows: Sequence[tuple[int, str, str | None, str, str | None]]) -> pa.Table:
    """Reject records (row_number, sheet, column, reason, raw_value) as an Arrow table."""
    names = REJECT_SCHEMA.names
    return pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)}, schema=REJECT_SCHEMA)
