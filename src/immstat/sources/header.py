"""Read a file through one manifest spec: find each sheet's header row, check the required
columns, and describe the load as a :class:`FilePlan`.

Choosing *which* spec a file is (over the whole registry) is ``sources/detect.py``'s job; this
module knows only the spec it is given, so source modules can use it without the registry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from immstat.core.calendar import fy_bounds
from immstat.core.errors import MissingColumns
from immstat.sources.manifest import SourceSpec
from immstat.sources.normalize import ValueConverter
from immstat.sources.rawfile import RawSheet
from immstat.sources.records import BATCH_ROWS, ConvertedBatch, SheetConversion, canonical_schema

SYNTHETIC_MARK = "SYNTHETIC"
NOT_LOADED = "(not loaded)"  # source_columns.column for header columns ImmStat does not keep
_FOIA_NUMBER = re.compile(r"\b(20\d\d-[A-Z]{4}-\d{3,})\b")
_US_DATE = r"(\d{1,2}/\d{1,2}/(?:19|20)\d\d)"
_RANGE = re.compile(_US_DATE + r"\s*(?:-|–|to|through)\s*" + _US_DATE)
_FY = re.compile(r"\bFY\s?((?:19|20)\d\d)\b")


@dataclass
class FilePlan:
    """What ingest will do with one file read through one spec (a :class:`SourcePlan`)."""

    path: Path
    spec: SourceSpec
    conversions: list[SheetConversion]
    skipped_sheets: list[str] = field(default_factory=list)
    reason: str = ""

    @property
    def kind(self) -> str:
        return self.spec.kind

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def record_level(self) -> bool:
        return self.spec.record_level

    @property
    def replace_policy(self) -> str:
        return self.spec.replace_policy

    @property
    def dataset(self) -> str:
        return self.spec.kind

    @property
    def person_column(self) -> str | None:
        return self.spec.person_column

    @property
    def licence(self) -> str:
        return self.spec.licence

    @property
    def date_columns(self) -> dict[str, str]:
        """table → column that sets fiscal_year."""
        return {self.spec.table: self.spec.date_column}

    def destinations(self) -> dict[str, pa.Schema]:
        return {self.spec.table: canonical_schema(self.spec)}

    def batches(self, convert: ValueConverter,
                batch_rows: int = BATCH_ROWS) -> Iterator[tuple[str, ConvertedBatch]]:
        for conv in self.conversions:
            for batch in conv.batches(convert, batch_rows):
                yield self.spec.table, batch

    def column_stats(self) -> list[tuple[str, str, int, int, int]]:
        out = []
        for conv in self.conversions:
            for canonical, st in conv.stats.items():
                out.append((canonical, st.raw_name, st.redacted, st.unreadable, st.null))
            for st in conv.unloaded.values():
                out.append((NOT_LOADED, st.raw_name, st.redacted, st.unreadable, st.null))
        return out

    def not_provided(self) -> list[str]:
        """Canonical columns no sheet of this file has: null for the whole file, by layout (the
        internal person key is not named: it never leaves the warehouse)."""
        found = {c for conv in self.conversions for c in conv.positions}
        return [c.canonical for c in self.spec.columns
                if c.canonical not in found and c.canonical != self.spec.person_column]

    @property
    def banner(self) -> list[str]:
        return [line for conv in self.conversions for line in conv.sheet.banner()]

    @property
    def synthetic(self) -> bool:
        return is_synthetic(self.banner)

    def release_date(self) -> tuple[dt.date | None, str]:
        """Release date from the banner, else from the file name; and how it was found."""
        for line in self.banner:
            found = _find_date(line, prefer=("release", "as of", "data through", "run date"))
            if found:
                return found, "banner"
        found = _find_date(self.path.stem)
        return (found, "file name") if found else (None, "unknown")

    def release_scope(self) -> str | None:
        return release_scope(self.banner)

    def stated_period(self) -> tuple[dt.date | None, dt.date | None]:
        return stated_period(self.banner)


def is_synthetic(banner: list[str]) -> bool:
    return any(SYNTHETIC_MARK in line.upper() for line in banner)


def release_scope(banner: list[str]) -> str | None:
    """The FOIA request number a banner names (e.g. 2019-ICFO-53623): one release, one scope."""
    for line in banner:
        found = _FOIA_NUMBER.search(line)
        if found:
            return f"FOIA {found[1]}"
    return None


def stated_period(banner: list[str]) -> tuple[dt.date | None, dt.date | None]:
    """The period a banner says the data cover: '(10/1/2018 - 8/31/2019)', else one 'FY2016'."""
    text = " ".join(banner)
    found = _RANGE.search(text)
    if found:
        start, end = (_find_date(found[i]) for i in (1, 2))
        if start and end and start <= end:
            return start, end
    years = set(_FY.findall(text))
    if len(years) == 1:
        return fy_bounds(int(years.pop()))
    return None, None


def find_header(sheet: RawSheet, spec: SourceSpec) -> dict[str, int] | None:
    """First row of the preview matching enough of the spec's column names."""
    for index, row in enumerate(sheet.preview):
        found = spec.match_header([c if c is not None else "" for c in row])
        if len(found) >= min(spec.min_header_matches, len(spec.columns)):
            sheet.header_row = index
            return found
    return None


