"""The part of a whole a count is about: "88,763 convicted criminals", "5,000 Venezuelans",
"20,000 unaccompanied children" count a part of the removals, arrests or encounters, never the
whole; checked against the whole they would be "contradicted" for the wrong reason.

The part is read from the words right after the number (up to the next figure or punctuation,
at most ``WINDOW_WORDS`` words) with the reviewed ``shares`` table, the one that names the part
of a percentage; words naming two parts ("Mexicans and Guatemalans") leave the claim
unverifiable. Each candidate metric is then filtered to the part's categories (criminality,
citizenship, family status …), or counted by a metric of the part (``parts``); one that cannot be
(no such breakdown) is skipped with the reason, and a part no series breaks down leaves the
claim unverifiable.
"""

from __future__ import annotations

import datetime as dt
import re

from immstat.analysis.claims.evidence import Candidate, Evidence, Evidencer
from immstat.analysis.claims.models import Claim
from immstat.analysis.claims.numbers import find_amounts
from immstat.analysis.claims.shares import Part, share_table
from immstat.core.errors import ImmstatError
from immstat.metrics import get_metric

WINDOW_WORDS = 8
_UNTIL = re.compile(r"[,;:.!?()\[\]—–\d]")


def counted_parts(claim: Claim) -> list[Part]:
    """The parts of a whole named right after the claim's number (more than one: "Mexicans and
    Guatemalans", which no single filter counts)."""
    words = counted_words(claim)
    return share_table().every(words) if words else []


def counted_words(claim: Claim) -> str:
    """The words right after the claim's number in its sentence ("convicted criminals in FY")."""
    at = claim.quote.find(claim.text) if claim.text else -1
    number = next((a for a in find_amounts(claim.text)[0]
                   if (a.value, a.low, a.high) == (claim.value, claim.low, claim.high)), None)
    if at < 0 or number is None:
        return ""
    rest = claim.quote[at + number.end:]
    cut = _UNTIL.search(rest)
    return " ".join(rest[:cut.start() if cut else len(rest)].split()[:WINDOW_WORDS])


def evaluate_part(ev: Evidencer, cand: Candidate, part: Part, scope: dict[str, str], extra: dict[str, str],
                  start: dt.date, end: dt.date, rate: str | None, snapshot: bool) -> Evidence:
    """``cand`` counted for ``part`` only: filtered to the part's categories of ``part.by``, or the
    metric that counts the part directly."""
    assert part.by is not None
    metric = get_metric(cand.metric)
    if part.by not in metric.dimensions:
        direct = part.parts.get(cand.metric)
        if direct is not None and not direct.complement:
            return ev.evaluate(Candidate(direct.metric, cand.note), scope, extra, start, end, rate, snapshot)
        return Evidence(cand.metric, cand.note, title=metric.title, reason=(
            f"{metric.title} ({cand.metric}) has no breakdown by {part.by}: it cannot count {part.label}."))
    try:
        cells = ev.breakdown(cand.metric, {**extra, **scope}, part.by, start, end)
    except ImmstatError as exc:
        return Evidence(cand.metric, cand.note, title=metric.title, reason=str(exc))
    names = tuple(sorted(str(k) for k in cells if k is not None and part.matches(str(k))))
    if not names:
        return Evidence(cand.metric, cand.note, title=metric.title, reason=(
            f"No {part.by} category of {metric.title} ({cand.metric}) is {part.label}."))
    found = ev.evaluate(cand, scope, {**extra, part.by: names}, start, end, rate, snapshot)
    found.method += f"; {part.label}: {part.by} {' + '.join(names)}"
    return found
