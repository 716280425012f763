"""ICE's FOIA release 2019-ICFO-53623 (ERO-LESA Statistical Tracking Unit): arrests, removals and
encounters FY2016 – FY2019, one pipe-separated file per kind and year, five banner lines.

The layout is older and thinner than the Deportation Data Project's releases: no criminality, no
state or county, no person identifier. Each kind is a :meth:`SourceSpec.variant` of the general
FOIA spec, so the rows land in the same tables with the same columns; every column this layout
lacks is null for the whole file and listed as *not provided* in the file's provenance (a page
can then say "this release has no criminality" instead of showing it as unknown). Birth dates
(redacted by ICE), apprehension landmarks and event landmarks are never mapped, so never loaded.
Removals count in the fiscal year of their removal date (as ICE's annual totals do).
"""

from __future__ import annotations

from immstat.sources.ice_foia import ARRESTS, ENCOUNTERS, REMOVALS

RELEASE = "2019-ICFO-53623"
_TITLE = f"(FOIA {RELEASE}, FY2016–FY2019, record level)"

ARRESTS_2019 = ARRESTS.variant(
    "ice_arrests_2019", f"ICE ERO administrative arrests {_TITLE}",
    raw={"aor": ("Area of Responsibility",), "apprehension_date": ("Apprehension Date",),
         "method": ("Apprehension Method",), "operation": ("Operation",),
         "processing_disposition": ("Processing Disposition",),
         "citizenship_country": ("Citizenship",), "gender": ("Gender",)},
    required=("aor", "apprehension_date", "method", "processing_disposition"),
    min_header_matches=6)

REMOVALS_2019 = REMOVALS.variant(
    "ice_removals_2019", f"ICE removals {_TITLE}",
    raw={"aor": ("Area of Responsibility",), "apprehension_date": ("Apprehension Date",),
         "processing_disposition": ("Processing Disposition Code",),
         "citizenship_country": ("Citizenship",), "gender": ("Gender",),
         "case_threat_level": ("RC Threat Level",),
         "final_charge_section": ("Final Charge Section",),
         "departed_date": ("Departed Date",), "removal_date": ("Removal Date",)},
    required=("aor", "removal_date", "departed_date", "final_charge_section"),
    min_header_matches=7)

ENCOUNTERS_2019 = ENCOUNTERS.variant(
    "ice_encounters_2019", f"ICE ERO encounters {_TITLE}",
    raw={"aor": ("Event Area of Responsibility",), "encounter_date": ("Event Date",),
         "operation": ("Operation",), "processing_disposition": ("Processing Disposition",),
         "citizenship_country": ("Citizenship",), "gender": ("Gender",)},
    required=("aor", "encounter_date", "processing_disposition"),
    min_header_matches=6)

SPECS = (ARRESTS_2019, REMOVALS_2019, ENCOUNTERS_2019)
