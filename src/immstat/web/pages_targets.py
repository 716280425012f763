"""``/targets``: stated targets vs actual pace (charts with projection band, office ranking)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from immstat.analysis.targets import pace
from immstat.present.releases import what_changed
from immstat.present.state import serve_state
from immstat.present.target_charts import pace_spec, ranking_spec
from immstat.web.render import cached_page, render

router = APIRouter(include_in_schema=False)


@router.get("/targets", response_class=HTMLResponse)
def targets_page(request: Request) -> HTMLResponse:
    return cached_page(request, lambda: _build(request))


def _build(request: Request) -> HTMLResponse:
    items = [p.to_dict() for p in pace(serve_state(request).warehouse())]
    cards: list[dict] = []
    sources: dict[int, dict] = {}
    for item in items:
        key = item["target"]["id"]
        cards.append({"item": item, "key": key, "spec": pace_spec(item, "week"),
                      "ranking": ranking_spec(item)})
        for s in item["sources"] + ((item["published"] or {}).get("sources") or []):
            sources.setdefault(s["source_id"], s)
    return render("targets.html", title="Targets vs pace", active="/targets", cards=cards,
                  changes=what_changed(serve_state(request)),
                  synthetic=any(i["synthetic"] for i in items), sources=list(sources.values()),
                  charts=any(c["spec"] or c["ranking"] for c in cards))
