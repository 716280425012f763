"""The seven attack classes of issue 14 as hypothesis properties against the released surfaces of
one small synthetic warehouse (built and released once per session; queries never rebuild it).

Each property lets hypothesis choose an attacker's plan — a set of queries — runs it through
``Warehouse.query`` (one through the HTTP API), turns every released answer into linear equations
over the true joint counts (``tests/attacks.py``) and asserts with the exact oracle that no
primary-suppressed cell of the release is determined. The warehouse has realistic blanks (about
1 % of office and criminality values), one state shared by two offices and facilities that
belong to one office each, so every kind of link between tables is present.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from attacks import Attacker, atoms_of, released_cells
from builders import AORS, FACILITIES, FYS, MONTHS
from immstat import Warehouse
from immstat.core.calendar import fy_bounds, month_end
from immstat.core.errors import PrivacyError
from immstat.metrics.registry import ARREST_DIMS

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    phases=[Phase.explicit, Phase.generate],  # each example runs many queries
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


def _atoms(wh, table="arrests", date="apprehension_date", dims=("aor", "criminality"),
           grain="month", outcome_sql=None):
    columns = {"aor": "aor", "criminality": "criminality", "state": "state",
               "facility": "facility_code", "gender": "gender"}
    atoms = atoms_of(wh.cursor(), table, date, {d: columns[d] for d in dims},
                     outcome_sql=outcome_sql)
    atoms.attrs["monthly"] = grain == "month"
    if grain == "month":  # months as atoms: every window of these properties is month-aligned
        atoms["day"] = [d.replace(day=1) for d in atoms["day"]]
        keys = [c for c in atoms.columns if c != "n"]
        atoms = atoms.groupby(keys, dropna=False, as_index=False)["n"].sum()
        atoms.attrs["monthly"] = True
    return atoms


def _assert_nothing_determined(wh, attacker: Attacker, family: str = "arrests",
                               parts=("count", "all", "incomplete")):
    dims = {c for c in attacker.atoms.columns if c not in ("day", "complete", "n", "outcome")}
    cells = released_cells(wh.cursor(), family)
    cells = cells[[set(d.split("|")) - {""} <= dims for d in cells.dims]]
    if attacker.monthly:  # month atoms: day cells are out of this attacker's reach
        cells = cells[cells.grain != "day"]
    cells = cells[cells.part.isin(parts)]
    masks = [attacker.cell(c.part, c.dims, c.grain, int(c.period), c.v1, c.v2, c.outcome)
             for c in cells.itertuples()]
    leaked = cells[attacker.determined(masks)]
    assert leaked.empty, f"determined primary cells:\n{leaked.head(10)}"
    return len(cells)


def _window(choice):
    """An attacker's period: a fiscal year, a whole month, or everything."""
    kind, index = choice
    if kind == "fy":
        return {"fy": FYS[index % 2]}
    if kind == "month":
        month = MONTHS[index % 24]
        return {"date_from": month, "date_to": month_end(month)}
    return {}


windows = st.tuples(st.sampled_from(["fy", "month", "all"]), st.integers(0, 23))
subsets = st.lists(st.sampled_from(AORS), min_size=1, max_size=4, unique=True)


# ------------------------------------------------------------------ 1. multi-value filters
@SETTINGS
@given(plan=st.lists(st.tuples(subsets, st.booleans(), st.sampled_from([None, "month", "fy"]),
                               windows), min_size=3, max_size=12))
def test_multi_value_filters_do_not_difference_out_a_cell(attack_wh, plan):
    attacker = Attacker(_atoms(attack_wh))
    for aors, by_crim, grain, window in plan:
        options = _window(window) if grain is None else {"fy": FYS[window[1] % 2]}
        answer = attack_wh.query("arrests", where={"aor": aors}, grain=grain,
                                 by=["criminality"] if by_crim else None, **options)
        attacker.observe(answer.to_dict())
    for aor in AORS:  # and every single office, as the dashboard shows them
        attacker.observe(attack_wh.query("arrests", by=["criminality"], where={"aor": [aor]},
                                         grain="month", fy=2025).to_dict())
    assert _assert_nothing_determined(attack_wh, attacker) > 0


# ------------------------------------------------------------------ 2. high-dimensional tables
@SETTINGS
@given(by=st.lists(st.sampled_from(ARREST_DIMS), min_size=1, max_size=4, unique=True),
       grain=st.sampled_from([None, "day", "week", "month", "fy"]), window=windows)
