"""A cited source: the file behind a number, as every output names it.

A :class:`SourceRef` is what a Result, a verdict, a report figure or a page footer cites. Its
keys are fixed here (``source_id, file, kind, sha256, release_date, synthetic, rows_loaded``,
and what the file covers: ``data_start, data_end, columns_not_provided`` and, for synthetic
scenarios, the stated ``assumption``);
the warehouse's provenance *table* (``Warehouse.sources()``, ``/api/v1/sources``) is the full
ingest record and keeps the table's own column names (``file_name``, ``rows_in``, …).
:meth:`SourceRef.from_row` is the one place that maps one to the other.

A SourceRef is also a read-only mapping (``ref["file"]``, ``dict(ref)``), so code that handles
citations as dicts keeps working; :meth:`to_dict` gives the JSON form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True)
class SourceRef(Mapping[str, Any]):
    source_id: int
    file: str
    kind: str
    sha256: str
    release_date: dt.date | str | None
    synthetic: bool
    rows_loaded: int | None
    data_start: dt.date | str | None = None
    data_end: dt.date | str | None = None
    columns_not_provided: str | None = None
    assumption: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> SourceRef:
        """From a provenance-table row (``file_name``) or a cited-source dict (``file``)."""
        name = row["file"] if "file" in row else row["file_name"]
        return cls(int(row["source_id"]), str(name), str(row["kind"]), str(row["sha256"]),
                   row.get("release_date"), bool(row["synthetic"]), row.get("rows_loaded"),
                   row.get("data_start"), row.get("data_end"), row.get("columns_not_provided"),
                   row.get("assumption"))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (release date as ISO text)."""
        out = asdict(self)
        for key in ("release_date", "data_start", "data_end"):
            if isinstance(out[key], dt.date):
                out[key] = out[key].isoformat()
        if out["assumption"] is None:
            del out["assumption"]
        return out

    # read-only mapping over the fields
    def __getitem__(self, key: str) -> Any:
        if key not in _FIELDS:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(_FIELDS)

    def __len__(self) -> int:
        return len(_FIELDS)


_FIELDS = tuple(f.name for f in fields(SourceRef))


def cite(sources: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Citations as JSON-ready dicts (sources given as SourceRefs or provenance rows)."""
    return [(s if isinstance(s, SourceRef) else SourceRef.from_row(s)).to_dict() for s in sources]
