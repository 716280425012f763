"""287(g) agreements (table ``agreements_287g``): published lists, not suppressed.

Grain semantics. ICE's list is a *stock* published as snapshots (date and am/pm of collection),
never a flow: ``agencies_287g`` and ``agreements_287g`` read the newest snapshot of each cell and
never add snapshots (see :mod:`immstat.metrics.snapshots`). ``--by snapshot`` gives the series of
collected snapshots, nothing interpolated between them; ``--grain month`` gives the newest snapshot
of each month that has one. ``agreements_287g_signed`` / ``agencies_287g_signed`` date the
agreements of the newest list that carries signing dates (ICE's download) by their SIGNED date:
``--from 2025-01-20`` → signed since then, ``--grain month`` → by signing month.

Counting. An agency is a state plus its name (case, apostrophes, "Department"/"Office" ignored);
an agreement is an agency plus a model (Task Force, Jail Enforcement, Warrant Service Officer). A
listing repeated word for word in one snapshot counts once.
"""

from __future__ import annotations

from immstat.metrics.measures import CountDistinct
from immstat.metrics.registry import Metric, register
from immstat.metrics.snapshots import Snapshots
from immstat.sources.agreements_287g import ICE_URL

TABLE = "agreements_287g"
DIMS = ("snapshot", "state", "county", "aor", "agreement_type", "agency_type")
SOURCE_NOTE = (f"ICE 287(g) participating-agencies list ({ICE_URL}): 17 snapshots collected by "
               "287g-watch (16 May – 3 Jul 2025, MIT) and ICE's download of 13 Aug 2025; published "
               "lists, shown as published, not suppressed.")
GEO_NOTE = ("county: the list's county name matched to FIPS (with reviewed misspellings); aor: "
            "county → AOR crosswalk. Agencies listed without a county (state agencies, some police "
            "departments) count in state totals only: county and aor are blank for them.")
STOCK_NOTE = ("Snapshot stock: without --by/--where snapshot each cell reads the newest snapshot "
              "(per period with --grain); snapshots are never summed or interpolated.")
SIGNED_NOTE = ("Signing dates come from ICE's own list downloads (the newest one is read; 13 Aug "
               "2025 in the bundled data): agreements that ended before it are not listed, so "
               "older signing months are undercounted.")
AGENCY_TYPE_NOTE = ("agency_type: County / Municipality / State as ICE's list gives it; for "
                    "287g-watch snapshots mapped from the FBI agency type (blank where unmatched).")


def _signed(t, _backend=None):
    """Agreements with a signing date, dated by it (the fiscal year follows the signing date)."""
    return t.filter(t.signed_date.notnull()).drop("fiscal_year")


def _metric(name: str, title: str, description: str, unit: str, key: str, signed: bool) -> Metric:
    return Metric(
        name, title, description, unit, TABLE, CountDistinct(key),
        "signed_date" if signed else "snapshot_date", DIMS, record_derived=False,
        derive=_signed if signed else None, snapshots=Snapshots(per_period=not signed),
        mappable=not signed, topic="cooperation",
        notes=(SOURCE_NOTE, SIGNED_NOTE if signed else STOCK_NOTE, GEO_NOTE, AGENCY_TYPE_NOTE))


register(
    _metric("agencies_287g", "Agencies with a 287(g) agreement",
            "Distinct law-enforcement agencies on ICE's 287(g) participating-agencies list, as of "
            "the newest snapshot (or each snapshot with --by snapshot).", "agencies", "agency_key",
            signed=False),
    _metric("agreements_287g", "287(g) agreements",
            "287(g) agreements on ICE's list: one per agency and model (an agency may hold several "
            "models), as of the newest snapshot (or each snapshot with --by snapshot).",
            "agreements", "agreement_key", signed=False),
    _metric("agreements_287g_signed", "287(g) agreements by signing date",
            "Agreements on ICE's newest list with signing dates, counted by the date they were "
            "signed: a window gives those signed in it (e.g. --from 2025-01-20: signed since).",
            "agreements", "agreement_key", signed=True),
    _metric("agencies_287g_signed", "Agencies that signed a 287(g) agreement (by signing date)",
            "Distinct agencies on ICE's newest list with signing dates that signed at least one "
            "agreement in the period.", "agencies", "agency_key", signed=True),
)
