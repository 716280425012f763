"""287(g) agreements → ``agreements_287g``: one row per listed agreement (agency × model) per snapshot.

Two publications of ICE's participating-agencies list:

* ``agreements_287g_watch`` — the 287g-watch collection of 17 snapshots (16 May – 3 Jul 2025,
  some days twice, "am"/"pm"), MIT licence; snapshot label per row, no signing date.
* ``ice_287g_participating_agencies`` — one ICE download (xlsx); the snapshot is the date (and
  "am"/"pm") in the file name (ICE names them ``participatingAgencies08132025am.xlsx``), the
  signing date is a column. Each download is kept (policy keep_releases): agreements over time.

A snapshot is identified by date *and* time of day: ``snapshot`` is ``'YYYY-MM-DD am'`` (or
``pm``; bare ``'YYYY-MM-DD'`` when no time is known), which sorts in time order; ``snapshot_date``
is its day. Two collections on one day (2025-05-19 am and pm) are two snapshots, never one.

Resolved at ingest, from bundled reference tables: ``county_fips`` (state + county name, plus the
reviewed misspellings in ``county_aliases_287g.csv``), ``aor`` (county → AOR crosswalk; null for
agencies listed without a county), ``agency_type`` harmonised across the two lists
(``agency_types_287g.csv``: County / Municipality / State; the list's own label is kept in
``agency_type_published``), and ``agency_key`` / ``agreement_key``: the identity of an agency
(state + normalised name) and of an agreement (agency + model) for distinct counts.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pyarrow as pa
import pyarrow.compute as pc

from immstat.core import reference
from immstat.sources.derived import DerivedPlan, DerivedSource, rejects_table
from immstat.sources.geography.names import county_fips, county_key
from immstat.sources.manifest import Column, SourceSpec
from immstat.sources.normalize import ValueConverter

TABLE = "agreements_287g"
ICE_URL = "https://www.ice.gov/identify-and-arrest/287g"
SCHEMA = pa.schema([
    ("snapshot_date", pa.date32()), ("snapshot", pa.string()), ("state", pa.string()),
    ("county", pa.string()), ("county_fips", pa.string()), ("aor", pa.string()),
    ("agency", pa.string()), ("agency_key", pa.string()), ("agreement_key", pa.string()),
    ("agency_type", pa.string()), ("agency_type_published", pa.string()),
    ("support_type", pa.string()), ("signed_date", pa.date32()), ("series", pa.string()),
    ("source_row", pa.int64()),
])
AGREEMENT_TYPES = ("Jail Enforcement", "Task Force", "Warrant Service Officer")
AGENCY_TYPES = ("County", "Municipality", "State")
MODELS = {"jail enforcement model": "Jail Enforcement", "jail enforcement": "Jail Enforcement",
          "task force model": "Task Force", "task force": "Task Force",
          "warrant service officer": "Warrant Service Officer",
          "warrant service officer model": "Warrant Service Officer"}
Reject = tuple[int, str, str | None, str, str | None]  # row, sheet, column, reason, raw value
_TIME_OF_DAY = re.compile(r"(?i)(?<![a-z])(am|pm)(?![a-z])")
_NAME_NOISE = {"department", "dept", "office"}  # 287g-watch drops them; ICE's list has them

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


# ------------------------------------------------------------------ reference look-ups
@lru_cache(maxsize=1)
def _county_aliases() -> dict[tuple[str, str], str]:
    """(state, county key) → FIPS for the lists' own misspellings, each reviewed by hand."""
    return {(r["state"], county_key(r["county"])): r["fips"]
            for r in reference.read_csv_rows("reference", "county_aliases_287g.csv")}


@lru_cache(maxsize=1)
def _county_aor() -> dict[str, str]:
    return {r["county_fips"]: r["aor"] for r in reference.read_csv_rows("reference", "county_aor.csv")
            if r["aor"]}


@lru_cache(maxsize=1)
def _agency_types() -> dict[str, str]:
    """Published label (lower case) → harmonised agency type (County / Municipality / State)."""
    return {r["published"].lower(): r["agency_type"]
            for r in reference.read_csv_rows("reference", "agency_types_287g.csv")}


def resolve_county(state: str | None, county: str | None) -> str | None:
    """FIPS of a listed county: the bundled county table, then the reviewed misspellings."""
    found = county_fips(state, county)
    if found or not state or not county:
        return found
    return _county_aliases().get((state, county_key(county)))


def agency_name_key(name: str) -> str:
    """Spelling-insensitive agency name: "Lee County Sheriff's Office" / "lee county sheriff" →
    'lee county sheriff' (case, apostrophes, punctuation and 'department'/'office' ignored)."""
    text = unicodedata.normalize("NFKD", name.replace("’", "'")).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", re.sub(r"'s\b|'", "", text.lower())).split()
    return " ".join(w for w in words if w not in _NAME_NOISE)


