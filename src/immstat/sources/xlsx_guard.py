"""Look inside an xlsx before any spreadsheet parser does: refuse zip bombs, find formula cells
that have no saved result.

An xlsx is a zip of XML parts. A few hundred kB can declare gigabytes of shared strings or sheet
XML, and a parser that trusts it runs out of memory. :func:`inspect_xlsx` first reads the zip's
directory (declared sizes and compression ratios: real workbooks compress 5–35×), then streams
each sheet and the shared strings through a byte counter (zipfile checks every part's CRC), so a
refusal costs milliseconds and no memory.

The same pass lists formula cells without a cached value (a file written by a program and never
opened in a spreadsheet): ingest rejects their rows with a reason instead of reading them as
blank. Formulas *with* a saved result are read as that result.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from immstat.core.errors import SourceError

MAX_PART_BYTES = 2 << 30  # one sheet or the shared strings, uncompressed
MAX_TOTAL_BYTES = 4 << 30  # every part together
MAX_RATIO = 100  # uncompressed ÷ compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 1 << 20
_CHUNK = 1 << 20
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
_REF = re.compile(r"([A-Z]{1,3})(\d+)")
# a cell with a formula and no value (or an empty one): <c r="B7" …><f>…</f><v></v></c>
_UNCALCULATED = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*>\s*(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)'
                           rb"\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>")

# sheet name → {row: {column, …}} of formula cells without a saved result, numbered as the sheet
# reader numbers them: rows from 1 and columns from 0 at the first cell holding a value
FormulaCells = dict[str, dict[int, set[int]]]


def inspect_xlsx(path: Path) -> FormulaCells:
    """Refuse a workbook whose parts would expand too far; return its uncalculated formulas."""
    try:
        with zipfile.ZipFile(path) as book:
            _check_declared(path, book)
            names = _sheet_parts(book)
            found: FormulaCells = {}
            for info in book.infolist():
                if info.filename in names or info.filename.endswith("sharedStrings.xml"):
                    cells = _scan_part(path, book, info)
                    if cells and info.filename in names:
                        found[names[info.filename]] = cells
            return found
    except zipfile.BadZipFile as exc:
        raise SourceError(f"{path}: a damaged xlsx ({exc}). Re-download it or save it again from "
                          "a spreadsheet program.") from exc


def _check_declared(path: Path, book: zipfile.ZipFile) -> None:
    total = 0
    for info in book.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_PART_BYTES or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            raise SourceError(
                f"{path}: refused — part {info.filename} would expand from "
                f"{info.compress_size:,} to {info.file_size:,} bytes ({ratio:,.0f}×; limits "
                f"{MAX_RATIO}× and {MAX_PART_BYTES >> 20:,} MB). This is not how spreadsheets "
                "compress (a zip bomb?); if the data are real, save them as CSV and ingest that.")
    if total > MAX_TOTAL_BYTES:
        raise SourceError(f"{path}: refused — its parts expand to {total:,} bytes, over the "
                          f"{MAX_TOTAL_BYTES >> 20:,} MB ImmStat reads from one workbook; save "
                          "the sheets as CSV and ingest those.")


def _sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Zip part of each worksheet → its sheet name (from workbook.xml and its relationships)."""
    try:
        workbook = ElementTree.fromstring(_small(book, "xl/workbook.xml"))
        rels = ElementTree.fromstring(_small(book, "xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    target = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    out = {}
    for sheet in workbook.iterfind("m:sheets/m:sheet", _NS):
        ref = target.get(sheet.get(f"{{{_NS['r']}}}id"), "")
        part = ref.lstrip("/") if ref.startswith("/") else posixpath.normpath(f"xl/{ref}")
        out[part] = sheet.get("name", "")
    return out


def _small(book: zipfile.ZipFile, name: str) -> bytes:
    info = book.getinfo(name)
    if info.file_size > 16 << 20:
        raise KeyError(name)
    return book.read(info)


def _scan_part(path: Path, book: zipfile.ZipFile, info: zipfile.ZipInfo) -> dict[int, set[int]]:
    """Stream one part through a byte counter, noting formula cells with no saved result."""
    sheet = info.filename.startswith("xl/worksheets/")
    found: list[tuple[int, int]] = []
    carry = b""
    size = 0
    with book.open(info) as part:
        for chunk in iter(lambda: part.read(_CHUNK), b""):
            size += len(chunk)
            if size > MAX_PART_BYTES:
                raise SourceError(f"{path}: refused — part {info.filename} expands past "
                                  f"{MAX_PART_BYTES >> 20:,} MB; save the sheet as CSV instead.")
            if sheet:
                text = carry + chunk
                cut = text.rfind(b"</c>") + 4  # scan whole cells only; the rest waits
                if b"<f" in text[:cut]:
                    found += [(int(m[2]), _column_index(m[1].decode()))
                              for m in _UNCALCULATED.finditer(text, 0, cut)]
                carry = text[cut:]
    if not found:
        return {}
    first_row, first_col = _first_value(book, info)
    cells: dict[int, set[int]] = {}
    for row, col in found:
        cells.setdefault(row - first_row + 1, set()).add(col - first_col)
    return cells


def _first_value(book: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
    """Row and column of the sheet's first cell holding a value: where its reader starts."""
    rows, cols = [], []
    with book.open(info) as part:
        for element in _cells(part):
            value = element.find("m:v", _NS)
            if (value is not None and (value.text or "").strip()) or \
                    element.find("m:is", _NS) is not None:
                match = _REF.fullmatch(element.get("r", ""))
                if match:
                    rows.append(int(match[2]))
                    cols.append(_column_index(match[1]))
            element.clear()
    return (min(rows), min(cols)) if rows else (1, 0)


def _cells(part) -> Iterator[ElementTree.Element]:
    for _, element in ElementTree.iterparse(part, events=("end",)):
        if element.tag == f"{{{_NS['m']}}}c":
            yield element
        elif element.tag == f"{{{_NS['m']}}}row":
            element.clear()


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1
