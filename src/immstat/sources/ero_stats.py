"""ICE's published ERO statistics workbook → ``ero_stats`` (published aggregates, monthly).

ICE's enforcement-statistics download (FY2021 – FY2025 Q1 in the copy we have) has six sheets:
administrative arrests, "ICE Detentions" (initial book-ins), removals, ATD active participants
(a monthly snapshot), and Title 42 expulsions of individuals and by flights. Sheets are
recognised by their header row (the measure column and the fiscal calendar columns), never by
their names, which ICE publishes with typos and trailing spaces. Every sheet becomes rows of one
tidy table: ``series`` says which sheet, the dimensions a sheet lacks are null.

ICE leaves out every row whose count is under 10, so sums fall short of ICE's published annual
totals; the metrics over this table carry a ``coverage`` figure saying by how much.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from immstat.core.calendar import FY_MONTHS, fy_month
from immstat.sources.derived import rejects_table
from immstat.sources.header import FilePlan, find_header, plan_for_spec
from immstat.sources.manifest import Column, SourceSpec
from immstat.sources.normalize import ValueConverter
from immstat.sources.rawfile import RawSheet
from immstat.sources.records import BATCH_ROWS, REJECT_SCHEMA, ConvertedBatch

KIND = "ice_ero_statistics"
TABLE = "ero_stats"
URL = "https://www.ice.gov/spotlight/statistics"
LICENCE = "US government work (ICE publication, public domain)"
SCHEMA = pa.schema([
    ("series", pa.string()), ("month", pa.date32()), ("fiscal_year", pa.int64()),
    ("aor", pa.string()), ("criminality", pa.string()), ("citizenship_country", pa.string()),
    ("birth_country", pa.string()), ("arresting_agency", pa.string()), ("technology", pa.string()),
    ("legal_stage", pa.string()), ("program_status", pa.string()), ("value", pa.int64()),
    ("source_row", pa.int64()),
])
_CALENDAR = (
    Column("fiscal_year", ("Fiscal Year",), "int", required=True, row_required=True),
    Column("fiscal_month", ("Fiscal Month",), "int", required=True, row_required=True),
    Column("month_label", ("Month-Year", "Month -Year", "Snpshot Date Month-Year",
                           "Snapshot Date Month-Year"), required=True, row_required=True),
    Column("fiscal_quarter", ("Fiscal Quarter",), "int"),
)
_AOR = Column("aor", ("Area of Responsibility (AOR)", "Area of Responsibility"), "aor")
_CRIMINALITY = Column("criminality", ("Criminality",), "criminality")
_CITIZENSHIP = Column("citizenship_country", ("Country of Citizenship",), "code")
_AGENCY = Column("arresting_agency", ("Arresting Agency",), "code")


def _sheet(series: str, title: str, measure: str, *dims: Column) -> SourceSpec:
    """One sheet's layout: its dimensions, the fiscal calendar and its measure column."""
    return SourceSpec(
        kind=f"{KIND}:{series}", table=TABLE, title=title, date_column="month",
        record_level=False, licence=LICENCE, url=URL, min_header_matches=len(dims) + 4,
        columns=(*dims, *_CALENDAR,
                 Column("value", (measure,), "int", required=True, row_required=True)))


SHEETS = {
    "arrests": _sheet("arrests", "ICE ERO administrative arrests", "Administrative Arrests",
                      _CRIMINALITY, _AOR, _CITIZENSHIP),
    "detentions": _sheet("detentions", "ICE detentions (initial book-ins)", "Detentions",
                         _AGENCY, _CRIMINALITY, _AOR, _CITIZENSHIP),
    "removals": _sheet("removals", "ICE removals", "Removals",
                       _AGENCY, _CRIMINALITY, _AOR, _CITIZENSHIP),
    "atd": _sheet("atd", "ATD active participants (monthly snapshot)", "Active Participants",
                  Column("program_status", ("Program Status",)), _AOR,
                  Column("birth_country", ("Counry of Birth", "Country of Birth"), "code"),
                  Column("technology", ("Technology",)), Column("legal_stage", ("Legal Stage",))),
    "t42_individuals": _sheet("t42_individuals", "Title 42 expulsions (individuals)",
                              "T42 Expulsions - Individuals", _CITIZENSHIP),
    "t42_flights": _sheet("t42_flights", "Title 42 expulsion flights", "T42 Expulsions - Flights",
                          _CITIZENSHIP),
}


def _label_month(label: str | None) -> dt.date | None:
    """'Jan 2022' / 'January 2022' → 2022-01-01."""
    for fmt in ("%b %Y", "%B %Y"):
        try:
            return dt.datetime.strptime(str(label).strip(), fmt).date()
        except ValueError:
            continue
    return None


