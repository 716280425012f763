"""The source registry: one explicit list, no import cycle inside ``immstat.sources``, and every
source and plan speaking the two protocols ingest relies on."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from immstat.sources.detect import plan_file
from immstat.sources.plan import Source, SourcePlan
from immstat.sources.registry import CUSTOM, SPECS

SOURCES_DIR = Path(__file__).resolve().parents[1] / "src" / "immstat" / "sources"
MESSY = Path(__file__).parent / "fixtures" / "messy"


def test_kinds_are_unique_and_sources_speak_the_protocol():
    kinds = [s.kind for s in SPECS] + [c.kind for c in CUSTOM]
    assert len(kinds) == len(set(kinds))
    assert all(isinstance(c, Source) for c in CUSTOM)


def test_no_import_cycle_in_sources():
    grimp = pytest.importorskip("grimp")  # comes with import-linter (the dev extra)
    graph = grimp.build_graph("immstat")
    modules = {m for m in graph.modules if m.startswith("immstat.sources")}
    cycles = [(m, n) for m in modules for n in graph.find_modules_directly_imported_by(m)
              if n in modules and n != m and graph.chain_exists(importer=n, imported=m)]
    assert cycles == []


def test_no_import_hidden_inside_a_function_reaches_the_registry():
    for path in SOURCES_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for func in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            for node in ast.walk(func):
                if isinstance(node, ast.ImportFrom) and node.module:
                    assert not node.module.startswith("immstat.sources"), (path.name, node.module)


@pytest.mark.parametrize("name", ["banner_row9.xlsx", "pipes.csv", "same_data.parquet"])
def test_plans_speak_the_protocol(name):
    plan = plan_file(MESSY / name)
    assert isinstance(plan, SourcePlan)
    assert plan.kind == "ice_arrests" and plan.not_provided()  # e.g. no county FIPS in them


def test_real_plans_speak_the_protocol(shared_data):
    for path in (shared_data / "ice/ero-statistics/ice-ero-statistics-fy2021-fy2025q1.xlsx",
                 shared_data / "ddp/cbp/encounters_monthly_cross_reference.csv",
                 shared_data / "ice/detention-stats/FY24_detentionStats.xlsx",
                 shared_data / "uwchr/ice-enforce/foia/EROArrests_FY2016.csv.gz"):
        assert isinstance(plan_file(path), SourcePlan), path.name
