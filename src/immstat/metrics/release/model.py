"""The linear system an attacker sees: every additive cell of a family, and every equation
"parent = sum of children" that holds between released tables.

Equations: time (a month is the sum of its days, a fiscal year of its months, the whole
release of its fiscal years); margins (a table by one dimension is the sum of the table by two
over the dropped dimension); shares (a count cell is the sum of its hit / miss / excluded
outcomes); blanks (a national all-records total = national complete-records total + incomplete
records). Cells that are absent are true zeros, known to everyone, and left out of the sums.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from immstat.metrics.lattice import PARENT
from immstat.metrics.release.count import KEYS, parent_period


@dataclass
class System:
    """``members[e]``: cell ids of equation ``e``, the parent first (coefficient +1), then its
    children (−1)."""

    cells: pd.DataFrame
    members: list[np.ndarray]

    def by_cell(self) -> list[list[int]]:
        """For each cell, the equations it appears in."""
        out: list[list[int]] = [[] for _ in range(len(self.cells))]
        for e, cells in enumerate(self.members):
            for c in cells:
                out[c].append(e)
        return out


def build(cells: pd.DataFrame) -> System:
    cells = cells.reset_index(drop=True)
    ids = pd.Series(np.arange(len(cells)), index=pd.MultiIndex.from_frame(cells[KEYS]))
    if not ids.index.is_unique:
        raise ValueError("duplicate release cells")
    pairs = [_time(cells), *_margins(cells), _outcomes(cells), _blanks(cells)]
    parent_keys = pd.concat([p[0] for p in pairs], ignore_index=True)
    children = np.concatenate([p[1] for p in pairs])
    parent = ids.reindex(pd.MultiIndex.from_frame(parent_keys[KEYS])).to_numpy()
    if np.isnan(parent.astype("float64")).any():
        raise ValueError("a release cell has no parent cell (lattice not closed)")
    return System(cells, _group(parent.astype(np.int64), children))


def _group(parent: np.ndarray, child: np.ndarray) -> list[np.ndarray]:
    order = np.lexsort((child, parent))
    parent, child = parent[order], child[order]
    starts = np.flatnonzero(np.r_[True, parent[1:] != parent[:-1]])
    ends = np.r_[starts[1:], len(parent)]
    return [np.r_[parent[s], child[s:e]] for s, e in zip(starts, ends)]


def _time(cells: pd.DataFrame):
    keys, kids = [], []
    for grain, up in PARENT.items():
        child = cells[cells.grain == grain]
        if child.empty:
            continue
        keys.append(child[KEYS].assign(grain=up, period=parent_period(child.period.to_numpy(), grain)))
        kids.append(child.index.to_numpy())
    return _pair(keys, kids)


def _margins(cells: pd.DataFrame):
    """Dropping the second, then the first dimension of two-dimensional tables; the only
    dimension of one-dimensional ones."""
    two = cells[cells.dims.str.contains("|", regex=False)]
    one = cells[(cells.dims != "") & ~cells.dims.str.contains("|", regex=False)]
    out = []
    if len(two):
        split = two.dims.str.split("|", expand=True)
        first, second = split[0], split[1]
        out.append(_pair([two[KEYS].assign(dims=first, v2="")], [two.index.to_numpy()]))
        out.append(_pair([two[KEYS].assign(dims=second, v1=two.v2, v2="")], [two.index.to_numpy()]))
    out.append(_pair([one[KEYS].assign(dims="", v1="")], [one.index.to_numpy()]))
    return out


def _outcomes(cells: pd.DataFrame):
    out = cells[cells.part.str.startswith("outcome:")]
    return _pair([out[KEYS].assign(part="count", outcome="")], [out.index.to_numpy()])


def _blanks(cells: pd.DataFrame):
    """all(national, g) = count(national, g) + incomplete(g)."""
    kids = cells[((cells.part == "count") & (cells.dims == "") & (cells.grain != "day"))
                 | (cells.part == "incomplete")]
    return _pair([kids[KEYS].assign(part="all")], [kids.index.to_numpy()])


def _pair(keys: list[pd.DataFrame], kids: list[np.ndarray]):
    if not keys:
        return pd.DataFrame(columns=KEYS), np.zeros(0, dtype=np.int64)
    return pd.concat(keys, ignore_index=True), np.concatenate(kids).astype(np.int64)
