"""The linear system an attacker sees: every additive cell of a family, and every equation
"parent = sum of children" that holds between released tables.

Equations: time (a month is the sum of its days, a fiscal year of its months, the whole
release of its fiscal years); margins (a table by one dimension is the sum of the table by two
over the dropped dimension); shares (a count cell is the sum of its hit / miss / excluded
outcomes); blanks (a national all-records total = national complete-records total + incomplete
records). Cells that are absent are true zeros, known to everyone, and left out of the sums.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from immstat.metrics.lattice import PARENT
from immstat.metrics.release.count import KEYS, parent_period

JOINT = "joint:"  # part prefix of cells that are never released (see lattice.py, Geography)


@dataclass
class System:
    """``members[e]``: cell ids of equation ``e``, the parent first (coefficient +1), then its
    children (−1) in one relation (time, one margin, one share's outcomes, blanks)."""

    cells: pd.DataFrame
    members: list[np.ndarray]
    withheld: np.ndarray | None = None  # cells of tables withheld whole (protect.sparse)
    _incidence: tuple[np.ndarray, np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    def unreleased(self) -> np.ndarray:
        """Cells never shown (geographic joint tables): hidden from the start, and possibly 0 in
        another table an attacker considers (they are ≥ 0, released hidden cells ≥ 1)."""
        return self.cells.part.str.startswith(JOINT).to_numpy()

    def may_be_zero(self) -> np.ndarray:
        """Cells an attacker cannot know to be nonzero: never released, or in a table withheld
        whole (its zero cells are hidden too). Hidden released cells are known to be ≥ 1."""
        out = self.unreleased()
        return out | self.withheld if self.withheld is not None else out

    def by_cell(self) -> list[list[int]]:
        """For each cell, the equations it appears in."""
        ptr, eqs, _ = self.incidence()
        return [eqs[ptr[c]:ptr[c + 1]].tolist() for c in range(len(self.cells))]

    def incidence(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Equations by cell, compressed: cell ``c`` is in equations ``eqs[ptr[c]:ptr[c+1]]``
        with coefficients ``coefs[…]`` (+1 as the parent, −1 as a child)."""
        if self._incidence is None:
            sizes = np.array([len(m) for m in self.members], dtype=np.int64)
            flat = np.concatenate(self.members) if self.members else np.zeros(0, np.int64)
            eqs = np.repeat(np.arange(len(self.members), dtype=np.int64), sizes)
            coefs = np.full(len(flat), -1, dtype=np.int64)
            coefs[np.cumsum(sizes) - sizes] = 1
            order = np.argsort(flat, kind="stable")
            counts = np.bincount(flat, minlength=len(self.cells))
            ptr = np.r_[0, np.cumsum(counts)]
            self._incidence = (ptr, eqs[order], coefs[order])
        return self._incidence


def build(cells: pd.DataFrame) -> System:
    """The system of ``cells``, in key order: the protection then sees the same cells in the same
    order whichever engine counted them, so every engine gets the same release."""
    cells = cells.sort_values(KEYS, kind="stable").reset_index(drop=True)
    ids = pd.Series(np.arange(len(cells)), index=pd.MultiIndex.from_frame(cells[KEYS]))
    if not ids.index.is_unique:
        raise ValueError("duplicate release cells")
    joint = cells.part.str.startswith(JOINT)
    shown = cells[~joint]
    pairs = [_time(shown), *_margins(shown), _outcomes(shown), _blanks(shown), *_joints(cells[joint])]
    parent_keys = pd.concat([p[0] for p in pairs], ignore_index=True)
    children = np.concatenate([p[1] for p in pairs])
    relation = pd.factorize(np.concatenate([p[2] for p in pairs]))[0]
    parent = ids.reindex(pd.MultiIndex.from_frame(parent_keys[KEYS])).to_numpy().astype("float64")
    orphan = np.isnan(parent)
    # a share's outcomes stop at its last fully observed period (count.py): no parent there
    if (orphan & ~parent_keys.part.str.startswith("outcome:").to_numpy()).any():
        raise ValueError("a release cell has no parent cell (lattice not closed)")
    return System(cells, _group(parent[~orphan].astype(np.int64), relation[~orphan],
                                children[~orphan]))


def _group(parent: np.ndarray, relation: np.ndarray, child: np.ndarray) -> list[np.ndarray]:
    """One equation per (parent, relation): the parent, then its children in that relation."""
    if not len(parent):
        return []
    order = np.lexsort((child, relation, parent))
    parent, relation, child = parent[order], relation[order], child[order]
    new = np.r_[True, (parent[1:] != parent[:-1]) | (relation[1:] != relation[:-1])]
    starts = np.flatnonzero(new)
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
    return _pair(keys, kids, "time")


def _margins(cells: pd.DataFrame):
    """Dropping the second, then the first dimension of two-dimensional tables; the only
    dimension of one-dimensional ones — one relation per child table."""
    two = cells[cells.dims.str.contains("|", regex=False)]
    one = cells[(cells.dims != "") & ~cells.dims.str.contains("|", regex=False)]
    out = []
    if len(two):
        split = two.dims.str.split("|", expand=True)
        first, second = split[0], split[1]
        out.append(_pair([two[KEYS].assign(dims=first, v2="")], [two.index.to_numpy()],
                         "over 2nd of " + two.dims.to_numpy()))
        out.append(_pair([two[KEYS].assign(dims=second, v1=two.v2, v2="")], [two.index.to_numpy()],
                         "over 1st of " + two.dims.to_numpy()))
    out.append(_pair([one[KEYS].assign(dims="", v1="")], [one.index.to_numpy()],
                     "over " + one.dims.to_numpy()))
    return out


def _joints(cells: pd.DataFrame):
    """A geographic joint cell is a child of both one-dimensional cells it splits."""
    if cells.empty:
        return []
    split = cells.dims.str.split("|", expand=True)
    part = cells.part.str.slice(len(JOINT))
    return [_pair([cells[KEYS].assign(part=part, dims=split[0], v2="")], [cells.index.to_numpy()],
                  "joint over " + cells.dims.to_numpy()),
            _pair([cells[KEYS].assign(part=part, dims=split[1], v1=cells.v2, v2="")],
                  [cells.index.to_numpy()], "joint over " + cells.dims.to_numpy())]


def _outcomes(cells: pd.DataFrame):
    out = cells[cells.part.str.startswith("outcome:")]
    return _pair([out[KEYS].assign(part="count", outcome="")], [out.index.to_numpy()],
                 out.part.to_numpy())


def _blanks(cells: pd.DataFrame):
    """all(national, g) = count(national, g) + incomplete(g)."""
    kids = cells[((cells.part == "count") & (cells.dims == "") & (cells.grain != "day"))
                 | (cells.part == "incomplete")]
    return _pair([kids[KEYS].assign(part="all")], [kids.index.to_numpy()], "blanks")


def _pair(keys: list[pd.DataFrame], kids: list[np.ndarray], relation):
    """(parent keys, child ids, relation per pair) — ``relation`` one label or one per child."""
    if not keys:
        return pd.DataFrame(columns=KEYS), np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object)
    frame = pd.concat(keys, ignore_index=True)
    labels = np.broadcast_to(np.asarray(relation, dtype=object), (len(frame),)).copy()
    return frame, np.concatenate(kids).astype(np.int64), labels
