"""Synthetic ICE FOIA releases: every record-level kind, one consistent simulated population.

Public API::

    from immstat.sources.synth import generate, generate_release
    generate("arrests", rows=None, out=Path("synth"), fmt="parquet", seed=0)
    generate_release(Path("synth"), "xlsx", seed=0, fiscal_years=[2024, 2025], scale=0.01)

Files are in the exact FOIA layout (banner rows, headers, redactions, dirty values) and are
labelled SYNTHETIC in the banner (parquet: schema metadata), so ingest flags them synthetic.
Next to each file, ``<kind>-truth.json`` says what the reader must load and reject.
See :mod:`immstat.sources.synth.calibration` for every figure used and where it comes from.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from immstat.core.errors import ConfigError
from immstat.sources import ice_foia
from immstat.sources.synth import calibration as cal
from immstat.sources.synth.layouts import LAYOUTS
from immstat.sources.synth.population import KINDS, Simulation
from immstat.sources.synth.render import Truth, add_dirt, banner, render
from immstat.sources.synth.timeline import Timeline
from immstat.sources.synth.writers import SINKS, Sink

__all__ = ["generate", "generate_release", "read_truth", "KINDS", "FORMATS", "DEFAULT_FISCAL_YEARS"]

FORMATS = tuple(SINKS)
DEFAULT_FISCAL_YEARS = (2024, 2025, 2026)
SPECS = {spec.table: spec for spec in ice_foia.SPECS}  # kind name = canonical table
# Rows of each kind per simulated arrest (measured on seed 0, FY2024–FY2026); sizes the
# population when ``rows`` is asked for a kind other than arrests.
ROWS_PER_ARREST = {"arrests": 1.0, "detainers": 0.57, "encounters": 1.44,
                   "detention_stints": 1.07, "removals": 0.57}


def generate(kind: str, rows: int | None, out: Path, fmt: str = "parquet", seed: int = 0,
             fiscal_years: list[int] | None = None, scale: float = 1.0) -> list[Path]:
    """Write one kind's synthetic FOIA file to ``out``; return the data file paths.

    ``rows=None``: arrests per fiscal year equal the published national total × ``scale``
    (other kinds follow from the simulated population). ``rows=N``: N arrest rows exactly; for
    other kinds about N rows (the exact count is in the truth file)."""
    _check(kind, fmt, rows, scale)
    arrests = rows if rows is None or kind == "arrests" else max(1, round(rows / ROWS_PER_ARREST[kind]))
    return _write([kind], arrests, Path(out), fmt, seed, fiscal_years, scale)[kind]


def generate_release(out: Path, fmt: str = "parquet", seed: int = 0,
                     fiscal_years: list[int] | None = None, scale: float = 1.0,
                     rows: int | None = None) -> dict[str, list[Path]]:
    """Write every kind for one simulated population (linked by the anonymised identifier)."""
    _check("arrests", fmt, rows, scale)
    return _write(list(KINDS), rows, Path(out), fmt, seed, fiscal_years, scale)


def _check(kind: str, fmt: str, rows: int | None, scale: float) -> None:
    if kind not in KINDS:
        raise ConfigError(f"Unknown synthetic kind {kind!r}; choose one of {', '.join(KINDS)}.")
    if fmt not in FORMATS:
        raise ConfigError(f"Unknown format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    if rows is not None and rows < 1:
        raise ConfigError(f"--rows must be at least 1 (got {rows}).")
    if not scale > 0:
        raise ConfigError(f"--scale must be positive (got {scale}).")


def _write(kinds: list[str], rows, out: Path, fmt: str, seed: int, fiscal_years, scale) -> dict:
    timeline = Timeline.build(list(fiscal_years or DEFAULT_FISCAL_YEARS), rows, scale)
    out.mkdir(parents=True, exist_ok=True)
    sinks, truths, paths = {}, {}, {}
    for kind in kinds:
        lay = LAYOUTS[kind]
        path = out / f"{kind}.{fmt}"
        types = [_type(lay.source(h), fmt) for h in lay.header]
        extra = {"sheet": lay.sheet} if fmt == "xlsx" else {}
        sinks[kind] = SINKS[fmt](path, banner(lay, timeline, seed), lay.header, types, **extra)
        truths[kind], paths[kind] = Truth(), [path]
    try:
        simulation = Simulation(timeline, seed)
        for chunk, events in simulation.chunks():
            for kind in kinds:
                rng = np.random.default_rng([seed, chunk.index, 1000 + KINDS.index(kind)])
                ev = events[kind]
                dups, rejects = _dirt_counts(kind, chunk, len(ev["date"]), rng)
                ev, dirt = add_dirt(ev, rng, dups, rejects)
                truths[kind].add(ev, dirt, timeline)
                sinks[kind].write(*render(LAYOUTS[kind], ev, dirt, rng, fmt))
        if "removals" in kinds:
            _top_up_removals(simulation, timeline, truths["removals"], sinks["removals"], seed, fmt)
    finally:
        for sink in sinks.values():
            sink.close()
    for kind in kinds:
        _write_truth(out / f"{kind}-truth.json", kind, truths[kind], timeline, seed, fmt, scale)
    return paths


def _top_up_removals(simulation: Simulation, timeline: Timeline, truth: Truth, sink: Sink, seed: int,
                     fmt: str) -> None:
    """Removals of people never arrested in the interior, until each fiscal year's loaded
    removals equal its target (published, scaled like the arrests)."""
    for fy in timeline.fiscal_years:
        missing = max(timeline.removals_per_fy[fy] - truth.by_fy[fy], 0)
        truth.border_removals[fy] += missing
        rng = np.random.default_rng([seed, fy, 7_000])
        for ev in simulation.border_removals(rng, fy, missing):
            ev, dirt = add_dirt(ev, rng, 0, 0)
            truth.add(ev, dirt, timeline)
            sink.write(*render(LAYOUTS["removals"], ev, dirt, rng, fmt))


def _dirt_counts(kind: str, chunk, n: int, rng) -> tuple[int, int]:
    """Duplicates and rejected rows: fixed by the timeline for arrests, random for the rest."""
    if kind == "arrests":
        return chunk.duplicates, chunk.rejects
    rate = cal.DIRTY["blank_date"] + cal.DIRTY["impossible_date"]
    return int(rng.binomial(n, cal.DIRTY["duplicate"])), int(rng.binomial(n, rate))


def _type(source, fmt: str):
    import pyarrow as pa

    how = source[1] if source else ""
    if fmt == "xlsx":
        return "date" if how == "date" else "ts" if how.startswith("ts") else "other"
    return pa.int64() if how == "int" and fmt == "parquet" else pa.string()


def _write_truth(path: Path, kind: str, truth: Truth, timeline: Timeline, seed: int, fmt: str,
                 scale: float) -> None:
    spec = SPECS[kind]
    doc = {"kind": spec.kind, "table": spec.table, "synthetic": True, "seed": seed, "format": fmt,
           "scale": scale, "release_date": timeline.release_date.isoformat(),
           "fiscal_years": timeline.fiscal_years,
           "arrests_per_fiscal_year": {str(k): v for k, v in timeline.arrests_per_fy.items()},
           "arrest_total_basis": {str(k): v for k, v in timeline.basis.items()},
           "published_arrests": {str(k): v for k, v in cal.published_arrests().items()},
           "removals_per_fiscal_year": {str(k): v for k, v in timeline.removals_per_fy.items()},
           **truth.to_dict()}
    path.write_text(json.dumps(doc, indent=1, sort_keys=False) + "\n", encoding="utf-8")


def read_truth(out: Path, kind: str) -> dict:
    """The truth file written next to ``kind``'s data in ``out``."""
    return json.loads((Path(out) / f"{kind}-truth.json").read_text(encoding="utf-8"))
