"""``extract(text, doc_date)``: every numeric claim about immigration enforcement in a text.

Each number that is not a date, age, address, phone number, citation, ordinal, vote, identifier
or a person's money is read with the words around it (:mod:`.kinds`): what it counts, its rate,
its time (:mod:`.attach`, :mod:`.periods`) and its place. A figure whose unit is written only in
an earlier sentence ("On Tuesday the total fell to 1,700") carries the kind, time and place of
the figure before it (:mod:`.discourse`); a figure about people in a sentence about enforcement
with no measure named is kind ``other`` — never dropped. Numbers that count something else ("20
sectors") are not claims (returned, with ``rejected`` set, only when ``include_rejected=True``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from immstat.analysis.claims.attach import choose_period, choose_scope, is_baseline
from immstat.analysis.claims.discourse import Discourse, relative_base, resolve
from immstat.analysis.claims.kinds import STAY, KindHit, kind_of
from immstat.analysis.claims.lexicon import (
    AVERAGE_RE,
    CHANGE_RE,
    TARGET_RE,
    find_markers,
    find_per_office,
    find_rates,
    lexicon,
)
from immstat.analysis.claims.masks import masked_spans
from immstat.analysis.claims.models import NATIONAL, Claim
from immstat.analysis.claims.numbers import Amount, find_amounts
from immstat.analysis.claims.periods import PeriodMention, find_periods
from immstat.analysis.claims.scope import find_scopes
from immstat.analysis.claims.text import nearest, sentences, words_between

RATE_WINDOW = 6
INHERIT_WINDOW = 8    # words between a number of people and the earlier figure it may borrow a kind from
_CONTRAST_RE = re.compile(r"\b(?:but|whereas|although|though|compared\s+(?:with|to)|versus|vs\.|short\s+of|"
                          r"(?:up|down)\s+from|according\s+to)\b", re.I)
_NATIONAL_RE = re.compile(r"\b(?:nationwide|nationally|national|across\s+the\s+(?:country|nation|U\.S\.))\b",
                          re.I)
_APPOSITION = re.compile(r"[,—–]\s*(?:(?:[a-z]+\s+)?(?:an?|the)\s*)?$")
_MULTIPLE_BEFORE_BASE = re.compile(r"\b(?:double|triple|twice|half|times)$", re.I)
_MORE = re.compile(r"\b(?:another|other|more|additional|further|remaining)\s*$", re.I)
_AVERAGE_QUALIFIERS = ("an average of", "on average", "averaging", "averaged")


@dataclass
class _Sentence:
    """One sentence's words, as character spans into the whole text."""

    span: tuple[int, int]
    amounts: list[Amount]
    kinds: list
    periods: list[PeriodMention]
    ctx: dict[str, list]
    claims: list[Claim] = field(default_factory=list)


def extract(text: str, doc_date: dt.date | None = None, *, include_rejected: bool = False) -> list[Claim]:
    """Claims in ``text`` in order; relative periods are resolved against ``doc_date``."""
    from immstat.analysis.claims.mapping import map_claim

    spans_of_sentences = sentences(text)
    masks = masked_spans(text, spans_of_sentences)
    periods = find_periods(text, doc_date)
    blocked = [(s, e) for s, e, _ in masks] + [(p.start, p.end) for p in periods]
    amounts, dropped = find_amounts(text, blocked)
    spans = [(a.start, a.end) for a in amounts]
    lex = lexicon()
    kinds = [k for k in lex.find(text) if not any(k[0] < e and s < k[1] for s, e in spans)]
    context = {
        "scope": find_scopes(text), "rate": find_rates(text), "per": find_per_office(text),
        "target": find_markers(TARGET_RE, text), "average": find_markers(AVERAGE_RE, text),
        "change": find_markers(CHANGE_RE, text), "contrast": find_markers(_CONTRAST_RE, text),
    }
    talk = Discourse(doc_date)
    claims: list[Claim] = []
    for s_start, s_end in spans_of_sentences:

        def inside(items, s_start=s_start, s_end=s_end):
            return [i for i in items if s_start <= i[0] and i[1] <= s_end]

        sent = _Sentence((s_start, s_end), [a for a in amounts if s_start <= a.start < s_end],
                         inside(kinds), [p for p in periods if s_start <= p.start and p.end <= s_end],
                         {k: inside(v) for k, v in context.items()})
        for amount in sent.amounts:
            claim = _claim(text, sent, amount, talk)
            if claim.rejected is None:
                claim.metric = map_claim(claim, doc_date).metric
                sent.claims.append(claim)
            elif include_rejected:
                claims.append(claim)
        talk.respectively(text, sent.span, sent.claims, sent.periods)
        claims.extend(sent.claims)
        talk.remember(text, sent.span, sent.claims, sent.kinds, sent.periods, sent.ctx["scope"])
        if include_rejected:
            claims.extend(_rejected(text, sent.span, atom, masks, periods) for atom in dropped
                          if s_start <= atom.start < s_end)
    return sorted(claims, key=lambda c: c.start)


