"""The releasable tables of a record-derived metric family, declared as data.

A :class:`Lattice` lists dimension sets (at most two categorical dimensions) with the finest
time grain each is released at; every coarser grain of the hierarchy day → month → fy → all
(the whole release) comes with it, and so does every subset of its dimensions (a table's
margins are released at least as finely as the table). Weeks are not in the hierarchy: a week
crosses month and fiscal-year boundaries, so released weeks and months together would pin days.

Blanks: a record with a blank *core* dimension (e.g. AOR or criminality for arrests) counts in the
national month / fiscal-year / all-time totals only — never in a broken-down table nor in the
national day series — so no released equation isolates a small blank count at a fine level. Those
records appear in the release as one "incomplete" cell per national period, itself protected (see
README, "Privacy rules"). A blank in any other dimension is the category ``unknown`` of that
dimension's tables.

Geography is public: which offices, states, counties and facilities go together is known (a
county lies in one state; a facility belongs to one office). So two geographic tables of a lattice
(e.g. office by month and state by month) are linked through their joint table even though it is
not released: :meth:`Lattice.joints` lists those pairs and the grain at which they are linked; the
release models the joint table's nonzero cells as cells that are never shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations

TIME = ("day", "month", "fy", "all")  # finest → coarsest
GEOGRAPHY = ("aor", "state", "county", "facility")  # dimensions whose joint structure is public
PARENT = {"day": "month", "month": "fy", "fy": "all"}
UNKNOWN = "unknown"


def coarser_or_equal(grain: str) -> tuple[str, ...]:
    return TIME[TIME.index(grain):]


@dataclass(frozen=True)
class Lattice:
    """``tables``: (dimensions, finest grain) pairs; ``core``: dimensions whose blanks keep a
    record out of every broken-down table (see module docstring)."""

    tables: tuple[tuple[tuple[str, ...], str], ...]
    core: tuple[str, ...] = ()

    def finest(self) -> dict[tuple[str, ...], str]:
        """Every released dimension set (closed under subsets, sorted) → its finest grain."""
        out: dict[tuple[str, ...], str] = {}
        for dims, grain in self.tables:
            if len(dims) > 2 or grain not in TIME:
                raise ValueError(f"lattice table {dims} at {grain!r}: ≤ 2 dims, grain in {TIME}")
            for k in range(len(dims) + 1):
                for sub in combinations(sorted(dims), k):
                    have = out.get(sub)
                    if have is None or TIME.index(grain) < TIME.index(have):
                        out[sub] = grain
        return dict(sorted(out.items(), key=lambda kv: (len(kv[0]), kv[0])))

    def dimensions(self) -> tuple[str, ...]:
        return tuple(sorted({d for dims in self.finest() for d in dims}))

    def grains(self, dims) -> tuple[str, ...]:
        """Grains at which the dimension set is released (empty if it is not)."""
        grain = self.finest().get(tuple(sorted(dims)))
        return coarser_or_equal(grain) if grain else ()

    def joints(self) -> dict[tuple[str, str], str]:
        """Pairs of geographic dimensions released alone but not together (at that grain) →
        the grain at which their unreleased joint table links them (the coarser of the two)."""
        finest = self.finest()
        geo = [d for d in self.dimensions() if d in GEOGRAPHY and (d,) in finest]
        out = {}
        for first, second in combinations(geo, 2):
            grain = max(finest[(first,)], finest[(second,)], key=TIME.index)
            together = finest.get((first, second))
            if together is None or TIME.index(together) > TIME.index(grain):
                out[(first, second)] = grain
        return out

    def describe(self) -> list[str]:
        """One line per released dimension set, for error messages and the manifest."""
        return [f"{' × '.join(dims) or 'national'}: {'/'.join(g for g in coarser_or_equal(grain))}"
                for dims, grain in self.finest().items()]

    def to_dict(self) -> dict:
        return {"tables": [{"dims": list(d), "finest": g} for d, g in self.finest().items()],
                "core": list(self.core)}


@dataclass(frozen=True)
class Family:
    """Record-derived metrics over one table and date column share one jointly protected family
    of released counts; ``lattice`` says which tables exist."""

    name: str
    table: str
    date_column: str
    lattice: Lattice
    derive: Callable | None = None  # (table, backend) → table: the family's records

    def source(self, backend):
        t = backend.table(self.table)
        return self.derive(t, backend) if self.derive else t
