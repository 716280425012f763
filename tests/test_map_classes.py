"""Quantile classes of a map and the pieces pages build on: classes partition the areas in order
(property tests), a partial year is compared only like for like, 287(g) snapshot times, and the
2019 FOIA release counted as a record-level FOIA family."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from immstat.analysis.freshness import family_of
from immstat.present.charts import QUANTILE_CLASSES, classify
from immstat.present.g287 import snapshot_time

values = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)


def areas(draw_values: list[float], shapes: int = 1) -> list[dict]:
    """One row per shape; an area (key) may have several shapes (an AOR's counties)."""
    return [{"id": f"{i}-{j}", "key": f"A{i}", "status": "value", "value": v}
            for i, v in enumerate(draw_values) for j in range(shapes)]


@given(st.lists(values, min_size=2 * QUANTILE_CLASSES, max_size=200, unique=True),
       st.integers(1, 3))
def test_classes_partition_the_areas_in_order(draw, shapes):
    rows = areas(draw, shapes) + [{"id": "x", "key": "X", "status": "no data", "value": None}]
    labels = classify(rows)
    assert 2 <= len(labels) <= QUANTILE_CLASSES
    members = {label: sorted({r["value"] for r in rows if r.get("class") == label}) for label in labels}
    assert all(members.values())  # no empty class
    for low, high in zip(labels, labels[1:]):
        assert members[low][-1] < members[high][0]  # ordered, never overlapping
    assert len(set(labels)) == len(labels)  # a label names one class
    assert "class" not in rows[-1]
    by_key = {}
    for r in rows[:-1]:
        assert by_key.setdefault(r["key"], r["class"]) == r["class"]  # one class per area


@given(st.lists(values, min_size=1, max_size=2 * QUANTILE_CLASSES - 1, unique=True))
def test_too_few_values_keep_a_linear_scale(draw):
    rows = areas(draw)
    assert classify(rows) == [] and all("class" not in r for r in rows)


def test_classes_hold_about_the_same_number_of_areas():
    rows = areas([float(v) for v in range(1, 71)])
    labels = classify(rows)
    assert labels[0] == "1 – 10" and labels[-1] == "61 – 70"
    sizes = [sum(r["class"] == label for r in rows) for label in labels]
    assert len(labels) == QUANTILE_CLASSES and max(sizes) - min(sizes) <= 1


def test_skewed_values_still_spread_over_the_classes():
    """A few huge areas (CBP's border states) must not leave every other area in one colour."""
    rows = areas([float(v) for v in range(1, 48)] + [4e5, 6e5, 1.4e6])
    labels = classify(rows)
    small = {r["class"] for r in rows if r["value"] < 48}
    assert len(small) >= QUANTILE_CLASSES - 1 and len(labels) == QUANTILE_CLASSES


def test_snapshot_time_keeps_morning_and_evening_apart():
    assert snapshot_time("2025-05-19 am") < snapshot_time("2025-05-19 pm")
    assert dt.datetime.fromisoformat(snapshot_time("2025-08-13 am")).date() == dt.date(2025, 8, 13)


def test_2019_foia_release_is_a_record_level_family():
    for kind in ("ice_arrests_2019", "ice_removals_2019", "ice_arrests"):
        assert family_of(kind)["family"] == "foia_records", kind
    assert family_of("ddp_usbp_monthly_encounters")["family"] == "cbp_encounters"
    assert family_of("ice_ero_statistics")["family"] == "ero_statistics"
    assert family_of("no_such_kind") is None
