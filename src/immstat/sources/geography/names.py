"""County names and FIPS codes: one normalisation, one lookup over the bundled ``counties.csv``."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from immstat.core import reference

_SUFFIX = re.compile(r"\s+(city and borough|county|parish|borough|census area|municipality|"
                     r"municipio)$")


def county_key(name: str) -> str:
    """Spelling-insensitive county key: 'DeKalb County' / 'De Kalb' → 'dekalb'; 'Doña Ana' →
    'donaana'; 'St. Louis city' keeps 'city' (it differs from St. Louis County) → 'stlouiscity'."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"\bsaint\b", "st", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(" ", "", _SUFFIX.sub("", text) or text)


@lru_cache(maxsize=1)
def county_index() -> dict[tuple[str, str], str]:
    """(USPS state code, county_key) → 5-digit county FIPS, from the bundled counties table."""
    index: dict[tuple[str, str], str] = {}
    for row in reference.read_csv_rows("reference", "counties.csv"):  # current counties first
        index.setdefault((row["state"], county_key(row["name"])), row["fips"])
    return index


def county_fips(state: str | None, county: str | None) -> str | None:
    """FIPS of ``county`` in ``state`` (USPS code or name), or None if either is unknown."""
    if not state or not county:
        return None
    code = reference.state_aliases().get(str(state).strip().lower())
    return county_index().get((code, county_key(county))) if code else None
