"""Shared fixtures: the real data folder beside the repo, the in-process CLI, and every warehouse
the tests use — each built once (``built``, cached on disk between runs, shared by xdist workers:
see tests/builders.py) and copied into the session's temporary folder."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from builders import (
    build_attack,
    build_ingested,
    build_mixed,
    build_synthetic_claims,
    build_web,
    cached,
    person_keys,
)

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


# ------------------------------------------------------------------ the CLI, in-process
@dataclass
class CliRun:
    """What one `immstat …` run printed and returned."""

    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def cli() -> Callable[..., CliRun]:
    """``cli(*args, check=False, env=None)``: run ``immstat ARGS`` in this process (Typer's
    CliRunner, the same app the console script runs; ``env`` is set for the run).
    ``check=True`` fails the test on a non-zero exit."""
    from typer.testing import CliRunner

    from immstat.cli import app

    runner = CliRunner()

    def run(*args: Any, check: bool = False, env: dict[str, str] | None = None) -> CliRun:
        result = runner.invoke(app, [str(a) for a in args], env=env)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        done = CliRun(result.exit_code, result.stdout, result.stderr)
        if check:
            assert done.exit_code == 0, f"immstat {' '.join(map(str, args))}: {done.stderr}"
        return done

    return run


# ------------------------------------------------------------------ warehouses
@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Callable[..., tuple[Path, Any]]:
    """THE warehouse builder: ``built(name, build, inputs=())`` → (a session copy of the folder
    ``build(folder)`` fills, what ``build`` returned). ``inputs``: files outside the package the
    build reads (their size and time are part of the cache key)."""

    def make(name: str, build: Callable[[Path], Any], inputs=()) -> tuple[Path, Any]:
        return cached(name, build, tmp_path_factory.mktemp(name), inputs)

    return make


@pytest.fixture(scope="session")
def ingested(built) -> Callable[..., tuple[Path, list]]:
    """``ingested(name, files, reference=False, release_date=None)`` → (warehouse path, ingest
    reports): a warehouse with ``files`` ingested in order."""

    def make(name: str, files: list[Path], reference: bool = False, release_date=None):
        from functools import partial

        build = partial(build_ingested, files=list(files), reference=reference,
                        release_date=release_date)
        folder, reports = built(name, build, inputs=files)
        return folder / "immstat.duckdb", reports

    return make


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


@pytest.fixture(scope="module")
def wh(db):
    """The module's warehouse ``db`` (a fixture the module defines), read-only. Modules that
    write override ``wh`` with a writable warehouse of their own."""
    from immstat import Warehouse

    with Warehouse(db, read_only=True) as warehouse:
        yield warehouse


@pytest.fixture(scope="session")
def demo_db(built) -> Path:
    """The demo warehouse (bundled real data only)."""
    from immstat.analysis.demo import build_demo

    folder, _ = built("demo", lambda f: build_demo(f / "immstat.duckdb"))
    return folder / "immstat.duckdb"


@pytest.fixture(scope="session")
def sandbox_db(built) -> Path:
    """The SYNTHETIC sandbox warehouse (`immstat demo --sandbox`: its own file, its generated
    files in ``sandbox-synthetic/`` beside it)."""
    from immstat.analysis.demo import build_sandbox

    folder, _ = built("sandbox", lambda f: build_sandbox(f / "sandbox.duckdb"))
    return folder / "sandbox.duckdb"


@pytest.fixture(scope="session")
def mixed_demo_db(built, sandbox_db) -> Path:
    """TEST-ONLY: real published tables + the sandbox's SYNTHETIC FOIA release (builders.build_mixed)."""
    folder, _ = built("mixed", lambda f: build_mixed(f, sandbox_db.parent))
    return folder / "immstat.duckdb"


@pytest.fixture(scope="session")
def api_db(mixed_demo_db) -> Path:
    """The warehouse of the API, chart and serving tests (read-only)."""
    return mixed_demo_db


@pytest.fixture(scope="session")
def api_person_keys(api_db) -> frozenset[str]:
    """Some person keys of ``api_db`` (to prove that no route leaks them)."""
    return frozenset(person_keys(api_db))


@pytest.fixture(scope="session")
def synthetic_claims_db(built) -> Path:
    """A warehouse holding only a small SYNTHETIC FOIA release (arrests, detainers, FY2024–2025):
    claim-checker tests that synthetic data never make a claim "supported", whatever the demo holds."""
    folder, _ = built("synthetic-claims", build_synthetic_claims)
    return folder / "s.duckdb"


@pytest.fixture(scope="session")
def web_db(built) -> Path:
    """The warehouse the dashboard tests serve (builders.build_web)."""
    folder, _ = built("web", build_web)
    return folder / "immstat.duckdb"


@pytest.fixture(scope="session")
def attack_db(built) -> Path:
    """Path of the attack warehouse (builders: realistic blanks, shared states), its release built."""
    folder, _ = built("attacks", build_attack)
    return folder / "attacks.duckdb"


@pytest.fixture(scope="session")
def attack_wh(attack_db):
    """The attack warehouse, read-only (queries never rebuild the release)."""
    from immstat import Warehouse

    wh = Warehouse(attack_db, read_only=True)
    yield wh
    wh.close()


@pytest.fixture(scope="session")
def live_server(api_db):
    """A real uvicorn server on a free loopback port, in a thread; yields its base URL."""
    import threading
    import time

    import uvicorn

    from immstat.cli.compose import build_app
    from immstat.web.harness import free_port

    server = uvicorn.Server(uvicorn.Config(build_app(api_db), host="127.0.0.1", port=free_port(),
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{server.config.port}"
    server.should_exit = True
    thread.join(10)
