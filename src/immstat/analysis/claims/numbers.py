"""Numbers as written in prose: digits, scales, number words, vague quantities, fractions,
multipliers, ranges and the qualifiers that turn a number into a bound.

:func:`find_amounts` returns :class:`Amount` objects with character offsets; it knows nothing
about what is counted (that is :mod:`immstat.analysis.claims.lexicon`) or which numbers are not claims
(:mod:`immstat.analysis.claims.masks`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from immstat.analysis.claims.text import non_overlapping

UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split())
        if i > 1}
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3, "m": 1e6, "mn": 1e6,
          "mln": 1e6, "b": 1e9, "bn": 1e9}
_WORD = "|".join(
    sorted([*UNITS, *TENS, "hundred", "thousand", "million", "billion", "dozen"], key=len, reverse=True)
)

# Vague quantities → (low, high): a documented convention, not a fact.
VAGUE = {
    "dozens": (24, 144), "hundreds": (100, 999), "thousands": (1_000, 9_999), "millions": (1e6, 9.999e6),
    "tens of thousands": (10_000, 99_999), "hundreds of thousands": (100_000, 999_999),
    "tens of millions": (1e7, 9.999e7), "several hundred": (200, 999), "several thousand": (2_000, 9_999),
    "a few hundred": (200, 999), "a few thousand": (2_000, 9_999),
}
FRACTIONS = {
    **dict.fromkeys(["half", "one half", "one-half"], 50.0),
    **dict.fromkeys(["a third", "one third", "one-third"], 100 / 3),
    **dict.fromkeys(["two-thirds", "two thirds"], 200 / 3),
    **dict.fromkeys(["a quarter", "one quarter", "one-quarter"], 25.0),
    **dict.fromkeys(["three-quarters", "three quarters"], 75.0),
    **dict.fromkeys(["a fifth", "one-fifth"], 20.0), "a tenth": 10.0,
}
MULTIPLIERS = {**dict.fromkeys(["doubled", "doubling", "double", "twice"], 2),
               **dict.fromkeys(["tripled", "tripling", "triple", "trebled"], 3),
               **dict.fromkeys(["quadrupled", "quadrupling"], 4), "halved": 0.5}

# qualifier (lower case, as written) → bound. Longest alternatives are tried first.
QUALIFIERS = {
    **dict.fromkeys([
        "more than", "over", "above", "in excess of", "upwards of", "upward of", "exceeding", "north of",
        "just over", "well over", "slightly more than", "a little over", "a little more than", "well above",
        "topping", "topped", "tops", "top", "past", "surpassing", "surpassed", "surpasses", "exceeds",
        "exceeded", "greater than", "beyond"], "gt"),
    **dict.fromkeys(["at least", "a minimum of", "no fewer than", "no less than", "not less than",
                     "as few as"], "ge"),
    **dict.fromkeys([
        "nearly", "almost", "just under", "just shy of", "approaching", "nearing", "just below",
        "fewer than", "less than", "under", "below", "well under", "well below", "slightly less than",
        "slightly fewer than", "a little under", "a little less than"], "lt"),
    **dict.fromkeys(["up to", "as many as", "as much as", "a maximum of", "no more than", "not more than",
                     "at most", "a high of"], "le"),
    **dict.fromkeys(["approximately", "about", "around", "roughly", "some", "an estimated", "estimated",
                     "close to", "circa", "~", "approx.", "on the order of", "or so"], "approx"),
    **dict.fromkeys(["exactly", "precisely", "only", "just", "a record", "an average of", "on average",
                     "averaging", "averaged", "an all-time high of", "a total of"], "eq"),
}
_QUAL_RE = re.compile(
    r"(?:^|(?<=[\s(\"“]))("
    + "|".join(re.escape(q) for q in sorted(QUALIFIERS, key=len, reverse=True))
    + r")(?:\s+an?(?=\s))?\s*$",
    re.I,
)
_PHRASAL = re.compile(r"\b(?:turn(?:ed|s|ing)?|hand(?:ed|s|ing)?)\s*$", re.I)
_POSTFIX_RE = re.compile(r"^(?:\s*(or more|or so|or fewer|or less)\b|-plus\b|\+|\s+plus\b)", re.I)

_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_DIGIT_RE = re.compile(
    r"(?<![\w.,/$])(?<![A-Za-z]-)(?P<money>\$\s?)?(?P<num>" + _DIGITS + r")(?!,\d)"
    r"(?:\s*(?P<word_scale>thousand|million|billion|trillion|mln)\b|(?P<suffix>[kKMB]|bn|mn)\b)?"
    r"(?P<pct>\s*(?:%|percent\b|per\s+cent\b))?"
)
_DAYS_AFTER = re.compile(r"\s+days\b", re.I)  # an average stay ("46 days"), where not masked
_WORDRUN_RE = re.compile(
    r"\b(?:a\s+(?=(?:hundred|thousand|million|billion|dozen)\b))?(?:" + _WORD + r")"
    r"(?:(?:[\s-]+(?:and[\s-]+)?)(?:" + _WORD + r"))*\b",
    re.I,
)
_HALF_SCALE_RE = re.compile(r"\b(?:a\s+)?(half|quarter)(?:\s+a)?\s+(million|billion)\b", re.I)
_VAGUE_RE = re.compile(r"\b(" + "|".join(sorted(VAGUE, key=len, reverse=True)) + r")\b", re.I)
_FRACTION_RE = re.compile(
    r"(?<!first )(?<!second )(?<!last )(?<!third )(?<!fourth )(?<!final )\b("
    + "|".join(sorted(FRACTIONS, key=len, reverse=True))
    + r")(?:\s+(?=of\b)|(?<=by half)|"
    r"(?<=by a third)|(?<=by two-thirds)|(?<=by a quarter))",
    re.I,
)
_ONE_IN_RE = re.compile(
    r"\b(\d+|"
    + _WORD
    + r")\s+(?:in|out\s+of)\s+(\d+|"
    + _WORD
    + r")\b(?=\s+(?:[\w-]+\s+){0,8}?(?:of|were|was|are|is|had|have|has)\b)",
    re.I,
)
_HALF_THE_RE = re.compile(r"\bhalf\s+(?=the\s+(?:number|total|level|pace|figure|amount|rate|count)\b)", re.I)
_WORD_PCT_RE = re.compile(r"\s*(?:%|percent\b|per\s+cent\b)", re.I)
_MULT_RE = re.compile(r"\b(" + "|".join(MULTIPLIERS) + r")\b(?!-digit)", re.I)
_TIMES_RE = re.compile(r"^\s*(?:times\b|-fold\b|fold\b)", re.I)
_RANGE_SEP_RE = re.compile(r"^\s*(?:-|–|—|to|through|and|or)\s*$", re.I)
_CHANGE_FROM_RE = re.compile(
    r"\b(?:rose|risen|rising|increased?|increasing|grew|grown|jumped|climbed|fell|fallen|"
    r"dropped|declined|decreased?|went|surged|soared|plunged|up|down)\s+(?:\w+\s+)?from\s*$",
    re.I,
)


@dataclass(frozen=True)
class Amount:
    """A number as written: ``value`` (None for a range), bounds, unit and qualifier."""

    start: int
    end: int
    value: float | None
    low: float | None = None
    high: float | None = None
    unit: str = "count"  # count | percent | ratio | usd | days
    bound: str = "eq"
    qualifier: str | None = None
    scale: float = 1.0  # multiplier applied from a scale word/suffix
    bare: bool = False  # plain digits, no comma/decimal/scale/unit (year-like check)
    vague: bool = False


def parse_words(text: str) -> float | None:
    """Value of an English number-word run ('two hundred thousand', 'a dozen', 'twenty-five')."""
    total, current, seen = 0.0, 0.0, False
    for word in re.split(r"[\s-]+", text.lower()):
        if word in ("and", "a"):
            continue
        if word in UNITS or word in TENS:
            current += UNITS.get(word, TENS.get(word, 0))
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "dozen":
            current = (current or 1) * 12
        elif word in ("thousand", "million", "billion"):
            total += (current or 1) * SCALES[word]
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


def _atoms(text: str) -> list[Amount]:
    found: list[Amount] = []
    for m in _DIGIT_RE.finditer(text):
        raw = m.group("num")
        value = float(raw.replace(",", ""))
        scale_word = (m.group("word_scale") or m.group("suffix") or "").lower()
        scale = SCALES.get(scale_word, 1.0)
        unit = ("percent" if m.group("pct") else "usd" if m.group("money")
                else "days" if not scale_word and _DAYS_AFTER.match(text, m.end()) else "count")
        bare = not scale_word and unit == "count" and "," not in raw and "." not in raw
        found.append(Amount(m.start(), m.end(), value * scale, unit=unit, scale=scale, bare=bare))
    for m in _WORDRUN_RE.finditer(text):
        words = parse_words(m.group(0))
        if words is None or m.group(0).lower() in ("one", "zero", "dozen", "hundred", "thousand"):
            continue
        value = words
        scale = next(
            (SCALES[w] for w in ("billion", "million", "thousand") if w in m.group(0).lower()), 1.0
        )
        pct = _WORD_PCT_RE.match(text, m.end())
        if pct:  # "ninety-three percent"
            found.append(Amount(m.start(), pct.end(), value, unit="percent"))
            continue
        found.append(Amount(m.start(), m.end(), value, scale=scale))
    for m in _HALF_SCALE_RE.finditer(text):
        frac = 0.5 if m.group(1).lower() == "half" else 0.25
        found.append(Amount(m.start(), m.end(), frac * SCALES[m.group(2).lower()]))
    for m in _VAGUE_RE.finditer(text):
        low, high = VAGUE[m.group(1).lower()]
        found.append(
            Amount(
                m.start(),
                m.end(),
                None,
                low,
                high,
                bound="range",
                qualifier=m.group(1).lower(),
                vague=True,
            )
        )
    for m in _FRACTION_RE.finditer(text):
        found.append(
            Amount(
                m.start(), m.start(1) + len(m.group(1)), FRACTIONS[m.group(1).lower()], unit="percent"
            )
        )
    for m in _ONE_IN_RE.finditer(text):
        num, den = (_number(g) for g in m.groups())
        if num and den and num < den:
            found.append(Amount(m.start(), m.end(), round(100 * num / den, 1), unit="percent"))
    for m in _HALF_THE_RE.finditer(text):  # "half the number of the year before"
        found.append(Amount(m.start(), m.start() + 4, 0.5, unit="ratio"))
    for m in _MULT_RE.finditer(text):
        found.append(Amount(m.start(), m.end(), MULTIPLIERS[m.group(1).lower()], unit="ratio"))
    return non_overlapping(found)


def _number(token: str) -> float | None:
    return float(token) if token.isdigit() else parse_words(token)


def _join_ranges(text: str, atoms: list[Amount]) -> list[Amount]:
    out: list[Amount] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        if b is not None and a.value is not None and b.value is not None and _is_range(text, a, b):
            low = (
                a.value * b.scale
                if a.scale == 1.0 and b.scale > 1 and a.value * b.scale <= b.value
                else a.value
            )
            unit = b.unit if a.unit == "count" else a.unit
            between = re.search(r"\b(?:between|from)\s*$", text[max(0, a.start - 9) : a.start], re.I)
            start = a.start - len(between.group(0)) if between else a.start
            out.append(
                Amount(start, b.end, None, low, b.value, unit=unit, bound="range", qualifier="range")
            )
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def _is_range(text: str, a: Amount, b: Amount) -> bool:
    gap = text[a.end : b.start]
    if not _RANGE_SEP_RE.match(gap) or a.unit == "ratio" or b.unit == "ratio":
        return False
    before = text[max(0, a.start - 40) : a.start]
    word = gap.strip().lower()
    if a.value is None or b.value is None:
        return False
    if word == "and":
        return bool(re.search(r"\bbetween\s*$", before, re.I))
    if word in ("to", "through") and _CHANGE_FROM_RE.search(before):
        return False
    if word == "or":
        return b.value < 100
    if word in ("-", "–", "—") and (
        a.bare and b.bare and a.value >= 1900 and b.value <= 2100 and b.value >= 1900
    ):
        return False  # "2023-2024" is a span of years
    return a.value <= b.value


def _qualify(text: str, amount: Amount) -> Amount:
    window = text[max(0, amount.start - 30) : amount.start]
    m = _QUAL_RE.search(window)
    if m and _PHRASAL.search(window[: m.start(1)]):
        m = None  # "turned over 250 inmates": a verb, not a bound
    if m:
        start = amount.start - (len(window) - m.start(1))
        if amount.bound == "range":
            amount = replace(amount, start=start)
        else:
            qual = m.group(1).lower()
            amount = replace(amount, start=start, qualifier=qual, bound=QUALIFIERS[qual], bare=False)
    post = _POSTFIX_RE.match(text[amount.end : amount.end + 12])
    if post and amount.bound in ("eq", "approx") and amount.value is not None:
        word = (post.group(1) or "plus").lower().strip("-+ ") or "plus"
        bound = {"or more": "ge", "plus": "ge", "or so": "approx", "or fewer": "le", "or less": "le"}[
            word
        ]
        amount = replace(amount, end=amount.end + post.end(), qualifier=word, bound=bound, bare=False)
    if amount.bound in ("gt", "ge"):
        amount = replace(amount, low=amount.value)
    elif amount.bound in ("lt", "le"):
        amount = replace(amount, high=amount.value)
    return amount


def find_amounts(text: str, masked: Sequence[tuple[int, int]] = ()) -> tuple[list[Amount], list[Amount]]:
    """Amounts in ``text`` → (kept, dropped); atoms overlapping a ``masked`` span are dropped."""
    kept: list[Amount] = []
    dropped: list[Amount] = []
    for atom in _atoms(text):
        (dropped if any(atom.start < e and s < atom.end for s, e in masked) else kept).append(atom)
    kept = [_times(text, a) for a in kept]
    return [_qualify(text, a) for a in _join_ranges(text, kept)], dropped


def _times(text: str, amount: Amount) -> Amount:
    m = _TIMES_RE.match(text[amount.end : amount.end + 8])
    if m and amount.unit == "count":
        return replace(amount, end=amount.end + m.end(), unit="ratio", bare=False)
    return amount