def _claim(text: str, sent: _Sentence, amount: Amount, talk: Discourse) -> Claim:
    lex = lexicon()
    anchor = (amount.start, amount.end)
    others = [(a.start, a.end) for a in sent.amounts if a is not amount]
    hit = kind_of(text, amount, sent.kinds, others, lex, sent.span)
    previous = sent.claims[-1] if sent.claims else None
    kind, source = hit.kind, "own"
    if hit.rejected:
        return _bare(text, sent.span, amount, hit.rejected)
    base_claim = None
    if previous is not None and _about_previous(text, amount, hit):
        kind, source = previous.kind, "sentence"
        if len(sent.claims) > 1 and is_baseline(text, sent.span[0], previous.start):
            previous, base_claim = sent.claims[-2], previous  # "A, compared with B — a 47% increase"
    if kind is None:
        kind, source = _borrowed_kind(text, sent, amount, hit, previous, talk)
        if kind == STAY and amount.unit == "count":
            kind = None  # a count is never a number of days
    if kind is None:
        return _bare(text, sent.span, amount, "no enforcement unit near the number")
    lender = previous if source == "sentence" else talk.last if source == "discourse" else None
    start, end = anchor
    if hit.span and words_between(text, min(hit.span[1], end), max(hit.span[0], start)) <= 4:
        start, end = min(start, hit.span[0]), max(end, hit.span[1])
    near_kind = (min(start, anchor[0]), max(end, anchor[1]))
    rate = nearest(text, near_kind, sent.ctx["rate"], others, max_words=RATE_WINDOW, left_penalty=0.5)
    baseline = is_baseline(text, sent.span[0], amount.start)
    if baseline and previous is not None and lender is None:
        lender = previous  # "up from 39,000": the base of the figure before it, at the same rate
    rate_unit = rate[2] if rate else (lender.rate if lender and lender.unit == amount.unit else None)
    per = nearest(text, near_kind, sent.ctx["per"], others, max_words=RATE_WINDOW)
    barriers = [(s, e) for s, e, _ in sent.ctx["contrast"]]
    relative = amount.unit in ("percent", "ratio")
    base = relative_base(text, anchor, sent.periods) if relative else None
    stock = lex.kinds[kind].stock
    mentions = [p for p in sent.periods if p is not base and (stock or not p.said)]
    mention = choose_period(text, anchor, mentions, [(a.start, a.end) for a in sent.amounts], barriers,
                            baseline)
    period = resolve(mention, sent.claims, talk) if mention else None
    if mention is None and lender is not None and source == "sentence":
        period = lender.period
    elif mention is None and not baseline and (source == "discourse" or not stock):
        period = talk.period  # no time phrase within reach: the time of the sentences before
    if stock and period is not None and period.start is None and period.end is not None:
        period = type(period)(period.label, period.end, period.end, period.calendar)
    scope = choose_scope(text, anchor, sent.ctx["scope"], others, barriers)
    carried_scope = None if sent.ctx["scope"] or _NATIONAL_RE.search(text, *sent.span) else talk.scope
    changed = _close(text, near_kind, sent.ctx["change"], others, 4)
    comparison = {"ratio": "multiple", "percent": "change" if changed else "share"}.get(amount.unit)
    claim = Claim(
        value=amount.value, low=amount.low, high=amount.high, qualifier=amount.qualifier, bound=amount.bound,
        unit=amount.unit, kind=kind, rate=rate_unit, period=period,
        scope=scope[2] if scope else (lender.scope if baseline and lender else carried_scope or NATIONAL),
        quote=text[sent.span[0]:sent.span[1]], start=start, end=end, text=text[start:end],
        per=per[2] if per else None, comparison=comparison,
        target=_before(text, anchor, sent.ctx["target"], others, 10)
        or any(s >= anchor[1] and words_between(text, anchor[1], s) <= 3 for s, _e, _ in sent.ctx["target"]),
        average=amount.qualifier in _AVERAGE_QUALIFIERS
        or _close(text, near_kind, sent.ctx["average"], others, 5),
        stock=stock,
    )
    if base_claim is not None and previous is not None:
        claim.period, claim.base_period = previous.period, base_claim.period
    elif comparison in ("change", "multiple"):
        claim.base_period = talk.base_period(base, claim)
    return claim


