"""Text values the synthetic files use, as ICE writes them, indexed by small integer codes.

Simulated events carry integer codes (``-1`` = blank); layouts turn them into these labels.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from immstat.core import reference
from immstat.sources.synth import calibration as cal

AOR_CODES = tuple(cal.AOR_SHARES)
CUSTODIAL_ARREST = "Custodial Arrest"
METHOD_LABELS = (*cal.METHODS, CUSTODIAL_ARREST)
PROGRAM_LABELS = tuple(dict.fromkeys(m[2] for m in cal.METHODS.values()))
THREAT_LABELS = ("1", "2", "3")
CASE_CATEGORY_LABELS = (*cal.REMOVAL_CASE_CATEGORY, *cal.OPEN_CASE_CATEGORY)
CASE_STATUS_LABELS = (cal.OPEN_STATUS, cal.REMOVED_STATUS)
RELEASE_LABELS = ("Removed", "Transferred", *cal.RELEASE_REASONS)
MSC_LABELS = ("Driving Under Influence Liquor", "Assault", "Traffic Offense", "Dangerous Drugs",
              "Illegal Entry", "Larceny", "Weapon Offense", "Fraudulent Activities")
YES_NO = ("NO", "YES")


@lru_cache(maxsize=1)
def aor_names() -> tuple[str, ...]:
    """'Atlanta Area of Responsibility' … in AOR_CODES order (the spelling in ICE FOIA files)."""
    names = {row["code"]: row["name"] for row in reference.aors()}
    return tuple(f"{names[code]} Area of Responsibility" for code in AOR_CODES)


@lru_cache(maxsize=1)
def states() -> tuple[str, ...]:
    """All USPS codes used by any AOR, in first-seen order."""
    seen = dict.fromkeys(s for code in AOR_CODES for s in cal.AOR_STATES[code].split())
    return tuple(seen)


@lru_cache(maxsize=1)
def state_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(flat state index list, offset per AOR, length per AOR); each AOR's first state twice."""
    index = {s: i for i, s in enumerate(states())}
    flat: list[int] = []
    offsets: list[int] = []
    lengths: list[int] = []
    for code in AOR_CODES:
        own = cal.AOR_STATES[code].split()
        picks = [own[0], *own]
        offsets.append(len(flat))
        lengths.append(len(picks))
        flat += [index[s] for s in picks]
    return np.array(flat), np.array(offsets), np.array(lengths)


@lru_cache(maxsize=1)
def facilities() -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Synthetic facility codes: per AOR, FACILITIES_PER_AOR detention sites then 4 jails.

    Returns (codes, AOR index of each code, state index of each code). Codes are made up
    (``ATLGA01``, ``ATLGAJ1``); they look like ICE DETLOC codes but name no real facility."""
    state_index = {s: i for i, s in enumerate(states())}
    codes, aor_of, state_of = [], [], []
    for a, code in enumerate(AOR_CODES):
        own = cal.AOR_STATES[code].split()
        for k in range(cal.FACILITIES_PER_AOR + 4):
            st = own[k % len(own)]
            jail = k >= cal.FACILITIES_PER_AOR
            suffix = f"J{k - cal.FACILITIES_PER_AOR + 1}" if jail else f"{k + 1:02d}"
            codes.append(f"{code}{st}{suffix}")
            aor_of.append(a)
            state_of.append(state_index[st])
    return tuple(codes), np.array(aor_of), np.array(state_of)


def facility_index(aor: np.ndarray, k: np.ndarray) -> np.ndarray:
    """Index in :func:`facilities` of site ``k`` (0-based; jails from FACILITIES_PER_AOR) of ``aor``."""
    return aor * (cal.FACILITIES_PER_AOR + 4) + k
