"""Numbers that are not claims: ages, times, durations and measures, addresses, phone numbers,
legal citations, vote tallies, ordinals, form and model numbers. Dates and years are handled as
periods (:mod:`immstat.analysis.claims.periods`).

:func:`masked_spans` returns ``(start, end, reason)`` for every such span; extraction drops any
number that overlaps one and, when asked, reports it with that reason.
"""

from __future__ import annotations

import re

_STREET = (
    r"St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Lane|Ln|Way|Pkwy|Parkway|Highway|Hwy|"
    r"Court|Ct|Place|Pl|Plaza|Terrace|Circle|Pike"
)
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("age", re.compile(r"\b\d{1,3}(?:\s*|-)(?:years?|yrs?|months?)(?:\s*|-)old\b", re.I)),
    ("age", re.compile(r"\b(?:aged?|ages)\s+\d{1,3}(?:\s*(?:to|-|and)\s*\d{1,3})?\b", re.I)),
    (
        "age",
        re.compile(
            r"\b(?:under|over)\s+(?:the\s+age\s+of\s+)?\d{1,2}\s+(?=years\b|(?:and|or)\s+(?:older|younger))",
            re.I,
        ),
    ),
    ("age", re.compile(r"\bin\s+(?:his|her|their)\s+\d0s\b", re.I)),
    ("age", re.compile(r"\b(?:who|he|she)\s+(?:is|was|turns|turned)\s+\d{1,3}\b(?!\s*(?:%|percent))", re.I)),
    ("age", re.compile(r"(?<=[A-Z][a-z]), \d{1,2},(?= (?:a|an|who|of|from)\b)")),
    (
        "age",
        re.compile(r"\b(?:was|is|were|are|turned)\s+\d{1,2}\s+(?=when|at\s+the\s+time|years)", re.I),
    ),
    (
        "measure",
        re.compile(
            r"(?:\b\d+(?:\.\d+)?|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
            r"fifteen|twenty|thirty|forty|fifty|sixty|ninety|hundred))[\s-]+(?:years?|months?|weeks?|days?|"
            r"hours?|minutes?|decades?|nights?|acres?|miles?|feet|pages?|points?|judges?)\b(?!\s+of\s+data)",
            re.I,
        ),
    ),
    ("time", re.compile(r"\b\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|\b\d{1,2}:\d{2}\b", re.I)),
    (
        "address",
        re.compile(
            r"\b\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:(?:[A-Z][a-z]+|\d+(?:st|nd|rd|th))\s+){1,3}(?:"
            + _STREET
            + r")\b\.?"
        ),
    ),
    (
        "address",
        re.compile(r"\b(?:Suite|Ste\.?|Room|Rm\.?|Floor|Unit|Apt\.?|Box|P\.O\. Box)\s+\d+\w*", re.I),
    ),
    ("address", re.compile(r"\b(?:Interstate|Highway|Route)\s+\d{1,3}\b|\b(?:I|US|SR)-\d{1,3}\b")),
    ("address", re.compile(r"(?<=[A-Z]{2} )\d{5}(?:-\d{4})?\b")),
    (
        "family",
        re.compile(r"\b(?:father|mother|parent|grandfather|grandmother)\s+of\s+(?:\d+|\w+)\b", re.I),
    ),
    (
        "time",
        re.compile(
            r"\b(?:between|from)\s+\d{1,2}\s+(?:and|to)\s+\d{1,2}\b(?=\s*(?:[.;,]|$|a\.m|p\.m|o'clock))",
            re.I,
        ),
    ),
    (
        "time",
        re.compile(
            r"\b(?:until|till|after|before)\s+(?:about\s+|around\s+)?\d{1,2}\b(?![\d,%]|\s+(?:percent|people|\w+s)\b)"
            r"|\b\d{1,2}\s+o'clock\b",
            re.I,
        ),
    ),
    (
        "vote",
        re.compile(
            r"\b(?:passed|approved|rejected|confirmed|adopted|vote[ds]?|voting|ruled|split|decided)\b[^.;]{0,30}?"
            r"\b\d{1,3}\s*(?:-|–|to)\s*\d{1,3}\b"
            r"|\b\d{1,3}\s*(?:-|–|to)\s*\d{1,3}\s+(?:vote|margin|decision|ruling)\b",
            re.I,
        ),
    ),
    ("phone", re.compile(r"(?:\b1[-. ])?(?:\(\d{3}\)\s?|\b\d{3}[-. ])\d{3}[-. ]\d{4}\b")),
    ("phone", re.compile(r"\b1-8\d\d-[A-Z0-9-]{7,}\b")),
    (
        "citation",
        re.compile(
            r"\b(?:Section|Sec\.|Sections|§+)\s*\d+[\w.()\-]*(?:\s*(?:and|or|,)\s*\d+[\w.()\-]*)*", re.I
        ),
    ),
    ("citation", re.compile(r"\b\d+[a-z]?(?:\([a-z0-9]+\))+")),
    (
        "citation",
        re.compile(
            r"\b\d+\s+(?:U\.?S\.?C\.?|C\.?F\.?R\.?|Fed\.?\s*Reg\.?|F\.\s*(?:Supp\.\s*)?\d?d?|S\.\s*Ct\.)\s*(?:§+\s*)?\d+[\w.()\-]*"
        ),
    ),
    (
        "citation",
        re.compile(
            r"\b(?:Title|Executive\s+Order|EO|Proclamation|Public\s+Law|Pub\.\s*L\.|P\.L\.|H\.R\.|(?<![.\w])S\.|"
            r"Rule|Form|Docket|Case|No\.|Article|Amendment|Chapter|Paragraph|Bill|"
            r"Resolution|Directive|Memo|Memorandum|Order)\s*(?:No\.\s*)?[#-]?\s*\d[\w\-()./:]*",
            re.I,
        ),
    ),
    ("citation", re.compile(r"\b\d{1,2}:\d{2}-cv-\d+\b|\b\d{2}-cv-\d+\b", re.I)),
    ("ordinal", re.compile(r"\b\d+(?:st|nd|rd|th)\b", re.I)),
    ("identifier", re.compile(r"\b[A-Z]{1,5}-\d+[A-Z]?\b|\b[A-Z]\d{2,}\b|\b\d+/\d+\b")),
    (
        "identifier",
        re.compile(
            r"\b(?:top|No\.|number|Flight|Gate|Terminal|Ward|District|Precinct|Circuit|Boeing|Airbus)\s+\d[\d-]*\b"
            r"|(?<![\d,.])\b0\d+\b",
            re.I,
        ),
    ),
]


