"""Open xlsx / csv / parquet files as sheets of raw text, streamed in Arrow batches.

Streaming readers only, so memory does not grow with the file: ImmStat's block reader for xlsx
(``sources/xlsx_stream.py``: zip-bomb limits, formulas without a saved result), pyarrow's
streaming CSV reader (encoding sniffed by ``sources/encoding.py``; dictionary-encoded columns)
and parquet row-group batches. Every cell arrives as text (dates as ISO text), so one set of
rules serves all formats.
A :class:`RawSheet` knows its banner (lines above the header), header and rows; it knows
nothing about which source it holds — ``sources/detect.py`` decides that.
"""

from __future__ import annotations

import csv
import io
import os
import weakref
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from immstat.core.errors import SourceError
from immstat.sources.encoding import WIDE, open_bytes, sniff_encoding, utf8_copy
from immstat.sources.pending import Pending
from immstat.sources.xlsx_stream import SheetStream, open_workbook

PREVIEW_ROWS = 60
CSV_BLOCK_BYTES = 16 << 20
SYNTHETIC_META_KEY = b"immstat.synthetic"
BANNER_META_KEY = b"immstat.banner"
GZIP_MAGIC = b"\x1f\x8b"


@dataclass
class BadRow:
    """A physical row the format reader itself could not split into cells."""

    row_number: int
    reason: str


@dataclass
class RawSheet:
    """One sheet (or the whole file for csv/parquet) as rows of text."""

    path: Path
    name: str
    preview: list[list[str | None]]  # first rows, for header detection
    _loader: object = field(repr=False)
    header_row: int | None = None  # 0-based index of the header row in the sheet
    bad_rows: list[BadRow] = field(default_factory=list)
    formula_cells: dict[int, set[int]] = field(default_factory=dict)  # row → columns, no result

    def banner(self) -> list[str]:
        """Text of the rows above the header (non-empty cells joined)."""
        rows = self.preview[: self.header_row or 0]
        return [" ".join(c for c in row if c) for row in rows if any(row)]

    @property
    def header_line(self) -> int:
        """1-based row number of the header (once detected)."""
        assert self.header_row is not None, "detect the header first"
        return self.header_row + 1

    def header(self) -> list[str]:
        assert self.header_row is not None, "detect the header first"
        return [c or "" for c in self.preview[self.header_row]]

    def batches(self, batch_rows: int) -> Iterator[tuple[int, pa.Table]]:
        """Yield (first sheet row number, 1-based; table of text columns c0..cN) below the
        header, in order, ``batch_rows`` rows or fewer at a time."""
        assert self.header_row is not None, "detect the header first"
        yield from self._loader(self, batch_rows)  # type: ignore[operator]


def open_sheets(path: Path) -> list[RawSheet]:
    """Open a file by its content (not its name) and return its sheets."""
    path = Path(path)
    if not path.exists():
        raise SourceError(f"{path}: no such file. Check the path.")
    if path.stat().st_size == 0:
        raise SourceError(f"{path}: the file is empty (0 bytes). Re-download it.")
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic == b"PAR1":
        return [_parquet_sheet(path)]
    if magic[:2] == b"PK":
        return _xlsx_sheets(path)
    if magic == b"\xd0\xcf\x11\xe0":
        raise SourceError(f"{path}: legacy .xls (BIFF) workbook; open it in a spreadsheet and save "
                          "as .xlsx, then ingest that file.")
    if magic[:2] == GZIP_MAGIC:
        return [_csv_sheet(path, compressed=True)]
    if path.suffix.lower() in {".xlsx", ".xlsm", ".parquet"}:
        raise SourceError(f"{path}: named {path.suffix} but is not a valid {path.suffix} file "
                          "(wrong content). Re-download it or rename it to what it really is.")
    return [_csv_sheet(path)]


