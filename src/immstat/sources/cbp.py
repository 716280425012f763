"""CBP encounters (published aggregates) → ``cbp_encounters_monthly``.

Two publications feed one table; the ``series`` column says which, and they must not be added
together (both cover FY2020):

* ``cbp_nationwide_encounters`` — CBP "Nationwide Encounters" by state, land border region,
  demographic, citizenship and title of authority (OFO and USBP together; the state-level file has
  no component column, so ``component`` is null unless a file carries one).
* ``usbp_sector_encounters`` — USBP apprehensions/encounters by Border Patrol sector, one column
  per sector (wide, pipe-separated, often gzip-compressed); made long: one row per sector-month,
  so its row counts are cells (sector × month), not raw lines. component = USBP.
* ``ddp_usbp_monthly_encounters`` — CBP's public monthly count of Border Patrol encounters,
  nationwide (southwest + northern + coastal), FY2020 to the latest month, as carried in the
  Deportation Data Project's validation table (``cbp_usb_encounter_count``; DDP's own count from
  FOIA records beside it is not loaded). component = USBP, no region.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pyarrow.compute as pc

from immstat.core.calendar import FY_MONTHS, MONTH_ABBR, fiscal_year, fy_month
from immstat.sources.derived import DerivedPlan, DerivedSource, rejects_table
from immstat.sources.manifest import Column, SourceSpec
from immstat.sources.normalize import ValueConverter

TABLE = "cbp_encounters_monthly"
CBP_URL = "https://www.cbp.gov/newsroom/stats/nationwide-encounters"
LICENCE = "US government work (public domain); CBP public data"
SCHEMA = pa.schema([
    ("month", pa.date32()), ("fiscal_year", pa.int64()), ("region", pa.string()),
    ("state", pa.string()), ("sector", pa.string()), ("demographic", pa.string()),
    ("citizenship", pa.string()), ("title_of_authority", pa.string()),
    ("component", pa.string()), ("encounters", pa.int64()), ("series", pa.string()),
    ("source_row", pa.int64()),
])
MONTH_CODES = tuple(MONTH_ABBR[m - 1].upper() for m in FY_MONTHS)  # 'OCT' … 'SEP'
COMPONENTS = {"office of field operations": "OFO", "ofo": "OFO", "u.s. border patrol": "USBP",
              "us border patrol": "USBP", "usbp": "USBP"}
# Border Patrol sectors: column name → (sector name, region as the sector table groups them)
SECTORS = {
    "livermore": ("Livermore", "Coastal Border"), "miami": ("Miami", "Coastal Border"),
    "new_orleans": ("New Orleans", "Coastal Border"), "ramey": ("Ramey", "Coastal Border"),
    "blaine": ("Blaine", "Northern Land Border"), "buffalo": ("Buffalo", "Northern Land Border"),
    "detroit": ("Detroit", "Northern Land Border"),
    "grand_forks": ("Grand Forks", "Northern Land Border"),
    "havre": ("Havre", "Northern Land Border"), "houlton": ("Houlton", "Northern Land Border"),
    "spokane": ("Spokane", "Northern Land Border"), "swanton": ("Swanton", "Northern Land Border"),
    "big_bend": ("Big Bend", "Southwest Land Border"), "del_rio": ("Del Rio", "Southwest Land Border"),
    "el_centro": ("El Centro", "Southwest Land Border"),
    "el_paso": ("El Paso", "Southwest Land Border"), "laredo": ("Laredo", "Southwest Land Border"),
    "rio_grande_valley": ("Rio Grande Valley", "Southwest Land Border"),
    "san_diego": ("San Diego", "Southwest Land Border"), "tucson": ("Tucson", "Southwest Land Border"),
    "yuma": ("Yuma", "Southwest Land Border"),
}


# ---------------------------------------------------------------- nationwide (by state)
NATIONWIDE = SourceSpec(
    kind="cbp_nationwide_encounters",
    table=TABLE,
    title="CBP nationwide encounters by state, demographic, citizenship and title (monthly)",
    date_column="month",
    record_level=False,
    licence=LICENCE,
    url=CBP_URL,
    min_header_matches=5,
    columns=(
        Column("fiscal_year", ("Fiscal Year",), required=True, row_required=True),
        Column("month_abbv", ("Month (abbv)", "Month Abbv"), "code", required=True,
               row_required=True),
        Column("month_grouping", ("Month Grouping",)),
        Column("region", ("Land Border Region",)),
        Column("state", ("State",), "state"),
        Column("area_of_responsibility", ("Area of Responsibility",)),
        Column("demographic", ("Demographic",)),
        Column("citizenship", ("Citizenship",)),
        Column("title_of_authority", ("Title of Authority",)),
        Column("component", ("Component",)),
        Column("encounters", ("Encounter Count", "Encounters"), "int", required=True,
               row_required=True),
    ),
)


def _derive_nationwide(rows: pa.Table, plan: DerivedPlan,
        convert: ValueConverter) -> tuple[pa.Table, pa.Table]:
    """'2023 (FYTD)' → 2023; FY + 'OCT' → 2022-10-01; component names → OFO / USBP."""
    fy_text = pc.extract_regex(rows["fiscal_year"], r"^\s*(?:FY\s*)?(?P<fy>\d{4})")
    fy = pc.cast(pc.struct_field(fy_text, "fy"), pa.int64())
    fm = pc.add(pc.index_in(rows["month_abbv"], value_set=pa.array(MONTH_CODES)), 1)
    keys = pc.add(pc.multiply(fy, 100), fm)
    known = [k for k in pc.unique(keys).to_pylist() if k is not None]
    lookup = pa.array(known, pa.int64())
    months = pa.array([fy_month(k // 100, FY_MONTHS[k % 100 - 1]) for k in known], pa.date32())
    month = pc.take(months, pc.index_in(keys, value_set=lookup))
    bad = pc.is_null(month)
    reasons = [(r, plan.path.name, "Fiscal Year / Month (abbv)",
                "unreadable fiscal year or month", f"{y} {m}")
               for r, y, m in zip(rows.filter(bad)["source_row"].to_pylist(),
                                  rows.filter(bad)["fiscal_year"].to_pylist(),
                                  rows.filter(bad)["month_abbv"].to_pylist())]
    component = pc.take(pa.array(list(COMPONENTS.values())),
                        pc.index_in(pc.utf8_lower(rows["component"]),
                                    value_set=pa.array(list(COMPONENTS))))
    n = rows.num_rows
    out = pa.table({
        "month": month, "fiscal_year": fy, "region": rows["region"], "state": rows["state"],
        "sector": pa.nulls(n, pa.string()), "demographic": rows["demographic"],
        "citizenship": rows["citizenship"], "title_of_authority": rows["title_of_authority"],
        "component": pc.coalesce(component, rows["component"]), "encounters": rows["encounters"],
        "series": pa.array([NATIONWIDE.kind] * n, pa.string()), "source_row": rows["source_row"],
    }).filter(pc.invert(bad))
    return out, rejects_table(reasons)


# ---------------------------------------------------------------- USBP by sector (wide)
SECTOR_TABLE = SourceSpec(
    kind="usbp_sector_encounters",
    table=TABLE,
    title="USBP monthly encounters by Border Patrol sector (wide table made long: rows are "
          "sector-months)",
    date_column="month",
    record_level=False,
    licence=LICENCE,
    url="https://www.cbp.gov/newsroom/media-resources/stats",
    min_header_matches=12,
    columns=(
        Column("month_number", ("month",), "int", required=True, row_required=True),
        Column("fiscal_year", ("fy", "fiscal year"), "int", required=True, row_required=True),
        Column("calendar_year", ("cy", "calendar year"), "int", required=True, row_required=True),
        *(Column(name, (name,), "int") for name in SECTORS),
    ),
)


def _derive_sectors(rows: pa.Table, plan: DerivedPlan,
        convert: ValueConverter) -> tuple[pa.Table, pa.Table]:
    """One row per sector and month; a month whose FY disagrees with the FY rule is rejected."""
    months: list[dt.date | None] = []
    rejects: list[tuple[int, str, str | None, str, str | None]] = []
    for row, cy, mo, fy in zip(rows["source_row"].to_pylist(), rows["calendar_year"].to_pylist(),
                               rows["month_number"].to_pylist(), rows["fiscal_year"].to_pylist()):
        day = dt.date(cy, mo, 1) if 1 <= mo <= 12 and 1900 < cy < 2200 else None
        if day is None or fiscal_year(day) != fy:
            rejects.append((row, plan.path.name, "month / cy / fy",
                            "month, calendar year and fiscal year do not agree", f"{mo} {cy} {fy}"))
            day = None
        months.append(day)
    month = pa.array(months, pa.date32())
    parts = []
    for column, (sector, region) in SECTORS.items():
        counts = rows[column]
        missing = pc.and_(pc.is_null(counts), pc.is_valid(month))
        rejects += [(r, plan.path.name, column, "blank or unreadable encounter count", None)
                    for r in rows.filter(missing)["source_row"].to_pylist()]
        n = rows.num_rows
        part = pa.table({
            "month": month, "fiscal_year": rows["fiscal_year"],
            "region": pa.array([region] * n), "state": pa.nulls(n, pa.string()),
            "sector": pa.array([sector] * n), "demographic": pa.nulls(n, pa.string()),
            "citizenship": pa.nulls(n, pa.string()), "title_of_authority": pa.nulls(n, pa.string()),
            "component": pa.array(["USBP"] * n), "encounters": counts,
            "series": pa.array([SECTOR_TABLE.kind] * n), "source_row": rows["source_row"],
        })
        parts.append(part.filter(pc.and_(pc.is_valid(month), pc.is_valid(counts))))
    return pa.concat_tables(parts), rejects_table(rejects)


# ---------------------------------------------------------------- USBP nationwide (DDP)
DDP_USBP = SourceSpec(
    kind="ddp_usbp_monthly_encounters",
    table=TABLE,
    title="Border Patrol encounters, nationwide, monthly (CBP public counts via the Deportation "
          "Data Project's cross-reference table)",
    date_column="month",
    record_level=False,
    licence="CC0 1.0 (Deportation Data Project table); counts are CBP public data (US government "
            "work)",
    url="https://github.com/deportationdata/cbp",
    min_header_matches=4,
    columns=(
        Column("fiscal_year", ("fiscal_year",), "int", required=True, row_required=True),
        Column("month", ("month_start",), "date", required=True, row_required=True),
        Column("encounters", ("cbp_usb_encounter_count",), "int", required=True, row_required=True),
        # DDP's count from the FOIA records: identifies the layout, not loaded (not a CBP figure)
        Column("ddp_count", ("encounters_final_count",), "int", required=True),
    ),
)


def _derive_ddp_usbp(rows: pa.Table, plan: DerivedPlan,
        convert: ValueConverter) -> tuple[pa.Table, pa.Table]:
    """Keep rows whose month is a first of month inside the stated fiscal year."""
    good, rejects = [], []
    for row, month, fy in zip(rows["source_row"].to_pylist(), rows["month"].to_pylist(),
                              rows["fiscal_year"].to_pylist()):
        ok = month.day == 1 and fiscal_year(month) == fy
        good.append(ok)
        if not ok:
            rejects.append((row, plan.path.name, "month_start / fiscal_year",
                            "month_start is not the first day of a month of fiscal_year",
                            f"{month} {fy}"))
    n = rows.num_rows
    out = pa.table({
        "month": rows["month"], "fiscal_year": rows["fiscal_year"],
        **{name: pa.nulls(n, pa.string()) for name in
           ("region", "state", "sector", "demographic", "citizenship", "title_of_authority")},
        "component": pa.array(["USBP"] * n), "encounters": rows["encounters"],
        "series": pa.array([DDP_USBP.kind] * n), "source_row": rows["source_row"],
    })
    return out.filter(pa.array(good, pa.bool_())), rejects_table(rejects)


CUSTOM = (
    DerivedSource(NATIONWIDE, TABLE, SCHEMA, _derive_nationwide, "month"),
    DerivedSource(SECTOR_TABLE, TABLE, SCHEMA, _derive_sectors, "month"),
    DerivedSource(DDP_USBP, TABLE, SCHEMA, _derive_ddp_usbp, "month"),
)
