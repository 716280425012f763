"""Stated targets vs actual pace: ``pace(wh) -> list[TargetPace]``.

For each target: actuals by day, week and month since it applies (from suppressed daily metric
cells), the cumulative gap, the rate now required to meet an annual target by its end date, a
projection with a band (see :mod:`.projection`), per-field-office rankings for per-office targets,
and a comparison with a published real series where one is named. Every result says whether its
data are real or synthetic and cites its sources; a metric with no data says "no data", never 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from immstat.analysis.targets.offices import office_pace
from immstat.analysis.targets.projection import project
from immstat.analysis.targets.published import cite, published_pace
from immstat.analysis.targets.schema import Target, load_targets
from immstat.analysis.targets.series import Daily, daily, rollup
from immstat.core import reference, settings
from immstat.core.errors import UnknownName
from immstat.core.formats import SYNTHETIC
from immstat.core.parse import parse_date

RATE_HORIZON_DAYS = 91  # open-ended rate targets: project one quarter ahead
MEASURED = ("ok", "synthetic")  # statuses that carry figures ('synthetic': never called 'ok')


@dataclass
class TargetPace:
    target: Target
    as_of: dt.date
    status: str  # 'ok' (real data) | 'synthetic' | 'no data' | 'unavailable' | 'not started'
    message: str = ""
    synthetic: bool | None = None
    sources: list[dict] = field(default_factory=list)
    observed: dict = field(default_factory=dict)
    cumulative: dict = field(default_factory=dict)
    required: dict | None = None
    projection: dict | None = None
    series: dict = field(default_factory=dict)
    ranking: list[dict] | None = None
    published: dict | None = None
    assumptions: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        projection = None
        if self.projection:
            projection = {k: v for k, v in self.projection.items() if k != "paths"}
        return {"target": self.target.to_dict(), "as_of": self.as_of.isoformat(),
                "status": self.status, "message": self.message, "synthetic": self.synthetic,
                "data": _data_label(self.synthetic), "sources": self.sources,
                "observed": self.observed, "cumulative": self.cumulative, "required": self.required,
                "projection": projection, "series": self.series, "ranking": self.ranking,
                "published": self.published, "assumptions": self.assumptions}


def pace(wh, targets: list[Target] | str | Path | None = None, as_of=None) -> list[TargetPace]:
    """Pace of every target (the bundled file by default, or a list / a file path)."""
    if targets is None or isinstance(targets, str | Path):
        targets = load_targets(targets)
    day = parse_date(as_of, "--as-of") or dt.date.today()
    return [target_pace(wh, t, day) for t in targets]


def target_pace(wh, target: Target, as_of: dt.date) -> TargetPace:
    out = TargetPace(target, as_of, "ok", published=published_pace(wh, target, as_of),
                     assumptions=_assumptions(target))
    if target.start > as_of:
        out.status, out.message = "not started", f"the target applies from {target.start}"
        return out
    end = min(target.end or as_of, as_of)
    per_office = target.scope == "per_field_office"
    try:
        series = daily(wh, target.metric, target.start, end)
    except UnknownName:
        out.status = "unavailable"
        out.message = (f"metric {target.metric!r} is not available in this install (no data yet); "
                       "ingest its source to measure this target")
        return out
    if series is None:
        out.status = "no data"
        out.message = f"the warehouse has no {target.metric} records from {target.start} to {end}"
        return out
    _fill(out, series, per_office)
    if per_office:
        found = office_pace(wh, target.start, end, target.daily_rate)
        out.ranking = found[0] if found else None
        if found:
            out.assumptions.append(f"Office ranking from {found[1].metric.title}: whole months of "
                                   "released office totals; a suppressed office-month leaves that "
                                   "office's pace unknown (not zero).")
    if out.synthetic:  # never "ok" on synthetic data
        out.status = "synthetic"
        out.message = "measured on SYNTHETIC records: not evidence about real enforcement"
    return out


def _fill(out: TargetPace, series: Daily, per_office: bool) -> None:
    t, result = out.target, series.result
    offices = len(reference.aor_codes()) if per_office else 1
    rate = t.daily_rate
    out.synthetic, out.sources = result.synthetic, cite(result.sources)
    max_hidden = series.suppressed_cells * (result.min_cell - 1)
    actual_per_day = series.total / series.days / offices
    out.observed = {
        "start": series.start.isoformat(), "end": series.end.isoformat(), "days": series.days,
        "total": series.total, "total_upper_bound": series.total + max_hidden,
        "suppressed_cells": series.suppressed_cells, "min_cell": result.min_cell,
        "actual_per_day": actual_per_day, "target_per_day": rate,
        "share_of_target": actual_per_day / rate, "offices": offices if per_office else None}
    if t.annual and t.end is not None:
        period_days = (t.end - t.start).days + 1
        target_to_date = t.number * series.days / period_days
    else:  # a daily rate, or an open-ended annual target at its daily rate
        target_to_date = rate * series.days * offices
    out.cumulative = {"actual": series.total, "target_to_date": target_to_date,
                      "gap": series.total - target_to_date, "unit": _count_unit(t)}
    remaining = (t.end - series.end).days if t.end else None
    if t.annual and remaining is not None:
        left = max(t.number - series.total, 0.0)
        out.required = {"days_remaining": max(remaining, 0), "still_needed": left,
                        "per_day": left / remaining if remaining > 0 else None,
                        "vs_current": (left / remaining) / (series.total / series.days)
                        if remaining > 0 and series.total else None}
    out.projection = _projection(series, t, remaining, offices)
    out.series = {g: rollup(series, g, rate, offices) for g in ("day", "week", "month")}
    if series.suppressed_cells:
        out.assumptions.append(
            f"{series.suppressed_cells} daily cell(s) were suppressed (fewer than {result.min_cell} "
            f"records each) and count as 0: the actual is a lower bound, at most {max_hidden:,.0f} higher.")


def _projection(series: Daily, t: Target, remaining: int | None, offices: int) -> dict | None:
    horizon = remaining if t.annual else RATE_HORIZON_DAYS
    if horizon is None or horizon <= 0:
        return None
    proj = project(series.values, horizon)
    if proj is None:
        return {"model": None, "message": "too little history (fewer than 8 complete weeks) to project"}
    scaled = {k: (v / offices if k in ("level_per_day", "per_day_low", "per_day_high") else v)
              for k, v in proj.items()}
    if t.annual and t.end is not None:
        paths = series.total + proj["paths"]
        scaled.update(projected_total=series.total + proj["total"],
                      projected_low=series.total + proj["total_low"],
                      projected_high=series.total + proj["total_high"],
                      end=t.end.isoformat(), probability_meets=float((paths >= t.number).mean()))
    else:
        scaled.update(end=(series.end + dt.timedelta(days=horizon)).isoformat(),
                      probability_meets=float((proj["paths"] / horizon / offices >= t.number).mean()))
    return scaled


def _assumptions(t: Target) -> list[str]:
    out = [f"Target: {t.title} — {t.stated_by}; {t.publication} (confidence: {t.confidence}).",
           f"Measured by the ImmStat metric {t.metric!r} from {t.start} to "
           f"{t.end or 'the latest data'}."]
    if t.annual:
        out.append("Annual target spread evenly over its period (pro-rata) for the to-date comparison.")
    if t.scope == "per_field_office":
        n = len(reference.aor_codes())
        out.append(f"Per-office rate = national arrests per day / {n} ICE field offices (AORs in "
                   f"the bundled reference list). The national equivalent, {t.number:,.0f} x {n} = "
                   f"{t.number * n:,.0f} a day, is ImmStat's arithmetic, not a stated figure.")
    out.append(f"Record-derived cells below {settings.min_cell(None)} are suppressed by the metrics layer.")
    if t.notes:
        out.append(t.notes)
    return out


def _count_unit(t: Target) -> str:
    return "removals" if t.unit.startswith("removals") else "arrests"


def _data_label(synthetic: bool | None) -> str:
    return "no data" if synthetic is None else SYNTHETIC if synthetic else "real"
