"""The tidy ``detention_stats_*`` tables: one per workbook section, columns in one place.

Every table also has ``fiscal_year`` (the fiscal year the section reports, from its sheet name or
title; for the rolling sheets — bond, segregation, vulnerable populations — the workbook's fiscal
year), ``release_date`` (the workbook's release) and ``source_row`` (1-based row in the sheet).
"""

from __future__ import annotations

import pyarrow as pa

S, F, D, INT = pa.string(), pa.float64(), pa.date32(), pa.int64()
PREFIX = "detention_stats_"

COLUMNS: dict[str, list[tuple[str, pa.DataType]]] = {
    "adp": [("agency", S), ("criminality", S), ("month", D), ("adp", F), ("adp_fy_to_date", F)],
    "alos": [("agency", S), ("criminality", S), ("month", D), ("alos_days", F),
             ("alos_days_fy_to_date", F)],
    "adp_facility_type": [("facility_type", S), ("month", D), ("adp", F), ("adp_fy_to_date", F)],
    "alos_facility_type": [("facility_type", S), ("month", D), ("alos_days", F),
                           ("alos_days_fy_to_date", F)],
    "book_ins": [("agency", S), ("month", D), ("book_ins", F), ("book_ins_fy_to_date", F)],
    "book_ins_facility_type": [("facility_type", S), ("criminality", S), ("book_ins", F)],
    "book_outs": [("release_reason", S), ("criminality", S), ("month", D), ("book_outs", F),
                  ("book_outs_fy_to_date", F)],
    "book_outs_facility_type": [("facility_type", S), ("book_outs", F)],
    "currently_detained": [("criminality", S), ("agency", S), ("detained", F)],
    "currently_detained_disposition": [("disposition", S), ("facility_type", S), ("detained", F)],
    "removals": [("category", S), ("removals", F)],
    "fear_decision_time": [("release_fiscal_year", INT), ("facility_type", S), ("days", F)],
    "fear_detained": [("facility_type", S), ("detained", F)],
    "atd": [("aor", S), ("aor_name", S), ("technology", S), ("participants", F),
            ("avg_length_in_program_days", F)],
    "atd_population": [("breakdown", S), ("category", S), ("participants", F),
                       ("daily_tech_cost", F), ("alip_days", F)],
    "atd_court": [("hearings", S), ("outcome", S), ("appearances", F), ("share", F)],
    "facilities": [
        ("name", S), ("address", S), ("city", S), ("state", S), ("zip", S), ("aor", S),
        ("type_detailed", S), ("gender", S), ("alos_days", F), ("adp_level_a", F),
        ("adp_level_b", F), ("adp_level_c", F), ("adp_level_d", F), ("adp_male_crim", F),
        ("adp_male_noncrim", F), ("adp_female_crim", F), ("adp_female_noncrim", F),
        ("adp_threat_level_1", F), ("adp_threat_level_2", F), ("adp_threat_level_3", F),
        ("adp_no_threat_level", F), ("adp_mandatory", F), ("guaranteed_minimum", F),
        ("last_inspection_type", S), ("last_inspection_end_date", D), ("last_inspection_note", S),
        ("last_inspection_standard", S), ("last_final_rating", S)],
    "bond": [("month", D), ("measure", S), ("value", F)],
    "segregation": [("month", D), ("facility", S), ("placements", F)],
    "vulnerable": [("data_fiscal_year", INT), ("quarter", INT), ("placement_reason", S),
                   ("placements", F), ("avg_consecutive_days", F), ("avg_cumulative_days", F)],
}
STANDARD = [("fiscal_year", pa.int32()), ("release_date", D), ("source_row", INT)]


def schema(section: str) -> pa.Schema:
    return pa.schema([*COLUMNS[section], *STANDARD])


def table_name(section: str) -> str:
    return PREFIX + section


def all_tables() -> list[tuple[str, pa.Schema, bool]]:
    """(table, schema, record_level) for the warehouse DDL."""
    return [(table_name(s), schema(s), False) for s in COLUMNS]
