"""A data-health check: a declared rule (words, severity, tolerance) and the function that judges it.

A check's function reads the warehouse through the metrics layer and returns an :class:`Outcome`:
``pass`` or ``fail`` with a one-sentence summary and evidence rows (aggregate numbers only), or
``skip`` with the reason (e.g. a source or metric not loaded in this install). Severity says how
bad a failure is: ``error`` (the published figures contradict themselves or the law of
arithmetic), ``warning`` (a plausibility rule with a stated tolerance), ``info``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from immstat.core.errors import ImmstatError, UnknownName

STATUSES = ("pass", "fail", "skip")
SEVERITIES = ("error", "warning", "info")


@dataclass
class Outcome:
    """What one run of a check found."""

    status: str
    summary: str
    evidence: list[dict] = field(default_factory=list)
    synthetic: bool = False

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status {self.status!r} not in {STATUSES}")

    @classmethod
    def skip(cls, reason: str) -> Outcome:
        return cls("skip", reason)

    @classmethod
    def judged(cls, failed: bool, summary: str, evidence: list[dict], synthetic: bool = False) -> Outcome:
        return cls("fail" if failed else "pass", summary, evidence, synthetic)


@dataclass(frozen=True)
class Check:
    """A declared data-health rule; calling it on a warehouse runs it."""

    name: str
    title: str
    rule: str
    severity: str
    tolerance: str
    judge: Callable[..., Outcome]

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r} not in {SEVERITIES}")

    def __call__(self, wh) -> CheckResult:
        try:
            outcome = self.judge(wh)
        except UnknownName as exc:
            if exc.kind != "metric":
                raise
            outcome = Outcome.skip(f"metric {exc.name!r} is not registered in this install, so this "
                                   "check cannot run yet")
        except ImmstatError as exc:
            outcome = Outcome.skip(f"could not run: {exc}")
        return CheckResult(self, outcome, dt.datetime.now(dt.UTC).replace(tzinfo=None))

    def describe(self) -> dict:
        return {"name": self.name, "title": self.title, "rule": self.rule,
                "severity": self.severity, "tolerance": self.tolerance}


@dataclass
class CheckResult:
    check: Check
    outcome: Outcome
    run_at: dt.datetime

    @property
    def failed(self) -> bool:
        return self.outcome.status == "fail"

    def to_dict(self) -> dict:
        o = self.outcome
        return {**self.check.describe(), "status": o.status, "summary": o.summary,
                "evidence": o.evidence, "synthetic": o.synthetic,
                "run_at": self.run_at.isoformat(timespec="seconds")}


def pct(part: float, whole: float) -> float:
    """``part`` as a percentage of ``whole`` (rounded to 0.01 for reading)."""
    return round(100 * part / whole, 2)
