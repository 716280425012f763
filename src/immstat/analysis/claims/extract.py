"""``extract(text, doc_date)``: every numeric claim about immigration enforcement in a text.

A number becomes a claim when an enforcement kind from the synonyms table is near it in the
same sentence. Numbers that are dates, ages, addresses, phone numbers, legal citations,
ordinals or identifiers are never claims; numbers with no enforcement kind nearby are not
claims either (they are returned, with ``rejected`` set, only when ``include_rejected=True``).
"""

from __future__ import annotations

import datetime as dt
import re

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
from immstat.analysis.claims.periods import find_periods
from immstat.analysis.claims.scope import find_scopes
from immstat.analysis.claims.text import nearest, sentences, words_between

KIND_WINDOW = 12      # words between a number and its kind phrase, at most
RATE_WINDOW = 6
PERIOD_WINDOW = 40
SCOPE_WINDOW = 40
INHERIT_WINDOW = 8    # words between a kind-less number and the previous claim it may borrow from
_CONTRAST_RE = re.compile(r"\b(?:but|while|whereas|although|though|compared\s+(?:with|to)|versus|vs\.|"
                          r"(?:up|down)\s+from)\b", re.I)
_NEXT_WORD_RE = re.compile(r"\s*([a-z][\w-]*s)\b")
_BASELINE_RE = re.compile(r"\b(?:from|compared\s+(?:with|to)|versus|vs\.?|than|against)\s*$", re.I)


def extract(text: str, doc_date: dt.date | None = None, *, include_rejected: bool = False) -> list[Claim]:
    """Claims in ``text`` in order; relative periods are resolved against ``doc_date``."""
    from immstat.analysis.claims.mapping import map_claim

    masks = masked_spans(text)
    periods = find_periods(text, doc_date)
    blocked = [(s, e) for s, e, _ in masks] + [(p.start, p.end) for p in periods]
    amounts, dropped = find_amounts(text, blocked)
    spans = [(a.start, a.end) for a in amounts]
    lex = lexicon()
    kinds = [k for k in lex.find(text) if not any(k[0] < e and s < k[1] for s, e in spans)]
    weak = {name for name, spec in lex.kinds.items() if spec.weak}
    context = {
        "period": [(p.start, p.end, p.period) for p in periods],
        "scope": find_scopes(text), "rate": find_rates(text), "per": find_per_office(text),
        "target": find_markers(TARGET_RE, text), "average": find_markers(AVERAGE_RE, text),
        "change": find_markers(CHANGE_RE, text), "contrast": find_markers(_CONTRAST_RE, text),
    }
    claims: list[Claim] = []
    for s_start, s_end in sentences(text):
        def inside(items, s_start=s_start, s_end=s_end):
            return [i for i in items if s_start <= i[0] and i[1] <= s_end]

        local = [a for a in amounts if s_start <= a.start < s_end]
        local_kinds, local_ctx = inside(kinds), {k: inside(v) for k, v in context.items()}
        previous: Claim | None = None
        for amount in local:
            blockers = [(a.start, a.end) for a in local if a is not amount]
            strong = [k for k in local_kinds if k[2] not in weak
                      or (k[0] >= amount.end and words_between(text, amount.end, k[0]) <= 1)]
            claim = _claim(text, (s_start, s_end), amount, blockers, strong, local_ctx, previous)
            if claim.kind is not None:
                previous = claim
                claim.metric = map_claim(claim, doc_date).metric
                claims.append(claim)
            elif include_rejected:
                claim.rejected = "no enforcement unit near the number"
                claims.append(claim)
        if include_rejected:
            for atom in dropped:
                if s_start <= atom.start < s_end:
                    claims.append(_rejected(text, (s_start, s_end), atom, masks, periods))
    return sorted(claims, key=lambda c: c.start)


