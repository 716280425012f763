"""The reviewed synonyms table (``data/claims/synonyms.yaml``) and the fixed grammar words of
claims: rates ("a day", "daily"), "per field office", targets, averages and changes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from immstat.core.errors import ConfigError
from immstat.core.reference import data_path

RATE_UNITS = ("day", "week", "month", "year")
_RATE_RE = re.compile(
    r"\b(?:a|per|each|every|an?\s+average\s+(?:of\s+)?\w+\s+per|on\s+an?\s+(?:average|typical|normal))\s+"
    r"(day|week|month|year)\b(?![-\w])(?!\s+(?:ago|earlier|before|later|after))"
    r"|(?<!average\s)\b(daily|weekly|monthly|annually|yearly|annual)\b(?!\s+(?:average|population|report|figures?\s+show))",
    re.I,
)
_RATE_WORDS = {
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "annually": "year",
    "yearly": "year",
    "annual": "year",
}
_PER_OFFICE_RE = re.compile(
    r"\b(?:per|each|every|a|for\s+each)\s+(?:ICE\s+)?(?:field\s+office|office|AOR)\b|\bin\s+each\s+of\s+(?:the|its|ICE's)\s+\w+\s+field\s+offices\b",
    re.I,
)
TARGET_RE = re.compile(
    r"\b(?:goals?|targets?|targeting|quotas?|aims?|aiming|aimed|plans?\s+to|planned|wants?|seeks?|"
    r"push(?:es|ing)?\s+for|benchmark|directive|ordered|demand(?:s|ed)?|call(?:s|ed)\s+for|"
    r"promised?|pledged?|vowed?|expects?\s+to|hopes?\s+to|ambition)\b",
    re.I,
)
AVERAGE_RE = re.compile(r"\b(?:average[ds]?|averaging|on\s+average|mean)\b", re.I)
CHANGE_RE = re.compile(
    r"\b(?:rose|rise|rising|risen|increase[ds]?|increasing|up|down|fell|fallen|falling|drop(?:ped|s)?|"
    r"decline[ds]?|declining|decrease[ds]?|jump(?:ed|s)?|grew|grow(?:n|th)|climb(?:ed|s)?|surge[ds]?|"
    r"soared|plunged?|higher|lower|spike[ds]?|percentage\s+points?)\b",
    re.I,
)


@dataclass(frozen=True)
class KindSpec:
    """One kind of the synonyms table."""

    name: str
    phrases: tuple[str, ...]
    metric: str | None = None
    rate_metrics: tuple[tuple[str, str], ...] = ()
    point_in_time_metric: str | None = None
    out_of_scope: str | None = None
    weak: bool = False
    stock: bool = False
    counts: frozenset[str] = frozenset()
    people: str | None = None  # the kind of a number of PEOPLE written with this kind's phrase


@dataclass(frozen=True)
class Lexicon:
    kinds: dict[str, KindSpec]
    regex: re.Pattern[str]
    phrase_kind: dict[str, str | None]  # None: an `ignore` phrase
    people: frozenset[str] = frozenset()
    context: re.Pattern[str] | None = None
    awaiting: frozenset[str] = frozenset()

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, kind) of every kind phrase in ``text`` (ignore phrases left out)."""
        found = [(m.start(), m.end(), self.phrase_kind[m.group(0).lower()])
                 for m in self.regex.finditer(text)]
        return [(s, e, k) for s, e, k in found if k is not None]

    def enforcement(self, text: str) -> bool:
        """True when ``text`` is about immigration enforcement (a context word or a kind phrase)."""
        return bool((self.context and self.context.search(text)) or self.find(text))


def load_lexicon(path: Path | None = None) -> Lexicon:
    """Read and check a synonyms table (default: the bundled, reviewed one)."""
    path = path or data_path("claims", "synonyms.yaml")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        kinds_raw = raw["kinds"]
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"Cannot read synonyms table {path}: {exc}. Fix the YAML (see its header)."
        ) from None
    kinds: dict[str, KindSpec] = {}
    phrase_kind: dict[str, str | None] = {}
    for name, spec in kinds_raw.items():
        if bool(spec.get("metric")) == bool(spec.get("out_of_scope")):
            raise ConfigError(f"{path}: kind {name!r} needs exactly one of 'metric' or 'out_of_scope'.")
        for phrase in spec["phrases"]:
            key = str(phrase).lower()
            if key in phrase_kind:
                raise ConfigError(
                    f"{path}: phrase {phrase!r} is listed under both {phrase_kind[key]!r} and "
                    f"{name!r}; keep it under one kind."
                )
            phrase_kind[key] = name
        kinds[name] = KindSpec(
            name,
            tuple(spec["phrases"]),
            spec.get("metric"),
            tuple((spec.get("rate_metrics") or {}).items()),
            spec.get("point_in_time_metric"),
            spec.get("out_of_scope"),
            bool(spec.get("weak")),
            bool(spec.get("stock")),
            frozenset(str(c).lower() for c in spec.get("counts") or ()),
            spec.get("people"),
        )
    for phrase in raw.get("ignore") or ():
        phrase_kind.setdefault(str(phrase).lower(), None)
    context = [str(w) for w in raw.get("context") or ()]
    return Lexicon(
        kinds,
        _alternation(phrase_kind),
        phrase_kind,
        frozenset(str(c).lower() for c in raw.get("people") or ()),
        _alternation(context) if context else None,
        frozenset(raw.get("awaiting") or ()),
    )


def _alternation(phrases) -> re.Pattern[str]:
    """One case-insensitive regex matching any of ``phrases`` (longest first) on word boundaries."""
    alternation = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(r"(?<!\w)(?:" + alternation + r")(?!\w)", re.I)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The bundled synonyms table, loaded once."""
    return load_lexicon()


def find_rates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, unit) of every rate phrase: 'a day', 'per week', 'daily', 'annually'…"""
    out = []
    for m in _RATE_RE.finditer(text):
        unit = (m.group(1) or _RATE_WORDS[m.group(2).lower()]).lower()
        out.append((m.start(), m.end(), unit))
    return out


def find_per_office(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), "field_office") for m in _PER_OFFICE_RE.finditer(text)]


def find_markers(regex: re.Pattern[str], text: str) -> list[tuple[int, int, bool]]:
    return [(m.start(), m.end(), True) for m in regex.finditer(text)]
