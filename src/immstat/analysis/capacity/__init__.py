"""Detention capacity from Little's law (L = λ·W), with defaults from real published data.

``capacity(wh, arrests_per_day=…)`` answers one what-if; ``validate_history(wh)`` compares
the law's prediction with published ADP per fiscal year; :mod:`.model` holds the arithmetic.
"""

from immstat.analysis.capacity.history import validate_history
from immstat.analysis.capacity.scenario import CapacityResult, capacity

__all__ = ["CapacityResult", "capacity", "validate_history"]
