"""The rules that turn a raw cell into a canonical value — as data, for the engine to apply.

What a redaction looks like, which whitespace is trimmed, which spellings mean which code, the
earliest plausible date and the Excel epoch live here; ``warehouse/convert.py`` applies them in
DuckDB SQL (``sources`` knows no database). A reader hands the engine each column's *distinct*
raw values (FOIA columns repeat few: dates, codes, categories) through a :class:`ValueConverter`
and spreads the results back by dictionary index, so every distinct value is converted once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import pyarrow as pa

from immstat.core import reference

# ICE writes FOIA exemptions as "(b)(6), (b)(7)(C)", "(b)(6),(b)(7)(c )", "b(6), b(7)c", "(b)(7)(E )" …
REDACTION_PATTERN = (
    r"(?i)^\s*(\(?\s*b\s*\)?\s*\(\s*\d\s*\)\s*(\(\s*[a-z]\s*\)|[a-z])?\s*[,;&/]?\s*(and\s*)?)+$"
)
_REDACTION_RE = re.compile(REDACTION_PATTERN)
# characters trimmed from both ends of a cell (Unicode white space, as Arrow's utf8 trim)
WHITESPACE = ("\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
              "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
EARLIEST_DATE = dt.date(1900, 1, 1)
EXCEL_EPOCH = dt.date(1899, 12, 30)
TEXT = "text"  # value type of a column that is only trimmed and checked for redactions

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


def is_redaction(text: str) -> bool:
    """True if ``text`` is a FOIA exemption marker rather than data."""
    return bool(_REDACTION_RE.match(text or ""))


def lookups() -> dict[str, dict[str, str]]:
    """Value type → {lower-case spelling with single spaces: canonical value}."""
    return {"criminality": CRIMINALITY, "gender": GENDER, "aor": reference.aor_aliases(),
            "state": reference.state_aliases()}


def latest_plausible_date() -> dt.date:
    """Dates after this (tomorrow) are refused as impossible."""
    return dt.date.today() + dt.timedelta(days=1)


@dataclass
class Converted:
    values: pa.Array
    bad: pa.Array  # bool: held text that could not be read
    redacted: pa.Array  # bool: held a redaction marker
    text: pa.Array  # trimmed text; null where blank or redacted


@dataclass
class Request:
    """Raw text values to convert to one value type."""

    raw: pa.Array
    value_type: str
    max_length: int = 500
    latest: dt.date | None = None  # dates after it are impossible (default: tomorrow)


class ValueConverter(Protocol):
    """Converts raw text values to typed values (the engine's job; see warehouse/convert.py).

    Blank and redacted cells become null; ``bad`` marks text that could not be read; dates after
    ``latest`` (default :func:`latest_plausible_date`) or before 1900 are unreadable."""

    def __call__(self, raw: pa.Array, value_type: str, max_length: int = 500,
                 latest: dt.date | None = None) -> Converted: ...

    def many(self, requests: Sequence[Request]) -> list[Converted]: ...
