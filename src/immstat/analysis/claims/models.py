"""The value objects of the claim checker: what extraction finds and what mapping asks for."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

# Bound semantics of a qualifier: how the stated number constrains the true one.
#   eq      the number as stated            ("1,200 arrests")
#   approx  close to the number             ("about", "roughly", "some")
#   gt/ge   a lower bound, exclusive/incl.  ("more than" / "at least")
#   lt/le   an upper bound, exclusive/incl. ("fewer than", "nearly" / "up to", "as many as")
#   range   between low and high            ("1,200 to 1,500", "tens of thousands")
BOUNDS = ("eq", "approx", "gt", "ge", "lt", "le", "range")


@dataclass(frozen=True)
class Period:
    """The time a claim is about. ``start``/``end`` are inclusive; None when unresolved."""

    label: str
    start: dt.date | None = None
    end: dt.date | None = None
    calendar: str | None = None  # "fiscal" | "calendar" | None (rolling windows, days)

    @property
    def resolved(self) -> bool:
        return self.start is not None and self.end is not None

    @property
    def single_day(self) -> bool:
        return self.resolved and self.start == self.end

    @property
    def dates(self) -> tuple[dt.date, dt.date]:
        """(start, end) of a resolved period."""
        if self.start is None or self.end is None:
            raise ValueError(f"period {self.label!r} is not resolved to dates")
        return self.start, self.end


@dataclass(frozen=True)
class Scope:
    """Where a claim is about: level national | aor | city | state (city → code of its AOR)."""

    level: str = "national"
    code: str | None = None
    name: str | None = None


NATIONAL = Scope()


@dataclass
class Claim:
    """One numeric statement found in a text (see DESIGN.md, ``immstat claims extract``)."""

    value: float | None
    low: float | None
    high: float | None
    qualifier: str | None          # the qualifier as written, lower case ("more than")
    bound: str                      # one of BOUNDS
    unit: str                       # count | percent | ratio | usd | days (an average stay)
    kind: str | None                # key of synonyms.yaml ``kinds`` (arrests, removals, …)
    rate: str | None                # day | week | month | year (a rate per unit of time)
    period: Period | None
    scope: Scope
    quote: str                      # the sentence the claim is in
    start: int                      # character offsets of the claim in the input text
    end: int
    text: str                       # input[start:end]
    per: str | None = None          # "field_office" for "… per field office"
    comparison: str | None = None   # share | change | multiple (relative claims)
    target: bool = False            # stated as a goal/quota/target, not an outcome
    average: bool = False           # stated as an average ("average daily population")
    metric: str | None = None       # mapped metric name or "out_of_scope" (see mapping.py)
    rejected: str | None = None     # why a number is not a claim (only with include_rejected)
    stock: bool = False             # a level at a point in time (population, docket), not a flow
    base_period: Period | None = None  # what a change or multiple is relative to ("from fiscal 2024")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (dates as ISO strings)."""
        out = asdict(self)
        out["period"] = period_dict(self.period)
        out["base_period"] = period_dict(self.base_period)
        out["scope"] = asdict(self.scope)
        return out


def period_dict(period: Period | None) -> dict[str, Any] | None:
    """A period as JSON (dates as ISO strings)."""
    if period is None:
        return None
    return {"label": period.label, "calendar": period.calendar,
            "start": period.start.isoformat() if period.start else None,
            "end": period.end.isoformat() if period.end else None}


@dataclass(frozen=True)
class MetricRequest:
    """What to compute to check a claim: arguments for ``immstat.metrics`` / ``Warehouse.query``.

    ``grain`` is None for a total over the period, or the unit a rate claim is per
    (the verifier averages the metric at that grain). ``comparison`` is set for relative
    claims (shares, changes, multiples), which need a base the claim may not state.
    """

    metric: str
    where: dict[str, str]
    fy: int | None
    date_from: dt.date | None
    date_to: dt.date | None
    grain: str | None
    comparison: str | None = None
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["date_from"] = self.date_from.isoformat() if self.date_from else None
        out["date_to"] = self.date_to.isoformat() if self.date_to else None
        out["notes"] = list(self.notes)
        return out


@dataclass(frozen=True)
class OutOfScope:
    """A claim about something the warehouse cannot measure; never guessed."""

    kind: str | None
    reason: str
    metric: str = "out_of_scope"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
