"""Dimensions (what a metric can be broken down or filtered by) and time grains.

A dimension has a public name (used in ``--by`` / ``--where``), the canonical column that holds
it, a label, whether it is *fine* geography (county, facility: month-or-coarser only for
record-derived metrics) and, where the domain is closed, the list of valid values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from immstat.core import reference
from immstat.sources.agreements_287g import AGENCY_TYPES, AGREEMENT_TYPES

FINE_GRAINS = ("day", "week")
GRAINS = ("day", "week", "month", "fy")
PERIOD_COLUMN = {"day": "date", "week": "week", "month": "month", "fy": "fiscal_year"}


@dataclass(frozen=True)
class Dimension:
    name: str
    column: str
    label: str
    fine_geography: bool = False
    domain: Callable[[], list[str]] | None = None
    geo_level: str | None = None  # for maps: 'state', 'aor', 'county'

    def valid_values(self) -> list[str] | None:
        return self.domain() if self.domain else None


DIMENSIONS: dict[str, Dimension] = {d.name: d for d in (
    Dimension("aor", "aor", "Field office (AOR)", domain=reference.aor_codes, geo_level="aor"),
    Dimension("state", "state", "State", domain=reference.state_codes, geo_level="state"),
    Dimension("county", "county_fips", "County (FIPS)", fine_geography=True, geo_level="county"),
    Dimension("facility", "facility_code", "Detention facility", fine_geography=True),
    Dimension("facility_type", "facility_type", "Facility type"),
    Dimension("criminality", "criminality", "Criminality",
              domain=lambda: ["convicted", "pending", "other"]),
    Dimension("method", "method", "Apprehension method"),
    Dimension("program", "program", "Program"),
    Dimension("arresting_agency", "arresting_agency", "Arresting agency"),
    Dimension("citizenship", "citizenship_country", "Country of citizenship"),
    Dimension("gender", "gender", "Gender", domain=lambda: ["male", "female", "unknown"]),
    Dimension("release_reason", "release_reason", "Release reason"),
    Dimension("region", "region", "CBP region"),
    Dimension("sector", "sector", "USBP sector"),
    Dimension("component", "component", "CBP component"),
    Dimension("demographic", "demographic", "Demographic"),
    Dimension("title", "title_of_authority", "Title of authority"),
    Dimension("snapshot", "snapshot", "Snapshot (date and am/pm of collection)"),
    Dimension("agreement_type", "support_type", "287(g) agreement model",
              domain=lambda: list(AGREEMENT_TYPES)),
    Dimension("agency_type", "agency_type", "Agency type", domain=lambda: list(AGENCY_TYPES)),
    Dimension("technology", "technology", "ATD technology"),
    Dimension("legal_stage", "legal_stage", "Legal stage (ATD)"),
    Dimension("birth_country", "birth_country", "Country of birth"),
)}
