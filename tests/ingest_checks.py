"""Helpers shared by the ingest tests: warehouse checksums and small arrests-layout files."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from immstat.metrics.warehouse import Warehouse

TABLES = ("sources", "rejects", "source_columns", "arrests")
SMALL_HEADER = ["Apprehension Date", "Apprehension AOR", "Apprehension Method",
                "Apprehension Criminality", "Apprehension State", "Unique Identifier"]


def snapshot(wh: Warehouse, tables: tuple[str, ...] = TABLES) -> dict[str, tuple]:
    """Per table: row count and an order-independent checksum of every row's full content."""
    return {t: wh._con.execute(f'SELECT count(*), coalesce(sum(hash(x)), 0) FROM "{t}" x').fetchone()
            for t in tables}


def write_small_csv(path: Path, release: str, rows: int, start_day: int = 1,
                    aor: str = "SEA") -> Path:
    """A valid arrests CSV with a 'Release date:' banner line and ``rows`` rows."""
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["ICE Administrative Arrests"])
        out.writerow([f"Release date: {release}"])
        out.writerow(SMALL_HEADER)
        for i in range(rows):
            out.writerow([f"2024-05-{start_day + i % 27:02d}", aor, "Located",
                          "3 Other Immigration Violator", "WA", f"B{i}"])
    return path


def write_big_csv(path: Path, rows: int, seed: int = 0) -> Path:
    """A large arrests-layout CSV (header on the first line), built column-wise with pyarrow."""
    rng = np.random.default_rng(seed)

    def pick(values: list[str]) -> pa.Array:
        return pa.array(np.array(values)[rng.integers(0, len(values), rows)])

    days = pa.array(rng.integers(19_000, 20_000, rows).astype("int32")).cast(pa.date32())
    table = pa.table({
        "Apprehension Date": pc.cast(days, pa.string()),
        "Apprehension State": pick(["TX", "GA", "FL", "IL", "CA", "NY", "WA"]),
        "Apprehension AOR": pick(["ATL", "HOU", "MIA", "CHI", "LOS", "NYC", "SEA"]),
        "Apprehension Method": pick(["Located", "CAP Local Incarceration", "287(g) Program"]),
        "Apprehension Criminality": pick(["1 Convicted Criminal", "2 Pending Criminal Charges",
                                          "3 Other Immigration Violator"]),
        "Citizenship Country": pick(["MEXICO", "GUATEMALA", "HONDURAS", "(b)(6)"]),
        "Gender": pick(["Male", "Female"]),
        "Birth Year": pa.array(rng.integers(1950, 2005, rows)),
        "Unique Identifier": pc.cast(pa.array(rng.integers(0, max(rows // 2, 1), rows)), pa.string()),
    })
    pacsv.write_csv(table, path)
    return path


def q(wh: Warehouse, sql: str, *params, one: bool = True):
    """Run SQL on a test warehouse: the first value (``one``) or every row. The one place tests
    reach the raw connection, so a change to how the store exposes it is one edit here."""
    rows = wh.cursor().execute(sql, list(params)).fetchall()
    return (rows[0][0] if rows else None) if one else rows
