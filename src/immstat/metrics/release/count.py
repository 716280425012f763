"""Count every cell of a family's lattice once, from the records, with Ibis (DuckDB or Spark).

One grouped pass per released dimension set at day or month, rolled up to coarser grains in
pandas (exact integer sums, so every margin equals the sum of its cells) and cut to the grains
the lattice releases. Shares that share a ``derive`` step are counted in one pass over a joint
table of their dimensions. Output: a frame of additive cells ``part, dims, grain, period, v1, v2,
outcome, n`` (parts: ``count`` — records complete on the core dimensions; ``all`` — every record,
national month/FY/all only; ``incomplete`` — their difference; ``outcome:<metric>`` — a share's
hit/miss/excluded counts; ``joint:<part>`` — never released: the joint table of two geographic
dimensions, see ``lattice.py``) and a frame of non-additive cells (distinct persons, medians).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import contextmanager

import ibis
import numpy as np
import pandas as pd
from ibis.common.exceptions import IbisError
from ibis.expr.types import Table

from immstat.core import passes as split
from immstat.core.calendar import fiscal_year, period_span
from immstat.metrics.dimensions import DIMENSIONS
from immstat.metrics.engine import period_expr
from immstat.metrics.lattice import PARENT, UNKNOWN, Family, coarser_or_equal
from immstat.metrics.measures import CountDistinct, Median, Share
from immstat.metrics.release import median

KEYS = ["part", "dims", "grain", "period", "v1", "v2", "outcome"]
EPOCH_ORDINAL = 719163  # date(1970, 1, 1).toordinal()
LINK_COLUMNS = ("person_key", "event_id")  # what derive steps (person links) read


def prepared(t: Table, family: Family) -> Table:
    """Records with a date; one ``_d_<dim>`` column per lattice dimension (blank → null for core
    dimensions, ``unknown`` otherwise) and ``_complete`` (every core dimension known)."""
    if "_complete" in t.columns:
        return t
    day = t[family.date_column].cast("date")
    cols, complete = {"_day": day}, ibis.literal(True)
    core = recorded_core(t, family)
    for dim in family.lattice.dimensions():
        value = _value(t, dim)
        if dim in core:
            complete &= value.notnull()
            cols[f"_d_{dim}"] = value
        else:
            cols[f"_d_{dim}"] = value.fill_null(UNKNOWN)
    return t.filter(day.notnull()).mutate(**cols, _complete=complete)


def _value(t: Table, dim: str):
    """A dimension's value as text, spaces trimmed, blank → null. (Not ``strip()``: ibis's
    PySpark translation of it also trims the letters f, n, r, t and v — "female" → "emale".)"""
    return t[DIMENSIONS[dim].column].cast("string").re_replace("^ +| +$", "").nullif("")


def recorded_core(t: Table, family: Family) -> tuple[str, ...]:
    """The family's core dimensions that at least one record has. A release without the column
    (ICE's 2019 FOIA arrests have no criminality) keeps its records in the broken-down tables:
    the dimension is then ``unknown`` throughout, never a reason to leave every record out."""
    core = family.lattice.core
    if not core:
        return ()
    value = {d: _value(t, d).count() for d in core}
    counts = t.aggregate(**value).execute()
    return tuple(d for d in core if int(counts[d].iloc[0]) > 0)


def records(backend, family: Family) -> Table:
    """The family's records as the release reads them: prepared and cut to the date, dimension
    and person-link columns (window and join steps then carry no other column)."""
    full = family.source(backend)
    keep = {family.date_column, *LINK_COLUMNS,
            *(DIMENSIONS[d].column for d in family.lattice.dimensions())}
    return prepared(full.select([c for c in full.columns if c in keep]), family)


@contextmanager
def view(backend, family: Family):
    """:func:`records` as a view for the length of a build: every pass then compiles a small
    query instead of the whole preparation."""
    name = f"_immstat_release_{family.name}"
    table = backend.create_view(name, records(backend, family), overwrite=True)
    try:
        yield table
    finally:
        backend.drop_view(name, force=True)


def derived(backend, family: Family, base: Table, make: Callable[[Table], Table]) -> Table:
    """``make`` over ``base`` (:func:`records`); over every column of the records when ``make``
    reads one more (e.g. a share's condition column)."""
    try:
        return make(base)
    except (AttributeError, IbisError):
        return make(prepared(family.source(backend), family))


def ordinals(dates: pd.Series) -> np.ndarray:
    return pd.to_datetime(dates).to_numpy().astype("datetime64[D]").astype(np.int64) + EPOCH_ORDINAL


def parent_period(period: np.ndarray, grain: str) -> np.ndarray:
    """The period (ordinal / fiscal year / 0) one level up the time hierarchy."""
    if grain == "day":
        days = (period - EPOCH_ORDINAL).astype("datetime64[D]")
        return days.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + EPOCH_ORDINAL
    if grain == "month":
        uniq, inverse = np.unique(period, return_inverse=True)
        fys = np.array([fiscal_year(pd.Timestamp(int(p) - EPOCH_ORDINAL, unit="D").date())
                        for p in uniq], dtype=np.int64)
        return fys[inverse]
    return np.zeros(len(period), dtype=np.int64)


def roll_up(frame: pd.DataFrame, grain: str, finest: str) -> pd.DataFrame:
    """``frame`` (cells of one part and dimension set at ``grain``) summed up to every coarser
    grain; only the grains from ``finest`` up are kept (finer ones are only added up)."""
    out = [frame] if grain in coarser_or_equal(finest) else []
    constant = {k: frame[k].iat[0] for k in ("part", "dims")} if len(frame) else {}
    while grain in PARENT and not frame.empty:
        frame = frame.assign(period=parent_period(frame["period"].to_numpy(), grain))
        frame = frame.groupby(["period", "v1", "v2", "outcome"], as_index=False, sort=False)["n"]
        frame = frame.sum().assign(grain=PARENT[grain], **constant)
        grain = PARENT[grain]
        if grain in coarser_or_equal(finest):
            out.append(frame[[*KEYS, "n"]])
    return pd.concat(out, ignore_index=True) if out else frame.iloc[:0]


def _base_grain(finest: str) -> str:
    return "day" if finest == "day" else "month"


def _fetch(backend, t: Table, keys: list[str], grain: str) -> pd.DataFrame:
    """Record counts of ``t`` by ``keys`` and the period (column ``_p``) at day or month."""
    period = t._day if grain == "day" else t._day.truncate("M")
    expr = t.mutate(_p=period).group_by([*keys, "_p"]).aggregate(n=ibis._.count())
    return backend.to_pyarrow(expr).to_pandas()


def _cells(frame: pd.DataFrame, dims: tuple[str, ...], grain: str, finest: str, part: str,
           outcome: str | None = None) -> pd.DataFrame:
    """Counted rows (``_d_<dim>``…, ``_p``, ``n``) as cells of ``dims``, rolled up."""
    keys = [*(f"_d_{d}" for d in dims), *([outcome] if outcome else []), "_p"]
    if len(frame.columns) > len(keys) + 1:  # sum out the other dimensions and outcome columns
        frame = frame.groupby(keys, as_index=False, sort=False)["n"].sum()
    values = [frame[f"_d_{d}"].astype(str) for d in dims] + [pd.Series("", index=frame.index)] * 2
    cells = pd.DataFrame({
        "part": part, "dims": "|".join(dims), "grain": grain, "period": ordinals(frame["_p"]),
        "v1": values[0].to_numpy(), "v2": values[1].to_numpy(),
        "outcome": frame[outcome].astype(str).to_numpy() if outcome else "",
        "n": frame["n"].astype(np.int64).to_numpy()})
    return roll_up(cells, grain, finest)


def additive_cells(backend, linked, family: Family, metrics: list) -> pd.DataFrame:
    """Every additive cell of the family (see module docstring); shares that follow a person
    (a ``derive`` step) are counted on ``linked`` (DuckDB: person keys stay there)."""
    with view(backend, family) as t:
        cells = _additive(backend, linked, family, metrics, t)
    return pd.concat([cells, _incomplete(cells)], ignore_index=True)


def _additive(backend, linked, family: Family, metrics: list, t: Table) -> pd.DataFrame:
    complete = t.filter(t._complete)
    parts = []
    for dims, finest in family.lattice.finest().items():
        grain = _base_grain(finest)
        frame = _fetch(backend, complete, [f"_d_{d}" for d in dims], grain)
        parts.append(_cells(frame, dims, grain, finest, "count"))
    parts.append(_cells(_fetch(backend, t, [], "month"), (), "month", "month", "all"))
    joints = family.lattice.joints()
    if joints:
        geo = sorted({d for pair in joints for d in pair})
        frame = _fetch(backend, complete, [f"_d_{d}" for d in geo], "month")
        parts.extend(_joint_cells(frame, joints, "count"))
    shares = [m for m in metrics if isinstance(m.measure, Share)]
    last = backend.to_pyarrow(t.aggregate(last=t._day.max())).to_pylist()[0]["last"]
    for group in _by_derive(shares):
        on = linked if group[0].derive else backend
        base = t if on is backend else records(on, family)
        outcomes = _outcomes(on, family, base, group)
        parts.extend(_observed(frame, group, last) for frame in outcomes)
    return pd.concat(parts, ignore_index=True)


def _by_derive(metrics: list) -> list[list]:
    """Metrics grouped by their ``derive`` step (one pass over the derived records each)."""
    groups: dict[int, list] = {}
    for m in metrics:
        groups.setdefault(id(m.derive), []).append(m)
    return list(groups.values())


def _incomplete(cells: pd.DataFrame) -> pd.DataFrame:
    """``all`` − national ``count``, per national period at month grain and coarser."""
    every = cells[cells.part == "all"].set_index(["grain", "period"])["n"]
    known = cells[(cells.part == "count") & (cells.dims == "")].set_index(["grain", "period"])["n"]
    diff = every.sub(known.reindex(every.index, fill_value=0))
    diff = diff[diff > 0].reset_index()
    return diff.assign(part="incomplete", dims="", v1="", v2="", outcome="")[[*KEYS, "n"]]


def _outcomes(on, family: Family, base: Table, metrics: list) -> list[pd.DataFrame]:
    """Each share's records split hit / miss / excluded (outside its ``among``), per released
    cell — one pass for all ``metrics`` (they share one ``derive`` step)."""
    derive = metrics[0].derive

    def make(base: Table) -> Table:
        src = derive(base, on) if derive else base
        columns = {}
        for i, metric in enumerate(metrics):
            measure = metric.measure
            among = measure.among(src).fill_null(False) if measure.among else ibis.literal(True)
            hit = measure.condition(src).fill_null(False)
            columns[f"_o{i}"] = ibis.cases((~among, "excluded"), (hit, "hit"), else_="miss")
        t = prepared(src.mutate(**columns), family)
        return t.filter(t._complete)

    t = derived(on, family, base, make)
    dims = sorted({d for m in metrics for ds in m.released_lattice.finest() for d in ds})
    frame = _fetch(on, t, [*(f"_d_{d}" for d in dims), *(f"_o{i}" for i in range(len(metrics)))],
                   "month")
    out = []
    for i, m in enumerate(metrics):
        part = f"outcome:{m.name}"
        out += [_cells(frame, ds, "month", finest, part, f"_o{i}")
                for ds, finest in m.released_lattice.finest().items()]
        out += _joint_cells(frame, m.released_lattice.joints(), part, f"_o{i}")
    return out


def _observed(cells: pd.DataFrame, metrics: list, last) -> pd.DataFrame:
    """Outcome cells of a share with ``observe_days`` only for periods that end that many days
    before the data end ``last`` (a partly observed period is not released)."""
    part = cells["part"].iat[0] if len(cells) else ""
    days = {f"outcome:{m.name}": m.measure.observe_days for m in metrics}
    days.update({f"joint:{k}": v for k, v in days.items()})
    if not days.get(part) or last is None:
        return cells
    cutoff = (pd.Timestamp(last) - pd.Timedelta(days=days[part])).date().toordinal()
    return cells[period_ends(cells.grain.to_numpy(), cells.period.to_numpy()) <= cutoff]


def period_ends(grains: np.ndarray, periods: np.ndarray) -> np.ndarray:
    """Ordinal of the last day of each (grain, period) cell; the whole release never ends."""
    out = np.full(len(periods), np.iinfo(np.int64).max, dtype=np.int64)
    for grain in ("day", "month", "fy"):
        at = grains == grain
        if at.any():
            out[at] = [period_span(as_period(int(p), grain), grain)[1].toordinal()
                       for p in periods[at]]
    return out


def as_period(code: int, grain: str) -> int | dt.date:
    """A stored period code as a fiscal-year number or a date (day/month: an ordinal)."""
    return int(code) if grain == "fy" else dt.date.fromordinal(int(code))


def _joint_cells(frame: pd.DataFrame, joints: dict, part: str,
                 outcome: str | None = None) -> list[pd.DataFrame]:
    """The unreleased joint tables of geographic pairs (see ``lattice.py``), part
    ``joint:<part>``, at the grain that links each pair."""
    out = []
    for pair, grain in joints.items():
        cells = _cells(frame, pair, "month", grain, f"joint:{part}", outcome)
        out.append(cells[cells.grain == grain])
    return out


def nonadditive_cells(backend, family: Family, metric) -> pd.DataFrame:
    """Distinct persons or medians per released cell (computed per cell, never combined)."""
    measure = metric.measure

    def make(base: Table) -> Table:
        src = metric.derive(base, backend) if metric.derive else base
        if isinstance(measure, Median):
            src = src.filter(measure.among(src)) if measure.among else src
            src = src.mutate(_x=measure.expr(src)).filter(lambda s: s._x.notnull())
        t = prepared(src, family)
        return t.drop("fiscal_year") if "fiscal_year" in t.columns else t  # periods from the date

    with view(backend, family) as base:
        return _nonadditive_cells(backend, family, metric, derived(backend, family, base, make))


def _nonadditive_cells(backend, family: Family, metric, t: Table) -> pd.DataFrame:
    cells = [(dims, grain) for dims, finest in metric.released_lattice.finest().items()
             for grain in coarser_or_equal(finest)]
    if metric.derive is None:
        return _each_cell(backend, t, cells, metric)
    with t.cache() as once:  # derive once (joins, windows) for every cell
        return _each_cell(backend, once, cells, metric)


def _each_cell(backend, t: Table, cells: list, metric) -> pd.DataFrame:
    """The metric per cell of each (dims, grain); for distinct persons the records are counted
    once for the passes (the national cells read them all: an upper bound for every other cell)."""
    counting = isinstance(metric.measure, CountDistinct)
    passes = split.passes(backend.execute(t.count())) if counting else 1
    return pd.concat([_nonadditive(backend, t, dims, grain, metric, passes)
                      for dims, grain in cells], ignore_index=True)


def _nonadditive(backend, t: Table, dims: tuple[str, ...], grain: str, metric,
                 passes: int) -> pd.DataFrame:
    rows = t if not dims else t.filter(t._complete)  # national: every record, like 'all'
    keys = [f"_d_{d}" for d in dims]
    if grain != "all":
        rows = rows.mutate(_p=period_expr(rows, "_day", grain))
        keys.append("_p")
    measure = metric.measure
    if isinstance(measure, CountDistinct):
        frame = _distinct_persons(backend, rows, keys, measure.column, passes)
    else:
        per_value = rows.group_by([*keys, "_x"]).aggregate(n=ibis._.count())
        frame = median.from_counts(backend.to_pyarrow(per_value).to_pandas(), keys)
    return _nonadditive_frame(frame, dims, grain, metric.name)


def _distinct_persons(backend, rows: Table, keys: list[str], person: str,
                      passes: int) -> pd.DataFrame:
    """Distinct ``person`` values (``value``) and records (``n``) per cell of ``keys``.

    Counted in grouped steps, which spill to disk past the memory limit (a DISTINCT aggregate
    does not), and in ``passes`` over disjoint sets of persons (``core/passes.py``)."""
    frames = []
    for part in range(passes):
        subset = rows if passes == 1 else \
            rows.filter((rows[person].hash() % passes + passes) % passes == part)
        per = subset.group_by([*keys, person]).aggregate(n=ibis._.count())
        value, n = per[person].count(), per.n.sum()  # count(): persons, not blanks
        expr = per.group_by(keys).aggregate(value=value, n=n) if keys else \
            per.aggregate(value=value, n=n)
        frames.append(backend.to_pyarrow(expr).to_pandas())
    frame = pd.concat(frames, ignore_index=True)
    if passes == 1:
        return frame
    if not keys:
        return frame[["value", "n"]].sum().to_frame().T
    return frame.groupby(keys, dropna=False, as_index=False)[["value", "n"]].sum()


def _nonadditive_frame(frame: pd.DataFrame, dims, grain: str, name: str) -> pd.DataFrame:
    if grain in ("day", "month"):
        period = ordinals(frame["_p"])
    elif grain == "fy":
        period = frame["_p"].astype(np.int64).to_numpy()
    else:
        period = np.zeros(len(frame), dtype=np.int64)
    values = [frame[f"_d_{d}"].astype(str).to_numpy() for d in dims] + [""] * 2
    return pd.DataFrame({"metric": name, "dims": "|".join(dims), "grain": grain, "period": period,
                         "v1": values[0], "v2": values[1], "value": frame["value"].astype("float64"),
                         "n": frame["n"].astype(np.int64)})
