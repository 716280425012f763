"""Facility-level daily populations (Deportation Data Project) against ICE's national ADP."""

from __future__ import annotations

import datetime as dt
import statistics

from immstat.analysis.health.model import Check, Outcome, pct
from immstat.analysis.revisions.coverage import (
    ADP_METRIC,
    days_published,
    month_length,
    newest_coverages,
)

TOLERANCE = 0.01
DURING_DAY = "detained_population"  # DDP n_detained: anyone held at some time during the day
MIDNIGHT = "detained_midnight"  # DDP n_detained_at_midnight


def _series(wh, metric: str, grain: str) -> tuple[dict, bool]:
    column = "date" if grain == "day" else "month"
    result = wh.query(metric, grain=grain)
    return ({r[column]: r["value"] for r in result.table.to_pylist() if r["value"] is not None},
            result.synthetic)


def compare_month(month: dt.date, ice_adp: float, ice_days: int, during: dict, midnight: dict,
                  tolerance: float = TOLERANCE) -> dict:
    """ICE's ADP for the first ``ice_days`` days of ``month`` against DDP's daily sums for the same
    days: it must lie between the midnight and the during-the-day count (± ``tolerance``)."""
    days = [month + dt.timedelta(days=i) for i in range(ice_days)]
    row = {"month": month.isoformat(), "days": ice_days, "ice_adp": ice_adp}
    held = [d for d in days if d in during]
    if len(held) < len(days):
        return {**row, "status": "skip", "reason": f"DDP covers {len(held)} of {len(days)} days"}
    high = statistics.fmean(during[d] for d in days)
    low = statistics.fmean(midnight[d] for d in days) if all(d in midnight for d in days) else None
    ok = (low is None or ice_adp >= low * (1 - tolerance)) and ice_adp <= high * (1 + tolerance)
    return {**row, "ddp_during_day": high, "ddp_midnight": low,
            "during_day_vs_ice_pct": pct(high - ice_adp, ice_adp),
            "midnight_vs_ice_pct": pct(low - ice_adp, ice_adp) if low is not None else None,
            "status": "pass" if ok else "fail"}


def judge(wh) -> Outcome:
    during, synthetic = _series(wh, DURING_DAY, "day")
    if not during:
        return Outcome.skip("no facility daily population (Deportation Data Project) loaded")
    midnight, _ = _series(wh, MIDNIGHT, "day")
    ice, ice_synthetic = _series(wh, ADP_METRIC, "month")
    covs = newest_coverages(wh)
    first, last = min(during), max(during)
    rows = [compare_month(m, v, days_published(covs, m), during, midnight) for m, v in sorted(ice.items())
            if v and days_published(covs, m) and m.replace(day=month_length(m)) >= first and m <= last]
    judged = [r for r in rows if r["status"] != "skip"]
    if not judged:
        return Outcome.skip("no month where both ICE's ADP and every day of DDP's counts are loaded")
    bad = [r for r in judged if r["status"] == "fail"]
    above = [r["during_day_vs_ice_pct"] for r in judged]
    below = [r["midnight_vs_ice_pct"] for r in judged if r["midnight_vs_ice_pct"] is not None]
    summary = (f"ICE's ADP lies between DDP's midnight and during-the-day counts in "
               f"{len(judged) - len(bad)} of {len(judged)} months ({judged[0]['month'][:7]} to "
               f"{judged[-1]['month'][:7]}): during-the-day runs {min(above):+.1f}% to "
               f"{max(above):+.1f}% against ICE")
    if below:
        summary += f", midnight {max(below):+.1f}% to {min(below):+.1f}%"
    skipped = [r for r in rows if r["status"] == "skip"]
    if skipped:
        summary += "; not compared: " + ", ".join(f"{r['month'][:7]} ({r['reason']})" for r in skipped)
    if bad:
        summary += "; outside: " + ", ".join(f"{r['month'][:7]} (ICE {r['ice_adp']:,.0f}, DDP "
                                             f"{r['ddp_midnight'] or 0:,.0f}–{r['ddp_during_day']:,.0f})"
                                             for r in bad)
    return Outcome.judged(bool(bad), summary + ".", rows, synthetic or ice_synthetic)


FACILITY_VS_NATIONAL = Check(
    "facility_sum_vs_national", "Facility-level populations against ICE's national ADP",
    "Summed over facilities and averaged over a month's days, the Deportation Data Project's daily "
    "population (built from ICE's detention records) should bracket ICE's published national ADP: "
    "DDP's daily count includes anyone held at any time during a day (people booked in and out the "
    "same day, transfers counted once per day), so it runs above ICE's ADP, and its midnight "
    "headcount runs below. Only months whose days DDP covers in full are compared (for ICE's "
    "newest month, the days the release covers).",
    "warning", f"midnight × (1 − {TOLERANCE:.0%}) ≤ ICE ADP ≤ during-the-day × (1 + {TOLERANCE:.0%})",
    judge)
