"""Build the demo warehouse: bundled real public data plus one synthetic FOIA release.

Real (bundled, public domain / CC0 / MIT — see DATA_LICENSES): reference geography, facility
daily populations, ICE detention statistics FY19–FY26, CBP encounters, 287(g) agreements.
Synthetic (generated, always flagged): arrests, detainers, ICE encounters, detention stints and
removals for one linked release, calibrated to ICE's published national arrest totals.
Rebuilding is cheap: files already loaded (same sha256) are skipped and the generator is
deterministic, so a second run changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from immstat.core.reference import data_path
from immstat.metrics.warehouse import Warehouse
from immstat.warehouse.ingest import IngestReport

DEMO_SEED = 0
DEMO_SCALE = 1.0  # synthetic national arrest totals equal the published ones (scenario after FY2024)


@dataclass
class DemoSummary:
    db: Path
    reports: list[IngestReport]
    synthetic_dir: Path


def bundled_files() -> list[Path]:
    """Real files shipped in the package for the demo, oldest detention-stats release first."""
    demo = data_path("demo")
    files = sorted((demo / "ice-detention-stats").glob("*.xlsx"))
    files += sorted(demo.glob("*.parquet"))
    files += sorted((demo / "cbp").glob("*"))
    files += sorted((demo / "287g").glob("*"))
    return files


def build_demo(db: Path, on_file: Callable[[str], None] | None = None) -> DemoSummary:
    """Create or refresh the demo warehouse at ``db``."""
    db = Path(db)
    synthetic_dir = db.parent / "demo-synthetic"
    announce = on_file or (lambda _name: None)
    with Warehouse(db) as wh:
        announce("reference tables")
        wh.load_reference()
        reports = []
        for path in bundled_files():
            announce(path.name)
            reports += wh.ingest([path])
        release = _synthetic_release(synthetic_dir, announce)
        for kind, paths in release.items():
            for path in paths:
                announce(f"{path.name} (synthetic {kind})")
                reports += wh.ingest([path])
    return DemoSummary(db, reports, synthetic_dir)


def _synthetic_release(folder: Path, announce) -> dict[str, list[Path]]:
    """Generate the demo's synthetic release, or reuse it when this version already made it."""
    from immstat._version import __version__
    from immstat.sources import synth

    stamp = json.dumps({"immstat": __version__, "seed": DEMO_SEED, "scale": DEMO_SCALE})
    marker = folder / "RELEASE.json"
    if marker.exists() and marker.read_text() == stamp:
        files = json.loads((folder / "FILES.json").read_text())
        if all(Path(p).exists() for paths in files.values() for p in paths):
            return {kind: [Path(p) for p in paths] for kind, paths in files.items()}
    announce("synthetic FOIA release (generating)")
    release = synth.generate_release(folder, fmt="parquet", seed=DEMO_SEED, scale=DEMO_SCALE)
    (folder / "FILES.json").write_text(json.dumps({k: [str(p) for p in v] for k, v in release.items()}))
    marker.write_text(stamp)
    return release
