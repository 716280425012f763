"""Claim checker: find numeric claims about immigration enforcement in text and map each one to
the ImmStat metric that can check it. Rules and reviewed tables only; no language models.

    >>> from immstat.analysis.claims import extract, map_claim
    >>> [c.value for c in extract("ICE made more than 1,200 arrests a day in May.")]
    [1200.0]
"""

from __future__ import annotations

from immstat.analysis.claims.extract import extract
from immstat.analysis.claims.lexicon import load_lexicon
from immstat.analysis.claims.mapping import map_claim
from immstat.analysis.claims.models import BOUNDS, Claim, MetricRequest, OutOfScope, Period, Scope

__all__ = [
    "BOUNDS",
    "Claim",
    "MetricRequest",
    "OutOfScope",
    "Period",
    "Scope",
    "extract",
    "load_lexicon",
    "map_claim",
]
