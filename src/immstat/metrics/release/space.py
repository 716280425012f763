"""The hidden cells of a family's system and the equations between them, as the certificate
search sees them (see ``certify.py``), with the exact check of a certificate."""

from __future__ import annotations

import heapq
import math

import numpy as np

from immstat.metrics.release.model import System

PER_EQUATION = 40  # released cells one equation offers (the cheapest), hidden ones all


class Space:
    """Cells, their equations (parent +1, children −1), which cells are hidden and, given a
    cost per record-cell, which released ones could be hidden."""

    def __init__(self, system: System, hidden: np.ndarray, cost: np.ndarray | None = None):
        self.members = system.members
        self.head = np.array([m[0] for m in system.members], dtype=np.int64)
        self.ptr, self.eqs, self.coefs = system.incidence()
        self.n = system.cells.n.to_numpy().astype(np.int64)
        self.floor = np.where(system.may_be_zero(), 0, 1)  # least value a hidden cell can take
        self.hidden = hidden
        self.cost = cost
        self._hid: dict[int, list[int]] = {}
        self._shown: dict[int, np.ndarray] = {}
        self._inc: dict[int, list[tuple[int, int]]] = {}

    # ------------------------------------------------------------------ structure
    def hid(self, e: int) -> list[int]:
        """Hidden members of equation ``e``."""
        out = self._hid.get(e)
        if out is None:
            cells = self.members[e]
            out = self._hid[e] = cells[self.hidden[cells]].tolist()
        return out

    def options(self, e: int, shown: bool) -> list[int]:
        """Cells of ``e`` a certificate may change: the hidden ones, and with ``shown`` the
        cheapest released nonzero ones that may be hidden (finite cost)."""
        hid = self.hid(e)
        if not shown or self.cost is None:
            return hid
        cheap = self._shown.get(e)
        if cheap is None:
            cells = self.members[e]
            cells = cells[(self.n[cells] > 0) & np.isfinite(self.cost[cells])]
            cheap = self._shown[e] = cells[np.argsort(self.cost[cells], kind="stable")]
        out = [c for c in cheap.tolist() if not self.hidden[c]][:PER_EQUATION]
        return hid + out

    def inc(self, c: int) -> list[tuple[int, int]]:
        """(equation, coefficient) pairs of cell ``c``."""
        out = self._inc.get(c)
        if out is None:
            a, b = self.ptr[c], self.ptr[c + 1]
            out = self._inc[c] = list(zip(self.eqs[a:b].tolist(), self.coefs[a:b].tolist()))
        return out

    def coef(self, e: int, c: int) -> int:
        return 1 if self.head[e] == c else -1

    def price(self, c: int) -> float:
        """Weighted records hidden by changing ``c`` (0 when already hidden)."""
        return 0.0 if self.hidden[c] or self.cost is None else float(self.cost[c]) + 1e-6

    def hide(self, cells) -> None:
        """Hide more cells (the cached hidden members of their equations follow)."""
        for c in cells:
            if not self.hidden[c]:
                self.hidden[c] = True
                for e, _ in self.inc(c):
                    if e in self._hid:
                        self._hid[e].append(c)

    def unhide(self, cells) -> None:
        """Release cells again (the inverse of :meth:`hide`)."""
        for c in cells:
            if self.hidden[c]:
                self.hidden[c] = False
                for e, _ in self.inc(c):
                    if e in self._hid:
                        self._hid[e].remove(c)

    # ------------------------------------------------------------------ exact check
    def verify(self, v: dict[int, int], p: int) -> bool:
        """Exact, in integers: ``v`` changes ``p``, only hidden cells, keeps them ≥ 1 (≥ 0 if
        never released) and keeps every equation of the system."""
        return bool(v.get(p)) and self.balanced(v)

    def balanced(self, v: dict[int, int]) -> bool:
        """The part of :meth:`verify` that does not depend on the cell certified: whole-number
        changes of hidden cells only, within their floors, that keep every equation."""
        total: dict[int, int] = {}
        for c, d in v.items():
            if not self.hidden[c] or self.n[c] + d < self.floor[c] or d != int(d):
                return False
            for e, k in self.inc(c):
                total[e] = total.get(e, 0) + k * d
        return not any(total.values())

    # ------------------------------------------------------------------ neighbourhood
    def neighbourhood(self, p: int, shown: bool, limit: int) -> list[int]:
        """Up to ``limit`` cells reached from ``p`` through shared equations (see
        :meth:`options`), nearest first. A step to a sibling or a child costs 1, a step up to a
        parent (a coarser cell) 2, plus log2 of the equation's width: narrow equations (a state's
        counties, an office's months) are followed before wide ones (a month's thousand
        counties), where a certificate rarely needs to go. At equal distance, cheapest first."""
        seen: set[int] = {p}
        order: list[int] = []
        queue = [(0.0, 0.0, p)]
        while queue and len(order) < limit:
            distance, _, c = heapq.heappop(queue)
            order.append(c)
            for e, k in self.inc(c):
                options = self.options(e, shown)
                width = math.log2(len(options) + 1)
                for other in options:
                    if other not in seen:
                        seen.add(other)
                        up = other == self.head[e] and k < 0
                        heapq.heappush(queue, (distance + (2 if up else 1) + width,
                                               self.price(other), other))
        return order
