"""Shared fixtures: the real data folder beside the repo, small warehouses, the demo warehouse."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pyarrow as pa
import pytest

REPO = Path(__file__).resolve().parents[1]
# ../shared/data beside the checkout; IMMSTAT_SHARED_DATA points elsewhere (e.g. from a worktree)
SHARED_DATA = Path(os.environ.get("IMMSTAT_SHARED_DATA", REPO.parent / "shared" / "data"))
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """../shared/data (real public files). CI has it; elsewhere the tests that need it skip."""
    if not SHARED_DATA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{SHARED_DATA} is missing in CI")
        pytest.skip(f"{SHARED_DATA} not present")
    return SHARED_DATA


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def load_rows(wh, spec, rows: list[dict], synthetic: bool = True) -> None:
    """Put hand-made canonical rows of a manifest source straight into a warehouse (metrics
    tests whose answer is known by construction; ingest has its own tests)."""
    from immstat.sources.records import canonical_schema

    schema = canonical_schema(spec)
    full = [{f.name: r.get(f.name) for f in schema} for r in rows]
    for i, r in enumerate(full):
        r["source_row"] = i + 8
    table = pa.Table.from_pylist(full, schema=schema)
    sid = wh.con.execute("SELECT coalesce(max(source_id), 0) + 1 FROM sources").fetchall()[0][0]
    wh.con.execute(
        "INSERT INTO sources (source_id, path, file_name, sha256, kind, dataset, release_date, rows_in,"
        " rows_loaded, rows_rejected, loaded_at, immstat_version, synthetic, record_level, tables)"
        " VALUES (?, 'test', 'test.parquet', ?, ?, ?, ?, ?, ?, 0, now(), 'test', ?, true, ?)",
        [sid, f"sha{sid}", spec.kind, spec.kind, dt.date(2025, 6, 1), len(rows), len(rows),
         synthetic, spec.table])
    wh.con.register("_rows", table)
    cols = [f.name for f in schema if f.name != "source_row"]
    wh.con.execute(
        f'INSERT INTO "{spec.table}" (event_id, {", ".join(cols)}, fiscal_year, source_id, source_row) '
        f"SELECT md5(CAST(source_row AS VARCHAR) || '{sid}'), {', '.join(cols)}, "
        f"fiscal_year({spec.date_column}), {sid}, source_row FROM _rows")
    wh.con.unregister("_rows")


def load_arrest_rows(wh, rows: list[dict], synthetic: bool = True) -> None:
    from immstat.sources.ice_foia import ARRESTS

    load_rows(wh, ARRESTS, rows, synthetic)


@pytest.fixture
def make_warehouse(tmp_path):
    """Factory: an empty warehouse file in tmp (closed at teardown)."""
    from immstat import Warehouse

    opened = []

    def make(name: str = "wh.duckdb"):
        wh = Warehouse(tmp_path / name)
        opened.append(wh)
        return wh

    yield make
    for wh in opened:
        wh.close()


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo warehouse (bundled real data only), built once per run."""
    from immstat.analysis.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "immstat.duckdb"
    build_demo(path)
    return path


@pytest.fixture(scope="session")
def synthetic_claims_db(tmp_path_factory) -> Path:
    """A warehouse holding only a small SYNTHETIC FOIA release (arrests, detainers, FY2024–2025):
    claim-checker tests that synthetic data never make a claim "supported", whatever the demo holds."""
    from immstat import Warehouse
    from immstat.sources import synth
    from immstat.warehouse.reference import load_reference

    folder = tmp_path_factory.mktemp("synthetic-claims")
    with Warehouse(folder / "s.duckdb") as wh:
        load_reference(wh.con)
        for kind in ("arrests", "detainers"):
            wh.ingest(synth.generate(kind, None, folder / kind, fiscal_years=[2024, 2025], scale=0.3))
    return folder / "s.duckdb"


@pytest.fixture(scope="session")
def sandbox_db(tmp_path_factory) -> Path:
    """The SYNTHETIC sandbox warehouse (`immstat demo --sandbox`: its own file), built once."""
    from immstat.analysis.demo import build_sandbox

    path = tmp_path_factory.mktemp("sandbox") / "sandbox.duckdb"
    build_sandbox(path)
    return path


@pytest.fixture(scope="session")
def mixed_demo_db(sandbox_db, tmp_path_factory) -> Path:
    """TEST-ONLY: the demo's make-up before issue 13 — the bundled real *published* tables plus the
    sandbox's SYNTHETIC FOIA release, in one warehouse. For surface tests written against
    synthetic FY2024–FY2026 records until they move to the real demo; the product never builds
    this mixture (the real FOIA 2019 records are left out, as they were then)."""
    from immstat import Warehouse
    from immstat.analysis.demo import bundled_files
    from immstat.warehouse.reference import load_reference

    path = tmp_path_factory.mktemp("mixed") / "immstat.duckdb"
    real = [p for p in bundled_files() if p.parent.name != "ice-foia-2019-ICFO-53623"]
    synthetic = sorted((sandbox_db.parent / "sandbox-synthetic").glob("*.parquet"))
    with Warehouse(path) as wh:
        load_reference(wh.con)
        wh.ingest(real + synthetic)
    return path
