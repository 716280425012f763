"""Publicly stated enforcement targets vs actual pace.

``load_targets(path=None)`` reads the reviewed targets file (bundled or your own);
``pace(wh, targets=None, as_of=None)`` measures each target against the warehouse.
"""

from immstat.analysis.targets.pace import MEASURED, TargetPace, pace
from immstat.analysis.targets.schema import Target, load_targets, office_target

__all__ = ["MEASURED", "Target", "TargetPace", "load_targets", "office_target", "pace"]
