"""``/capacity``: Little's-law what-if with sliders (recomputed through /api/v1/capacity)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from immstat.analysis.capacity import capacity, validate_history
from immstat.analysis.capacity.defaults import ASSUMPTION_WORDS
from immstat.core.errors import ImmstatError
from immstat.present.releases import what_changed
from immstat.present.state import serve_state
from immstat.present.target_charts import trajectory_spec
from immstat.web.render import cached_page, render

router = APIRouter(include_in_schema=False)
DEFAULT_ARRESTS = 3000.0


@router.get("/capacity", response_class=HTMLResponse)
def capacity_page(request: Request) -> HTMLResponse:
    return cached_page(request, lambda: _build(request))


def _build(request: Request) -> HTMLResponse:
    wh = serve_state(request).warehouse()
    try:
        result = capacity(wh, DEFAULT_ARRESTS, removals_per_year=1_000_000).to_dict()
        history = validate_history(wh)
        message = ""
    except ImmstatError as exc:
        result, history, message = None, None, str(exc)
    spec = trajectory_spec(result) if result else None
    return render("capacity.html", title="Capacity what-if", active="/capacity", result=result,
                  changes=what_changed(serve_state(request)), words=ASSUMPTION_WORDS,
                  history=history, message=message, spec=spec,
                  sources=result["sources"] if result else [], charts=spec is not None,
                  synthetic=bool(result and result["synthetic"]), arrests=DEFAULT_ARRESTS)
