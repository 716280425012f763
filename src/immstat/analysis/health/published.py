"""Published tables against other published figures: ICE's ERO statistics against ICE's annual
totals, and CBP's USBP monthly counts against the FOIA file parts (Deportation Data Project)."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

from immstat.analysis.health.model import Check, Outcome, pct
from immstat.core.calendar import fiscal_year
from immstat.core.reference import annual_totals, read_csv_rows

ERO_FLOOR, ERO_CEILING = 0.70, 1.005
ERO_METRICS = {"ero_administrative_arrests": "ero_stats_arrests", "removals": "ero_stats_removals"}
USBP_METRIC = "usbp_encounters_monthly"
USBP_TOLERANCE = 0.005
BY_PART_FILE = ("reference", "ddp-usbp-monthly-by-part.csv")
# Title 42 expulsions ran 21 Mar 2020 – 11 May 2023: USBP apprehension records leave them out,
# CBP's encounter counts include them, so apprehension parts are not compared in these months.
TITLE_42 = (dt.date(2020, 3, 1), dt.date(2023, 5, 1))


def ero_rows(sums: dict[int, float], months: dict[int, int], published: dict[int, float],
             floor: float = ERO_FLOOR, ceiling: float = ERO_CEILING) -> list[dict]:
    """Per fiscal year: the ERO-statistics sum as a share of ICE's published annual total."""
    rows = []
    for fy in sorted(sums):
        total, n_months = published.get(fy), months.get(fy, 0)
        row = {"fiscal_year": fy, "sum": sums[fy], "published": total, "months": n_months,
               "coverage_pct": None}
        if total is None:
            rows.append({**row, "status": "skip", "reason": "no published annual total held"})
            continue
        row["coverage_pct"] = pct(sums[fy], total)
        if n_months < 12:
            rows.append({**row, "status": "skip", "reason": f"{n_months} of 12 months published"})
            continue
        ok = floor <= sums[fy] / total <= ceiling
        rows.append({**row, "status": "pass" if ok else "fail"})
    return rows


def _per_fy(wh, metric: str) -> tuple[dict[int, float], dict[int, int], bool]:
    yearly = wh.query(metric, grain="fy")
    sums = {r["fiscal_year"]: r["value"] for r in yearly.table.to_pylist()}
    months: dict[int, int] = defaultdict(int)
    for r in wh.query(metric, grain="month").table.to_pylist():
        if r["value"]:
            months[fiscal_year(r["month"])] += 1
    return sums, months, yearly.synthetic


def judge_ero(wh) -> Outcome:
    rows, synthetic = [], False
    for column, metric in ERO_METRICS.items():
        sums, months, fake = _per_fy(wh, metric)
        synthetic |= fake
        rows += [{"measure": metric, **r} for r in ero_rows(sums, months, annual_totals(column))]
    if not rows:
        return Outcome.skip("no ICE ERO statistics loaded")
    bad = [r for r in rows if r["status"] == "fail"]
    parts = [f"{r['measure'].removeprefix('ero_stats_')} FY{r['fiscal_year']} {r['coverage_pct']:.1f}%"
             + ("" if r["status"] != "skip" else f" ({r['reason']})")
             for r in rows if r["coverage_pct"] is not None]
    summary = "ERO statistics cover, of ICE's published annual totals: " + "; ".join(parts)
    return Outcome.judged(bool(bad), summary + ".", rows, synthetic)


def by_part_rows(path: Path | None = None) -> list[dict]:
    """Monthly USBP counts per FOIA file part: the bundled DDP validation table, or a CSV of the
    same layout (series, source_file, month_start, count)."""
    if path is None:
        rows = read_csv_rows(*BY_PART_FILE)
    else:
        with Path(path).open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    return [{"series": r["series"], "file": r["source_file"],
             "month": dt.date.fromisoformat(r["month_start"]), "count": float(r["count"])}
            for r in rows]