def snapshot_label(day, text: str) -> str:
    """'YYYY-MM-DD am|pm' from a snapshot's day and any text naming its time of day."""
    found = _TIME_OF_DAY.search(text or "")
    return f"{day.isoformat()} {found.group(1).lower()}" if found else day.isoformat()


# ------------------------------------------------------------------ derive
def _no_na(values: pa.ChunkedArray) -> pa.Array:
    """R's 'NA' (and 'N/A', '#NA') written as text → null."""
    return pc.if_else(pc.is_in(values, value_set=pa.array(["NA", "N/A", "#NA"])),
                      pa.scalar(None, pa.string()), values)


def _resolved(rows: pa.Table) -> dict[str, pa.Array]:
    """Columns looked up per distinct value: county FIPS, AOR, agency key, agency type."""
    states, counties = rows["state"].to_pylist(), rows["county"].to_pylist()
    fips_of = {pair: resolve_county(*pair) for pair in set(zip(states, counties))}
    fips = [fips_of[pair] for pair in zip(states, counties)]
    names = rows["agency"].to_pylist()
    agency_key = [f"{s}|{agency_name_key(n)}" for s, n in zip(states, names)]
    published = pc.replace_substring_regex(rows["agency_type"], r"^\(\d+\)\s*", "")
    types = _agency_types()
    return {
        "county_fips": pa.array(fips, pa.string()),
        "aor": pa.array([_county_aor().get(f) if f else None for f in fips], pa.string()),
        "agency_key": pa.array(agency_key, pa.string()),
        "agency_type_published": published,
        "agency_type": pa.array([types.get(p.lower()) if p else None for p in published.to_pylist()],
                                pa.string()),
    }


def _table(rows: pa.Table, snapshot_date, snapshot, signed, series: str) -> pa.Table:
    for name in ("county", "agency_type"):
        rows = rows.set_column(rows.schema.get_field_index(name), name, _no_na(rows[name]))
    looked_up = _resolved(rows)
    model = pc.take(pa.array(list(MODELS.values())),
                    pc.index_in(pc.utf8_lower(rows["support_type"]), value_set=pa.array(list(MODELS))))
    model = pc.coalesce(model, rows["support_type"])
    return pa.table({
        "snapshot_date": snapshot_date, "snapshot": snapshot, "state": rows["state"],
        "county": rows["county"], "county_fips": looked_up["county_fips"], "aor": looked_up["aor"],
        "agency": rows["agency"], "agency_key": looked_up["agency_key"],
        "agreement_key": pc.binary_join_element_wise(looked_up["agency_key"], model, "|"),
        "agency_type": looked_up["agency_type"],
        "agency_type_published": looked_up["agency_type_published"], "support_type": model,
        "signed_date": signed, "series": pa.array([series] * rows.num_rows, pa.string()),
        "source_row": rows["source_row"],
    })


def _derive_watch(rows: pa.Table, plan: DerivedPlan,
        convert: ValueConverter) -> tuple[pa.Table, pa.Table]:
    """'2025-05-16 am' → snapshot '2025-05-16 am' on 2025-05-16; unreadable dates rejected."""
    day = convert(rows["snapshot"], "date").values
    bad = pc.is_null(day)
    bad_rows = rows.filter(bad)
    rejects: list[Reject] = [(r, plan.path.name, "date", "unreadable snapshot date", v)
               for r, v in zip(bad_rows["source_row"].to_pylist(), bad_rows["snapshot"].to_pylist())]
    labels = pa.array([snapshot_label(d, t) if d else None
                       for d, t in zip(day.to_pylist(), rows["snapshot"].to_pylist())], pa.string())
    table = _table(rows, day, labels, pa.nulls(rows.num_rows, pa.date32()), WATCH.kind)
    return table.filter(pc.invert(bad)), rejects_table(rejects)


def _derive_ice_list(rows: pa.Table, plan: DerivedPlan,
        convert: ValueConverter) -> tuple[pa.Table, pa.Table]:
    """Snapshot = the file's release date (from its name) and the name's am/pm; without a date,
    rows are rejected."""
    released, _basis = plan.release_date()
    n = rows.num_rows
    if released is None:
        reason = ("snapshot date unknown: put the download date in the file name (e.g. "
                  "participatingAgencies08132025am.xlsx) and ingest it again")
        rejects: list[Reject] = [(r, plan.path.name, None, reason, None)
                                 for r in rows["source_row"].to_pylist()]
        return SCHEMA.empty_table(), rejects_table(rejects)
    day = pa.array([released] * n, pa.date32())
    label = pa.array([snapshot_label(released, plan.path.stem)] * n, pa.string())
    return _table(rows, day, label, rows["signed_date"], ICE_LIST.kind), rejects_table([])


CUSTOM = (
    DerivedSource(WATCH, TABLE, SCHEMA, _derive_watch, "snapshot_date"),
    DerivedSource(ICE_LIST, TABLE, SCHEMA, _derive_ice_list, "snapshot_date"),
)
