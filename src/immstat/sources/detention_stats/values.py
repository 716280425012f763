"""Cell values as published: numbers, months, fiscal years; and the collector of tidy rows.

Numbers are kept as published (float). Deliberate choices, the same in every section:

* an empty cell is a null value (the row is still loaded);
* ``-``, ``--``, ``N/A``, ``NA`` and a lone ``*`` mean "not applicable" in ICE's tables: null;
* footnote marks after a number (``1,234*``) and thousands separators are dropped;
* any other text where a number belongs rejects the tidy row, with the column and raw text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from immstat.core.calendar import FY_START_MONTH

NOT_APPLICABLE = frozenset({"-", "--", "—", "n/a", "na", "*", "**"})
_NUMBER = re.compile(r"^\$?(-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)[*†]*$")
MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_FY = re.compile(r"FY\s*(\d{4}|\d{2})(?!\d)", re.IGNORECASE)


class NotANumber(ValueError):
    """A cell holds text where a number belongs."""


def number(text: str | None) -> float | None:
    """Published number, or None for blank / not-applicable marks; raises NotANumber."""
    if text is None or text.strip().lower() in NOT_APPLICABLE:
        return None
    match = _NUMBER.match(text.strip().replace(",", ""))
    if not match:
        raise NotANumber(text)
    return float(match.group(1))


def month_number(text: str | None) -> int | None:
    """'Oct' / 'October' → 10; anything else → None."""
    key = (text or "").strip().lower()[:3]
    return MONTHS.get(key) if key and (text or "").strip().isalpha() else None


def month_start(fiscal_year: int, month: int) -> dt.date:
    """First day of ``month`` within ``fiscal_year`` (October … September)."""
    return dt.date(fiscal_year - 1 if month >= FY_START_MONTH else fiscal_year, month, 1)


def fiscal_year_in(text: str | None) -> int | None:
    """'Detention FY25' → 2025, 'EOFY2020' → 2020, 'Facilities EOYFY20' → 2020."""
    match = _FY.search(text or "")
    if not match:
        return None
    year = int(match.group(1))
    return year + 2000 if year < 100 else year


def parse_date(text: str | None) -> dt.date | None:
    """ISO ('2025-02-01 00:00:00') or US ('04/02/2026') date, else None."""
    if not text:
        return None
    iso = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text.strip())
    us = re.search(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if us:
            return dt.date(int(us[3]), int(us[1]), int(us[2]))
    except ValueError:
        return None
    return None


@dataclass
class Collector:
    """Tidy rows per table plus rejects; every row read ends up in exactly one of them."""

    rows: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    rejects: list[dict] = field(default_factory=list)

    def add(self, table: str, sheet: str, row_number: int, fields: dict,
            numbers: dict[str, str | None] | None = None) -> None:
        """Add one tidy row; ``numbers`` maps column → raw cell text to read as a number."""
        values = dict(fields)
        for column, raw in (numbers or {}).items():
            try:
                values[column] = number(raw)
            except NotANumber:
                self.reject(sheet, row_number, column, f"{table}: not a number in {column}", raw)
                return
        values["source_row"] = row_number
        self.rows[table].append(values)

    def reject(self, sheet: str, row_number: int, column: str | None, reason: str,
               raw: str | None) -> None:
        self.rejects.append({"row_number": row_number, "sheet": sheet, "column": column,
                             "reason": reason, "raw_value": None if raw is None else raw[:300]})