# ---------------------------------------------------------------- xlsx
def _xlsx_sheets(path: Path) -> list[RawSheet]:
    """Every sheet, with its first rows only; rows are streamed later, block by block."""
    book = open_workbook(path)
    sheets = []
    for name, part in book.sheets:
        stream = SheetStream(book, name, part)
        sheets.append(RawSheet(path, name, stream.preview(PREVIEW_ROWS), _xlsx_loader(stream),
                               formula_cells=stream.formula_cells))
    return sheets


def _xlsx_loader(stream: SheetStream):
    def load(sheet: RawSheet, batch_rows: int) -> Iterator[tuple[int, pa.Table]]:
        yield from stream.batches(sheet.header_line, batch_rows)
        # a row holding only an uncalculated formula, past the last value: reject it
        sheet.bad_rows += [BadRow(row, reason) for row, reason in stream.bad_rows]

    return load


# ---------------------------------------------------------------- csv
def _csv_sheet(path: Path, compressed: bool = False) -> RawSheet:
    encoding = sniff_encoding(path, compressed)
    source = path
    if encoding in WIDE:  # UTF-16/32: read a UTF-8 copy, deleted with the sheet
        source, compressed, encoding = utf8_copy(path, compressed, encoding), False, "utf-8"
    preview: list[list[str | None]] = []
    with open_bytes(source, compressed) as raw:
        sample = raw.read(1 << 18).decode(encoding, errors="replace")[: 1 << 16]
    delimiter = _sniff_delimiter(sample)
    line_ends: list[int] = []  # physical lines read up to the end of each preview row
    reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
    for row in reader:
        if len(preview) >= PREVIEW_ROWS:
            break
        preview.append([c for c in row])
        line_ends.append(reader.line_num)
    if not preview:
        raise SourceError(f"{path}: no rows found. Is this the right file?")
    loader_encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    sheet = RawSheet(path, path.name, preview,
                     _csv_loader(source, loader_encoding, delimiter, compressed, line_ends))
    if source != path:
        weakref.finalize(sheet, os.unlink, source)
    return sheet


def _sniff_delimiter(sample: str) -> str:
    lines = [ln for ln in sample.splitlines()[:PREVIEW_ROWS] if ln.strip()]
    counts = {d: sum(ln.count(d) for ln in lines) for d in (",", "|", "\t", ";")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _csv_loader(source: Path, encoding: str, delimiter: str, compressed: bool = False,
                line_ends: list[int] | None = None):
    def load(sheet: RawSheet, batch_rows: int) -> Iterator[tuple[int, pa.Table]]:
        width = len(sheet.header())
        names = [f"c{i}" for i in range(width)]
        skip = line_ends[sheet.header_line - 1] if line_ends else sheet.header_line
        bad_lines: deque[int] = deque()  # physical line numbers of malformed rows, ascending

        def on_bad(row) -> str:
            number = skip + row.number if row.number and row.number > 0 else 0
            if number:
                bad_lines.append(number)
            sheet.bad_rows.append(BadRow(number, f"malformed row: expected {row.expected_columns} "
                                         f"fields, found {row.actual_columns}"))
            return "skip"

        stream = pa.input_stream(str(source), compression="gzip" if compressed else None)
        stream.read(_byte_offset(source, compressed, skip))  # start right below the header
        text = pa.dictionary(pa.int32(), pa.string())  # repeated values are stored once
        open_reader = lambda: pacsv.open_csv(  # noqa: E731  (opened inside _checked's guard)
            stream,
            # one parsing thread keeps the row numbers of malformed rows (the reader loses them
            # when parsing in parallel); ingest reads ahead in a thread of its own instead
            read_options=pacsv.ReadOptions(column_names=names, encoding=encoding,
                                           block_size=CSV_BLOCK_BYTES, use_threads=False),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                             ignore_empty_lines=False, invalid_row_handler=on_bad),
            convert_options=pacsv.ConvertOptions(column_types={n: text for n in names},
                                                 strings_can_be_null=False),
        )
        line = skip + 1
        pending = Pending(batch_rows, line)
        for batch in _checked(open_reader, sheet.path, encoding, line):
            for start, run in _split_at(line, pa.Table.from_batches([batch]), bad_lines):
                if start != line:  # a malformed line between: row numbers jump
                    yield from pending.flush()
                    pending = Pending(batch_rows, start)
                yield from pending.add(run)
                line = start + run.num_rows
        yield from pending.flush()

    return load


