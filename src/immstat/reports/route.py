"""``GET /api/v1/report``: the brief of ``immstat report`` as HTML or PDF (a router the composition
root, :func:`immstat.cli.compose.build_app`, adds to the app)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from immstat.present.http import errors
from immstat.present.state import Rendered, serve_state
from immstat.reports.brief import build_brief
from immstat.reports.pdf import render_pdf_apart
from immstat.reports.render import render_html

router = APIRouter(prefix="/api/v1", tags=["reports"])
MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
DAY = r"^\d{4}-\d{2}-\d{2}$"
OK: dict[int | str, dict[str, Any]] = {200: {
    "description": "The brief: one self-contained HTML file, or a PDF.", "content": {
        "text/html": {"schema": {"type": "string"}},
        "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}


class ReportFormat(str, Enum):
    html = "html"
    pdf = "pdf"


@router.get("/report", responses={**OK, **errors(400, 404, 422, 500, 503)}, response_class=Response,
            summary="A citable brief for a fiscal year (optionally one field office), HTML or PDF.")
def report(
    request: Request,
    fy: Annotated[int | None, Query(ge=2000, le=2100, description="Fiscal year (default: newest).",
                                    examples=[2025])] = None,
    aor: Annotated[str | None, Query(pattern=r"^[A-Za-z]{3}$", examples=["HOU"],
                                     description="ICE field office code.")] = None,
    as_of: Annotated[str | None, Query(pattern=DAY, examples=["2026-04-30"],
                                       description="Published releases up to this date.")] = None,
    date: Annotated[str | None, Query(pattern=DAY, examples=["2026-05-01"],
                                      description="Generation date printed (default today).")] = None,
    format: Annotated[ReportFormat, Query(examples=["html"], description="html or pdf.")]
    = ReportFormat.html,
) -> Response:
    """Headline figures with change vs the prior year, trends, map, criminality mix, detention,
    encounters, pace against stated targets (or the office's card and ranking), methods and
    numbered sources with release dates and sha256. Same document as `immstat report`."""
    state = serve_state(request)
    day = date or dt.date.today().isoformat()

    def render() -> Rendered:
        brief = build_brief(state.warehouse(), fy=fy, aor=aor, as_of=as_of, date=day)
        html = render_html(brief)
        pdf = format == ReportFormat.pdf
        body = render_pdf_apart(html, state.limits.seconds) if pdf else html.encode("utf-8")
        return Rendered(body, MEDIA[format.value])

    rendered = state.cached(("report", fy, (aor or "").upper(), as_of, day, format.value), render)
    suffix = f"FY{fy or 'latest'}" + (f"-{aor.upper()}" if aor else "")
    return Response(rendered.body, media_type=rendered.media_type, headers={
        "ETag": rendered.etag,
        "Content-Disposition": f'inline; filename="immstat-brief-{suffix}.{format.value}"'})
