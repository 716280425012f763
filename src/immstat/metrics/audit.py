"""Disclosure audit: could a suppressed small cell be solved for from what ImmStat releases?

An attacker knows every released cell of a table and every released margin of the coarser
queries (the same table with one dimension dropped, or time rolled up one calendar level —
computed here exactly as ImmStat would release them, suppression included). Each margin is a
linear equation over the table's cells. A primary-suppressed cell is *disclosed* when it is
determined by those equations but was not already determined by the margins alone (a leak
among coarser tables is theirs, not this table's). Determinacy is tested exactly (null space of
the equation matrix) for up to ``EXACT_LIMIT`` unknowns and by peeling (equations with one
unknown) beyond that.
"""

from __future__ import annotations

import numpy as np

EXACT_LIMIT = 400


def determined(n_cells: int, unknown: np.ndarray, equations: list[list[int]]) -> np.ndarray:
    """Boolean per cell: value follows from the known cells and the equations' totals."""
    known = ~unknown.copy()
    unknown_idx = np.flatnonzero(unknown)
    if len(unknown_idx) == 0:
        return known
    if len(unknown_idx) <= EXACT_LIMIT:
        return known | _exact(unknown_idx, equations, n_cells)
    return _peel(known, equations)


def _exact(unknown_idx: np.ndarray, equations: list[list[int]], n_cells: int) -> np.ndarray:
    position = {int(c): k for k, c in enumerate(unknown_idx)}
    rows = []
    for eq in equations:
        row = np.zeros(len(unknown_idx))
        for cell in eq:
            k = position.get(cell)
            if k is not None:
                row[k] = 1.0
        if row.any():
            rows.append(row)
    solved = np.zeros(n_cells, dtype=bool)
    if not rows:
        return solved
    matrix = np.array(rows)
    _, sing, vt = np.linalg.svd(matrix)
    rank = int((sing > 1e-9).sum())
    null = vt[rank:]  # basis of the null space: directions the unknowns can move together
    free = np.abs(null).max(axis=0) > 1e-9 if len(null) else np.zeros(len(unknown_idx), bool)
    solved[unknown_idx[~free]] = True
    return solved


def _peel(known: np.ndarray, equations: list[list[int]]) -> np.ndarray:
    known = known.copy()
    changed = True
    while changed:
        changed = False
        for eq in equations:
            open_cells = [c for c in eq if not known[c]]
            if len(open_cells) == 1:
                known[open_cells[0]] = True
                changed = True
    return known


def disclosed(n_cells: int, primary: np.ndarray, suppressed: np.ndarray,
              equations: list[list[int]]) -> list[int]:
    """Primary cells this table's released cells make solvable (see module docstring)."""
    if not primary.any():
        return []
    after = determined(n_cells, suppressed, equations)
    candidates = np.flatnonzero(primary & after)
    if len(candidates) == 0:
        return []
    before = determined(n_cells, np.ones(n_cells, dtype=bool), equations)
    return [int(c) for c in candidates if not before[c]]
