"""Recognise a file's source from its content (header row, banner), not its name.

:func:`plan_file` opens a file, finds the header row of every sheet by matching column names
against every spec in the registry, and returns a :class:`FilePlan` saying which spec it chose
and why. Sheets with no recognisable header (notes, footnotes) are listed, not guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from immstat.core.errors import HeaderNotFound, MissingColumns, UnknownSource
from immstat.sources.manifest import SourceSpec
from immstat.sources.rawfile import SYNTHETIC_META_KEY, RawSheet, open_sheets
from immstat.sources.records import ConvertedBatch, SheetConversion, canonical_schema

SYNTHETIC_MARK = "SYNTHETIC"
NOT_LOADED = "(not loaded)"  # source_columns.column for header columns ImmStat does not keep


@dataclass
class FilePlan:
    """What ingest will do with one file. Custom sources (``registry.CUSTOM``) return objects
    with the same attributes: kind, title, reason, record_level, replace_policy, dataset,
    person_column, date_columns, destinations(), batches(), banner, synthetic, release_date(),
    column_stats(), skipped_sheets."""

    path: Path
    spec: SourceSpec
    conversions: list[SheetConversion]
    skipped_sheets: list[str] = field(default_factory=list)
    reason: str = ""

    kind = property(lambda self: self.spec.kind)
    title = property(lambda self: self.spec.title)
    record_level = property(lambda self: self.spec.record_level)
    replace_policy = property(lambda self: self.spec.replace_policy)
    dataset = property(lambda self: self.spec.kind)
    person_column = property(lambda self: self.spec.person_column)
    licence = property(lambda self: self.spec.licence)

    @property
    def date_columns(self) -> dict[str, str]:
        """table → column that sets fiscal_year."""
        return {self.spec.table: self.spec.date_column}

    def destinations(self) -> dict[str, pa.Schema]:
        return {self.spec.table: canonical_schema(self.spec)}

    def batches(self, batch_rows: int = 200_000) -> Iterator[tuple[str, ConvertedBatch]]:
        for conv in self.conversions:
            for batch in conv.batches(batch_rows):
                yield self.spec.table, batch

    def column_stats(self) -> list[tuple[str, str, int, int, int]]:
        out = []
        for conv in self.conversions:
            for canonical, st in conv.stats.items():
                out.append((canonical, st.raw_name, st.redacted, st.unreadable, st.null))
            for st in conv.unloaded.values():
                out.append((NOT_LOADED, st.raw_name, st.redacted, st.unreadable, st.null))
        return out

    @property
    def banner(self) -> list[str]:
        return [line for conv in self.conversions for line in conv.sheet.banner()]

    @property
    def synthetic(self) -> bool:
        return any(SYNTHETIC_MARK in line.upper() for line in self.banner)

    def release_date(self) -> tuple[dt.date | None, str]:
        """Release date from the banner, else from the file name; and how it was found."""
        for line in self.banner:
            found = _find_date(line, prefer=("release", "as of", "data through", "run date"))
            if found:
                return found, "banner"
        found = _find_date(self.path.stem)
        return (found, "file name") if found else (None, "unknown")


def _all_specs() -> tuple[SourceSpec, ...]:
    from immstat.sources.registry import SPECS

    return SPECS


def _custom_sources():
    from immstat.sources.registry import CUSTOM

    return CUSTOM


def supported_kinds() -> list[str]:
    kinds = [f"{s.kind} ({s.title})" for s in _all_specs()]
    return kinds + [f"{c.kind} ({c.title})" for c in _custom_sources()]


def find_header(sheet: RawSheet, spec: SourceSpec) -> dict[str, int] | None:
    """First row of the preview matching enough of the spec's column names."""
    for index, row in enumerate(sheet.preview):
        found = spec.match_header([c if c is not None else "" for c in row])
        if len(found) >= min(spec.min_header_matches, len(spec.columns)):
            sheet.header_row = index
            return found
    return None


def plan_file(path: Path, kind: str | None = None) -> FilePlan:
    """Choose the spec for ``path`` (or use ``kind``) and locate each sheet's header."""
    sheets = open_sheets(Path(path))
    for custom in _custom_sources():
        if kind is None or custom.kind == kind:
            plan = custom.plan(Path(path), sheets)
            if plan is not None:
                return plan
    specs = [s for s in _all_specs() if kind is None or s.kind == kind]
    if kind is not None and not specs and not any(c.kind == kind for c in _custom_sources()):
        raise UnknownSource(f"Unknown source kind {kind!r}. Supported: {', '.join(supported_kinds())}.")
    best: tuple[tuple[int, int], SourceSpec] | None = None
    for spec in specs:
        matched = _matching_sheets(sheets, spec)
        required = {c.canonical for c in spec.columns if c.required}
        complete = sum(required <= set(p) for _, p in matched)  # sheets with every required column
        score = (sum(len(p) for _, p in matched), complete)  # ties go to the complete spec
        if matched and (best is None or score > best[0]):
            best = (score, spec)
    if best is None:
        if kind is not None and specs:
            raise HeaderNotFound(
                f"{path}: no row in the first sheets has the column names of {kind} "
                f"(looked for e.g. {', '.join(c.raw[0] for c in specs[0].columns[:4])}). "
                "Check that the header row was not renamed or removed.")
        raise UnknownSource(
            f"{path}: not a recognised source (no header row matched). If it is one of these, "
            f"check its header row or pass --source KIND: {'; '.join(supported_kinds())}.")
    plan = plan_for_spec(Path(path), sheets, best[1])
    assert plan is not None
    return plan


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
    reason = (f"header row {first[0].header_row + 1} of sheet {first[0].name!r} matches "
              f"{len(first[1])} of {len(spec.columns)} {spec.kind} columns")
    return FilePlan(Path(path), spec, conversions, skipped, reason)


def _check_required(path: Path, sheet: RawSheet, spec: SourceSpec, positions: dict) -> None:
    header = sheet.header()
    keys = [h.strip().lower() for h in header if h]
    dupes = sorted({h for h in keys if keys.count(h) > 1})
    if dupes:
        raise MissingColumns(
            f"{path}: sheet {sheet.name!r} row {sheet.header_row + 1} repeats column(s) "
            f"{', '.join(dupes)}; rename or delete the duplicate column and ingest again.")
    missing = [c.raw[0] for c in spec.columns if c.required and c.canonical not in positions]
    if missing:
        raise MissingColumns(
            f"{path}: sheet {sheet.name!r} header (row {sheet.header_row + 1}) lacks required "
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


def parquet_synthetic_flag(path: Path) -> bool:
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).schema_arrow.metadata or {}
    return meta.get(SYNTHETIC_META_KEY, b"") == b"true"
