"""Property tests: no suppressed cell can be recovered from margins, coarser queries or windows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import load_arrest_rows
from immstat import Warehouse

AORS = ["HOU", "MIA", "SEA"]
CRIMS = ["convicted", "pending", "other"]
MONTHS = [dt.date(2024, 10, 1), dt.date(2024, 11, 1), dt.date(2025, 2, 1), dt.date(2025, 9, 1),
          dt.date(2025, 10, 1)]

cells = st.dictionaries(
    st.tuples(st.sampled_from(AORS), st.sampled_from(CRIMS), st.sampled_from(MONTHS)),
    st.integers(min_value=1, max_value=30), min_size=1, max_size=20)


def build(tmp_path_factory, counts) -> Warehouse:
    wh = Warehouse(tmp_path_factory.mktemp("prop") / "p.duckdb")
    rows = []
    for (aor, crim, month), n in counts.items():
        rows += [{"apprehension_date": month + dt.timedelta(days=i % 20), "aor": aor,
                  "criminality": crim, "person_key": f"{aor}{crim}{month}{i}"} for i in range(n)]
    load_arrest_rows(wh, rows)
    return wh


def as_cells(result) -> dict[tuple, tuple]:
    return {tuple(r[:-2]): (r[-2], r[-1]) for r in result.rows()}


def assert_no_lone_suppressed(cells_by_key: dict, coarse: dict, drop: int) -> None:
    """Grouping out position ``drop``: a group with suppressed cells has ≥ 2 of them, or its
    coarser total (the same key without position ``drop``) is itself suppressed."""
    groups = defaultdict(list)
    for key, (value, suppressed) in cells_by_key.items():
        groups[key[:drop] + key[drop + 1:]].append(suppressed)
    for group, flags in groups.items():
        if sum(flags) == 1:
            total = coarse.get(group)
            assert total is not None and total[1], f"lone suppressed cell in group {group}"


SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(counts=cells)
def test_margins_and_coarser_queries_never_reveal_a_suppressed_cell(tmp_path_factory, counts):
    wh = build(tmp_path_factory, counts)
    try:
        fine = as_cells(wh.query("arrests", by=["aor", "criminality"], grain="fy"))
        by_crim = as_cells(wh.query("arrests", by=["criminality"], grain="fy"))
        by_aor = as_cells(wh.query("arrests", by=["aor"], grain="fy"))
        assert_no_lone_suppressed(fine, by_crim, drop=0)
        assert_no_lone_suppressed(fine, by_aor, drop=1)
        monthly = as_cells(wh.query("arrests", by=["aor"], grain="month"))
        yearly = {}
        for (aor, fy), cell in by_aor.items():
            yearly[(aor, fy)] = cell
        monthly_fy = {(aor, _fy(month)): None for aor, month in monthly}
        groups = defaultdict(list)
        for (aor, month), (_, suppressed) in monthly.items():
            groups[(aor, _fy(month))].append(suppressed)
        for key, flags in groups.items():
            if sum(flags) == 1:
                assert yearly[key][1], f"month of {key} recoverable from its fiscal year"
        assert monthly_fy  # the monthly query returned cells
    finally:
        wh.close()


@SETTINGS
@given(counts=cells, shift=st.integers(min_value=1, max_value=40))
def test_overlapping_windows_agree_cell_by_cell(tmp_path_factory, counts, shift):
    wh = build(tmp_path_factory, counts)
    try:
        start = dt.date(2024, 10, 1)
        a = as_cells(wh.query("arrests", by=["aor"], grain="day", date_from=start,
                              date_to=start + dt.timedelta(days=150)))
        b = as_cells(wh.query("arrests", by=["aor"], grain="day",
                              date_from=start + dt.timedelta(days=shift),
                              date_to=start + dt.timedelta(days=200)))
        for key in set(a) & set(b):
            assert a[key] == b[key]
    finally:
        wh.close()


@SETTINGS
@given(counts=st.dictionaries(st.tuples(st.sampled_from(AORS), st.sampled_from(CRIMS),
                                        st.sampled_from(MONTHS)),
                              st.integers(min_value=11, max_value=40), min_size=1, max_size=12))
def test_totals_equal_raw_totals_when_nothing_is_suppressed(tmp_path_factory, counts):
    wh = build(tmp_path_factory, counts)
    try:
        r = wh.query("arrests", by=["aor", "criminality"], grain="month")
        assert r.suppressed == 0
        assert sum(row[-2] for row in r.rows()) == sum(counts.values())
    finally:
        wh.close()


def _fy(month) -> int:
    from immstat.fiscal import fiscal_year

    return fiscal_year(dt.date.fromisoformat(month) if isinstance(month, str) else month)
