"""Freshness per source family with a fixed clock."""

from __future__ import annotations

import datetime as dt

from builders import load_arrest_rows
from immstat.analysis.freshness import families, freshness


def by_family(rows: list[dict]) -> dict[str, dict]:
    return {r["family"]: r for r in rows}


def test_detention_statistics_overdue_sentence(fy26):
    rows = by_family(freshness(fy26, today=dt.date(2026, 5, 26)))
    detention = rows["detention_stats"]
    assert detention["status"] == "overdue" and detention["days_since"] == 47
    assert detention["latest_file"] == "FY26_detentionStats_04092026.xlsx" and detention["files"] == 3
    assert detention["sentence"] == ("no new detention statistics since 9 Apr 2026 (47 days; ICE "
                                     "published every two weeks before)")
    assert rows["ero_statistics"]["status"] == "not loaded"


def test_within_the_cadence_is_current(fy26):
    detention = by_family(freshness(fy26, today=dt.date(2026, 4, 30)))["detention_stats"]
    assert detention["status"] == "current" and detention["days_since"] == 21  # 1.5 × 14 days
    assert detention["sentence"].startswith("detention statistics: newest release 9 Apr 2026 (21 days ago")


def test_synthetic_files_never_count_as_fresh(make_warehouse):
    wh = make_warehouse()
    load_arrest_rows(wh, [{"apprehension_date": dt.date(2025, 1, 2), "aor": "SEA", "method": "CAP",
                           "criminality": "other"}], synthetic=True)
    assert by_family(freshness(wh, dt.date(2025, 7, 1)))["foia_records"]["status"] == "not loaded"
    load_arrest_rows(wh, [{"apprehension_date": dt.date(2025, 1, 2), "aor": "SEA", "method": "CAP",
                           "criminality": "other"}], synthetic=False)
    foia = by_family(freshness(wh, dt.date(2025, 7, 1)))["foia_records"]
    assert foia["status"] == "irregular" and foia["days_since"] == 30  # test rows: release 1 Jun 2025


def test_every_family_is_declared_with_words():
    declared = families()
    assert len({f["family"] for f in declared}) == len(declared) >= 6
    assert all(f["title"] and f["publisher"] and f["cadence"] and f["kinds"] for f in declared)
