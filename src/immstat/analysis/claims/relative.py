"""Verdicts on relative claims: shares ("71 percent had no criminal conviction"), changes ("fell
85 percent from a year earlier") and multiples ("tripled", "ten times").

- A change or multiple compares the claim's period with its base period, computed the same way
  from the same metric; the two must be the same length (two months, two fiscal years …), else
  the claim is "not comparable". "Tripled between January and May" compares May with January.
- A share is a part over its whole for the claim's period and place: the part is named by words
  of the sentence (reviewed table ``shares`` of ``data/claims/evidence.yaml``), read either as
  categories of a dimension of the metric (criminality, citizenship, arresting agency …) or as a
  metric that counts the part directly (people with a conviction among the detained).
Tolerances: :func:`immstat.analysis.claims.compare.accepted_relative`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from immstat.analysis.claims.compare import accepted_relative, fmt, judge
from immstat.analysis.claims.dates import same_length
from immstat.analysis.claims.evidence import Candidate, Evidence, Evidencer
from immstat.analysis.claims.models import Claim, MetricRequest, Period
from immstat.analysis.claims.shares import share_table
from immstat.analysis.claims.verdict import Verdict, release_of
from immstat.core.calendar import month_end
from immstat.metrics import get_metric

_DOWN = re.compile(r"\b(?:fell|fall(?:en|s|ing)?|drop(?:ped|s)?|declin(?:e|ed|es|ing)|decreas(?:e|ed|es)"
                   r"|down|lower|fewer|plung(?:e|ed)|plummet(?:ed)?|slid|shr[au]nk|cut|halved)\b", re.I)


@dataclass
class _Check:
    """The relative value one candidate metric gives, with the evidence it rests on."""

    value: float | None
    current: Evidence            # the period compared (a share: the whole)
    base: Evidence | None = None  # the base period (a share: the part counted directly)
    reason: str = ""
    comparison: str = "change"


def verify_relative(ev: Evidencer, claim: Claim, request: MetricRequest, cands: list[Candidate],
                    extra: dict[str, str], notes: list[str]) -> Verdict:
    """The verdict on a share, change or multiple (see the module docstring)."""
    if claim.comparison == "share":
        return _share(ev, claim, request, cands, extra, notes)
    return _change(ev, claim, request, cands, extra, notes)


def _change(ev, claim, request, cands, extra, notes) -> Verdict:
    current, base = _periods(claim)
    if current is None or base is None:
        why = ("The claim states no base period to compare with." if current is not None
               else "The claim states no period.")
        return Verdict(claim, "unverifiable", "no_base", why, request.metric, notes=notes)
    if not same_length(current.dates, base.dates):
        return Verdict(claim, "unverifiable", "not_comparable",
                       f"{current.label} ({_span(current)}) and its base {base.label} ({_span(base)}) "
                       "are not periods of the same length, so their counts are not comparable.",
                       request.metric, notes=notes)
    sign = -1 if claim.comparison == "change" and _DOWN.search(claim.quote) else 1
    acc = accepted_relative(claim, sign)
    checks = []
    for cand in cands:
        now = ev.evaluate(cand, dict(request.where), extra, *current.dates, claim.rate)
        then = ev.evaluate(cand, dict(request.where), extra, *base.dates, claim.rate)
        checks.append(_Check(_relative(claim, now, then), now, then, _why_not(now, then)))
    what = "change" if claim.comparison == "change" else "multiple"
    return _decide(claim, request, acc, checks, notes, what,
                   f"{current.label} against {base.label}")


def _share(ev, claim, request, cands, extra, notes) -> Verdict:
    part = share_table().match(claim.quote)
    if part is None or part.by is None:
        why = (f"The part is {part.label}." if part else "The sentence names no part ImmStat can count.")
        return Verdict(claim, "unverifiable", "no_part",
                       f"{why} Shares are checked for criminality, citizenship, arresting agency, family "
                       "status and title of encounters.", request.metric, notes=notes)
    start, end = request.date_from, request.date_to
    if start is None or end is None:
        return Verdict(claim, "unverifiable", "no_period", "The claim states no period.", request.metric,
                       notes=notes)
    acc = accepted_relative(claim)
    checks = [_share_of(ev, cand, part, request.where, extra, start, end) for cand in cands]
    when = f", {claim.period.label}" if claim.period else ""
    return _decide(claim, request, acc, checks, notes, "share", f"of {part.label}{when}")


def _share_of(ev: Evidencer, cand: Candidate, part, where: dict[str, str], extra: dict[str, str],
              start: dt.date, end: dt.date) -> _Check:
    whole = ev.evaluate(cand, dict(where), extra, start, end, None, snapshot=start == end)
    if whole.value is None or whole.status != "full":
        return _Check(None, whole, reason=whole.reason or "no full figure for the whole")
    if part.by in get_metric(cand.metric).dimensions:
        cells = ev.breakdown(cand.metric, whole.where, part.by, start, end)
        values = [v for v in cells.values() if v is not None]
        chosen = [v for k, v in cells.items() if v is not None and part.matches(str(k))]
        if len(values) < len(cells) or not values:
            return _Check(None, whole, reason="some categories are suppressed or missing")
        names = ", ".join(str(k) for k in cells if part.matches(str(k)))
        whole.method += f"; share of {part.label} by {part.by} ({names})"
        return _Check(100 * sum(chosen) / sum(values), whole)
    direct = part.parts.get(cand.metric)
    if direct is None:
        return _Check(None, whole, reason=f"{whole.title} has no breakdown by {part.by}")
    piece = ev.evaluate(Candidate(direct.metric), dict(where), extra, start, end, None, snapshot=start == end)
    if piece.value is None or piece.status != "full":
        return _Check(None, whole, piece, piece.reason or "no full figure for the part")
    share = 100 * piece.value / (whole.value or float("nan"))
    whole.method += f"; {'100 % minus ' if direct.complement else ''}{piece.title} over {whole.title}"
    return _Check(100 - share if direct.complement else share, whole, piece, comparison="share")


def _decide(claim, request, acc, checks: list[_Check], notes, what: str, against: str) -> Verdict:
    real = [c for c in checks if c.value is not None and not _synthetic(c)]
    synthetic = [c for c in checks if c.value is not None and _synthetic(c)]
    evidence = [e for c in checks for e in (c.current, c.base) if e is not None]
    best = next(iter(real or synthetic), None)
    if best is None or best.value is None:
        why = " ".join(dict.fromkeys(c.reason for c in checks if c.reason)) or "No metric could be computed."
        return Verdict(claim, "unverifiable", "no_data", why, request.metric, acc, None, evidence, notes)
    shown = f"{fmt(best.value)}{'×' if claim.unit == 'ratio' else ' %'}"
    release = release_of(best.current)
    if best.base is not None and best.base.sources != best.current.sources:
        release += f"; for the {'part' if best.comparison == 'share' else 'base'}: {release_of(best.base)}"
    head = (f"{best.current.title} ({best.current.metric}{', SYNTHETIC' if _synthetic(best) else ''}), "
            f"{what} {against}: {shown}{_inputs(best)}; {release}")
    if best.current.omits:
        head += f" ({best.current.omits} Both sides are undercounted alike.)"
    comparison = _comparison(what, best, against)
    if _synthetic(best):
        return Verdict(claim, "unverifiable", "synthetic",
                       f"Only synthetic data can measure this — {head}; it says nothing about the claim "
                       f"({acc.rule}).", request.metric, acc, best.current, evidence, notes,
                       computed=best.value, comparison=comparison)
    outcome = judge(acc, best.value)
    verdict = "supported" if outcome == "consistent" else "contradicted"
    fits = "which fits the claim" if outcome == "consistent" else "which is outside the claim"
    return Verdict(claim, verdict, "checked", f"{head}, {fits} ({acc.rule}).", request.metric, acc,
                   best.current, evidence, notes, computed=best.value, comparison=comparison)


def _comparison(what: str, check: _Check, against: str) -> dict:
    out = {"kind": what, "value": check.value, "against": against, "current": check.current.to_dict()}
    if check.base is not None:
        out["base"] = check.base.to_dict()
    return out


def _inputs(check: _Check) -> str:
    if check.base is None:
        return ""
    if check.comparison == "share":
        return f" ({fmt(check.base.value)} of {fmt(check.current.value)})"
    return f" ({fmt(check.current.value)} against {fmt(check.base.value)})"


def _synthetic(check: _Check) -> bool:
    return check.current.synthetic or bool(check.base and check.base.synthetic)


def _relative(claim: Claim, now: Evidence, then: Evidence) -> float | None:
    if now.value is None or then.value is None or now.status != "full" or then.status != "full" \
            or not then.value:
        return None
    ratio = now.value / then.value
    return ratio if claim.comparison == "multiple" else 100 * (ratio - 1)


def _why_not(now: Evidence, then: Evidence) -> str:
    for e, side in ((now, "current"), (then, "base")):
        if e.value is None or e.status != "full":
            return f"{e.metric}: no full {side} figure. {e.reason}".strip()
    return ""


def _periods(claim: Claim) -> tuple[Period | None, Period | None]:
    """(current, base): a range with its first unit as base compares its last unit of that length."""
    current, base = claim.period, claim.base_period
    if current is None or not current.resolved or base is None or not base.resolved:
        return (current if current and current.resolved else None), None
    (start, end), (base_start, base_end) = current.dates, base.dates
    if base_start == start and base_end < end and base_start.day == 1:
        last = end.replace(day=1)
        current = Period(last.strftime("%B %Y"), last, month_end(last), current.calendar)
    return current, base


def _span(period: Period) -> str:
    start, end = period.dates
    return f"{start}–{end}, {(end - start).days + 1} days"
