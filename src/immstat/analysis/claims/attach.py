"""Which time phrase and which place a number belongs to, within its sentence.

The rule is "nearest in words" (:func:`immstat.analysis.claims.text.nearest`) with the grammar of
coordination: in "74,082 arrests and 59,011 removals in fiscal 2021, down from 103,603 arrests
and 185,884 removals in FY 20 and 143,099 arrests and 267,258 deportations in FY 19" each group
of figures joined by "and" takes the time phrase that closes the group, so a number is not pulled
to the phrase that closes the group before it. A baseline ("up from 142,580", "compared with
fiscal 2024") is kept apart: behind a contrast word a phrase is out of reach, and for a change or
a multiple the phrase after a baseline word is its base period, not its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from immstat.analysis.claims.periods import PeriodMention
from immstat.analysis.claims.text import distance, nearest, words_between

PERIOD_WINDOW = 40
SCOPE_WINDOW = 40
BASELINE_RE = re.compile(r"\b(?:from|than|compared\s+(?:with|to)|versus|vs\.?|over|against"
                         r"|what\s+(?:it|they|that|this)\s+(?:was|were|had\s+been))"
                         r"\s*(?:in\s+|during\s+|on\s+)?(?:the\s+|early\s+|late\s+|mid-?)?$", re.I)
_BASELINE_BEFORE = re.compile(r"\b(?:from|compared\s+(?:with|to)|versus|vs\.?|than|against)\s*$", re.I)
_MULTIPLE_OF = re.compile(r"(?:.*\b)?(?:double|triple|twice|half|\w+\s+times)$", re.I)
_JOIN = re.compile(r",|\band\b|\bor\b", re.I)
_AND = re.compile(r"\s*,?\s*and\b", re.I)
_GROUP_GAP = re.compile(r"^[\w\s,'’.-]*$")

Span = tuple[int, int]


def choose_period(text: str, anchor: Span, mentions: Sequence[PeriodMention], amounts: Sequence[Span],
                  barriers: Sequence[Span], baseline: bool) -> PeriodMention | None:
    """The period mention ``anchor`` belongs to (see the module docstring); ``baseline``: the
    number is itself a baseline ("up from 142,580"), so a phrase behind another number is out of
    its reach."""
    best, best_cost = None, PERIOD_WINDOW + 1e-9
    for m in mentions:
        cost, gap = distance(text, anchor, (m.start, m.end), left_penalty=1)
        if any(gap[0] <= s and e <= gap[1] for s, e in barriers):
            continue
        between = [a for a in amounts if gap[0] <= a[0] and a[1] <= gap[1]]
        if m.start >= anchor[1] and any(gap[0] <= o.start and o.end <= gap[1] for o in mentions):
            continue  # a nearer time phrase closes the figure's clause first
        if m.start >= anchor[1]:
            if between and not _one_group(text, anchor, between):
                cost += PERIOD_WINDOW if baseline else 10
            elif not between and _opens_next(text, anchor, m, amounts):
                cost += 10
        elif between:
            cost += PERIOD_WINDOW if baseline else 10
        elif _closes_group(text, m, anchor, mentions, amounts):
            cost += 12
        if cost < best_cost:
            best, best_cost = m, cost
    return best


def _one_group(text: str, anchor: Span, between: Sequence[Span]) -> bool:
    """True when the numbers between ``anchor`` and a later time phrase are coordinated with it
    ("A arrests and B removals in FY 20"): only words, commas and 'and' in between."""
    gap = text[anchor[1]:between[-1][0]]
    return bool(_GROUP_GAP.match(gap)) and bool(re.search(r"\b(?:and|or)\b|,", gap))


def _opens_next(text: str, anchor: Span, mention: PeriodMention, amounts: Sequence[Span]) -> bool:
    """True when ``mention``, right of ``anchor`` behind a comma or 'and', opens the next figure's
    clause ("280, and Sunday's roughly 410", "2,900, and on Sunday it hit 3,000")."""
    after = [a for a in amounts if a[0] >= mention.end]
    return bool(after) and bool(_JOIN.search(text, anchor[1], mention.start)) \
        and not _JOIN.search(text, mention.end, after[0][0])


def _closes_group(text: str, mention: PeriodMention, anchor: Span, mentions: Sequence[PeriodMention],
                  amounts: Sequence[Span]) -> bool:
    """True when ``mention``, left of ``anchor``, closes an earlier group of figures and ``anchor``
    opens a new group with its own time phrase further right ("… in FY 20 and 143,099 arrests
    and 267,258 deportations in FY 19")."""
    return (any(a[1] <= mention.start for a in amounts)
            and any(m.start >= anchor[1] for m in mentions)
            and bool(_AND.match(text, mention.end, anchor[0])))


def is_baseline(text: str, sentence_start: int, start: int) -> bool:
    """True when the number at ``start`` is the base of a comparison ("up from 142,580",
    "compared with 4,988")."""
    return bool(_BASELINE_BEFORE.search(text[max(sentence_start, start - 25):start]))


def base_mention(text: str, anchor: Span, mentions: Sequence[PeriodMention]) -> PeriodMention | None:
    """The period after a baseline word following ``anchor`` ("fell 85 percent from the same
    month a year earlier", "ten times what they were in early 2024"), or right after a multiple
    written before its base ("double April's total", "three times the 2024 level")."""
    for m in mentions:
        gap = text[anchor[1]:m.start]
        if m.start >= anchor[1] and words_between(text, anchor[1], m.start) <= 12 and (
                BASELINE_RE.search(gap) or (_MULTIPLE_OF.match(text[anchor[0]:anchor[1]]) and
                                            words_between(text, anchor[1], m.start) <= 2)):
            return m
    return None


def choose_scope(text: str, anchor: Span, scopes, amounts: Sequence[Span], barriers: Sequence[Span]):
    """The place ``anchor`` is about: the nearest place mention, never one beyond another figure to
    its right (that one belongs to the later figure)."""
    reachable = [s for s in scopes if s[0] < anchor[1]
                 or not any(anchor[1] <= a[0] and a[1] <= s[0] for a in amounts)]
    return nearest(text, anchor, reachable, amounts, max_words=SCOPE_WINDOW, left_penalty=0,
                   block_penalty=10, barriers=barriers)
