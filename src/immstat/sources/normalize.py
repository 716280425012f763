"""Vectorised raw-text → canonical value conversion (pyarrow.compute, no Python loops per row).

Each converter takes a string array and returns a :class:`Converted`: the typed values and a
mask of cells that held text but could not be read (callers decide: reject the row or null it).
Redaction strings are recognised here, turned into nulls and counted.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import pyarrow as pa
import pyarrow.compute as pc

from immstat.core import reference

# ICE writes FOIA exemptions as "(b)(6), (b)(7)(C)", "(b)(6),(b)(7)(c )", "b(6), b(7)c", "(b)(7)(E )" …
REDACTION_PATTERN = (
    r"(?i)^\s*(\(?\s*b\s*\)?\s*\(\s*\d\s*\)\s*(\(\s*[a-z]\s*\)|[a-z])?\s*[,;&/]?\s*(and\s*)?)+$"
)
_REDACTION_RE = re.compile(REDACTION_PATTERN)
EARLIEST_DATE = dt.date(1900, 1, 1)
EXCEL_EPOCH = dt.date(1899, 12, 30)


def is_redaction(text: str) -> bool:
    """True if ``text`` is a FOIA exemption marker rather than data."""
    return bool(_REDACTION_RE.match(text or ""))


@dataclass
class Converted:
    values: pa.Array
    bad: pa.Array  # bool: held text that could not be read
    redacted: pa.Array  # bool: held a redaction marker


def clean_text(raw: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Trim, turn blanks and redaction markers into null; return (text, redacted mask)."""
    if isinstance(raw, pa.ChunkedArray):
        raw = raw.combine_chunks()
    text = pc.utf8_trim_whitespace(raw.cast(pa.string()))
    redacted = pc.fill_null(pc.match_substring_regex(text, REDACTION_PATTERN), False)
    blank = pc.fill_null(pc.equal(text, ""), True)
    text = pc.if_else(pc.or_(redacted, blank), pa.scalar(None, pa.string()), text)
    return text, redacted


def _bad(text: pa.Array, values: pa.Array) -> pa.Array:
    return pc.and_(pc.is_valid(text), pc.is_null(values))


def to_date(text: pa.Array, latest: dt.date | None = None) -> pa.Array:
    """Parse ISO, US (m/d/Y) and Excel-serial dates; times are dropped; implausible → null."""
    day = pc.replace_substring_regex(text, r"[ T].*$", "")
    iso = _strict_strptime(day, "%Y-%m-%d")
    us = _strict_strptime(_pad_us(day), "%m/%d/%Y")
    parsed = pc.cast(pc.coalesce(iso, us), pa.date32())
    # Excel serials: five digits (1927 onwards); a bare four-digit number is a year, not a date
    serial_txt = pc.if_else(pc.match_substring_regex(text, r"^\d{5}(\.\d+)?$"), text, None)
    serial = pc.cast(pc.floor(pc.cast(serial_txt, pa.float64())), pa.int32())
    epoch_days = (EXCEL_EPOCH - dt.date(1970, 1, 1)).days
    from_serial = pc.cast(pc.add(serial, epoch_days), pa.int32()).view(pa.date32())
    result = pc.coalesce(parsed, from_serial)
    latest = latest or dt.date.today() + dt.timedelta(days=1)
    plausible = pc.and_(
        pc.greater_equal(result, pa.scalar(EARLIEST_DATE)), pc.less_equal(result, pa.scalar(latest))
    )
    return pc.if_else(pc.fill_null(plausible, False), result, pa.scalar(None, pa.date32()))


def _strict_strptime(text: pa.Array, fmt: str) -> pa.Array:
    """strptime that refuses dates it had to roll over (2023-02-30 is not 2023-03-02)."""
    stamp = pc.strptime(text, format=fmt, unit="s", error_is_null=True)
    same = pc.fill_null(pc.equal(pc.strftime(stamp, format=fmt), text), False)
    return pc.if_else(same, stamp, pa.scalar(None, pa.timestamp("s")))


def _pad_us(day: pa.Array) -> pa.Array:
    """'1/3/2012' → '01/03/2012' so strptime's fixed-width %m/%d accept it."""
    day = pc.replace_substring_regex(day, r"^(\d)/", r"0\1/")
    return pc.replace_substring_regex(day, r"^(\d\d)/(\d)/", r"\1/0\2/")


def to_timestamp(text: pa.Array) -> pa.Array:
    """Parse date-times (ISO or US, with optional seconds / AM-PM); date-only → midnight."""
    norm = pc.replace_substring_regex(text, "T", " ")
    tries = [
        pc.strptime(norm, format=f, unit="s", error_is_null=True)
        for f in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")
    ]
    us = _pad_us(norm)
    tries += [
        pc.strptime(us, format=f, unit="s", error_is_null=True)
        for f in ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M:%S %p")
    ]
    stamp = pc.coalesce(*tries)
    as_date = pc.cast(to_date(text), pa.timestamp("s"))
    return pc.coalesce(stamp, as_date)


