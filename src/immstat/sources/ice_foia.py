"""Manifest entries for ICE ERO-LESA record-level FOIA releases (as published by the
Deportation Data Project).

Raw column names are the ones in the released spreadsheets, as read by the Deportation Data
Project's own cleaning code (deportationdata/ice, ``code/*-latest.R``). Identifiers other than the
anonymised person key (A-numbers, EID case/subject IDs), birth dates and apprehension landmarks
are deliberately not mapped: ImmStat never stores them.
"""

from __future__ import annotations

from .manifest import Column, SourceSpec

DDP_URL = "https://deportationdata.org/data/ice.html"
PERSON_ID = ("Unique Identifier", "Anonymized Identifier", "Alien Number Unique Identifier")


def _shared_person_columns() -> tuple[Column, ...]:
    """Columns that several FOIA tables share with the same meaning."""
    return (
        Column("citizenship_country", ("Citizenship Country", "Country of Citizenship"), "code"),
        Column("gender", ("Gender", "Sex"), "gender"),
        Column("birth_year", ("Birth Year",), "int"),
        Column("case_status", ("Case Status",)),
        Column("case_category", ("Case Category",)),
        Column("departed_date", ("Departed Date",), "date"),
        Column("departure_country", ("Departure Country",), "code"),
        Column("final_order_date", ("Final Order Date",), "date"),
        Column("person_key", PERSON_ID, "str", max_length=200),
    )


ARRESTS = SourceSpec(
    kind="ice_arrests",
    table="arrests",
    title="ICE ERO administrative arrests (FOIA, record level)",
    date_column="apprehension_date",
    person_column="person_key",
    url=DDP_URL,
    columns=(
        Column("apprehension_date", ("Apprehension Date", "Arrest Date"), "date",
               required=True, row_required=True),
        Column("state", ("Apprehension State", "Arrest State"), "state"),
        Column("county", ("Apprehension County",)),
        Column("county_fips", ("Apprehension County FIPS", "County FIPS"), "county_fips"),
        Column("aor", ("Apprehension AOR", "Area of Responsibility"), "aor", required=True),
        Column("program", ("Final Program",)),
        Column("program_group", ("Final Program Group",)),
        Column("method", ("Apprehension Method", "Arrest Method"), required=True),
        Column("criminality", ("Apprehension Criminality",), "criminality", required=True),
        Column("case_threat_level", ("Apprehension Threat Level", "Case Threat Level")),
        Column("arresting_agency", ("Arresting Agency",)),
        Column("operation", ("Operation",)),
        Column("final_order", ("Final Order Yes No",), "yes_no"),
        *_shared_person_columns(),
    ),
)

SPECS = (ARRESTS,)
