"""Reference geography: bundled CSVs = fresh build, county → AOR coverage and the UWCHR check,
facilities, us-atlas, and load_reference provenance."""

from __future__ import annotations

import csv
import gzip
import json

import pyarrow.parquet as pq
from hypothesis import given, settings
from hypothesis import strategies as st

from immstat.core import reference
from immstat.sources.geography import county_fips
from immstat.sources.geography.build import build_reference
from immstat.warehouse.reference import REFERENCE_TABLES

FIFTY_AND_DC = {r["code"] for r in reference.states() if int(r["fips"]) <= 56}


def rows(name: str) -> list[dict]:
    return reference.read_csv_rows("reference", f"{name}.csv")


def test_bundled_csvs_equal_a_fresh_build(shared_data, tmp_path):
    counts = build_reference(shared_data, tmp_path)
    assert counts == {"aor": 25, "counties": 3242, "county_aor": 3242, "facilities": 707}
    for name in counts:
        assert (tmp_path / f"{name}.csv").read_bytes() == \
            reference.data_path("reference", f"{name}.csv").read_bytes(), name


def test_every_county_of_the_50_states_and_dc_has_an_aor():
    county_aor = [r for r in rows("county_aor") if r["state"] in FIFTY_AND_DC]
    assert len({r["state"] for r in county_aor}) == 51
    assert [r["county_fips"] for r in county_aor if not r["aor"]] == []
    assert {r["aor"] for r in county_aor} == set(reference.aor_codes())
    # Texas, California and New York are split by county; every other state has one AOR
    for state in ("TX", "CA", "NY"):
        assert {r["basis"] for r in county_aor if r["state"] == state} == {"county listed"}


# Where ours (ICE's current assignment, CC0 file) differs from UWCHR's GPL crosswalk:
# 15 counties of the Harlingen AOR (created after UWCHR's table; UWCHR: HOU or SNA) —
# Aransas, Brooks, Cameron, Duval, Hidalgo, Jim Hogg, Jim Wells, Kenedy, Kleberg, Nueces,
# San Patricio, Starr, Webb, Willacy, Zapata; and 10 central-Texas counties ICE now lists under
# Houston where UWCHR has San Antonio — Bell, Bosque, Coryell, Falls, Freestone, Hamilton, Hill,
# Limestone, McLennan, Somervell. Ours also has 19 ids UWCHR lacks (pre-2022 Connecticut
# counties and territories), UWCHR none that ours lacks. Agreement on shared ids: 3198 / 3223.
DIFFERENT_FROM_UWCHR = {
    "48007": ("HLG", "HOU"), "48047": ("HLG", "HOU"), "48061": ("HLG", "SNA"),
    "48131": ("HLG", "SNA"), "48215": ("HLG", "SNA"), "48247": ("HLG", "SNA"),
    "48249": ("HLG", "HOU"), "48261": ("HLG", "HOU"), "48273": ("HLG", "HOU"),
    "48355": ("HLG", "HOU"), "48409": ("HLG", "HOU"), "48427": ("HLG", "SNA"),
    "48479": ("HLG", "SNA"), "48489": ("HLG", "SNA"), "48505": ("HLG", "SNA"),
    "48027": ("HOU", "SNA"), "48035": ("HOU", "SNA"), "48099": ("HOU", "SNA"),
    "48145": ("HOU", "SNA"), "48161": ("HOU", "SNA"), "48193": ("HOU", "SNA"),
    "48217": ("HOU", "SNA"), "48293": ("HOU", "SNA"), "48309": ("HOU", "SNA"),
    "48425": ("HOU", "SNA"),
}


def test_county_aor_against_uwchr_crosswalk(shared_data):
    with (shared_data / "uwchr/ice-enforce/hand_county_aor.csv").open(newline="") as handle:
        theirs = {r["geoid"]: r["aor"] for r in csv.DictReader(handle)}  # GPL: read here only
    ours = {r["county_fips"]: r["aor"] for r in rows("county_aor")}
    assert set(theirs) <= set(ours)
    differ = {f: (ours[f], theirs[f]) for f in theirs if ours[f] != theirs[f]}
    assert differ == DIFFERENT_FROM_UWCHR
    assert 1 - len(differ) / len(theirs) > 0.99


def test_aor_offices_match_the_office_list():
    aors = {r["code"]: r for r in rows("aor")}
    assert len(aors) == 25 and "HLG" in aors
    assert (aors["NOL"]["office_city"], aors["NOL"]["office_state"]) == ("St. Rose", "LA")
    assert (aors["MIA"]["office_city"], aors["SPM"]["office_city"]) == ("Miramar", "Fort Snelling")
    for r in aors.values():
        assert 17 < float(r["lat"]) < 65 and -160 < float(r["lon"]) < -65