def to_int(text: pa.Array) -> pa.Array:
    num = pc.if_else(pc.match_substring_regex(text, r"^-?\d+(\.0+)?$"), text, None)
    return pc.cast(pc.cast(num, pa.float64()), pa.int64())


def to_float(text: pa.Array) -> pa.Array:
    stripped = pc.replace_substring_regex(text, r"[,$%]", "")
    num = pc.if_else(
        pc.match_substring_regex(stripped, r"^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"), stripped, None
    )
    return pc.cast(num, pa.float64())


def to_yes_no(text: pa.Array) -> pa.Array:
    low = pc.utf8_lower(text)
    yes = pc.is_in(low, pa.array(["yes", "y", "true", "1"]))
    no = pc.is_in(low, pa.array(["no", "n", "false", "0"]))
    return pc.if_else(yes, True, pc.if_else(no, False, pa.scalar(None, pa.bool_())))


def _lookup(text: pa.Array, mapping: dict[str, str]) -> pa.Array:
    keys = pc.utf8_lower(pc.replace_substring_regex(text, r"\s+", " "))
    table = _mapping_arrays(tuple(sorted(mapping.items())))
    idx = pc.index_in(keys, value_set=table[0])
    return pc.take(table[1], idx)


@lru_cache(maxsize=32)
def _mapping_arrays(items: tuple[tuple[str, str], ...]) -> tuple[pa.Array, pa.Array]:
    return pa.array([k for k, _ in items]), pa.array([v for _, v in items])


CRIMINALITY = {
    "1 convicted criminal": "convicted",
    "convicted criminal": "convicted",
    "criminal conviction": "convicted",
    "convicted": "convicted",
    "1": "convicted",
    "2 pending criminal charges": "pending",
    "pending criminal charges": "pending",
    "pending": "pending",
    "2": "pending",
    "3 other immigration violator": "other",
    "other immigration violator": "other",
    "other": "other",
    "3": "other",
}
GENDER = {
    "male": "male",
    "m": "male",
    "female": "female",
    "f": "female",
    "unknown": "unknown",
    "u": "unknown",
    "x": "unknown",
}


def convert(text: pa.Array, value_type: str, max_length: int = 500) -> pa.Array:
    """Typed values for already-cleaned text (see :func:`clean_text`)."""
    if value_type == "date":
        return to_date(text)
    if value_type == "timestamp":
        return to_timestamp(text)
    if value_type == "int":
        return to_int(text)
    if value_type == "float":
        return to_float(text)
    if value_type == "yes_no":
        return to_yes_no(text)
    if value_type == "criminality":
        return _lookup(text, CRIMINALITY)
    if value_type == "gender":
        return _lookup(text, GENDER)
    if value_type == "aor":
        return _lookup(text, reference.aor_aliases())
    if value_type == "state":
        return _lookup(text, reference.state_aliases())
    if value_type == "county_fips":
        return pc.if_else(pc.match_substring_regex(text, r"^\d{5}$"), text, None)
    if value_type == "code":
        return pc.utf8_upper(_within_length(text, max_length))
    return _within_length(text, max_length)


def _within_length(text: pa.Array, max_length: int) -> pa.Array:
    too_long = pc.fill_null(pc.greater(pc.utf8_length(text), max_length), False)
    return pc.if_else(too_long, pa.scalar(None, pa.string()), text)


def convert_column(raw: pa.Array, value_type: str, max_length: int = 500) -> Converted:
    """Clean + convert one raw column; ``bad`` marks text that could not be read.

    FOIA columns repeat few distinct values (dates, codes, categories), so each distinct value is
    converted once and the results are spread back by dictionary index."""
    if isinstance(raw, pa.ChunkedArray):
        raw = raw.combine_chunks()
    raw = raw.cast(pa.string())
    encoded = raw.dictionary_encode()
    if len(encoded.dictionary) * 4 > len(raw):
        return _convert_text(raw, value_type, max_length)
    unique = _convert_text(encoded.dictionary, value_type, max_length)
    index = encoded.indices
    return Converted(
        values=pc.take(unique.values, index),
        bad=pc.fill_null(pc.take(unique.bad, index), False),
        redacted=pc.fill_null(pc.take(unique.redacted, index), False),
    )


def _convert_text(raw: pa.Array, value_type: str, max_length: int) -> Converted:
    text, redacted = clean_text(raw)
    values = convert(text, value_type, max_length)
    return Converted(values=values, bad=_bad(text, values), redacted=redacted)
