"""``/glossary``: ICE's terms (facility types, ADP, book-in, criminality classes, 287(g) …) in ICE's
own words where ICE defines them, each definition naming its source (:mod:`immstat.present.glossary`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from immstat.present.glossary import PAGE, SOURCES, groups
from immstat.web.render import cached_page, render

router = APIRouter(include_in_schema=False)


@router.get(PAGE, response_class=HTMLResponse)
def glossary_page(request: Request) -> HTMLResponse:
    return cached_page(request, lambda: render(
        "glossary.html", title="Glossary", active=PAGE, groups=groups(), glossary_sources=SOURCES,
        sources=[], charts=False, synthetic=False))
