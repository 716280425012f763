"""Verdicts on per-field-office claims: "ICE averaged about 45 arrests a day per field office".

The metric is computed for every ICE field office (area of responsibility, ``aor``) over the
claim's period, with the claim's rate; the claim is compared with the average over the offices
that have data, and the verdict shows the lowest and highest office. A claim about one office
("the Houston field office removed 2,864 people") is an ordinary claim with an ``aor`` filter
and needs no special path. Office names and cities map to AOR codes in
:mod:`immstat.analysis.claims.scope` (from :mod:`immstat.core.reference`).
"""

from __future__ import annotations

from immstat.analysis.claims.compare import accepted, fmt, judge
from immstat.analysis.claims.evidence import RATE_DAYS, Candidate, Evidence, Evidencer, additive, as_lists
from immstat.analysis.claims.models import Claim, MetricRequest
from immstat.analysis.claims.verdict import Verdict, release_of
from immstat.core import reference
from immstat.core.calendar import fiscal_year, fy_bounds
from immstat.core.errors import ImmstatError, UnknownName
from immstat.metrics import get_metric


def verify_per_office(ev: Evidencer, claim: Claim, request: MetricRequest, cands: list[Candidate],
                      extra: dict[str, str], notes: list[str]) -> Verdict:
    """The verdict on a per-office claim (see the module docstring)."""
    acc = accepted(claim)
    start, end = request.date_from, request.date_to
    reasons: list[str] = []
    checks: list[Evidence] = []
    if start is None or end is None:
        return Verdict(claim, "unverifiable", "no_period", "The claim states no period.", request.metric)
    for cand in cands:
        whole = ev.evaluate(cand, dict(request.where), extra, start, end, claim.rate)
        checks.append(whole)
        offices = _by_office(ev, cand.metric, whole, start, end, claim.rate)
        if isinstance(offices, str):
            reasons.append(offices)
            continue
        average = sum(offices.values()) / len(offices)
        low, high = min(offices, key=lambda k: offices[k]), max(offices, key=lambda k: offices[k])
        whole.method = (f"average over {len(offices)} field offices of {whole.method or 'the period'}; "
                        f"lowest {low} {fmt(offices[low])}, highest {high} {fmt(offices[high])}")
        per = f" per {claim.rate}" if claim.rate else ""
        head = (f"{whole.title}, {claim.period.label if claim.period else ''} ({cand.metric}"
                f"{', SYNTHETIC' if whole.synthetic else ''}; {release_of(whole)}): {fmt(average)}{per} "
                f"per field office on average ({len(offices)} offices; {low} {fmt(offices[low])} to "
                f"{high} {fmt(offices[high])})")
        comparison = {"kind": "per_office", "value": average, "offices": offices}
        if whole.synthetic:
            return Verdict(claim, "unverifiable", "synthetic",
                           f"Only synthetic data can measure this — {head}; it says nothing about the "
                           f"claim ({acc.rule}).", request.metric, acc, whole, checks, notes,
                           computed=average, comparison=comparison)
        outcome = judge(acc, average, whole.lower_bound)
        if outcome == "inconclusive":
            reasons.append(f"{head}: a lower bound that cannot settle the claim. {whole.omits}")
            continue
        verdict = "supported" if outcome == "consistent" else "contradicted"
        fits = "which fits the claim" if outcome == "consistent" else "which is outside the claim"
        return Verdict(claim, verdict, "checked", f"{head}, {fits} ({acc.rule}).", request.metric, acc,
                       whole, checks, notes, computed=average, comparison=comparison)
    why = " ".join(dict.fromkeys(r for r in reasons if r)) or "No metric could be computed by field office."
    return Verdict(claim, "unverifiable", "per_office", why, request.metric, acc, None, checks, notes)


def _by_office(ev: Evidencer, name: str, whole: Evidence, start, end, rate) -> dict[str, float] | str:
    """Field office code → value over [start, end] (per ``rate``), or why there is none."""
    try:
        metric = get_metric(name)
    except UnknownName:
        return f"{name} is not in the metric registry."
    if "aor" not in metric.dimensions:
        return f"{metric.title} has no breakdown by field office."
    if whole.value is None or whole.status != "full":
        return whole.reason or f"{metric.title}: no full figure for the period."
    try:
        fy = fiscal_year(start)
        if (start, end) == fy_bounds(fy):
            r = ev.wh.query(name, by=["aor"], where=as_lists(whole.where), fy=fy, grain="fy")
        else:
            r = ev.wh.query(name, by=["aor"], where=as_lists(whole.where), date_from=start, date_to=end)
    except ImmstatError as exc:
        return str(exc)
    codes = set(reference.aor_codes())
    days = (end - start).days + 1
    scale = RATE_DAYS[rate] / days if rate and additive(metric) else 1.0
    cells = dict(zip(r.table.column("aor").to_pylist(), r.table.column("value").to_pylist()))
    offices = {code: value * scale for code, value in cells.items() if code in codes and value is not None}
    if not offices or len(offices) < len([c for c in cells if c in codes]):
        return f"{metric.title}: some field offices are suppressed or missing for the period."
    return offices
