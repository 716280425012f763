"""``map_claim``: a claim → the ImmStat metric request that would check it, or out of scope.

The kind → metric table is reviewed data (``data/claims/synonyms.yaml``); this module only
applies it: rate metrics, point-in-time vs average for detention, filters from the scope and
the date range from the period. Nothing is guessed: unknown or unmeasurable kinds are
:class:`OutOfScope` with the reason from the table.
"""

from __future__ import annotations

import datetime as dt
import re

from immstat.analysis.claims.lexicon import Lexicon, lexicon
from immstat.analysis.claims.models import Claim, MetricRequest, OutOfScope
from immstat.core.calendar import fiscal_year, fy_bounds

_NOW_RE = re.compile(
    r"\b(?:currently|now|remains?|as\s+of|today|is\s+holding|are\s+(?:being\s+)?held|is\s+detaining|"
    r"are\s+(?:now\s+)?(?:in|detained)|at\s+any\s+(?:one\s+)?time|on\s+any\s+given\s+day|record\s+high)\b",
    re.I,
)
_GRAIN = {"day": "day", "week": "week", "month": "month", "year": "fy"}


def map_claim(
    claim: Claim, doc_date: dt.date | None = None, lex: Lexicon | None = None
) -> MetricRequest | OutOfScope:
    """The metric, filters, period and grain that measure ``claim`` (or why none can)."""
    lex = lex or lexicon()
    if claim.kind is None or claim.kind not in lex.kinds:
        return OutOfScope(claim.kind, "The sentence names no enforcement measure ImmStat knows.")
    spec = lex.kinds[claim.kind]
    if spec.out_of_scope:
        return OutOfScope(claim.kind, spec.out_of_scope)
    notes: list[str] = []
    period = claim.period
    metric: str = spec.metric or ""
    grain = None
    if claim.rate:
        metric = dict(spec.rate_metrics).get(claim.rate, metric)
        grain = None if metric != spec.metric else _GRAIN[claim.rate]
    elif spec.point_in_time_metric and not claim.average and _point_in_time(claim):
        metric = spec.point_in_time_metric
        if period is None and doc_date:
            period_from = period_to = doc_date
            notes.append("No date stated: read as the population on the document date.")
            return _request(claim, metric, grain, period_from, period_to, notes)
    if period is None and spec.stock and doc_date and not claim.rate and not claim.average:
        notes.append("No date stated: read as the level on the document date.")
        return _request(claim, metric, grain, doc_date, doc_date, notes)
    if period is None:
        notes.append("No period stated; the verifier must choose one or call the claim unverifiable.")
        return _request(claim, metric, grain, None, None, notes)
    if not period.resolved:
        notes.append(f"Period {period.label!r} could not be resolved to dates (give --date?).")
    return _request(claim, metric, grain, period.start, period.end, notes)


def speaks_of_now(claim: Claim) -> bool:
    """True for a level stated as of now ("ICE is holding 66,000 people"): its day is the
    document's date."""
    return claim.stock and claim.period is None and bool(_NOW_RE.search(claim.quote))


def _point_in_time(claim: Claim) -> bool:
    period = claim.period
    return (
        (period is not None and period.single_day)
        or (period is None and bool(_NOW_RE.search(claim.quote)))
        or (period is not None and bool(re.match(r"(?i)as\s+of\b", period.label)))
    )


def _request(
    claim: Claim,
    metric: str,
    grain: str | None,
    start: dt.date | None,
    end: dt.date | None,
    notes: list[str],
) -> MetricRequest:
    where: dict[str, str] = {}
    scope = claim.scope
    if scope.level in ("aor", "city") and scope.code:
        where["aor"] = scope.code
        if scope.level == "city":
            notes.append(
                f"{scope.name} is read as its ICE field office ({scope.code}), "
                "which covers more than the city."
            )
    elif scope.level == "state" and scope.code:
        where["state"] = scope.code
    if claim.per:
        notes.append("Stated per field office: compare with each field office's value.")
    if claim.target:
        notes.append("Stated as a target or goal, not an outcome.")
    fy = None
    if (
        start
        and end
        and claim.period
        and claim.period.calendar == "fiscal"
        and start == fy_bounds(fiscal_year(start))[0]
        and end <= fy_bounds(fiscal_year(start))[1]
    ):
        fy = fiscal_year(start)
    return MetricRequest(metric, where, fy, start, end, grain, claim.comparison, tuple(notes))
