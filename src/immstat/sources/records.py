"""Turn raw text batches into canonical Arrow batches plus reject records, for one spec.

Row accounting is exact: every data row of a sheet ends up either in the canonical batch or in
the rejects (one reason per row, the first that applies). Cell-level problems in optional
columns (unreadable values, redactions) null the cell and are counted per column.

Each raw column is dictionary-encoded; the engine (a :class:`ValueConverter`) converts each
*distinct* value once, and every row-level step — blank rows, repeated headers, reject reasons,
counts — is an Arrow ``take`` or mask over the indices: no Python per row. Blank rows at the
very end of a sheet are not data: they are held back until a later row shows they are not last.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from immstat.sources.manifest import SourceSpec
from immstat.sources.normalize import TEXT, Converted, Request, ValueConverter
from immstat.sources.rawfile import RawSheet

REJECT_SCHEMA = pa.schema([
    ("row_number", pa.int64()), ("sheet", pa.string()), ("column", pa.string()),
    ("reason", pa.string()), ("raw_value", pa.string()),
])
MAX_RAW_IN_REJECT = 300
BLANK_ROW = "blank row"
BATCH_ROWS = 100_000  # rows converted at a time: bounds memory, amortises per-batch work


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
class _Column:
    """One raw column of a batch: dictionary indices (nulls point at a last, null entry)."""

    indices: np.ndarray
    dictionary: pa.Array
    raw: pa.Array  # the original cells, for reject raw values
    _counts: np.ndarray | None = None

    @classmethod
    def of(cls, raw: pa.Array) -> _Column:
        raw = raw.combine_chunks() if isinstance(raw, pa.ChunkedArray) else raw
        encoded = raw if pa.types.is_dictionary(raw.type) else raw.dictionary_encode()
        dictionary = pa.concat_arrays([encoded.dictionary.cast(pa.string()),
                                       pa.nulls(1, pa.string())])
        indices = encoded.indices.fill_null(len(dictionary) - 1).to_numpy(zero_copy_only=False)
        return cls(indices.astype(np.int32, copy=False), dictionary, raw)

    def spread(self, per_value: pa.Array) -> pa.Array:
        """A value per row from a value per dictionary entry."""
        return per_value.take(pa.array(self.indices))

    def count(self, per_value: pa.Array, keep: np.ndarray) -> int:
        """Kept rows whose dictionary entry is flagged in ``per_value`` (bool)."""
        if self._counts is None:
            self._counts = np.bincount(self.indices[keep], minlength=len(self.dictionary))
        flags = per_value.fill_null(False).to_numpy(zero_copy_only=False)
        return int(self._counts[flags].sum())


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

    def batches(self, convert: ValueConverter, batch_rows: int = BATCH_ROWS) -> Iterator[ConvertedBatch]:
        held = REJECT_SCHEMA.empty_table()  # blank rows not yet known to precede data
        for first_row, raw in self.sheet.batches(batch_rows):
            batch, last_filled = self._convert(first_row, raw, convert)
            rejects = pa.concat_tables([held, batch.rejects])
            if last_filled is None:  # only blank rows so far
                held, rejects = rejects, rejects.slice(0, 0)
            else:
                after = pc.greater(rejects["row_number"], last_filled)
                held, rejects = rejects.filter(after), rejects.filter(pc.invert(after))
            self.reasons.update(rejects["reason"].to_pylist())
            yield ConvertedBatch(batch.rows, rejects)
        if self.sheet.bad_rows:
            yield ConvertedBatch(canonical_schema(self.spec).empty_table(), self._bad_rows_table())

    def _bad_rows_table(self) -> pa.Table:
        bad = self.sheet.bad_rows
        self.reasons.update(b.reason for b in bad)
        return pa.table({
            "row_number": [b.row_number for b in bad], "sheet": [self.sheet.name] * len(bad),
            "column": [None] * len(bad), "reason": [b.reason for b in bad],
            "raw_value": [None] * len(bad),  # the raw line holds every column, identifiers too
        }, schema=REJECT_SCHEMA)

    def _convert(self, first_row: int, raw: pa.Table, convert: ValueConverter
                 ) -> tuple[ConvertedBatch, int | None]:
        """The batch's rows and rejects, and the number of its last row that is not blank."""
        n = raw.num_rows
        n_cols = raw.num_columns
        columns = [_Column.of(raw.column(i)) for i in range(n_cols)]
        wanted = [c for c in self.spec.columns if self.positions.get(c.canonical, n_cols) < n_cols]
        plain = [i for i in range(n_cols) if i not in {self.positions[c.canonical] for c in wanted}]
        done = convert.many(
            [Request(columns[self.positions[c.canonical]].dictionary, c.type, c.max_length)
             for c in wanted] + [Request(columns[i].dictionary, TEXT) for i in plain])
        typed = {c.canonical: conv for c, conv in zip(wanted, done)}
        texts = {i: conv for i, conv in zip(plain, done[len(wanted):])}  # trimmed text, redactions
        for c in wanted:
            texts.setdefault(self.positions[c.canonical], typed[c.canonical])

        verdict = _Reasons(n)
        for name, mask in self._uncalculated(first_row, n):
            verdict.flag(mask, f"formula without a saved result in {name}", name, None)
        blank, header_hits = self._blank_and_header(columns, texts, n)
        verdict.flag(blank, BLANK_ROW, None, None)
        verdict.flag(header_hits >= max(2, min(5, len(self.positions))), "repeated header row",
                     None, None)
        for spec_col in self.spec.columns:
            conv = typed.get(spec_col.canonical)
            if conv is None or not spec_col.row_required:
                continue
            pos = self.positions[spec_col.canonical]
            name = self.stats[spec_col.canonical].raw_name
            empty = pc.and_(pc.is_null(conv.values), pc.invert(conv.bad))
            verdict.flag(_rows(columns[pos], pc.and_(empty, conv.redacted)), f"redacted {name}",
                         name, pos)
            verdict.flag(_rows(columns[pos], empty), f"blank {name}", name, None)
            verdict.flag(_rows(columns[pos], conv.bad), f"unreadable or impossible {name}", name,
                         pos)
        code, reasons = verdict.code, verdict.reasons

        keep = code < 0
        self._count(columns, texts, typed, keep)
        rows = self._rows_table(first_row, columns, typed, keep)
        rejects = self._rejects_table(first_row, code, reasons, raw)
        filled = np.flatnonzero(~blank | (code >= 0) & (code != verdict.index(BLANK_ROW)))
        last = first_row + int(filled[-1]) if len(filled) else None
        return ConvertedBatch(rows, rejects), last

    def _blank_and_header(self, columns: list[_Column], texts: dict[int, Converted], n: int
                          ) -> tuple[np.ndarray, np.ndarray]:
        """Rows blank in every column; per row, how many cells repeat the header."""
        blank = np.ones(n, bool)
        header_hits = np.zeros(n, np.int64)
        for i, col in enumerate(columns):
            text, redacted = texts[i].text, texts[i].redacted
            blank &= _rows(col, pc.and_(pc.is_null(text), pc.invert(redacted)))
            key = self._header_keys[i] if i < len(self._header_keys) else ""
            if key:
                header_hits += _rows(col, pc.equal(pc.utf8_lower(text), key))
        return blank, header_hits

    def _rows_table(self, first_row: int, columns: list[_Column], typed: dict[str, Converted],
                    keep: np.ndarray) -> pa.Table:
        kept = pa.array(np.flatnonzero(keep))
        schema = canonical_schema(self.spec)
        out = {}
        for col in self.spec.columns:
            conv = typed.get(col.canonical)
            if conv is None:
                out[col.canonical] = pa.nulls(len(kept), canonical_type(col.type))
                continue
            indices = pa.array(columns[self.positions[col.canonical]].indices).take(kept)
            out[col.canonical] = conv.values.take(indices)
        out["source_row"] = pc.add(kept.cast(pa.int64()), first_row)
        return pa.table(out, schema=schema)

    def _rejects_table(self, first_row: int, code: np.ndarray,
                       reasons: list[tuple[str, str | None, int | None]], raw: pa.Table) -> pa.Table:
        parts = []
        for k, (reason, column, pos) in enumerate(reasons):
            where = np.flatnonzero(code == k)
            m = len(where)
            raw_value = pa.nulls(m, pa.string())
            if pos is not None:
                cells = raw.column(pos).take(pa.array(where)).cast(pa.string())
                raw_value = pc.utf8_slice_codeunits(cells, 0, MAX_RAW_IN_REJECT)
            parts.append(pa.table({
                "row_number": pa.array(where + first_row, pa.int64()),
                "sheet": pa.array([self.sheet.name] * m, pa.string()),
                "column": pa.array([column] * m, pa.string()),
                "reason": pa.array([reason] * m, pa.string()), "raw_value": raw_value,
            }, schema=REJECT_SCHEMA))
        if not parts:
            return REJECT_SCHEMA.empty_table()
        return pa.concat_tables(parts).sort_by("row_number")

    def _count(self, columns: list[_Column], texts: dict[int, Converted],
               typed: dict[str, Converted], keep: np.ndarray) -> None:
        """Redacted / unreadable / null cells of kept rows, per column (loaded or not)."""
        for canonical, conv in typed.items():
            col, stat = columns[self.positions[canonical]], self.stats[canonical]
            stat.redacted += col.count(conv.redacted, keep)
            stat.unreadable += col.count(conv.bad, keep)
            stat.null += col.count(pc.is_null(conv.values), keep)
        for pos, stat in self.unloaded.items():
            if pos < len(columns):
                stat.redacted += columns[pos].count(texts[pos].redacted, keep)
                stat.null += columns[pos].count(pc.is_null(texts[pos].text), keep)

    def _uncalculated(self, first_row: int, n: int) -> list[tuple[str, np.ndarray]]:
        """(raw column name, row mask) for loaded columns holding formulas with no saved result."""
        out = []
        for canonical, pos in self.positions.items():
            rows = [r - first_row for r, cols in self.sheet.formula_cells.items()
                    if pos in cols and first_row <= r < first_row + n]
            if rows:
                mask = np.zeros(n, bool)
                mask[rows] = True
                out.append((self.stats[canonical].raw_name, mask))
        return out


