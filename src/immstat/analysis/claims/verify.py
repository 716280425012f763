"""``verify(wh, text_or_claims, doc_date)``: a verdict for every numeric claim.

Each claim is mapped to a metric (:func:`map_claim`), the candidate metrics of the reviewed
evidence table are computed for its period and scope (:mod:`.evidence`), and the best one is
compared with the claim's accepted interval (:mod:`.compare`). The check used is the first REAL
candidate that settles the claim, else the first real one with data, else synthetic data —
which never makes a claim "supported".

Input: plain text (claims are extracted first), or YAML claims — a list (or ``{date, claims}``)
of items with either ``text`` or ``value`` + ``kind`` (+ ``qualifier``/``bound``, ``low``/``high``,
``period``, ``scope``, ``rate``, ``quote``)::

    - text: "CBP recorded more than 200,000 encounters in March 2022."
    - {value: 39000, qualifier: about, kind: detention, period: 2024-03}
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import yaml

from immstat.analysis.claims.compare import accepted, judge
from immstat.analysis.claims.counted import counted_parts, evaluate_part
from immstat.analysis.claims.evidence import Evidencer, candidates
from immstat.analysis.claims.extract import extract
from immstat.analysis.claims.lexicon import RATE_UNITS, lexicon
from immstat.analysis.claims.models import BOUNDS, NATIONAL, Claim, OutOfScope, Period, Scope
from immstat.analysis.claims.numbers import QUALIFIERS
from immstat.analysis.claims.offices import verify_per_office
from immstat.analysis.claims.periods import find_periods
from immstat.analysis.claims.relative import verify_relative
from immstat.analysis.claims.scope import find_scopes
from immstat.analysis.claims.verdict import Verdict, explain
from immstat.core import reference
from immstat.core.calendar import fy_bounds, month_end
from immstat.core.errors import ConfigError, UnknownName
from immstat.core.parse import parse_date
from immstat.metrics import get_metric

_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_FY_RE = re.compile(r"^FY\s*'?(\d{2}|\d{4})$", re.I)


def verify(wh, source: str | Iterable[Claim | dict], doc_date: dt.date | None = None) -> list[Verdict]:
    """Verdicts for the claims in ``source`` (text, YAML text, dicts or :class:`Claim` objects)."""
    if isinstance(source, str):
        claims = load_claims(source, doc_date)
    else:
        claims = [
            c
            for item in source
            for c in ([item] if isinstance(item, Claim) else _from_item(item, doc_date, 0))
        ]
    evidencer = Evidencer(wh)
    return [verify_claim(evidencer, c, doc_date) for c in claims]


def verify_claim(evidencer: Evidencer, claim: Claim, doc_date: dt.date | None = None) -> Verdict:
    """The verdict on one claim (see the module docstring)."""
    request = _map(claim, doc_date)
    if isinstance(request, Verdict):
        return request
    cands, extra, notes = candidates(request.metric, claim.quote)
    notes = [*request.notes, *notes]
    if claim.comparison or claim.unit in ("percent", "ratio"):
        return verify_relative(evidencer, claim, request, cands, extra, notes)
    if claim.per:
        return verify_per_office(evidencer, claim, request, cands, extra, notes)
    acc = accepted(claim)
    snapshot = claim.stock and request.date_from == request.date_to
    parts = counted_parts(claim) if claim.unit == "count" else []
    part = parts[0] if len(parts) == 1 else None
    if len(parts) > 1 or (part is not None and part.by is None):
        what = " and ".join(p.label for p in parts)
        why = "no series in the warehouse breaks down" if part else "no one filter counts together"
        return Verdict(claim, "unverifiable", "no_part", f"The figure counts {what}, which {why}.",
                       request.metric, acc, notes=notes)
    checks = [
        evaluate_part(evidencer, c, part, dict(request.where), extra, request.date_from, request.date_to,
                      claim.rate, snapshot) if part else
        evidencer.evaluate(c, dict(request.where), extra, request.date_from, request.date_to, claim.rate,
                           snapshot=snapshot)
        for c in cands
    ]
    outcomes = {id(e): _outcome(e, acc) for e in checks}
    real = [e for e in checks if e.value is not None and not e.synthetic]
    settled = [e for e in real if outcomes[id(e)] != "inconclusive"]
    synthetic = [e for e in checks if e.value is not None and e.synthetic]
    best = next(iter(settled or real or synthetic), None)
    if best is None:
        no_data = [e for e in checks if e.status == "no_data"]
        reason = "no_data" if no_data else "no_metric"
        why = " ".join(dict.fromkeys(e.reason for e in (no_data or checks) if e.reason))
        return Verdict(
            claim,
            "unverifiable",
            reason,
            why or "No metric could be computed.",
            request.metric,
            acc,
            None,
            checks,
            notes,
        )
    if len({outcomes[id(e)] for e in settled}) > 1:
        notes.append(
            "Real sources disagree: "
            + "; ".join(f"{e.metric} gives {e.value:,.0f} ({outcomes[id(e)]})" for e in settled)
            + "."
        )
    outcome = outcomes[id(best)]
    if best.synthetic:
        verdict, reason = "unverifiable", "synthetic"
    elif outcome == "inconclusive":
        verdict, reason = "unverifiable", "partial"
    else:
        verdict, reason = ("supported" if outcome == "consistent" else "contradicted"), "checked"
    period = claim.period.label if claim.period else f"on {request.date_from}"
    return Verdict(
        claim,
        verdict,
        reason,
        explain(claim, period, best, acc, outcome),
        request.metric,
        acc,
        best,
        checks,
        notes,
    )


def _outcome(ev, acc) -> str:
    if ev.value is None or (ev.status == "partial" and not ev.lower_bound):
        return "inconclusive"
    return judge(acc, ev.value, ev.lower_bound)


def _map(claim: Claim, doc_date):
    """The claim's MetricRequest, or the Verdict that says why it cannot be checked."""
    from immstat.analysis.claims.mapping import map_claim, speaks_of_now

    request = map_claim(claim, doc_date)

    def stop(verdict: str, reason: str, why: str, metric: str | None = None) -> Verdict:
        return Verdict(claim, verdict, reason, why, metric, notes=list(getattr(request, "notes", ())))

    if isinstance(request, OutOfScope):
        return stop("out_of_scope", "not_measured", request.reason)
    if claim.target:
        return stop(
            "out_of_scope",
            "target",
            "Stated as a target or goal, not an outcome; compare targets "
            "with the actual pace on the Targets page (immstat targets).",
            request.metric,
        )
    try:
        get_metric(request.metric)
    except UnknownName:
        return stop(
            "out_of_scope",
            "not_registered",
            f"The claim maps to '{request.metric}', which is not a "
            "registered ImmStat metric, so the warehouse cannot measure it.",
            request.metric,
        )
    if claim.unit not in ("count", "percent", "ratio", "days"):
        return stop("unverifiable", "relative", f"A figure in {claim.unit} is not checked.", request.metric)
    if claim.value is None and claim.bound != "range":
        return stop("unverifiable", "no_value", "The claim has no number to compare.", request.metric)
    if request.date_from is None or request.date_to is None:
        label = (
            f" ({claim.period.label!r} could not be resolved; give the document date)"
            if claim.period
            else " (it says 'now': give the date of the text, e.g. --date, to read the level on that day)"
            if speaks_of_now(claim)
            else ""
        )
        return stop(
            "unverifiable",
            "no_period",
            f"The claim states no period{label}, so there is nothing to compute it for.",
            request.metric,
        )
    return request


