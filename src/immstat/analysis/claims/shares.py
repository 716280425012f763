"""The part of a whole a percentage is about, from the words of its sentence: the reviewed table
``shares`` of ``data/claims/evidence.yaml`` (most specific entry first).

Each entry names a dimension (``by``) and words for its categories (``values``, matched as whole
words in a metric's category names, case-insensitively: ``convict`` matches "Criminal
Conviction"), and optionally metrics that count the part directly (``parts``: for a whole metric,
the metric of the part, or of its complement with ``not: true``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from immstat.core.errors import ConfigError
from immstat.core.reference import data_path


@dataclass(frozen=True)
class Direct:
    """A metric that counts a part directly (or its complement)."""

    metric: str
    complement: bool = False


@dataclass(frozen=True)
class Part:
    """One entry of the table."""

    pattern: re.Pattern[str]
    label: str
    by: str | None  # None: a part no series breaks down (the claim is unverifiable)
    values: tuple[str, ...]
    parts: dict[str, Direct] = field(default_factory=dict)

    def matches(self, category: str) -> bool:
        """True when a metric's category name is one of this part's values."""
        name = category.lower()
        return any(re.search(r"(?<![a-z])" + re.escape(v.lower()), name) for v in self.values)


@dataclass(frozen=True)
class ShareTable:
    parts: tuple[Part, ...]

    def match(self, quote: str) -> Part | None:
        """The first entry whose words are in ``quote``."""
        return next((p for p in self.parts if p.pattern.search(quote)), None)

    def every(self, words: str) -> list[Part]:
        """Each entry whose words are in ``words``, the first first, leaving out the words of an
        entry already found ("criminal convictions or pending charges" is one part, not three)."""
        found: list[Part] = []
        taken: list[tuple[int, int]] = []
        for part in self.parts:
            for m in part.pattern.finditer(words):
                if any(a <= m.start() and m.end() <= b for a, b in taken):
                    continue
                taken.append(m.span())
                if part not in found:
                    found.append(part)
        return found


@lru_cache(maxsize=1)
def share_table() -> ShareTable:
    """The bundled, reviewed table."""
    path = data_path("claims", "evidence.yaml")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        parts = tuple(
            Part(re.compile(p["pattern"], re.I), p["label"], p.get("by"), tuple(p.get("values") or ()),
                 {whole: Direct(d["metric"], bool(d.get("not")))
                  for whole, d in (p.get("parts") or {}).items()})
            for p in raw.get("shares") or ()
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError, re.error) as exc:
        raise ConfigError(
            f"Cannot read the shares table of {path}: {exc}. Fix the YAML (see its header)."
        ) from None
    return ShareTable(parts)
