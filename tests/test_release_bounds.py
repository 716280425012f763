"""The protection's bounds: sparse tables withheld whole (zeros too), a family withheld whole when
a cell finds no certificate within the work bounds, and the same release on every run (work is
counted in steps and nodes, never seconds)."""

from __future__ import annotations

import datetime as dt
import shutil

import numpy as np
import pandas as pd

from immstat.metrics import suppression, views
from immstat.metrics.engine import Request
from immstat.metrics.registry import get_metric
from immstat.metrics.release import certify, oracle, protect
from test_suppression_properties import system_of

OCT, NOV = dt.date(2024, 10, 1), dt.date(2024, 11, 1)
# HOU's convicted cells are small in both months; the rest are large
CELLS = {("HOU", "convicted", OCT): 3, ("HOU", "pending", OCT): 40, ("HOU", "other", OCT): 25,
         ("HOU", "convicted", NOV): 4, ("HOU", "pending", NOV): 31, ("HOU", "other", NOV): 28,
         ("MIA", "convicted", OCT): 50, ("MIA", "pending", OCT): 2, ("MIA", "other", OCT): 60,
         ("MIA", "convicted", NOV): 45, ("MIA", "pending", NOV): 33, ("MIA", "other", NOV): 5}


def test_a_table_mostly_suppressed_is_withheld_whole_and_the_rest_is_certified():
    system = system_of(CELLS, {})
    primary, hidden, stats = protect.protect(system, 40)  # most office × criminality cells < 40
    table = (system.cells.part == "count") & (system.cells.dims == "aor|criminality") \
        & (system.cells.grain == "month")
    assert system.withheld[table.to_numpy()].all()
    assert "count aor|criminality@month" in stats["withheld_tables"]
    assert hidden[system.withheld].all()
    audit = certify.audit(system, hidden, primary)
    assert not audit.missing
    assert not (oracle.determined_cells(system, hidden) & primary).any()


def test_no_certificate_within_the_bounds_withholds_the_whole_family(monkeypatch):
    monkeypatch.setattr(certify, "MAX_CELLS", 1)  # the search finds nothing …
    monkeypatch.setattr(protect, "MAX_PROGRAMS", 0)  # … and no integer program may run
    system = system_of(CELLS, {})
    primary, hidden, stats = protect.protect(system, 11)
    released = ~system.unreleased()
    assert primary.any() and system.withheld[released].all() and hidden.all()
    assert "withheld whole" in stats["withheld"] and "no certificate for the cell" in stats["withheld"]


def test_the_release_is_the_same_on_every_run():
    runs = [protect.protect(system_of(CELLS, {(OCT): 7}), 11) for _ in range(3)]
    for primary, hidden, stats in runs[1:]:
        assert (primary == runs[0][0]).all() and (hidden == runs[0][1]).all()
        assert stats["certificates"] == runs[0][2]["certificates"]


def test_a_withheld_table_hides_its_zero_cells_too():
    """A view of a withheld table shows every cell suppressed, the cells with no records too
    (an attacker then knows them only to be ≥ 0, as the protection assumed)."""
    metric = get_metric("arrests")
    stored = pd.DataFrame({"period": [OCT.toordinal()], "v1": ["HOU"], "v2": [""], "outcome": [""],
                           "n": [np.nan], "status": ["withheld"]})
    release = {"cells": {("arrests", "count", "aor", "month"): stored}, "values": {},
               "domains": {("arrests", "aor"): ["HOU", "MIA"]},
               "withheld": frozenset({("arrests", "count", "aor", "month")})}
    req = Request(metric, by=["aor"], grain="month", start=OCT, end=dt.date(2024, 10, 31))
    cells = views._grid(release, "arrests", "count", ("aor",), "month",
                        np.array([OCT.toordinal()]), req)
    assert cells["hidden"].all() and cells["n"].isna().all()  # MIA has no records: hidden too
    release["withheld"] = frozenset()
    cells = views._grid(release, "arrests", "count", ("aor",), "month",
                        np.array([OCT.toordinal()]), req)
    assert cells.set_index("aor")["n"].to_dict()["MIA"] == 0.0  # a released table shows its zeros


def test_distinct_persons_counted_in_passes_equal_one_pass(attack_db, tmp_path, monkeypatch):
    """At 100 M records one grouped pass over all persons ran out of memory, so distinct persons
    are counted over disjoint sets of persons and summed: the sums must equal one pass, cell by
    cell (persons, records, blanks)."""
    from immstat import Warehouse
    from immstat.core import passes
    from immstat.metrics.measures import CountDistinct
    from immstat.metrics.release import build, count

    copy = tmp_path / attack_db.name  # the count writes its views: a copy, not the shared file
    shutil.copy(attack_db, copy)
    family = next(f for f in build.families() if f.name == "arrests")
    [persons] = [m for m in build.family_metrics(family) if isinstance(m.measure, CountDistinct)
                 and m.derive is None][:1]
    with Warehouse(copy) as wh:
        linked = wh.backend("duckdb")
        one = count.nonadditive_cells(linked, family, persons)
        monkeypatch.setattr(passes, "ROWS_PER_PASS", wh.table_rows(family.table) // 7)
        passes = count.nonadditive_cells(linked, family, persons)  # eight passes
    order = ["dims", "grain", "period", "v1", "v2"]
    one, passes = (f.sort_values(order).reset_index(drop=True) for f in (one, passes))
    assert len(one) > 50 and one["value"].sum() > 0
    pd.testing.assert_frame_equal(one, passes, check_dtype=False)


def test_the_final_check_rejects_a_broken_certificate_however_many_cells_it_covers():
    """Certificates are checked once each, not once per cell covered: the check still fails when
    a certificate breaks an equation or does not change a cell it is said to cover."""
    system = system_of(CELLS, {})
    n = system.cells.n.to_numpy()
    primary = suppression.primary(n, 11) & ~system.unreleased()
    space = protect.Space(system, primary | system.may_be_zero(), protect.weights(system.cells) * n)
    ledger = protect._Ledger()
    for p in np.flatnonzero(primary).tolist():
        if p not in ledger.cover:
            ledger.add(certify.search(space, p, shown=True), primary)
            space.hide(list(ledger.certs[-1]))
    assert len(ledger.cover) > len(set(ledger.cover.values())) > 0  # one covers several
    assert ledger.verified(space)
    assert ledger.verified(space) == all(space.verify(ledger.certs[k], p)
                                         for p, k in ledger.cover.items())
    p, k = next(iter(ledger.cover.items()))
    broken = dict(ledger.certs[k])
    broken[p] += 1  # one more record in p: its equations no longer balance
    ledger.certs[k] = broken
    assert not space.balanced(broken) and not ledger.verified(space)
    ledger.certs[k] = broken
    broken[p] -= 1  # mended
    assert ledger.verified(space)
    ledger.certs.append({})  # balanced, but it changes nothing: it proves nothing about p
    ledger.cover[p] = len(ledger.certs) - 1
    assert space.balanced({}) and not ledger.verified(space)
