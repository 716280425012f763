"""Load the bundled reference tables (AORs, states, counties, county → AOR, facilities).

``load_reference(con)`` replaces each table from its CSV in ``immstat/data/reference/`` and
records the CSV in ``sources`` (kind ``reference_<name>``, its sha256, not synthetic, not record
level), so every number joined to a reference table has provenance. Idempotent: a CSV whose
sha256 is already recorded (and current) is not loaded again; a changed CSV replaces the table
and retires the previous ``sources`` row (``superseded_by``).
"""

from __future__ import annotations

import datetime as dt

import duckdb

from immstat._version import __version__
from immstat.core.reference import data_path
from immstat.warehouse.ingest import file_sha256
from immstat.warehouse.schema import first_row

# table → (title, licence); the CSV is data/reference/<table>.csv (see DATA_LICENSES)
REFERENCE_TABLES = {
    "aor": ("ICE ERO field offices (areas of responsibility) with office city and coordinates",
            "CC0 1.0 (Deportation Data Project / NOCCC office list); ICE facts (public domain)"),
    "states": ("US states and territories: FIPS, USPS code, name", "Public domain (US Census)"),
    "counties": ("US counties: FIPS, name, state, 2020 population (Geocorr 2022)",
                 "CC0 1.0 (Deportation Data Project copy of Geocorr 2022; Census 2020 counts)"),
    "county_aor": ("County → ICE AOR (state default plus county exceptions)",
                   "CC0 1.0 (Deportation Data Project ice-offices); derived by ImmStat"),
    "facilities": ("ICE detention facilities: code, name, place, county, AOR, type",
                   "Public domain (ICE facility lists, detention statistics); CC0 1.0 locations"),
}


def load_reference(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """(Re)load every reference table whose CSV changed; returns rows loaded per table."""
    loaded = {}
    for table, (title, licence) in REFERENCE_TABLES.items():
        path = data_path("reference", f"{table}.csv")
        sha = file_sha256(path)
        kind = f"reference_{table}"
        current = first_row(con.execute("SELECT source_id FROM sources WHERE kind = ? AND sha256 = ? "
                              "AND superseded_by IS NULL", [kind, sha]))
        if current:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            source_id = first_row(con.execute("SELECT nextval('source_id_seq')"))[0]
            con.execute(f'DELETE FROM "{table}"')
            con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM read_csv(?, header = true, '
                        "all_varchar = true)", [str(path)])
            rows = first_row(con.execute(f'SELECT count(*) FROM "{table}"'))[0]
            con.execute("UPDATE sources SET superseded_by = ? WHERE kind = ? AND superseded_by IS NULL",
                        [source_id, kind])
            con.execute(
                "INSERT INTO sources (source_id, path, file_name, sha256, kind, title, dataset, "
                "release_date, release_date_basis, rows_in, rows_loaded, rows_rejected, loaded_at, "
                "immstat_version, synthetic, record_level, licence, banner, tables) "
                "VALUES (?,?,?,?,?,?,?,NULL,'bundled reference',?,?,0,?,?,false,false,?,'',?)",
                [source_id, str(path), path.name, sha, kind, title, kind, rows, rows,
                 dt.datetime.now(dt.UTC).replace(tzinfo=None), __version__, licence, table])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        loaded[table] = rows
    return loaded
