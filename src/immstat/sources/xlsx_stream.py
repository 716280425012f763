"""Stream the sheets of an xlsx workbook as Arrow text tables, in memory bounded by a block.

A sheet's XML is inflated from the zip in blocks of whole rows (``BLOCK_BYTES``), each block's
cells are parsed at once (``sources/xlsx_cells.py``; consecutive blocks on parallel threads)
and laid out as a table of text columns c0, c1, … (c0 is column A). Nothing holds the whole
sheet: peak memory is a few blocks, whatever the number of rows. The header is found from the
first rows alone (:meth:`SheetStream.preview`).

Rows are numbered as a whole-sheet reader numbers them: row 1 is the first row holding a value.
Rows with no value after the last one holding a value are not data; those holding only formulas
without a saved result are reported (:attr:`SheetStream.bad_rows`) rather than dropped.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from immstat.sources.pending import Pending, concat
from immstat.sources.xlsx_cells import PAD, Cells, Styles, parse_cells, unescape
from immstat.sources.xlsx_guard import NS, PartCounter, check_declared, damaged, sheet_parts, small_part

BLOCK_BYTES = 4 << 20  # of sheet XML per block: ~40,000 cells; a few blocks are held at once
PARSE_THREADS = min(os.cpu_count() or 1, 4)
PREVIEW_BLOCK = 1 << 20
_BUILTIN_DATES = {*range(14, 23), 45, 46, 47}  # m/d/yy … h:mm:ss, mm:ss, [h]:mm:ss, mmss.0


@dataclass
class Workbook:
    path: Path
    sheets: list[tuple[str, str]]  # (sheet name, zip part), in workbook order
    styles: Styles


def open_workbook(path: Path) -> Workbook:
    """Sheet names, shared strings and date styles (the sheets themselves are not read)."""
    try:
        with zipfile.ZipFile(path) as book:
            check_declared(path, book)
            parts = sheet_parts(book)
            styles = Styles(_shared_strings(path, book), _date_styles(book), _date1904(book))
    except zipfile.BadZipFile as exc:
        raise damaged(path, exc) from exc
    return Workbook(Path(path), [(name, part) for part, name in parts.items()], styles)


@dataclass
class SheetStream:
    """One sheet, read as many times as asked, block by block."""

    book: Workbook
    name: str
    part: str
    formula_cells: dict[int, set[int]] = field(default_factory=dict)  # row → columns, no result
    bad_rows: list[tuple[int, str]] = field(default_factory=list)  # (row, reason) past the data

    def preview(self, rows: int) -> list[list[str | None]]:
        """The first ``rows`` rows (from the first row holding a value) as lists of text."""
        tables = []
        for _, table in self._tables(PREVIEW_BLOCK, after=0):
            tables.append(table)
            if sum(t.num_rows for t in tables) >= rows:
                break
        if not tables:
            return []
        head = concat(tables).slice(0, rows)
        return [list(r) for r in zip(*(c.to_pylist() for c in head.columns))]

    def batches(self, after: int, batch_rows: int) -> Iterator[tuple[int, pa.Table]]:
        """(first row number, table) for the rows after row ``after``, ``batch_rows`` at a time
        or fewer; fills :attr:`formula_cells` as it goes and :attr:`bad_rows` at the end."""
        pending: Pending | None = None
        for start, table in self._tables(BLOCK_BYTES, after):
            pending = pending or Pending(batch_rows, start)
            yield from pending.add(table)
        if pending:
            yield from pending.flush()

    def _tables(self, block_bytes: int, after: int) -> Iterator[tuple[int, pa.Table]]:
        """Tables of consecutive rows from the first row holding a value, rows > ``after`` only."""
        origin: int | None = None  # sheet row of row 1
        emitted = 0  # last row number emitted (or skipped as <= after)
        formulas: dict[int, set[int]] = {}
        for cells in _parsed(_blocks(self.book.path, self.part, block_bytes), self.book.styles):
            valued = cells.row[cells.has_value]
            if origin is None and len(valued):
                origin = int(valued.min())
            if origin is None:
                continue
            for r, c in zip(cells.row[cells.formula_missing] - origin + 1,
                            cells.col[cells.formula_missing]):
                if r >= 1:
                    formulas.setdefault(int(r), set()).add(int(c))
            self.formula_cells.update(formulas)
            if not len(valued):
                continue
            last = int(valued.max()) - origin + 1
            start = max(emitted, after) + 1
            if last >= start:
                yield start, _layout(cells, origin + start - 1, last - start + 1)
            emitted = max(emitted, last)
        self.bad_rows = [(r, f"formula without a saved result (column {min(cols) + 1})")
                         for r, cols in sorted(formulas.items()) if r > max(emitted, after)]


def _layout(cells: Cells, first: int, n: int) -> pa.Table:
    """Rows ``first`` … ``first + n - 1`` of ``cells`` as text columns c0 … (column A = c0)."""
    keep = cells.has_value & (cells.row >= first) & (cells.row < first + n)
    rows, cols = cells.row[keep] - first, cells.col[keep]
    width = int(cols.max()) + 1 if len(cols) else 0
    grid = np.full((n, width), -1, np.int64)
    grid[rows, cols] = np.flatnonzero(keep)
    columns = {}
    for c in range(width):
        index = grid[:, c]
        columns[f"c{c}"] = cells.value.take(pa.array(index, mask=index < 0))
    return pa.table(columns) if columns else pa.table({"c0": pa.nulls(n, pa.string())})


def _parsed(blocks: Iterator[tuple[bytes, int]], styles: Styles) -> Iterator[Cells]:
    """Each block's cells, in order; up to ``PARSE_THREADS`` blocks are parsed at once (numpy
    and Arrow release the interpreter lock, so threads use the cores)."""
    with ThreadPoolExecutor(PARSE_THREADS, thread_name_prefix="immstat-xlsx") as pool:
        running: deque[Future[Cells]] = deque()
        for block, end in blocks:
            running.append(pool.submit(parse_cells, block, styles, end))
            if len(running) > PARSE_THREADS:
                yield running.popleft().result()
        while running:
            yield running.popleft().result()


def _blocks(path: Path, part: str, block_bytes: int) -> Iterator[tuple[bytes, int]]:
    """The sheet's rows as (buffer, end): ``buffer[:end]`` holds whole ``<row>`` elements and at
    least ``PAD`` bytes follow it. Counts the bytes inflated (zip-bomb limit)."""
    counter = PartCounter(path, part)
    try:
        with zipfile.ZipFile(path) as book, book.open(part) as stream:
            carry, started = b"", False
            while True:
                chunk = stream.read(block_bytes)
                counter.add(len(chunk))
                data = carry + chunk
                if not started:
                    at = data.find(b"<sheetData")
                    close = data.find(b">", at) if at >= 0 else -1
                    if close < 0:
                        if not chunk:
                            return
                        carry = data
                        continue
                    if data[close - 1:close] == b"/":
                        return  # <sheetData/>: an empty sheet
                    data, started = data[close + 1:], True
                stop = data.find(b"</sheetData>")
                if stop >= 0 or not chunk:
                    stop = len(data) if stop < 0 else stop
                    if data[:stop].strip():
                        yield data, stop
                    return
                cut = data.rfind(b"</row>") + 6
                if cut < 6 or len(data) - cut < PAD:
                    carry = data
                    continue
                yield data, cut
                carry = data[cut:]
    except zipfile.BadZipFile as exc:
        raise damaged(path, exc) from exc


# ---------------------------------------------------------------- workbook parts
_SI = re.compile(rb"<si>(.*?)</si>|<si/>", re.S)
_RUN_TEXT = re.compile(r"<t(?:\s[^>]*)?>(.*?)</t>", re.S)
_PHONETIC = re.compile(r"<rPh\b.*?</rPh>", re.S)


def _shared_strings(path: Path, book: zipfile.ZipFile) -> pa.Array:
    name = next((n for n in book.namelist() if n.lower().endswith("sharedstrings.xml")), None)
    if name is None:
        return pa.array([], pa.string())
    counter = PartCounter(path, name)
    chunks = []
    with book.open(name) as part:
        for chunk in iter(lambda: part.read(1 << 24), b""):
            counter.add(len(chunk))
            chunks.append(chunk)
    items = pa.array(_SI.findall(b"".join(chunks)), pa.binary()).cast(pa.string())
    simple = pc.extract_regex(items, r"^<t(?:\s[^>]*)?>(?P<x>[^<]*)</t>$|^<t\s*/>$")
    text = pc.coalesce(pc.struct_field(simple, "x"),
                       pc.if_else(pc.is_valid(simple), "", pa.scalar(None, pa.string())))
    rich = pc.is_null(text)
    if pc.any(rich).as_py():  # runs of rich text (phonetic guides left out)
        joined = ["".join(_RUN_TEXT.findall(_PHONETIC.sub("", s)))
                  for s in items.filter(rich).to_pylist()]
        text = pc.replace_with_mask(text, rich, pa.array(joined, pa.string()))
    return unescape(text)


def _date_styles(book: zipfile.ZipFile) -> np.ndarray:
    """Per cell style (cellXfs index): does its number format show a date or time?"""
    try:
        root = ElementTree.fromstring(small_part(book, "xl/styles.xml"))
    except (KeyError, ElementTree.ParseError):
        return np.zeros(1, bool)
    custom = {int(f.get("numFmtId", -1)): f.get("formatCode", "")
              for f in root.iterfind("m:numFmts/m:numFmt", NS)}
    flags = [is_date_format(custom[i]) if i in custom else i in _BUILTIN_DATES
             for i in (int(xf.get("numFmtId", 0)) for xf in root.iterfind("m:cellXfs/m:xf", NS))]
    return np.array(flags or [False], bool)


def _date1904(book: zipfile.ZipFile) -> bool:
    try:
        root = ElementTree.fromstring(small_part(book, "xl/workbook.xml"))
    except (KeyError, ElementTree.ParseError):
        return False
    pr = root.find("m:workbookPr", NS)
    return pr is not None and pr.get("date1904", "0").lower() in ("1", "true")


def is_date_format(code: str) -> bool:
    """Whether a number format code shows a date, time or duration (as calamine decides: a
    date/time letter outside quotes, brackets and escapes, in the first section)."""
    escaped = quoted = ampm = hms = False
    brackets, prev = 0, " "
    for ch in code:
        if escaped:
            escaped = False
        elif ch in "_\\":
            escaped = True
        elif quoted:
            quoted = ch != '"'
        elif ch == '"':
            quoted = True
        elif ch == ";":
            return False
        elif ch == "[":
            brackets += 1
        elif ch == "]" and brackets == 1 and hms:
            return True  # a duration: [h]:mm
        elif ch == "]":
            brackets = max(brackets - 1, 0)
        elif ch in "aA" and not ampm and brackets == 0:
            ampm = True
        elif ch in "pm/PM" and ampm and brackets == 0:
            return True
        elif ch in "dmhysDMHYS" and not ampm and brackets == 0:
            return True
        elif not (hms and ch.lower() == prev.lower()):
            hms = prev == "[" and ch in "mhsMHS"
        prev = ch
    return False
