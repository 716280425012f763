"""Publication-ready briefs per fiscal year and per ICE field office, as HTML and PDF.

    from immstat import Warehouse
    from immstat.reports import build_brief, render_html, render_pdf, write_report
    with Warehouse(path, read_only=True) as wh:
        brief = build_brief(wh, fy=2025, aor="HOU", date="2026-05-01")
    html = render_html(brief)           # one self-contained file: inline CSS and SVG charts
    pdf = render_pdf(html)              # WeasyPrint (see pdf.py for why)

``router`` serves the same brief at ``GET /api/v1/report``. Every figure cites its sources (file,
release date, sha256 prefix); the same warehouse and options give a byte-identical document once
the generation date is fixed with ``date``.
"""

from __future__ import annotations

from immstat.reports.brief import build_brief, write_report
from immstat.reports.model import Brief
from immstat.reports.pdf import render_pdf
from immstat.reports.render import render_html
from immstat.reports.route import router

__all__ = ["Brief", "build_brief", "render_html", "render_pdf", "router", "write_report"]
