"""The data-health report as surfaces show it: the newest stored run of the checks (or a run made
now, not stored, on a warehouse where none is stored) plus each source family's freshness.

The JSON shape is ``immstat check --format json``'s: ``HealthReport.to_dict()`` with a
``"freshness"`` list (see :mod:`immstat.analysis.health` and :mod:`immstat.analysis.freshness`).
"""

from __future__ import annotations

from immstat.analysis.freshness import freshness
from immstat.analysis.health import CHECKS, last_report, run_checks
from immstat.metrics import Warehouse
from immstat.present.state import ServeState


def compute(wh: Warehouse) -> dict:
    """The newest stored run if it ran every declared check, else a fresh run (not stored)."""
    stored = last_report(wh)
    if stored is not None and {c["name"] for c in stored.checks} >= {c.name for c in CHECKS}:
        report = stored
    else:
        report = run_checks(wh, store=False)
    return {**report.to_dict(), "freshness": freshness(wh)}


def health_report(state: ServeState) -> dict:
    """:func:`compute` once per served app (the warehouse does not change while served)."""
    return state.memo(("health-report",), compute)
