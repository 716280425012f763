"""Data-quality counts over record-level tables, per loaded file (counts only, small ones hidden).

A row is an exact duplicate when every column — the anonymised person key included — equals
another row's in the same file. Files without a person identifier are counted but flagged: there,
identical rows may be different people (same office, date, method, country, gender).
Counts of 1 … min_cell − 1 are withheld like any record-derived count (``suppression``).
"""

from __future__ import annotations

import pandas as pd

from immstat.core import passes as split
from immstat.core import settings
from immstat.metrics.suppression import primary

HIDDEN = ("event_id", "source_id", "source_row")


def duplicate_rows(wh, table: str, tolerance: float) -> list[dict]:
    """Per active file loaded into ``table``: rows, exact duplicate rows (extra copies), whether
    they exceed ``tolerance`` × rows, whether the file carries a person key; small counts withheld
    (``duplicates`` None, ``duplicates_hidden`` True)."""
    columns = [c for (c,) in wh.cursor().execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position", [table]).fetchall() if c not in HIDDEN]
    if not columns:
        return []
    person = "bool_or(person_key IS NOT NULL)" if "person_key" in columns else "false"
    found = wh.cursor().execute(
        f"SELECT t.source_id, s.file_name, s.release_date, s.synthetic, count(*) AS n_rows, "
        f'{person} AS has_person_identifier FROM "{table}" t JOIN sources s USING (source_id) '
        "WHERE s.superseded_by IS NULL GROUP BY ALL ORDER BY t.source_id").fetchall()
    frame = pd.DataFrame(found, columns=["source_id", "file", "release_date", "synthetic", "rows",
                                         "has_person_identifier"])
    if frame.empty:
        return []
    extra = _extra_copies(wh, table, columns, frame["source_id"].tolist(), int(frame["rows"].sum()))
    frame["duplicates"] = frame["source_id"].map(extra).fillna(0).astype("int64")
    frame["above_tolerance"] = frame["duplicates"] > tolerance * frame["rows"]
    hidden = pd.Series(primary(frame["duplicates"], settings.min_cell()), index=frame.index)
    frame["duplicates_hidden"] = hidden
    frame["duplicates"] = frame["duplicates"].astype("Int64").mask(hidden)
    records = frame.assign(table=table).to_dict("records")
    return [{k: (None if pd.isna(v) else v) if k == "duplicates" else v for k, v in r.items()}
            for r in records]


def _extra_copies(wh, table: str, columns: list[str], sources: list[int], rows: int
                  ) -> dict[int, int]:
    """Source → rows equal to an earlier row of the same file (every column but ``HIDDEN``),
    for the ``sources`` (``rows`` rows in all), in grouped passes that spill to disk
    (``core/passes.py``)."""
    row = ", ".join(f'"{c}"' for c in columns)
    count, extra = split.passes(rows), dict[int, int]()
    for part in range(count):
        where = f" AND {split.part_sql(f'({row})', count, part)}" if count > 1 else ""
        for source_id, copies in wh.cursor().execute(
                f"SELECT source_id, sum(n - 1) FROM (SELECT source_id, count(*) AS n "
                f'FROM "{table}" WHERE source_id IN (SELECT unnest(?)){where} '
                f"GROUP BY source_id, {row}) GROUP BY source_id", [sources]).fetchall():
            extra[source_id] = extra.get(source_id, 0) + int(copies)
    return extra
