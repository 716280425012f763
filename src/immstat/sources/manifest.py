"""Declarative description of a source: how to recognise it and how raw columns become canonical.

A :class:`SourceSpec` is data, not code: adding a FOIA layout means adding one entry to
``sources/registry.py`` (or a module it imports), never a new loader class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Literal

# Column value types understood by sources/normalize.py
ValueType = Literal[
    "date", "timestamp", "int", "float", "str", "code", "yes_no",
    "criminality", "aor", "state", "county_fips", "gender",
]
ReplacePolicy = Literal["replace_older", "keep_releases"]
# Header names of columns that identify a person or place them (A-number, birth date, EID ids,
# unique/anonymised identifiers, event numbers, landmarks): never mapped to a canonical column
# except the anonymised identifier (→ HMAC person_key), and never kept raw in ``rejects``.
IDENTIFIER_PATTERN = (r"(?i)birth|alien|\ba[- ]?(number|no|#)\b|\beid\b|identif|identifer|"
                      r"person ?id|subject id|event (number|no)|landmark|\bfins\b|booking")


@lru_cache(maxsize=1 << 14)
def header_key(name: str) -> str:
    """Normalised header text used for matching: lower case, single spaces, no punctuation."""
    return re.sub(r"[^a-z0-9]+", " ", str(name).lower()).strip()


@dataclass(frozen=True)
class Column:
    """One canonical column and the raw header names it may come from."""

    canonical: str
    raw: tuple[str, ...]
    type: ValueType = "str"
    required: bool = False  # the header must contain it
    row_required: bool = False  # a row whose value is blank or unreadable is rejected
    max_length: int = 500  # longer text values are rejected as unreadable

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(header_key(r) for r in self.raw)


@dataclass(frozen=True)
class SourceSpec:
    """A source family: one canonical table fed by files of one published layout."""

    kind: str
    table: str
    title: str
    columns: tuple[Column, ...]
    date_column: str  # canonical column that places a row in time (and in a fiscal year)
    person_column: str | None = None  # raw identifier → salted person_key, never stored raw
    record_level: bool = True
    replace_policy: ReplacePolicy = "replace_older"
    min_header_matches: int = 5  # header row must match at least this many raw names
    licence: str = "US government work (public domain)"
    url: str = ""
    extra_canonical: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def variant(self, kind: str, title: str, raw: dict[str, tuple[str, ...]],
                required: tuple[str, ...], min_header_matches: int) -> SourceSpec:
        """The same canonical columns (hence the same table) read from another published layout.

        ``raw`` gives the header names of each column the layout has; every other column is
        absent from it (null for the whole file, and reported as not provided)."""
        unknown = set(raw) - {c.canonical for c in self.columns}
        if unknown:
            raise ValueError(f"{kind}: no such canonical column(s) {sorted(unknown)}")
        columns = tuple(replace(c, raw=raw.get(c.canonical, ()), required=c.canonical in required,
                                row_required=c.row_required and c.canonical in raw)
                        for c in self.columns)
        return replace(self, kind=kind, title=title, columns=columns,
                       min_header_matches=min_header_matches)

    def column(self, canonical: str) -> Column:
        for col in self.columns:
            if col.canonical == canonical:
                return col
        raise KeyError(canonical)

    def match_header(self, cells: list[str]) -> dict[str, int]:
        """Map canonical name → position for every spec column found in a candidate header row."""
        keys = [header_key(c) if c is not None else "" for c in cells]
        found: dict[str, int] = {}
        for col in self.columns:
            for alias in col.keys:
                if alias in keys:
                    found[col.canonical] = keys.index(alias)
                    break
        return found
