"""Joint protection: primary suppression, then complementary suppression chosen by a MILP
(HiGHS) over every linked table of a family, then the exact audit, with cuts, to a fix-point.

MILP: one binary ``x`` per cell (1 = hidden); primary cells (1 … min_cell−1) fixed at 1; zero
cells are known and never variables. For every equation and every member ``h`` of it:
``x_h ≤ Σ x_others`` (a hidden cell is never the only hidden cell of an equation). Objective:
records hidden, weighted by what the cell is for (see :func:`weights`). Only equations that
touch a hidden cell matter, so the problem is solved on that region and the region is grown
until it no longer changes. Then :mod:`audit` checks the whole system exactly; a primary cell
still determined gets a cut (one more released cell of the equations that determine it must be
hidden) and the MILP is solved again.
"""

from __future__ import annotations

import numpy as np

from immstat.metrics.release import audit
from immstat.metrics.release.model import System

MAX_ROUNDS = 60
FREEZE_AFTER = 3  # rounds after which hidden cells stay hidden and a leak's whole certificate
# is hidden (each round then strictly adds cells, so the loop ends)
TIME_LIMIT = 20.0  # seconds per MILP solve


def weights(cells) -> np.ndarray:
    """Cost per record hidden: 1; national all-records months 4 (the headline series); share
    outcomes 0.5. National all-records fiscal-year and all-time totals can't be hidden (they
    are the published golden totals) unless they are themselves small."""
    w = np.ones(len(cells))
    part, grain = cells.part.to_numpy(), cells.grain.to_numpy()
    w[(part == "all") & (grain == "month")] = 4.0
    w[np.char.startswith(part.astype(str), "outcome:")] = 0.5
    w[(part == "all") & np.isin(grain, ("fy", "all"))] = np.inf
    return w


def protect(system: System, min_cell: int) -> tuple[np.ndarray, np.ndarray, dict]:
    """(primary mask, hidden mask, stats) for the system's cells."""
    n = system.cells.n.to_numpy()
    primary = (n > 0) & (n < min_cell)
    hidden = primary.copy()
    stats = {"rounds": 0, "cuts": 0, "milp_seconds": 0.0, "audit_seconds": 0.0}
    if not primary.any():
        return primary, hidden, stats
    cost = weights(system.cells) * n
    eq_of = system.by_cell()
    cuts: list[np.ndarray] = []
    import time

    keep = primary.copy()
    for round_ in range(MAX_ROUNDS):
        stats["rounds"] += 1
        t0 = time.perf_counter()
        hidden = _fixpoint(system, eq_of, keep, hidden, cost, cuts)
        t1 = time.perf_counter()
        leaks = audit.leaks(system, hidden, primary)
        stats["milp_seconds"] += t1 - t0
        stats["audit_seconds"] += time.perf_counter() - t1
        if not leaks:
            return primary, hidden, stats
        if round_ >= FREEZE_AFTER:
            keep |= hidden
        for cut in leaks:
            cut = cut[(n[cut] > 0) & ~hidden[cut] & np.isfinite(cost[cut])]
            if len(cut) == 0:
                raise RuntimeError("audit found a disclosure no further suppression can fix")
            cuts.append(cut)
            stats["cuts"] += 1
            if round_ >= FREEZE_AFTER:  # converge: hide every released cell of the certificate
                keep[cut] = True
    raise RuntimeError(f"protection did not converge in {MAX_ROUNDS} rounds")


def _fixpoint(system: System, eq_of, keep, hidden, cost, cuts) -> np.ndarray:
    """Solve on the equations touching hidden cells (and the cuts) until that region is stable."""
    active: set[int] = set()
    solved = False
    while True:
        grow = {e for c in np.flatnonzero(hidden) for e in eq_of[c]} - active
        if solved and not grow:
            return hidden
        active |= grow
        hidden = _solve(system, sorted(active), keep, hidden, cost, cuts)
        solved = True


def _solve(system: System, active: list[int], keep, hidden, cost, cuts) -> np.ndarray:
    """One MILP on the equations ``active``; ``keep`` cells are hidden whatever it costs."""
    import highspy

    n = system.cells.n.to_numpy()
    pool = np.unique(np.concatenate([*(system.members[e] for e in active), *cuts,
                                     np.flatnonzero(hidden)]))
    pool = pool[n[pool] > 0]
    col = {int(c): i for i, c in enumerate(pool)}
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", TIME_LIMIT)
    h.setOptionValue("mip_rel_gap", 1e-3)
    fixed = keep[pool]
    lower = fixed.astype(float)
    upper = np.where(np.isinf(cost[pool]) & ~fixed, 0.0, 1.0)
    h.addVars(len(pool), lower, upper)
    h.changeColsCost(len(pool), np.arange(len(pool), dtype=np.int32),
                     np.where(np.isinf(cost[pool]), 0.0, cost[pool]) + 1e-6)
    h.changeColsIntegrality(len(pool), np.arange(len(pool), dtype=np.int32),
                            np.full(len(pool), highspy.HighsVarType.kInteger))
    starts, index, value, upper_rows, lower_rows = [], [], [], [], []
    for e in active:
        cells = [col[int(c)] for c in system.members[e] if int(c) in col]
        for k in cells:  # x_k − Σ others ≤ 0
            starts.append(len(index))
            index.extend(cells)
            value.extend(1.0 if j == k else -1.0 for j in cells)
            lower_rows.append(-highspy.kHighsInf)
            upper_rows.append(0.0)
    for cut in cuts:  # Σ x ≥ 1
        starts.append(len(index))
        index.extend(col[int(c)] for c in cut)
        value.extend([1.0] * len(cut))
        lower_rows.append(1.0)
        upper_rows.append(highspy.kHighsInf)
    if starts:
        h.addRows(len(starts), np.array(lower_rows), np.array(upper_rows), len(index),
                  np.array(starts, dtype=np.int32), np.array(index, dtype=np.int32),
                  np.array(value))
    h.run()
    solution = np.asarray(h.getSolution().col_value)
    if len(solution) != len(pool):
        status = h.modelStatusToString(h.getModelStatus())
        raise RuntimeError(f"the suppression MILP found no solution ({status})")
    out = np.zeros(len(n), dtype=bool)
    out[pool[solution > 0.5]] = True
    return out | keep