def _matching_sheets(sheets: list[RawSheet], spec: SourceSpec) -> list[tuple[RawSheet, dict]]:
    """Sheets whose header matches ``spec`` (sets each sheet's header_row for this spec)."""
    found = [(sheet, find_header(sheet, spec)) for sheet in sheets]
    return [(sheet, positions) for sheet, positions in found if positions is not None]


def plan_for_spec(path: Path, sheets: list[RawSheet], spec: SourceSpec) -> FilePlan | None:
    """Plan reading ``sheets`` with ``spec`` (None if no header matches); checks required columns.

    Also used by custom sources that read through a manifest spec (see sources/derived.py)."""
    matched = _matching_sheets(sheets, spec)
    if not matched:
        return None
    conversions = []
    for sheet, positions in matched:
        _check_required(path, sheet, spec, positions)
        conversions.append(SheetConversion(spec, sheet, positions))
    skipped = [s.name for s in sheets if s not in [m[0] for m in matched]]
    first = matched[0]
    reason = (f"header row {first[0].header_line} of sheet {first[0].name!r} matches "
              f"{len(first[1])} of {len(spec.columns)} {spec.kind} columns")
    return FilePlan(Path(path), spec, conversions, skipped, reason)


def _check_required(path: Path, sheet: RawSheet, spec: SourceSpec, positions: dict) -> None:
    header = sheet.header()
    keys = [h.strip().lower() for h in header if h]
    dupes = sorted({h for h in keys if keys.count(h) > 1})
    if dupes:
        raise MissingColumns(
            f"{path}: sheet {sheet.name!r} row {sheet.header_line} repeats column(s) "
            f"{', '.join(dupes)}; rename or delete the duplicate column and ingest again.")
    missing = [c.raw[0] for c in spec.columns if c.required and c.canonical not in positions]
    if missing:
        raise MissingColumns(
            f"{path}: sheet {sheet.name!r} header (row {sheet.header_line}) lacks required "
            f"column(s) {', '.join(missing)}; restore or rename them and ingest again.")


_DATE_PATTERNS = (
    (re.compile(r"(20\d\d)-(\d\d)-(\d\d)"), ("y", "m", "d")),
    (re.compile(r"(\d{1,2})/(\d{1,2})/(20\d\d)"), ("m", "d", "y")),
    (re.compile(r"(?<!\d)(\d\d)(\d\d)(20\d\d)(?!\d)"), ("m", "d", "y")),
)


def _find_date(text: str, prefer: tuple[str, ...] = ()) -> dt.date | None:
    lowered = text.lower()
    if prefer and not any(p in lowered for p in prefer):
        return None
    for pattern, order in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = dict(zip(order, (int(g) for g in match.groups())))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                continue
    return None

