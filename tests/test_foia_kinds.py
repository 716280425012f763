"""The record-level FOIA manifests: raw names from the Deportation Data Project's code, canonical
names shared across kinds, and no direct identifiers ever mapped."""

from __future__ import annotations

import pytest

from immstat.sources import ice_foia, ice_foia_2019
from immstat.sources.synth.layouts import LAYOUTS

SPECS = {"arrests": ice_foia.ARRESTS, "detainers": ice_foia.DETAINERS,
         "encounters": ice_foia.ENCOUNTERS, "detention_stints": ice_foia.DETENTION_STINTS,
         "removals": ice_foia.REMOVALS}
NEVER = ("birth date", "date of birth", "alien file number", "eid case id", "eid subject id",
         "eid dta id", "landmark", "event number", "name", "a number")
ALL = {**{s.kind: s for s in SPECS.values()}, **{s.kind: s for s in ice_foia_2019.SPECS}}


@pytest.mark.parametrize("kind", ALL)
def test_no_identifier_is_mapped(kind):
    for col in ALL[kind].columns:
        for raw in col.keys:
            assert not any(word in raw for word in NEVER), (kind, col.canonical, raw)


@pytest.mark.parametrize("kind", SPECS)
def test_shape(kind):
    spec = SPECS[kind]
    assert spec.table == kind and spec.person_column == "person_key" and spec.record_level
    names = [c.canonical for c in spec.columns]
    assert len(names) == len(set(names))
    assert spec.column(spec.date_column).row_required
    assert {"citizenship_country", "gender", "birth_year", "final_order", "person_key"} <= set(names)


def test_canonical_event_dates():
    assert {k: s.date_column for k, s in SPECS.items()} == {
        "arrests": "apprehension_date", "detainers": "detainer_prepare_date",
        "encounters": "encounter_date", "detention_stints": "book_in_date",
        "removals": "removal_date"}  # ICE counts a removal when it is recorded (see ice_foia.py)
    stints = {c.canonical for c in ice_foia.DETENTION_STINTS.columns}
    assert {"book_in_at", "book_out_date", "book_out_at", "stay_book_in_date", "stay_book_out_date",
            "facility_code", "release_reason", "aor", "criminality"} <= stints


@pytest.mark.parametrize("kind", SPECS)
def test_synthetic_layout_matches_its_spec_best(kind):
    """Each FOIA layout's header matches its own spec more than any other (autodetection)."""
    header = list(LAYOUTS[kind].header)
    scores = {k: len(s.match_header(header)) for k, s in SPECS.items()}
    assert max(scores, key=scores.get) == kind, scores
    spec = SPECS[kind]
    found = spec.match_header(header)
    assert {c.canonical for c in spec.columns if c.required} <= set(found)


@pytest.mark.parametrize("header,kind", [
    # August 2026 and March 2026 layouts (deportationdata/ice code/compare-releases-*.qmd)
    (["Detainer Prepared Date", "AOR", "State", "Detainer Prepared Criminality", "Detainer Type",
      "Gender", "Citizenship Country", "Birth Year", "Anonymized Unique Identifier"], "detainers"),
    (["Detention Book In Date Time", "Detention Book Out Date Time", "Detention Facility Code",
      "Book In Criminality", "Gender", "Citizenship Country", "Anonymized Unique Identifier"],
     "detention_stints"),
    (["Departed Date", "Case AOR", "State", "Case Criminality", "Gender", "Citizenship Country",
      "Anonymized Identifier"], "removals"),
    (["Event Date", "Responsible AOR", "Encounter Criminality", "Gender", "Citizenship County",
      "Anonymized Identifier"], "encounters"),
])
def test_later_release_spellings(header, kind):
    found = SPECS[kind].match_header(header)
    assert SPECS[kind].date_column in found and "person_key" in found
    assert set(found.values()) == set(range(len(header)))  # every column understood
