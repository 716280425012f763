"""HTML brief → PDF with WeasyPrint.

Why WeasyPrint rather than headless Chromium: it implements CSS Paged Media, so the running
header and footer (page X of Y, date, version, the SYNTHETIC statement) are plain ``@page``
margin boxes in the same stylesheet the HTML carries, and ``position: fixed`` elements (the
watermark) repeat on every page; it is a pip package using the system's Pango (no 300 MB browser,
no subprocess, ~1 s start-up instead of a browser launch); and its output is reproducible: with the
document identifier derived from the HTML and the dates taken from the HTML's ``dcterms`` meta
tags, the same HTML gives the same PDF bytes. It never fetches anything: every resource is inline
and the URL fetcher refuses all requests.
"""

from __future__ import annotations

import hashlib

from immstat.core.errors import ReportError
from immstat.reports.apart import run_apart


def _no_fetch(url: str, *args, **kwargs):
    raise ReportError(f"The brief tried to load {url[:80]!r}; reports must be self-contained.")


def render_pdf(html: str) -> bytes:
    """The PDF of a brief's HTML (Letter pages, running header/footer from its stylesheet)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango/GLib shared libraries missing
        raise ReportError(
            f"PDF output needs WeasyPrint ({exc}). Install it with `pip install 'immstat[pdf]'` (and, "
            "on Debian/Ubuntu, `apt-get install libpango-1.0-0 libpangoft2-1.0-0`), or write "
            "the report as .html.") from exc
    identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode()
    document = HTML(string=html, url_fetcher=_no_fetch)
    return document.write_pdf(pdf_identifier=identifier, custom_metadata=True)


def render_pdf_apart(html: str, seconds: float) -> bytes:
    """:func:`render_pdf` in the rendering worker process (see :mod:`immstat.reports.apart`)."""
    return run_apart(render_pdf, html, seconds=seconds, too_long="Printing the PDF (ask for "
                     "format=html, or write it locally with `immstat report -o brief.pdf`)")
