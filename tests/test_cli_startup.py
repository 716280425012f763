"""`immstat --version` and `--help` start fast because they import no heavy library.

Measured as what gets imported (``python -X importtime``), not as a timing: a timing on a shared
machine is noise, an import of DuckDB or pandas at start-up is a regression.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("duckdb", "ibis", "pandas", "pyarrow", "polars", "numpy", "altair", "fastapi", "uvicorn",
         "starlette", "jinja2", "vl_convert", "weasyprint", "yaml")


def imported_by(*args: str) -> set[str]:
    """Top-level packages imported by ``python -m immstat ARGS`` (from -X importtime)."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "immstat", *args],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-2000:]
    names = set()
    for line in run.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "immstat" in names, "no import timing found"
    return names


@pytest.mark.parametrize("args", [("--version",), ("--help",), ("query", "--help"),
                                  ("claims", "verify", "--help")])
def test_start_up_imports_no_heavy_library(args):
    heavy = imported_by(*args) & set(HEAVY)
    assert not heavy, f"`immstat {' '.join(args)}` imports {sorted(heavy)}; import them inside commands"


def test_version_prints_the_version():
    from immstat import __version__

    run = subprocess.run([sys.executable, "-m", "immstat", "--version"], capture_output=True,
                         text=True, timeout=60)
    assert run.stdout.strip() == f"immstat {__version__}"