def compare_by_part(published: dict[dt.date, float], parts: list[dict],
                    tolerance: float = USBP_TOLERANCE) -> list[dict]:
    """Per series and month: the sum over file parts against CBP's published USBP count."""
    grouped: dict[tuple[str, dt.date], list[dict]] = defaultdict(list)
    for part in parts:
        grouped[(part["series"], part["month"])].append(part)
    rows = []
    for (series, month), items in sorted(grouped.items()):
        total = sum(p["count"] for p in items)
        count = published.get(month)
        row = {"series": series, "month": month.isoformat(), "parts": len(items),
               "files": sorted({p["file"] for p in items}), "by_part": total, "published": count,
               "diff": None if count is None else total - count,
               "diff_pct": pct(total - count, count) if count else None}
        if count is None:
            status, reason = "skip", "no published count for this month"
        elif series == "apprehensions" and TITLE_42[0] <= month <= TITLE_42[1]:
            status, reason = "skip", "Title 42 month: apprehension records leave out expulsions"
        elif len(items) > 1:
            status, reason = "fail", f"counted in {len(items)} file parts (overlap)"
        elif abs(total - count) > tolerance * count:
            status, reason = "fail", f"differs by {row['diff_pct']:+.2f}%"
        else:
            status, reason = "pass", ""
        rows.append({**row, "status": status, "reason": reason})
    return rows


def summarise_by_part(rows: list[dict]) -> tuple[bool, str]:
    texts, failed = [], False
    for series in sorted({r["series"] for r in rows}):
        mine = [r for r in rows if r["series"] == series]
        judged = [r for r in mine if r["status"] != "skip"]
        bad = [r for r in judged if r["status"] == "fail"]
        failed |= bool(bad)
        text = (f"{series}: {len(judged) - len(bad)} of {len(judged)} months match within "
                f"±{USBP_TOLERANCE:.1%}")
        if bad:
            text += " (" + ", ".join(f"{r['month'][:7]} {r['reason']}" for r in bad) + ")"
        skipped = len(mine) - len(judged)
        if skipped:
            text += f", {skipped} not compared"
        texts.append(text)
    return failed, "; ".join(texts)


def judge_usbp(wh) -> Outcome:
    result = wh.query(USBP_METRIC, grain="month")
    published = {r["month"]: r["value"] for r in result.table.to_pylist() if r["value"] is not None}
    if not published:
        return Outcome.skip("no USBP monthly counts loaded")
    rows = compare_by_part(published, by_part_rows())
    failed, summary = summarise_by_part(rows)
    return Outcome.judged(failed, summary + ".", rows, result.synthetic)


ERO_STATS_COVERAGE = Check(
    "ero_stats_coverage", "ERO statistics against ICE's published annual totals",
    "ICE's ERO statistics workbook leaves out every row whose count is under 10, so its sums fall "
    "short of the annual totals ICE publishes. For each complete fiscal year the sum of arrests "
    "and of removals is stated as a share of the published total; a share above 100% is impossible "
    "(only rows are dropped) and one below the floor means a month or a part of the sheet is "
    "missing. Partial years are stated, not judged.",
    "warning", f"{ERO_FLOOR:.0%} ≤ sum / published ≤ {ERO_CEILING:.1%}", judge_ero)

USBP_BY_PART = Check(
    "usbp_monthly_by_part", "USBP monthly counts against the FOIA file parts",
    "Each month of CBP's published Border Patrol count should equal the record count of the one "
    "FOIA file part that holds that month (the Deportation Data Project's by-part validation "
    "table). A month held by two parts is counted twice when the parts are stacked; a month that "
    "differs beyond the tolerance needs a look. Apprehension parts are not compared in Title 42 "
    "months (Mar 2020 – May 2023), when CBP's count included expulsions the records leave out.",
    "warning", f"±{USBP_TOLERANCE:.1%} of CBP's published monthly count; one part per month",
    judge_usbp)