def test_breakdowns_stay_inside_the_lattice_and_show_no_small_count(attack_wh, by, grain, window):
    options = _window(window) if grain is None else {"fy": FYS[window[1] % 2]}
    lattice = attack_wh.query("arrests", fy=2025).metric.released_lattice
    try:
        answer = attack_wh.query("arrests", by=by, grain=grain, **options)
    except PrivacyError as err:
        assert "released tables" in str(err) and "\n" not in str(err)
        assert grain is None or grain not in lattice.grains(by)
        return
    assert len(by) <= 2 and tuple(sorted(by)) in lattice.finest()
    values = answer.table.column("value").to_pylist()
    hidden = answer.table.column("suppressed").to_pylist()
    assert all(v is None for v, h in zip(values, hidden) if h)
    assert not [v for v, h in zip(values, hidden) if not h and 0 < v < 11]


def test_weeks_are_never_released(attack_wh):
    for metric in ("arrests", "arrests_per_day", "detainers", "persons_arrested"):
        with pytest.raises(PrivacyError, match="by week"):
            attack_wh.query(metric, grain="week", fy=2025)


# ------------------------------------------------------------------ 3. totals vs series
@SETTINGS
@given(plan=st.lists(st.tuples(st.sampled_from([(), ("aor",), ("criminality",),
                                                ("aor", "criminality")]),
                               st.sampled_from(["series", "fy", "all", "months"]),
                               st.integers(0, 1)), min_size=3, max_size=10))
def test_totals_and_series_together_do_not_pin_a_cell(attack_wh, plan):
    attacker = Attacker(_atoms(attack_wh))
    for by, kind, fy in plan:
        options = {"series": {"grain": "fy"}, "fy": {"fy": FYS[fy]}, "all": {},
                   "months": {"grain": "month", "fy": FYS[fy]}}[kind]
        attacker.observe(attack_wh.query("arrests", by=list(by), **options).to_dict())
    _assert_nothing_determined(attack_wh, attacker)


# ------------------------------------------------------------------ 4. days, weeks and months
@SETTINGS
@given(windows=st.lists(st.tuples(st.integers(0, 729), st.integers(0, 40)), min_size=2,
                        max_size=10))
def test_day_windows_and_month_series_do_not_pin_a_day(attack_wh, windows):
    attacker = Attacker(_atoms(attack_wh, dims=(), grain="day"))
    start = dt.date(2023, 10, 1)
    for offset, length in windows:
        lo = start + dt.timedelta(days=offset)
        hi = min(lo + dt.timedelta(days=length), dt.date(2025, 9, 30))
        attacker.observe(attack_wh.query("arrests", date_from=lo, date_to=hi).to_dict())
        attacker.observe(attack_wh.query("arrests", grain="day", date_from=lo,
                                         date_to=hi).to_dict())
    for fy in FYS:
        attacker.observe(attack_wh.query("arrests", grain="month", fy=fy).to_dict())
        attacker.observe(attack_wh.query("arrests", fy=fy).to_dict())
    _assert_nothing_determined(attack_wh, attacker)


# ------------------------------------------------------------------ 5. shares
@SETTINGS
@given(plan=st.lists(st.tuples(st.sampled_from([(), ("aor",)]), st.sampled_from(["month", "fy"]),
                               st.integers(0, 1), st.booleans()), min_size=2, max_size=8))
def test_shares_reveal_no_more_than_released_counts(attack_wh, plan):
    outcome = "CASE WHEN final_order THEN 'hit' WHEN NOT final_order THEN 'miss' ELSE 'excluded' END"
    attacker = Attacker(_atoms(attack_wh, dims=("aor", "criminality"), outcome_sql=outcome))
    for by, grain, fy, count in plan:
        metric = "arrests" if count else "final_order_share"
        answer = attack_wh.query(metric, by=list(by), grain=grain, fy=FYS[fy])
        if not count:
            assert answer.precision == 4
            assert all(v is None or round(v, 4) == v for v in answer.table.column("value").to_pylist())
        attacker.observe(answer.to_dict())
    parts = ["count", "all", "incomplete", "outcome:final_order_share"]
    _assert_nothing_determined(attack_wh, attacker, parts=parts)


def test_shares_over_windows_are_read_from_released_cells(attack_wh):
    with pytest.raises(PrivacyError):  # no day table for shares: arbitrary windows are refused
        attack_wh.query("final_order_share", date_from="2024-10-03", date_to="2024-11-17")


# ------------------------------------------------------------------ 6. facility (and state) vs office
@SETTINGS
@given(plan=st.lists(st.tuples(st.sampled_from(["facility", "aor", "both"]),
                               st.lists(st.sampled_from(sum(FACILITIES.values(), [])), min_size=1,
                                        max_size=3, unique=True),
                               st.sampled_from(["month", "fy"]), st.integers(0, 1)),
                     min_size=2, max_size=8))
