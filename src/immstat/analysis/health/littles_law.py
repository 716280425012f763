"""Little's law per month: ICE's average daily population against book-ins per day × average
length of stay, all three as ICE publishes them (newest release of each fiscal year)."""

from __future__ import annotations

import statistics

from immstat.analysis.health.model import Check, Outcome, pct
from immstat.analysis.revisions.coverage import ADP_METRIC, days_published, newest_coverages

TOLERANCE = 0.25  # |predicted − published| / published


def _monthly(wh, metric: str) -> tuple[dict, bool]:
    result = wh.query(metric, grain="month")
    return {row["month"]: row["value"] for row in result.table.to_pylist()}, result.synthetic


def predict(adp: float, book_ins: float, alos: float, days: int) -> dict:
    """Little's law L = λW: book-ins per day × mean stay; error against the published ADP."""
    predicted = book_ins / days * alos
    return {"published_adp": adp, "book_ins": book_ins, "alos_days": alos, "days": days,
            "predicted_adp": predicted, "error_pct": pct(predicted - adp, adp)}


def judge(wh) -> Outcome:
    (adp, syn_a), (alos, syn_b), (book_ins, syn_c) = (
        _monthly(wh, m) for m in (ADP_METRIC, "detention_stats_alos", "detention_stats_book_ins"))
    covs = newest_coverages(wh)
    rows = []
    for month in sorted(adp):
        days = days_published(covs, month)
        if not days or not adp[month] or not alos.get(month) or not book_ins.get(month):
            continue
        row = {"month": month.isoformat(), **predict(adp[month], book_ins[month], alos[month], days)}
        row["status"] = "pass" if abs(row["error_pct"]) <= 100 * TOLERANCE else "fail"
        rows.append(row)
    if not rows:
        return Outcome.skip("no month with published ADP, book-ins and ALOS loaded")
    bad = [r for r in rows if r["status"] == "fail"]
    errors = [abs(r["error_pct"]) for r in rows]
    summary = (f"{len(rows) - len(bad)} of {len(rows)} months within ±{TOLERANCE:.0%}; median "
               f"|error| {statistics.median(errors):.1f}%")
    if bad:
        summary += "; outside: " + ", ".join(f"{r['month'][:7]} ({r['error_pct']:+.0f}%)" for r in bad)
    return Outcome.judged(bool(bad), summary + ".", rows, syn_a or syn_b or syn_c)


LITTLES_LAW = Check(
    "littles_law_monthly", "ADP against book-ins × length of stay (Little's law), per month",
    "In a steady state the average daily population equals admissions per day times the average "
    "stay (Little's law). Per month, ICE's published book-ins divided by the days the release covers, "
    "times ICE's published average length of stay, should come close to ICE's published ADP. It "
    "drifts when the population grows or shrinks fast (ICE's ALOS counts people booked out in the "
    "month, so long stays still running are missing), so the tolerance is wide and a breach is a "
    "warning to look at, not proof of an error.",
    "warning", f"±{TOLERANCE:.0%} of the published ADP", judge)
