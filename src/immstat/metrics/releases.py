"""Release-level reads for published metrics that keep every release (``release_filter="latest"``).

``query(..., as_of=D)`` answers from the newest release per fiscal year on or before ``D``; this
module lists which releases exist, so callers can ask ``query(metric, fy=F, as_of=R)`` for each
release ``R`` of fiscal year ``F`` and get that release's figures exactly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from immstat.metrics.registry import Metric, all_metrics, get_metric


@dataclass(frozen=True)
class Release:
    """One published release of one fiscal year of a metric's table."""

    fiscal_year: int
    release_date: dt.date
    source_id: int
    file: str
    sha256: str
    synthetic: bool

    def to_dict(self) -> dict:
        return {"fiscal_year": self.fiscal_year, "release_date": self.release_date.isoformat(),
                "source_id": self.source_id, "file": self.file, "sha256": self.sha256,
                "synthetic": self.synthetic}


def keeps_releases(metric: Metric) -> bool:
    return metric.release_filter == "latest"


def release_metrics() -> list[Metric]:
    """Every registered metric whose table keeps all releases (the ones with a revision history)."""
    return [m for m in all_metrics() if keeps_releases(m)]


def releases(wh, metric: Metric | str, as_of: dt.date | None = None) -> list[Release]:
    """Releases of ``metric``'s table (on or before ``as_of``), oldest first; [] when none loaded."""
    m = get_metric(metric) if isinstance(metric, str) else metric
    if not keeps_releases(m):
        return []
    cutoff = "AND t.release_date <= ?" if as_of else ""
    rows = wh.cursor().execute(
        f'SELECT DISTINCT t.fiscal_year, t.release_date, t.source_id, s.file_name, s.sha256, '
        f's.synthetic FROM "{m.table}" t JOIN sources s USING (source_id) '
        f"WHERE t.release_date IS NOT NULL {cutoff} ORDER BY t.release_date, t.fiscal_year",
        [as_of] if as_of else []).fetchall()
    return [Release(int(fy), day, int(sid), name, sha, bool(syn))
            for fy, day, sid, name, sha, syn in rows]


def by_fiscal_year(found: list[Release]) -> dict[int, list[Release]]:
    """{fiscal year: its releases, oldest first}."""
    out: dict[int, list[Release]] = {}
    for release in found:
        out.setdefault(release.fiscal_year, []).append(release)
    return out
