"""Certificates: proof, cell by cell, that the released cells do not determine a suppressed one.

A certificate for a hidden cell ``p`` is another table an attacker cannot tell from the true one:
whole-number changes ``v`` on hidden cells only, with ``v[p] ≠ 0``, that keep every equation of
the lattice true (parent = sum of children, in every table, grain, outcome and blank split) and
every hidden cell ≥ 1 (zero cells are shown, so hidden cells are known to be at least 1; cells
that are never released, the geographic joint tables, ≥ 0). Both
tables give the same released cells, so ``p`` is determined neither by linear algebra on them
nor by knowing that counts are whole numbers ≥ 1. One certificate covers every hidden cell it
changes; hiding more cells never breaks one.

Two ways to find one, tried in turn: (1) :func:`search` — a bounded branch-and-bound over ±1
changes that balance every equation they touch (the pairs, 2×2 and 2×2×2 boxes of classical
cell suppression, lifted to the tables that sum them); (2) :func:`cheapest` — an integer program
(HiGHS) over ``p``'s neighbourhood, ``v = 0`` outside it. With ``shown=True`` both may change
released cells too, at their cost: the cells to hide for the cheapest certificate (this is how
``protect.py`` chooses complementary suppression). Every certificate is checked exactly
(:meth:`Space.verify`) before it counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from immstat.metrics.release.milp import INF, Program
from immstat.metrics.release.model import System
from immstat.metrics.release.space import Space

MAX_CELLS = 12  # cells of a searched certificate
BRANCH = 4  # moves tried per search step
NODE_BUDGET = 300  # search steps per cell and sign
WIDE = 24  # an equation with more options than this is closed by pairs of moves
LOCAL_CELLS = (300, 1500, 4000, 12000, 30000)  # neighbourhoods of the integer program, in turn
LOCAL_NODES = 200  # branch-and-bound nodes of each (work, not time: deterministic)


@dataclass
class Audit:
    """``certified``: hidden cells with a verified certificate; ``missing``: primary cells
    without one; ``found``: certificates by method (and those that failed verification)."""

    certified: np.ndarray
    missing: list[int]
    found: dict[str, int] = field(default_factory=dict)


def audit(system: System, hidden: np.ndarray, primary: np.ndarray) -> Audit:
    """Certify every primary cell of ``system`` under the suppression ``hidden`` (unchanged;
    cells never released, or withheld, count as hidden)."""
    space = Space(system, hidden | system.may_be_zero())
    certified = np.zeros(len(hidden), dtype=bool)
    found = {"search": 0, "program": 0, "rejected": 0}
    missing = []
    for p in np.flatnonzero(primary).tolist():
        if certified[p]:
            continue
        v, how = search(space, p), "search"
        if v is None:
            v, how = cheapest(space, p), "program"
        if v is None or not space.verify(v, p):
            found["rejected"] += v is not None
            missing.append(p)
            continue
        found[how] += 1
        certified[list(v)] = True
    return Audit(certified, missing, found)


# ------------------------------------------------------------------ (1) search
@dataclass
class _State:
    shown: bool
    v: dict[int, int] = field(default_factory=dict)
    imbalance: dict[int, int] = field(default_factory=dict)
    spent: float = 0.0
    budget: int = NODE_BUDGET
    best: dict[int, int] | None = None
    best_cost: float = INF


def search(space: Space, p: int, shown: bool = False) -> dict[int, int] | None:
    """A ±1 certificate for ``p`` (hidden cells only, or — ``shown`` — the cheapest found)."""
    best, best_cost = None, INF
    for sign in (1, -1):
        if space.n[p] + sign < space.floor[p]:
            continue
        state = _State(shown, best_cost=best_cost)
        _move(space, state, [(p, sign)])
        _dfs(space, state)
        if state.best is not None:
            best, best_cost = state.best, state.best_cost
            if not shown:
                break
    return best


def _move(space: Space, state: _State, move) -> None:
    for c, d in move:
        new = state.v.get(c, 0) + d
        if new:
            state.v[c] = new
            state.spent += space.price(c) if new == d else 0.0
        else:
            del state.v[c]
            state.spent -= space.price(c)
        for e, k in space.inc(c):
            r = state.imbalance.get(e, 0) + k * d
            if r:
                state.imbalance[e] = r
            else:
                del state.imbalance[e]


def _dfs(space: Space, state: _State) -> None:
    if state.spent >= state.best_cost:
        return
    if not state.imbalance:
        state.best, state.best_cost = dict(state.v), state.spent
        if not state.shown:
            state.budget = 0  # any certificate will do
        return
    if len(state.v) >= MAX_CELLS or state.budget <= 0:
        return
    e = min(state.imbalance, key=lambda f: len(space.options(f, state.shown)))
    wide = len(space.options(e, state.shown)) > WIDE
    moves = (_pairs(space, state, e) if wide else []) or _singles(space, state, e)
    for move in moves[:BRANCH]:
        state.budget -= 1
        _move(space, state, move)
        _dfs(space, state)
        _move(space, state, [(c, -d) for c, d in move])
        if state.budget <= 0:
            return


def _steps(space: Space, state: _State, e: int):
    """(cell, change) for each option of ``e`` not yet changed that reduces its imbalance."""
    toward = -1 if state.imbalance[e] > 0 else 1
    for c in space.options(e, state.shown):
        if c not in state.v:
            d = toward * space.coef(e, c)
            if space.n[c] + d >= space.floor[c]:
                yield c, d


def _rank(space: Space, state: _State, moves: list) -> list:
    """Moves by equations balanced minus unbalanced, then by price."""
    def key(move):
        delta: dict[int, int] = {}
        for c, d in move:
            for e, k in space.inc(c):
                delta[e] = delta.get(e, 0) + k * d
        gain = sum((state.imbalance.get(e, 0) != 0) - (state.imbalance.get(e, 0) + x != 0)
                   for e, x in delta.items())
        return -gain, sum(space.price(c) for c, _ in move)
    return sorted(moves, key=key)[:BRANCH]


def _singles(space: Space, state: _State, e: int) -> list:
    return _rank(space, state, [[step] for step in _steps(space, state, e)])


def _pairs(space: Space, state: _State, e: int) -> list:
    """Two moves — one in ``e``, one in another unbalanced equation — that cancel in a third
    equation they share (the far corner of a box)."""
    index: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for c, d in _steps(space, state, e):
        for f, k in space.inc(c):
            if f != e:
                index.setdefault((f, k * d), []).append((c, d))
    moves = []
    for e2 in list(state.imbalance):
        if e2 == e:
            continue
        for c2, d2 in _steps(space, state, e2):
            for f, k in space.inc(c2):
                moves += [[(c, d), (c2, d2)] for c, d in index.get((f, -k * d2), ()) if c != c2]
        if len(moves) > 16 * BRANCH:
            break
    return _rank(space, state, moves)


# ------------------------------------------------------------------ (2) integer program
def cheapest(space: Space, p: int, shown: bool = False,
             whole: bool = False) -> dict[int, int] | None:
    """A certificate for ``p`` by integer programming on its neighbourhood (a small one, then
    wider ones; ``whole``: every connected cell — to avoid hiding a national total): changes
    −1, 0 or +1 per cell; with ``shown``, released cells may change too and the certificate
    that hides the fewest weighted records more is chosen."""
    for limit in (len(space.n),) if whole else LOCAL_CELLS:
        v = _program(space, p, shown, limit, LOCAL_NODES)
        if v is not None:
            return v
    return None


def _program(space: Space, p: int, shown: bool, limit: int,
             nodes: int) -> dict[int, int] | None:
    cells = space.neighbourhood(p, shown, limit)
    size = len(cells)
    position = {c: i for i, c in enumerate(cells)}
    equations = sorted({e for c in cells for e, _ in space.inc(c)})
    n, floor = space.n[cells], space.floor[cells]
    price = np.array([space.price(c) for c in cells])
    hidden = space.hidden[cells]
    for sign in (1, -1):
        if n[0] + sign < floor[0]:
            continue
        # columns: v (change) per cell, then y (hidden afterwards) per cell
        low = np.r_[np.maximum(-1, floor - n), np.where(hidden, 1, 0)].astype(float)
        high = np.ones(2 * size)
        low[0] = high[0] = float(sign)
        prog = Program(low, high, np.r_[np.zeros(size), price], np.ones(2 * size, dtype=bool))
        for e in equations:
            inside = [c for c in space.members[e].tolist() if c in position]
            prog.row([position[c] for c in inside], [space.coef(e, c) for c in inside], 0, 0)
        for i in range(size):  # |v_i| ≤ y_i: a changed cell is hidden
            prog.row([i, size + i], [1.0, -1.0], -INF, 0.0)
            prog.row([i, size + i], [-1.0, -1.0], -INF, 0.0)
        solution = prog.solve(nodes)
        if solution is not None:
            return {cells[i]: int(round(x)) for i, x in enumerate(solution[:size]) if round(x)}
    return None
