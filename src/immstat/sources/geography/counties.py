"""Build ``counties`` (FIPS, name, state, 2020 population) and ``county_aor`` (county → ICE AOR).

Inputs (CC0, Deportation Data Project): Geocorr 2022 ZCTA→county crosswalk (every county with its
2020 population; second line is a label row) and ICE's office → state / county assignment
(a state row with an empty county is that state's default AOR; county rows are exceptions, and
for California, New York and Texas the county rows are the whole assignment). County ids in the
bundled us-atlas map that Geocorr 2022 lacks (Connecticut's pre-2022 counties, the small
territories, renamed Alaska / South Dakota areas) are added without population so maps and older
FOIA records resolve; their AOR is the state default.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from immstat.core import reference
from immstat.core.errors import ConfigError
from immstat.sources.geography.names import county_key

COUNTY_FIELDS = ("fips", "name", "state", "pop2020")
COUNTY_AOR_FIELDS = ("county_fips", "county_name", "state", "aor", "basis")


def state_of_fips(fips: str) -> str | None:
    return {row["fips"]: row["code"] for row in reference.states()}.get(fips[:2])


def read_geocorr(path: Path) -> list[dict]:
    """One row per county of the Geocorr 2022 crosswalk, population summed over its ZCTAs."""
    counties: dict[str, dict] = {}
    with Path(path).open(encoding="latin-1", newline="") as handle:
        reader = csv.DictReader(handle)
        next(reader)  # label row
        for row in reader:
            fips = row["county"].strip()
            name = re.sub(r"\s+[A-Z]{2}(\s+\(.*\))?$", "", row["CountyName"].strip())
            entry = counties.setdefault(fips, {"fips": fips, "name": name,
                                               "state": state_of_fips(fips), "pop2020": 0})
            entry["pop2020"] += int(row["pop20"])
    return sorted(counties.values(), key=lambda r: r["fips"])


def read_atlas_extra(path: Path, known: set[str]) -> list[dict]:
    """Counties drawn by the us-atlas TopoJSON that are not in ``known`` (no population)."""
    topo = json.loads(Path(path).read_text(encoding="utf-8"))
    out = []
    for geom in topo["objects"]["counties"]["geometries"]:
        if geom["id"] not in known:
            out.append({"fips": geom["id"], "name": geom["properties"]["name"],
                        "state": state_of_fips(geom["id"]), "pop2020": None})
    return sorted(out, key=lambda r: r["fips"])


def read_aor_areas(path: Path) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """(state → default AOR, (state, county_key) → AOR) from the ICE office-area file."""
    defaults: dict[str, str] = {}
    exceptions: dict[tuple[str, str], str] = {}
    with Path(path).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, skipinitialspace=True):
            state = reference.state_aliases().get(row["state_name"].strip().lower())
            aor = reference.aor_aliases().get(row["office_name"].strip().lower())
            if state is None or aor is None:
                raise ConfigError(f"{path}: unknown state {row['state_name']!r} or office "
                                  f"{row['office_name']!r}; add it to data/reference/*.csv.")
            if row["county_name"].strip():
                exceptions[(state, county_key(row["county_name"]))] = aor
            else:
                defaults[state] = aor
    return defaults, exceptions


def build_county_aor(counties: list[dict], defaults: dict, exceptions: dict) -> list[dict]:
    """Every county with its AOR ('county listed' beats 'state default'); unmatched listed
    counties are an error (a misspelling would silently fall back to the default)."""
    index: dict[tuple, dict] = {}
    for county in counties:
        index.setdefault((county["state"], county_key(county["name"])), county)
    unmatched = sorted(f"{k[1]} ({k[0]})" for k in exceptions if k not in index)
    if unmatched:
        raise ConfigError(f"AOR county rows match no county: {', '.join(unmatched)}; fix the "
                          "spelling in the office-area file or names.county_key.")
    out = []
    for county in counties:
        key = (county["state"], county_key(county["name"]))
        aor, basis = exceptions.get(key), "county listed"
        if aor is None:
            aor, basis = defaults.get(county["state"]), "state default"
        out.append({"county_fips": county["fips"], "county_name": county["name"],
                    "state": county["state"], "aor": aor or "", "basis": basis if aor else ""})
    return out
