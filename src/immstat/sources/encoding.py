"""Which text encoding a CSV uses, and a UTF-8 copy when its bytes are not ASCII-compatible.

Sniffing, in order: a byte-order mark (UTF-8, UTF-16, UTF-32); NUL bytes at every other position
(UTF-16 without a mark); valid UTF-8; Windows-1252 (Excel's "CSV" on Windows). Anything else is
refused with a message naming what was tried. UTF-16/32 files are transcoded once into a
temporary UTF-8 file (deleted when the sheet is), so the CSV reader can skip banner lines by byte
offset and stream as for any other file.
"""

from __future__ import annotations

import codecs
import gzip
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from immstat.core.errors import SourceError

SAMPLE_BYTES = 1 << 20
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
WIDE = ("utf-16", "utf-16-le", "utf-16-be", "utf-32")  # not ASCII-compatible: transcode first


def open_bytes(path: Path, compressed: bool) -> BinaryIO:
    """Binary handle on a text file's bytes (gzip-compressed or not)."""
    return gzip.open(path, "rb") if compressed else path.open("rb")  # type: ignore[return-value]


def sniff_encoding(path: Path, compressed: bool = False) -> str:
    with open_bytes(path, compressed) as handle:
        head = handle.read(SAMPLE_BYTES)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    even, odd = head[0:4096:2], head[1:4096:2]
    if odd and odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even and even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4 and len(head) == SAMPLE_BYTES:  # cut inside a character
            return "utf-8"
    try:
        head.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{path}: the text is not UTF-8, UTF-16 or Windows-1252 (byte 0x{head[exc.start]:02x} "
            f"at offset {exc.start:,} fits none of them). Save it as 'CSV UTF-8' and ingest "
            "that file.") from None


def utf8_copy(path: Path, compressed: bool, encoding: str) -> Path:
    """A temporary UTF-8 copy of a wide-encoded file (the caller deletes it)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    fd, name = tempfile.mkstemp(prefix="immstat-", suffix=".csv")
    try:
        with open_bytes(path, compressed) as src, os.fdopen(fd, "wb") as out:
            for block in iter(lambda: src.read(SAMPLE_BYTES), b""):
                out.write(decoder.decode(block).encode("utf-8"))
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError as exc:
        os.unlink(name)
        raise SourceError(f"{path}: looks like {encoding.upper()} but is not valid {encoding} "
                          f"({exc.reason}); save it as 'CSV UTF-8' and ingest that file.") from None
    return Path(name)
