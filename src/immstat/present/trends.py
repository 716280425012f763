"""Trend charts as pages show them: the chart, its partial newest month marked, the figures the
latest release revised marked, and the notes that say so under the chart.

The numbers come from the panel's Result; the marks are layers added to its spec
(:mod:`immstat.present.overlays`) and the notes are plain sentences (the chart's text twin).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from immstat.core.formats import day_label, month_label
from immstat.metrics import Warehouse
from immstat.present import charts
from immstat.present.overlays import Mark, mark_periods
from immstat.present.panels import Panel
from immstat.present.periods import partial_month
from immstat.present.releases import Changes, release_day

CRIMINALITY_NOTE = ("Criminality as ICE records it: convicted — convicted of a crime; pending — "
                    "criminal charges pending; other — neither (ICE's 'other immigration "
                    "violators').")


def trend(wh: Warehouse, panel: Panel, changes: Changes | None = None,
          chart: Callable[..., dict] = charts.line, *args: Any) -> Panel:
    """Draw ``panel`` with ``chart`` (a line by default) and mark and note what is partial,
    revised, or short of ICE's annual totals."""
    panel.draw(chart, *(args or (panel.title,)))
    if panel.result is None:
        return panel
    marks = _partial(wh, panel)
    if changes is not None:
        revised = changes.marks(panel)
        if revised:
            panel.notes.append(revised_note(changes, revised))
        marks += revised
    shares = ", ".join(f"FY{c['fiscal_year']} {c['share']:.0%}" for c in panel.coverage
                       if c["share"])
    if shares and panel.params.get("where"):
        panel.notes.append("ICE leaves out rows under 10, so these figures fall short of the true "
                           f"counts; nationally, the published rows cover {shares} of ICE's "
                           "annual totals.")
    elif shares:
        panel.notes.append("ICE leaves out rows under 10, so these figures fall short of its annual "
                           f"totals; they cover {shares}.")
    if panel.spec is not None and chart is charts.line:
        panel.spec = mark_periods(panel.spec, marks)
    return panel


def revised_note(changes: Changes, marks: list[Mark]) -> str:
    """'◆ 4 monthly figures (Oct 2025 – Jan 2026) revised in ICE's 9 Apr 2026 release, by at
    most 0.04%.' (each mark's tooltip has the old and new value)."""
    day = release_day(changes.release["release_date"] if changes.release else None)
    months = sorted({m.period for m in marks})
    span = month_label(dt.date.fromisoformat(months[0]))
    if len(months) > 1:
        span += f" – {month_label(dt.date.fromisoformat(months[-1]))}"
    rows = [r for r in changes.revised if f"{r['period']}-01" in months]
    most = max((abs(r["change_pct"]) for r in rows if r["change_pct"] is not None), default=None)
    size = f", by at most {most:.2f}%" if most is not None else ""
    plural = "s" if len(marks) > 1 else ""
    return (f"◆ {len(marks)} monthly figure{plural} ({span}) revised in ICE's {day} release{size}; "
            "point at a diamond for the old and new value.")


def _partial(wh: Warehouse, panel: Panel) -> list[Mark]:
    found = partial_month(wh, panel)
    if found is None or panel.result is None:
        return []
    month, through = found
    panel.notes.append(f"{month_label(month, long=True)} is partial: the data run through "
                       f"{day_label(through)}.")
    series = next((c for c in panel.result.by if c != "month"), None)
    rows = [r for r in panel.result.table.to_pylist() if r["month"] == month and r["value"] is not None]
    label = f"to {through:%-d %b %Y}"
    return [Mark(month.isoformat(), r["value"], "partial", f"{month_label(month)} to date "
                 f"(through {day_label(through)})", label if i == 0 else "",
                 series=r.get(series) if series else None) for i, r in enumerate(rows)]
