"""``query()``: validate → read the protected release (record-derived) or compute the published
table (published aggregates) → one :class:`Result`.

Record-derived metrics never touch the records here: :mod:`immstat.metrics.views` selects and
adds up cells of the release built by :mod:`immstat.metrics.release` (see README, "Privacy
rules"). Published aggregates are computed from their tables as published.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pyarrow as pa

from immstat.core import settings
from immstat.metrics import periods, published, views
from immstat.metrics.coverage import annotate
from immstat.metrics.dimensions import PERIOD_COLUMN
from immstat.metrics.engine import Request
from immstat.metrics.registry import get_metric
from immstat.metrics.release import store
from immstat.metrics.result import Result
from immstat.metrics.validate import build_request

PERIOD_FIELDS = ["period_start", "period_end", "partial"]  # every cell's days (metrics/periods.py)


def query(wh, metric: str, by=None, where=None, fy=None, date_from=None, date_to=None,
          grain=None, engine: str = "duckdb", as_of=None, min_cell: int | None = None) -> Result:
    """``metric`` on warehouse ``wh``; see :class:`Result`."""
    m = get_metric(metric)
    req = build_request(m, by, where, fy, date_from, date_to, grain, as_of)
    filters = {"where": req.where, "from": req.start, "to": req.end, "fy": fy, "as_of": req.as_of}
    if engine not in ("duckdb", "spark"):
        wh.backend(engine)  # raises the one-line "unknown engine" error
    if not m.record_derived:
        ends = periods.published_ends(wh, m, req.as_of)
        req = replace(req, data_ends=ends.pairs())
        frame, notes = published.compute(wh.backend(engine), req, ends)
        table = _to_table(periods.stamp(frame, req, ends), req)
        result = Result(m, table, req.by, req.grain, filters, 0, settings.min_cell(min_cell),
                        ends.cited(wh.provenance_for(m), req), engine, notes)
        result.data_end, result.data_end_basis = periods.result_end(req, ends)
        result.data_span = (ends.start, ends.end)
        annotate(result, wh, req)
        return result
    info = wh.release_manifest(min_cell)
    frame, digits = views.answer(store.load(wh, info), info, req)
    if req.grain:
        frame["period"] = pd.Series([views.as_period(p, req.grain) for p in frame["period"]],
                                    index=frame.index, dtype=object)
    family = info["families"].get(req.metric.family.name, {}) if req.metric.family else {}
    release = {"release_id": info["release_id"], "built_at": info["built_at"],
               "data_span": family.get("span")}
    ends = periods.release_ends(family.get("span"))
    table = _to_table(periods.stamp(frame, req, ends), req)
    result = Result(m, table, req.by, req.grain, filters, int(frame["suppressed"].sum()),
                    info["min_cell"], wh.provenance_for(m), engine,
                    ["read from the protected release (see README, Privacy rules)"],
                    precision=digits, release=release)
    result.data_end, result.data_end_basis = periods.result_end(req, ends)
    result.data_span = (ends.start, ends.end)
    annotate(result, wh, req)  # partial years, missing columns, stated assumptions (provenance only)
    return result


def _to_table(frame: pd.DataFrame, req: Request) -> pa.Table:
    columns = list(req.by)
    if req.grain:
        frame = frame.rename(columns={"period": PERIOD_COLUMN[req.grain]})
        columns.append(PERIOD_COLUMN[req.grain])
    frame = frame.sort_values(columns[::-1], kind="stable") if columns else frame
    frame = frame[[*columns, "value", "suppressed", *PERIOD_FIELDS]].reset_index(drop=True)
    fields = []
    for col in columns:
        kind = pa.int32() if col == "fiscal_year" else pa.date32() if col in ("date", "week", "month") \
            else pa.string()
        fields.append(pa.field(col, kind))
    schema = pa.schema([*fields, pa.field("value", pa.float64()), pa.field("suppressed", pa.bool_()),
                        pa.field("period_start", pa.date32()), pa.field("period_end", pa.date32()),
                        pa.field("partial", pa.bool_())])
    return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
