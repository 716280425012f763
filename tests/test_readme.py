"""The README is a contract: its set-up and test commands are what CI runs, and they work."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from immstat.core.settings import SETTINGS, markdown_rows

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def block(name: str) -> list[str]:
    found = re.search(rf"<!-- {name} -->\s*```bash\n(.*?)```\s*<!-- /{name} -->", README, re.S)
    assert found, f"README lacks the <!-- {name} --> block"
    return [line.strip() for line in found.group(1).splitlines() if line.strip()]


def test_setup_is_exactly_two_commands_install_then_demo():
    install, demo = block("setup")
    assert install.startswith("pip install") and demo == "immstat demo"


def test_ci_runs_the_readme_install_and_test_commands():
    ci = (REPO / ".ci" / "run").read_text()
    install = block("setup")[0]
    assert install in ci
    assert block("test") == ["pytest"] and re.search(r"^pytest$", ci, re.M)
    assert '"$rc" -eq 5' in ci  # no tests collected is a failure


def test_every_setting_is_documented():
    for setting, row in zip(SETTINGS, markdown_rows(), strict=True):
        assert f"| {setting.name} | `{setting.env}` |" in README, setting.name
        assert row in README, f"README's settings table disagrees with the registry: {row}"


def test_every_cli_command_is_in_the_tour():
    from immstat.cli.app import app

    names = {c.name or c.callback.__name__ for c in app.registered_commands}
    names |= {g.name for g in app.registered_groups}
    for name in names:
        assert f"immstat {name}" in README, f"`immstat {name}` missing from the README tour"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_immstat_demo_as_written_builds_and_serves(demo_db, tmp_path):
    """Runs the README's second command verbatim (on a copy of the session's demo warehouse)."""
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(demo_db, home / "immstat.duckdb")
    port = free_port()
    env = {**os.environ, "IMMSTAT_HOME": str(home), "IMMSTAT_PORT": str(port)}
    command = block("setup")[1].split()
    exe = Path(sys.executable).with_name(command[0])
    proc = subprocess.Popen([str(exe), *command[1:]], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 240
        health = None
        while time.time() < deadline and proc.poll() is None:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(1)
        assert health is not None and health.status_code == 200, proc.stdout.read() if proc.poll() else ""
        assert health.json()["synthetic"] is False  # the demo is real data only (issue 13)
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=10)
        assert page.status_code == 200
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
    assert f"http://127.0.0.1:{port}/" in output
    assert "SYNTHETIC" not in output and "FY19-detentionstats.xlsx" in output
    assert "EROArrests_FY2016.csv.gz" in output
    assert "covers 86% of the 170,590 arrests ICE reported for FY2023" in " ".join(output.split())


def test_ci_runs_the_gates_before_the_tests():
    ci = (REPO / ".ci" / "run").read_text()
    tests = re.search(r"^pytest$", ci, re.M).start()
    for gate in ("lint-imports", "ruff check src tests benchmarks", "mypy src"):
        found = re.search(rf"^{re.escape(gate)}$", ci, re.M)
        assert found and found.start() < tests, f".ci/run must run `{gate}` before pytest"
    assert "set -euo pipefail" in ci  # a failing gate stops CI


def test_architecture_docs_name_real_files_lists_and_layers():
    import importlib

    doc = (REPO / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    paths = set(re.findall(r"`(src/immstat/[\w/.<>-]+)`", doc))
    assert len(paths) > 15
    for path in paths:
        if "<" not in path:  # templates like pages_<name>.py are recipes, not files
            assert (REPO / path).exists(), f"docs/ARCHITECTURE.md names a missing file {path}"
    for module, name in (("immstat.api", "ROUTERS"), ("immstat.web", "PAGES"), ("immstat.cli", "COMMANDS"),
                         ("immstat.cli", "GROUPS"), ("immstat.metrics.catalog", "CATALOGS"),
                         ("immstat.sources.registry", "SPECS")):
        assert f"`{name}`" in doc and hasattr(importlib.import_module(module), name), name
    packages = sorted(p.name for p in (REPO / "src" / "immstat").iterdir()
                      if (p / "__init__.py").exists() and p.name != "data")
    layers = doc.split("```")[1]
    for package in packages:
        assert re.search(rf"── {package}/", README), f"README's folder tree lacks {package}/"
        assert re.search(rf"\b{package}\b", layers), f"docs/ARCHITECTURE.md's layer list lacks {package}"


def test_immstat_demo_sandbox_is_its_own_synthetic_warehouse(sandbox_db, tmp_path, cli):
    """`immstat demo --sandbox` (on a copy of the session's sandbox, so nothing is regenerated)."""
    home = tmp_path / "home"
    shutil.copytree(sandbox_db.parent, home)
    files = {p: p.stat().st_mtime_ns for p in (home / "sandbox-synthetic").iterdir()}
    done = cli("demo", "--sandbox", "--no-serve", env={"IMMSTAT_HOME": str(home)})
    assert done.exit_code == 0, done.stderr
    assert files == {p: p.stat().st_mtime_ns for p in (home / "sandbox-synthetic").iterdir()}  # reused
    text = " ".join(done.stdout.split())
    assert "SYNTHETIC sandbox warehouse" in text and "SYNTHETIC ICE arrests by fiscal year" in text
    assert not (home / "immstat.duckdb").exists()  # the real demo warehouse is never touched
