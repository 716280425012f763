"""Published CBP encounter metrics. The publications in ``cbp_encounters_monthly`` overlap and
count different things, so each metric reads exactly one ``series`` and its title says its span:

* ``cbp_encounters`` — CBP Nationwide Encounters (OFO + USBP) by state, FY2020–FY2023;
* ``usbp_encounters`` — Border Patrol by sector, FY2000–FY2020;
* ``usbp_encounters_monthly`` — Border Patrol nationwide, FY2020 to the latest month (CBP's public
  counts via the Deportation Data Project), the only one reaching the current fiscal year.

They are never added together (FY2020 is in all three)."""

from __future__ import annotations

from immstat.metrics.measures import Sum
from immstat.metrics.registry import Metric, register

NOTE = "CBP public data (cbp.gov/newsroom/stats); published counts, not suppressed."


def _series(name: str):
    """One publication's rows, with CBP's column names mapped to ImmStat's dimensions."""
    return lambda t, _backend: t.filter(t.series == name).mutate(citizenship_country=t.citizenship)


register(
    Metric("cbp_encounters", "CBP encounters (nationwide, OFO + USBP), FY2020–FY2023",
           "Southwest, northern and coastal encounters by CBP's Office of Field Operations and "
           "Border Patrol, as published in CBP's Nationwide Encounters data (FY2020–FY2023).",
           "encounters", "cbp_encounters_monthly", Sum("encounters"), "month",
           ("region", "state", "citizenship", "demographic", "title"), record_derived=False,
           derive=_series("cbp_nationwide_encounters"), topic="border", notes=(NOTE,),
           source_kinds=("cbp_nationwide_encounters",)),
    Metric("usbp_encounters", "Border Patrol apprehensions/encounters by sector, FY2000–FY2020",
           "USBP monthly apprehensions (encounters from FY2020) by Border Patrol sector, "
           "FY2000–FY2020.", "encounters", "cbp_encounters_monthly", Sum("encounters"), "month",
           ("sector", "region"), record_derived=False, derive=_series("usbp_sector_encounters"),
           topic="border", mappable=False, notes=(NOTE,), source_kinds=("usbp_sector_encounters",)),
    Metric("usbp_encounters_monthly",
           "Border Patrol encounters, nationwide (southwest + northern + coastal), FY2020 on",
           "USBP encounters per month, nationwide, FY2020 to the latest month published: CBP's "
           "public counts as carried in the Deportation Data Project's cross-reference table "
           "(github.com/deportationdata/cbp, CC0). No breakdown.", "encounters",
           "cbp_encounters_monthly", Sum("encounters"), "month", (), record_derived=False,
           derive=_series("ddp_usbp_monthly_encounters"), topic="border", mappable=False,
           notes=(NOTE, "Source: CBP public data via the Deportation Data Project (CC0 1.0)."),
           source_kinds=("ddp_usbp_monthly_encounters",)),
)
