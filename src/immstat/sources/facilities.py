"""Facility daily population (Deportation Data Project, built from ICE detention stints; CC0).

A published aggregate: one row per facility and day with the number detained, at midnight, by
sex, convicted, and possibly under 18. Shown as published, never suppressed.
"""

from __future__ import annotations

from immstat.sources.manifest import Column, SourceSpec

FACILITY_DAILY_POPULATION = SourceSpec(
    kind="ddp_facility_daily_population",
    table="facility_daily_population",
    title="Daily detained population per facility (Deportation Data Project)",
    date_column="date",
    record_level=False,
    licence="CC0 1.0 (Deportation Data Project), from ICE records (US government work)",
    url="https://deportationdata.org/data/ice.html",
    min_header_matches=4,
    columns=(
        Column("facility_code", ("detention_facility_code", "Detention Facility Code"), "code",
               required=True, row_required=True),
        Column("date", ("date",), "date", required=True, row_required=True),
        Column("n_detained", ("n_detained",), "int", required=True),
        Column("n_detained_at_midnight", ("n_detained_at_midnight",), "int"),
        Column("n_detained_male", ("n_detained_male",), "int"),
        Column("n_detained_female", ("n_detained_female",), "int"),
        Column("n_detained_convicted_criminal", ("n_detained_convicted_criminal",), "int"),
        Column("n_detained_possibly_under_18", ("n_detained_possibly_under_18",), "int"),
        Column("facility_name", ("detention_facility", "Detention Facility")),
    ),
)

SPECS = (FACILITY_DAILY_POPULATION,)
