"""Record-level FOIA releases: duplicate rows per file, and removals against ICE's annual totals."""

from __future__ import annotations

from collections import defaultdict

from immstat.analysis.health.model import Check, Outcome, pct
from immstat.core.calendar import fiscal_year
from immstat.core.reference import annual_totals
from immstat.metrics.record_checks import duplicate_rows

DUPLICATE_TOLERANCE = 0.001  # share of a file's rows that may be exact duplicates
REMOVALS_TOLERANCE = 0.01
RECORD_TABLES = ("arrests", "detainers", "encounters", "detention_stints", "removals")


def judge_duplicate_rows(rows: list[dict]) -> list[dict]:
    """Judge each file: real files with a person key fail above the tolerance of duplicates."""
    out = []
    for r in rows:
        n, dup = r["rows"], r["duplicates"]
        share = None if dup is None or not n else pct(dup, n)
        if r["synthetic"]:
            status, reason = "skip", "SYNTHETIC file: not judged"
        elif not r["has_person_identifier"]:
            status, reason = "skip", "no person identifier: identical rows may be different people"
        elif not r["above_tolerance"]:
            status, reason = "pass", ""
        elif r["duplicates_hidden"]:
            status, reason = "fail", f"exact duplicate rows above {DUPLICATE_TOLERANCE:.1%} (count under 11)"
        else:
            status, reason = "fail", f"{dup:,} exact duplicate rows ({share}% of {n:,})"
        out.append({**r, "release_date": _iso(r["release_date"]), "duplicates_pct": share,
                    "status": status, "reason": reason})
    return out


def judge_duplicates(wh) -> Outcome:
    found = [r for table in RECORD_TABLES for r in duplicate_rows(wh, table, DUPLICATE_TOLERANCE)]
    if not found:
        return Outcome.skip("no record-level FOIA files loaded")
    rows = judge_duplicate_rows(found)
    judged = [r for r in rows if r["status"] != "skip"]
    bad = [r for r in judged if r["status"] == "fail"]
    if bad:
        summary = "; ".join(f"{r['file']} ({r['table']}, release {r['release_date']}): {r['reason']}"
                            for r in bad)
    elif judged:
        summary = f"{len(judged)} file(s) with person keys: no duplicate rows above {DUPLICATE_TOLERANCE:.1%}"
    else:
        summary = "no real file with a person identifier to judge"
    unjudged = [r for r in rows if r["status"] == "skip" and not r["synthetic"]]
    if unjudged:
        summary += "; identical rows in files without a person identifier (not judged): " + ", ".join(
            f"{r['file']} {_count(r)}" for r in unjudged)
    synthetic = any(r["synthetic"] for r in rows)
    if not judged:
        return Outcome("skip", summary + ".", rows, synthetic)
    return Outcome.judged(bool(bad), summary + ".", rows, synthetic)


def removal_rows(counts: dict[int, float], months: dict[int, int], published: dict[int, float],
                 tolerance: float = REMOVALS_TOLERANCE) -> list[dict]:
    """Per fiscal year: record-level removals against ICE's published total (complete years)."""
    rows = []
    for fy in sorted(counts):
        count, total, n_months = counts[fy], published.get(fy), months.get(fy, 0)
        row = {"fiscal_year": fy, "records": count, "published": total, "months": n_months,
               "diff_pct": pct(count - total, total) if count is not None and total else None}
        if total is None or count is None:
            status, reason = "skip", "no published total held" if total is None else "count withheld"
        elif n_months < 12:
            status, reason = "skip", f"partial year: {n_months} of 12 months in the records"
        elif abs(count - total) > tolerance * total:
            status, reason = "fail", f"records differ from the published total by {row['diff_pct']:+.2f}%"
        else:
            status, reason = "pass", ""
        rows.append({**row, "status": status, "reason": reason})
    return rows


def judge_removals(wh) -> Outcome:
    yearly = wh.query("removals", grain="fy")
    if yearly.synthetic:
        return Outcome.skip("only SYNTHETIC removals are loaded; this check judges real FOIA releases")
    counts = {r["fiscal_year"]: r["value"] for r in yearly.table.to_pylist()}
    if not counts:
        return Outcome.skip("no record-level removals loaded")
    months: dict[int, int] = defaultdict(int)
    for r in wh.query("removals", grain="month").table.to_pylist():
        if r["value"] or r["suppressed"]:
            months[fiscal_year(r["month"])] += 1
    rows = removal_rows(counts, months, annual_totals("removals"))
    bad = [r for r in rows if r["status"] == "fail"]
    summary = "; ".join(f"FY{r['fiscal_year']} {r['records']:,.0f} vs {r['published']:,.0f} "
                        f"({r['diff_pct']:+.2f}%{', ' + r['reason'] if r['status'] == 'skip' else ''})"
                        for r in rows if r["published"] and r["records"] is not None)
    return Outcome.judged(bool(bad), (summary or "no fiscal year with a published total") + ".", rows)


def _count(r: dict) -> str:
    return "(under 11)" if r["duplicates_hidden"] else f"{r['duplicates']:,} of {r['rows']:,}"


def _iso(day):
    return day.isoformat() if day else None


FOIA_DUPLICATES = Check(
    "foia_duplicate_rows", "Duplicate rows in record-level FOIA files",
    "Within one released file, no two rows should be identical in every column including the "
    "anonymised person key (duplicate arrests are a known problem in recent releases). Counted per "
    "file and release; files without a person identifier are counted but not judged, since there "
    "identical rows can be different people.",
    "warning", f"at most {DUPLICATE_TOLERANCE:.1%} of a file's rows", judge_duplicates)

FOIA_REMOVALS = Check(
    "foia_removals_vs_published", "Record-level removals against ICE's annual totals",
    "For each fiscal year the records cover in full (all 12 months present), the number of removal "
    "records should equal the removals ICE published for that year. Years the records cover in "
    "part are stated, not judged. The records are dated by departure, so a file that ICE cut by "
    "removal date moves a few thousand removals to the neighbouring year.",
    "warning", f"±{REMOVALS_TOLERANCE:.0%} of the published annual total", judge_removals)