# An average stay in ICE detention is a claim in days ("an average length of stay of 46 days"):
# its days are not a duration to mask when the sentence averages a stay in detention (ICE's, not
# Border Patrol's short holds, which no series here measures).
_DAYS = re.compile(r"\b\d+(?:\.\d+)?\s+days\b", re.I)
_AVERAGE = re.compile(r"\b(?:average|averaged|averaging|ALOS)\b", re.I)
_STAY = re.compile(r"\b(?:length\s+of\s+stay|ALOS|stay(?:ed|s)?|detention|detained|custody|held)\b", re.I)
_NOT_ICE = re.compile(r"\b(?:Border\s+Patrol|CBP|ORR|shelters?|prisons?|jails?)\b", re.I)


def masked_spans(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Every span of ``text`` holding a number that is not a claim, with the reason
    (``sentences``: its sentence spans, :func:`~immstat.analysis.claims.text.sentences`)."""
    stays = {m.span() for start, end in sentences if average_stay(text[start:end])
             for m in _DAYS.finditer(text, start, end)}
    return [(m.start(), m.end(), reason) for reason, rx in PATTERNS for m in rx.finditer(text)
            if not (reason == "measure" and m.span() in stays)]


def average_stay(sentence: str) -> bool:
    """True when ``sentence`` is about an average stay in ICE detention (its days are a claim)."""
    return bool(_AVERAGE.search(sentence) and _STAY.search(sentence) and not _NOT_ICE.search(sentence))
