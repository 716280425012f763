"""How numbers, periods and the SYNTHETIC mark read in every output, written once.

Counts get thousands separators (``1,234``); shares are percentages (``45.1%``); a change of a
share is in percentage points (``+1.2 pp``), any other change in per cent (``+3.4%``); a missing
or suppressed value is an em dash. Months read ``Mar 2025`` (short) or ``March 2025`` (long),
days ``1 October 2024``, fiscal years ``FY2025``. Anything computed from synthetic records
carries :data:`SYNTHETIC_NOTE` (or its badge :data:`SYNTHETIC`).
"""

from __future__ import annotations

import datetime as dt

from immstat.core.calendar import MONTH_ABBR, MONTH_NAMES

SYNTHETIC = "SYNTHETIC"
SYNTHETIC_DATA = f"{SYNTHETIC} DATA"
SYNTHETIC_NOTE = f"{SYNTHETIC_DATA}: generated records, not real people or events"
MISSING = "—"
BLANK_LABEL = "not recorded"  # the blank (null / empty) category, in every legend, table and CSV
SHARE_UNIT = "share"


# ------------------------------------------------------------------ numbers
def fmt_count(value: float) -> str:
    """``1234.0`` → ``1,234``."""
    return f"{value:,.0f}"


def fmt_share(value: float, digits: int = 1) -> str:
    """``0.4512`` → ``45.1%``."""
    return f"{value * 100:.{digits}f}%"


def fmt_value(value: float | None, unit: str = "") -> str:
    """A number as people read it: shares as %, small rates with one decimal, counts with commas."""
    if value is None:
        return MISSING
    if unit == SHARE_UNIT:
        return fmt_share(value)
    if abs(value) < 100 and value != int(value):
        return f"{value:,.1f}"
    return fmt_count(value)


def fmt_change(value: float | None, prior: float | None, unit: str = "") -> str | None:
    """Change vs a prior value: percentage points for shares, per cent otherwise (None if unknown)."""
    if value is None or prior is None:
        return None
    if unit == SHARE_UNIT:
        return f"{(value - prior) * 100:+.1f} pp"
    if prior == 0:
        return None
    return f"{(value - prior) / prior * 100:+.1f}%"


# ------------------------------------------------------------------ periods
def month_label(day: dt.date, long: bool = False) -> str:
    """``Mar 2025`` (or ``March 2025`` when ``long``)."""
    return f"{(MONTH_NAMES if long else MONTH_ABBR)[day.month - 1]} {day.year}"


def day_label(day: dt.date) -> str:
    """``1 October 2024``."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def fy_label(fy: int) -> str:
    """``FY2025``."""
    return f"FY{fy}"
