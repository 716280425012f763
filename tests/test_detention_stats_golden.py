"""Golden test: every detention_stats_* section equals the Deportation Data Project's parse of the
same release (../shared/data/ddp/detention-stats/*.parquet, code: deportationdata/
ice-detention-management code/parse-spreadsheets.R).

Which DDP release each shared workbook is (``RELEASES``): DDP dates a release by the MMDDYYYY in
its file name, else "20yy-12-31", and records the IIDS pull date printed on the Facilities sheet.
Our undated workbooks carry that same IIDS date as release_date, so they match DDP's
(file_date=20yy-12-31, pull_date=our release_date). FY25_detentionStats09242025.xlsx is DDP's
release "2025-09-25" (pull date 2025-09-15): DDP downloaded it as …09252025.xlsx; every ADP,
ALOS and book-in value is identical. Which is which was found by matching all 144 ADP cells.

Deliberate differences, handled in ``_norm`` and explained where they occur:
* months after the release date: ICE prints 0 (or nothing); we store NULL (not yet reported),
  DDP keeps 0 → compared as 0;
* totals rows ("Grand Total" etc.) are kept by us as published; DDP drops some → dropped here;
* DDP's fiscal_year is the workbook's; ours is the section's own (the FY23 workbook's first ATD
  sheet is "ATD FY24 YTD", which DDP reads and labels 2023).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter

import duckdb
import pytest

from immstat.sources.detention_stats import read_workbook

pytestmark = pytest.mark.shared

RELEASES = {  # workbook → (DDP file_date, DDP pull_date)
    "FY19-detentionstats.xlsx": ("2019-12-31", "2019-10-07"),
    "FY20-detentionstats.xlsx": ("2020-12-31", "2020-09-30"),
    "FY21-detentionstats.xlsx": ("2021-12-31", "2021-09-27"),
    "FY22-detentionStats.xlsx": ("2022-12-31", "2022-09-19"),
    "FY23_detentionStats.xlsx": ("2023-12-31", "2023-09-30"),
    "FY24_detentionStats.xlsx": ("2024-12-31", "2024-10-07"),
    "FY25_detentionStats09242025.xlsx": ("2025-09-25", "2025-09-15"),
    "FY26_detentionStats_04092026.xlsx": ("2026-04-09", "2026-04-02"),
}


@pytest.fixture(scope="module")
def books(shared_data):
    folder = shared_data / "ice" / "detention-stats"
    return {name: read_workbook(folder / name) for name in RELEASES}


@pytest.fixture(scope="module")
def ddp(shared_data):
    folder = shared_data / "ddp" / "detention-stats"
    con = duckdb.connect()

    def query(file: str, columns: str, workbook: str, book) -> list[tuple]:
        file_date, pull_date = RELEASES[workbook]
        return con.execute(
            f"SELECT {columns} FROM '{folder / file}' WHERE fiscal_year = ? AND "
            "CAST(file_date AS DATE) = ? AND CAST(pull_date AS DATE) = ?",
            [book.fiscal_year, dt.date.fromisoformat(file_date),
             dt.date.fromisoformat(pull_date)]).fetchall()

    return query


def _n(x):
    """Numbers compared at 9 significant digits (ICE's own precision in the workbooks)."""
    return None if x is None else float(f"{float(x):.9g}")


def _s(x):
    return None if x is None else " ".join(str(x).split())


def rows(book, section: str) -> list[dict]:
    name = f"detention_stats_{section}"
    return book.tables[name].to_pylist() if name in book.tables else []


def _agency_label(r):
    if r["criminality"] != "Total":
        return r["criminality"]
    return "Average" if r["agency"] == "Total" else f"{r['agency']} Average"


def mine_monthly(book, section, value):
    return Counter((_agency_label(r), r["month"], _n(r[value]) or 0.0,
                    _n(r[f"{value}_fy_to_date"])) for r in rows(book, section))


def _ddp_d(x):
    return x.date() if isinstance(x, dt.datetime) else x


# Each case: (DDP file, DDP columns, DDP row → tuple, our workbook → Counter of tuples).
def _adp(book):
    return mine_monthly(book, "adp", "adp")


def _alos(book):
    return mine_monthly(book, "alos", "alos_days")


def _book_ins(book):
    return Counter((r["agency"], r["month"], _n(r["book_ins"]) or 0.0, _n(r["book_ins_fy_to_date"]))
                   for r in rows(book, "book_ins"))


def _book_outs(book):
    # DDP gives the reason-level "Total" row criminality NA; ours says "Total".
    return Counter((r["release_reason"], None if r["release_reason"] == "Total" else r["criminality"],
                    r["month"], _n(r["book_outs"]) or 0.0, _n(r["book_outs_fy_to_date"]))
                   for r in rows(book, "book_outs") if r["month"] is not None)


def _book_outs_annual(book):
    return Counter((r["release_reason"], r["criminality"], _n(r["book_outs_fy_to_date"]))
                   for r in rows(book, "book_outs") if r["month"] is None)


def _currently_detained(book):
    return Counter((r["criminality"], r["agency"], _n(r["detained"]))
                   for r in rows(book, "currently_detained"))


def _facilities(book):
    return Counter((_s(r["name"]), _s(r["city"]), r["state"], r["zip"], r["aor"],
                    _n(r["adp_level_a"]), _n(r["adp_male_crim"]), _n(r["alos_days"]))
                   for r in rows(book, "facilities"))


def _atd(book, fiscal_year):
    return Counter((r["technology"] if r["technology"] != "Total" else r["aor_name"],
                    _n(r["participants"]), _n(r["avg_length_in_program_days"]))
                   for r in rows(book, "atd") if r["fiscal_year"] == fiscal_year)


def _segregation(book):
    return Counter((r["month"], r["facility"], _n(r["placements"]))
                   for r in rows(book, "segregation") if r["facility"] != "Grand Total")


def _vulnerable(book):
    return Counter((r["placement_reason"], r["data_fiscal_year"], r["quarter"], _n(r["placements"]),
                    _n(r["avg_consecutive_days"]), _n(r["avg_cumulative_days"]))
                   for r in rows(book, "vulnerable"))


def _atd(book):
    # DDP reads the first "ATD" sheet only (FY23 workbook: "ATD FY24 YTD") and de-duplicates
    # identical rows (distinct()), so both sides are compared as sets.
    first = max(r["fiscal_year"] for r in rows(book, "atd"))  # the first ATD sheet is the newest
    return Counter(set((r["technology"] if r["technology"] != "Total" else r["aor_name"],
                        _n(r["participants"]), _n(r["avg_length_in_program_days"]))
                       for r in rows(book, "atd") if r["fiscal_year"] == first))


def _removals(book):
    return Counter((_n(r["removals"]),) for r in rows(book, "removals") if r["category"] == "Total")


def _famu_removals(book):
    return Counter((_n(r["removals"]),) for r in rows(book, "removals") if r["category"] != "Total")


_BOND = (("total_book_outs", r"^Total ICE Final"), ("bond_book_outs", r"with Bond"),
         ("bond_pct", r"%"), ("avg_bond_amount", r"Average Bond"), ("alos_days", r"ALOS"))


def _bond(book):
    # DDP keeps non-zero cells only; we keep every cell (NULL for unreported months).
    out = Counter()
    for r in rows(book, "bond"):
        metric = next(m for m, rx in _BOND if re.search(rx, r["measure"]))
        if r["value"]:
            out[(r["month"], metric, _n(r["value"]))] += 1
    return out


CASES = {
    "adp": ("adp-by-agency-criminality.parquet", "agency, date, adp, adp_fy_ytd",
            lambda a, d, v, y: (_s(a), _ddp_d(d), _n(v) or 0.0, _n(y)), _adp),
    "alos": ("stay-length-by-agency-criminality.parquet",
             "agency, date, avg_stay_length_days, avg_stay_length_days_fy_ytd",
             lambda a, d, v, y: (_s(a), _ddp_d(d), _n(v) or 0.0, _n(y)), _alos),
    "book_ins": ("book-ins-by-arresting-agency.parquet",
                 "arresting_agency, date, n_book_ins, n_book_ins_ytd",
                 lambda a, d, v, y: (_s(a), _ddp_d(d), _n(v) or 0.0, _n(y)), _book_ins),
    "book_outs": ("book-outs-by-reason.parquet",
                  "release_reason, criminality, date, n_book_outs, n_book_outs_ytd",
                  lambda a, c, d, v, y: (_s(a), _s(c), _ddp_d(d), _n(v) or 0.0, _n(y)), _book_outs),
    "currently_detained": ("currently-detained-by-criminality.parquet", "criminality, ice, cbp, total",
                           None, _currently_detained),
    "facilities": ("facilities.parquet", "name, city, state, zip, aor, level_a, male_crim, alos",
                   lambda nm, c, s, z, a, la, mc, al: (_s(nm), _s(c), s, z and z.zfill(5), a,
                                                      _n(la), _n(mc), _n(al)), _facilities),
    "atd": ("atd-by-aor.parquet", "aor_technology, count, avg_length_in_program",
            lambda a, c, v: (_s(a), _n(c), _n(v)), _atd),
    "removals": ("removals.parquet", "removals", lambda v: (_n(v),), _removals),
    "famu_removals": ("famu-removals.parquet", "famu_removals", lambda v: (_n(v),), _famu_removals),
    "bond": ("monthly-bond-stats.parquet", "date, metric, value",
             lambda d, m, v: (_ddp_d(d), m, _n(v)), _bond),
    "book_outs_annual": ("book-outs-by-reason-annual.parquet",
                         "release_reason, convicted_criminal, pending_criminal_charges, "
                         "other_immigration_violator, total", None, _book_outs_annual),
    "segregation": ("monthly-segregation.parquet", "month_date, facility, placement_count",
                    lambda m, f, p: (_ddp_d(m), f, _n(p)), _segregation),
    "vulnerable": ("vulnerable-population.parquet",
                   "placement_reason, data_fiscal_year, data_quarter, n_placements, "
                   "avg_consecutive_days, avg_cumulative_days",
                   lambda r, y, q, n, a, c: (r, y, q, _n(n), _n(a), _n(c)), _vulnerable),
}


def _theirs(ddp, case, workbook, book):
    file, columns, convert, _ = CASES[case]
    found = ddp(file, columns, workbook, book)
    if case == "currently_detained":  # DDP is wide: one row per criminality
        out = Counter()
        for crim, ice, cbp, total in found:
            out.update([(crim, "ICE", _n(ice)), (crim, "CBP", _n(cbp)), (crim, "Total", _n(total))])
        return out
    if case == "book_outs_annual":  # wide: one row per reason
        names = ("Convicted Criminal", "Pending Criminal Charges", "Other Immigration Violator",
                 "Total")
        return Counter((reason, name, _n(v)) for reason, *values in found
                       for name, v in zip(names, values))
    if case == "atd":
        return Counter(set(convert(*r) for r in found))
    return Counter(convert(*r) for r in found)


# Rows DDP's parser drops by design; each of ours that DDP lacks must be one of these.
DDP_DROPS = {
    # parse-spreadsheets.R reads a fixed range A{title+1}:O{title+26} (6 reasons); FY24 on
    # ICE publishes more reasons (Proceedings Terminated, Release to Remove, ...).
    "book_outs": lambda t: t[0] not in ("Total", "Bonded Out", "Bond Set by ICE", "Bond Set by IJ",
                                        "Order of Recognizance", "Order of Supervision"),
    # fixed range A{title+1}:F{title+4} keeps 3 of the 4 rows: the last one is cut.
    "currently_detained": lambda t: t[0] == "Other Immigration Violator",
    # DDP keeps only facilities with a published ALOS (filter(!is.na(alos))).
    "facilities": lambda t: t[-1] is None,
}


def _unmatched(a: Counter, b: Counter) -> list[tuple]:
    """Rows of ``a`` with no partner in ``b``; floats equal within 1e-8 relative (DDP's readxl
    and our text-exact floats differ in the last digits of some cells)."""
    pool: dict[tuple, list[tuple]] = {}
    for t, n in b.items():
        pool.setdefault(_key(t), []).extend([t] * n)
    left = []
    for t, n in a.items():
        for _ in range(n):
            cands = pool.get(_key(t), [])
            hit = next((i for i, u in enumerate(cands) if _close(t, u)), None)
            if hit is None:
                left.append(t)
            else:
                cands.pop(hit)
    return left


def _key(t):
    return tuple(x for x in t if not isinstance(x, float))


def _close(t, u):
    return all(math.isclose(x, y, rel_tol=1e-8, abs_tol=1e-9) for x, y in zip(t, u)
               if isinstance(x, float) and isinstance(y, float))


@pytest.mark.parametrize("workbook", list(RELEASES))
@pytest.mark.parametrize("case", list(CASES))
def test_section_equals_ddp(books, ddp, workbook, case):
    book = books[workbook]
    theirs = _theirs(ddp, case, workbook, book)
    mine = CASES[case][3](book)
    if not theirs:
        pytest.skip(f"DDP has no {case} for this release")
    assert _unmatched(theirs, mine) == [], "DDP has rows we lack or read differently"
    extra = _unmatched(mine, theirs)
    allowed = DDP_DROPS.get(case, lambda t: False)
    assert [t for t in extra if not allowed(t)] == [], "we have rows DDP lacks, unexplained"
