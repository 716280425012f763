"""The glossary of ICE terms (DIGSA, ADP, book-in, detainer, 287(g) …), shared by the dashboard
and the briefs.

Definitions live in ``immstat/data/reference/glossary.csv``: ICE's own words where ICE defines a
term (its detention-statistics data dictionary and footnotes, a US government work), ImmStat's
wording otherwise, each row naming its source. The dashboard shows them at ``/glossary`` (each
term at ``/glossary#<key>``); a brief lists the terms its text uses (:func:`used_in`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from immstat.core.reference import read_csv_rows

PAGE = "/glossary"
# the sources a definition's ``source`` names (short name → what it is)
SOURCES = {
    "ICE data dictionary FY2026": "the glossary of ICE's FY2026 detention statistics "
                                  "(ice-detention-data-dictionary-FY26.csv)",
    "ICE footnotes FY2026": "the Footnotes sheet of ICE's detention statistics released 9 April 2026 "
                            "(FY26_detentionStats_04092026.xlsx)",
    "ICE ERO statistics": "ICE's ERO statistics workbook, FY2021 to FY2025 Q1 "
                          "(ice-ero-statistics-fy2021-fy2025q1.xlsx)",
    "ImmStat": "ImmStat's own wording, where ICE's published statistics define no term",
}
# aliases too common to mark a term as "used" in running text (they still find the term by name)
GENERIC = frozenset({"other", "pending", "convicted", "arrest", "arrests", "fy", "field office"})


@dataclass(frozen=True)
class Term:
    key: str
    term: str
    aliases: tuple[str, ...]
    definition: str
    source: str
    group: str

    @property
    def href(self) -> str:
        return f"{PAGE}#{self.key}"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


@lru_cache(maxsize=1)
def terms() -> tuple[Term, ...]:
    """Every term, in the file's order (grouped: detention, facility types, criminality …)."""
    return tuple(Term(r["key"], r["term"], tuple(a for a in r["aliases"].split("|") if a),
                      r["definition"], r["source"], r["group"])
                 for r in read_csv_rows("reference", "glossary.csv"))


def groups() -> list[tuple[str, list[Term]]]:
    """(group, its terms) in first-seen order."""
    out: dict[str, list[Term]] = {}
    for t in terms():
        out.setdefault(t.group, []).append(t)
    return list(out.items())


@lru_cache(maxsize=1)
def _by_name() -> dict[str, Term]:
    return {name.lower(): t for t in terms() for name in reversed(t.names)}


def lookup(name: str | None) -> Term | None:
    """The term called ``name`` (its name or an alias, any case), or None."""
    return _by_name().get((name or "").strip().lower())


def href(name: str | None) -> str | None:
    """``/glossary#key`` for a term's name or alias (e.g. a facility type ``"DIGSA"``), else None."""
    found = lookup(name)
    return found.href if found else None


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[Term, re.Pattern[str]], ...]:
    out = []
    for t in terms():
        names = sorted((t.term, *(a for a in t.aliases if a.lower() not in GENERIC)), key=len,
                       reverse=True)
        # abbreviations (ADP, AOR, ICE) match in capitals only; words in any case
        words = "|".join(re.escape(n) if n.isupper() else f"(?i:{re.escape(n)})" for n in names)
        out.append((t, re.compile(rf"(?<![\w-])(?:{words})(?![\w-])")))
    return tuple(out)


def used_in(text: str) -> list[Term]:
    """The terms ``text`` mentions (by name or a specific alias), in glossary order."""
    return [t for t, pattern in _patterns() if pattern.search(text)]
