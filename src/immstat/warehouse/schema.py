"""All DuckDB DDL, in one place.

System tables (provenance, rejects, per-column counts) are written out here; the tables fed by
manifest sources are generated from their canonical Arrow schema plus the standard columns every
loaded row carries (event_id, fiscal_year, source_id, source_row; person_key for record-level).
Custom sources (``sources.registry.CUSTOM``) contribute their tables through the same function.
Columns added to a table or to ``sources`` in a later version are added to older warehouses when
they are opened for writing.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from immstat.core.calendar import FISCAL_YEAR_MACRO
from immstat.sources.records import canonical_schema
from immstat.sources.registry import CUSTOM, SPECS

SCHEMA_VERSION = 2
# columns added to `sources` after version 1 (warehouses made before get them on open)
SOURCES_ADDED = (("release_scope", "VARCHAR"), ("data_start", "DATE"), ("data_end", "DATE"),
                 ("data_period_basis", "VARCHAR"), ("columns_not_provided", "VARCHAR"),
                 ("content_fingerprint", "VARCHAR"))

SYSTEM_DDL = (
    "CREATE SEQUENCE IF NOT EXISTS source_id_seq START 1",
    """CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS sources (
        source_id INTEGER PRIMARY KEY,
        path VARCHAR NOT NULL,
        file_name VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        title VARCHAR,
        dataset VARCHAR NOT NULL,
        release_date DATE,
        release_date_basis VARCHAR,
        rows_in BIGINT,
        rows_loaded BIGINT,
        rows_rejected BIGINT,
        loaded_at TIMESTAMP,
        immstat_version VARCHAR,
        synthetic BOOLEAN NOT NULL,
        record_level BOOLEAN NOT NULL,
        licence VARCHAR,
        banner VARCHAR,
        tables VARCHAR,
        superseded_by INTEGER,
        release_scope VARCHAR,
        data_start DATE,
        data_end DATE,
        data_period_basis VARCHAR,
        columns_not_provided VARCHAR,
        content_fingerprint VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS rejects (
        source_id INTEGER NOT NULL,
        row_number BIGINT,
        sheet VARCHAR,
        "column" VARCHAR,
        reason VARCHAR NOT NULL,
        raw_value VARCHAR
    )""",
    """CREATE TABLE IF NOT EXISTS source_columns (
        source_id INTEGER NOT NULL,
        "column" VARCHAR NOT NULL,
        raw_name VARCHAR,
        n_redacted BIGINT,
        n_unreadable BIGINT,
        n_null BIGINT
    )""",
    # data-health check results, one row per check per run (analysis/health; JSON evidence)
    """CREATE TABLE IF NOT EXISTS health_checks (
        run_id VARCHAR NOT NULL, run_at TIMESTAMP NOT NULL, position INTEGER NOT NULL,
        name VARCHAR NOT NULL, title VARCHAR, rule VARCHAR, severity VARCHAR, tolerance VARCHAR,
        status VARCHAR NOT NULL, summary VARCHAR, evidence VARCHAR, synthetic BOOLEAN,
        immstat_version VARCHAR
    )""",
)

# The protected release (metrics/release): what record-derived answers are read from. Hidden
# cells keep no value (n / value NULL); ``status`` says why (primary, complementary).
RELEASE_DDL = (
    """CREATE TABLE IF NOT EXISTS release_manifest (release_id INTEGER, built_at TIMESTAMP,
        min_cell INTEGER, fingerprint VARCHAR, engine VARCHAR, seconds DOUBLE, manifest VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS release_cells (family VARCHAR, part VARCHAR, dims VARCHAR,
        grain VARCHAR, period BIGINT, v1 VARCHAR, v2 VARCHAR, outcome VARCHAR, n BIGINT,
        status VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS release_values (metric VARCHAR, dims VARCHAR, grain VARCHAR,
        period BIGINT, v1 VARCHAR, v2 VARCHAR, value DOUBLE, status VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS release_domains (family VARCHAR, dim VARCHAR, value VARCHAR)""",
)

# Reference tables (bundled CSVs, loaded by warehouse/reference.py; provenance in `sources`)
REFERENCE_DDL = (
    """CREATE TABLE IF NOT EXISTS aor (code VARCHAR PRIMARY KEY, name VARCHAR, office_city VARCHAR,
        office_state VARCHAR, lat DOUBLE, lon DOUBLE)""",
    """CREATE TABLE IF NOT EXISTS states (fips VARCHAR, code VARCHAR PRIMARY KEY, name VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS counties (fips VARCHAR PRIMARY KEY, name VARCHAR, state VARCHAR,
        pop2020 BIGINT)""",
    """CREATE TABLE IF NOT EXISTS county_aor (county_fips VARCHAR PRIMARY KEY, county_name VARCHAR,
        state VARCHAR, aor VARCHAR, basis VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS facilities (facility_code VARCHAR PRIMARY KEY, name VARCHAR,
        city VARCHAR, state VARCHAR, county_fips VARCHAR, aor VARCHAR, type VARCHAR, lat DOUBLE,
        lon DOUBLE, basis VARCHAR)""",
)

_DUCK_TYPES = {
    pa.date32(): "DATE", pa.timestamp("s"): "TIMESTAMP", pa.int64(): "BIGINT",
    pa.int32(): "INTEGER", pa.float64(): "DOUBLE", pa.bool_(): "BOOLEAN", pa.string(): "VARCHAR",
}
STANDARD_COLUMNS = ("event_id", "fiscal_year", "source_id", "source_row")


def first_row(cursor: duckdb.DuckDBPyConnection):
    """First row of a result (None if empty), fetching it all: DuckDB refuses other work on a
    connection while an ``execute`` result is still partly unread."""
    rows = cursor.fetchall()
    return rows[0] if rows else None


def duck_type(arrow_type: pa.DataType) -> str:
    return _DUCK_TYPES.get(arrow_type, "VARCHAR")


def table_ddl(table: str, schema: pa.Schema, record_level: bool) -> str:
    """CREATE TABLE for a source-fed table: canonical columns + standard columns."""
    cols = ["event_id VARCHAR NOT NULL"]
    for f in schema:
        if f.name in ("source_row", "person_key", "fiscal_year", "source_id"):
            continue
        cols.append(f'"{f.name}" {duck_type(f.type)}')
    if record_level:
        cols.append("person_key VARCHAR")  # HMAC (warehouse/keys.py); never leaves the warehouse
    cols += ["fiscal_year INTEGER", "source_id INTEGER NOT NULL", "source_row BIGINT"]
    return f'CREATE TABLE IF NOT EXISTS "{table}" ({", ".join(cols)})'


def create_all(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table (idempotent) and the fiscal_year macro."""
    for ddl in SYSTEM_DDL:
        con.execute(ddl)
    con.execute(FISCAL_YEAR_MACRO)
    for ddl in (*REFERENCE_DDL, *RELEASE_DDL):
        con.execute(ddl)
    for table, schema, record_level in source_tables():
        con.execute(table_ddl(table, schema, record_level))
    _add_new_columns(con)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])


def _add_new_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Columns a later version added, on a warehouse made by an earlier one."""
    have = {(t, c) for t, c in con.execute(
        "SELECT table_name, column_name FROM information_schema.columns").fetchall()}
    wanted = [("sources", name, kind) for name, kind in SOURCES_ADDED]
    for table, schema, _ in source_tables():
        wanted += [(table, f.name, duck_type(f.type)) for f in schema
                   if f.name not in ("source_row", "person_key", "fiscal_year", "source_id")]
    for table, column, kind in wanted:
        if (table, column) not in have:
            con.execute(f'ALTER TABLE "{table}" ADD COLUMN "{column}" {kind}')
            have.add((table, column))


def source_tables() -> list[tuple[str, pa.Schema, bool]]:
    """(table, canonical schema, record_level) for every source-fed table."""
    out = [(s.table, canonical_schema(s), s.record_level) for s in SPECS]
    for custom in CUSTOM:
        out += list(custom.tables())
    return out
