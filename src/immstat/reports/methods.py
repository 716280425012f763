"""The methods section: fiscal-year rule, suppression rules, the known caveats of the sources,
the data-health checks with their latest results, and the terms the brief uses.

The rules are quoted from the modules that implement them (``immstat.core.calendar``,
``immstat.metrics.suppression``, ``immstat.analysis.health.CHECKS``), so the brief cannot drift
from the code. Caveats come from the warehouse's provenance: redacted and unreadable values per
column, rejected rows, superseded releases. Terms are defined from the glossary
(:mod:`immstat.present.glossary`).
"""

from __future__ import annotations

import re

from immstat.analysis.health import CHECKS, last_report, run_checks
from immstat.core import calendar as fiscal
from immstat.core import settings
from immstat.core.formats import SYNTHETIC
from immstat.metrics import suppression
from immstat.present.glossary import SOURCES, used_in
from immstat.reports.model import iso

STATUS = {"pass": "passed", "fail": "FAILED", "skip": "not run"}


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


def methods(wh, fy: int, as_of, cited_ids: set[int], text: str = "") -> list[dict]:
    """The methods section; ``text`` is the brief's wording (its glossary terms are defined)."""
    return [fiscal_year_rule(fy), suppression_rule(), caveats(wh, cited_ids),
            revisions(wh, as_of), health(wh), synthetic_note(wh, cited_ids), terms(text)]


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


def revisions(wh, as_of) -> dict:
    items = []
    for s in wh.sources(include_superseded=True):
        if s["superseded_by"] is not None:
            items.append(f"{s['file_name']} (release {iso(s['release_date'])}) was replaced by a "
                         f"newer release (source {s['superseded_by']}); only the newer one is used.")
    items.append("ICE's detention statistics are re-published through the year; every release is "
                 "kept and each figure uses the newest release for its fiscal year"
                 + (f" published on or before {as_of}." if as_of else "."))
    items.append("The appendix lists every value ICE printed for this fiscal year, release by "
                 "release, and which of them the newest release restated.")
    return {"title": "Releases and revisions", "items": items}


def health(wh) -> dict:
    """Each data-health check: its rule in words, tolerance and latest result on this warehouse."""
    report = last_report(wh)
    when = (f"last run {report.run_at:%Y-%m-%d %H:%M} UTC" if report is not None else
            "run on this warehouse when the brief was generated")
    report = report or run_checks(wh, store=False)
    results = {c["name"]: c for c in report.checks}
    counts = report.counts
    items: list[str | dict] = [
        f"ImmStat checks every release against rules a correct publication must meet "
        f"(`immstat check`; {when}): {counts['pass']} passed, {counts['fail']} failed, "
        f"{counts['skip']} could not run on the data loaded."]
    for check in CHECKS:
        rule = check.describe()
        found = results.get(rule["name"])
        status = STATUS[found["status"]] if found else "not in the latest stored run"
        items.append({"head": f"{rule['title']} ({rule['severity']}): {status}.",
                      "text": f"{found['summary'] if found else ''} Rule: {rule['rule']} "
                              f"Tolerance: {rule['tolerance']}."})
    return {"title": "Data health", "items": items, "style": "compact"}


def terms(text: str) -> dict:
    """Definitions of the glossary terms the brief's text uses (ICE's words where ICE has them)."""
    items: list[str | dict] = [
        "Definitions in ICE's own words where ICE defines the term, else ImmStat's, each naming its "
        "source: " + "; ".join(f"{k}: {v}" for k, v in SOURCES.items()) + "."]
    items += [{"head": f"{t.term}.", "text": f"{t.definition} ({t.source}.)"} for t in used_in(text)]
    return {"title": "Terms", "items": items, "style": "compact"}


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
