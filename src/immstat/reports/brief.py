"""Build a brief: gather every figure for a fiscal year (and optionally one field office)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from immstat._version import __version__
from immstat.core import reference
from immstat.core.calendar import fy_bounds
from immstat.core.errors import QueryError, UnknownName
from immstat.core.formats import day_label
from immstat.core.parse import parse_date
from immstat.metrics import Warehouse
from immstat.present.filters import fiscal_years
from immstat.reports import content, office
from immstat.reports.appendix import revisions
from immstat.reports.gather import Gatherer
from immstat.reports.methods import methods
from immstat.reports.model import Brief, Citations
from immstat.reports.pdf import render_pdf
from immstat.reports.periods import partial_end
from immstat.reports.render import render_html

# fiscal years a brief can be written for; the default is the newest year of ICE's published
# figures (national) or of its per-office ERO statistics (a field office's brief)
YEAR_METRICS = ("detention_stats_adp", "ero_stats_arrests", "usbp_encounters_monthly", "arrests")
DEFAULT_FROM = {"national": ("detention_stats_adp", "ero_stats_arrests", "usbp_encounters_monthly"),
                "office": ("ero_stats_arrests", "arrests")}


def build_brief(wh: Warehouse, fy: int | None = None, aor: str | None = None, as_of=None,
                date: str | None = None) -> Brief:
    """Gather every figure of the brief for ``fy`` (default: the newest) and optionally one office."""
    as_of_day = parse_date(as_of, "--as-of")
    generated = _generated(date)
    office_row = _office(aor) if aor else None
    citations = Citations()
    fy = _fiscal_year(Gatherer(wh, 0, as_of_day, citations), fy, "office" if office_row else "national")
    g = Gatherer(wh, fy, as_of_day, citations)
    pace_as_of = as_of_day or fy_bounds(fy)[1]
    if office_row:
        national = content.headlines(g)
        national.title = f"National context, FY{fy}"
        sections = [office.card(g, office_row), office.ranking(g, office_row), national,
                    content.arrest_map(g)]
        title = f"{office_row['name']} field office ({office_row['code']}): fiscal year {fy}"
    else:
        sections = content.national(g, pace_as_of)
        title = f"US immigration enforcement: fiscal year {fy}"
    appendix = [revisions(g)]
    cited = {n["source_id"] for n in citations.notes()}
    text = "\n".join(s.text() for s in [*sections, *appendix])
    start, end = fy_bounds(fy)
    subtitle = f"{day_label(start)} to {day_label(end)}" + (
        f"; published releases up to {as_of_day}" if as_of_day else "")
    stem = f"immstat-brief-FY{fy}" + (f"-{office_row['code']}" if office_row else "")
    return Brief(title, subtitle, fy, office_row, as_of_day.isoformat() if as_of_day else None,
                 generated, __version__, sections, methods(wh, fy, as_of_day, cited, text),
                 citations.notes(), stem, appendix)


def write_report(wh: Warehouse, out: str | Path, **options) -> Path:
    """Build the brief and write it as HTML or PDF (chosen by ``out``'s suffix)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise QueryError(f"Cannot write a report to {out.name!r}: name the output file .html or .pdf.")
    html = render_html(build_brief(wh, **options))
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".pdf":
        out.write_bytes(render_pdf(html))
    else:
        out.write_text(html, encoding="utf-8")
    return out


def _generated(date: str | None) -> str:
    day = parse_date(date, "--date")
    if day is None:
        return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return day.isoformat()


def _office(code: str) -> dict:
    offices = {a["code"]: a for a in reference.aors()}
    found = offices.get(code.strip().upper())
    if found is None:
        raise UnknownName("field office (AOR code)", code, offices)
    return found


def _fiscal_year(g: Gatherer, fy: int | None, kind: str) -> int:
    panels = {m: g.panel(f"years-{m}", "", m, grain="fy") for m in YEAR_METRICS}
    found = {m: set(fiscal_years(p)) for m, p in panels.items()}
    years = set().union(*found.values())
    if not years:
        raise QueryError("The warehouse has no published statistics or arrests to report on; run "
                         "`immstat demo --no-serve` or ingest files first (`immstat ingest FILE`).")
    if fy is not None and fy not in years:
        raise QueryError(f"No data for FY{fy}; choose --fy from {', '.join(map(str, sorted(years)))}.")
    if fy is not None:
        return fy
    for metric in DEFAULT_FROM[kind]:
        covered = found[metric]
        if kind == "office":  # an office's card needs a year its statistics cover in full
            covered = {y for y in covered if partial_end(panels[metric].sources, y) is None}
        if covered:
            return max(covered)
    return max(years)
