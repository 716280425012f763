"""Core API routes: health, metric registry, query, sources. Read-only; no SQL here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from immstat._version import __version__
from immstat.api.answers import respond
from immstat.api.models import Health, MetricInfo, QueryResult, SourceInfo
from immstat.core.errors import LimitError, QueryError
from immstat.core.parse import parse_where
from immstat.metrics import DIMENSIONS, Result, all_metrics
from immstat.metrics.periods import empty_reason
from immstat.present.citation import csv_text, csvw_metadata, download_name, metadata_filename
from immstat.present.http import ERRORS
from immstat.present.state import Rendered, ServeState, serve_state

router = APIRouter(prefix="/api/v1", tags=["api"])

MAX_TEXT = 200
METRIC_NAMES = [m.name for m in all_metrics()]  # documented choices; unknown names get a helpful 404


@router.get("/health", response_model=Health, responses={503: ERRORS[503]},
            summary="Is the API up, and what does its warehouse hold?")
async def health(request: Request) -> Health:
    """Answered on the event loop from a summary read once (the warehouse is read-only while
    served), so it stays fast while heavy requests run on the worker threads."""
    state = serve_state(request)
    summary = state.summary()
    return Health(status="ok", version=__version__, warehouse=state.warehouse_name,
                  sources=summary["sources"], synthetic=summary["synthetic"])


@router.get("/metrics", response_model=list[MetricInfo], summary="The metric registry.")
def metrics() -> list[dict]:
    return [m.to_dict() | {"mappable": m.mappable} for m in all_metrics()]


@router.get("/sources", response_model=list[SourceInfo], responses={503: ERRORS[503]},
            summary="Provenance of every ingested file (file names only, no folders).")
def sources(request: Request) -> list[dict]:
    state = serve_state(request)
    return [_public_source(row) for row in state.run(lambda wh: wh.sources())]


def _public_source(row: dict) -> dict:
    out = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
    out["file_name"] = Path(str(row["file_name"])).name
    out["synthetic"], out["record_level"] = bool(row["synthetic"]), bool(row["record_level"])
    out["tables"] = [t for t in (row["tables"] or "").split(",") if t]
    return out


QUERY_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The Result as JSON (same as `immstat query --format json`), CSV, or the "
                         "CSV's CSVW metadata (`format=csvw`).",
          "content": {"text/csv": {"schema": {"type": "string"},
                                   "example": "aor,value,suppressed,period_start,period_end,partial\n"
                                              "HOU,1234,false,2024-10-01,2025-09-30,false\n"},
                      "application/csvw+json": {"schema": {"type": "object"}}}},
    304: {"description": "Not modified (the If-None-Match ETag matches)."},
    **ERRORS,
}


@router.get("/query/{metric}", response_model=QueryResult, responses=QUERY_RESPONSES,
            summary="Compute one metric, suppressed, with its sources.")
async def query_metric(
    request: Request,
    metric: Annotated[str, PathParam(max_length=MAX_TEXT, description="Metric name (see "
                                     "/api/v1/metrics).", examples=["arrests"],
                                     json_schema_extra={"enum": METRIC_NAMES})],
    by: Annotated[list[str] | None, Query(max_length=10, description="Break down by a dimension "
                                          "(repeatable).", examples=[["aor"]],
                                          json_schema_extra={"items": {"enum": sorted(DIMENSIONS)}})
                  ] = None,
    where: Annotated[list[str] | None, Query(max_length=20, description="Filter DIM=VALUE[,VALUE] "
                                             "or DIM:VALUE (repeatable).",
                                             examples=[["criminality=convicted,pending"]])] = None,
    fy: Annotated[int | None, Query(ge=1990, le=2100, description="Fiscal year (Oct–Sep, named by "
                                    "its end year).", examples=[2025])] = None,
    date_from: Annotated[str | None, Query(alias="from", max_length=10, description="First day "
                                           "YYYY-MM-DD.", examples=["2024-10-01"])] = None,
    date_to: Annotated[str | None, Query(alias="to", max_length=10, description="Last day "
                                         "YYYY-MM-DD.", examples=["2025-09-30"])] = None,
    grain: Annotated[Literal["day", "week", "month", "fy"] | None,
                     Query(description="Time grain.", examples=["month"])] = None,
    as_of: Annotated[str | None, Query(max_length=10, description="Use published releases up to "
                                       "this date (YYYY-MM-DD).", examples=["2025-06-30"])] = None,
    format: Annotated[Literal["json", "csv", "csvw"], Query(
        description="json (default); csv (a citable download: Content-Disposition filename and a "
                    "Link to its metadata); csvw (the CSV's W3C CSV-on-the-Web metadata, JSON-LD).",
        examples=["json"])] = "json",
) -> Response:
    params = dict(by=by or [], where=parse_where(where), fy=fy, date_from=date_from,
                  date_to=date_to, grain=grain, as_of=as_of)
    key = (metric, format, json.dumps(params, sort_keys=True))
    state = serve_state(request)
    rendered = state.lookup(key)
    if rendered is None:
        csv_url = str(request.url.include_query_params(format="csv"))
        rendered = await run_in_threadpool(state.cached, key,
                                           lambda: _render(state, metric, params, format, csv_url))
    return respond(request, rendered, _download_headers(request, metric, params, format))


def _download_headers(request: Request, metric: str, params: dict, fmt: str) -> dict[str, str]:
    """CSV: its file name and a Link to its metadata; CSVW: the metadata's file name."""
    if fmt == "json":
        return {}
    name = download_name(metric, params["by"], params["grain"], params["fy"], params["date_from"],
                         params["date_to"])
    if fmt == "csvw":
        return {"Content-Disposition": f'attachment; filename="{metadata_filename(name)}"'}
    meta = request.url.include_query_params(format="csvw")
    return {"Content-Disposition": f'attachment; filename="{name}"',
            "Link": f'<{meta}>; rel="describedby"; type="application/csvw+json"'}


def _render(state: ServeState, metric: str, params: dict, fmt: str, csv_url: str) -> Rendered:
    result = state.warehouse().query(metric, **params)
    check_cells(result, state.limits.max_cells)
    empty = empty_reason(result)
    if empty and empty[0]:
        raise QueryError(empty[1])
    if fmt == "csv":
        return Rendered(csv_text(result).encode(), "text/csv; charset=utf-8")
    if fmt == "csvw":
        body = json.dumps(csvw_metadata(result, csv_url), ensure_ascii=False, indent=1)
        return Rendered(body.encode(), "application/csvw+json")
    body = json.dumps(result.to_dict(), ensure_ascii=False, separators=(",", ":"))
    return Rendered(body.encode(), "application/json")


def check_cells(result: Result, limit: int) -> None:
    """Refuse an answer of more than ``limit`` cells, saying how to narrow the query."""
    rows, cols = result.table.num_rows, result.table.num_columns
    if rows * cols > limit:
        raise LimitError(
            f"This answer has {rows * cols:,} cells ({rows:,} rows × {cols} columns); the API returns "
            f"at most {limit:,}. Narrow it: a shorter period (fy, from/to), a coarser grain, fewer "
            "`by` dimensions or a `where` filter; or run `immstat query ... --format parquet` "
            "on your own copy.")
