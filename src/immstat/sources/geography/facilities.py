"""Build ``facilities`` for the detention facility codes in the facility daily population file.

Public-domain / CC0 inputs only, by priority:

1. ICE facility list of 6 Nov 2017 ("Facility List - Main", by DETLOC code): name, city, county,
   state, zip, AOR, type.
2. For codes not in that list, an exact match of the normalised facility name against ICE's
   detention statistics facility tables (DDP parse, latest release first), then the 2019
   dedicated / non-dedicated lists and the over-72-hour list (by name). A name found in several
   states is used only when the code's last two letters name one of them.
3. Coordinates only from the CC0 hand-geocoded list (facility-locations-oct2025); else null.

county_fips: the county named by the ICE list, else the county holding most of the ZIP code's
population (Geocorr 2022). AOR: the latest detention statistics (current AOR, e.g. Harlingen,
created after 2017), else the AOR of the facility's county, else the list's own AOR.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from immstat.core import reference
from immstat.sources.geography.names import county_fips

FACILITY_FIELDS = ("facility_code", "name", "city", "state", "county_fips", "aor", "type",
                   "lat", "lon", "basis")
_ABBREVIATIONS = {
    "CORRECTIONAL": "COR", "CORR": "COR", "CORRECTIONS": "COR", "CENTER": "CTR", "CENTRE": "CTR",
    "DETENTION": "DET", "FACILITY": "FAC", "FCLTY": "FAC", "COUNTY": "CO", "PROCESSING": "PROC",
    "INSTITUTION": "INST", "REGIONAL": "REG", "DEPARTMENT": "DEPT", "ICE": "", "THE": "",
    "AND": "", "OF": "",
}


def name_key(name: str) -> str:
    words = re.sub(r"[^A-Z0-9 ]", " ", str(name).upper()).split()
    return " ".join(w for w in (_ABBREVIATIONS.get(w, w) for w in words) if w)


def _sheet(path: Path, sheet: str, first_header: str) -> pd.DataFrame:
    """A worksheet as text, starting at the row whose first cell is ``first_header``."""
    raw = pd.read_excel(path, sheet_name=sheet, header=None, dtype=str, engine="calamine")
    start = raw.index[raw.iloc[:, 0].fillna("").str.strip().str.upper() == first_header.upper()][0]
    frame = raw.iloc[start + 1:].copy()
    frame.columns = [str(c).strip() for c in raw.iloc[start]]
    return frame.apply(lambda col: col.str.strip())


def _over72(path: Path) -> pd.DataFrame:
    """The over-72-hour list: facility rows under 'X AOR' headings."""
    raw = pd.read_excel(path, header=None, dtype=str, engine="calamine").fillna("")
    rows, aor = [], None
    for name, city, state, kind in raw.iloc[:, :4].itertuples(index=False):
        if name.strip().upper().endswith(" AOR") and not city:
            aor = reference.aor_aliases().get(name.strip().lower()[:-4].strip())
        elif city and name != "Facility Name":
            rows.append({"name": name.strip(), "city": city.strip(), "state": state.strip(),
                         "aor": aor, "type": kind.strip()})
    return pd.DataFrame(rows)


def _by_name(frames: list[tuple[str, pd.DataFrame]]) -> dict[str, list[dict]]:
    """name_key → candidate records (first source listed wins within a state)."""
    out: dict[str, list[dict]] = {}
    for basis, frame in frames:
        for record in frame.to_dict("records"):
            found = out.setdefault(name_key(record["name"]), [])
            if not any(c["state"] == record["state"] for c in found):
                found.append({**record, "basis": basis})
    return out


def _pick(candidates: list[dict], code: str) -> dict | None:
    if len({c["state"] for c in candidates}) == 1:
        return candidates[0]
    hinted = [c for c in candidates if c["state"] == code[-2:]]
    return hinted[0] if len(hinted) == 1 else None


def zip_counties(geocorr_csv: Path) -> dict[str, str]:
    """ZIP (ZCTA) → the county holding most of its population."""
    frame = pd.read_csv(geocorr_csv, skiprows=[1], dtype=str, encoding="latin-1")
    frame["afact"] = frame["afact"].astype(float)
    frame = frame.sort_values("afact").drop_duplicates("zcta", keep="last")
    return dict(zip(frame["zcta"].str.strip(), frame["county"].str.strip()))


def build_facilities(shared: Path, county_aor: dict[str, str]) -> list[dict]:
    """Facility rows for every code in the daily population file (see module docstring)."""
    daily = pq.read_table(shared / "ddp/facilities/facilities-daily-population-latest.parquet",
                          columns=["detention_facility_code", "date", "detention_facility"])
    daily = daily.to_pandas().sort_values("date").drop_duplicates("detention_facility_code",
                                                                   keep="last")
    ice = shared / "ice/facilities"
    main = _sheet(ice / "ICE_Facility_List_11-06-2017-web.xlsx", "Facility List - Main", "DETLOC")
    main = main.drop_duplicates("DETLOC").set_index("DETLOC")
    stats = pq.read_table(shared / "ddp/detention-stats/facilities.parquet").to_pandas()
    stats = stats.sort_values("file_date", ascending=False)
    stats = stats.assign(type=stats["type_detailed"])
    dedicated = pd.concat([_sheet(ice / "dedicatedNonDedicatedFacilityList.xlsx", s, "NAME")
                           for s in ("ICE Dedicated Facilities", "ICE Non-Dedicated Facilities")])
    dedicated.columns = [c.lower() for c in dedicated.columns]
    names = _by_name([("ICE detention statistics (name match)", stats),
                      ("ICE dedicated/non-dedicated list 2019 (name match)", dedicated),
                      ("ICE over-72-hour list (name match)", _over72(ice / "Over72HourFacilities.xlsx"))])
    latest_aor: dict[tuple[str, str], str] = {}  # (name key, state) → AOR; rows with a state only
    for stat_name, state, aor in zip(stats["name"], stats["state"], stats["aor"]):
        if isinstance(state, str):
            latest_aor.setdefault((name_key(stat_name), state), aor)
    locations = pd.read_csv(shared / "ddp/facilities/facility-locations-oct2025.tsv", sep="\t",
                            dtype=str).set_index("detention_facility_code")
    zips = zip_counties(shared / "geo/geocorr2022_county.csv")
    out = []
    for code, name in zip(daily["detention_facility_code"], daily["detention_facility"]):
        row = {"facility_code": code, "name": name}
        if code in main.index:
            src = main.loc[code]
            row.update(listed_name=src["Name"], city=src["City"], state=src["State"], aor=src["AOR"],
                       type=src["Type Detailed"], zip=src["Zip"], county=src["County"],
                       basis="ICE facility list 2017-11-06 (code)")
        elif (found := _pick(names.get(name_key(name), []), code)) is not None:
            row.update(city=found["city"], state=found["state"], aor=found["aor"],
                       type=found["type"], zip=found.get("zip"), basis=found["basis"])
        if code in locations.index:
            loc = locations.loc[code]
            row.update(lat=loc["latitude"], lon=loc["longitude"])
            row.setdefault("city", loc["city"])
            row.setdefault("state", loc["state"])
            row.setdefault("basis", "DDP facility locations 2025 (code)")
        zip5 = str(row.get("zip") or "").split(".")[0].zfill(5)[:5]
        row["county_fips"] = county_fips(row.get("state"), row.get("county")) or zips.get(zip5)
        state = row.get("state")
        current = [latest_aor.get((name_key(n), state))
                   for n in (name, row.get("listed_name")) if n and isinstance(state, str)]
        row["aor"] = next((a for a in current if a), None) or county_aor.get(row["county_fips"]) \
            or row.get("aor")
        out.append({k: _text(row.get(k)) for k in FACILITY_FIELDS})
    return sorted(out, key=lambda r: r["facility_code"])


def _text(value) -> str:
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
