"""Joint protection: primary suppression, then complementary suppression built certificate by
certificate over every linked table of a family.

Each primary cell (1 … min_cell−1) needs a certificate (see :mod:`certify`): a whole-number change
of hidden cells only that the released cells can't see. For each primary cell not yet covered
(most connected first): a certificate among the cells already hidden; failing that, the cheapest
certificate the branch-and-bound search finds when released cells may be hidden too; failing
that, the cheapest by an integer program (HiGHS) over the cell's neighbourhood in every linked
table — days, months, fiscal years, margins, share outcomes, blanks. Cost: weighted records
hidden (see :func:`weights`). The certificate's cells are hidden. Hiding more never breaks a certificate
already found, so one pass suffices; every certificate is checked exactly before it counts.
Zero cells are known and never hidden — except in a table withheld whole (:func:`sparse`), whose
cells an attacker knows only to be ≥ 0. The work is bounded (search steps, integer-program nodes,
``MAX_PROGRAMS``), never timed, so a release is the same on every machine; a cell that finds no
certificate within the bounds withholds its whole family.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from immstat.metrics import suppression
from immstat.metrics.release import certify
from immstat.metrics.release.model import System
from immstat.metrics.release.space import Space

SPARSE = 0.5  # share of a table's nonzero cells that are primary at which it is withheld whole
MAX_PROGRAMS = 100  # integer programs per family; then the family is withheld whole
TOTALS_WEIGHT = 1000.0  # cost per record of the national fiscal-year and all-time totals


def weights(cells) -> np.ndarray:
    """Cost per record hidden: 1; national all-records months 4 (the headline series); share
    outcomes 0.5; national all-records fiscal-year and all-time totals 1000 (they match the
    published totals: hidden only when nothing else can protect a small cell, e.g. a small
    fiscal year next to the all-time total)."""
    w = np.ones(len(cells))
    part, grain = cells.part.to_numpy(), cells.grain.to_numpy()
    w[(part == "all") & (grain == "month")] = 4.0
    w[np.char.startswith(part.astype(str), "outcome:")] = 0.5
    w[(part == "all") & np.isin(grain, ("fy", "all"))] = TOTALS_WEIGHT
    return w


def protect(system: System, min_cell: int) -> tuple[np.ndarray, np.ndarray, dict]:
    """(primary mask, hidden mask, stats) for the system's cells; every primary cell of the
    result has a verified certificate (counts by method in ``stats['certificates']``). Sets
    ``system.withheld``: tables withheld whole (:func:`sparse`), or the whole family when a
    cell finds no certificate within the work bounds (``stats['withheld']`` says why)."""
    started = time.perf_counter()
    n = system.cells.n.to_numpy()
    unreleased = system.unreleased()
    primary = suppression.primary(n, min_cell) & ~unreleased
    system.withheld = sparse(system, primary)
    weight = weights(system.cells)
    cost = weight * n
    space = Space(system, primary | system.may_be_zero(), cost)
    ledger = _Ledger()
    found = {"search": 0, "search_hiding": 0, "program_hiding": 0}
    for p in _order(system, primary):
        if p in ledger.cover:
            continue
        v, how = certify.search(space, p), "search"
        if v is None:
            v, how = certify.search(space, p, shown=True), "search_hiding"
        totals = v is not None and _hides_totals(space, v, weight)
        if (v is None or totals) and found["program_hiding"] < MAX_PROGRAMS:
            better = certify.cheapest(space, p, shown=True, whole=totals)
            if better is not None and (v is None or _price(space, better) < _price(space, v)):
                v, how = better, "program_hiding"
        if v is None:
            return _withhold_family(system, primary, started, found, p)
        space.hide(list(v))
        if not space.verify(v, p):
            raise RuntimeError(f"a certificate for release cell {p} failed its exact check")
        found[how] += 1
        ledger.add(v, primary)
    complementary = space.hidden & ~primary & ~system.may_be_zero()
    released = _prune(space, ledger, np.flatnonzero(complementary), cost)
    if not ledger.verified(space):
        raise RuntimeError("a certificate failed its exact check after pruning")
    stats = {"certificates": {**found, "kept": len(set(ledger.cover.values())),
                              "pruned_cells": released},
             "withheld_tables": _tables(system.cells[system.withheld]),
             "seconds": round(time.perf_counter() - started, 3)}
    return primary, space.hidden, stats


def _hides_totals(space: Space, v: dict[int, int], weight: np.ndarray) -> bool:
    """Would certificate ``v`` hide a national fiscal-year or all-time total (weight 1000)? The
    search then asks the integer program for a cheaper one."""
    return any(weight[c] >= TOTALS_WEIGHT and not space.hidden[c] for c in v)


def _price(space: Space, v: dict[int, int]) -> float:
    return sum(space.price(c) for c in v)


def sparse(system: System, primary: np.ndarray) -> np.ndarray:
    """Cells of released broken-down tables (part × dims × grain) whose nonzero cells are at
    least ``SPARSE`` primary: such a table is withheld whole — every cell hidden, its zeros too —
    since it would show little; the next coarser grain carries its records. National series
    (totals, blanks) are never withheld whole: their small cells are protected one by one."""
    cells = system.cells
    table = (cells.part + "\x1f" + cells.dims + "\x1f" + cells.grain).to_numpy()
    nonzero = cells.n.to_numpy() > 0
    share = (pd.Series(primary & nonzero).groupby(table).transform("sum")
             / pd.Series(nonzero).groupby(table).transform("sum").clip(lower=1)).to_numpy()
    return ~system.unreleased() & (share >= SPARSE) & (cells.dims != "").to_numpy()


def _withhold_family(system: System, primary: np.ndarray, started: float, found: dict,
                     p: int) -> tuple[np.ndarray, np.ndarray, dict]:
    """No certificate for ``p`` within the work bounds: the family is withheld whole (safe:
    nothing of it is shown) and the stats say which cell stopped it."""
    system.withheld = ~system.unreleased()
    cell = system.cells.iloc[p]
    reason = (f"no certificate for the cell {cell.part} {cell.dims or 'national'} {cell.grain} "
              f"{cell.v1} {cell.v2} (period {cell.period}) within {MAX_PROGRAMS} integer "
              "programs; the family is withheld whole")
    stats = {"certificates": {**found, "kept": 0, "pruned_cells": 0}, "withheld": reason,
             "withheld_tables": _tables(system.cells[system.withheld]),
             "seconds": round(time.perf_counter() - started, 3)}
    return primary, np.ones(len(primary), dtype=bool), stats


def _tables(cells) -> list[str]:
    """Names (part dims@grain) of the tables the cells belong to."""
    names = cells.part + " " + cells.dims.where(cells.dims != "", "national") + "@" + cells.grain
    return sorted(set(names))


class _Ledger:
    """Certificates found so far: which one covers each primary cell, which use each cell."""

    def __init__(self) -> None:
        self.certs: list[dict[int, int]] = []
        self.cover: dict[int, int] = {}
        self.uses: dict[int, set[int]] = {}

    def add(self, v: dict[int, int], primary: np.ndarray) -> None:
        """A new certificate: it covers every primary cell it changes that has none yet."""
        self.replace(v, [c for c in v if primary[c] and c not in self.cover])

    def verified(self, space: Space) -> bool:
        """Every covered cell is changed by its certificate, and every certificate in use passes
        the exact check — once, however many cells it covers (one may cover thousands)."""
        exact = {k: space.balanced(self.certs[k]) for k in set(self.cover.values())}
        return all(exact[k] and self.certs[k].get(p) for p, k in self.cover.items())

    def replace(self, v: dict[int, int], cells: list[int]) -> None:
        """A new certificate that now covers ``cells`` (those of them it changes)."""
        k = len(self.certs)
        self.certs.append(v)
        for c in v:
            self.uses.setdefault(c, set()).add(k)
        for c in cells:
            if c in v:
                self.cover[c] = k


def _prune(space: Space, ledger: _Ledger, complementary: np.ndarray, cost: np.ndarray) -> int:
    """Release complementary cells again, costliest first, when the primary cells whose
    certificates used one find new certificates among the cells still hidden; returns how many."""
    released = 0
    for c in complementary[np.argsort(-cost[complementary], kind="stable")].tolist():
        stale = ledger.uses.get(c, set())
        needy = [p for p, k in ledger.cover.items() if k in stale]
        space.unhide([c])
        fresh: list[dict[int, int]] = []
        for p in needy:
            if any(p in v for v in fresh):
                continue
            v = certify.search(space, p)
            if v is None:
                break
            fresh.append(v)
        else:
            for v in fresh:
                ledger.replace(v, needy)
            released += 1
            continue
        space.hide([c])
    return released


def _order(system: System, primary: np.ndarray) -> list[int]:
    """Primary cells, most connected first (their certificates cover most others)."""
    ptr = system.incidence()[0]
    cells = np.flatnonzero(primary)
    degree = ptr[cells + 1] - ptr[cells]
    return cells[np.argsort(-degree, kind="stable")].tolist()
