"""Fiscal years named in sheet titles, and the collector of tidy rows.

Numbers are kept as published (float), read by :func:`immstat.core.parse.parse_number` (blank and
not-applicable marks are null, footnote marks and separators dropped); any other text where a
number belongs rejects the tidy row, with the column and raw text. Months and dates come from
:mod:`immstat.core.calendar` and :func:`immstat.core.parse.date_in_text`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from immstat.core.parse import NotANumber, parse_number

_FY = re.compile(r"FY\s*(\d{4}|\d{2})(?!\d)", re.IGNORECASE)


def fiscal_year_in(text: str | None) -> int | None:
    """'Detention FY25' → 2025, 'EOFY2020' → 2020, 'Facilities EOYFY20' → 2020."""
    match = _FY.search(text or "")
    if not match:
        return None
    year = int(match.group(1))
    return year + 2000 if year < 100 else year


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
                values[column] = parse_number(raw)
            except NotANumber:
                self.reject(sheet, row_number, column, f"{table}: not a number in {column}", raw)
                return
        values["source_row"] = row_number
        self.rows[table].append(values)

    def reject(self, sheet: str, row_number: int, column: str | None, reason: str,
               raw: str | None) -> None:
        self.rejects.append({"row_number": row_number, "sheet": sheet, "column": column,
                             "reason": reason, "raw_value": None if raw is None else raw[:300]})
