"""Revision ledger of published figures across releases, and what the latest release changed.

Public API::

    ledger(wh, "detention_stats_adp", fy=2026, by=["arresting_agency"]) -> Ledger
    latest_changes(wh, topic="detention") -> dict     # 'What changed in the latest release'
    release_coverage(wh, 2026, date(2026, 4, 9)) -> Coverage   # data through 4 Apr 2026
"""

from immstat.analysis.revisions.coverage import Coverage, release_coverage
from immstat.analysis.revisions.latest import latest_changes
from immstat.analysis.revisions.ledger import Figure, Ledger, Version, ledger

__all__ = ["Coverage", "Figure", "Ledger", "Version", "latest_changes", "ledger", "release_coverage"]