def test_counties_table():
    counties = {r["fips"]: r for r in rows("counties")}
    assert counties["06037"]["name"] == "Los Angeles" and counties["06037"]["pop2020"] == "10014009"
    total = sum(int(r["pop2020"]) for r in counties.values() if r["pop2020"])
    assert total == 334_739_473  # 2020 census, 50 states + DC + Puerto Rico (Geocorr)
    assert counties["09001"]["pop2020"] == ""  # pre-2022 Connecticut county, drawn by us-atlas


def test_every_map_county_has_a_row():
    topo = json.loads(reference.data_path("geo", "counties-10m.json").read_text())
    ids = {g["id"] for g in topo["objects"]["counties"]["geometries"]}
    county_aor = {r["county_fips"]: r["aor"] for r in rows("county_aor")}
    assert ids <= set(county_aor)
    assert {i for i in ids if not county_aor[i]} == {"60010", "60020", "60050"}  # American Samoa


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([r for r in rows("counties") if r["pop2020"]]),
       st.sampled_from(["{}", "{} County", "  {}  ", "{} COUNTY"]), st.booleans())
def test_county_lookup_ignores_case_spacing_and_suffix(county, template, upper):
    name = template.format(county["name"])
    name = name.upper() if upper else name
    last_word = county["name"].lower().split()[-1]
    if last_word in {"city", "borough", "area", "municipality", "parish", "municipio"} and "county" in \
            template.lower():
        return  # "Baltimore city County" / "Kodiak Island Borough County" are not real names
    expected = county["fips"]
    state_name = next(r["name"] for r in reference.states() if r["code"] == county["state"])
    assert county_fips(county["state"], name) == expected
    assert county_fips(state_name.upper(), name) == expected


def test_facilities_cover_the_daily_population_codes(shared_data):
    codes = set(pq.read_table(shared_data / "ddp/facilities/facilities-daily-population-latest"
                              ".parquet", columns=["detention_facility_code"])
                .column(0).to_pylist())
    facilities = {r["facility_code"]: r for r in rows("facilities")}
    assert set(facilities) == codes
    adelanto = facilities["ADLNTCA"]
    assert (adelanto["city"], adelanto["state"], adelanto["county_fips"], adelanto["aor"]) == \
        ("ADELANTO", "CA", "06071", "LOS")
    assert facilities["PIC"]["aor"] == "HLG"  # Port Isabel: Harlingen AOR today (SNA in 2017)
    located = [r for r in facilities.values() if r["state"]]
    assert len(located) / len(facilities) > 0.8
    assert all(r["aor"] in reference.aor_codes() for r in located if r["aor"])


def test_facilities_against_uwchr_list(shared_data):
    """UWCHR's GPL facility list (read here only): same state for ≥98% of shared codes; AOR for
    ≥93% — differences are AORs redrawn since 2017 (Harlingen; Houston's central Texas) and a few
    facilities ICE's detention statistics now file elsewhere (San Luis AZ → SND, Uinta WY → SLC)."""
    with gzip.open(shared_data / "uwchr/ice-detain/facilities.csv.gz", "rt") as handle:
        theirs = {r["detloc"]: r for r in csv.DictReader(handle, delimiter="|")}
    ours = [r for r in rows("facilities") if r["facility_code"] in theirs]
    assert len(ours) > 500
    same_state = sum(r["state"] == theirs[r["facility_code"]]["state"] for r in ours)
    same_aor = sum(r["aor"] == theirs[r["facility_code"]]["aor"] for r in ours)
    assert same_state / len(ours) > 0.98 and same_aor / len(ours) > 0.93


def test_load_reference_is_idempotent_with_provenance(make_warehouse):
    wh = make_warehouse()
    assert wh.load_reference() == {"aor": 25, "states": 56, "counties": 3242,
                                      "county_aor": 3242, "facilities": 707}
    assert wh.load_reference() == {}
    recorded = {r["kind"]: r for r in wh.sources()}
    assert set(recorded) == {f"reference_{t}" for t in REFERENCE_TABLES}
    for r in recorded.values():
        assert not r["synthetic"] and not r["record_level"] and r["superseded_by"] is None
    assert wh._con.execute("SELECT aor FROM county_aor WHERE county_fips = '53033'").fetchone() == ("SEA",)
    assert wh._con.execute("SELECT lat FROM facilities WHERE facility_code = 'BOPDEV'").fetchone()[0] > 42
