"""What one number counts: the kind of enforcement measure it states, or why it states none.

In order (the first that answers wins):

0. Days: an average stay in ICE detention (``length_of_stay``) when the sentence says so;
   any other number of days is a duration, not a claim.
1. Money: amounts of a million dollars or more are program money (kind ``funding``); smaller
   sums are one person's money (a bond, a smuggling fee) and not claims.
2. The number's own noun phrase ("1,200 administrative arrests", "2,047 detainees"): a kind
   phrase in it decides. A plural head that is not a person ("20 sectors", "12 kilograms")
   counts something else — unless a kind phrase elsewhere in the sentence counts that noun
   ("897 law enforcement agencies" in a sentence about 287(g)).
3. The kind phrase nearest the number in its sentence (a number of people skips kinds that
   count things, or takes their ``people`` kind: "deportation flights carried 312 people").
4. Nothing: the caller may carry a kind over from the previous figure or call it ``other``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from immstat.analysis.claims.lexicon import Lexicon
from immstat.analysis.claims.masks import average_stay
from immstat.analysis.claims.nouns import NounPhrase, is_person, noun_phrase, personal
from immstat.analysis.claims.numbers import Amount
from immstat.analysis.claims.text import nearest, words_between

KIND_WINDOW = 12        # words between a number and its kind phrase, at most
STAY = "length_of_stay"  # the kind of a number of days: an average stay in detention
OTHER = "other"         # the kind of an enforcement figure whose measure has no name in the table
PROGRAM_MONEY = 1e6     # dollar amounts below this are one person's money, not a claim
_SHARE_OF = re.compile(r"\s+of\b")
_PP = re.compile(r"\s+(?:from|after|by|following)\s+(?:(?:an?|the|their|its|[A-Z]{2,4}|local|federal|state|"
                 r"prior|previous|earlier)\s+){0,3}", re.I)
_PARTITIVE = re.compile(r"\s+of\s+(?:the|those|them|these|all)\b", re.I)

Span = tuple[int, int, str]


@dataclass(frozen=True)
class KindHit:
    """The kind found for a number (None: none found), the phrase it came from, and why."""

    kind: str | None
    span: Span | None = None
    rejected: str | None = None   # the number is not a claim, and why
    noun: NounPhrase | None = None
    person: bool = False          # the number counts people
    counted: bool = False         # the number has its own plural noun (so it borrows no kind)


def kind_of(text: str, amount: Amount, kinds: list[Span], blockers: list[tuple[int, int]],
            lex: Lexicon, sentence: tuple[int, int] | None = None) -> KindHit:
    """The kind of ``amount`` from the words of its sentence (``sentence``; ``kinds``: its kind
    phrases)."""
    if amount.unit == "days":
        s_start, s_end = sentence or (0, len(text))
        if average_stay(text[s_start:s_end]):
            return KindHit(STAY, counted=True)
        return KindHit(None, rejected="a duration, not an enforcement figure")
    if amount.unit == "usd":
        if (amount.value or amount.high or 0) >= PROGRAM_MONEY:
            return KindHit("funding")
        return KindHit(None, rejected="a person's money (bond, fee), not a program figure")
    np = noun_phrase(text, amount.end) if amount.unit == "count" else None
    person = bool(np and np.plural and is_person(np.head, lex.people))
    if np and np.words:
        own = [k for k in kinds if np.start <= k[0] < np.end + 1]
        frame = _frame(text, amount, kinds, lex)
        if frame is not None and (person or own):
            return KindHit(frame[2], frame, noun=np, person=person, counted=True)
        if own:
            span = own[-1]
            return KindHit(_people_kind(span[2], lex) if person else span[2], span, noun=np,
                           person=person, counted=True)
        if person and amount.value is not None and amount.value <= 20 and personal(text, amount.start):
            return KindHit(None, rejected="one family's details, not an enforcement figure", noun=np)
        if np.plural and not person:
            head = (np.head or "").lower()
            counting = [k for k in kinds if head in lex.kinds[k[2]].counts]
            if counting:
                return KindHit(counting[0][2], counting[0], noun=np, counted=True)
            s_start, s_end = sentence or (0, len(text))
            if head in lex.kinds[OTHER].counts and lex.enforcement(text[s_start:s_end]):
                return KindHit(OTHER, noun=np, counted=True)  # "200 worksite raids"
            return KindHit(None, rejected=f"counts {np.head}, not an enforcement measure", noun=np)
    hit = _nearest_kind(text, amount, kinds, blockers, lex, person)
    if hit is None:
        return KindHit(None, noun=np, person=person, counted=bool(np and np.plural))
    return KindHit(_people_kind(hit[2], lex) if person else hit[2], hit, noun=np, person=person,
                   counted=bool(np and np.plural))


def _frame(text: str, amount: Amount, kinds: list[Span], lex: Lexicon) -> Span | None:
    """A capacity phrase just before the number ("can hold up to 3,000 detainees"): the number
    is a capacity whatever its noun (kinds whose ``people`` are themselves)."""
    for k in kinds:
        if k[1] <= amount.start and words_between(text, k[1], amount.start) <= 1 \
                and lex.kinds[k[2]].people == k[2]:
            return k
    return None


def _head_of_phrase(text: str, hit: Span, kinds: list[Span]) -> Span:
    """The kind a prepositional phrase hangs from: in "book-ins from CBP arrests" or "booked
    into detention after an arrest", the second kind describes the first."""
    for k in kinds:
        if k[1] <= hit[0] and _PP.fullmatch(text[k[1]:hit[0]]):
            return k
    return hit


def _people_kind(kind: str, lex: Lexicon) -> str:
    spec = lex.kinds[kind]
    return spec.people if spec.counts and spec.people else kind


def _nearest_kind(text: str, amount: Amount, kinds: list[Span], blockers, lex: Lexicon,
                  person: bool) -> Span | None:
    """The kind phrase nearest ``amount`` (weak kinds only right after it; for a number of people,
    no kind that counts things unless it says what its people are)."""
    usable = []
    for k in kinds:
        spec = lex.kinds[k[2]]
        if spec.weak and not (k[0] >= amount.end and words_between(text, amount.end, k[0]) <= 1):
            continue
        if person and spec.counts and not spec.people:
            continue
        usable.append(k)
    share_of = amount.unit == "percent" and _SHARE_OF.match(text, amount.end)
    partitive = _PARTITIVE.match(text, amount.end)
    hit = nearest(text, (amount.start, amount.end), usable, blockers, max_words=KIND_WINDOW,
                  left_penalty=3 if share_of or partitive else 0.5)
    return _head_of_phrase(text, hit, usable) if hit else None
