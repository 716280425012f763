"""Per-field-office pace for a per-office target: whole months of released office totals.

Real series first: ICE's ERO statistics publish arrests per field office per month
(``ero_stats_arrests``, FY2021 to FY2025 Q1); where they cover the target's whole months they are
used. Otherwise the record-derived office-by-month cells (``arrests`` from the protected release)
are used. A suppressed office-month is never read as zero: that office's pace is unknown
(``per_day`` None), listed after the offices with a figure. Per day = the office's total over the
days its months cover (to the data end), the same as the map and the cards.
"""

from __future__ import annotations

import datetime as dt

from immstat.core import reference
from immstat.core.calendar import month_end, next_month
from immstat.core.errors import QueryError, WarehouseError
from immstat.metrics import Result

REAL_SERIES = "ero_stats_arrests"
RECORD_SERIES = "arrests"


def office_pace(wh, start: dt.date, end: dt.date, rate: float) -> tuple[list[dict], Result] | None:
    """Ranking rows (best first, unknown last) and the Result read; None when nothing covers it."""
    first = start if start.day == 1 else next_month(start)
    last = end if end == month_end(end) else end.replace(day=1) - dt.timedelta(days=1)
    last = max(last, month_end(first))  # under one whole month: the first month, to the data end
    for metric in (REAL_SERIES, RECORD_SERIES):
        try:
            result = wh.query(metric, by=["aor"], date_from=first, date_to=last)
        except (QueryError, WarehouseError):  # not in this install, or no release to read
            continue
        if result.table.num_rows and any(v is not None for v in result.table.column("value").to_pylist()):
            return _rows(result, rate), result
    return None


def _rows(result: Result, rate: float) -> list[dict]:
    names = {row["code"]: row["name"] for row in reference.aors()}
    cells = {c["aor"]: c for c in result.table.to_pylist()}
    rows = []
    for aor in sorted(set(names) | {a for a in cells if a}):
        cell = cells.get(aor)
        per_day = None
        if cell is not None and cell["value"] is not None and not cell["suppressed"]:
            days = (cell["period_end"] - cell["period_start"]).days + 1
            per_day = cell["value"] / days
        rows.append({"aor": aor, "name": names.get(aor, aor), "per_day": per_day,
                     "target_per_day": rate,
                     "share_of_target": per_day / rate if per_day is not None else None,
                     "meets": per_day >= rate if per_day is not None else None,
                     "suppressed_cells": int(bool(cell and cell["suppressed"])),
                     "series": result.metric.name, "synthetic": result.synthetic})
    return sorted(rows, key=lambda r: (r["per_day"] is None, -(r["per_day"] or 0.0)))
