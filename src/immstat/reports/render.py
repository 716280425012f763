"""A :class:`~.model.Brief` → one self-contained HTML file (inline CSS, inline SVG, no requests).

The same HTML is printed to PDF (:mod:`.pdf`): print layout (page size, running header and
footer with page numbers, date and version, the SYNTHETIC watermark on every page) lives in the
stylesheet's ``@page`` and ``@media print`` rules.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from immstat.core.formats import SYNTHETIC, SYNTHETIC_DATA, SYNTHETIC_NOTE, fmt_value
from immstat.reports.model import Brief, cite_label

SYNTHETIC_STATEMENT = f"{SYNTHETIC_NOTE}. Figures marked {SYNTHETIC} must not be cited as facts."
WATERMARK = SYNTHETIC_DATA


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("immstat.reports", "templates"),
                      autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["num"] = fmt_value
    env.filters["cite_label"] = cite_label
    env.filters["svg"] = Markup  # produced by vl-convert from our own specs
    return env


_ENV = _environment()


def render_html(brief: Brief) -> str:
    """The brief as one HTML document (deterministic for a given brief)."""
    css = _ENV.get_template("brief.css").render(brief=brief, watermark=WATERMARK,
                                                statement=SYNTHETIC_STATEMENT)
    return _ENV.get_template("brief.html").render(brief=brief, css=Markup(css),
                                                  watermark=WATERMARK,
                                                  statement=SYNTHETIC_STATEMENT)
