"""How a page names the record-level history it shows: the fiscal years, the FOIA releases and
what the layout lacks, read from the sources behind its panels (never written into a template,
so a warehouse with another release, or the SYNTHETIC sandbox, is described as it is)."""

from __future__ import annotations

from dataclasses import dataclass

from immstat.core.calendar import fiscal_year
from immstat.metrics import Warehouse
from immstat.present.panels import Panel


@dataclass(frozen=True)
class RecordHistory:
    """What the record-level panels of a page cover."""

    span: str  # "FY2016–FY2019"
    releases: str  # "FOIA release 2019-ICFO-53623", or the files' names
    synthetic: bool
    lacks: tuple[str, ...]  # columns no file of the history provides (e.g. criminality)


def record_history(wh: Warehouse, panels: list[Panel]) -> RecordHistory | None:
    """The history the ``panels`` draw from (the days their cells cover), or None when they
    have no cells."""
    sources = {s["source_id"]: s for p in panels for s in p.sources}
    days = [day for p in panels if p.result is not None and "period_start" in p.result.columns
            for column in ("period_start", "period_end")
            for day in p.result.table.column(column).to_pylist() if day is not None]
    if not sources or not days:
        return None
    first, last = fiscal_year(min(days)), fiscal_year(max(days))
    numbers = wh.foia_numbers()
    named = sorted({numbers[i].removeprefix("FOIA ") for i in sources if i in numbers})
    files = sorted(s["file"] for i, s in sources.items() if i not in numbers)
    releases = ([f"FOIA release{'s' if len(named) > 1 else ''} {', '.join(named)}"] if named else [])
    releases += [", ".join(files)] if files else []
    missing = [set((s["columns_not_provided"] or "").split(",")) for s in sources.values()]
    return RecordHistory(span=f"FY{first}" if first == last else f"FY{first}–FY{last}",
                         releases="; ".join(releases),
                         synthetic=any(bool(s["synthetic"]) for s in sources.values()),
                         lacks=tuple(c for c in ("criminality",) if all(c in m for m in missing)))
