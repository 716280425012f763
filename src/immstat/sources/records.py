"""Turn raw text batches into canonical Arrow batches plus reject records, for one spec.

Row accounting is exact: every data row of a sheet ends up either in the canonical batch or in
the rejects (one reason per row, the first that applies). Cell-level problems in optional
columns (unreadable values, redactions) null the cell and are counted per column.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc

from immstat.sources.manifest import SourceSpec
from immstat.sources.normalize import clean_text, convert_column
from immstat.sources.rawfile import RawSheet

REJECT_SCHEMA = pa.schema([
    ("row_number", pa.int64()), ("sheet", pa.string()), ("column", pa.string()),
    ("reason", pa.string()), ("raw_value", pa.string()),
])
MAX_RAW_IN_REJECT = 300


@dataclass
class ColumnStats:
    raw_name: str
    redacted: int = 0
    unreadable: int = 0
    null: int = 0


@dataclass
class ConvertedBatch:
    rows: pa.Table  # canonical columns + source_row
    rejects: pa.Table  # REJECT_SCHEMA


@dataclass
class SheetConversion:
    """Streams a sheet's canonical batches; counts stats while it goes."""

    spec: SourceSpec
    sheet: RawSheet
    positions: dict[str, int]
    stats: dict[str, ColumnStats] = field(default_factory=dict)
    reasons: Counter = field(default_factory=Counter)
    unloaded: dict[int, ColumnStats] = field(default_factory=dict)  # header columns not mapped

    def __post_init__(self) -> None:
        header = self.sheet.header()
        self.stats = {c: ColumnStats(header[i]) for c, i in self.positions.items()}
        mapped = set(self.positions.values())
        self.unloaded = {i: ColumnStats(h) for i, h in enumerate(header) if h and i not in mapped}
        self._header_keys = [str(h).strip().lower() for h in header]

    def batches(self, batch_rows: int = 200_000) -> Iterator[ConvertedBatch]:
        for first_row, raw in self.sheet.batches(batch_rows):
            yield self._convert(first_row, raw)
        if self.sheet.bad_rows:
            yield ConvertedBatch(self.spec_empty(), self._bad_rows_table())

    def spec_empty(self) -> pa.Table:
        return canonical_schema(self.spec).empty_table()

    def _bad_rows_table(self) -> pa.Table:
        bad = self.sheet.bad_rows
        self.reasons.update(b.reason for b in bad)
        return pa.table({
            "row_number": [b.row_number for b in bad], "sheet": [self.sheet.name] * len(bad),
            "column": [None] * len(bad), "reason": [b.reason for b in bad],
            "raw_value": [None] * len(bad),  # the raw line holds every column, identifiers too
        }, schema=REJECT_SCHEMA)

    def _convert(self, first_row: int, raw: pa.Table) -> ConvertedBatch:
        n = raw.num_rows
        row_numbers = pa.array(range(first_row, first_row + n), pa.int64())
        reject_reason = pa.nulls(n, pa.string())
        reject_column = pa.nulls(n, pa.string())
        reject_raw = pa.nulls(n, pa.string())

        def flag(mask: pa.Array, reason: str, column: str | None, raw_col: pa.Array | None):
            nonlocal reject_reason, reject_column, reject_raw
            mask = pc.and_(pc.fill_null(mask, False), pc.is_null(reject_reason))
            reject_reason = pc.if_else(mask, reason, reject_reason)
            if column is not None:
                reject_column = pc.if_else(mask, column, reject_column)
            if raw_col is not None:
                clipped = pc.utf8_slice_codeunits(raw_col, 0, MAX_RAW_IN_REJECT)
                reject_raw = pc.if_else(mask, clipped, reject_raw)

        for name, mask in self._uncalculated(first_row, n):
            flag(mask, f"formula without a saved result in {name}", name, None)
        texts = [pc.utf8_trim_whitespace(raw.column(i)) for i in range(raw.num_columns)]
        blank_row = _all_blank(texts, n)
        flag(blank_row, "blank row", None, None)
        flag(self._repeated_header(texts, n), "repeated header row", None, None)

        columns: dict[str, pa.Array] = {}
        converted = {}
        for col in self.spec.columns:
            pos = self.positions.get(col.canonical)
            if pos is None or pos >= raw.num_columns:
                columns[col.canonical] = pa.nulls(n, canonical_type(col.type))
                continue
            raw_col = raw.column(pos)
            conv = convert_column(raw_col, col.type, col.max_length)
            columns[col.canonical] = conv.values
            if col.row_required:
                name = self.stats[col.canonical].raw_name
                blank = pc.and_(pc.is_null(conv.values), pc.invert(conv.bad))
                flag(pc.and_(blank, conv.redacted), f"redacted {name}", name, raw_col)
                flag(blank, f"blank {name}", name, None)
                flag(conv.bad, f"unreadable or impossible {name}", name, raw_col)
            converted[col.canonical] = conv

        keep = pc.is_null(reject_reason)
        for canonical, conv in converted.items():
            self._count(canonical, conv, keep)
        self._count_unloaded(raw, keep)
        rows = pa.table({**columns, "source_row": row_numbers}, schema=canonical_schema(self.spec))
        rows = rows.filter(keep)
        dropped = pc.invert(keep)
        rejects = pa.table({
            "row_number": row_numbers, "sheet": pa.array([self.sheet.name] * n, pa.string()),
            "column": reject_column, "reason": reject_reason, "raw_value": reject_raw,
        }, schema=REJECT_SCHEMA).filter(dropped)
        self.reasons.update(rejects.column("reason").to_pylist())
        return ConvertedBatch(rows, rejects)

    def _uncalculated(self, first_row: int, n: int) -> list[tuple[str, pa.Array]]:
        """(raw column name, row mask) for loaded columns holding formulas with no saved result."""
        out = []
        for canonical, pos in self.positions.items():
            rows = {r - first_row for r, cols in self.sheet.formula_cells.items()
                    if pos in cols and first_row <= r < first_row + n}
            if rows:
                out.append((self.stats[canonical].raw_name,
                            pa.array([i in rows for i in range(n)], pa.bool_())))
        return out

    def _repeated_header(self, texts: list[pa.Array], n: int) -> pa.Array:
        matches = pa.array([0] * n, pa.int64())
        for i, key in enumerate(self._header_keys):
            if key and i < len(texts):
                hit = pc.fill_null(pc.equal(pc.utf8_lower(texts[i]), key), False)
                matches = pc.add(matches, pc.cast(hit, pa.int64()))
        return pc.greater_equal(matches, max(2, min(5, len(self.positions))))

    def _count_unloaded(self, raw: pa.Table, live: pa.Array) -> None:
        """Redactions and blanks in columns ImmStat does not load (e.g. redacted birth dates)."""
        for pos, stat in self.unloaded.items():
            if pos < raw.num_columns:
                text, redacted = clean_text(raw.column(pos))
                stat.redacted += pc.sum(pc.and_(redacted, live)).as_py() or 0
                stat.null += pc.sum(pc.and_(pc.is_null(text), live)).as_py() or 0

    def _count(self, canonical: str, conv, live: pa.Array) -> None:
        stat = self.stats[canonical]
        stat.redacted += pc.sum(pc.and_(conv.redacted, live)).as_py() or 0
        stat.unreadable += pc.sum(pc.and_(conv.bad, live)).as_py() or 0
        stat.null += pc.sum(pc.and_(pc.is_null(conv.values), live)).as_py() or 0


def _all_blank(texts: list[pa.Array], n: int) -> pa.Array:
    blank = pa.array([True] * n)
    for text in texts:
        empty = pc.fill_null(pc.equal(text, ""), True)
        blank = pc.and_(blank, empty)
    return blank


_ARROW_TYPES = {
    "date": pa.date32(), "timestamp": pa.timestamp("s"), "int": pa.int64(), "float": pa.float64(),
    "yes_no": pa.bool_(),
}


def canonical_type(value_type: str) -> pa.DataType:
    return _ARROW_TYPES.get(value_type, pa.string())


def canonical_schema(spec: SourceSpec) -> pa.Schema:
    fields = [pa.field(c.canonical, canonical_type(c.type)) for c in spec.columns]
    return pa.schema([*fields, pa.field("source_row", pa.int64())])
