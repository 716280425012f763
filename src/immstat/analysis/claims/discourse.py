"""What a paragraph has already said: the kind, time and place a later figure may carry over.

News text states the unit once and then lists figures: "ICE arrested 2,100 people on Monday.
On Tuesday the total fell to just over 1,700." The second figure names no measure; it takes the
kind of the figure before it (and its place and, if its sentence names no time, its time).
Anaphoric times ("a year earlier", "the year before", "a week later") are the time of the
figure they are compared with, moved. "respectively" pairs figures with time phrases in order.
What is not restated for two sentences is forgotten.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from immstat.analysis.claims.attach import BASELINE_RE, base_mention, is_baseline
from immstat.analysis.claims.dates import shift
from immstat.analysis.claims.lexicon import lexicon
from immstat.analysis.claims.models import Claim, Period, Scope
from immstat.analysis.claims.periods import PeriodMention
from immstat.core.calendar import fiscal_year, fy_bounds, month_end

MEMORY = 2  # sentences a kind, time or place is remembered for without being restated
_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
_RANGE_LABEL = re.compile(r"^(?:between|from)\b", re.I)


class Discourse:
    """The kind, period and place last stated in a paragraph."""

    def __init__(self, doc_date: dt.date | None = None):
        self.doc_date = doc_date
        self.last: Claim | None = None
        self.kind: str | None = None
        self.period: Period | None = None
        self.scope: Scope | None = None
        self.enforcement = False
        self._age = 0
        self._dated = 0

    def remember(self, text: str, span: tuple[int, int], claims: Sequence[Claim], kinds: Sequence,
                 mentions: Sequence[PeriodMention], scopes: Sequence) -> None:
        """Update the memory with one sentence's figures and words."""
        said = bool(claims or kinds)
        self._age = 0 if said else self._age + 1
        self._dated += 1
        if self._age > MEMORY:
            self.last, self.kind, self.scope = None, None, None
        if self._dated > MEMORY:
            self.period = None  # a time not restated for two sentences no longer holds
        if claims:
            self.last, self.kind = claims[-1], claims[-1].kind
        elif kinds:
            self.kind = kinds[-1][2]
        dated = [c.period for c in claims if c.period and c.period.resolved and not c.target
                 and not is_baseline(text, span[0], c.start)]
        stated = [m.period for m in mentions if m.period.resolved]
        if dated or stated:
            self.period, self._dated = (dated or stated)[-1], 0
        placed = [c.scope for c in claims if c.scope.level != "national"]
        if placed or scopes:
            self.scope = placed[-1] if placed else scopes[-1][2]
        self.enforcement = self.enforcement or lexicon().enforcement(text[span[0]:span[1]])

    def respectively(self, text: str, span: tuple[int, int], claims: list[Claim],
                     mentions: Sequence[PeriodMention]) -> None:
        """"In March and April, ICE booked 21,700 and 23,400 people": figures take the time
        phrases in order when the sentence says 'respectively'."""
        periods = [m.period for m in mentions if m.period.resolved]
        if _RESPECTIVELY.search(text, *span) and len(periods) == len(claims) > 1:
            for claim, period in zip(claims, periods):
                claim.period = period

    def base_period(self, base: PeriodMention | None, claim: Claim) -> Period | None:
        """What a change or multiple compares with: the base phrase ("from fiscal 2024", "a year
        earlier"), the first unit of a range ("between January and May"), or for a whole year with
        no base, the year before."""
        current = claim.period
        if base is not None:
            if base.shift is None:
                return _same_span(base.period, current)
            return _moved(current, base.shift, base.period.label) if current and current.resolved else None
        if current is None or not current.resolved:
            return None
        start = current.dates[0]
        if _RANGE_LABEL.match(current.label) and start.day == 1:
            return Period(start.strftime("%B %Y"), start, month_end(start), current.calendar)
        if _whole_year(current):
            return _moved(current, (-1, "year"), f"the year before {current.label}")
        return None


def resolve(mention: PeriodMention, earlier: Sequence[Claim], talk: Discourse) -> Period:
    """The period of a time phrase; an anaphoric one ("a year earlier") is the period of the
    figure before it, moved."""
    if mention.shift is None:
        return mention.period
    anchors = [c.period for c in earlier if c.period and c.period.resolved]
    anchor = anchors[-1] if anchors else talk.period
    if anchor is None or not anchor.resolved:
        return mention.period
    return _moved(anchor, mention.shift, mention.period.label)


def relative_base(text: str, anchor: tuple[int, int],
                  mentions: Sequence[PeriodMention]) -> PeriodMention | None:
    """The time phrase a change or multiple is measured from: after the number and a baseline
    word ("from the same month a year earlier"), or anywhere after 'compared with'."""
    right = base_mention(text, anchor, mentions)
    if right is not None:
        return right
    for m in mentions:
        if m.end <= anchor[0] and BASELINE_RE.search(text[max(0, m.start - 20):m.start]):
            return m
    return None


def _moved(period: Period, how: tuple[int, str], label: str | None = None) -> Period:
    start, end = shift(*period.dates, *how)
    return Period(label or period.label, start, end, period.calendar)


def _same_span(base: Period, current: Period | None) -> Period:
    """A base written as a longer span than the current period ("compared with 2024" for May)
    is the current period in that span."""
    if current is None or not (base.resolved and current.resolved):
        return base
    low, high = base.dates
    for years in (1, 2, 3):
        start, end = shift(*current.dates, -years, "year")
        if low <= start and end <= high and (high - low) > (end - start):
            return Period(f"{current.label} ({base.label})", start, end, current.calendar)
    return base


def _whole_year(period: Period) -> bool:
    s, e = period.dates
    return (s, e) == fy_bounds(fiscal_year(s)) or (s.month, s.day, e.month, e.day) == (1, 1, 12, 31)
