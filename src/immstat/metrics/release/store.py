"""The release in the warehouse: write it (one transaction), read it back (cached per release),
and tell whether it is current (fingerprint of the record-level sources, min_cell and lattices).

Hidden cells are stored without their value, so nothing downstream of the release can show one;
a table with a "withheld" cell is hidden whole, its zero cells too.
"""

from __future__ import annotations

import hashlib
import json
import threading

import pandas as pd

from immstat.metrics.release.count import KEYS

RELEASE_VERSION = "2"
_CACHE: dict[tuple, dict] = {}
_LOCK = threading.Lock()


def fingerprint(wh, min_cell: int) -> str:
    from immstat.metrics.release.build import families

    rows = wh.cursor().execute(
        "SELECT source_id, sha256, superseded_by FROM sources WHERE record_level ORDER BY 1").fetchall()
    lattices = {f.name: f.lattice.to_dict() for f in families()}
    text = json.dumps([RELEASE_VERSION, min_cell, rows, lattices], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def write(wh, out: dict, manifest: dict, stamp: str, seconds: float) -> None:
    cells = pd.concat(out["cells"], ignore_index=True) if out["cells"] else _empty_cells()
    cells = cells.assign(n=cells.n.where(cells.status == "shown"))
    cells = cells[["family", *KEYS, "n", "status"]]
    values = [v for v in out["values"] if len(v)]
    values = pd.concat(values, ignore_index=True) if values else _empty_values()
    values = values.assign(value=values.value.where(values.status == "shown"))
    values = values[["metric", "dims", "grain", "period", "v1", "v2", "value", "status"]]
    domains = pd.concat(out["domains"], ignore_index=True) if out["domains"] else \
        pd.DataFrame(columns=["family", "dim", "value"])
    con = wh.cursor()
    con.execute("BEGIN")
    try:
        for table, frame in (("release_cells", cells), ("release_values", values),
                             ("release_domains", domains)):
            con.execute(f"DELETE FROM {table}")
            con.register("_frame", frame)
            con.execute(f"INSERT INTO {table} SELECT * FROM _frame")
            con.unregister("_frame")
        rid = con.execute("SELECT coalesce(max(release_id), 0) + 1 FROM release_manifest").fetchall()[0][0]
        con.execute("DELETE FROM release_manifest")
        con.execute("INSERT INTO release_manifest VALUES (?, now(), ?, ?, ?, ?, ?)",
                    [rid, manifest["min_cell"], stamp, manifest["engine"], seconds,
                     json.dumps(manifest, sort_keys=True)])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def manifest(wh) -> dict | None:
    """The current release's manifest (None if the warehouse has no release yet)."""
    rows = wh.cursor().execute(
        "SELECT release_id, built_at, min_cell, fingerprint, engine, seconds, manifest "
        "FROM release_manifest").fetchall()
    if not rows:
        return None
    rid, built, cell_min, stamp, engine, seconds, body = rows[0]
    return {"release_id": rid, "built_at": built, "min_cell": cell_min, "fingerprint": stamp,
            "engine": engine, "seconds": seconds, **json.loads(body)}


def load(wh, info: dict) -> dict:
    """All released cells, values and domains of the current release, cached per
    (warehouse file, release id, fingerprint); frames are shared read-only between threads."""
    key = (str(wh.path), info["release_id"], info["fingerprint"])
    with _LOCK:
        cached = _CACHE.get(key)
    if cached is not None:
        return cached
    con = wh.cursor()
    cells = con.execute("SELECT * FROM release_cells").fetch_df()
    values = con.execute("SELECT * FROM release_values").fetch_df()
    domains = con.execute("SELECT * FROM release_domains").fetch_df()
    data = {"cells": {k: g.drop(columns=["family", "part", "dims", "grain"])
                      for k, g in cells.groupby(["family", "part", "dims", "grain"], sort=False)},
            "values": {k: g.drop(columns=["metric", "dims", "grain"])
                       for k, g in values.groupby(["metric", "dims", "grain"], sort=False)},
            "domains": {k: list(g.value) for k, g in domains.groupby(["family", "dim"], sort=False)},
            "withheld": withheld_tables(cells)}
    with _LOCK:
        for old in [k for k in _CACHE if k[0] == key[0]]:
            del _CACHE[old]
        _CACHE[key] = data
    return data


def withheld_tables(cells: pd.DataFrame) -> frozenset[tuple]:
    """(family, part, dims, grain) of the tables withheld whole: every cell hidden, zeros too."""
    held = cells[cells.status == "withheld"]
    return frozenset(held[["family", "part", "dims", "grain"]].itertuples(index=False, name=None))


def _empty_cells() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("period", "n") else "object")
                         for c in ["family", *KEYS, "n", "status"]})


def _empty_values() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else "int64" if c == "period"
                                      else "object")
                         for c in ["metric", "dims", "grain", "period", "v1", "v2", "value", "status"]})
