"""What a stated number allows: the accepted interval of a claim and how a computed value fits it.

Stated tolerances (the same for every claim, so verdicts are reproducible):

- as stated ("39,000", "1.4 million"): the rounding interval of the last written digit
  ("1.4 million" = 1.35–1.45 million, "39,000" = 38,500–39,500), capped at ±5 %, and never
  narrower than ±0.5 % (published figures are revised between releases);
- approximate ("about", "roughly", "some"): ±5 %;
- "nearly" / "almost" / "just under": from 5 % below up to (not including) the number;
- "just over" / "slightly more than": above the number, up to 5 % above;
- "more than" / "at least" / "fewer than" / "up to": the bound itself, exclusive or inclusive;
- ranges ("1,200 to 1,500", "tens of thousands"): the range, both ends included.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from immstat.analysis.claims.models import Claim
from immstat.analysis.claims.numbers import SCALES

APPROX_TOL = 0.05
NEAR_TOL = 0.05
REVISION_TOL = 0.005
NEAR_BELOW = frozenset({"nearly", "almost", "just under", "just shy of", "approaching", "nearing",
                        "just below", "a little under", "a little less than"})
NEAR_ABOVE = frozenset({"just over", "slightly more than", "a little over", "a little more than"})
_NUMBER_RE = re.compile(
    r"(\d[\d,]*)(?:\.(\d+))?(?:\s*(thousand|million|billion|trillion|mln)\b|([kKMB]|bn|mn)\b)?"
)


@dataclass(frozen=True)
class Accepted:
    """The values a claim allows: ``low``/``high`` (None = unbounded), open or closed ends."""

    low: float | None
    high: float | None
    low_open: bool = False
    high_open: bool = False
    rule: str = ""

    def below(self, x: float) -> bool:
        return self.low is not None and (x <= self.low if self.low_open else x < self.low)

    def above(self, x: float) -> bool:
        return self.high is not None and (x >= self.high if self.high_open else x > self.high)

    def contains(self, x: float) -> bool:
        return not self.below(x) and not self.above(x)

    def to_dict(self) -> dict:
        return {
            "low": self.low,
            "high": self.high,
            "low_open": self.low_open,
            "high_open": self.high_open,
            "rule": self.rule,
        }


def fmt(x: float | None) -> str:
    """A number as people read it: counts with commas, small non-integers with one decimal."""
    if x is None:
        return "—"
    return f"{x:,.1f}" if abs(x) < 100 and x != int(x) else f"{x:,.0f}"


def rounding(claim: Claim) -> float:
    """Half a unit of the last digit the claim wrote ("1.4 million" → 50,000), capped at ±5 %."""
    v = abs(claim.value or 0.0)
    m = _NUMBER_RE.search(claim.text)
    if m and m.group(1):
        scale = SCALES.get((m.group(3) or m.group(4) or "").lower(), 1.0)
        if m.group(2):
            half = 0.5 * 10 ** -len(m.group(2)) * scale
        else:
            digits = m.group(1).replace(",", "")
            half = (
                0.5 * 10 ** (len(digits) - len(digits.rstrip("0"))) * scale if digits.strip("0") else 0.5
            )
    else:  # number words: "two million", "forty thousand"
        zeros = len(str(int(v))) - len(str(int(v)).rstrip("0")) if v >= 1 else 0
        half = 0.5 * 10**zeros
    return min(half, APPROX_TOL * v) if half > 0.5 else half


def accepted(claim: Claim) -> Accepted:
    """The interval ``claim`` asserts, with the tolerance rule in words."""
    q, bound = (claim.qualifier or ""), claim.bound
    if bound == "range" or claim.value is None:
        return Accepted(claim.low, claim.high, rule=f"between {fmt(claim.low)} and {fmt(claim.high)}")
    v = claim.value
    if q in NEAR_BELOW:
        lo = v * (1 - NEAR_TOL)
        return Accepted(
            lo,
            v,
            high_open=True,
            rule=f"'{q}' {fmt(v)}: from {fmt(lo)} up to, not including, {fmt(v)} (5 % tolerance)",
        )
    if q in NEAR_ABOVE:
        hi = v * (1 + NEAR_TOL)
        return Accepted(
            v,
            hi,
            low_open=True,
            rule=f"'{q}' {fmt(v)}: above {fmt(v)} and at most {fmt(hi)} (5 % tolerance)",
        )
    if bound in ("gt", "ge"):
        return Accepted(
            v,
            None,
            low_open=bound == "gt",
            rule=f"{'more than' if bound == 'gt' else 'at least'} {fmt(v)}",
        )
    if bound in ("lt", "le"):
        return Accepted(
            None,
            v,
            high_open=bound == "lt",
            rule=f"{'less than' if bound == 'lt' else 'at most'} {fmt(v)}",
        )
    if bound == "approx":
        tol = max(APPROX_TOL * abs(v), rounding(claim))
        return Accepted(v - tol, v + tol, rule=f"about {fmt(v)}: {fmt(v - tol)}–{fmt(v + tol)} (±5 %)")
    tol = max(rounding(claim), REVISION_TOL * abs(v))
    pct = 100 * tol / abs(v) if v else 0.0
    return Accepted(
        v - tol,
        v + tol,
        rule=f"{fmt(v)} as written: {fmt(v - tol)}–{fmt(v + tol)} (rounding, ±{pct:.1f} %)",
    )


def judge(acc: Accepted, value: float, lower_bound: bool = False) -> str:
    """``consistent`` | ``inconsistent`` | ``inconclusive``.

    With ``lower_bound`` the true value is only known to be ≥ ``value`` (partial coverage or
    suppressed cells): a claim is then consistent only if it sets no upper limit and ``value``
    already meets its lower one, and inconsistent only if ``value`` already exceeds its upper limit.
    """
    if math.isnan(value):
        return "inconclusive"
    if not lower_bound:
        return "consistent" if acc.contains(value) else "inconsistent"
    if acc.above(value):
        return "inconsistent"
    if acc.high is None and not acc.below(value):
        return "consistent"
    return "inconclusive"


PP_AS_WRITTEN = 1.0   # a percentage as written: at least ±1 percentage point (revisions, rounding)
PP_APPROX = 2.0       # "about 70 percent": at least ±2 points
PP_WORDS = 3.0        # "a third", "one in four": ±3 points
MULTIPLE_TOL = 0.15   # "tripled", "ten times": ±15 %


def accepted_relative(claim: Claim, sign: int = 1) -> Accepted:
    """The interval a share, change (percent) or multiple (ratio) asserts. ``sign`` = -1 for a
    decrease ("fell 85 percent" asserts a change of about −85 %). Tolerances above."""
    v, q, bound = claim.value or 0.0, (claim.qualifier or ""), claim.bound
    if bound == "range" or claim.value is None:
        lo, hi, lo_open, hi_open, how = claim.low, claim.high, False, False, "the range"
    elif bound in ("gt", "ge") and q not in NEAR_ABOVE:
        lo, hi, lo_open, hi_open, how = v, None, bound == "gt", False, "a lower bound"
    elif bound in ("lt", "le") and q not in NEAR_BELOW:
        lo, hi, lo_open, hi_open, how = None, v, False, bound == "lt", "an upper bound"
    else:
        tol, how = _relative_tolerance(claim)
        lo, hi, lo_open, hi_open = v - tol, v + tol, False, False
        if q in NEAR_BELOW:
            hi, hi_open = v, True
        elif q in NEAR_ABOVE:
            lo, lo_open = v, True
    if sign < 0:
        lo, hi, lo_open, hi_open = (-hi if hi is not None else None), (-lo if lo is not None else None), \
            hi_open, lo_open
    unit = "×" if claim.unit == "ratio" else " %"
    shown = f"{'−' if sign < 0 else ''}{fmt(v)}{unit}" if v is not None else "the range"
    span = f"{fmt(lo)}{unit} to {fmt(hi)}{unit}"
    return Accepted(lo, hi, lo_open, hi_open, rule=f"{shown}: {span} ({how})")


def _relative_tolerance(claim: Claim) -> tuple[float, str]:
    v = abs(claim.value or 0.0)
    if claim.unit == "ratio":
        return MULTIPLE_TOL * v, "±15 % for a multiple"
    if claim.bound == "approx" or claim.qualifier in NEAR_BELOW | NEAR_ABOVE:
        return max(APPROX_TOL * v, PP_APPROX), "about: ±5 %, at least ±2 points"
    digits = re.search(r"\d+(?:\.(\d+))?", claim.text)
    if not digits:
        return PP_WORDS, "a fraction in words: ±3 points"
    half = 0.5 * 10 ** -len(digits.group(1) or "")
    return max(half, PP_AS_WRITTEN), "as written: at least ±1 point"