# ------------------------------------------------------------------ input
def load_claims(text: str, doc_date: dt.date | None = None) -> list[Claim]:
    """Claims from YAML claims (see the module docstring) or, failing that, from plain text."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("claims"), list):
        doc_date = parse_date(data.get("date"), "date", ConfigError) or doc_date
        data = data["claims"]
    if (
        isinstance(data, list)
        and data
        and all(isinstance(i, dict) and ("text" in i or "value" in i) for i in data)
    ):
        return [c for n, item in enumerate(data, 1) for c in _from_item(item, doc_date, n)]
    return extract(text, doc_date)


def _from_item(item: object, doc_date: dt.date | None, n: int) -> list[Claim]:
    """One YAML item → its claims (a ``text`` item may hold several)."""
    if not isinstance(item, dict):
        raise ConfigError(
            f"Claim {n}: expected a mapping with 'text' or 'value'; got {type(item).__name__}."
        )
    doc_date = parse_date(item.get("date"), f"claim {n}: date", ConfigError) or doc_date
    if "value" not in item:
        return extract(str(item.get("text") or ""), doc_date)
    return [_structured(item, doc_date, n)]


def _structured(item: dict, doc_date: dt.date | None, n: int) -> Claim:
    def bad(what: str) -> ConfigError:
        return ConfigError(f"Claim {n}: {what}.")

    kind = str(item.get("kind") or "")
    if kind not in lexicon().kinds:
        raise bad(f"unknown kind {kind!r}; use one of {', '.join(sorted(lexicon().kinds))}")
    qualifier = str(item["qualifier"]).lower() if item.get("qualifier") else None
    if qualifier and qualifier not in QUALIFIERS:
        raise bad(f"unknown qualifier {qualifier!r}; use e.g. 'more than', 'about', 'nearly', 'up to'")
    bound = item.get("bound") or (
        QUALIFIERS[qualifier] if qualifier else "range" if "low" in item else "eq"
    )
    if bound not in BOUNDS:
        raise bad(f"bound must be one of {', '.join(BOUNDS)}")
    rate = item.get("rate")
    if rate is not None and rate not in RATE_UNITS:
        raise bad(f"rate must be one of {', '.join(RATE_UNITS)}")
    try:
        value = None if item["value"] is None else float(item["value"])
        low = (
            float(item["low"])
            if item.get("low") is not None
            else (value if bound in ("gt", "ge") else None)
        )
        high = (
            float(item["high"])
            if item.get("high") is not None
            else (value if bound in ("lt", "le") else None)
        )
    except (TypeError, ValueError):
        raise bad("value, low and high must be numbers") from None
    period = _period(item.get("period"), doc_date, bad)
    quote = str(
        item.get("quote")
        or item.get("text")
        or " ".join(str(x) for x in (qualifier, item["value"], kind, period and period.label) if x)
    )
    return Claim(
        value=value,
        low=low,
        high=high,
        qualifier=qualifier,
        bound=bound,
        unit="count",
        kind=kind,
        rate=rate,
        period=period,
        scope=_scope(item.get("scope"), bad),
        quote=quote,
        start=0,
        end=len(quote),
        text=str(item.get("text") or _written(value) or quote),
        target=bool(item.get("target")),
        average=bool(item.get("average")),
    )


def _written(value: float | None) -> str:
    """A YAML number as it would be written (39000 → '39,000'), for the rounding rule."""
    if value is None:
        return ""
    return f"{int(value):,}" if value.is_integer() else f"{value:,}"


def _period(raw, doc_date, bad) -> Period | None:
    if raw is None:
        return None
    if isinstance(raw, dict):
        start = parse_date(raw.get("start"), "period.start", ConfigError)
        end = parse_date(raw.get("end"), "period.end", ConfigError)
        if not start or not end or start > end:
            raise bad("period needs start <= end (YYYY-MM-DD)")
        return Period(raw.get("label") or f"{start}–{end}", start, end, None)
    if isinstance(raw, dt.date):
        return Period(raw.isoformat(), raw, raw, None)
    text = str(raw).strip()
    if m := _FY_RE.match(text):
        fy = int(m.group(1)) + (2000 if len(m.group(1)) == 2 else 0)
        return Period(f"FY{fy}", *fy_bounds(fy), "fiscal")
    if m := _MONTH_RE.match(text):
        start = dt.date(int(m.group(1)), int(m.group(2)), 1)
        return Period(start.strftime("%B %Y"), start, month_end(start), "calendar")
    if "/" in text:
        return _period(dict(zip(("start", "end"), text.split("/", 1))), doc_date, bad)
    found = find_periods(text, doc_date)
    if not found:
        raise bad(f"cannot read period {text!r}; use FY2022, 2022-03, YYYY-MM-DD/YYYY-MM-DD or words")
    return found[0].period


def _scope(raw, bad) -> Scope:
    if raw in (None, "", "national"):
        return NATIONAL
    text = str(raw).strip()
    if text.upper() in reference.aor_codes():
        return Scope("aor", text.upper(), text.upper())
    if text.upper() in reference.state_codes():
        return Scope("state", text.upper(), text.upper())
    found = find_scopes(text)
    if not found:
        raise bad(f"unknown scope {text!r}; use 'national', a field-office code (HOU) or a state (TX)")
    return found[0][2]
