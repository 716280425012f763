"""Short words for codes that pages show: ICE's facility types.

ICE's detention statistics use these codes without saying what they are; a page shows the code
with its meaning (as an abbreviation's title, and in the facility-type chart's notes).
"""

from __future__ import annotations

FACILITY_TYPES = {
    "IGSA": "local or state jail holding ICE detainees beside its own prisoners, under an "
            "intergovernmental service agreement",
    "DIGSA": "facility under a dedicated intergovernmental service agreement: ICE uses all its "
             "beds (often run by a private contractor for a local government)",
    "CDF": "contract detention facility, owned and run by a private company under contract with ICE",
    "SPC": "service processing center, owned by ICE, staffed by federal and contract employees",
    "USMS IGA": "jail used through a US Marshals Service intergovernmental agreement",
    "USMS CDF": "US Marshals Service contract detention facility that ICE also uses",
    "BOP": "Federal Bureau of Prisons facility",
    "FAMILY": "family residential center",
    "JUVENILE": "juvenile facility",
    "HOLD": "hold room for short stays (usually under 72 hours)",
    "STAGING": "staging facility (short stays before a transfer or removal)",
    "Other": "other facility types",
}
NOT_LISTED = "type not listed"


def facility_type_note(types: list[str]) -> str:
    """'IGSA: …; DIGSA: …' for the types in ``types`` (in that order)."""
    return "; ".join(f"{t}: {FACILITY_TYPES[t]}" for t in types if t in FACILITY_TYPES) + "."
