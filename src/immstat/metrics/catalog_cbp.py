"""Published CBP encounter metrics. The two publications in ``cbp_encounters_monthly`` overlap
(FY2020) and count different things, so each metric reads exactly one ``series``."""

from __future__ import annotations

from immstat.metrics.measures import Sum
from immstat.metrics.registry import Metric, register

NOTE = "CBP public data (cbp.gov/newsroom/stats); published counts, not suppressed."


def _series(name: str):
    """One publication's rows, with CBP's column names mapped to ImmStat's dimensions."""
    return lambda t, _backend: t.filter(t.series == name).mutate(citizenship_country=t.citizenship)


register(
    Metric("cbp_encounters", "CBP encounters (nationwide, OFO + USBP)",
           "Southwest, northern and coastal encounters by CBP's Office of Field Operations and "
           "Border Patrol, as published in CBP's Nationwide Encounters data (FY2020–FY2023).",
           "encounters", "cbp_encounters_monthly", Sum("encounters"), "month",
           ("region", "state", "citizenship", "demographic", "title"), record_derived=False,
           derive=_series("cbp_nationwide_encounters"), topic="border", notes=(NOTE,)),
    Metric("usbp_encounters", "Border Patrol apprehensions/encounters by sector",
           "USBP monthly apprehensions (encounters from FY2020) by Border Patrol sector, "
           "FY2000–FY2020.", "encounters", "cbp_encounters_monthly", Sum("encounters"), "month",
           ("sector", "region"), record_derived=False, derive=_series("usbp_sector_encounters"),
           topic="border", mappable=False, notes=(NOTE,)),
)
