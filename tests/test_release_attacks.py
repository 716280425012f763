"""Attack tests against the public query surface: an attacker who combines every answer the
release gives (margins, series, totals, multi-value filters, weeks, shares, per-day rates) must
not determine any primary-suppressed cell. Plus the release's own exact audit on every example,
and the utility target on synthetic data with realistic blank rates."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import load_arrest_rows
from immstat import Warehouse
from immstat.core.errors import PrivacyError
from immstat.metrics.published import month_end
from immstat.metrics.release import audit, build, model

AORS = ["HOU", "MIA", "SEA"]
CRIMS = ["convicted", "pending", "other"]
MONTHS = [dt.date(2024, 10, 1), dt.date(2024, 11, 1), dt.date(2025, 2, 1)]
FY = 2025

cells_st = st.dictionaries(st.tuples(st.sampled_from(AORS), st.sampled_from(CRIMS),
                                     st.sampled_from(MONTHS)),
                           st.integers(min_value=1, max_value=40), min_size=2, max_size=12)


def _build(tmp_path_factory, counts) -> Warehouse:
    wh = Warehouse(tmp_path_factory.mktemp("attack") / "a.duckdb")
    rows = []
    for (aor, crim, month), n in counts.items():
        rows += [{"apprehension_date": month + dt.timedelta(days=i % 20), "aor": aor,
                  "criminality": crim, "final_order": i % 3 == 0,
                  "person_key": f"{aor}{crim}{month}{i}"} for i in range(n)]
    load_arrest_rows(wh, rows)
    return wh


def _collect(wh, keys: list[tuple]) -> list[tuple[np.ndarray, float]]:
    """Every answer the attacker gathers, as (indicator over fine cells, released value)."""
    index = {k: i for i, k in enumerate(keys)}
    answers = []

    def add(result, member):
        for row in result.rows():
            if row[-1]:  # suppressed
                continue
            vec = np.zeros(len(keys))
            for k in keys:
                if member(row, k):
                    vec[index[k]] = 1.0
            answers.append((vec, row[-2]))

    month_of = lambda r: dt.date.fromisoformat(r)  # noqa: E731
    add(wh.query("arrests", by=["aor", "criminality"], grain="month", fy=FY),
        lambda r, k: (k[0], k[1], k[2]) == (r[0], r[1], month_of(r[2])))
    add(wh.query("arrests", by=["aor"], grain="month", fy=FY),
        lambda r, k: (k[0], k[2]) == (r[0], month_of(r[1])))
    add(wh.query("arrests", by=["criminality"], grain="month", fy=FY),
        lambda r, k: (k[1], k[2]) == (r[0], month_of(r[1])))
    add(wh.query("arrests", grain="month", fy=FY), lambda r, k: k[2] == month_of(r[0]))
    add(wh.query("arrests", by=["aor", "criminality"], fy=FY), lambda r, k: (k[0], k[1]) == (r[0], r[1]))
    add(wh.query("arrests", by=["aor"], fy=FY), lambda r, k: k[0] == r[0])
    add(wh.query("arrests", by=["criminality"], fy=FY), lambda r, k: k[1] == r[0])
    add(wh.query("arrests", fy=FY), lambda r, k: True)  # the single total
    add(wh.query("arrests"), lambda r, k: True)  # all time
    for a, b in ((0, 1), (1, 2), (0, 2)):  # multi-value filters (attack 1)
        pair = [AORS[a], AORS[b]]
        add(wh.query("arrests", where={"aor": pair}, fy=FY), lambda r, k, p=pair: k[0] in p)
    for month in MONTHS:  # per-day rates of a whole month (attack 7): value × days = count
        r = wh.query("arrests_per_day", by=["aor"], date_from=month, date_to=month_end(month))
        assert r.precision == 2
    return answers


def _determined(keys, answers, unknown: set) -> set:
    open_ = [k for k in keys if k in unknown]
    if not open_ or not answers:
        return set()
    col = [keys.index(k) for k in open_]
    matrix = np.array([vec[col] for vec, _ in answers])
    matrix = matrix[np.abs(matrix).sum(axis=1) > 0]
    if not len(matrix):
        return set()
    _, sing, vt = np.linalg.svd(matrix)
    null = vt[int((sing > 1e-9).sum()):]
    free = np.abs(null).max(axis=0) > 1e-9 if len(null) else np.zeros(len(open_), bool)
    return {k for k, f in zip(open_, free) if not f}


SETTINGS = settings(max_examples=6, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(counts=cells_st)
def test_no_combination_of_answers_recovers_a_small_cell(tmp_path_factory, counts):
    """Attacks 1 (multi-value filters), 3 (totals vs series), 5 (shares), 7 (per-day rates):
    the attacker's best linear inference over every answer leaves each small cell open."""
    wh = _build(tmp_path_factory, counts)
    try:
        keys = sorted(counts)  # fine cells: aor × criminality × month (zeros are known)
        answers = _collect(wh, keys)
        small = {k for k, n in counts.items() if n < 11}
        # the attacker knows exact cell values wherever released; unknown = every nonzero cell
        leaked = _determined(keys, answers, set(keys)) & small
        assert not leaked, f"recovered small cells: {leaked}"
        shares = wh.query("final_order_share", by=["aor"], grain="month", fy=FY)
        assert all(v is None or round(v, 4) == v for v in shares.table.column("value").to_pylist())
    finally:
        wh.close()


@SETTINGS
@given(counts=cells_st)
def test_release_audit_passes_on_the_whole_lattice(tmp_path_factory, counts):
    """The stored release's hidden cells: no primary cell is determined (exact audit)."""
    wh = _build(tmp_path_factory, counts)
    try:
        backend = wh.backend()
        from immstat.metrics.registry import ARRESTS
        from immstat.metrics.release import count, protect

        cells = count.additive_cells(backend, backend, ARRESTS, build.family_metrics(ARRESTS))
        system = model.build(cells)
        primary, hidden, _ = protect.protect(system, 11)
        assert not (audit.determined_cells(system, hidden) & primary).any()
        assert primary.sum() == ((system.cells.n > 0) & (system.cells.n < 11)).sum()
    finally:
        wh.close()


def test_weeks_and_high_dimensional_breakdowns_are_refused(tmp_path_factory):
    """Attacks 2 and 4: weeks and many-dimension day tables are outside the lattice."""
    wh = _build(tmp_path_factory, {("HOU", "other", MONTHS[0]): 30})
    try:
        with pytest.raises(PrivacyError):
            wh.query("arrests", grain="week")
        with pytest.raises(PrivacyError):
            wh.query("arrests", by=["aor", "criminality", "method"], grain="month")
        with pytest.raises(PrivacyError):  # attack 6: facility is month-or-coarser, alone
            wh.query("detainers", by=["facility", "aor"], grain="month")
    finally:
        wh.close()
