"""The FOIA file layouts the generator writes: exact headers (as in the Deportation Data Project's
code for each release) and, per header, which simulated field fills it.

A column source is ``(field, how)``: ``how`` is ``"date"``, ``"ts"`` (date + minute field),
``"int"``, ``"pid"``, a label table name from :data:`TABLES`, ``"redacted"`` or ``"const:<text>"``.
Headers not listed in ``FILL`` are left blank, as ICE leaves many columns blank.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from immstat.sources.synth import calibration as cal
from immstat.sources.synth import labels as lab

TABLES: dict[str, Callable[[], Sequence[str]]] = {
    "aor": lab.aor_names, "state": lab.states, "method": lambda: lab.METHOD_LABELS,
    "program": lambda: lab.PROGRAM_LABELS,
    "program_group": lambda: tuple(cal.PROGRAM_GROUP[p] for p in lab.PROGRAM_LABELS),
    "crim": lambda: cal.CRIMINALITY_LABELS, "status": lambda: lab.CASE_STATUS_LABELS,
    "category": lambda: lab.CASE_CATEGORY_LABELS, "cit": lambda: tuple(cal.CITIZENSHIP),
    "gender": lambda: tuple(cal.GENDER), "yes_no": lambda: lab.YES_NO,
    "threat": lambda: lab.THREAT_LABELS, "facility": lambda: lab.facilities()[0],
    "release": lambda: lab.RELEASE_LABELS, "lift": lambda: cal.DETAINER_LIFT_REASONS,
    "msc": lambda: lab.MSC_LABELS,
}
REDACTED = ("Birth Date", "Alien File Number", "EID Case ID", "EID Subject ID", "EID DTA ID")
_PERSON = {"Gender": ("gender", "gender"), "Citizenship Country": ("cit", "cit"),
           "Birth Country": ("cit", "cit"), "Birth Year": ("byear", "int"),
           "Case Status": ("status", "status"), "Case Category": ("category", "category"),
           "Departed Date": ("departed", "date"), "Departure Country": ("departure_cit", "cit"),
           "Final Order Yes No": ("final_order", "yes_no"),
           "Final Order Date": ("final_order_date", "date")}


@dataclass(frozen=True)
class Layout:
    kind: str
    title: str  # period line of the banner
    sheet: str
    header: tuple[str, ...]
    fill: dict[str, tuple[str, str]]
    date_header: str  # the column that places a row in time (blank/impossible → reject)
    aor_header: str
    crim_header: str

    def source(self, header: str) -> tuple[str, str] | None:
        if header in REDACTED:
            return ("", "redacted")
        return self.fill.get(header)


def _h(text: str) -> tuple[str, ...]:
    return tuple(h.strip() for h in text.split("|"))


ARRESTS = Layout(
    "arrests", "ICE ERO Administrative Arrests", "Admin Arrests",
    _h("Apprehension Date|Apprehension State|Apprehension County|Apprehension AOR|Final Program|"
       "Final Program Group|Apprehension Method|Apprehension Criminality|Case Status|Case Category|"
       "Departed Date|Departure Country|Final Order Yes No|Final Order Date|Birth Date|Birth Year|"
       "Citizenship Country|Gender|Apprehension Site Landmark|Alien File Number|EID Case ID|"
       "EID Subject ID|Unique Identifier"),
    {**_PERSON, "Apprehension Date": ("date", "date"), "Apprehension State": ("state", "state"),
     "Apprehension AOR": ("aor", "aor"), "Final Program": ("program", "program"),
     "Final Program Group": ("program", "program_group"),
     "Apprehension Method": ("method", "method"), "Apprehension Criminality": ("crim", "crim"),
     "Unique Identifier": ("pid", "pid")},
    "Apprehension Date", "Apprehension AOR", "Apprehension Criminality")

DETAINERS = Layout(
    "detainers", "ICE Detainers", "Detainers",
    _h("Detainer Prepare Date|Facility State|Facility AOR|Port of Departure|Departure Country|"
       "Departed Date|Case Status|Detainer Prepared Criminality|Detention Facility|"
       "Detention Facility Code|Facility City|Detainer Prep Threat Level|Gender|Citizenship Country|"
       "Birth Country|Birth Date|Birth Year|Entry Status|Most Serious Conviction (MSC) Charge|"
       "MSC Sentence Days|MSC Sentence Months|MSC Sentence Years|MSC Charge Code|MSC Charge Date|"
       "MSC Conviction Date|Felon|Processing Disposition|Case Category|Final Program|"
       "Time of Apprehension Case Category|Time of Apprehension Current Program|Apprehension Method|"
       "Case Final Order Yes No|Final Order Date|Apprehension Date|Entry Date|Prior Felony Yes No|"
       "Multiple Prior MISD Yes No|Violent Misdemeanor Yes No|Illegal Entry Yes No|"
       "Illegal Reentry Yes No|Immigration Fraud Yes No|Significant Risk Yes No|"
       "Other Removal Reason Yes No|Other Removal Reason|Criminal Street Gang Yes No|"
       "Aggravated Felony Yes No|Deportation Ordered Yes No|Order to Show Cause Served Yes No|"
       "Order to Show Cause Served Date|Biometric Match Yes No|Statements Made Yes No|"
       "Unlawful Attempt Yes No|Unlawful Entry Yes No|Visa Yes No|Final Order Yes No|"
       "Federal Interest Yes No|Resume Custody Yes No|Detainer Lift Reason|Detainer Type|"
       "Alien File Number|EID Case ID|EID Subject ID|EID DTA ID|Unique Identifier"),
    {**_PERSON, "Detainer Prepare Date": ("date", "date"), "Facility State": ("state", "state"),
     "Facility AOR": ("aor", "aor"), "Detainer Prepared Criminality": ("crim", "crim"),
     "Detention Facility Code": ("facility", "facility"),
     "Detainer Prep Threat Level": ("threat", "threat"), "Final Program": ("program", "program"),
     "Apprehension Method": ("method", "method"),
     "Case Final Order Yes No": ("final_order", "yes_no"),
     "Apprehension Date": ("appr_date", "date"), "Detainer Lift Reason": ("lift", "lift"),
     "Detainer Type": ("", "const:" + cal.DETAINER_TYPE), "Unique Identifier": ("pid", "pid")},
    "Detainer Prepare Date", "Facility AOR", "Detainer Prepared Criminality")

ENCOUNTERS = Layout(
    "encounters", "ICE ERO Encounters", "Encounters",
    _h("Event Date|Responsible AOR|Responsible Site|Lead Event Type|Lead Source|Event Type|"
       "Final Program|Final Program Group|Encounter Criminality|Processing Disposition|Case Status|"
       "Case Category|Departed Date|Departure Country|Final Order Yes No|Final Order Date|"
       "Birth Date|Birth Year|Citizenship Country|Gender|Event Landmark|Alien File Number|"
       "EID Case ID|EID Subject ID|Unique Identifier"),
    {**_PERSON, "Event Date": ("date", "date"), "Responsible AOR": ("aor", "aor"),
     "Event Type": ("event", "method"), "Final Program": ("program", "program"),
     "Final Program Group": ("program", "program_group"),
     "Encounter Criminality": ("crim", "crim"), "Unique Identifier": ("pid", "pid")},
    "Event Date", "Responsible AOR", "Encounter Criminality")

DETENTION_STINTS = Layout(
    "detention_stints", "ICE Detentions", "Detentions",
    _h("Stay Book In Date Time|Book In Date Time|Detention Facility|Book Out Date Time|"
       "Stay Book Out Date Time|Detention Release Reason|Stay Book Out Date|Stay Release Reason|"
       "Religion|Gender|Marital Status|Ethnicity|Birth Country|Citizenship Country|Entry Status|"
       "Known Terrorist Yes No|Suspected Gang Yes No|MSC Charge|MSC Sentence Days|"
       "MSC Sentence Months|MSC Sentence Years|MSC Charge Code|Aggravated Felon Yes No|"
       "Offense INA 236C Yes No|Case INA 236C Yes No|Bond Posted Date|Bond Posted Amount|"
       "Case Status|Case Category|Final Order Yes No|Final Order Date|Case Threat Level|"
       "Detainee Classification|Final Charge|Departed Date|Departure Country|"
       "Initial Bond Set Amount|Initial Bond Set Date|Detention Facility Code|Birth Date|"
       "Birth Year|Book In Criminality|Race|Entry Date|Apprehension Final Program|MSC Charge Date|"
       "MSC Conviction Date|MSC Criminal Charge Status|MSC Criminal Charge Status Code|"
       "MSC Crime Class|Book In Site|Book In AOR|Anonymized Identifier"),
    {**_PERSON, "Stay Book In Date Time": ("stay_in", "ts:stay_in_min"),
     "Book In Date Time": ("date", "ts:in_min"), "Book Out Date Time": ("out", "ts:out"),
     "Stay Book Out Date Time": ("stay_out", "ts:out"),
     "Detention Release Reason": ("release", "release"), "Stay Book Out Date": ("stay_out", "date"),
     "Stay Release Reason": ("stay_release", "release"), "Case Threat Level": ("threat", "threat"),
     "Detention Facility Code": ("facility", "facility"), "Book In Criminality": ("crim", "crim"),
     "Apprehension Final Program": ("program", "program"), "Book In AOR": ("aor", "aor"),
     "Anonymized Identifier": ("pid", "pid")},
    "Book In Date Time", "Book In AOR", "Book In Criminality")

REMOVALS = Layout(
    "removals", "ICE Removals", "Removals",
    _h("Departed Date|Port of Departure|Departure Country|Docket AOR|Apprehension State|"
       "Apprehension County|Case Status|Gender|Birth Country|Citizenship Country|Birth Date|"
       "Birth Year|Entry Date|Entry Status|MSC NCIC Charge|MSC NCIC Charge Code|MSC Charge Date|"
       "MSC Criminal Charge Status|MSC Criminal Charge Status Code|MSC Conviction Date|"
       "Case Threat Level|Case Criminality|Felon|Processing Disposition|Case Category|"
       "Final Program|Final Program Code|Case Category Time of Arrest|"
       "Latest Arrest Program Current|Latest Arrest Program Current Code|"
       "Latest Person Apprehension Date|Final Order Yes No|Final Order Date|Final Charge Code|"
       "Final Charge Section Code|Prior Deport Yes No|Latest Person Departed Date|"
       "Alien File Number|EID Case ID|EID Subject ID|Unique Identifier"),
    {**_PERSON, "Departed Date": ("date", "date"), "Docket AOR": ("aor", "aor"),
     "Apprehension State": ("state", "state"), "MSC NCIC Charge": ("msc", "msc"),
     "Case Threat Level": ("threat", "threat"), "Case Criminality": ("crim", "crim"),
     "Final Program": ("program", "program"), "Latest Person Apprehension Date": ("appr_date", "date"),
     "Unique Identifier": ("pid", "pid")},
    "Departed Date", "Docket AOR", "Case Criminality")

LAYOUTS = {lay.kind: lay for lay in (ARRESTS, DETAINERS, ENCOUNTERS, DETENTION_STINTS, REMOVALS)}
