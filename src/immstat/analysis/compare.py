"""Changes only between like periods: a fiscal year against the same days of the year before.

``year_change(wh, metric, fy)``:

* both years whole → the change between the two years;
* the year partial (data through D) → the year to date against the same span of the year before
  (1 October to D a year earlier). Published monthly figures cannot be cut inside a month, so when
  D is not a month's last day both spans end at the last whole month (said in ``span``);
* anything else — the year before ends early, holds no figure for the span, or the span cannot be
  cut — is "not comparable", with the reason.

Surfaces show ``text`` (e.g. "+12.3% vs FY2025, same days (1 Oct–4 Apr)") and, when not
comparable, the prior figure as context, never a percentage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from immstat.core.calendar import fiscal_year, fy_bounds, month_end, month_start
from immstat.core.errors import QueryError
from immstat.core.formats import day_label, fmt_change, fy_label


@dataclass(frozen=True)
class Change:
    """The change of ``value`` against ``prior`` over like spans, or why there is none."""

    comparable: bool
    text: str
    value: float | None = None
    prior: float | None = None
    span: tuple[dt.date, dt.date] | None = None  # the current year's span compared
    prior_span: tuple[dt.date, dt.date] | None = None

    def to_dict(self) -> dict:
        out = asdict(self)
        for key in ("span", "prior_span"):
            out[key] = [d.isoformat() for d in out[key]] if out[key] else None
        return out


def a_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def year_change(wh, metric: str, fy: int, where: dict | None = None, as_of=None) -> Change:
    """FY ``fy`` of ``metric`` against FY ``fy - 1``, like for like (see module docstring)."""
    current = wh.query(metric, fy=fy, where=where, as_of=as_of)
    unit = current.metric.unit
    if current.value() is None:
        return Change(False, f"no {fy_label(fy)} figure")
    start, last = fy_bounds(fy)
    through = current.data_end or last
    if not current.partial:
        prior = wh.query(metric, fy=fy - 1, where=where, as_of=as_of)
        if prior.value() is None:
            return Change(False, f"no {fy_label(fy - 1)} figure to compare with", current.value())
        if prior.partial and prior.data_end:
            return Change(False, f"not comparable: {fy_label(fy - 1)}'s figures end on "
                                 f"{day_label(prior.data_end)}", current.value(), prior.value())
        text = fmt_change(current.value(), prior.value(), unit)
        return Change(text is not None, f"{text} vs {fy_label(fy - 1)}" if text else "no change to "
                      "compute", current.value(), prior.value(), (start, last),
                      fy_bounds(fy - 1))
    for end in _cut_points(current.metric, through):
        found = _same_span(wh, metric, start, end, where, as_of)
        if found is not None:
            return found
    return Change(False, f"not comparable: {fy_label(fy)} is to date (through "
                         f"{day_label(through)}) and no released figures cover the same days "
                         f"of both years", current.value())


def _cut_points(metric, through: dt.date) -> list[dt.date]:
    """Where a year to date can be cut: the data end itself (records by day, or a month end),
    else the last whole month before it."""
    whole = month_start(through) - dt.timedelta(days=1)
    if through == month_end(through):
        return [through]
    return [through, whole] if metric.record_derived else [whole]


def _same_span(wh, metric: str, start: dt.date, end: dt.date, where, as_of) -> Change | None:
    if end < start:
        return None
    lo, hi = a_year_before(start), a_year_before(end)
    try:
        current = wh.query(metric, date_from=start, date_to=end, where=where, as_of=as_of)
        prior = wh.query(metric, date_from=lo, date_to=hi, where=where, as_of=as_of)
    except QueryError:
        return None
    if current.value() is None or prior.value() is None or prior.data_end is None \
            or prior.data_end < hi:
        return None
    text = fmt_change(current.value(), prior.value(), current.metric.unit)
    if text is None:
        return None
    span = f"{start:%-d %b}–{end:%-d %b}"
    return Change(True, f"{text} vs the same days of {fy_label(fiscal_year(lo))} ({span})",
                  current.value(), prior.value(), (start, end), (lo, hi))