def _checked(open_reader, path: Path, encoding: str, line: int) -> Iterator[pa.RecordBatch]:
    """The reader's batches; undecodable text in the file is a one-line SourceError."""
    reader = None
    while True:
        try:
            reader = reader or open_reader()
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except pa.ArrowInvalid as exc:
            raise SourceError(f"{path}: cannot be read as {encoding} text after line {line:,} "
                              f"({str(exc).splitlines()[0][:120]}); the file mixes encodings or is "
                              "damaged — save it as 'CSV UTF-8' and ingest that file.") from None
        line += batch.num_rows
        yield batch


def _byte_offset(path: Path, compressed: bool, lines: int) -> int:
    """Bytes taken by the first ``lines`` physical lines."""
    with open_bytes(path, compressed) as handle:
        return sum(len(handle.readline()) for _ in range(lines))


def _split_at(line: int, table: pa.Table, bad_lines: deque[int]) -> Iterator[tuple[int, pa.Table]]:
    """Number ``table``'s rows from physical line ``line``, stepping over malformed lines (which
    the CSV reader skipped), so row numbers stay those of the file. Lines inside quoted
    multi-line values are not counted."""
    offset = 0
    while offset < table.num_rows:
        while bad_lines and bad_lines[0] < line:
            bad_lines.popleft()
        if bad_lines and bad_lines[0] == line:
            bad_lines.popleft()
            line += 1
            continue
        run = table.num_rows - offset
        if bad_lines:
            run = min(run, bad_lines[0] - line)
        yield line, table.slice(offset, run)
        offset += run
        line += run


# ---------------------------------------------------------------- parquet
def _parquet_sheet(path: Path) -> RawSheet:
    try:
        schema = pq.read_schema(path)
        text = [f.name for f in schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
        pfile = pq.ParquetFile(path, read_dictionary=text)  # repeated values decoded once
    except Exception as exc:
        raise SourceError(f"{path}: not a readable parquet file ({exc}).") from exc
    meta = pfile.schema_arrow.metadata or {}
    banner = meta.get(BANNER_META_KEY, b"").decode("utf-8").splitlines()
    preview: list[list[str | None]] = [[line] for line in banner]
    preview.append(list(pfile.schema_arrow.names))
    sheet = RawSheet(path, path.name, preview, _parquet_loader(pfile))
    return sheet


def _parquet_loader(pfile: pq.ParquetFile):
    def load(sheet: RawSheet, batch_rows: int) -> Iterator[tuple[int, pa.Table]]:
        row = sheet.header_line + 1
        for batch in pfile.iter_batches(batch_size=batch_rows):
            cols = [_as_text(batch.column(i)) for i in range(batch.num_columns)]
            table = pa.table(cols, names=[f"c{i}" for i in range(len(cols))])
            yield row, table
            row += table.num_rows

    return load


def _as_text(col: pa.Array) -> pa.Array:
    if pa.types.is_dictionary(col.type):
        return pa.DictionaryArray.from_arrays(col.indices, _as_text(col.dictionary))
    if pa.types.is_string(col.type) or pa.types.is_large_string(col.type):
        return col.cast(pa.string())
    if pa.types.is_floating(col.type):
        whole = pc.fill_null(pc.equal(col, pc.floor(col)), False)
        as_int = pc.cast(pc.cast(pc.if_else(whole, col, None), pa.int64()), pa.string())
        return pc.coalesce(as_int, col.cast(pa.string()))
    if pa.types.is_boolean(col.type):
        return pc.if_else(col, "YES", "NO")
    return col.cast(pa.string())
