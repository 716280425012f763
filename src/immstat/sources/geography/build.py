"""Write the reference CSVs from the shared input files (see the package docstring)."""

from __future__ import annotations

import csv
from pathlib import Path

from immstat.core import reference
from immstat.sources.geography.counties import (
    COUNTY_AOR_FIELDS,
    COUNTY_FIELDS,
    build_county_aor,
    read_aor_areas,
    read_atlas_extra,
    read_geocorr,
)
from immstat.sources.geography.facilities import FACILITY_FIELDS, build_facilities
from immstat.sources.geography.names import county_index
from immstat.sources.geography.offices import AOR_FIELDS, build_aor


def build_tables(shared: Path) -> dict[str, tuple[tuple[str, ...], list[dict]]]:
    """name → (fields, rows) for aor, counties, county_aor (facilities need counties bundled)."""
    shared = Path(shared)
    counties = read_geocorr(shared / "geo/geocorr2022_county.csv")
    counties += read_atlas_extra(shared / "geo/us-atlas/counties-10m.json",
                                 {c["fips"] for c in counties})
    defaults, exceptions = read_aor_areas(shared / "ddp/offices/ice-areas-of-responsibility.csv")
    return {
        "aor": (AOR_FIELDS, build_aor(shared / "ddp/offices/ice-offices-noccc.xlsx")),
        "counties": (COUNTY_FIELDS, counties),
        "county_aor": (COUNTY_AOR_FIELDS, build_county_aor(counties, defaults, exceptions)),
    }


def write_csv(path: Path, fields: tuple[str, ...], rows: list[dict]) -> None:
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: ("" if r.get(k) is None else r[k]) for k in fields} for r in rows)


def build_reference(shared: Path, out: Path | None = None) -> dict[str, int]:
    """Rebuild every reference CSV into ``out`` (default: the bundled folder); rows per table."""
    out = Path(out) if out else reference.data_path("reference")
    counts = {}
    tables = build_tables(shared)
    for name, (fields, rows) in tables.items():
        write_csv(out / f"{name}.csv", fields, rows)
        counts[name] = len(rows)
    reference.aors.cache_clear()
    county_index.cache_clear()
    county_aor = {r["county_fips"]: r["aor"] for r in tables["county_aor"][1] if r["aor"]}
    facilities = build_facilities(Path(shared), county_aor)
    write_csv(out / "facilities.csv", FACILITY_FIELDS, facilities)
    counts["facilities"] = len(facilities)
    return counts
