"""Published series the data-health checks compare against each other and no page shows yet.

``detained_midnight``: the Deportation Data Project's midnight headcount per facility, summed.
DDP's ``n_detained`` (metric ``detained_population``) counts anyone held at some time during a
day, so it runs above ICE's average daily population; the midnight count runs below it. ICE's
national ADP should lie between the two (see ``analysis/health/facilities.py``).
"""

from __future__ import annotations

from immstat.metrics.measures import DailyMean
from immstat.metrics.registry import FACILITY_LOOKUP, Metric, register

register(
    Metric("detained_midnight", "People in ICE detention at midnight (daily total)",
           "People detained at midnight, summed over facilities (Deportation Data Project daily "
           "population); averaged over the days of longer periods.", "people",
           "facility_daily_population", DailyMean("n_detained_at_midnight"), "date",
           ("aor", "state", "facility_type"), record_derived=False, lookups=(FACILITY_LOOKUP,),
           topic="detention", mappable=False),
)
