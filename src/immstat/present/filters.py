"""Page filters from the URL: fiscal year, month, choices from a closed list.

Bad or missing values never fail a page: they fall back to a default and say so in a notice,
so a shared link with a stale parameter still opens.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from immstat.core.calendar import fiscal_year, fy_bounds, fy_months, is_fy_end, month_end
from immstat.present.panels import Panel


@dataclass
class Filters:
    """What the page shows, plus the notices about values that were replaced."""

    values: dict = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)

    def choose(self, name: str, raw: str | None, allowed: list, default):
        """``raw`` if it is one of ``allowed`` (compared as text), else ``default`` (+ notice)."""
        if raw in (None, ""):
            self.values[name] = default
            return default
        for option in allowed:
            if str(option) == raw:
                self.values[name] = option
                return option
        instead = f"showing {default}" if default not in (None, "") else "ignored it"
        self.notices.append(f"{name}={raw[:40]!r} is not available here; {instead}.")
        self.values[name] = default
        return default


def fiscal_years(panel: Panel) -> list[int]:
    """Fiscal years present in a ``grain="fy"`` panel, newest first."""
    if panel.result is None or "fiscal_year" not in panel.result.columns:
        return []
    return sorted({int(y) for y in panel.result.table.column("fiscal_year").to_pylist()}, reverse=True)


def fy_value(panel: Panel, fy: int) -> float | None:
    """The value of one fiscal year in a ``grain="fy"`` panel (None if absent or suppressed)."""
    if panel.result is None:
        return None
    for row in panel.result.table.to_pylist():
        if row.get("fiscal_year") == fy:
            return row["value"]
    return None


def fy_window(fy: int, years: int = 1) -> dict:
    """Query parameters covering ``years`` fiscal years ending with ``fy``."""
    return {"date_from": fy_bounds(fy - years + 1)[0], "date_to": fy_bounds(fy)[1]}


def months_of(fy: int) -> list[str]:
    """'YYYY-MM' of the twelve months of a fiscal year, October first."""
    return [f"{m:%Y-%m}" for m in fy_months(fy)]


def month_window(month: str) -> dict:
    """Query parameters for one calendar month 'YYYY-MM' (first to last day)."""
    first = dt.date.fromisoformat(f"{month}-01")
    return {"date_from": first, "date_to": month_end(first)}


def last_period(panel: Panel) -> dt.date | None:
    """The latest period with a value in a panel with a time grain."""
    if panel.result is None:
        return None
    col = next((c for c in ("date", "week", "month") if c in panel.result.columns), None)
    periods = [p for p in panel.result.table.column(col).to_pylist() if p] if col else []
    return max(periods) if periods else None


def partial_fy(panel: Panel, fy: int) -> dt.date | None:
    """If a monthly panel's data stop before the end of ``fy``, the last month it covers."""
    last = last_period(panel)
    if last is None or fiscal_year(last) != fy or is_fy_end(last):
        return None
    return last


def pick_fy(f: Filters, raw: str | None, panel: Panel) -> tuple[int | None, list[int]]:
    """The requested fiscal year if ``panel`` (a ``grain="fy"`` query) has it, else the newest."""
    years = fiscal_years(panel)
    return f.choose("fy", raw, years, years[0] if years else None), years
