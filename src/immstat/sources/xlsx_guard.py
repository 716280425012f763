"""Look inside an xlsx before any spreadsheet parser does: refuse zip bombs.

An xlsx is a zip of XML parts. A few hundred kB can declare gigabytes of shared strings or sheet
XML, and a parser that trusts it runs out of memory. :func:`check_declared` reads the zip's
directory (declared sizes and compression ratios: real workbooks compress 5–35×), so a refusal
costs milliseconds and no memory. ImmStat's own sheet reader (``sources/xlsx_stream.py``) then
counts the bytes it inflates, part by part (:class:`PartCounter`); before a whole-workbook parser
(fastexcel) opens a file, :func:`inspect_xlsx` streams every part through the same counter
(zipfile checks every part's CRC).
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from immstat.core.errors import SourceError

MAX_PART_BYTES = 2 << 30  # one sheet or the shared strings, uncompressed
MAX_TOTAL_BYTES = 4 << 30  # every part together
MAX_RATIO = 100  # uncompressed ÷ compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 1 << 20
_CHUNK = 1 << 20
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}


def damaged(path: Path, exc: Exception) -> SourceError:
    return SourceError(f"{path}: a damaged xlsx ({exc}). Re-download it or save it again from a "
                       "spreadsheet program.")


def inspect_xlsx(path: Path) -> None:
    """Refuse a workbook whose parts would expand too far (declared or actual sizes)."""
    try:
        with zipfile.ZipFile(path) as book:
            check_declared(path, book)
            names = sheet_parts(book)
            for info in book.infolist():
                if info.filename in names or info.filename.endswith("sharedStrings.xml"):
                    counter = PartCounter(path, info.filename)
                    with book.open(info) as part:
                        for chunk in iter(lambda: part.read(_CHUNK), b""):
                            counter.add(len(chunk))
    except zipfile.BadZipFile as exc:
        raise damaged(path, exc) from exc


def check_declared(path: Path, book: zipfile.ZipFile) -> None:
    """Refuse parts whose declared size or compression ratio no spreadsheet has."""
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


class PartCounter:
    """Counts the bytes inflated from one part; refuses the file past ``MAX_PART_BYTES``."""

    def __init__(self, path: Path, part: str):
        self.path, self.part, self.size = path, part, 0

    def add(self, n: int) -> None:
        self.size += n
        if self.size > MAX_PART_BYTES:
            raise SourceError(f"{self.path}: refused — part {self.part} expands past "
                              f"{MAX_PART_BYTES >> 20:,} MB; save the sheet as CSV instead.")


def sheet_parts(book: zipfile.ZipFile) -> dict[str, str]:
    """Zip part of each worksheet → its sheet name, in workbook order (from workbook.xml and its
    relationships)."""
    try:
        workbook = ElementTree.fromstring(small_part(book, "xl/workbook.xml"))
        rels = ElementTree.fromstring(small_part(book, "xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    target = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", NS)}
    out = {}
    for sheet in workbook.iterfind("m:sheets/m:sheet", NS):
        ref = target.get(sheet.get(f"{{{NS['r']}}}id"), "")
        part = ref.lstrip("/") if ref.startswith("/") else posixpath.normpath(f"xl/{ref}")
        out[part] = sheet.get("name", "")
    return out


def small_part(book: zipfile.ZipFile, name: str) -> bytes:
    """A part that must be small (workbook, relationships, styles): refused past 16 MB."""
    info = book.getinfo(name)
    if info.file_size > 16 << 20:
        raise KeyError(name)
    return book.read(info)
