"""Warehouses for the revision-ledger and data-health tests: the three real FY2026 releases of
ICE's detention statistics, and altered copies of a real release that must fail a check."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from immstat.metrics.warehouse import Warehouse

FY26_RELEASES = ("earlier-releases/FY26_detentionStats02022026.xlsx",
                 "earlier-releases/FY26_detentionStats_02122026.xlsx",
                 "FY26_detentionStats_04092026.xlsx")
DETENTION_SHEET = "Detention FY26"


@pytest.fixture(scope="session")
def detention_dir(shared_data) -> Path:
    return shared_data / "ice" / "detention-stats"


@pytest.fixture(scope="session")
def build_db(ingested) -> Callable[[str, list[Path]], Path]:
    """Factory: a warehouse file with ``files`` ingested in order, built once per name."""
    made: dict[str, Path] = {}

    def build(name: str, files: list[Path]) -> Path:
        if name not in made:
            made[name] = ingested(f"health-{name}", files)[0]
        return made[name]

    return build


@pytest.fixture(scope="session")
def fy26_db(build_db, detention_dir) -> Path:
    return build_db("fy26", [detention_dir / name for name in FY26_RELEASES])


@pytest.fixture(scope="session")
def fy26(fy26_db):
    """One read-only connection for the session (its compiled queries are reused)."""
    with Warehouse(fy26_db, read_only=True) as wh:
        yield wh


@pytest.fixture
def writable(tmp_path):
    """Factory: a writable copy of a built warehouse (for runs that store their results)."""
    opened = []

    def copy(path: Path) -> Warehouse:
        target = tmp_path / f"copy{len(opened)}.duckdb"
        shutil.copy(path, target)
        wh = Warehouse(target)
        opened.append(wh)
        return wh

    yield copy
    for wh in opened:
        wh.close()


def altered_release(source: Path, target: Path, edits: dict[str, float | None]) -> Path:
    """A copy of a real workbook with cells of its Detention sheet changed (``{"N104": 62000}``);
    the target's file name carries its (made-up) release date."""
    import openpyxl

    book = openpyxl.load_workbook(source)
    sheet = book[DETENTION_SHEET]
    for cell, value in edits.items():
        sheet[cell] = value
    book.save(target)
    return target


@pytest.fixture(scope="session")
def altered_db(build_db, detention_dir, tmp_path_factory) -> Callable[[str, dict], Path]:
    """Factory: the real 12 Feb 2026 release plus a '10 Apr 2026' copy of the real 9 Apr release
    with the given cells changed (row 104 is the all-agency ADP row; B..H = Oct..Apr, N = FY)."""

    def make(name: str, edits: dict) -> Path:
        folder = tmp_path_factory.mktemp(f"altered-{name}")
        copy = altered_release(detention_dir / FY26_RELEASES[2],
                               folder / "FY26_detentionStats_04102026.xlsx", edits)
        return build_db(name, [detention_dir / FY26_RELEASES[1], copy])

    return make
