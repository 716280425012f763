"""Linkage metrics on a warehouse whose true answers are known by construction."""

from __future__ import annotations

import datetime as dt

import pytest

from builders import load_arrest_rows, load_rows
from immstat.sources.ice_foia import DETAINERS, DETENTION_STINTS, ENCOUNTERS, REMOVALS

D0 = dt.date(2025, 1, 6)


@pytest.fixture
def wh(make_warehouse):
    """40 people arrested on D0 (HOU) and 20 on D0 + 1 day (MIA), 11 more (HOU) on 1 Sep 2025:
    - persons 0–28 booked in 1 day after arrest; 29–34 booked 10 days after (too late to count);
    - persons 0–19 removed 20 days after arrest; 20–24 after 100 days; others never;
    - 80 detainers on persons 0–79 a week before any arrest; detainers on 60–79 have no arrest.
    Every record has an office and a criminality: shares are read from the release's counts of
    complete records (see README, Privacy rules)."""
    wh = make_warehouse()
    arrests = []
    for p in range(60):
        day = D0 if p < 40 else D0 + dt.timedelta(days=1)
        arrests.append({"apprehension_date": day, "aor": "HOU" if p < 40 else "MIA",
                        "criminality": "other", "person_key": f"p{p}"})
    arrests += [{"apprehension_date": dt.date(2025, 9, 1), "aor": "HOU", "criminality": "other",
                 "person_key": f"late{i}"} for i in range(11)]  # the data's last arrest date
    # (11 of them: a single one would be a small cell, and its complements would hide others)
    load_arrest_rows(wh, arrests)
    stints = [{"book_in_date": D0 + dt.timedelta(days=1 if p < 29 else 10),
               "stay_book_in_date": D0 + dt.timedelta(days=1 if p < 29 else 10),
               "aor": "HOU", "criminality": "other", "facility_code": "HOUCORE",
               "person_key": f"p{p}"} for p in range(35)]
    load_rows(wh, DETENTION_STINTS, stints)
    removals = [{"departed_date": D0 + dt.timedelta(days=20 if p < 20 else 100), "aor": "HOU",
                 "criminality": "other", "person_key": f"p{p}"} for p in range(25)]
    for r in removals:  # removals are counted by removal date (= departure date in this layout)
        r["removal_date"] = r["departed_date"]
    load_rows(wh, REMOVALS, removals)
    detainers = [{"detainer_prepare_date": D0 - dt.timedelta(days=7), "aor": "HOU",
                  "criminality": "other", "person_key": f"p{p}"} for p in range(80)]
    load_rows(wh, DETAINERS, detainers)
    encounters = [{"encounter_date": D0 - dt.timedelta(days=30 - (p % 2) * 10), "aor": "HOU",
                   "criminality": "other", "person_key": f"p{p // 2}"} for p in range(40)]
    load_rows(wh, ENCOUNTERS, encounters)
    return wh


def test_share_booked(wh):
    assert wh.query("share_booked", fy=2025).value() == round(29 / 71, 4)  # stated precision


def test_days_to_removal(wh):
    assert wh.query("median_days_to_removal", fy=2025).value() == pytest.approx(20, abs=1)
    january = {"date_from": "2025-01-01", "date_to": "2025-01-31"}
    assert wh.query("removed_within_90d", **january).value() == round(20 / 60, 4)
    # FY2025 ends after the data (1 Sep 2025) minus 90 days: a partly observed period is not
    # released; no period at all has had 365 days
    assert wh.query("removed_within_90d", fy=2025).value() is None
    assert wh.query("removed_within_365d", **january).value() is None


def test_detainers_followed_by_arrest(wh):
    assert wh.query("detainers", fy=2025).value() == 80
    assert wh.query("detainer_arrest_share", fy=2025).value() == round(60 / 80, 4)
    five_left = wh.query("detainer_arrest_share", fy=2025, where={"aor": ["HOU"]}, min_cell=21)
    assert five_left.value() is None  # 20 not followed < 21: the share would reveal a small count


def test_repeat_encounters_and_book_ins(wh):
    assert wh.query("repeat_encounter_share", fy=2025).value() == 0.5
    assert wh.query("book_ins", fy=2025).value() == 35
    assert wh.query("removals", fy=2025).value() == 25


def test_linkage_is_suppressed_like_any_count(wh):
    cells = {row[0]: row[1] for row in wh.query("share_booked", by=["aor"], fy=2025).rows()}
    assert cells.pop("HOU") == round(29 / 51, 4) and cells.pop("MIA") == 0.0
    assert set(cells.values()) == {None}  # offices without arrests: no share (0 of 0)
    stricter = wh.query("share_booked", by=["aor"], fy=2025, min_cell=23)
    hou = next(row for row in stricter.rows() if row[0] == "HOU")
    assert hou[1] is None and hou[2]  # HOU: 22 not booked < 23 would reveal a small count


def test_persons_link_only_within_a_release(make_warehouse):
    """Identifiers are salted per release: one raw id in two releases is two people."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrest = {"Apprehension Date": "2025-01-10", "Apprehension AOR": "HOU",
              "Apprehension Method": "Located",
              "Apprehension Criminality": "3 Other Immigration Violator", "Unique Identifier": "SAMEID"}
    removal = {"Departed Date": "2025-02-10", "Gender": "Male", "Country of Citizenship": "MEXICO",
               "Case Category": "[8F] Expedited Removal", "Unique Identifier": "SAMEID"}
    def keys(release_of_removal: str, name: str) -> tuple[set, set]:
        wh = make_warehouse(f"{name}.duckdb")
        for row, file, release in ((arrest, f"{name}-a.parquet", "2025-01-31"),
                                   (removal, f"{name}-r.parquet", release_of_removal)):
            path = wh.path.parent / file
            pq.write_table(pa.Table.from_pylist([row]), path)
            wh.ingest([path], release_date=dt.date.fromisoformat(release))
        fetch = lambda t: {k for (k,) in wh._con.execute(f"SELECT person_key FROM {t}").fetchall()}  # noqa: E731
        return fetch("arrests"), fetch("removals")

    same_release = keys("2025-01-31", "same")
    other_release = keys("2025-02-28", "other")
    assert same_release[0] == same_release[1]  # linked within one release
    assert other_release[0].isdisjoint(other_release[1])  # never across releases
