"""A :class:`Verdict`: what the data say about one claim, with the number, metric, sources and
one sentence of explanation. JSON shape of ``immstat claims verify --format json`` and
``POST /api/v1/claims/verify``."""

from __future__ import annotations

from dataclasses import dataclass, field

from immstat.analysis.claims.compare import Accepted, fmt
from immstat.analysis.claims.evidence import Evidence
from immstat.analysis.claims.models import Claim

VERDICTS = ("supported", "contradicted", "unverifiable", "out_of_scope")

# reason code → words shown in the label "unverifiable (…)"
REASONS = {
    "checked": "",
    "no_data": "no data for that period",
    "partial": "partial coverage",
    "synthetic": "synthetic data only",
    "no_period": "no period stated",
    "no_metric": "no metric for this period or scope",
    "relative": "relative claim",
    "per_office": "per-office claim",
    "no_base": "no base period",
    "not_comparable": "not comparable",
    "no_part": "no series for that part",
    "no_value": "no number to compare",
    "not_measured": "not measured",
    "not_registered": "metric not registered",
    "target": "a target, not an outcome",
}


@dataclass
class Verdict:
    """The verdict on one claim; ``evidence`` is the check it rests on (None if nothing ran)."""

    claim: Claim
    verdict: str
    reason: str
    explanation: str
    metric: str | None = None
    accepted: Accepted | None = None
    evidence: Evidence | None = None
    checks: list[Evidence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    computed: float | None = None     # a relative claim's computed share, change or multiple
    comparison: dict | None = None    # how a relative or per-office value was computed

    @property
    def label(self) -> str:
        if self.verdict == "unverifiable":
            return f"unverifiable ({REASONS[self.reason]})"
        return self.verdict.replace("_", " ")

    @property
    def value(self) -> float | None:
        """The number compared with the claim (a relative claim's share, change or multiple)."""
        if self.computed is not None:
            return self.computed
        return self.evidence.value if self.evidence else None

    @property
    def unit(self) -> str | None:
        """The unit of :attr:`value`: a share or change is in percent, a multiple a ratio."""
        kind = (self.comparison or {}).get("kind")
        if kind in ("share", "change"):
            return "percent"
        if kind == "multiple":
            return "ratio"
        unit = self.evidence.unit if self.evidence else None
        return f"{unit} per field office" if kind == "per_office" and unit else unit

    @property
    def synthetic(self) -> bool:
        return bool(self.evidence and self.evidence.synthetic)

    @property
    def sources(self) -> list[dict]:
        return self.evidence.to_dict()["sources"] if self.evidence else []

    def to_dict(self) -> dict:
        ev = self.evidence
        period = self.claim.period
        return {
            "verdict": self.verdict,
            "label": self.label,
            "reason": self.reason,
            "explanation": self.explanation,
            "quote": self.claim.quote,
            "text": self.claim.text,
            "start": self.claim.start,
            "end": self.claim.end,
            "metric": ev.metric if ev else self.metric,
            "metric_title": ev.title if ev else None,
            "value": self.value,
            "unit": self.unit,
            "lower_bound": bool(ev and ev.lower_bound),
            "synthetic": self.synthetic,
            "period": None
            if period is None
            else {
                "label": period.label,
                "start": period.start.isoformat() if period.start else None,
                "end": period.end.isoformat() if period.end else None,
            },
            "scope": {
                "level": self.claim.scope.level,
                "code": self.claim.scope.code,
                "name": self.claim.scope.name,
            },
            "where": ev.where if ev else {},
            "method": ev.method if ev else None,
            "accepted": self.accepted.to_dict() if self.accepted else None,
            "tolerance": self.accepted.rule if self.accepted else None,
            "release": release_of(ev) if ev else None,
            "comparison": self.comparison,
            "sources": self.sources,
            "checks": [c.to_dict() for c in self.checks],
            "notes": self.notes,
            "claim": self.claim.to_dict(),
        }


def release_of(ev: Evidence) -> str:
    """The files a check read and their release dates, in words."""
    files = [f"{s.get('file')} (released {_iso(s.get('release_date'))})" for s in ev.sources]
    return "release: " + ("; ".join(files) if files else "none recorded")


def _iso(day) -> str:
    return day.isoformat() if hasattr(day, "isoformat") else str(day or "date unknown")


def explain(claim: Claim, period: str, ev: Evidence, acc: Accepted, outcome: str) -> str:
    """One sentence: the computed value, what it is, and how it relates to the claim."""
    where = f" in {claim.scope.name or claim.scope.code}" if claim.scope.level != "national" else ""
    per = f" per {claim.rate}" if claim.rate and "per " in ev.method else ""
    value = f"{'at least ' if ev.lower_bound else ''}{fmt(ev.value)}{per}"
    filters = "".join(f" [{k}: {' + '.join(v) if isinstance(v, tuple) else v}]"
                      for k, v in ev.where.items() if k not in ("aor", "state"))
    mark = ", SYNTHETIC" if ev.synthetic else ""
    head = f"{ev.title}{filters}{where}, {period} ({ev.metric}{mark}; {release_of(ev)}): {value}"
    if ev.synthetic:
        return (
            f"Only synthetic data can measure this — {head}, generated for trying the tool, so it says "
            f"nothing about the claim ({acc.rule})."
        )
    if outcome == "consistent":
        return f"{head}, which fits the claim ({acc.rule})."
    if outcome == "inconsistent":
        return f"{head}, which is outside the claim ({acc.rule})."
    return f"{head}. {ev.reason} This cannot settle the claim ({acc.rule})."
