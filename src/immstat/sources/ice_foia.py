"""Manifest entries for ICE ERO-LESA record-level FOIA releases (as published by the
Deportation Data Project).

Raw column names are the ones in the released spreadsheets, as read by the Deportation Data
Project's own cleaning code (deportationdata/ice: ``code/arrests-latest.R``,
``code/detainers-latest.R``, ``code/detention-stints-latest.R``, ``clean/encounters-latest.R``,
``clean/removals-2012-2023.R`` and the ``code/compare-releases-*.qmd`` notebooks, which list the
July 2025, March 2026 and August 2026 layouts). Where releases renamed a column, every spelling is
an alias. Identifiers other than the anonymised person key (A-numbers, EID case/subject/DTA IDs,
event numbers), birth dates, landmarks and names are deliberately not mapped: ImmStat never
stores them.
"""

from __future__ import annotations

from immstat.sources.manifest import Column, SourceSpec

DDP_URL = "https://deportationdata.org/data/ice.html"
PERSON_ID = ("Unique Identifier", "Anonymized Identifier", "Anonymized Unique Identifier",
             "Alien Number Unique Identifier", "Anonymized Identifer")


def _shared_person_columns(skip: tuple[str, ...] = ()) -> tuple[Column, ...]:
    """Columns that several FOIA tables share with the same meaning (minus ``skip``)."""
    columns = (
        Column("citizenship_country", ("Citizenship Country", "Country of Citizenship",
                                       "Citizenship County"), "code"),
        Column("gender", ("Gender", "Sex"), "gender"),
        Column("birth_year", ("Birth Year",), "int"),
        Column("case_status", ("Case Status",)),
        Column("case_category", ("Case Category",)),
        Column("departed_date", ("Departed Date",), "date"),
        Column("departure_country", ("Departure Country",), "code"),
        Column("final_order", ("Final Order Yes No", "Case Final Order Yes No"), "yes_no"),
        Column("final_order_date", ("Final Order Date",), "date"),
        Column("person_key", PERSON_ID, "str", max_length=200),
    )
    return tuple(c for c in columns if c.canonical not in skip)


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
        Column("processing_disposition", ("Processing Disposition",)),
        *_shared_person_columns(),
    ),
)

DETAINERS = SourceSpec(
    kind="ice_detainers",
    table="detainers",
    title="ICE detainers (FOIA, record level)",
    date_column="detainer_prepare_date",
    person_column="person_key",
    url=DDP_URL,
    columns=(
        Column("detainer_prepare_date", ("Detainer Prepare Date", "Detainer Prepared Date"), "date",
               required=True, row_required=True),
        Column("state", ("Facility State", "State"), "state"),
        Column("aor", ("Facility AOR", "AOR"), "aor"),
        Column("facility_code", ("Detention Facility Code", "Detainer Facility Code"), "code"),
        Column("criminality", ("Detainer Prepared Criminality", "Detainer Criminality"),
               "criminality", required=True),
        Column("case_threat_level", ("Detainer Prep Threat Level", "Detainer Prepared Threat Level",
                                     "Detainer Threat Level")),
        Column("detainer_type", ("Detainer Type",), required=True),
        Column("lift_reason", ("Detainer Lift Reason",)),
        Column("program", ("Final Program", "TOD Final Program")),
        Column("method", ("Apprehension Method",)),
        Column("apprehension_date", ("Apprehension Date",), "date"),
        *_shared_person_columns(),
    ),
)

ENCOUNTERS = SourceSpec(
    kind="ice_encounters",
    table="encounters",
    title="ICE ERO encounters (FOIA, record level)",
    date_column="encounter_date",
    person_column="person_key",
    url=DDP_URL,
    columns=(
        Column("encounter_date", ("Event Date",), "date", required=True, row_required=True),
        Column("aor", ("Responsible AOR",), "aor", required=True),
        Column("event_type", ("Event Type",)),
        Column("lead_event_type", ("Lead Event Type",)),
        Column("lead_source", ("Lead Source",)),
        Column("program", ("Final Program",)),
        Column("program_group", ("Final Program Group",)),
        Column("criminality", ("Encounter Criminality",), "criminality", required=True),
        Column("case_threat_level", ("Encounter Threat Level",)),
        Column("processing_disposition", ("Processing Disposition",)),
        Column("operation", ("Operation",)),
        *_shared_person_columns(),
    ),
)

_BOOK_IN = ("Book In Date Time", "Detention Book In Date Time")
_BOOK_OUT = ("Book Out Date Time", "Detention Book Out Date Time")

DETENTION_STINTS = SourceSpec(
    kind="ice_detention_stints",
    table="detention_stints",
    title="ICE detention stints: book-ins and book-outs (FOIA, record level)",
    date_column="book_in_date",
    person_column="person_key",
    url=DDP_URL,
    columns=(
        Column("book_in_date", _BOOK_IN, "date", required=True, row_required=True),
        Column("book_in_at", _BOOK_IN, "timestamp"),
        Column("book_out_date", _BOOK_OUT, "date"),
        Column("book_out_at", _BOOK_OUT, "timestamp"),
        Column("stay_book_in_date", ("Stay Book In Date Time",), "date"),
        Column("stay_book_out_date", ("Stay Book Out Date Time", "Stay Book Out Date"), "date"),
        Column("facility_code", ("Detention Facility Code",), "code", required=True),
        Column("release_reason", ("Detention Release Reason",)),
        Column("stay_release_reason", ("Stay Release Reason",)),
        Column("aor", ("Book In AOR",), "aor"),
        Column("criminality", ("Book In Criminality",), "criminality"),
        Column("program", ("Apprehension Final Program", "Final Program")),
        Column("case_threat_level", ("Case Threat Level",)),
        *_shared_person_columns(),
    ),
)

REMOVALS = SourceSpec(
    kind="ice_removals",
    table="removals",
    title="ICE removals (FOIA, record level)",
    date_column="removal_date",
    person_column="person_key",
    url=DDP_URL,
    columns=(
        # ICE counts a removal in the fiscal year of its removal date; releases without a
        # separate removal date have only the departure date, which then serves as both
        Column("removal_date", ("Removal Date", "Departed Date", "Departure Date"), "date",
               required=True, row_required=True),
        Column("departed_date", ("Departed Date", "Departure Date"), "date"),
        Column("aor", ("Docket AOR", "Case AOR"), "aor"),
        Column("state", ("Apprehension State", "State"), "state"),
        Column("criminality", ("Case Criminality",), "criminality"),
        Column("case_threat_level", ("Case Threat Level",)),
        Column("program", ("Final Program",)),
        Column("msc_charge", ("MSC Charge", "MSC NCIC Charge", "Most Serious Conviction",
                              "Most Serious Conviction (MSC) Charge")),
        Column("final_charge_section", ("Final Charge Section",)),
        Column("processing_disposition", ("Processing Disposition", "Processing Disposition Code")),
        Column("apprehension_date", ("Apprehension Date", "Latest Person Apprehension Date"), "date"),
        Column("port_of_departure", ("Port of Departure",)),
        *_shared_person_columns(skip=("departed_date",)),
    ),
)

SPECS = (ARRESTS, DETAINERS, ENCOUNTERS, DETENTION_STINTS, REMOVALS)
