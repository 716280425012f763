"""One small wrapper over HiGHS (``highspy``) for the release's integer programs."""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field

import numpy as np

INF = float("inf")
SAFETY_SECONDS = 60.0  # only against a pathological program: the node bound is the real limit
_FIRST = threading.Lock()
_started = False


def _highs():
    """A silent HiGHS instance (the first one prints a banner on file descriptor 1, which
    would corrupt ``--format json`` output: it is sent to /dev/null)."""
    global _started
    import highspy

    with _FIRST:
        if not _started:
            sys.stdout.flush()
            saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, 1)
                highspy.Highs()
            finally:
                os.dup2(saved, 1)
                os.close(saved)
                os.close(null)
            _started = True
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


@dataclass
class Program:
    """Minimise ``cost · x`` subject to ``row_lower ≤ A x ≤ row_upper`` and the column bounds;
    rows are added one at a time as (columns, coefficients)."""

    lower: np.ndarray
    upper: np.ndarray
    cost: np.ndarray
    integer: np.ndarray
    starts: list[int] = field(default_factory=list)
    index: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)

    def row(self, columns, coefficients, lower: float, upper: float) -> None:
        self.starts.append(len(self.index))
        self.index.extend(int(c) for c in columns)
        self.value.extend(float(v) for v in coefficients)
        self.row_lower.append(lower)
        self.row_upper.append(upper)

    def solve(self, nodes: int, gap: float = 1e-3) -> np.ndarray | None:
        """The solution (None when infeasible or nothing was found within ``nodes``
        branch-and-bound nodes). Bounded by work, not time, so the answer is the same on every
        machine (one thread, fixed seed)."""
        import highspy

        h = _highs()
        h.setOptionValue("mip_max_nodes", nodes)
        h.setOptionValue("time_limit", SAFETY_SECONDS)
        h.setOptionValue("mip_rel_gap", gap)
        h.setOptionValue("threads", 1)
        size = len(self.lower)
        columns = np.arange(size, dtype=np.int32)
        h.addVars(size, np.asarray(self.lower, float), np.asarray(self.upper, float))
        h.changeColsCost(size, columns, np.asarray(self.cost, float))
        kinds = np.array([highspy.HighsVarType.kInteger if whole else
                          highspy.HighsVarType.kContinuous for whole in self.integer])
        h.changeColsIntegrality(size, columns, kinds)
        if self.starts:
            h.addRows(len(self.starts), np.array(self.row_lower, float),
                      np.array(self.row_upper, float), len(self.index),
                      np.array(self.starts, dtype=np.int32), np.array(self.index, dtype=np.int32),
                      np.array(self.value, float))
        h.run()
        status = h.getModelStatus()
        solution = np.asarray(h.getSolution().col_value)
        if status == highspy.HighsModelStatus.kInfeasible or len(solution) != size:
            return None
        if status != highspy.HighsModelStatus.kOptimal and not h.getInfo().primal_solution_status:
            return None
        return solution
