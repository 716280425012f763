"""Property tests: no suppressed cell can be recovered from margins, coarser queries or windows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np
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


def determined(keys: list, unknown: set, equations: list[list]) -> set:
    """Cells whose value follows from the known cells and the equations (exact linear algebra)."""
    open_cells = [k for k in keys if k in unknown]
    if not open_cells:
        return set(keys)
    col = {k: i for i, k in enumerate(open_cells)}
    rows = [np.array([1.0 if k in eq else 0.0 for k in open_cells]) for eq in equations]
    rows = [r for r in rows if r.any()]
    if not rows:
        return set(keys) - unknown
    _, sing, vt = np.linalg.svd(np.array(rows))
    null = vt[int((sing > 1e-9).sum()):]
    free = np.abs(null).max(axis=0) > 1e-9 if len(null) else np.zeros(len(open_cells), bool)
    return (set(keys) - unknown) | {k for k in open_cells if not free[col[k]]}


def released_equations(wh, cells: dict, views: list) -> list[list]:
    """For each coarser query ImmStat answers, the fine cells behind each total it shows."""
    equations = []
    for kwargs, project in views:
        shown = {key for key, (value, hidden) in as_cells(wh.query("arrests", **kwargs)).items()
                 if not hidden}
        groups = defaultdict(list)
        for key in cells:
            groups[project(key)].append(key)
        equations += [members for coarse, members in groups.items() if coarse in shown]
    return equations


def assert_nothing_new_disclosed(cells: dict, equations: list[list]) -> None:
    """No small cell is solvable from released cells + margins unless margins alone solve it."""
    keys = list(cells)
    small = {k for k, (n, hidden) in cells.items() if 0 < n < 11}
    hidden = {k for k, (n, h) in cells.items() if h}
    assert small <= hidden, "a small cell was shown"
    after = determined(keys, hidden, equations)
    before = determined(keys, set(keys), equations)
    leaked = {k for k in small if k in after and k not in before}
    assert not leaked, f"small cells solvable from what is released: {leaked}"


SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

FY = dict(fy=2025)
ONE_FY = [m for m in MONTHS if dt.date(2024, 10, 1) <= m <= dt.date(2025, 9, 30)]
cells_fy = st.dictionaries(
    st.tuples(st.sampled_from(AORS), st.sampled_from(CRIMS), st.sampled_from(ONE_FY)),
    st.integers(min_value=1, max_value=30), min_size=1, max_size=20)


@SETTINGS
@given(counts=cells_fy)
def test_margins_and_coarser_queries_never_reveal_a_suppressed_cell(tmp_path_factory, counts):
    wh = build(tmp_path_factory, counts)
    try:
        truth = defaultdict(int)
        for (aor, crim, _), n in counts.items():
            truth[(aor, crim)] += n
        fine = as_cells(wh.query("arrests", by=["aor", "criminality"], **FY))
        cells = {k: (truth[k], fine[k][1]) for k in fine}
        views = [(dict(by=["aor"], **FY), lambda k: (k[0],)),
                 (dict(by=["criminality"], **FY), lambda k: (k[1],)),
                 (dict(FY), lambda k: ())]
        assert_nothing_new_disclosed(cells, released_equations(wh, cells, views))
    finally:
        wh.close()


@SETTINGS
@given(counts=cells_fy)
def test_months_cannot_be_recovered_from_fiscal_year_totals(tmp_path_factory, counts):
    wh = build(tmp_path_factory, counts)
    try:
        truth = defaultdict(int)
        for (aor, _, month), n in counts.items():
            truth[(aor, month.isoformat())] += n
        fine = as_cells(wh.query("arrests", by=["aor"], grain="month", **FY))
        cells = {k: (truth[k], fine[k][1]) for k in fine}
        views = [(dict(by=["aor"], **FY), lambda k: (k[0],)),
                 (dict(grain="month", **FY), lambda k: (k[1],)),
                 (dict(FY), lambda k: ())]
        assert_nothing_new_disclosed(cells, released_equations(wh, cells, views))
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
