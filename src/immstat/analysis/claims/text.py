"""Sentence splitting and the one rule that links a number to the words around it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol, TypeVar


class _Spanned(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


T = TypeVar("T")
S = TypeVar("S", bound=_Spanned)
_ABBREV = {
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "no",
    "gov",
    "sen",
    "rep",
    "gen",
    "lt",
    "col",
    "sgt",
    "jr",
    "sr",
    "inc",
    "co",
    "corp",
    "vs",
    "u.s",
    "u.s.c",
    "d.c",
    "a.m",
    "p.m",
    "e.g",
    "i.e",
    "approx",
    "est",
    "ft",
    "mt",
    "pres",
}
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“'(\[]?[A-Z0-9$])|\n\s*|;\s+")
_WORD = re.compile(r"[\w$%]+")
_PUNCT = re.compile(r"[,:()—–]")  # a clause boundary in the gap costs one word more


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or ';'-clause, whitespace trimmed, in order."""
    spans, start = [], 0
    for m in _BOUNDARY.finditer(text):
        before = re.search(r"([\w.]+)\.$", text[start : m.start() + 1].rstrip("!?\"”’')]"))
        if (
            m.group(0)[0] == "."
            and before
            and (before.group(1).lower() in _ABBREV or len(before.group(1)) == 1)
        ):
            continue
        spans.append(
            (start, m.start() + len(m.group(0).rstrip()) if m.group(0)[0] in ".!?" else m.start())
        )
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def non_overlapping(items: Sequence[S]) -> list[S]:
    """Keep the longest of overlapping items (earliest on ties), in text order (items have .start/.end)."""
    kept: list[S] = []
    for item in sorted(items, key=lambda i: (-(i.end - i.start), i.start)):
        if all(item.end <= k.start or item.start >= k.end for k in kept):
            kept.append(item)
    return sorted(kept, key=lambda i: i.start)


def words_between(text: str, a: int, b: int) -> int:
    return len(_WORD.findall(text[a:b])) if a < b else 0


def nearest(
    text: str,
    anchor: tuple[int, int],
    candidates: Sequence[tuple[int, int, T]],
    blockers: Sequence[tuple[int, int]] = (),
    *,
    max_words: float,
    left_penalty: float = 0.5,
    block_penalty: float = 6.0,
    barriers: Sequence[tuple[int, int]] = (),
) -> tuple[int, int, T] | None:
    """The candidate closest to ``anchor`` in words.

    Candidates to the left cost ``left_penalty`` extra; a candidate with another number
    (a blocker) between it and the anchor costs ``block_penalty`` extra, because it is more
    likely that number's word; each comma, colon, bracket or dash in between costs one more
    word; one behind a ``barrier`` (a contrast such as "but", "up from")
    is out of reach. Ties go to the candidate on the right.
    """
    best, best_cost = None, max_words + 1e-9
    for cand in candidates:
        s, e, _ = cand
        cost, gap = distance(text, anchor, (s, e), left_penalty)
        if any(gap[0] <= bs and be <= gap[1] for bs, be in blockers):
            cost += block_penalty
        if any(gap[0] <= bs and be <= gap[1] for bs, be in barriers):
            continue
        if cost < best_cost or (cost == best_cost and best is not None and s > best[0]):
            best, best_cost = cand, cost
    return best


def distance(text: str, anchor: tuple[int, int], span: tuple[int, int],
             left_penalty: float = 0.5) -> tuple[float, tuple[int, int]]:
    """Words from ``anchor`` to ``span`` (plus one per comma, colon, bracket or dash between, plus
    ``left_penalty`` when ``span`` is to the left) and the gap between them."""
    s, e = span
    if s >= anchor[1]:
        gap, cost = (anchor[1], s), float(words_between(text, anchor[1], s))
    elif e <= anchor[0]:
        gap, cost = (e, anchor[0]), words_between(text, e, anchor[0]) + left_penalty
    else:
        gap, cost = (0, 0), 0.0
    return cost + len(_PUNCT.findall(text, gap[0], gap[1])), gap
