"""The attacker of the release-attack tests.

Every released answer (a :meth:`Result.to_dict` or the same JSON from the HTTP API) becomes linear
equations over *atoms* — the true joint counts of the dimensions in play, read from the records —
and an exact oracle says which suppressed release cells those equations determine: a cell is
determined when its atom vector lies in the row space of the collected equations (null space by
SVD; 0/1 matrices of a few hundred columns). The attacker also knows which atoms are zero (the
structure of the data: geography, empty categories), which is more than the release promises to
hide. A released share is taken to reveal its hit and miss counts exactly.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from immstat.core.calendar import fiscal_year, fy_bounds, month_end

PERIODS = {"date": "day", "week": "week", "month": "month", "fiscal_year": "fy"}


def atoms_of(con, table: str, date_column: str, dims: dict[str, str], core=("aor", "criminality"),
             outcome_sql: str | None = None) -> pd.DataFrame:
    """Atoms from the records: one row per nonzero joint cell of ``dims`` (name → column) and day,
    with ``complete`` (every ``core`` column known) and optionally an ``outcome`` column."""
    known = " AND ".join(f"nullif(trim({c}), '') IS NOT NULL" for c in core)
    cols = [f"nullif(trim({c}), '') AS {d}" for d, c in dims.items()]
    cols += [f"{date_column}::DATE AS day", f"({known}) AS complete"]
    if outcome_sql:
        cols.append(f"{outcome_sql} AS outcome")
    frame = con.execute(f"SELECT {', '.join(cols)}, count(*) AS n FROM {table} "
                        f"WHERE {date_column} IS NOT NULL GROUP BY ALL").fetch_df()
    frame["day"] = pd.to_datetime(frame["day"]).dt.date
    for d in dims:
        if d not in core:
            frame[d] = frame[d].fillna("unknown")
    return frame


def released_cells(con, family: str, statuses=("primary",)) -> pd.DataFrame:
    """Cells of the stored release with one of ``statuses`` (the truth the oracle checks)."""
    marks = ", ".join(f"'{s}'" for s in statuses)
    return con.execute(f"SELECT * FROM release_cells WHERE family = '{family}' "
                       f"AND status IN ({marks})").fetch_df()


class Attacker:
    def __init__(self, atoms: pd.DataFrame):
        self.monthly = bool(atoms.attrs.get("monthly"))  # atoms are whole months, not days
        self.atoms = atoms.reset_index(drop=True)
        self.day = np.array([d.toordinal() for d in self.atoms["day"]])
        self.fy = np.array([fiscal_year(d) for d in self.atoms["day"]])
        self.equations: list[np.ndarray] = []

    # ------------------------------------------------------------------ atoms of a cell
    def _span(self, lo: dt.date | None, hi: dt.date | None) -> np.ndarray:
        keep = np.ones(len(self.atoms), dtype=bool)
        if lo is not None:
            keep &= self.day >= lo.toordinal()
        if hi is not None:
            keep &= self.day <= hi.toordinal()
        return keep

    def _values(self, dim: str, values) -> np.ndarray:
        if dim not in self.atoms.columns:
            raise KeyError(f"the atoms do not split by {dim}")
        return self.atoms[dim].isin(list(values)).to_numpy()

    def cell(self, part: str, dims: str, grain: str, period: int, v1: str, v2: str,
             outcome: str = "") -> np.ndarray:
        """Atoms of a stored release cell (see ``metrics/release/count.py`` for the keys)."""
        base = part.split(":")[0]
        keep = {"all": np.ones(len(self.atoms), dtype=bool),
                "incomplete": ~self.atoms["complete"].to_numpy()}.get(
            base, self.atoms["complete"].to_numpy().copy())
        for dim, value in zip([d for d in dims.split("|") if d], (v1, v2)):
            keep &= self._values(dim, [value])
        if outcome:
            keep &= (self.atoms["outcome"] == outcome).to_numpy()
        if grain == "day":
            keep &= self.day == period
        elif grain == "month":
            first = dt.date.fromordinal(period)
            keep &= self._span(first, month_end(first))
        elif grain == "fy":
            keep &= self.fy == period
        return keep

    # ------------------------------------------------------------------ answers
    def observe(self, answer: dict) -> int:
        """Add the equations of an answer; returns how many (suppressed cells give none)."""
        filters = answer["filters"]
        start, end = (dt.date.fromisoformat(filters[k]) if filters.get(k) else None
                      for k in ("from", "to"))
        where = filters.get("where") or {}
        columns = answer["columns"]
        period_col = next((c for c in columns if c in PERIODS), None)
        dims = set(answer["by"]) | set(where)
        added = 0
        for row in answer["rows"]:
            record = dict(zip(columns, row))
            if record["suppressed"] or record["value"] is None:
                continue
            keep = self._span(start, end)
            for dim, values in where.items():
                keep &= self._values(dim, values)
            for dim in answer["by"]:
                keep &= self._values(dim, [record[dim]])
            grain = PERIODS.get(period_col) if period_col else None
            if grain:
                lo, hi = _period_span(record[period_col], grain)
                keep &= self._span(lo, hi)
            source = grain or _window_grain(start, end)
            if dims or source == "day":  # the population rule of metrics/views.py
                keep &= self.atoms["complete"].to_numpy()
            if answer["metric"].endswith("share"):
                added += self._share(keep)
            else:
                self.equations.append(keep.astype(float))
                added += 1
        return added

    def _share(self, keep: np.ndarray) -> int:
        outcome = self.atoms["outcome"].to_numpy()
        for name in ("hit", "miss"):
            self.equations.append((keep & (outcome == name)).astype(float))
        return 2

    # ------------------------------------------------------------------ the oracle
    def determined(self, cells: list[np.ndarray]) -> np.ndarray:
        """For each cell (an atom mask): do the collected equations determine it exactly?"""
        matrix = np.array(self.equations) if self.equations else np.zeros((0, len(self.atoms)))
        matrix = matrix[matrix.any(axis=1)]  # a released 0 covers no atom: nothing to learn
        if not len(matrix) or not cells:
            return np.zeros(len(cells), dtype=bool)
        _, sing, vt = np.linalg.svd(matrix, full_matrices=True)
        rank = int((sing > 1e-9 * max(1.0, sing[0])).sum())
        null = vt[rank:]
        targets = np.array(cells, dtype=float)
        if not targets.any(axis=1).all():
            raise ValueError("a cell with no atoms: the atoms do not cover it")
        if not len(null):
            return np.ones(len(cells), dtype=bool)
        return np.abs(targets @ null.T).max(axis=1) < 1e-7


def _period_span(value, grain: str) -> tuple[dt.date, dt.date]:
    if grain == "fy":
        return fy_bounds(int(value))
    first = dt.date.fromisoformat(value) if isinstance(value, str) else value
    if grain == "month":
        return first, month_end(first)
    if grain == "week":
        return first, first + dt.timedelta(days=6)
    return first, first


def _window_grain(start: dt.date | None, end: dt.date | None) -> str:
    """The released grain a window without ``--grain`` is read from (metrics/views.py)."""
    if start is None and end is None:
        return "all"
    if start == fy_bounds(fiscal_year(start))[0] and end == fy_bounds(fiscal_year(end))[1]:
        return "fy"
    if start.day == 1 and end == month_end(end):
        return "month"
    return "day"
