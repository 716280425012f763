"""Model defaults from REAL published data, each with its source and release.

* ALOS by arresting agency, ADP, book-ins by arresting agency and removals: the newest fiscal year
  in the ICE detention statistics (``detention_stats_*`` metrics; newest release ≤ ``as_of``).
* Share of ICE arrests booked into detention: ICE-arrest book-ins ÷ ICE administrative arrests for
  the newest fiscal year with both (arrests from ICE annual reports, bundled reference file).

A default the warehouse cannot supply is ``None`` (the caller must then pass the value).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from immstat.analysis.targets.published import cite, covered_days, release_by_fy
from immstat.core.calendar import fy_days
from immstat.core.reference import read_csv_rows

ARRESTS_FILE = ("reference", "ice-annual-arrests-removals.csv")
# the model's inputs (analysis.capacity's names) as a reader would say them
ASSUMPTION_WORDS: dict[str, str] = {
    "alos": "Average stay in detention of people ICE arrested",
    "other_alos": "Average stay in ICE detention of people CBP arrested",
    "other_admissions": "People arrested by CBP booked into ICE detention each day",
    "book_in_share": "Share of ICE arrests that lead to a book-in into detention",
    "current_adp": "People in ICE detention on an average day now",
    "removals_per_book_in": "ICE removals for every book-in into detention (same fiscal year)",
    "beds": "Bed capacity",
}


@dataclass
class Assumption:
    """One input of the model: its value and where it came from."""

    name: str
    value: float | None
    unit: str
    source: str
    detail: str = ""
    user_set: bool = False

    @property
    def words(self) -> str:
        """What the input is, as a reader would say it (not the model's variable name)."""
        return ASSUMPTION_WORDS.get(self.name, self.name.replace("_", " ").capitalize())

    def to_dict(self) -> dict:
        return {**asdict(self), "words": self.words}


@dataclass
class FyFigures:
    """Published fiscal-year figures of one metric: {(agency or None, fy): value} + releases."""

    values: dict
    releases: dict[int, dt.date]
    files: dict[int, list[str]]
    synthetic: bool = False
    sources: list[dict] = field(default_factory=list)
    ends: dict[int, dt.date] = field(default_factory=dict)  # the data end of each fiscal year

    def latest_fy(self, agency: str | None = None) -> int | None:
        years = [fy for (a, fy), v in self.values.items() if a == agency and v is not None]
        return max(years) if years else None

    def get(self, fy: int | None, agency: str | None = None) -> float | None:
        return self.values.get((agency, fy)) if fy else None

    def days(self, fy: int) -> int:
        return covered_days(fy, self.ends.get(fy))

    def cite(self, fy: int) -> str:
        release = self.releases.get(fy)
        files = ", ".join(self.files.get(fy, [])) or "unknown file"
        partial = "" if self.days(fy) >= fy_days(fy) else f", to date ({self.days(fy)} days)"
        return f"FY{fy}{partial}; release {release or 'unknown'} ({files})"


def fy_figures(wh, metric: str, by_agency: bool, as_of=None) -> FyFigures:
    """Published FY figures of a ``detention_stats_*`` metric (empty when not ingested)."""
    result = wh.query(metric, by=["arresting_agency"] if by_agency else None, grain="fy", as_of=as_of)
    values, ends = {}, {}
    for cell in result.table.to_pylist():
        fy = int(cell["fiscal_year"])
        values[(cell["arresting_agency"] if by_agency else None, fy)] = cell["value"]
        if cell["period_end"] is not None:
            ends[fy] = cell["period_end"]
    releases, fy_of = release_by_fy(wh, result.sources)
    files: dict[int, list[str]] = {}
    for s in result.sources:
        if s["source_id"] in fy_of:
            files.setdefault(fy_of[s["source_id"]], []).append(s["file"])
    return FyFigures(values, releases, files, result.synthetic, cite(result.sources), ends)


def annual_arrests() -> dict[int, float]:
    """ICE ERO administrative arrests per fiscal year (ICE annual reports; bundled reference)."""
    out = {}
    for row in read_csv_rows(*ARRESTS_FILE):
        if row.get("ero_administrative_arrests"):
            out[int(row["fiscal_year"])] = float(row["ero_administrative_arrests"])
    return out


@dataclass
class Defaults:
    """The model's defaults by name, whether any input is synthetic, and the files cited."""

    assumptions: dict[str, Assumption]
    synthetic: bool
    sources: list[dict]


def detention_defaults(wh, as_of=None) -> Defaults:
    """Every default of the model, from the newest published data (see module docstring)."""
    alos = fy_figures(wh, "detention_stats_alos", True, as_of)
    book_ins = fy_figures(wh, "detention_stats_book_ins", True, as_of)
    adp = fy_figures(wh, "detention_stats_adp", False, as_of)
    removals = fy_figures(wh, "detention_stats_removals", False, as_of)
    total_book_ins = fy_figures(wh, "detention_stats_book_ins", False, as_of)
    src = "ICE detention statistics"
    out: dict[str, Assumption] = {}
    fy = alos.latest_fy("ICE")
    out["alos"] = Assumption(
        "alos",
        alos.get(fy, "ICE"),
        "days",
        f"{src}: average length of stay, ICE-arrested",
        alos.cite(fy) if fy else "no data",
    )
    out["other_alos"] = Assumption(
        "other_alos",
        alos.get(fy, "CBP"),
        "days",
        f"{src}: average length of stay, CBP-arrested",
        alos.cite(fy) if fy else "no data",
    )
    fy_b = book_ins.latest_fy("CBP")
    cbp = book_ins.get(fy_b, "CBP")
    out["other_admissions"] = Assumption(
        "other_admissions",
        cbp / book_ins.days(fy_b) if fy_b and cbp is not None else None,
        "book-ins/day",
        f"{src}: initial book-ins of CBP-arrested people per day",
        book_ins.cite(fy_b) if fy_b else "no data",
    )
    out["book_in_share"] = _share(book_ins, src)
    fy_a = adp.latest_fy()
    out["current_adp"] = Assumption(
        "current_adp",
        adp.get(fy_a),
        "people",
        f"{src}: average daily population",
        adp.cite(fy_a) if fy_a else "no data",
    )
    fy_r = removals.latest_fy()
    removed, booked_in = removals.get(fy_r), total_book_ins.get(fy_r)
    ratio = removed / booked_in if removed is not None and booked_in else None
    out["removals_per_book_in"] = Assumption(
        "removals_per_book_in",
        ratio,
        "removals per book-in",
        f"{src}: ICE removals ÷ initial book-ins (all arresting agencies), same fiscal year",
        removals.cite(fy_r) if fy_r else "no data",
    )
    figures = (alos, book_ins, adp, removals)
    sources = {s["source_id"]: s for f in figures for s in f.sources}
    return Defaults(out, any(f.synthetic for f in figures), list(sources.values()))


def _share(book_ins: FyFigures, src: str) -> Assumption:
    arrests = annual_arrests()
    ice = {fy: v for fy in arrests if (v := book_ins.get(fy, "ICE")) is not None}
    if not ice:
        return Assumption(
            "book_in_share",
            None,
            "share",
            "no fiscal year with both ICE book-ins and ICE arrests",
            "no data",
        )
    fy = max(ice)
    return Assumption(
        "book_in_share",
        min(ice[fy] / arrests[fy], 1.0),
        "share",
        f"{src} (ICE-arrest book-ins) ÷ ICE annual report (administrative arrests)",
        f"{ice[fy]:,.0f} ÷ {arrests[fy]:,.0f}; {book_ins.cite(fy)}",
    )
