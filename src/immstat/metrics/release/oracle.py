"""An independent, global check (for tests on small warehouses): which hidden cells do the
released cells determine by linear algebra?

The attacker knows every released cell and every equation of the system (every table of the
lattice, every grain). Released cells move to the right-hand side; what is left is a linear
system ``A x = b`` over the hidden cells. A hidden cell is determined exactly when its unit
vector lies in the row space of ``A`` — equivalently when every vector of ``A``'s null space is
zero at it. ``A`` splits into connected components (hidden cells linked by equations); each is
tested separately by a rank-revealing SVD (0/±1 matrices; singular values below 1e-9 are zero).
Cubic in a component's size: the release itself is audited by certificates (``certify.py``),
which this oracle must agree with — a certified cell is never determined.
"""

from __future__ import annotations

import numpy as np

from immstat.metrics.release.model import System

TOL = 1e-9


def determined_cells(system: System, hidden: np.ndarray) -> np.ndarray:
    """Boolean per cell: hidden but determined by the released cells (for tests and reports)."""
    equations = [e for e, cells in enumerate(system.members) if hidden[cells].any()]
    out = np.zeros(len(hidden), dtype=bool)
    for rows, cols in _components(system, equations, hidden):
        out[cols[_determined(_matrix(system, rows, cols))]] = True
    return out


def _components(system: System, equations: list[int], hidden: np.ndarray):
    """Connected components of hidden cells joined by shared equations: (equations, cells)."""
    parent: dict[int, int] = {}

    def find(a: int) -> int:
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for e in equations:
        cells = system.members[e][hidden[system.members[e]]]
        for c in cells[1:]:
            ra, rb = find(int(cells[0])), find(int(c))
            if ra != rb:
                parent[ra] = rb
        find(int(cells[0]))
    groups: dict[int, tuple[list[int], set[int]]] = {}
    for e in equations:
        cells = system.members[e][hidden[system.members[e]]]
        rows, cols = groups.setdefault(find(int(cells[0])), ([], set()))
        rows.append(e)
        cols.update(int(c) for c in cells)
    for rows, cols in groups.values():
        yield rows, np.array(sorted(cols))


def _matrix(system: System, rows: list[int], cols: np.ndarray) -> np.ndarray:
    position = {int(c): k for k, c in enumerate(cols)}
    matrix = np.zeros((len(rows), len(cols)))
    for r, e in enumerate(rows):
        cells = system.members[e]
        for j, c in enumerate(cells):
            k = position.get(int(c))
            if k is not None:
                matrix[r, k] += 1.0 if j == 0 else -1.0
    return matrix


def _determined(matrix: np.ndarray) -> np.ndarray:
    if matrix.shape[1] == 0:
        return np.zeros(0, dtype=bool)
    _, sing, vt = np.linalg.svd(matrix, full_matrices=True)
    rank = int((sing > TOL * max(1.0, sing[0] if len(sing) else 1.0)).sum())
    null = vt[rank:]
    if len(null) == 0:
        return np.ones(matrix.shape[1], dtype=bool)
    return np.abs(null).max(axis=0) <= 1e-7
