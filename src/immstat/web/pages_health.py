"""``/health``: the data-health page — every check with its rule in words, its tolerance and what it
found on the data held; how fresh each source is; and what ICE's latest release changed.

The report is the newest stored run (``immstat check`` stores one) or a run made when the page is
first asked for; the same JSON is at ``/api/v1/checks``.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from immstat.present.health import health_report
from immstat.present.state import serve_state
from immstat.web.render import cached_page, page

router = APIRouter(include_in_schema=False)
EVIDENCE_ROWS = 12


@router.get("/health", response_class=HTMLResponse)
def health_page(request: Request) -> HTMLResponse:
    return cached_page(request, lambda: _build(request))


def _build(request: Request) -> HTMLResponse:
    report = health_report(serve_state(request))
    checks = [{**c, "table": _evidence(c["evidence"])} for c in report["checks"]]
    return page("health.html", "Data health", "/health", [], request=request, report=report,
                checks=checks, freshness=report["freshness"])


def _evidence(rows: list[dict]) -> dict | None:
    """The first rows of a check's evidence as a table (nested values as compact text)."""
    if not rows:
        return None
    columns = list(dict.fromkeys(k for r in rows[:EVIDENCE_ROWS] for k in r))
    body = [[_cell(r.get(c)) for c in columns] for r in rows[:EVIDENCE_ROWS]]
    return {"columns": columns, "rows": body, "more": max(len(rows) - EVIDENCE_ROWS, 0)}


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, list | dict):
        return json.dumps(value, default=str)[:160]
    return str(value)
