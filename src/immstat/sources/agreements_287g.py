"""287(g) agreements → ``agreements_287g``: one row per agency, agreement model and snapshot.

Two publications of ICE's participating-agencies list:

* ``agreements_287g_watch`` — the 287g-watch collection of 17 snapshots (16 May – 3 Jul 2025,
  some days twice, "am"/"pm"), MIT licence; snapshot label and date per row, no signing date.
* ``ice_287g_participating_agencies`` — one ICE download (xlsx); the snapshot date is the
  date in the file name (ICE names them ``participatingAgencies08132025am.xlsx``), the signing
  date is a column. Each download is kept (policy keep_releases): agreements over time.

county_fips is resolved from (state, county name) through the bundled county table; agencies
without a county (state agencies, some police departments) keep it null.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from immstat.sources.derived import DerivedPlan, DerivedSource, rejects_table
from immstat.sources.geography.names import county_fips
from immstat.sources.manifest import Column, SourceSpec
from immstat.sources.normalize import to_date

TABLE = "agreements_287g"
ICE_URL = "https://www.ice.gov/identify-and-arrest/287g"
SCHEMA = pa.schema([
    ("snapshot_date", pa.date32()), ("snapshot", pa.string()), ("state", pa.string()),
    ("county", pa.string()), ("county_fips", pa.string()), ("agency", pa.string()),
    ("agency_type", pa.string()), ("support_type", pa.string()), ("signed_date", pa.date32()),
    ("series", pa.string()), ("source_row", pa.int64()),
])
MODELS = {"jail enforcement model": "Jail Enforcement", "jail enforcement": "Jail Enforcement",
          "task force model": "Task Force", "task force": "Task Force",
          "warrant service officer": "Warrant Service Officer",
          "warrant service officer model": "Warrant Service Officer"}

WATCH = SourceSpec(
    kind="agreements_287g_watch",
    table=TABLE,
    title="287(g) agreements, snapshots of ICE's list collected by 287g-watch",
    date_column="snapshot_date",
    record_level=False,
    licence="MIT (Copyright 2026 Recovered Factory); list content from ICE (US government work)",
    url="https://github.com/recoveredfactory/287g-watch",
    min_header_matches=7,
    columns=(
        Column("snapshot", ("date",), required=True, row_required=True),
        Column("state", ("state",), "state", required=True, row_required=True),
        Column("county", ("county",)),
        Column("zip", ("zip",)),
        Column("agency", ("agency",), required=True, row_required=True),
        Column("ori", ("ori",), required=True),
        Column("agency_id", ("agency_id",)),
        Column("support_type", ("type",), required=True, row_required=True),
        Column("agency_type", ("agency_type",)),
    ),
)

ICE_LIST = SourceSpec(
    kind="ice_287g_participating_agencies",
    table=TABLE,
    title="287(g) participating agencies (ICE list download)",
    date_column="snapshot_date",
    record_level=False,
    replace_policy="keep_releases",
    url=ICE_URL,
    min_header_matches=5,
    columns=(
        Column("state", ("STATE",), "state", required=True, row_required=True),
        Column("agency", ("LAW ENFORCEMENT AGENCY",), required=True, row_required=True),
        Column("agency_type", ("TYPE",)),
        Column("county", ("COUNTY",)),
        Column("support_type", ("SUPPORT TYPE",), required=True, row_required=True),
        Column("signed_date", ("SIGNED", "DATE SIGNED"), "date"),
    ),
)


def _resolve(rows: pa.Table) -> tuple[pa.Array, pa.Array, pa.Array]:
    """county_fips, normalised support type, agency type without its '(001) ' code."""
    pairs = list(zip(rows["state"].to_pylist(), rows["county"].to_pylist()))
    cache = {pair: county_fips(*pair) for pair in set(pairs)}
    fips = pa.array([cache[pair] for pair in pairs], pa.string())
    lowered = pc.utf8_lower(rows["support_type"])
    model = pc.take(pa.array(list(MODELS.values())),
                    pc.index_in(lowered, value_set=pa.array(list(MODELS))))
    agency_type = pc.replace_substring_regex(rows["agency_type"], r"^\(\d+\)\s*", "")
    return fips, pc.coalesce(model, rows["support_type"]), agency_type


def _no_na(values: pa.ChunkedArray) -> pa.Array:
    """R's 'NA' (and 'N/A') written as text in the CSV → null."""
    return pc.if_else(pc.is_in(values, value_set=pa.array(["NA", "N/A", "#NA"])),
                      pa.scalar(None, pa.string()), values)


def _table(rows: pa.Table, snapshot_date, snapshot, signed, series: str) -> pa.Table:
    for name in ("county", "agency_type"):
        rows = rows.set_column(rows.schema.get_field_index(name), name, _no_na(rows[name]))
    fips, model, agency_type = _resolve(rows)
    n = rows.num_rows
    return pa.table({
        "snapshot_date": snapshot_date, "snapshot": snapshot, "state": rows["state"],
        "county": rows["county"], "county_fips": fips, "agency": rows["agency"],
        "agency_type": agency_type, "support_type": model, "signed_date": signed,
        "series": pa.array([series] * n, pa.string()), "source_row": rows["source_row"],
    })


def _derive_watch(rows: pa.Table, plan: DerivedPlan) -> tuple[pa.Table, pa.Table]:
    """'2025-05-16 am' → snapshot 2025-05-16 (label kept); rows with no readable date rejected."""
    day = to_date(rows["snapshot"].combine_chunks())
    bad = pc.is_null(day)
    bad_rows = rows.filter(bad)
    rejects = [(r, plan.path.name, "date", "unreadable snapshot date", v)
               for r, v in zip(bad_rows["source_row"].to_pylist(), bad_rows["snapshot"].to_pylist())]
    table = _table(rows, day, rows["snapshot"], pa.nulls(rows.num_rows, pa.date32()), WATCH.kind)
    return table.filter(pc.invert(bad)), rejects_table(rejects)


def _derive_ice_list(rows: pa.Table, plan: DerivedPlan) -> tuple[pa.Table, pa.Table]:
    """Snapshot date = the file's release date (from its name); without one, rows are rejected."""
    released, basis = plan.release_date()
    n = rows.num_rows
    if released is None:
        rejects = [(r, plan.path.name, None, "snapshot date unknown: put the download date in the "
                    "file name (e.g. participatingAgencies08132025.xlsx) and ingest it again",
                    None) for r in rows["source_row"].to_pylist()]
        return SCHEMA.empty_table(), rejects_table(rejects)
    day = pa.array([released] * n, pa.date32())
    label = pa.array([f"{released.isoformat()} ({basis})"] * n, pa.string())
    return _table(rows, day, label, rows["signed_date"], ICE_LIST.kind), rejects_table([])


CUSTOM = (
    DerivedSource(WATCH, TABLE, SCHEMA, _derive_watch, "snapshot_date"),
    DerivedSource(ICE_LIST, TABLE, SCHEMA, _derive_ice_list, "snapshot_date"),
)
