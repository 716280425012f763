"""``query()``: validate → read the protected release (record-derived) or compute the published
table (published aggregates) → one :class:`Result`.

Record-derived metrics never touch the records here: :mod:`immstat.metrics.views` selects and
adds up cells of the release built by :mod:`immstat.metrics.release` (see README, "Privacy
rules"). Published aggregates are computed from their tables as published.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from immstat.core import settings
from immstat.metrics import published, views
from immstat.metrics.coverage import annotate
from immstat.metrics.dimensions import PERIOD_COLUMN
from immstat.metrics.engine import Request
from immstat.metrics.registry import get_metric
from immstat.metrics.release import store
from immstat.metrics.result import Result
from immstat.metrics.validate import build_request


def query(wh, metric: str, by=None, where=None, fy=None, date_from=None, date_to=None,
          grain=None, engine: str = "duckdb", as_of=None, min_cell: int | None = None) -> Result:
    """``metric`` on warehouse ``wh``; see :class:`Result`."""
    m = get_metric(metric)
    req = build_request(m, by, where, fy, date_from, date_to, grain, as_of)
    filters = {"where": req.where, "from": req.start, "to": req.end, "fy": fy, "as_of": req.as_of}
    if engine not in ("duckdb", "spark"):
        wh.backend(engine)  # raises the one-line "unknown engine" error
    if not m.record_derived:
        frame, notes = published.compute(wh.backend(engine), req)
        table = _to_table(frame, req)
        result = Result(m, table, req.by, req.grain, filters, 0, settings.min_cell(min_cell),
                        wh.provenance_for(m), engine, notes)
        annotate(result, wh, req)
        return result
    info = wh.release_manifest(min_cell)
    frame, digits = views.answer(store.load(wh, info), info, req)
    if req.grain:
        frame["period"] = pd.Series([views.as_period(p, req.grain) for p in frame["period"]],
                                    index=frame.index, dtype=object)
    table = _to_table(frame, req)
    family = info["families"].get(req.metric.family.name, {}) if req.metric.family else {}
    release = {"release_id": info["release_id"], "built_at": info["built_at"],
               "data_span": family.get("span")}
    return Result(m, table, req.by, req.grain, filters, int(frame["suppressed"].sum()),
                  info["min_cell"], wh.provenance_for(m), engine,
                  ["read from the protected release (see README, Privacy rules)"],
                  precision=digits, release=release)


def _to_table(frame: pd.DataFrame, req: Request) -> pa.Table:
    columns = list(req.by)
    if req.grain:
        frame = frame.rename(columns={"period": PERIOD_COLUMN[req.grain]})
        columns.append(PERIOD_COLUMN[req.grain])
    frame = frame.sort_values(columns[::-1], kind="stable") if columns else frame
    frame = frame[[*columns, "value", "suppressed"]].reset_index(drop=True)
    fields = []
    for col in columns:
        kind = pa.int32() if col == "fiscal_year" else pa.date32() if col in ("date", "week", "month") \
            else pa.string()
        fields.append(pa.field(col, kind))
    schema = pa.schema([*fields, pa.field("value", pa.float64()), pa.field("suppressed", pa.bool_())])
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
