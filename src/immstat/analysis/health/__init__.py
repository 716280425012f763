"""Data-health checks: declared rules run against the warehouse, stored, and shown.

Public API::

    run_checks(wh, names=None, store=True) -> HealthReport   # run (after every ingest) and store
    last_report(wh) -> HealthReport | None                   # the newest stored run
    CHECKS                                                   # the declared rules, in order

``HealthReport.to_dict()`` is the JSON shape of ``immstat check --format json`` (and of an API
route / the Data health page): ``{"run_id", "run_at", "stored", "counts", "failed", "checks":
[{"name", "title", "rule", "severity", "tolerance", "status", "summary", "evidence",
"synthetic", "run_at"}]}``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from immstat._version import __version__
from immstat.analysis.health.facilities import FACILITY_VS_NATIONAL
from immstat.analysis.health.foia import FOIA_DUPLICATES, FOIA_REMOVALS
from immstat.analysis.health.littles_law import LITTLES_LAW
from immstat.analysis.health.model import SEVERITIES, STATUSES, Check, CheckResult, Outcome
from immstat.analysis.health.published import ERO_STATS_COVERAGE, USBP_BY_PART
from immstat.analysis.health.releases import MONTHS_CONTINUOUS, YTD_BETWEEN_RELEASES
from immstat.core.errors import UnknownName
from immstat.warehouse.health_store import latest_run, save_run

CHECKS: tuple[Check, ...] = (
    YTD_BETWEEN_RELEASES, MONTHS_CONTINUOUS, LITTLES_LAW, FACILITY_VS_NATIONAL,
    ERO_STATS_COVERAGE, USBP_BY_PART, FOIA_DUPLICATES, FOIA_REMOVALS,
)


@dataclass
class HealthReport:
    run_id: str
    run_at: dt.datetime
    checks: list[dict]
    stored: bool = False

    @property
    def counts(self) -> dict[str, int]:
        return {s: sum(c["status"] == s for c in self.checks) for s in STATUSES}

    @property
    def failed(self) -> dict[str, int]:
        """Failed checks per severity."""
        return {s: sum(c["status"] == "fail" and c["severity"] == s for c in self.checks)
                for s in SEVERITIES}

    def to_dict(self) -> dict:
        return {"run_id": self.run_id, "run_at": self.run_at.isoformat(timespec="seconds"),
                "stored": self.stored, "counts": self.counts, "failed": self.failed,
                "checks": self.checks}


def run_checks(wh, names: list[str] | None = None, store: bool = True) -> HealthReport:
    """Run the checks (all, or those named) and store the run unless the warehouse is read-only."""
    known = {c.name: c for c in CHECKS}
    for name in names or []:
        if name not in known:
            raise UnknownName("check", name, known)
    chosen = [known[n] for n in names] if names else list(CHECKS)
    results: list[CheckResult] = [check(wh) for check in chosen]
    run_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    report = HealthReport(uuid.uuid4().hex[:12], run_at, [r.to_dict() for r in results])
    if store and not getattr(wh, "read_only", False):
        rows = [{**c, "run_id": report.run_id, "run_at": run_at, "position": i,
                 "immstat_version": __version__} for i, c in enumerate(report.checks)]
        save_run(wh.cursor(), rows)
        report.stored = True
    return report


def last_report(wh) -> HealthReport | None:
    """The newest stored run (None if checks never ran on this warehouse)."""
    rows = latest_run(wh.cursor())
    if not rows:
        return None
    checks = [{k: r[k] for k in ("name", "title", "rule", "severity", "tolerance", "status",
                                 "summary", "evidence", "synthetic")}
              | {"run_at": r["run_at"].isoformat(timespec="seconds")} for r in rows]
    return HealthReport(rows[0]["run_id"], rows[0]["run_at"], checks, stored=True)


__all__ = ["CHECKS", "Check", "CheckResult", "HealthReport", "Outcome", "last_report", "run_checks"]
