"""Build the demo warehouse from real public files bundled in the package — and, only on request,
a separate synthetic sandbox.

Real (bundled; US government works, CC0 or MIT — see DATA_LICENSES): reference geography; ICE's
FOIA release 2019-ICFO-53623 (record-level arrests and removals FY2016–FY2019); ICE's published
ERO statistics workbook (arrests, book-ins, removals, ATD, Title 42; FY2021–FY2025 Q1); ICE
detention statistics FY19–FY26 (all three FY2026 releases); facility daily populations; CBP
encounters and Border Patrol's monthly nationwide series through 2026; 287(g) agreements. No
synthetic source is ever loaded into this warehouse.

The sandbox (:func:`build_sandbox`, ``immstat demo --sandbox``) is a different warehouse file
(``sandbox.duckdb`` beside the demo's): reference tables plus one synthetic linked FOIA release
(arrests, detainers, encounters, detention stints, removals) calibrated to ICE's published
national arrests and removals, every row and result flagged SYNTHETIC.

Rebuilding is cheap: files already loaded (same sha256) are skipped, and the generator is
deterministic, so a second run changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from immstat._version import __version__
from immstat.analysis.health import run_checks
from immstat.core.errors import ConfigError
from immstat.core.reference import data_path
from immstat.metrics.warehouse import Warehouse
from immstat.sources import synth
from immstat.warehouse.ingest import IngestReport

SANDBOX_NAME = "sandbox.duckdb"
SANDBOX_SEED = 0
SANDBOX_SCALE = 1.0  # synthetic national totals equal the published ones (scenario after FY2024)
# bundled folders, in load order (data/demo/<folder>/*)
DEMO_FOLDERS = ("ice-foia-2019-ICFO-53623", "ice-ero-statistics", "ice-detention-stats", "cbp",
                "ddp", "287g")


@dataclass
class DemoSummary:
    db: Path
    reports: list[IngestReport]
    synthetic_dir: Path | None = None  # sandbox only: where its synthetic files are


def bundled_files() -> list[Path]:
    """Real files shipped in the package for the demo (releases of one dataset oldest first)."""
    demo = data_path("demo")
    files = [p for folder in DEMO_FOLDERS for p in sorted((demo / folder).glob("*"))]
    return files + sorted(demo.glob("*.parquet"))


def sandbox_path(demo_db: Path) -> Path:
    """The sandbox warehouse beside a demo warehouse (never the same file)."""
    return Path(demo_db).with_name(SANDBOX_NAME)


def build_demo(db: Path, on_file: Callable[[str], None] | None = None) -> DemoSummary:
    """Create or refresh the real demo warehouse at ``db``."""
    db = Path(db)
    if _sources_of(db, synthetic=True):
        raise ConfigError(f"{db} holds SYNTHETIC sources (an older demo, or a sandbox); the demo "
                          f"loads real data only. Move that file away (e.g. mv {db} "
                          f"{sandbox_path(db)}) or pass another --db, then run the demo again.")
    announce = on_file or (lambda _name: None)
    with Warehouse(db) as wh:
        announce("reference tables")
        wh.load_reference()
        reports = []
        for path in bundled_files():
            announce(path.name)
            reports += wh.ingest([path])
        announce("data-health checks")
        run_checks(wh)  # stored: the Data health page and /api/v1/checks read this run
    return DemoSummary(db, reports)


def build_sandbox(db: Path, on_file: Callable[[str], None] | None = None) -> DemoSummary:
    """Create or refresh the SYNTHETIC sandbox warehouse at ``db`` (its own file)."""
    db = Path(db)
    if _sources_of(db, synthetic=False):
        raise ConfigError(f"{db} holds real sources; the synthetic sandbox needs its own warehouse "
                          f"(e.g. --db {sandbox_path(db)}).")
    synthetic_dir = db.parent / "sandbox-synthetic"
    announce = on_file or (lambda _name: None)
    with Warehouse(db) as wh:
        announce("reference tables")
        wh.load_reference()
        reports = []
        for kind, paths in _synthetic_release(synthetic_dir, announce).items():
            for path in paths:
                announce(f"{path.name} (SYNTHETIC {kind})")
                reports += wh.ingest([path])
    return DemoSummary(db, reports, synthetic_dir)


def _sources_of(db: Path, synthetic: bool) -> bool:
    """Does warehouse ``db`` hold (non-reference) sources that are / are not synthetic?"""
    if not db.exists():
        return False
    with Warehouse(db, read_only=True) as wh:
        return any(bool(s["synthetic"]) == synthetic and not s["kind"].startswith("reference")
                   for s in wh.sources())


def _synthetic_release(folder: Path, announce) -> dict[str, list[Path]]:
    """Generate the sandbox's synthetic release, or reuse it when this version already made it."""
    stamp = json.dumps({"immstat": __version__, "seed": SANDBOX_SEED, "scale": SANDBOX_SCALE})
    marker = folder / "RELEASE.json"
    if marker.exists() and marker.read_text() == stamp:
        files = json.loads((folder / "FILES.json").read_text())  # names relative to the folder
        release = {kind: [folder / p for p in paths] for kind, paths in files.items()}
        if all(p.exists() for paths in release.values() for p in paths):
            return release
    announce("SYNTHETIC FOIA release (generating)")
    release = synth.generate_release(folder, fmt="parquet", seed=SANDBOX_SEED, scale=SANDBOX_SCALE)
    (folder / "FILES.json").write_text(json.dumps(
        {k: [str(Path(p).relative_to(folder)) for p in v] for k, v in release.items()}))
    marker.write_text(stamp)
    return release
