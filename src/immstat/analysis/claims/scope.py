"""Where a claim is about: an ICE field office (AOR), a city that hosts one, a state, or the nation.

Names and codes come only from :mod:`immstat.core.reference` (AOR names, office cities,
states). Ambiguous bare names are left national on purpose: "Washington" (the government, the
state or the field office) and "New York" (read as the state; "New York City" is the AOR city).
"""

from __future__ import annotations

import re
from functools import lru_cache

from immstat.analysis.claims.models import Scope
from immstat.core.reference import aor_aliases, aors, state_aliases, states

_OFFICE = r"\s+(?:ERO\s+)?(?:field\s+office|area\s+of\s+responsibility|AOR|office|region)\b"
_AMBIGUOUS = {"Washington", "New York"}


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], dict[str, Scope], re.Pattern[str], dict[str, Scope]]:
    offices: dict[str, Scope] = {}   # lower-case name → AOR scope (explicit "… field office")
    places: dict[str, Scope] = {}    # exact spelling → city/state scope (bare place names)
    for row in aors():
        code = aor_aliases()[row["name"].lower()]
        for name in {row["name"], row["office_city"], row["name"].replace("St.", "Saint")}:
            offices[name.lower()] = Scope("aor", code, row["name"])
            if name not in _AMBIGUOUS:
                places[name] = Scope("city", code, name)
    for row in states():
        name = row["name"]
        if name not in _AMBIGUOUS:
            places.setdefault(name, Scope("state", state_aliases()[name.lower()], name))
    places["Washington state"] = Scope("state", "WA", "Washington")
    places["Washington, D.C."] = Scope("state", "DC", "District of Columbia")
    places["New York state"] = places["New York State"] = Scope("state", "NY", "New York")
    places["New York"] = Scope("state", "NY", "New York")
    alt_office = "|".join(re.escape(n) for n in sorted(offices, key=len, reverse=True))
    office_re = re.compile(r"\b(?:ERO\s+(" + alt_office + r")\b|(" + alt_office + r")" + _OFFICE + ")", re.I)
    alt_place = "|".join(re.escape(n) for n in sorted(places, key=len, reverse=True))
    place_re = re.compile(r"(?<![\w.])(?:" + alt_place + r")(?![\w])")
    return office_re, offices, place_re, places


def find_scopes(text: str) -> list[tuple[int, int, Scope]]:
    """(start, end, scope) of every place mention; explicit field offices win over bare names."""
    office_re, offices, place_re, places = _patterns()
    found = [
        (m.start(), m.end(), offices[(m.group(1) or m.group(2)).lower()])
        for m in office_re.finditer(text)
    ]
    for m in place_re.finditer(text):
        if all(m.end() <= s or m.start() >= e for s, e, _ in found):
            found.append((m.start(), m.end(), places[m.group(0)]))
    return sorted(found, key=lambda f: f[0])