def _claim(text: str, sentence: tuple[int, int], amount: Amount, blockers, kinds, ctx,
           previous: Claim | None) -> Claim:
    anchor = (amount.start, amount.end)
    baseline = bool(_BASELINE_RE.search(text[max(sentence[0], amount.start - 25):amount.start]))
    share_of = amount.unit == "percent" and re.match(r"\s+of\b", text[amount.end:amount.end + 4])
    hit = nearest(text, anchor, kinds, blockers, max_words=KIND_WINDOW, left_penalty=3 if share_of else 0.5)
    own_noun = _NEXT_WORD_RE.match(text, amount.end)
    if own_noun and amount.unit == "count" and own_noun.group(1).lower() not in lexicon().carriers \
            and not any(k[0] == own_noun.start(1) for k in kinds):
        hit = None  # "20 sectors", "12 kilograms": the number counts something else
    kind = "funding" if amount.unit == "usd" else (hit[2] if hit else None)
    inherit = (
        kind is None
        and previous is not None
        and words_between(text, previous.end, amount.start) <= INHERIT_WINDOW
        and (previous.unit == amount.unit or amount.unit in ("percent", "ratio"))
    )
    kind = previous.kind if inherit else kind
    start, end = anchor
    if hit and words_between(text, min(hit[1], anchor[1]), max(hit[0], anchor[0])) <= 4:
        start, end = min(start, hit[0]), max(end, hit[1])
    near_kind = (min(start, anchor[0]), max(end, anchor[1]))

    def close(name: str, window: float) -> bool:
        return (
            nearest(text, near_kind, ctx[name], blockers, max_words=window, left_penalty=0) is not None
        )

    rate = nearest(text, near_kind, ctx["rate"], blockers, max_words=RATE_WINDOW, left_penalty=0.5)
    per = nearest(text, near_kind, ctx["per"], blockers, max_words=RATE_WINDOW)
    barriers = [(s, e) for s, e, _ in ctx["contrast"]]
    period = nearest(
        text,
        anchor,
        ctx["period"],
        blockers,
        max_words=PERIOD_WINDOW,
        left_penalty=1,
        block_penalty=PERIOD_WINDOW if baseline else 10,
        barriers=barriers,
    )
    if rate is None and inherit:
        rate = (0, 0, previous.rate)
    scope = nearest(
        text,
        anchor,
        ctx["scope"],
        blockers,
        max_words=SCOPE_WINDOW,
        left_penalty=0,
        block_penalty=10,
        barriers=barriers,
    )
    comparison = {"ratio": "multiple", "percent": "change" if close("change", 4) else "share"}.get(
        amount.unit
    )
    return Claim(
        value=amount.value,
        low=amount.low,
        high=amount.high,
        qualifier=amount.qualifier,
        bound=amount.bound,
        unit=amount.unit,
        kind=kind,
        rate=rate[2] if rate else None,
        period=period[2] if period else None,
        scope=scope[2] if scope else NATIONAL,
        quote=text[sentence[0] : sentence[1]],
        start=start,
        end=end,
        text=text[start:end],
        per=per[2] if per else None,
        comparison=comparison,
        target=_before(text, anchor, ctx["target"], blockers, 10),
        average=amount.qualifier in ("an average of", "on average", "averaging", "averaged")
        or close("average", 5),
    )


def _before(text: str, anchor: tuple[int, int], markers, blockers, window: int) -> bool:
    """True if a marker precedes the number within ``window`` words, with no other number between."""
    for _s, e, _ in markers:
        if (
            e <= anchor[0]
            and words_between(text, e, anchor[0]) <= window
            and not any(e <= bs and be <= anchor[0] for bs, be in blockers)
        ):
            return True
    return False


def _rejected(text: str, sentence: tuple[int, int], atom: Amount, masks, periods) -> Claim:
    reason = next((r for s, e, r in masks if atom.start < e and s < atom.end), None)
    reason = reason or (
        "date or period" if any(atom.start < p.end and p.start < atom.end for p in periods) else "masked"
    )
    return Claim(
        value=atom.value,
        low=atom.low,
        high=atom.high,
        qualifier=None,
        bound=atom.bound,
        unit=atom.unit,
        kind=None,
        rate=None,
        period=None,
        scope=NATIONAL,
        quote=text[sentence[0] : sentence[1]],
        start=atom.start,
        end=atom.end,
        text=text[atom.start : atom.end],
        rejected=reason,
    )
