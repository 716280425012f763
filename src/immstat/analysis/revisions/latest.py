"""'What changed in the latest release': the newest release against the one before it.

For the newest release held (of any metric with a revision history, or of the metrics / topic a
page asks for), every figure it restated, extended, printed for the first time or withdrew,
compared with the previous release of the same fiscal year — nationally and by each breakdown the
metric allows.
"""

from __future__ import annotations

import datetime as dt

from immstat.analysis.revisions.ledger import CHANGED, Figure, ledger
from immstat.metrics.registry import Metric, get_metric
from immstat.metrics.releases import Release, by_fiscal_year, release_metrics, releases

KIND_WORDS = {"restated": "restated", "extended": "extended as days were added",
              "new": "printed for the first time", "withdrawn": "withdrawn"}


def latest_changes(wh, metrics: list[str] | None = None, topic: str | None = None,
                   as_of: dt.date | None = None) -> dict:
    """The newest release vs the previous one of its fiscal year (see module docstring).

    Returns ``{"release", "previous", "fiscal_year", "coverage", "counts", "changes", "summary",
    "synthetic"}``; ``changes`` rows carry metric, title, unit, cell, period, grain, kind, old,
    new, change, change_pct, old_release, new_release.
    """
    chosen = [get_metric(n) for n in metrics] if metrics else [
        m for m in release_metrics() if topic is None or m.topic == topic]
    held = {m.name: releases(wh, m, as_of) for m in chosen}
    everything = [r for found in held.values() for r in found]
    if not everything:
        return _empty("No published releases with a revision history are loaded.")
    newest = max(everything, key=lambda r: (r.release_date, r.fiscal_year))
    same_fy = by_fiscal_year(sorted(set(everything), key=lambda r: r.release_date))[newest.fiscal_year]
    dates = sorted({r.release_date for r in same_fy})
    previous = next((r for r in same_fy if len(dates) > 1 and r.release_date == dates[-2]), None)
    coverage: dict = {}
    rows: list[dict] = []
    if previous is not None:
        for m in chosen:
            for by in ([], *([d] for d in m.dimensions)):
                book = ledger(wh, m, fy=newest.fiscal_year, by=by, as_of=newest.release_date,
                              since=previous.release_date, coverage=coverage)
                rows += [_row(m, f) for f in book.changes()]
    counts = {k: sum(r["kind"] == k for r in rows) for k in CHANGED}
    cov = coverage.get((newest.fiscal_year, newest.release_date))
    return {"release": newest.to_dict(), "previous": previous.to_dict() if previous else None,
            "fiscal_year": newest.fiscal_year, "coverage": cov.to_dict() if cov else None,
            "counts": counts, "changes": rows, "synthetic": newest.synthetic,
            "summary": _summary(newest, previous, counts, cov.sentence() if cov else "")}


def _row(m: Metric, f: Figure) -> dict:
    return {"metric": m.name, "title": m.title, "unit": m.unit, "key": f.key, "cell": dict(f.cell),
            "period": f.label, "grain": f.grain, **f.change()}


def _summary(newest: Release, previous: Release | None, counts: dict, coverage: str) -> str:
    when = f"{newest.release_date:%-d %b %Y}"
    if previous is None:
        return (f"The {when} release is the first of FY{newest.fiscal_year} held; there is no "
                f"earlier release to compare it with.")
    parts = [f"{n} figure{'s' if n != 1 else ''} {KIND_WORDS[k]}" for k, n in counts.items() if n]
    changed = "; ".join(parts) if parts else "no figure changed"
    tail = f" {coverage[0].upper()}{coverage[1:]}." if coverage else ""
    return (f"The {when} release of FY{newest.fiscal_year} against the "
            f"{previous.release_date:%-d %b %Y} release: {changed}.{tail}")


def _empty(message: str) -> dict:
    return {"release": None, "previous": None, "fiscal_year": None, "coverage": None,
            "counts": dict.fromkeys(CHANGED, 0), "changes": [], "synthetic": False,
            "summary": message}
