"""Checks across the releases of ICE's detention statistics: the year-to-date ADP between
releases, and each release's months (continuous, newest month's coverage stated)."""

from __future__ import annotations

from immstat.analysis.health.model import Check, Outcome
from immstat.analysis.revisions.coverage import (
    ADP_METRIC,
    WHOLE_DAY_TOLERANCE,
    Coverage,
    month_length,
    release_coverage,
)
from immstat.analysis.revisions.ledger import same
from immstat.metrics.releases import Release, by_fiscal_year, releases

ADDED_DAYS_TOLERANCE = 0.05  # the added days' implied ADP may lie 5% outside the months' range


def _coverages(wh) -> dict[int, list[Coverage]]:
    found: list[Release] = releases(wh, ADP_METRIC)
    return {fy: [release_coverage(wh, fy, r.release_date) for r in rels]
            for fy, rels in by_fiscal_year(found).items()}


def _synthetic(wh) -> bool:
    return any(r.synthetic for r in releases(wh, ADP_METRIC))


def compare_releases(old: Coverage, new: Coverage, tolerance: float = ADDED_DAYS_TOLERANCE) -> dict:
    """Account for the change in year-to-date ADP from ``old`` to ``new`` (same fiscal year).

    Months complete in ``old`` that ``new`` prints differently are *restated*; re-weighting
    ``old``'s year-to-date figure with them gives its restated value; the rest of the change comes
    from the days ``new`` adds, whose implied average population must lie within the range of
    ``new``'s figures for the months holding those days (± ``tolerance``).
    """
    if old.ytd is None or new.ytd is None:
        return {"fiscal_year": new.fiscal_year, "old_release": old.release_date.isoformat(),
                "new_release": new.release_date.isoformat(), "status": "fail", "change": 0.0,
                "reason": "a release prints no year-to-date ADP"}
    later = dict(new.months)
    complete = [(m, v) for m, v in old.months if old.days_of(m) == month_length(m)]
    restated = [{"month": m.isoformat(), "old": v, "new": later[m], "change": later[m] - v}
                for m, v in complete if m in later and not same(v, later[m])]
    days_old, days_new = old.fy_days(), new.fy_days()
    weight = sum(later.get(m, v) * month_length(m) for m, v in complete)
    partial = [(m, v) for m, v in old.months if 0 < old.days_of(m) < month_length(m)]
    weight += sum(v * old.days_of(m) for m, v in partial)
    ytd_restated = weight / days_old if days_old else None
    row = {"fiscal_year": new.fiscal_year, "old_release": old.release_date.isoformat(),
           "new_release": new.release_date.isoformat(), "old_ytd": old.ytd, "new_ytd": new.ytd,
           "change": new.ytd - old.ytd, "restated_months": restated,
           "old_ytd_restated": ytd_restated, "added_days": days_new - days_old,
           "added_days_adp": None, "range": None, "status": "pass"}
    added = days_new - days_old
    if ytd_restated is None or added < 0:
        row["status"] = "fail"
        return row
    if added == 0:
        row["status"] = "pass" if abs(new.ytd - ytd_restated) <= 0.01 else "fail"
        return row
    implied = (new.ytd * days_new - ytd_restated * days_old) / added
    start = old.data_end or old.release_date
    holding = [v for m, v in new.months if new.days_of(m) and m.replace(day=month_length(m)) > start]
    if not holding:
        row["status"] = "fail"
        return row
    lo, hi = min(holding) * (1 - tolerance), max(holding) * (1 + tolerance)
    row.update(added_days_adp=implied, range=[min(holding), max(holding)],
               status="pass" if lo <= implied <= hi else "fail")
    return row


def _describe(row: dict) -> str:
    if "reason" in row:
        return f"FY{row['fiscal_year']} {row['old_release']} → {row['new_release']}: {row['reason']}"
    direction = "fell" if row["change"] < 0 else "rose"
    text = (f"FY{row['fiscal_year']} YTD ADP {direction} {abs(row['change']):,.2f} "
            f"({row['old_ytd']:,.2f} → {row['new_ytd']:,.2f}) from the {row['old_release']} to the "
            f"{row['new_release']} release")
    restated = row["restated_months"]
    if restated:
        effect = row["old_ytd_restated"] - row["old_ytd"]
        months = ", ".join(f"{r['month'][:7]} {r['old']:,.2f} → {r['new']:,.2f}" for r in restated)
        text += f"; ICE restated {len(restated)} earlier month(s) ({months}), moving the YTD {effect:+,.2f}"
    if row["added_days_adp"] is not None:
        text += (f"; the {row['added_days']} added days imply an ADP of {row['added_days_adp']:,.0f} "
                 f"(months {row['range'][0]:,.0f}–{row['range'][1]:,.0f})")
    return text + ("" if row["status"] == "pass" else " — NOT reproducible from the monthly figures")


def judge_ytd(wh) -> Outcome:
    pairs = [(a, b) for covs in _coverages(wh).values() for a, b in zip(covs, covs[1:])]
    if not pairs:
        return Outcome.skip("no fiscal year has two releases of ICE detention statistics loaded")
    rows = [compare_releases(a, b) for a, b in pairs]
    bad = [r for r in rows if r["status"] == "fail"]
    falls = [r for r in rows if r["change"] < 0]
    summary = "; ".join(_describe(r) for r in (bad or falls or rows[-1:]))
    return Outcome.judged(bool(bad), summary + ".", rows, _synthetic(wh))


def judge_months(wh) -> Outcome:
    covs = [c for fy_covs in _coverages(wh).values() for c in fy_covs]
    if not covs:
        return Outcome.skip("no ICE detention statistics loaded")
    rows = []
    for c in covs:
        ok = c.whole and not c.gaps
        rows.append({**c.to_dict(), "status": "pass" if ok else "fail"})
    bad = [r for r in rows if r["status"] == "fail"]
    newest = max(covs, key=lambda c: c.release_date)
    if bad:
        summary = "; ".join(
            f"{r['release_date']} release: " + (f"months missing {', '.join(g[:7] for g in r['gaps'])}"
                                                if r["gaps"] else
                                                f"YTD ADP solves to {r['solved_days']} days of "
                                                f"{(r['last_month'] or '')[:7]}") for r in bad)
    else:
        summary = (f"All {len(rows)} releases run without a gap from October; "
                   f"{newest.sentence()}.")
    return Outcome.judged(bool(bad), summary, rows, _synthetic(wh))


YTD_BETWEEN_RELEASES = Check(
    "ytd_adp_between_releases", "Year-to-date ADP between releases",
    "Between two releases of one fiscal year, the year-to-date average daily population may only "
    "move as the monthly figures explain: months ICE restated (named, old → new) re-weight the "
    "earlier year-to-date figure, and the days added since must imply an average population within "
    "the range of the newer release's months holding those days. A fall is listed with the months "
    "ICE restated; a change the monthly figures cannot reproduce fails.",
    "error", f"implied ADP of the added days within ±{ADDED_DAYS_TOLERANCE:.0%} of the months' range; "
    "with no days added, YTD equal to the restated earlier YTD within 0.01", judge_ytd)

MONTHS_CONTINUOUS = Check(
    "months_continuous", "Months continuous; newest month's coverage",
    "Every release prints a figure for each month from October to its newest month (no gaps), and "
    "its year-to-date ADP is the day-weighted mean of its months with the newest month holding a "
    "whole number of days — which states how many days that month holds (the data end).",
    "error", f"solved days within {WHOLE_DAY_TOLERANCE} of a whole number between 1 and the "
    "month's length", judge_months)
