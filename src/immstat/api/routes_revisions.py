"""Revision ledger and data-health routes: what ICE's releases changed, and the checks' results.

``/api/v1/revisions/{metric}`` answers the JSON of ``immstat revisions METRIC --format json``
(or its CSV); ``/api/v1/checks`` the JSON of ``immstat check --format json``.
"""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from immstat.analysis.revisions import ledger
from immstat.api.answers import json_answer, respond
from immstat.core.parse import parse_date
from immstat.metrics.releases import release_metrics
from immstat.present.health import health_report
from immstat.present.http import ERRORS
from immstat.present.state import Rendered, serve_state

router = APIRouter(prefix="/api/v1", tags=["revisions and data health"])
LEDGER_METRICS = [m.name for m in release_metrics()]


REVISION_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The revision ledger (as `immstat revisions METRIC --format json`), or "
                         "its CSV: one row per figure, one column per release.",
          "content": {"application/json": {"schema": {"type": "object"}},
                      "text/csv": {"schema": {"type": "string"},
                                   "example": "period,2026-02-12,2026-04-09\n2026-01,71955.2,71929.5\n"}}},
    304: {"description": "Not modified (the If-None-Match ETag matches)."},
    **ERRORS,
}


@router.get("/revisions/{metric}", responses=REVISION_RESPONSES,
            summary="Every value each published figure of a metric has had, release by release.")
def revisions(
    request: Request,
    metric: Annotated[str, PathParam(max_length=200, description="A published metric that keeps "
                                     "every release.", examples=["detention_stats_adp"],
                                     json_schema_extra={"enum": LEDGER_METRICS})],
    fy: Annotated[int | None, Query(ge=1990, le=2100, description="Only this fiscal year's "
                                    "releases.", examples=[2026])] = None,
    by: Annotated[list[str] | None, Query(max_length=3, description="Break down by a dimension "
                                          "(repeatable).", examples=[["arresting_agency"]])] = None,
    as_of: Annotated[str | None, Query(max_length=10, description="Only releases published up to "
                                       "YYYY-MM-DD.", examples=["2026-02-12"])] = None,
    format: Annotated[Literal["json", "csv"], Query(description="json (default): the ledger as "
                                                    "`immstat revisions --format json`; csv: one "
                                                    "row per figure, one column per release.",
                                                    examples=["json"])] = "json",
) -> Response:
    day = parse_date(as_of, "as_of")
    dims = list(by or [])
    if format == "json":
        return json_answer(request, ("revisions", metric, fy, tuple(dims), day),
                           lambda wh: ledger(wh, metric, fy=fy, by=dims, as_of=day).to_dict())
    state = serve_state(request)
    key = ("revisions-csv", metric, fy, tuple(dims), day)
    return respond(request, state.cached(key, lambda: _csv(ledger(
        state.warehouse(), metric, fy=fy, by=dims, as_of=day))))


def _csv(book) -> Rendered:
    columns, rows = book.wide_rows()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return Rendered(out.getvalue().encode(), "text/csv; charset=utf-8")


@router.get("/checks", responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}},
                                   304: {"description": "Not modified (the ETag matches)."},
                                   503: ERRORS[503]},
            summary="The data-health checks (rule in words, tolerance, result) and freshness.")
def checks(request: Request) -> Response:
    state = serve_state(request)
    return json_answer(request, ("checks",), lambda _wh: health_report(state))
