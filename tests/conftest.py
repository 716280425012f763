"""Shared fixtures: the real data folder beside the repo, small warehouses, the demo warehouse."""

from __future__ import annotations

import calendar
import datetime as dt
import os
from pathlib import Path

import numpy as np
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
    sid = wh._con.execute("SELECT coalesce(max(source_id), 0) + 1 FROM sources").fetchall()[0][0]
    wh._con.execute(
        "INSERT INTO sources (source_id, path, file_name, sha256, kind, dataset, release_date, rows_in,"
        " rows_loaded, rows_rejected, loaded_at, immstat_version, synthetic, record_level, tables)"
        " VALUES (?, 'test', 'test.parquet', ?, ?, ?, ?, ?, ?, 0, now(), 'test', ?, true, ?)",
        [sid, f"sha{sid}", spec.kind, spec.kind, dt.date(2025, 6, 1), len(rows), len(rows),
         synthetic, spec.table])
    wh._con.register("_rows", table)
    cols = [f.name for f in schema if f.name != "source_row"]
    wh._con.execute(
        f'INSERT INTO "{spec.table}" (event_id, {", ".join(cols)}, fiscal_year, source_id, source_row) '
        f"SELECT md5(CAST(source_row AS VARCHAR) || '{sid}'), {', '.join(cols)}, "
        f"fiscal_year({spec.date_column}), {sid}, source_row FROM _rows")
    wh._con.unregister("_rows")


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


# ------------------------------------------------------------------ the attack warehouse
# One small synthetic warehouse, released once per session, for the release's property tests
# (tests/test_release_attacks.py, tests/test_suppression_properties.py): realistic blanks (about
# 1 % of office and criminality values), one state shared by two offices, facilities that belong
# to one office each.
AORS = ["ATL", "BOS", "CHI", "DAL", "SEA"]
WEIGHTS = [0.55, 0.25, 0.12, 0.06, 0.02]
STATES = {"ATL": ["GA", "SC"], "BOS": ["MA"], "CHI": ["IL"], "DAL": ["TX", "OK"], "SEA": ["WA", "OK"]}
FACILITIES = {"ATL": ["GA1", "GA2"], "BOS": ["MA1"], "CHI": ["IL1", "IL2"], "DAL": ["TX1"],
              "SEA": ["WA1", "WA2"]}
CRIMS = ["convicted", "pending", "other"]
FYS = [2024, 2025]
MONTHS = [dt.date(2023 + (m >= 3), (m + 9) % 12 + 1, 1) for m in range(24)]  # Oct 2023 …


def _attack_rows(rng, n: int, date_name: str, extra) -> list[dict]:
    out = []
    for _ in range(n):
        aor = AORS[rng.choice(len(AORS), p=WEIGHTS)]
        month = MONTHS[rng.integers(len(MONTHS))]
        days = calendar.monthrange(month.year, month.month)[1]
        day = month + dt.timedelta(days=int(rng.integers(days)))
        row = {date_name: day, "aor": None if rng.random() < 0.01 else aor,
               "state": STATES[aor][rng.integers(len(STATES[aor]))] if rng.random() < 0.97 else None,
               "criminality": None if rng.random() < 0.01 else CRIMS[rng.choice(3, p=[.45, .35, .2])],
               "gender": "unknown" if rng.random() < 0.01 else ["male", "female"][rng.integers(2)],
               "person_key": f"p{rng.integers(n // 2)}"}
        out.append({**row, **extra(rng, aor)})
    return out


@pytest.fixture(scope="session")
def attack_db(tmp_path_factory):
    """Path of the attack warehouse, its release built once."""
    from immstat import Warehouse
    from immstat.sources.ice_foia import ARRESTS, DETAINERS

    rng = np.random.default_rng(14)
    path = tmp_path_factory.mktemp("attacks") / "attacks.duckdb"
    with Warehouse(path) as wh:
        load_rows(wh, ARRESTS, _attack_rows(rng, 3000, "apprehension_date", lambda r, _: {
            "final_order": [True, False, None][r.choice(3, p=[.3, .6, .1])]}))
        load_rows(wh, DETAINERS, _attack_rows(rng, 1500, "detainer_prepare_date", lambda r, aor: {
            "facility_code": FACILITIES[aor][r.integers(len(FACILITIES[aor]))]}))
        wh.release()
    return path


@pytest.fixture(scope="session")
def synthetic_claims_db(tmp_path_factory) -> Path:
    """A warehouse holding only a small SYNTHETIC FOIA release (arrests, detainers, FY2024–2025):
    claim-checker tests that synthetic data never make a claim "supported", whatever the demo holds."""
    from immstat import Warehouse
    from immstat.sources import synth

    folder = tmp_path_factory.mktemp("synthetic-claims")
    with Warehouse(folder / "s.duckdb") as wh:
        wh.load_reference()
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
def attack_wh(attack_db):
    """The attack warehouse, read-only (queries never rebuild the release)."""
    from immstat import Warehouse

    wh = Warehouse(attack_db, read_only=True)
    yield wh
    wh.close()


@pytest.fixture(scope="session")
def mixed_demo_db(sandbox_db, tmp_path_factory) -> Path:
    """TEST-ONLY: the demo's make-up before issue 13 — the bundled real *published* tables plus the
    sandbox's SYNTHETIC FOIA release, in one warehouse. For surface tests written against
    synthetic FY2024–FY2026 records until they move to the real demo; the product never builds
    this mixture (the real FOIA 2019 records are left out, as they were then)."""
    from immstat import Warehouse
    from immstat.analysis.demo import bundled_files

    path = tmp_path_factory.mktemp("mixed") / "immstat.duckdb"
    real = [p for p in bundled_files() if p.parent.name != "ice-foia-2019-ICFO-53623"]
    synthetic = sorted((sandbox_db.parent / "sandbox-synthetic").glob("*.parquet"))
    with Warehouse(path) as wh:
        wh.load_reference()
        wh.ingest(real + synthetic)
    return path
