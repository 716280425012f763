"""Build the protected release: count → link → protect → audit → store, once per family.

A family's non-additive cells (distinct persons, medians) are released only where the family's
count cell of the same key is released, their own record count is ≥ min_cell and — for distinct
persons — the number of repeat events (records − persons) is 0 or ≥ min_cell.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from immstat.core import settings
from immstat.metrics.dimensions import DIMENSIONS
from immstat.metrics.lattice import Family
from immstat.metrics.measures import CountDistinct, Median
from immstat.metrics.registry import all_metrics
from immstat.metrics.release import count, model, protect, store

JOIN = ["dims", "grain", "period", "v1", "v2"]


def families() -> list[Family]:
    seen: dict[str, Family] = {}
    for metric in all_metrics():
        if metric.family is not None:
            seen.setdefault(metric.family.name, metric.family)
    return list(seen.values())


def family_metrics(family: Family) -> list:
    return [m for m in all_metrics() if m.family is not None and m.family.name == family.name]


def build(wh, engine: str = "duckdb", min_cell: int | None = None) -> dict:
    """Rebuild the whole release of warehouse ``wh``; returns its manifest."""
    started = time.perf_counter()
    cell_min = settings.min_cell(min_cell)
    backend = wh.backend(engine)
    linked = wh.backend("duckdb")  # person-linked metrics: person keys never leave DuckDB
    out: dict[str, list[pd.DataFrame]] = {"cells": [], "values": [], "domains": []}
    stats_of: dict[str, dict] = {}
    for family in families():
        if not wh.table_rows(family.table):
            continue
        t0 = time.perf_counter()
        cells, values, stats = protect_family(backend, linked, family, cell_min)
        stats["seconds"] = round(time.perf_counter() - t0, 3)
        stats["span"] = _span(cells)
        out["cells"].append(cells.assign(family=family.name))
        out["values"].append(values)
        out["domains"].append(_domains(cells, family))
        stats_of[family.name] = stats
    manifest = {"min_cell": cell_min, "engine": engine, "families": stats_of,
                "lattices": {f.name: f.lattice.to_dict() for f in families()}}
    seconds = time.perf_counter() - started
    store.write(wh, out, manifest, store.fingerprint(wh, cell_min), seconds)
    return {**manifest, "seconds": round(seconds, 3)}


def protect_family(backend, linked, family: Family, min_cell: int):
    """(cells with status, non-additive values with status, stats) of one family."""
    metrics = family_metrics(family)
    t0 = time.perf_counter()
    cells = count.additive_cells(backend, linked, family, metrics)
    system = model.build(cells)
    t1 = time.perf_counter()
    primary, hidden, stats = protect.protect(system, min_cell)
    withheld = system.may_be_zero() & ~system.unreleased()
    status = np.where(hidden, "complementary", "shown")
    status[primary] = "primary"
    status[withheld] = "withheld"
    cells = system.cells.assign(status=status)
    cells = cells[~system.unreleased()]
    t2 = time.perf_counter()
    values = [_companions(count.nonadditive_cells(linked, family, m), cells, m, min_cell)
              for m in metrics if isinstance(m.measure, CountDistinct | Median)]
    values_frame = pd.concat(values, ignore_index=True) if values else pd.DataFrame()
    stats.update(_summary(cells))
    stats.update(count_seconds=round(t1 - t0, 3), protect_seconds=round(t2 - t1, 3),
                 values_seconds=round(time.perf_counter() - t2, 3))
    stats.pop("seconds", None)
    return cells, values_frame, stats


def _companions(values: pd.DataFrame, cells: pd.DataFrame, metric, min_cell: int) -> pd.DataFrame:
    """Hide a non-additive cell with its count cell, when its own count is small, and — for
    distinct persons — when records − persons is 1 … min_cell−1."""
    counts = cells[(cells.outcome == "") & (((cells.part == "count") & (cells.dims != ""))
                                            | ((cells.part == "all") & (cells.dims == "")))]
    merged = values.merge(counts[[*JOIN, "n", "status"]].rename(columns={"n": "records"}),
                          on=JOIN, how="left")
    bad = (merged.status.fillna("primary") != "shown") | (merged.n < min_cell)
    if isinstance(metric.measure, CountDistinct):
        repeats = merged.records - merged.value
        bad |= (repeats > 0) & (repeats < min_cell)
    merged["status"] = np.where(bad, "suppressed", "shown")
    return merged.drop(columns=["records", "n"])


def _summary(cells: pd.DataFrame) -> dict:
    """Hidden cells and records per released public table (by dims and grain)."""
    public = cells[(cells.part == "count") & ((cells.dims != "") | (cells.grain == "day"))]
    tables = {}
    for (dims, grain), group in public.groupby(["dims", "grain"], sort=True):
        hid = group.status != "shown"
        tables[f"{dims or 'national'}@{grain}"] = {
            "cells": int(len(group)), "hidden_cells": int(hid.sum()),
            "records": int(group.n.sum()), "hidden_records": int(group.n[hid].sum())}
    return {"tables": tables, "primary": int((cells.status == "primary").sum()),
            "complementary": int((cells.status == "complementary").sum()),
            "cells_nonzero": int(len(cells))}


def _span(cells: pd.DataFrame) -> list[str]:
    days = cells[(cells.part == "count") & (cells.dims == "") & (cells.grain == "day")].period
    if days.empty:
        months = cells[(cells.part == "all") & (cells.grain == "month")].period
        days = months if not months.empty else pd.Series([count.EPOCH_ORDINAL])
    return [_iso(int(days.min())), _iso(int(days.max()))]


def _iso(ordinal: int) -> str:
    import datetime as dt

    return dt.date.fromordinal(ordinal).isoformat()


def _domains(cells: pd.DataFrame, family: Family) -> pd.DataFrame:
    """Values of each dimension: its closed domain (if any) plus every value seen."""
    rows = []
    one = cells[(cells.part == "count") & (cells.grain == "all")]
    for dim in family.lattice.dimensions():
        seen = set(one[one.dims == dim].v1)
        for pair in one[one.dims.str.contains("|", regex=False)].itertuples():
            first, second = pair.dims.split("|")
            seen |= {pair.v1} if first == dim else {pair.v2} if second == dim else set()
        closed = DIMENSIONS[dim].valid_values() or []
        rows += [(family.name, dim, v) for v in sorted(set(closed) | seen)]
    return pd.DataFrame(rows, columns=["family", "dim", "value"])