def test_facility_and_office_tables_do_not_pin_a_facility(attack_wh, plan):
    attacker = Attacker(_atoms(attack_wh, "detainers", "detainer_prepare_date",
                               dims=("aor", "criminality", "facility")))
    for kind, facilities, grain, fy in plan:
        options = {"grain": grain, "fy": FYS[fy]}
        if kind in ("facility", "both"):
            attacker.observe(attack_wh.query("detainers", by=["facility"], **options).to_dict())
            attacker.observe(attack_wh.query("detainers", where={"facility": facilities},
                                             **options).to_dict())
        if kind in ("aor", "both"):
            attacker.observe(attack_wh.query("detainers", by=["aor"], **options).to_dict())
    _assert_nothing_determined(attack_wh, attacker, "detainers")


@SETTINGS
@given(plan=st.lists(st.tuples(st.sampled_from([("aor",), ("state",), ()]),
                               st.sampled_from(["month", "fy"]), st.integers(0, 1)),
                     min_size=2, max_size=8))
def test_state_and_office_tables_do_not_pin_a_state(attack_wh, plan):
    attacker = Attacker(_atoms(attack_wh, dims=("aor", "criminality", "state")))
    for by, grain, fy in plan:
        attacker.observe(attack_wh.query("arrests", by=list(by), grain=grain,
                                         fy=FYS[fy]).to_dict())
    _assert_nothing_determined(attack_wh, attacker)


# ------------------------------------------------------------------ 7. per-day rates
@SETTINGS
@given(plan=st.lists(st.tuples(st.sampled_from([(), ("aor",), ("criminality",)]),
                               st.sampled_from(["month", "fy"]), st.integers(0, 1)),
                     min_size=1, max_size=6))
def test_per_day_rates_divide_by_the_same_days_for_every_group(attack_wh, plan):
    attacker = Attacker(_atoms(attack_wh))
    span = attack_wh.release_manifest()["families"]["arrests"]["span"]
    last = dt.date.fromisoformat(span[1])
    for by, grain, fy in plan:
        rate = attack_wh.query("arrests_per_day", by=list(by), grain=grain, fy=FYS[fy])
        count = attack_wh.query("arrests", by=list(by), grain=grain, fy=FYS[fy])
        assert rate.precision == 2
        period = "month" if grain == "month" else "fiscal_year"
        for r, c in zip(rate.to_pandas().itertuples(), count.to_pandas().itertuples()):
            assert r.suppressed == c.suppressed
            lo, hi = (fy_bounds(getattr(r, period)) if grain == "fy" else
                      (getattr(r, period), month_end(getattr(r, period))))
            days = (min(hi, last) - lo).days + 1  # calendar days up to the data end, every group
            if not r.suppressed:
                assert r.value == pytest.approx(round(c.value / days, 2))
        attacker.observe(count.to_dict())
    _assert_nothing_determined(attack_wh, attacker)


# ------------------------------------------------------------------ through the HTTP API
@SETTINGS
@given(plan=st.lists(st.tuples(subsets, st.booleans(), st.integers(0, 1)), min_size=3,
                     max_size=10))
def test_http_answers_do_not_determine_a_cell(attack_db, attack_wh, plan):
    from fastapi.testclient import TestClient

    from immstat.cli.compose import build_app

    attacker = Attacker(_atoms(attack_wh))
    with TestClient(build_app(attack_db, web=False)) as client:
        for aors, by_crim, fy in plan:
            params = {"where": f"aor={','.join(aors)}", "fy": FYS[fy], "grain": "month"}
            if by_crim:
                params["by"] = "criminality"
            response = client.get("/api/v1/query/arrests", params=params)
            assert response.status_code == 200, response.text
            attacker.observe(response.json())
    _assert_nothing_determined(attack_wh, attacker)


# ------------------------------------------------------------------ the oracle has teeth
def test_without_complements_the_same_attacks_recover_small_cells(attack_db, tmp_path,
                                                                   monkeypatch):
    """Negative control: the same warehouse released with primary suppression only (no
    complementary cells, no table withheld whole) leaks under the attacks above — so the properties can fail."""
    import shutil

    from immstat.metrics.release import protect

    def primary_only(system, min_cell):
        primary, _, stats = original(system, min_cell)
        system.withheld = None  # no table withheld whole either
        return primary, primary | system.unreleased(), stats

    original = protect.protect
    monkeypatch.setattr(protect, "protect", primary_only)
    copy = tmp_path / "leaky.duckdb"
    shutil.copy(attack_db, copy)
    with Warehouse(copy) as wh:
        wh.release()
        attacker = Attacker(_atoms(wh))
        for aor in AORS:
            attacker.observe(wh.query("arrests", by=["criminality"], where={"aor": [aor]},
                                      grain="month", fy=2025).to_dict())
            attacker.observe(wh.query("arrests", where={"aor": [aor]}, grain="month",
                                      fy=2025).to_dict())
        attacker.observe(wh.query("arrests", by=["criminality"], grain="month", fy=2025).to_dict())
        with pytest.raises(AssertionError, match="determined primary cells"):
            _assert_nothing_determined(wh, attacker)
