"""Streaming writers for the three formats, each opened once and fed chunk by chunk.

xlsx: banner rows, header, data; a sheet holds at most 1,048,576 rows, so data spills into further
sheets that repeat the banner and header (as ICE does). csv: the same banner lines as rows, then
the header. parquet: no banner rows; the banner goes into schema metadata (``immstat.banner``)
with ``immstat.synthetic = true``.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from immstat.sources.rawfile import BANNER_META_KEY, SYNTHETIC_META_KEY

XLSX_MAX_ROWS = 1_048_576


class Sink(Protocol):
    """A writer fed chunk by chunk: columns plus per-column (row, text) overrides, then closed."""

    def write(self, cols: list, overrides: dict) -> None: ...

    def close(self) -> None: ...


class ParquetSink:
    def __init__(self, path: Path, banner: list[str], header: tuple[str, ...], types: list):
        meta = {BANNER_META_KEY: "\n".join(banner).encode(), SYNTHETIC_META_KEY: b"true"}
        self.schema = pa.schema([pa.field(h, t) for h, t in zip(header, types)], metadata=meta)
        self.writer = pq.ParquetWriter(path, self.schema, compression="zstd")

    def write(self, cols: list, overrides: dict) -> None:
        self.writer.write_table(pa.Table.from_arrays(cols, schema=self.schema))

    def close(self) -> None:
        self.writer.close()


class CsvSink:
    def __init__(self, path: Path, banner: list[str], header: tuple[str, ...], types: list):
        self.handle = path.open("wb")
        text = io.StringIO()
        lines = csv.writer(text, lineterminator="\n")
        for line in banner:
            lines.writerow([line] + [""] * (len(header) - 1))
        lines.writerow(header)
        self.handle.write(text.getvalue().encode("utf-8"))
        self.schema = pa.schema([pa.field(f"c{i}", pa.string()) for i in range(len(header))])
        self.writer = pacsv.CSVWriter(self.handle, self.schema,
                                      write_options=pacsv.WriteOptions(include_header=False))

    def write(self, cols: list, overrides: dict) -> None:
        text = [c.cast(pa.string()) for c in cols]
        self.writer.write_table(pa.Table.from_arrays(text, schema=self.schema))

    def close(self) -> None:
        self.writer.close()
        self.handle.close()


class XlsxSink:
    """xlsxwriter in constant-memory mode: rows are written once, in order."""

    def __init__(self, path: Path, banner: list[str], header: tuple[str, ...], types: list,
                 sheet: str = "Sheet", max_rows: int = XLSX_MAX_ROWS):
        import xlsxwriter

        self.book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        self.book.set_properties({"title": banner[1], "comments": "SYNTHETIC DATA (ImmStat)",
                                  "created": datetime.datetime(2000, 1, 1)})  # same bytes per seed
        self.bold = self.book.add_format({"bold": True})
        self.formats = [self.book.add_format({"num_format": "m/d/yyyy"}) if t == "date" else
                        self.book.add_format({"num_format": "m/d/yyyy h:mm"}) if t == "ts" else None
                        for t in types]
        self.banner, self.header, self.sheet_name = banner, header, sheet[:25]
        self.per_sheet = max_rows - len(banner) - 1
        self.sheets, self.row = 0, self.per_sheet

    def _new_sheet(self) -> None:
        self.sheets += 1
        name = self.sheet_name if self.sheets == 1 else f"{self.sheet_name} ({self.sheets})"
        self.ws = self.book.add_worksheet(name)
        for r, line in enumerate(self.banner):
            self.ws.write_string(r, 0, line)
        self.ws.write_row(len(self.banner), 0, self.header, self.bold)
        self.first_data = len(self.banner) + 1
        self.row = 0

    def write(self, cols: list, overrides: dict) -> None:
        lists = [c.to_pylist() for c in cols]
        for c, pairs in overrides.items():
            for r, text in pairs:
                lists[c][r] = text
        kinds = [(c, self.formats[c]) for c in range(len(lists))]
        for values in zip(*lists):
            if self.row >= self.per_sheet:
                self._new_sheet()
            r = self.first_data + self.row
            ws = self.ws
            for c, fmt in kinds:
                v = values[c]
                if v is None:
                    continue
                if isinstance(v, str):
                    ws.write_string(r, c, v)
                elif fmt is None:
                    ws.write_number(r, c, v)
                else:
                    ws.write_number(r, c, v, fmt)
            self.row += 1

    def close(self) -> None:
        if self.sheets == 0:
            self._new_sheet()
        self.book.close()


SINKS: dict[str, Callable[..., Sink]] = {"parquet": ParquetSink, "csv": CsvSink, "xlsx": XlsxSink}