def _rows(column: _Column, per_value: pa.Array) -> np.ndarray:
    """Row mask (numpy bool) from a flag per dictionary entry (null = False)."""
    flags = per_value.fill_null(False).to_numpy(zero_copy_only=False)
    return flags[column.indices]


class _Reasons:
    """The first reason that applies to each row: ``code`` indexes ``reasons`` (-1: none)."""

    def __init__(self, n: int):
        self.code = np.full(n, -1, np.int16)
        self.reasons: list[tuple[str, str | None, int | None]] = []  # reason, column, raw position

    def flag(self, mask: np.ndarray, reason: str, column: str | None, pos: int | None) -> None:
        hit = mask & (self.code < 0)
        if hit.any():
            self.code[hit] = len(self.reasons)
            self.reasons.append((reason, column, pos))

    def index(self, reason: str) -> int:
        return next((k for k, r in enumerate(self.reasons) if r[0] == reason), -2)


_ARROW_TYPES = {
    "date": pa.date32(), "timestamp": pa.timestamp("s"), "int": pa.int64(), "float": pa.float64(),
    "yes_no": pa.bool_(),
}


def canonical_type(value_type: str) -> pa.DataType:
    return _ARROW_TYPES.get(value_type, pa.string())


def canonical_schema(spec: SourceSpec) -> pa.Schema:
    fields = [pa.field(c.canonical, canonical_type(c.type)) for c in spec.columns]
    return pa.schema([*fields, pa.field("source_row", pa.int64())])
