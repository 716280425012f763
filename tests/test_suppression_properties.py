"""Property tests of the protection itself, on random families of cells (no warehouse needed):
the certificate audit agrees with the independent global oracle (linear algebra on every hidden
cell), the protector certifies every primary cell, nothing is hidden when nothing is small; and
on the attack warehouse, overlapping windows show the same cells.

(Rewritten for the protected release: these properties used to build one warehouse per example
and check the old per-query suppression; the same questions — can margins, coarser tables or
windows recover a suppressed cell? — are now asked of the release's equations directly, and of
the public query surface in tests/test_release_attacks.py.)
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from immstat.core.calendar import month_end
from immstat.metrics.lattice import Lattice
from immstat.metrics.release import certify, count, model, oracle, protect

AORS = ["HOU", "MIA", "SEA"]
CRIMS = ["convicted", "pending", "other"]
STATE = {"HOU": "TX", "MIA": "FL", "SEA": "TX"}  # two offices share a state: a geographic link
MONTHS = [dt.date(2024, 10, 1), dt.date(2024, 11, 1), dt.date(2025, 2, 1), dt.date(2025, 10, 1)]
LATTICE = Lattice(((("aor", "criminality"), "month"), (("state",), "month")),
                  core=("aor", "criminality"))

counts = st.dictionaries(st.tuples(st.sampled_from(AORS), st.sampled_from(CRIMS),
                                   st.sampled_from(MONTHS)),
                         st.integers(min_value=1, max_value=40), min_size=2, max_size=24)
blanks = st.dictionaries(st.sampled_from(MONTHS), st.integers(min_value=1, max_value=30))
SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def system_of(cells_by_key: dict, incomplete: dict) -> model.System:
    """The release's system for records counted by (office, criminality, month), plus records
    with a blank office per month — built with the release's own counting code."""
    frame = pd.DataFrame([{"_d_aor": a, "_d_criminality": c, "_d_state": STATE[a],
                           "_p": pd.Timestamp(m), "n": n} for (a, c, m), n in cells_by_key.items()])
    parts = [count._cells(frame, dims, "month", finest, "count")
             for dims, finest in LATTICE.finest().items()]
    national = frame.groupby("_p", as_index=False)["n"].sum()
    for month, n in incomplete.items():
        national.loc[len(national)] = [pd.Timestamp(month), n]
    national = national.groupby("_p", as_index=False)["n"].sum()
    parts.append(count._cells(national, (), "month", "month", "all"))
    parts += count._joint_cells(frame, LATTICE.joints(), "count")
    cells = pd.concat(parts, ignore_index=True)
    return model.build(pd.concat([cells, count._incomplete(cells)], ignore_index=True))


@SETTINGS
@given(cells=counts, incomplete=blanks)
def test_protection_certifies_every_small_cell_and_the_oracle_agrees(cells, incomplete):
    system = system_of(cells, incomplete)
    primary, hidden, stats = protect.protect(system, 11)
    n = system.cells.n.to_numpy()
    assert (primary == ((n > 0) & (n < 11) & ~system.unreleased())).all()
    assert (hidden[primary]).all() and (hidden[system.unreleased()]).all()
    audit = certify.audit(system, hidden, primary)
    assert not audit.missing and audit.certified[primary].all()
    assert not (oracle.determined_cells(system, hidden) & primary).any()
    assert sum(stats["certificates"].values()) >= 1 if primary.any() else True


@SETTINGS
@given(cells=counts, incomplete=blanks, seed=st.integers(0, 2**16))
def test_a_certified_cell_is_never_determined(cells, incomplete, seed):
    """On arbitrary suppression patterns (not only the protector's), every cell the certificate
    audit certifies is left open by the global oracle, and every cell the oracle finds
    determined is reported without a certificate."""
    system = system_of(cells, incomplete)
    rng = np.random.default_rng(seed)
    released = ~system.unreleased()
    hidden = (rng.random(len(released)) < rng.uniform(0.1, 0.7)) | ~released
    primary = hidden & released & (rng.random(len(released)) < 0.5)
    audit = certify.audit(system, hidden, primary)
    determined = oracle.determined_cells(system, hidden)
    assert not (audit.certified & determined).any()
    assert set(np.flatnonzero(determined & primary)) <= set(audit.missing)


@SETTINGS
@given(cells=st.dictionaries(st.tuples(st.sampled_from(AORS), st.sampled_from(CRIMS),
                                       st.sampled_from(MONTHS)),
                             st.integers(min_value=11, max_value=60), min_size=1, max_size=24))
def test_nothing_is_hidden_when_nothing_is_small(cells):
    system = system_of(cells, {})
    primary, hidden, _ = protect.protect(system, 11)
    joint = system.unreleased()
    assert not primary.any() and not (hidden & ~joint).any()
    national = system.cells[(system.cells.part == "all") & (system.cells.grain == "all")]
    assert national.n.sum() == sum(cells.values())


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shift=st.integers(min_value=1, max_value=60), by=st.sampled_from([[], ["criminality"]]))
def test_overlapping_windows_agree_cell_by_cell(attack_wh, shift, by):
    start = dt.date(2023, 10, 1)

    def cells(lo, hi):
        result = attack_wh.query("arrests", by=by, grain="day" if not by else "month",
                                 date_from=lo, date_to=hi)
        return {tuple(r[:-5]): tuple(r[-5:-3]) for r in result.rows()}  # keys: (value, suppressed)

    a = cells(start, month_end(start + dt.timedelta(days=150)))
    b = cells((start + dt.timedelta(days=shift)).replace(day=1) if by else
              start + dt.timedelta(days=shift), month_end(start + dt.timedelta(days=200)))
    common = set(a) & set(b)
    assert common and all(a[k] == b[k] for k in common)
