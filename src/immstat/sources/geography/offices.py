"""Check and refresh ``aor.csv`` (ICE ERO field offices) from the CC0 NOCCC/DDP office list.

For each AOR the office is the ERO row named "<AOR name> Field Office"; where ICE lists the field
office only through a sub-office (Miami → "Miami, FL" in Miramar) that row is used. Codes and
names stay as they are (they are the codes ICE data uses); city, state and coordinates come from
the office list.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from immstat.core import reference
from immstat.core.errors import ConfigError

AOR_FIELDS = ("code", "name", "office_city", "office_state", "lat", "lon")


def _norm(text: str) -> str:
    return str(text).lower().replace(".", "").strip()


def build_aor(offices_xlsx: Path) -> list[dict]:
    offices = pd.read_excel(offices_xlsx, engine="calamine")
    ero = offices[offices["agency"] == "ERO"]
    out = []
    for row in reference.aors():
        name = _norm(row["name"])
        main = ero[(~ero["sub_office"].astype(bool))
                   & (ero["office_name"].map(_norm) == f"{name} field office")]
        if main.empty:
            main = ero[(ero["field_office_name"].fillna("").map(_norm) == f"{name} field office")
                       & ero["office_name"].map(_norm).str.startswith(name)]
        if main.empty:
            raise ConfigError(f"{offices_xlsx}: no ERO field office found for AOR {row['code']} "
                              f"({row['name']}); check the office list or aor.csv.")
        office = main.iloc[0]
        out.append({"code": row["code"], "name": row["name"], "office_city": office["city"],
                    "office_state": office["state"],
                    "lat": f"{office['office_latitude']:.5f}",
                    "lon": f"{office['office_longitude']:.5f}"})
    return out
