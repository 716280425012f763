"""A :class:`Result`: one computed, suppressed metric table plus everything needed to cite it.

Every surface (CLI, HTTP API, dashboard, reports, claim checker) renders a Result; its
:meth:`to_dict` is the JSON shape of DESIGN.md, shared by ``immstat query --format json`` and
``GET /api/v1/query/{metric}``; its CSV and CSVW metadata come from
:mod:`immstat.present.citation`. Every cell carries its period (``period_start``, ``period_end``,
``partial``) and the Result its ``data_end`` (see :mod:`immstat.metrics.periods`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pyarrow as pa

from immstat.metrics.registry import Metric


@dataclass
class Result:
    metric: Metric
    table: pa.Table  # columns: by…, [period column], value, suppressed, period_start, period_end,
    #                  partial
    by: list[str]
    grain: str | None
    filters: dict
    suppressed: int
    min_cell: int
    sources: list[dict]
    engine: str = "duckdb"
    notes: list[str] = field(default_factory=list)
    precision: int | None = None  # decimal digits values are rounded to (None: as published)
    release: dict | None = None  # the protected release read (record-derived metrics)
    coverage: dict | None = None  # published tables that omit rows: share of ICE's annual total
    data_end: dt.date | None = None  # last day the figures reach inside the request
    data_end_basis: str = ""  # how data_end was found (metrics/periods.py)
    data_span: tuple[dt.date | None, dt.date | None] = (None, None)  # all the metric's data

    @property
    def synthetic(self) -> bool:
        return any(s["synthetic"] for s in self.sources)

    @property
    def partial(self) -> bool:
        """Whether any cell's data stop before its period ends (or start after it begins)."""
        return "partial" in self.table.column_names and any(self.table.column("partial").to_pylist())

    @property
    def columns(self) -> list[str]:
        return self.table.column_names

    # -------------------------------------------------------------- conversions
    def to_arrow(self) -> pa.Table:
        meta = {b"immstat.metric": self.metric.name.encode(),
                b"immstat.synthetic": str(self.synthetic).lower().encode(),
                b"immstat.min_cell": str(self.min_cell).encode()}
        return self.table.replace_schema_metadata(meta)

    def to_pandas(self):
        return self.table.to_pandas()

    def to_polars(self):
        import polars as pl

        return pl.from_arrow(self.table)

    def rows(self) -> list[list]:
        cols = [self.table.column(i).to_pylist() for i in range(self.table.num_columns)]
        return [[_jsonable(v) for v in row] for row in zip(*cols)]

    def value(self) -> float | None:
        """The single value of a result with no breakdown (None if suppressed or empty)."""
        values = self.table.column("value").to_pylist()
        return values[0] if len(values) == 1 else None

    def to_dict(self) -> dict:
        return {
            "metric": self.metric.name,
            "title": self.metric.title,
            "unit": self.metric.unit,
            "record_derived": self.metric.record_derived,
            "columns": self.columns,
            "rows": self.rows(),
            "suppressed": self.suppressed,
            "min_cell": self.min_cell,
            "synthetic": self.synthetic,
            "sources": [{k: _jsonable(v) for k, v in s.items()} for s in self.sources],
            "by": self.by,
            "grain": self.grain,
            "filters": {k: _jsonable(v) for k, v in self.filters.items()},
            "engine": self.engine,
            "notes": self.notes,
            "precision": self.precision,
            "release": {k: _jsonable(v) for k, v in self.release.items()} if self.release else None,
            "coverage": self.coverage,
            "data_end": _jsonable(self.data_end),
            "data_end_basis": self.data_end_basis,
            "data_span": [_jsonable(d) for d in self.data_span],
            "partial": self.partial,
        }


def _jsonable(value):
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value
