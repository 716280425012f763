"""Residents per state, field office (AOR) and county (Census 2020) for per-capita maps.

Populations come from the bundled ``reference/counties.csv`` (``pop2020``) and are summed to states
and to AORs through ``reference/county_aor.csv``. No population is known → no per-capita option.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import pyarrow as pa
import pyarrow.compute as pc

from immstat.core import reference
from immstat.metrics import Result

PER = 100_000


@lru_cache(maxsize=1)
def _counties() -> dict[str, int]:
    try:
        rows = reference.read_csv_rows("reference", "counties.csv")
    except FileNotFoundError:
        return {}
    return {r["fips"]: int(r["pop2020"]) for r in rows if (r.get("pop2020") or "").isdigit()}


@lru_cache(maxsize=3)
def population(level: str) -> dict[str, int]:
    """Code (USPS state, AOR code, county FIPS) → residents in 2020; empty when unknown."""
    counties = _counties()
    if level == "county" or not counties:
        return counties if level == "county" else {}
    key = "state" if level == "state" else "aor"
    out: dict[str, int] = {}
    for row in reference.read_csv_rows("reference", "county_aor.csv"):
        pop = counties.get(row["county_fips"])
        if pop and row.get(key):
            out[row[key]] = out.get(row[key], 0) + pop
    return out


def per_capita(result: Result, level: str) -> Result:
    """The same Result with each value divided by the area's residents, per 100,000."""
    pops = population(level)
    codes = result.table.column(level).to_pylist()
    divisor = pa.array([pops.get(c) for c in codes], pa.float64())
    values = pc.multiply(pc.divide(result.table.column("value"), divisor), float(PER))
    table = result.table.set_column(result.table.schema.get_field_index("value"), "value", values)
    metric = replace(result.metric, unit=f"{result.metric.unit} per 100,000 residents")
    return replace(result, table=table, metric=metric,
                   notes=[*result.notes, "per 100,000 residents (Census 2020 county populations)"])