def _about_previous(text: str, amount: Amount, hit: KindHit) -> bool:
    """A change or multiple that describes the figure before it: in apposition ("…, a 30 percent
    drop") or written before its base ("nearly triple its rated capacity")."""
    if amount.unit not in ("percent", "ratio"):
        return False
    if _APPOSITION.search(text, 0, amount.start):
        return True
    return amount.unit == "ratio" and hit.span is not None and hit.span[0] >= amount.end \
        and bool(_MULTIPLE_BEFORE_BASE.search(text, amount.start, amount.end))


def _borrowed_kind(text: str, sent: _Sentence, amount: Amount, hit: KindHit, previous: Claim | None,
                   talk: Discourse) -> tuple[str | None, str]:
    """A kind for a number whose own words name none: the figure before it in the sentence, the
    last figure of the sentences before, or ``other`` in a sentence about enforcement."""
    if previous is not None and (not hit.counted or words_between(text, previous.end, amount.start)
                                 <= INHERIT_WINDOW) and (previous.unit == amount.unit
                                                         or amount.unit in ("percent", "ratio")):
        return previous.kind, "sentence"
    if talk.kind is not None and (not hit.counted or (hit.person and _MORE.search(text, 0, amount.start))):
        return talk.kind, "discourse"
    magnitude = (amount.value or amount.high or 0) >= 100 or amount.qualifier or amount.unit != "count"
    about_enforcement = lexicon().enforcement(text[sent.span[0]:sent.span[1]]) or talk.enforcement
    if about_enforcement and (hit.person or (not hit.counted and magnitude)):
        return "other", "own"
    return None, "own"


def _close(text: str, anchor: tuple[int, int], markers, blockers, window: float) -> bool:
    return nearest(text, anchor, markers, blockers, max_words=window, left_penalty=0) is not None


def _before(text: str, anchor: tuple[int, int], markers, blockers, window: int) -> bool:
    """True if a marker precedes the number within ``window`` words, with no other number between."""
    return any(
        e <= anchor[0] and words_between(text, e, anchor[0]) <= window
        and not any(e <= bs and be <= anchor[0] for bs, be in blockers)
        for _s, e, _ in markers
    )


def _bare(text: str, sentence: tuple[int, int], atom: Amount, reason: str) -> Claim:
    """A number that is not a claim, with the reason (for ``include_rejected``)."""
    return Claim(value=atom.value, low=atom.low, high=atom.high, qualifier=None, bound=atom.bound,
                 unit=atom.unit, kind=None, rate=None, period=None, scope=NATIONAL,
                 quote=text[sentence[0]:sentence[1]], start=atom.start, end=atom.end,
                 text=text[atom.start:atom.end], rejected=reason)


def _rejected(text: str, sentence: tuple[int, int], atom: Amount, masks, periods) -> Claim:
    reason = next((r for s, e, r in masks if atom.start < e and s < atom.end), None)
    reason = reason or (
        "date or period" if any(atom.start < p.end and p.start < atom.end for p in periods) else "masked"
    )
    return _bare(text, sentence, atom, reason)
