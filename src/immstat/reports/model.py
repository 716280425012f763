"""What a brief is made of: headline figures, charts and tables, each citing numbered sources.

Sources are numbered in the order the brief first cites them (so the same warehouse and options
always give the same numbers); every figure lists the numbers of the sources behind it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from immstat.core.provenance import SourceRef

SHA_PREFIX = 12


def cite_label(numbers: list[int]) -> str:
    """``[1, 3, 4, 5]`` → ``"1, 3–5"``."""
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}" if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def iso(value) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else value


class Citations:
    """Numbered source notes, in first-cited order (one per warehouse source id)."""

    def __init__(self) -> None:
        self._by_id: dict[int, dict] = {}

    def cite(self, sources: Iterable[Mapping[str, Any]]) -> list[int]:
        """The note numbers of ``sources`` (SourceRefs or citation dicts), numbering new ones."""
        numbers = []
        for src in sources:
            ref = src if isinstance(src, SourceRef) else SourceRef.from_row(src)
            note = self._by_id.get(ref.source_id)
            if note is None:
                note = {**ref.to_dict(), "number": len(self._by_id) + 1,
                        "sha_prefix": ref.sha256[:SHA_PREFIX]}
                note["release_date"] = note["release_date"] or "not stated"
                self._by_id[ref.source_id] = note
            numbers.append(note["number"])
        return sorted(set(numbers))

    def notes(self, numbers: list[int] | None = None) -> list[dict]:
        """All notes (or the given numbers), in number order."""
        notes = sorted(self._by_id.values(), key=lambda n: n["number"])
        return notes if numbers is None else [n for n in notes if n["number"] in set(numbers)]


@dataclass
class Headline:
    """One headline figure for the fiscal year, with the year before and the change."""

    label: str
    metric: str
    unit: str = ""
    value: float | None = None
    prior: float | None = None
    change: str | None = None
    note: str | None = None
    message: str | None = None
    synthetic: bool = False
    cites: list[int] = field(default_factory=list)


@dataclass
class Figure:
    """A chart (inline SVG) or a table, with its caption and cited sources."""

    key: str
    title: str
    svg: str | None = None
    columns: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    caption: str = ""
    message: str | None = None
    synthetic: bool = False
    cites: list[int] = field(default_factory=list)
    half: bool = False  # drawn half-width, two side by side


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    headlines: list[Headline] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)

    @property
    def cites(self) -> list[int]:
        items: list[Headline | Figure] = [*self.headlines, *self.figures]
        return sorted({n for item in items for n in item.cites})

    def text(self) -> str:
        """Every word the section prints (titles, paragraphs, labels, captions, table cells)."""
        parts = [self.title, *self.paragraphs]
        parts += [f"{h.label} {h.note or ''} {h.message or ''}" for h in self.headlines]
        for f in self.figures:
            parts += [f.title, f.caption, f.message or "", *f.columns,
                      *(str(v) for row in f.rows for v in row)]
        return "\n".join(parts)


@dataclass
class Brief:
    """Everything the templates print; built by :func:`immstat.reports.build_brief`."""

    title: str
    subtitle: str
    fy: int
    aor: dict | None
    as_of: str | None
    generated: str
    version: str
    sections: list[Section]
    methods: list[dict]
    notes: list[dict]
    filename_stem: str
    appendix: list[Section] = field(default_factory=list)

    @property
    def synthetic(self) -> bool:
        return any(n["synthetic"] for n in self.notes)
