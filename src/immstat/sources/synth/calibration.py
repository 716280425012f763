"""Every number the synthetic generator is calibrated to, with where it comes from.

Two kinds of numbers live here, and they are kept apart on purpose:

* **Published** — national ICE ERO administrative arrests and removals per fiscal year,
  FY2016–FY2024, from ICE's ERO annual reports (FY2016–FY2020) and ICE Annual Reports
  (FY2021–FY2024), read through :mod:`immstat.core.published` (e.g. FY2024: 113,431 arrests,
  271,484 removals). Each synthetic fiscal year's arrests and removals equal them exactly.
* **Assumptions** — everything else (seasonality, AOR shares, criminality and citizenship mixes,
  methods, detention and removal probabilities, lengths of stay). They are plausible, round values
  chosen to give realistic-looking files, loosely shaped on the Deportation Data Project's
  published analyses of the FOIA releases; they are NOT ICE figures and no output presents them
  as such. Fiscal years after the last published one use :data:`SCENARIO`, stated in every banner
  and carried into every result's provenance.

The interior pipeline that starts with an ERO arrest is simulated person by person. Most of ICE's
removals are of people apprehended at the border, whom that pipeline never meets: each fiscal
year is topped up with such removals (people not arrested in the interior, :data:`BORDER_*`
assumptions) until its removals equal the published total.
"""

from __future__ import annotations

import datetime as dt

from immstat.core.published import Measure, annual_totals


# ------------------------------------------------------------------ published national totals
def published_arrests() -> dict[int, int]:
    """Fiscal year → national ERO administrative arrests, as published by ICE."""
    return annual_totals("arrests")


SCENARIO = "constant"
SCENARIO_TEXT = ("Scenario (not published): fiscal years after FY{last} repeat FY{last}'s published "
                 "totals of {arrests:,} arrests and {removals:,} removals; this is an assumption, "
                 "not an ICE figure.")


def published_total(measure: Measure, fy: int) -> tuple[int, str]:
    """National arrests or removals for ``fy`` and its basis: 'published' or 'scenario: constant'."""
    published = annual_totals(measure)
    if fy in published:
        return published[fy], "published"
    if fy < min(published):
        raise ValueError(f"FY{fy}")
    return published[max(published)], f"scenario: {SCENARIO}"


def arrest_total(fy: int) -> tuple[int, str]:
    return published_total("arrests", fy)


def scenario_text() -> str:
    last = max(published_arrests())
    return SCENARIO_TEXT.format(last=last, arrests=published_arrests()[last],
                                removals=annual_totals("removals")[last])


# ------------------------------------------------------------------ time
# Relative weight of each fiscal month (Oct = 1 … Sep = 12): fewer arrests around the holidays.
SEASONALITY = (1.00, 0.93, 0.82, 0.97, 0.98, 1.06, 1.04, 1.06, 1.03, 1.05, 1.04, 1.02)
POLICY_CHANGE = dt.date(2025, 1, 20)  # arrests ramp up and the 'other' share rises after this
RAMP = 1.6  # assumption: monthly weight multiplier reached ~4 months after POLICY_CHANGE
CUSTODIAL_RELABEL = dt.date(2025, 7, 28)  # ICE records CAP arrests as "Custodial Arrest" from here

# ------------------------------------------------------------------ places
# AOR weights (per cent of arrests, assumption) and the states each AOR's arrests happen in.
AOR_SHARES = {
    "ATL": 8.5, "BAL": 1.6, "BOS": 2.6, "BUF": 1.3, "CHI": 5.2, "DAL": 7.4, "DEN": 2.2, "DET": 2.6,
    "ELP": 2.3, "HLG": 3.4, "HOU": 8.8, "LOS": 5.0, "MIA": 6.6, "NEW": 2.2, "NOL": 6.2, "NYC": 2.5,
    "PHI": 3.0, "PHO": 4.3, "SEA": 1.9, "SFR": 2.4, "SLC": 2.8, "SNA": 6.3, "SND": 2.3, "SPM": 3.0,
    "WAS": 3.6,
}
AOR_STATES = {
    "ATL": "GA NC SC", "BAL": "MD", "BOS": "MA CT ME NH RI VT", "BUF": "NY", "CHI": "IL IN WI MO KY KS",
    "DAL": "TX OK", "DEN": "CO WY", "DET": "MI OH", "ELP": "TX NM", "HLG": "TX", "HOU": "TX",
    "LOS": "CA", "MIA": "FL", "NEW": "NJ", "NOL": "LA AL AR MS TN", "NYC": "NY", "PHI": "PA DE WV",
    "PHO": "AZ", "SEA": "WA OR AK", "SFR": "CA HI", "SLC": "UT ID MT NV", "SNA": "TX",
    "SND": "CA", "SPM": "MN IA NE ND SD", "WAS": "VA DC",
}
TRANSFER_HUBS = ("NOL", "HOU", "SNA", "ELP", "PHO")  # where transferred detainees often go
FACILITIES_PER_AOR = 6  # synthetic facility codes <AOR><STATE><nn>; jails use <AOR><STATE>J<n>

# ------------------------------------------------------------------ people (fixed per person)
CITIZENSHIP = {
    "MEXICO": 38.0, "GUATEMALA": 14.0, "HONDURAS": 12.0, "EL SALVADOR": 6.0, "VENEZUELA": 4.0,
    "COLOMBIA": 3.0, "ECUADOR": 3.0, "CUBA": 2.5, "DOMINICAN REPUBLIC": 2.5, "NICARAGUA": 2.0,
    "BRAZIL": 1.5, "HAITI": 1.5, "INDIA": 1.2, "CHINA, PEOPLES REPUBLIC OF": 1.0, "PERU": 1.0,
    "JAMAICA": 0.8, "ROMANIA": 0.5, "RUSSIA": 0.4, "NIGERIA": 0.4, "PHILIPPINES": 0.4,
    "VIETNAM": 0.4, "CANADA": 0.3, "UNKNOWN": 0.1,
}
GENDER = {"Male": 88.0, "Female": 11.9, "Unknown": 0.1}
AGE_MEAN, AGE_SD, AGE_MIN, AGE_MAX = 34.0, 10.0, 18, 80

