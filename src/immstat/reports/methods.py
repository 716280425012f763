"""The methods section: fiscal-year rule, suppression rules, and the known caveats of the sources.

The rules are quoted from the modules that implement them (``immstat.core.calendar``,
``immstat.metrics.suppression``), so the brief cannot drift from the code. Caveats come from the
warehouse's provenance: redacted and unreadable values per column, rejected rows, superseded
releases and revisions between releases of ICE's detention statistics.
"""

from __future__ import annotations

import re

from immstat.core import calendar as fiscal
from immstat.core import settings
from immstat.core.formats import SYNTHETIC, fmt_value
from immstat.metrics import suppression
from immstat.present.panels import registered
from immstat.reports.model import iso

REVISED_METRIC = "detention_stats_adp"


def docstring_paragraphs(doc: str) -> list[str]:
    """A docstring's paragraphs and bullets as single lines (bullet markers dropped)."""
    out: list[str] = []
    for block in doc.strip().split("\n\n"):
        items: list[str] = []
        current: list[str] = []
        for line in block.splitlines():
            line = line.strip()
            if line.startswith("* "):
                if current:
                    items.append(" ".join(current))
                current = [line[2:]]
            else:
                current.append(line)
        items.append(" ".join(current))
        out += [_plain(i) for i in items if i]
    return out


def _plain(text: str) -> str:
    """reStructuredText roles and literals as plain text (``:func:`f``` → ``f``)."""
    return re.sub(r"(?::\w+:)?`+([^`]+)`+", r"\1", text)


def methods(wh, fy: int, as_of, cited_ids: set[int]) -> list[dict]:
    return [fiscal_year_rule(fy), suppression_rule(), caveats(wh, cited_ids),
            revisions(wh, fy, as_of), synthetic_note(wh, cited_ids)]


def fiscal_year_rule(fy: int) -> dict:
    start, end = fiscal.fy_bounds(fy)
    first = docstring_paragraphs(fiscal.__doc__)[:2]
    return {"title": "Fiscal years", "items": [
        *first, f"FY{fy} therefore runs from {start} to {end} ({fiscal.fy_days(fy)} days)."]}


def suppression_rule() -> dict:
    rules = docstring_paragraphs(suppression.__doc__)
    return {"title": "Suppression of small counts", "items": [
        f"Record-derived figures (counted from FOIA records) are suppressed when they rest on 1 to "
        f"{settings.min_cell() - 1} records (min_cell = {settings.min_cell()}); suppressed cells are "
        "not drawn or printed. Published aggregates (ICE and CBP tables) are shown as published.",
        *rules[2:]]}


def caveats(wh, cited_ids: set[int]) -> dict:
    withheld: dict[str, dict[tuple, list[str]]] = {}
    for c in wh.column_caveats():
        if c["source_id"] in cited_ids:
            for kind in ("redacted", "unreadable"):
                if c[f"n_{kind}"]:
                    withheld.setdefault(c["file_name"], {}).setdefault(
                        (kind, c[f"n_{kind}"]), []).append(c["raw_name"])
    items = []
    for name, groups in sorted(withheld.items()):
        parts = [f"{n:,} {kind} values in {'each of ' if len(cols) > 1 else ''}{', '.join(cols)}"
                 for (kind, n), cols in sorted(groups.items())]
        items.append(f"{name}: {'; '.join(parts)}.")
    if withheld:
        items.append("Redacted identifier columns are never loaded; unreadable codes count as "
                     "unknown (they fall outside any field office or state breakdown).")
    for s in wh.sources(include_superseded=False):
        if s["source_id"] in cited_ids and s["rows_rejected"]:
            items.append(f"{s['file_name']}: {s['rows_rejected']:,} of {s['rows_in']:,} rows rejected "
                         "on load (unreadable dates or codes); listed by immstat sources.")
    if not items:
        items.append("No redacted, unreadable or rejected values in the sources cited here.")
    return {"title": "Redactions and rejected rows", "items": items}


def revisions(wh, fy: int, as_of) -> dict:
    items = []
    for s in wh.sources(include_superseded=True):
        if s["superseded_by"] is not None:
            items.append(f"{s['file_name']} (release {iso(s['release_date'])}) was replaced by a "
                         f"newer release (source {s['superseded_by']}); only the newer one is used.")
    items.append("ICE's detention statistics are re-published through the year; every release is "
                 "kept and each figure uses the newest release for its fiscal year"
                 + (f" published on or before {as_of}." if as_of else "."))
    items += _revised_figures(wh, fy, as_of)
    return {"title": "Releases and revisions", "items": items}


def _revised_figures(wh, fy: int, as_of) -> list[str]:
    """How the published FY average daily population changed across the releases that carry it."""
    if not registered(REVISED_METRIC):
        return []
    releases = sorted({s["release_date"] for s in wh.sources(include_superseded=False)
                       if "detention_stats" in (s["tables"] or "") and s["release_date"]
                       and (as_of is None or s["release_date"] <= as_of)})
    by_release = {day: {r["fiscal_year"]: r["value"] for r in
                        wh.query(REVISED_METRIC, grain="fy", as_of=day).table.to_pylist()}
                  for day in releases}
    out = []
    for year in (fy - 1, fy):
        seen: list[tuple] = []
        for day in releases:
            value = by_release[day].get(year)
            if value is not None and (not seen or seen[-1][1] != value):
                seen.append((day, value))
        if len(seen) > 1:
            steps = ", then ".join(f"{fmt_value(v, 'people')} (release {d})" for d, v in seen)
            out.append(f"Published FY{year} average daily population: {steps}.")
    return out


def synthetic_note(wh, cited_ids: set[int]) -> dict:
    synthetic = [s for s in wh.sources(include_superseded=False)
                 if s["source_id"] in cited_ids and s["synthetic"]]
    if not synthetic:
        return {"title": "Data", "items": ["Every figure in this brief comes from real, public "
                                           "sources listed under Sources."]}
    names = ", ".join(s["file_name"] for s in synthetic)
    return {"title": "Synthetic data", "items": [
        f"Figures marked {SYNTHETIC} are computed from generated records that imitate the layout "
        "of ICE's FOIA releases; they describe no real person or event and must not be cited as "
        f"facts. Synthetic sources: {names}.",
        "Published aggregates (ICE detention statistics, facility populations, CBP encounters) "
        "are real."]}
