"""Recognise a file's source from its content (banner, sheet names, header row), not its name.

:func:`plan_file` opens a file and asks every source of the registry, in order, whether it
claims the file: first the custom sources (workbooks and reshaped tables), then the manifest
specs, scored by how many of their column names the header rows carry. The winner's
:class:`~immstat.sources.plan.SourcePlan` says what it chose and why.
"""

from __future__ import annotations

from pathlib import Path

from immstat.core.errors import HeaderNotFound, UnknownSource
from immstat.sources.header import find_header, plan_for_spec
from immstat.sources.manifest import SourceSpec
from immstat.sources.plan import SourcePlan
from immstat.sources.rawfile import RawSheet, open_sheets
from immstat.sources.registry import CUSTOM, SPECS


def supported_kinds() -> list[str]:
    kinds = [f"{s.kind} ({s.title})" for s in SPECS]
    return kinds + [f"{c.kind} ({c.title})" for c in CUSTOM]


def plan_file(path: Path, kind: str | None = None) -> SourcePlan:
    """Choose the source for ``path`` (or use ``kind``) and locate each sheet's header."""
    path = Path(path)
    sheets = open_sheets(path)
    for custom in CUSTOM:
        if kind is None or custom.kind == kind:
            plan = custom.plan(path, sheets)
            if plan is not None:
                return plan
    specs = [s for s in SPECS if kind is None or s.kind == kind]
    if kind is not None and not specs and not any(c.kind == kind for c in CUSTOM):
        raise UnknownSource(f"Unknown source kind {kind!r}. Supported: {', '.join(supported_kinds())}.")
    best = _best_spec(sheets, specs)
    if best is None:
        if kind is not None and specs:
            raise HeaderNotFound(
                f"{path}: no row in the first sheets has the column names of {kind} "
                f"(looked for e.g. {', '.join(c.raw[0] for c in specs[0].columns[:4] if c.raw)}). "
                "Check that the header row was not renamed or removed.")
        raise UnknownSource(
            f"{path}: not a recognised source (no header row matched). If it is one of these, "
            f"check its header row or pass --source KIND: {'; '.join(supported_kinds())}.")
    plan = plan_for_spec(path, sheets, best)
    assert plan is not None
    return plan


def _best_spec(sheets: list[RawSheet], specs: list[SourceSpec]) -> SourceSpec | None:
    """The spec whose header matches most columns; ties go to the one with every required column."""
    best: tuple[tuple[int, int], SourceSpec] | None = None
    for spec in specs:
        matched = [p for p in (find_header(sheet, spec) for sheet in sheets) if p is not None]
        required = {c.canonical for c in spec.columns if c.required}
        complete = sum(required <= set(p) for p in matched)
        score = (sum(len(p) for p in matched), complete)
        if matched and (best is None or score > best[0]):
            best = (score, spec)
    return best[1] if best else None