# ------------------------------------------------------------------ arrests
CRIMINALITY_LABELS = ("1 Convicted Criminal", "2 Pending Criminal Charges",
                      "3 Other Immigration Violator")
CRIMINALITY_CODES = ("convicted", "pending", "other")
CRIMINALITY_BEFORE = (0.55, 0.30, 0.15)  # assumption for arrests before POLICY_CHANGE
CRIMINALITY_AFTER = (0.36, 0.26, 0.38)  # assumption ~6 months after it (linear ramp in between)

# method → (weight for convicted/pending, weight for other, program, booked-in probability)
METHODS = {
    "CAP Local Incarceration": (40.0, 8.0, "ERO Criminal Alien Program", 0.93),
    "CAP State Incarceration": (9.0, 1.0, "ERO Criminal Alien Program", 0.95),
    "CAP Federal Incarceration": (5.0, 1.0, "ERO Criminal Alien Program", 0.96),
    "287(g) Program": (7.0, 5.0, "287(g) Program", 0.90),
    "Located": (18.0, 36.0, "Fugitive Operations", 0.80),
    "Non-Custodial Arrest": (12.0, 36.0, "Non-Detained Docket Control", 0.65),
    "Probation and Parole": (5.0, 1.0, "ERO Criminal Alien Program", 0.85),
    "Other efforts": (4.0, 12.0, "Alternatives to Detention", 0.55),
}
JAIL_METHODS = ("CAP Local Incarceration", "CAP State Incarceration", "CAP Federal Incarceration",
                "287(g) Program")
PROGRAM_GROUP = {"ERO Criminal Alien Program": "Criminal Alien Program",
                 "287(g) Program": "287(g)", "Fugitive Operations": "Fugitive Operations",
                 "Non-Detained Docket Control": "Docket Control",
                 "Alternatives to Detention": "Alternatives to Detention"}
REPEAT_SHARE = 0.12  # share of arrests that re-arrest a person seen before (when one is free)

# ------------------------------------------------------------------ what happens next
ENCOUNTER_EXTRA = 0.45  # encounters not followed by an arrest, per arrest
DETAINER_SHARE = 0.85  # jail-based arrests preceded by a detainer
DETAINER_EXTRA = 0.35  # detainers never followed by an arrest, per jail-based arrest
REMOVED_IF_DETAINED = (0.78, 0.62, 0.66)  # by criminality (convicted, pending, other)
REMOVED_IF_NOT_DETAINED = 0.04
TRANSFER_SHARE = 0.30  # stays with a second stint at another facility
LOS_LOG_MEAN, LOS_LOG_SD, LOS_MAX = 3.35, 1.0, 730  # days per stay; lognormal, mean ≈ 47
REENTRY_DAYS = (60, 900)  # a removed person may be re-arrested after this many days
RELEASE_REASONS = {"Bonded Out": 30.0, "Order of Recognizance": 25.0, "Paroled": 15.0,
                   "Released (ATD)": 20.0, "Prosecutorial Discretion": 5.0,
                   "Relief Granted by IJ": 5.0}
DETAINER_LIFT_REASONS = ("Subject Released by LEA", "Detainer Declined by LEA",
                         "Prosecutorial Discretion", "Subject Removed")
DETAINER_TYPE = "Immigration Detainer - Notice of Action (I-247A)"
REMOVAL_CASE_CATEGORY = {"[16] Reinstated Final Order": 30.0, "[8F] Expedited Removal": 20.0,
                         "[3] Deportable - Administratively Final Order": 25.0,
                         "[12] Judicial Deportation / Removal": 5.0,
                         "[8C] Excludable / Inadmissible - Administrative Final Order Issued": 20.0}
OPEN_CASE_CATEGORY = {"[2A] Deportable - Under Adjudication by IJ": 55.0,
                      "[8B] Excludable / Inadmissible - Under Adjudication by IJ": 25.0,
                      "[5B] Removable - ICE Fugitive": 20.0}
REMOVED_STATUS = "8-Excluded/Deported/Removed"
OPEN_STATUS = "ACTIVE"
# removals of people the interior pipeline never meets (apprehended at the border): assumptions
BORDER_CRIMINALITY = (0.20, 0.10, 0.70)  # convicted, pending, other
BORDER_LAG_DAYS = 30  # apprehension 0–30 days before removal
BORDER_CASE_CATEGORY = {"[8F] Expedited Removal": 55.0, "[16] Reinstated Final Order": 40.0,
                        "[8C] Excludable / Inadmissible - Administrative Final Order Issued": 5.0}

# ------------------------------------------------------------------ dirty values (rates per row)
DIRTY = {"blank_date": 0.004, "impossible_date": 0.002, "unknown_aor": 0.003,
         "blank_criminality": 0.002, "duplicate": 0.003, "whitespace": 0.01}
IMPOSSIBLE_DATE_TEXT = ("2/30/2024", "13/01/2024", "00/00/0000", "1/1/2099", "12/31/1899")
UNKNOWN_AOR = ("HQ", "Unknown AOR")
REDACTIONS = ("(b)(6), (b)(7)(C)", "(b)(6),(b)(7)(c )", "b(6), b(7)c")
