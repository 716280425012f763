"""Bundled reference tables (AORs, states) and the alias maps readers use to normalise codes.

The CSVs live in ``immstat/data/reference/`` (public facts; see DATA_LICENSES).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from pathlib import Path


def data_path(*parts: str) -> Path:
    """Path of a file bundled in ``immstat/data``."""
    return Path(str(resources.files("immstat").joinpath("data", *parts)))


def read_csv_rows(*parts: str) -> list[dict[str, str]]:
    with data_path(*parts).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def aors() -> list[dict[str, str]]:
    """ICE ERO field offices (areas of responsibility)."""
    return read_csv_rows("reference", "aor.csv")


@lru_cache(maxsize=1)
def states() -> list[dict[str, str]]:
    return read_csv_rows("reference", "states.csv")


@lru_cache(maxsize=1)
def aor_aliases() -> dict[str, str]:
    """Lower-case spelling → AOR code ('atlanta', 'atlanta area of responsibility', 'atl')."""
    out: dict[str, str] = {}
    for row in aors():
        code, name = row["code"], row["name"].lower()
        for alias in (code.lower(), name, name.replace(".", ""), f"{name} area of responsibility",
                      f"{name} field office", f"{name} aor"):
            out[alias] = code
    return out


@lru_cache(maxsize=1)
def state_aliases() -> dict[str, str]:
    """Lower-case state name or USPS code → USPS code."""
    out: dict[str, str] = {}
    for row in states():
        name = row["name"].lower()
        for alias in (row["code"].lower(), name, name.replace("u.s.", "united states"),
                      f"commonwealth of the {name}", f"commonwealth of {name}"):
            out[alias] = row["code"]
    return out


@lru_cache(maxsize=1)
def facilities() -> dict[str, dict[str, str]]:
    """Detention facilities by code (name, city, state, county FIPS, type, AOR)."""
    return {r["facility_code"]: r for r in read_csv_rows("reference", "facilities.csv")}


def facility(code: str) -> dict[str, str] | None:
    """One facility's reference row, or None if the code is not in the bundled list."""
    return facilities().get(code)


def aor_codes() -> list[str]:
    return [row["code"] for row in aors()]


def state_codes() -> list[str]:
    return [row["code"] for row in states()]


def annual_totals(column: str) -> dict[int, float]:
    """ICE's published national totals per fiscal year (``ero_administrative_arrests`` or
    ``removals``) from the bundled ``ice-annual-arrests-removals.csv`` (ICE annual reports)."""
    return {int(row["fiscal_year"]): float(row[column])
            for row in read_csv_rows("reference", "ice-annual-arrests-removals.csv") if row.get(column)}