def derive(series: str, rows: pa.Table, sheet: str) -> tuple[pa.Table, pa.Table]:
    """Month from fiscal year + fiscal month, checked against the printed month; tidy columns."""
    labels = {v: _label_month(v) for v in pc.unique(rows["month_label"]).to_pylist()}
    months, bad = [], []
    for row, fy, fm, label in zip(rows["source_row"].to_pylist(), rows["fiscal_year"].to_pylist(),
                                  rows["fiscal_month"].to_pylist(), rows["month_label"].to_pylist()):
        month = fy_month(fy, FY_MONTHS[fm - 1]) if 1 <= fm <= 12 and 1900 < fy < 2200 else None
        if month is None or labels[label] != month:
            bad.append((row, sheet, "Fiscal Year / Fiscal Month / Month-Year",
                        "fiscal year, fiscal month and month do not agree", f"{fy} {fm} {label}"))
            month = None
        months.append(month)
    month_col = pa.array(months, pa.date32())
    n = rows.num_rows
    columns = {name: rows[name] if name in rows.column_names else pa.nulls(n, SCHEMA.field(name).type)
               for name in SCHEMA.names}
    columns.update(series=pa.array([series] * n, pa.string()), month=month_col)
    out = pa.table(columns, schema=SCHEMA).filter(pc.is_valid(month_col))
    return out, rejects_table(bad)


@dataclass
class EroStatsPlan(FilePlan):
    """The sheets of one workbook (or one sheet saved alone), each read through its own layout."""

    sheet_plans: list[tuple[str, FilePlan]] = field(default_factory=list)
    months: list[dt.date] = field(default_factory=list)  # first and last month loaded

    @property
    def dataset(self) -> str:
        return KIND

    @property
    def kind(self) -> str:
        return KIND

    @property
    def title(self) -> str:
        return SOURCE.title

    @property
    def date_columns(self) -> dict[str, str]:
        return {TABLE: "month"}

    def destinations(self) -> dict[str, pa.Schema]:
        return {TABLE: SCHEMA}

    def release_date(self) -> tuple[dt.date | None, str]:
        # no release date is printed: the last month in the workbook dates it, and a workbook
        # with later months replaces this one (each is the whole series to date)
        return None, "last month in the workbook"

    def stated_period(self) -> tuple[dt.date | None, dt.date | None]:
        if not self.months:
            return None, None
        last = max(self.months)
        following = dt.date(last.year + last.month // 12, last.month % 12 + 1, 1)
        return min(self.months), following - dt.timedelta(days=1)

    def not_provided(self) -> list[str]:
        return []

    def column_stats(self) -> list[tuple[str, str, int, int, int]]:
        return [(f"{series}.{c}", raw, r, u, n) for series, plan in self.sheet_plans
                for c, raw, r, u, n in plan.column_stats()]

    def batches(self, convert: ValueConverter,
                batch_rows: int = BATCH_ROWS) -> Iterator[tuple[str, ConvertedBatch]]:
        for series, plan in self.sheet_plans:
            sheet = plan.conversions[0].sheet.name
            for _, batch in plan.batches(convert, batch_rows):
                rows, rejects = derive(series, batch.rows, sheet)
                if rows.num_rows:
                    span = pc.min_max(rows["month"]).as_py()
                    self.months += [span["min"], span["max"]]
                yield TABLE, ConvertedBatch(rows, pa.concat_tables(
                    [batch.rejects, rejects.cast(REJECT_SCHEMA)]))


class EroStatsSource:
    """Claims a file when at least one sheet's header is one of the six ERO statistics layouts."""

    kind = KIND
    title = "ICE ERO statistics workbook (arrests, detentions, removals, ATD, Title 42)"

    def tables(self) -> list[tuple[str, pa.Schema, bool]]:
        return [(TABLE, SCHEMA, False)]

    def plan(self, path: Path, sheets: list[RawSheet]) -> EroStatsPlan | None:
        found: list[tuple[str, FilePlan]] = []
        for sheet in sheets:
            for series, spec in SHEETS.items():
                positions = find_header(sheet, spec)
                required = {c.canonical for c in spec.columns if c.required}
                if positions is not None and required <= set(positions):
                    plan = plan_for_spec(path, [sheet], spec)
                    if plan is not None:
                        found.append((series, plan))
                    break
        if not found:
            return None
        skipped = [s.name for s in sheets if s.name not in
                   {p.conversions[0].sheet.name for _, p in found}]
        reason = (f"{len(found)} sheet(s) carry ERO statistics headers: "
                  + ", ".join(f"{p.conversions[0].sheet.name.strip()!r} → {s}" for s, p in found))
        first = found[0][1]
        return EroStatsPlan(Path(path), first.spec, [c for _, p in found for c in p.conversions],
                            skipped, reason, found)


SOURCE = EroStatsSource()
