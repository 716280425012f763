"""The revisions appendix: every value ICE printed for the brief's fiscal year, release by release.

Rows come from :meth:`immstat.analysis.revisions.Ledger.wide_rows` (one row per figure, one
column per release); a value that covered only part of its period in that release (the newest
month, the year to date) is marked with an asterisk.
"""

from __future__ import annotations

import datetime as dt

from immstat.analysis.revisions import ledger
from immstat.core.errors import ImmstatError
from immstat.core.formats import MISSING, day_label, fmt_value
from immstat.present.panels import registered
from immstat.reports.gather import Gatherer
from immstat.reports.model import Figure, Section

REVISED = ("detention_stats_adp", "detention_stats_book_ins")  # national figures shown
KINDS = {"restated": "restated", "extended": "more days added", "new": "first printed",
         "withdrawn": "no longer printed", "unchanged": "unchanged", None: ""}
PARTIAL = "*"


def revisions(g: Gatherer) -> Section:
    """Appendix: how the newest releases of FY ``g.fy`` changed ICE's published figures."""
    section = Section("revisions", f"Appendix: revisions of ICE's published figures, FY{g.fy}")
    for metric in REVISED:
        if not registered(metric):
            continue
        try:
            book = ledger(g.wh, metric, fy=g.fy, as_of=g.as_of)
        except ImmstatError as exc:
            section.paragraphs.append(str(exc))
            continue
        if not book.releases:
            continue
        stamps = sorted({r.release_date for r in book.releases})
        if len(stamps) < 2:
            section.paragraphs.append(
                f"{book.metric.title}: one release of FY{g.fy} in this warehouse "
                f"({day_label(stamps[0])}), so nothing to compare.")
            continue
        section.figures.append(_table(g, book, stamps))
    if not section.figures and not section.paragraphs:
        section.paragraphs.append(f"No published release of FY{g.fy} with a revision history is "
                                  "loaded (ICE's detention statistics keep one).")
    section.paragraphs.insert(0, (
        "ICE re-publishes its detention statistics through the year and replaces the old file; "
        "ImmStat keeps every release. Each row is one published figure, each column one release; "
        f"{PARTIAL} marks a value that covered only part of its period in that release (the newest "
        "month, or the year to date). \"Restated\" means a value for a period the previous release "
        "already covered in full changed."))
    return section


def _table(g: Gatherer, book, stamps: list[dt.date]) -> Figure:
    columns, rows = book.wide_rows()
    unit = book.metric.unit
    n_by = len(book.by)
    shown = []
    for figure, row in zip(book.figures, rows):
        values = row[n_by + 1:n_by + 1 + len(stamps)]
        cells = []
        for stamp, value in zip(stamps, values):
            version = figure.version_in(stamp)
            mark = PARTIAL if version is not None and version.partial else ""
            cells.append(MISSING if value is None else fmt_value(value, unit) + mark)
        last_changed, kind = row[columns.index("last_changed")], row[columns.index("change_kind")]
        shown.append([row[n_by], *cells, last_changed or "", KINDS.get(kind, kind or "")])
    known = {s["source_id"]: s for s in g.wh.sources(include_superseded=True)}
    sources = [known[r.source_id] for r in book.releases if r.source_id in known]
    return g.table(f"revisions-{book.metric.name}", f"{book.metric.title}: value in each release",
                   ["Period", *[f"Release {day_label(s)}" for s in stamps], "Last changed",
                    "Latest release"], shown, sources, book.synthetic,
                   caption=f"Unit: {unit}. {PARTIAL} part of the period only.")

